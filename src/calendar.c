/* Calendar arithmetic (see include/calendar.h).
 *
 * All calendar arithmetic is done on whole day numbers (long long) and only
 * the time of day is a fraction, so month and year bounds come out exact and
 * the end of one period is bit-identical to the start of the next. */
#include "calendar.h"

#include <math.h>
#include <stddef.h>
#include <strings.h>

#include "t2i.h"

/* Julian Day Numbers of 1850-01-01 (the output epoch): Gregorian, and in the
 * Julian calendar, whose 1850-01-01 fell on Gregorian 1850-01-13. */
#define JDN_1850_GREGORIAN 2396759LL
#define JDN_1850_JULIAN 2396771LL
/* JDN of 1582-10-15, the first Gregorian day of the standard calendar. */
#define JDN_GREGORIAN_START 2299161LL
/* The day-number algorithms count from 1 March of (astronomical) year 0,
 * so that the leap day ends the counting year; these are its JDNs. */
#define JDN_MARCH_0_GREGORIAN 1721120LL
#define JDN_MARCH_0_JULIAN 1721118LL
#define DAYS_PER_400_YEARS 146097LL
#define DAYS_PER_4_YEARS 1461LL

#define SECONDS_PER_DAY 86400.0
/* Seconds into the day are rounded to this many parts per second, so that
 * 15.5 days reads 12:00:00 rather than 11:59:59.99999. */
#define SNAPS_PER_SECOND 1000.0

static const int noleap_month_days[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
static const int noleap_days_before[12] = {0,   31,  59,  90,  120, 151,
                                           181, 212, 243, 273, 304, 334};

static const struct {
    const char *name;
    t2i_calendar cal;
} calendar_names[] = {
    {"standard", T2I_CAL_STANDARD},   {"gregorian", T2I_CAL_STANDARD},
    {"proleptic_gregorian", T2I_CAL_PROLEPTIC},
    {"noleap", T2I_CAL_NOLEAP},       {"365_day", T2I_CAL_NOLEAP},
    {"all_leap", T2I_CAL_ALL_LEAP},   {"366_day", T2I_CAL_ALL_LEAP},
    {"360_day", T2I_CAL_360},         {"julian", T2I_CAL_JULIAN},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int time_parse_calendar(const char *text, t2i_calendar *cal, char *err,
                        size_t errlen)
{
    size_t i;
    if (!text || !*text) {
        *cal = T2I_CAL_STANDARD; /* CF: no calendar attribute = standard */
        return T2I_OK;
    }
    for (i = 0; i < COUNT(calendar_names); i++) {
        if (strcasecmp(text, calendar_names[i].name) == 0) {
            *cal = calendar_names[i].cal;
            return T2I_OK;
        }
    }
    return t2i_fail(T2I_EINPUT, err, errlen, "unknown calendar '%s'", text);
}

const char *time_calendar_name(t2i_calendar cal)
{
    switch (cal) {
    case T2I_CAL_STANDARD: return "standard";
    case T2I_CAL_PROLEPTIC: return "proleptic_gregorian";
    case T2I_CAL_NOLEAP: return "noleap";
    case T2I_CAL_ALL_LEAP: return "all_leap";
    case T2I_CAL_360: return "360_day";
    case T2I_CAL_JULIAN: return "julian";
    }
    return "unknown";
}

/* CF years of the Julian calendar have no year 0: year -1 is 1 BC, which is
 * astronomical year 0 and a leap year. */
static long long astro_year(long long y)
{
    return y < 0 ? y + 1 : y;
}

static int is_leap(t2i_calendar cal, int y)
{
    int gregorian = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    int julian = astro_year(y) % 4 == 0;
    switch (cal) {
    case T2I_CAL_STANDARD: return y < 1582 ? julian : gregorian;
    case T2I_CAL_PROLEPTIC: return gregorian;
    case T2I_CAL_JULIAN: return julian;
    case T2I_CAL_ALL_LEAP: return 1;
    case T2I_CAL_NOLEAP:
    case T2I_CAL_360: return 0;
    }
    return 0;
}

/* October 1582 of the standard calendar runs 1..4, then 15..31. */
int time_is_switch_month(t2i_calendar cal, int y, int m)
{
    return cal == T2I_CAL_STANDARD && y == 1582 && m == 10;
}

int time_days_in_month(t2i_calendar cal, int year, int month)
{
    if (month < 1 || month > 12)
        return 0;
    if (cal == T2I_CAL_360)
        return 30;
    if (time_is_switch_month(cal, year, month))
        return 21;
    if (month == 2)
        return 28 + is_leap(cal, year);
    return noleap_month_days[month - 1];
}

int time_days_in_year(t2i_calendar cal, int year)
{
    if (cal == T2I_CAL_360)
        return 360;
    if (cal == T2I_CAL_STANDARD && year == 1582)
        return 355; /* ten days dropped in October */
    return 365 + is_leap(cal, year);
}

/* Highest day number of a month (31 for the 21-day October 1582). */
int time_last_day(t2i_calendar cal, int y, int m)
{
    return time_is_switch_month(cal, y, m) ? 31 : time_days_in_month(cal, y, m);
}

int time_date_exists(t2i_calendar cal, int y, int m, int d)
{
    if (m < 1 || m > 12 || d < 1 || d > time_last_day(cal, y, m))
        return 0;
    if (y == 0 && (cal == T2I_CAL_STANDARD || cal == T2I_CAL_JULIAN))
        return 0;
    return !(time_is_switch_month(cal, y, m) && d >= 5 && d <= 14);
}

/* ---- day numbers (Hinnant's civil-from-days, and its Julian twin) ----- */

static long long march_day_of_year(int m, int d)
{
    long long mp = (m + 9) % 12; /* March = 0 ... February = 11 */
    return (153 * mp + 2) / 5 + d - 1;
}

static void set_march_date(long long y, long long doy, t2i_date *date)
{
    long long mp = (5 * doy + 2) / 153;
    date->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    date->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    date->year = (int)(y + (date->month <= 2));
}

static long long gregorian_jdn(long long y, int m, int d)
{
    long long era, yoe, doe;
    y -= m <= 2;
    era = t2i_floor_div(y, 400);
    yoe = y - era * 400;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + march_day_of_year(m, d);
    return JDN_MARCH_0_GREGORIAN + era * DAYS_PER_400_YEARS + doe;
}

static void gregorian_date(long long jdn, t2i_date *date)
{
    long long z = jdn - JDN_MARCH_0_GREGORIAN;
    long long era = t2i_floor_div(z, DAYS_PER_400_YEARS);
    long long doe = z - era * DAYS_PER_400_YEARS;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    set_march_date(era * 400 + yoe,
                   doe - (365 * yoe + yoe / 4 - yoe / 100), date);
}

/* y is an astronomical year here. */
static long long julian_jdn(long long y, int m, int d)
{
    long long era, yoe;
    y -= m <= 2;
    era = t2i_floor_div(y, 4);
    yoe = y - era * 4;
    return JDN_MARCH_0_JULIAN + era * DAYS_PER_4_YEARS + yoe * 365 +
           march_day_of_year(m, d);
}

static void julian_date(long long jdn, t2i_date *date)
{
    long long z = jdn - JDN_MARCH_0_JULIAN;
    long long era = t2i_floor_div(z, DAYS_PER_4_YEARS);
    long long doe = z - era * DAYS_PER_4_YEARS;
    long long yoe = (doe - doe / 1460) / 365;
    set_march_date(era * 4 + yoe, doe - 365 * yoe, date);
    if (date->year <= 0)
        date->year -= 1; /* back to CF years: astronomical 0 is 1 BC = -1 */
}

/* Fixed-length calendars: noleap (leap = 0) and all_leap (leap = 1). */
static void fixed_date(long long n, int leap, t2i_date *date)
{
    int len = 365 + leap, m = 12, start;
    long long y = t2i_floor_div(n, len);
    long long doy = n - y * len;
    while ((start = noleap_days_before[m - 1] + (leap && m > 2)) > doy)
        m--;
    date->year = (int)(1850 + y);
    date->month = m;
    date->day = (int)(doy - start + 1);
}

static void date_360(long long n, t2i_date *date)
{
    long long y = t2i_floor_div(n, 360);
    long long doy = n - y * 360;
    date->year = (int)(1850 + y);
    date->month = (int)(doy / 30 + 1);
    date->day = (int)(doy % 30 + 1);
}

/* Days since 1850-01-01 of a date known to exist in cal. */
static long long day_number(t2i_calendar cal, int y, int m, int d)
{
    long long dy = (long long)y - 1850;
    switch (cal) {
    case T2I_CAL_NOLEAP: return 365 * dy + noleap_days_before[m - 1] + d - 1;
    case T2I_CAL_ALL_LEAP:
        return 366 * dy + noleap_days_before[m - 1] + (m > 2) + d - 1;
    case T2I_CAL_360: return 360 * dy + 30 * (m - 1) + d - 1;
    case T2I_CAL_PROLEPTIC: return gregorian_jdn(y, m, d) - JDN_1850_GREGORIAN;
    case T2I_CAL_JULIAN:
        return julian_jdn(astro_year(y), m, d) - JDN_1850_JULIAN;
    case T2I_CAL_STANDARD: break;
    }
    if (y * 10000LL + m * 100 + d < 15821015LL)
        return julian_jdn(astro_year(y), m, d) - JDN_1850_GREGORIAN;
    return gregorian_jdn(y, m, d) - JDN_1850_GREGORIAN;
}

static void date_of_number(t2i_calendar cal, long long n, t2i_date *date)
{
    long long jdn = n + JDN_1850_GREGORIAN;
    switch (cal) {
    case T2I_CAL_NOLEAP: fixed_date(n, 0, date); return;
    case T2I_CAL_ALL_LEAP: fixed_date(n, 1, date); return;
    case T2I_CAL_360: date_360(n, date); return;
    case T2I_CAL_PROLEPTIC: gregorian_date(jdn, date); return;
    case T2I_CAL_JULIAN: julian_date(n + JDN_1850_JULIAN, date); return;
    case T2I_CAL_STANDARD: break;
    }
    if (jdn >= JDN_GREGORIAN_START)
        gregorian_date(jdn, date);
    else
        julian_date(jdn, date);
}

static double mean_year_days(t2i_calendar cal)
{
    switch (cal) {
    case T2I_CAL_NOLEAP: return 365.0;
    case T2I_CAL_ALL_LEAP: return 366.0;
    case T2I_CAL_360: return 360.0;
    case T2I_CAL_JULIAN: return 365.25;
    case T2I_CAL_STANDARD:
    case T2I_CAL_PROLEPTIC: break;
    }
    return 365.2425;
}

int time_beyond_limit(t2i_calendar cal, double days)
{
    return fabs(days) / mean_year_days(cal) > T2I_MAX_YEARS_FROM_1850;
}

int time_date_to_days(t2i_calendar cal, t2i_date date, double *days,
                      char *err, size_t errlen)
{
    if (!time_date_exists(cal, date.year, date.month, date.day))
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "date '%04d-%02d-%02d' does not exist in the '%s' "
                        "calendar",
                        date.year, date.month, date.day,
                        time_calendar_name(cal));
    if (!(date.second >= 0.0 && date.second < SECONDS_PER_DAY))
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "time of day '%g' seconds is not within one day",
                        date.second);
    *days = (double)day_number(cal, date.year, date.month, date.day) +
            date.second / SECONDS_PER_DAY;
    return T2I_OK;
}

int time_days_to_date(t2i_calendar cal, double days, t2i_date *date,
                      char *err, size_t errlen)
{
    double whole, second;
    if (!isfinite(days))
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "day offset '%g' is not finite", days);
    if (time_beyond_limit(cal, days))
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "day offset '%.15g' is more than 100000 years from "
                        "1850",
                        days);
    whole = floor(days);
    second = round((days - whole) * SECONDS_PER_DAY * SNAPS_PER_SECOND) /
             SNAPS_PER_SECOND;
    if (second >= SECONDS_PER_DAY) {
        whole += 1.0;
        second = 0.0;
    }
    date_of_number(cal, (long long)whole, date);
    date->second = second;
    return T2I_OK;
}

/* ---- units parsing ---------------------------------------------------- */
