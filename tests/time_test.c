/* Tests of src/time.c. Every expected value is worked out by hand in the
 * comments (day counts from leap-year rules and Julian Day Numbers), never
 * taken from the code's own output. */
#include "time.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "t2i.h"

/* Tolerance for decoded days (days): well below a second. */
#define DAY_TOL 1e-9

static double date_days(t2i_calendar cal, int y, int m, int d, double s)
{
    t2i_date date = {y, m, d, s};
    double days = NAN;
    if (time_date_to_days(cal, date, &days, NULL, 0) != T2I_OK)
        return NAN;
    return days;
}

static const char *date_error(t2i_calendar cal, int y, int m, int d,
                              char *err)
{
    t2i_date date = {y, m, d, 0.0};
    double days;
    err[0] = '\0';
    time_date_to_days(cal, date, &days, err, T2I_ERRLEN);
    return err;
}

static int is_date(t2i_calendar cal, double days, int y, int m, int d,
                   double second)
{
    t2i_date got;
    if (time_days_to_date(cal, days, &got, NULL, 0) != T2I_OK)
        return 0;
    return got.year == y && got.month == m && got.day == d &&
           fabs(got.second - second) < 1e-3;
}

static double decode(const char *units, t2i_calendar cal, double value)
{
    t2i_time_units tu;
    double days = NAN;
    if (time_parse_units(units, &tu, NULL, 0) != T2I_OK ||
        time_decode(&tu, cal, value, &days, NULL, 0) != T2I_OK)
        return NAN;
    return days;
}

static const char *decode_error(const char *units, t2i_calendar cal,
                                double value, char *err)
{
    t2i_time_units tu;
    double days;
    err[0] = '\0';
    if (time_parse_units(units, &tu, err, T2I_ERRLEN) == T2I_OK)
        time_decode(&tu, cal, value, &days, err, T2I_ERRLEN);
    return err;
}

static const char *units_error(const char *units, char *err)
{
    t2i_time_units tu;
    err[0] = '\0';
    if (time_parse_units(units, &tu, err, T2I_ERRLEN) == T2I_OK)
        strcpy(err, "(accepted)");
    return err;
}

static const char *plan_error(const double *days, const double *bnds,
                              size_t n, t2i_freq forced, char *err)
{
    t2i_time_axis axis;
    err[0] = '\0';
    if (time_plan_axis(days, bnds, n, T2I_CAL_NOLEAP, T2I_STAMP_START, forced,
                       &axis, err, T2I_ERRLEN) == T2I_OK) {
        strcpy(err, "(accepted)");
        time_axis_free(&axis);
    } else if (axis.mid || axis.bnds || axis.year || axis.month) {
        strcpy(err, "(arrays left allocated after an error)");
    }
    return err;
}

/* Steps through every date of years y0..y1 that date_to_days accepts, in
 * calendar order: day numbers must be consecutive and days_to_date must
 * return the same date. Returns the number of dates, or -1 on a mismatch. */
static long walk_years(t2i_calendar cal, int y0, int y1)
{
    double days, prev = NAN;
    long count = 0;
    int y, m, d;
    for (y = y0; y <= y1; y++)
        for (m = 1; m <= 12; m++)
            for (d = 1; d <= 31; d++) {
                t2i_date date = {y, m, d, 0.0};
                if (time_date_to_days(cal, date, &days, NULL, 0) != T2I_OK)
                    continue;
                if ((count > 0 && days != prev + 1.0) ||
                    !is_date(cal, days, y, m, d, 0.0))
                    return -1;
                prev = days;
                count++;
            }
    return count;
}

static void test_calendar_names(t2i_tally *t)
{
    t2i_calendar cal = T2I_CAL_360;
    char err[T2I_ERRLEN];
    CHECK(t, time_parse_calendar(NULL, &cal, err, sizeof err) == T2I_OK &&
                 cal == T2I_CAL_STANDARD,
          "A missing calendar attribute means the standard calendar.");
    cal = T2I_CAL_360;
    CHECK(t, time_parse_calendar("", &cal, err, sizeof err) == T2I_OK &&
                 cal == T2I_CAL_STANDARD,
          "An empty calendar attribute means the standard calendar.");
    CHECK(t, time_parse_calendar("GREGORIAN", &cal, err, sizeof err) == 0 &&
                 cal == T2I_CAL_STANDARD,
          "'GREGORIAN' in any case is the standard calendar.");
    CHECK(t, time_parse_calendar("NoLeap", &cal, err, sizeof err) == 0 &&
                 cal == T2I_CAL_NOLEAP,
          "'NoLeap' is the noleap calendar.");
    CHECK(t, time_parse_calendar("365_day", &cal, err, sizeof err) == 0 &&
                 cal == T2I_CAL_NOLEAP,
          "'365_day' is the noleap calendar.");
    CHECK(t, time_parse_calendar("366_DAY", &cal, err, sizeof err) == 0 &&
                 cal == T2I_CAL_ALL_LEAP,
          "'366_DAY' is the all_leap calendar.");
    CHECK(t, time_parse_calendar("360_day", &cal, err, sizeof err) == 0 &&
                 cal == T2I_CAL_360,
          "'360_day' is the 360_day calendar.");
    CHECK(t, time_parse_calendar("Proleptic_Gregorian", &cal, err,
                                 sizeof err) == 0 &&
                 cal == T2I_CAL_PROLEPTIC,
          "'Proleptic_Gregorian' is the proleptic Gregorian calendar.");
    CHECK(t, time_parse_calendar("julian", &cal, err, sizeof err) == 0 &&
                 cal == T2I_CAL_JULIAN,
          "'julian' is the Julian calendar.");
    CHECK(t, time_parse_calendar("xyz", &cal, err, sizeof err) ==
                 T2I_EINPUT,
          "An unknown calendar is an input error.");
    CHECK_STR(t, err, "unknown calendar 'xyz'",
              "The unknown-calendar message quotes the name.");
}

static void test_calendar_output_names(t2i_tally *t)
{
    CHECK_STR(t, time_calendar_name(T2I_CAL_STANDARD), "standard",
              "Gregorian is written out as 'standard'.");
    CHECK_STR(t, time_calendar_name(T2I_CAL_NOLEAP), "noleap",
              "365_day is written out as 'noleap'.");
    CHECK_STR(t, time_calendar_name(T2I_CAL_ALL_LEAP), "all_leap",
              "366_day is written out as 'all_leap'.");
    CHECK_STR(t, time_calendar_name(T2I_CAL_PROLEPTIC), "proleptic_gregorian",
              "The proleptic calendar keeps its CF name.");
    CHECK_STR(t, time_calendar_name(T2I_CAL_360), "360_day",
              "The 360_day calendar keeps its CF name.");
    CHECK_STR(t, time_calendar_name(T2I_CAL_JULIAN), "julian",
              "The Julian calendar keeps its CF name.");
}

static void test_leap_years(t2i_tally *t)
{
    CHECK(t, time_days_in_year(T2I_CAL_STANDARD, 1700) == 365,
          "1700 is not leap in the standard calendar (Gregorian since 1582).");
    CHECK(t, time_days_in_year(T2I_CAL_PROLEPTIC, 1700) == 365,
          "1700 is not leap in the proleptic Gregorian calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_JULIAN, 1700) == 366,
          "1700 is leap in the Julian calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_STANDARD, 1900) == 365,
          "1900 is not leap in the standard calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_PROLEPTIC, 1900) == 365,
          "1900 is not leap in the proleptic Gregorian calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_JULIAN, 1900) == 366,
          "1900 is leap in the Julian calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_STANDARD, 2000) == 366,
          "2000 is leap in the standard calendar (divisible by 400).");
    CHECK(t, time_days_in_year(T2I_CAL_PROLEPTIC, 2000) == 366,
          "2000 is leap in the proleptic Gregorian calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_JULIAN, 2000) == 366,
          "2000 is leap in the Julian calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_STANDARD, 2004) == 366 &&
                 time_days_in_year(T2I_CAL_PROLEPTIC, 2004) == 366 &&
                 time_days_in_year(T2I_CAL_JULIAN, 2004) == 366,
          "2004 is leap in the standard, proleptic and Julian calendars.");
    CHECK(t, time_days_in_year(T2I_CAL_NOLEAP, 2000) == 365 &&
                 time_days_in_year(T2I_CAL_NOLEAP, 2004) == 365,
          "The noleap calendar has 365 days in 2000 and 2004.");
    CHECK(t, time_days_in_year(T2I_CAL_ALL_LEAP, 1900) == 366 &&
                 time_days_in_year(T2I_CAL_ALL_LEAP, 1901) == 366,
          "The all_leap calendar has 366 days in every year.");
    CHECK(t, time_days_in_year(T2I_CAL_360, 2000) == 360 &&
                 time_days_in_year(T2I_CAL_360, 1700) == 360,
          "The 360_day calendar has 360 days in every year.");
    CHECK(t, time_days_in_year(T2I_CAL_STANDARD, 1500) == 366 &&
                 time_days_in_year(T2I_CAL_PROLEPTIC, 1500) == 365,
          "1500 is leap under the standard calendar's Julian rule only.");
    CHECK(t, time_days_in_year(T2I_CAL_STANDARD, 1582) == 355,
          "1582 of the standard calendar lost ten days (365 - 10).");
}

static void test_month_lengths(t2i_tally *t)
{
    CHECK(t, time_days_in_month(T2I_CAL_STANDARD, 1900, 2) == 28 &&
                 time_days_in_month(T2I_CAL_STANDARD, 2000, 2) == 29,
          "February has 28 days in standard 1900 and 29 in 2000.");
    CHECK(t, time_days_in_month(T2I_CAL_PROLEPTIC, 1700, 2) == 28 &&
                 time_days_in_month(T2I_CAL_PROLEPTIC, 2004, 2) == 29,
          "February has 28 days in proleptic 1700 and 29 in 2004.");
    CHECK(t, time_days_in_month(T2I_CAL_JULIAN, 1700, 2) == 29 &&
                 time_days_in_month(T2I_CAL_JULIAN, 1701, 2) == 28,
          "February has 29 days in Julian 1700 and 28 in 1701.");
    CHECK(t, time_days_in_month(T2I_CAL_NOLEAP, 2000, 2) == 28,
          "February always has 28 days in noleap.");
    CHECK(t, time_days_in_month(T2I_CAL_ALL_LEAP, 1901, 2) == 29,
          "February always has 29 days in all_leap.");
    CHECK(t, time_days_in_month(T2I_CAL_360, 2000, 2) == 30 &&
                 time_days_in_month(T2I_CAL_360, 2000, 1) == 30,
          "Every 360_day month has 30 days, February included.");
    CHECK(t, time_days_in_month(T2I_CAL_STANDARD, 1582, 10) == 21,
          "October 1582 has 21 days in the standard calendar (4 + 17).");
    CHECK(t, time_days_in_month(T2I_CAL_PROLEPTIC, 1582, 10) == 31 &&
                 time_days_in_month(T2I_CAL_JULIAN, 1582, 10) == 31,
          "October 1582 has 31 days in the proleptic and Julian calendars.");
    CHECK(t, time_days_in_month(T2I_CAL_NOLEAP, 1850, 4) == 30 &&
                 time_days_in_month(T2I_CAL_NOLEAP, 1850, 12) == 31,
          "April has 30 days and December 31.");
    CHECK(t, time_days_in_month(T2I_CAL_NOLEAP, 1850, 13) == 0,
          "Month 13 has no days.");
}

static void test_known_dates(t2i_tally *t)
{
    static const t2i_calendar all[] = {
        T2I_CAL_STANDARD, T2I_CAL_PROLEPTIC, T2I_CAL_NOLEAP,
        T2I_CAL_ALL_LEAP, T2I_CAL_360,       T2I_CAL_JULIAN};
    int epoch_ok = 1;
    size_t i;
    for (i = 0; i < sizeof all / sizeof all[0]; i++)
        epoch_ok = epoch_ok && date_days(all[i], 1850, 1, 1, 0.0) == 0.0;
    CHECK(t, epoch_ok, "1850-01-01 00:00 is day 0 in every calendar.");
    /* 150 years of 365 days. */
    CHECK_NEAR(t, date_days(T2I_CAL_NOLEAP, 1700, 1, 1, 0.0), -54750.0, 0.0,
               "1700-01-01 in noleap is -150 * 365 = -54750.");
    CHECK_NEAR(t, date_days(T2I_CAL_ALL_LEAP, 1700, 1, 1, 0.0), -54900.0,
               0.0, "1700-01-01 in all_leap is -150 * 366 = -54900.");
    CHECK_NEAR(t, date_days(T2I_CAL_360, 1700, 1, 1, 0.0), -54000.0, 0.0,
               "1700-01-01 in 360_day is -150 * 360 = -54000.");
}

static void test_gregorian_dates(t2i_tally *t)
{
    /* Years 1700..1849: multiples of 4 are 1700, 1704, ..., 1848, that is
     * (1848 - 1700) / 4 + 1 = 38; 1700 and 1800 are not leap in Gregorian,
     * leaving 36 leap days: -(150 * 365 + 36) = -54786. Cross-check with
     * JDNs: 2396759 (1850-01-01) - 2341973 (1700-01-01) = 54786. */
    CHECK_NEAR(t, date_days(T2I_CAL_PROLEPTIC, 1700, 1, 1, 0.0), -54786.0,
               0.0, "1700-01-01 in proleptic Gregorian is -54786.");
    CHECK_NEAR(t, date_days(T2I_CAL_STANDARD, 1700, 1, 1, 0.0), -54786.0,
               0.0, "1700-01-01 in the standard calendar is -54786.");
    /* Julian: all 38 multiples of 4 are leap: -(54750 + 38). */
    CHECK_NEAR(t, date_days(T2I_CAL_JULIAN, 1700, 1, 1, 0.0), -54788.0, 0.0,
               "1700-01-01 in the Julian calendar is -54788.");
    /* JDN of Julian 0001-01-01 is 1721424, of Gregorian 1850-01-01 2396759. */
    CHECK_NEAR(t, date_days(T2I_CAL_STANDARD, 1, 1, 1, 0.0),
               1721424.0 - 2396759.0, 0.0,
               "0001-01-01 in the standard calendar counts Julian days before "
               "1582.");
    /* JDN of 1582-10-15 (first Gregorian day) is 2299161. */
    CHECK_NEAR(t, date_days(T2I_CAL_STANDARD, 1582, 10, 15, 0.0),
               2299161.0 - 2396759.0, 0.0,
               "1582-10-15 in the standard calendar is JDN 2299161.");
    /* 2000-01-01 is JDN 2451545; 1970-01-01 is JDN 2440588. */
    CHECK_NEAR(t, date_days(T2I_CAL_PROLEPTIC, 2000, 1, 1, 0.0), 54786.0, 0.0,
               "2000-01-01 in proleptic Gregorian is 2451545 - 2396759.");
    CHECK_NEAR(t, date_days(T2I_CAL_STANDARD, 1970, 1, 1, 0.0), 43829.0, 0.0,
               "1970-01-01 in the standard calendar is 2440588 - 2396759.");
    /* Proleptic Gregorian 0001-01-01 is JDN 1721426; year 0 is leap (366
     * days), so 0000-01-01 is JDN 1721060. */
    CHECK_NEAR(t, date_days(T2I_CAL_PROLEPTIC, 0, 1, 1, 0.0),
               1721060.0 - 2396759.0, 0.0,
               "Year 0 exists in proleptic Gregorian, 366 days before year 1.");
}

static void test_fixed_dates(t2i_tally *t)
{
    CHECK_NEAR(t, date_days(T2I_CAL_360, 1851, 2, 1, 0.0), 390.0, 0.0,
               "1851-02-01 in 360_day is 360 + 30 = 390.");
    CHECK_NEAR(t, date_days(T2I_CAL_NOLEAP, 1850, 3, 1, 0.0), 59.0, 0.0,
               "1850-03-01 in noleap is 31 + 28 = 59.");
    CHECK_NEAR(t, date_days(T2I_CAL_ALL_LEAP, 1850, 3, 1, 0.0), 60.0, 0.0,
               "1850-03-01 in all_leap is 31 + 29 = 60.");
    CHECK_NEAR(t, date_days(T2I_CAL_NOLEAP, 1850, 1, 2, 43200.0), 1.5, 0.0,
               "Seconds into the day add as a fraction of 86400.");
    CHECK(t, is_date(T2I_CAL_NOLEAP, -0.25, 1849, 12, 31, 64800.0),
          "Day -0.25 is 1849-12-31 18:00.");
    CHECK(t, is_date(T2I_CAL_JULIAN, 0.0, 1850, 1, 1, 0.0),
          "Day 0 of the Julian calendar is its own 1850-01-01.");
}

static void test_invalid_dates(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    CHECK_STR(t, date_error(T2I_CAL_STANDARD, 1582, 10, 10, err),
              "date '1582-10-10' does not exist in the 'standard' calendar",
              "The ten days dropped in October 1582 do not exist.");
    CHECK_STR(t, date_error(T2I_CAL_STANDARD, 0, 1, 1, err),
              "date '0000-01-01' does not exist in the 'standard' calendar",
              "Year 0 does not exist in the standard calendar.");
    CHECK_STR(t, date_error(T2I_CAL_JULIAN, 0, 6, 1, err),
              "date '0000-06-01' does not exist in the 'julian' calendar",
              "Year 0 does not exist in the Julian calendar.");
    CHECK_STR(t, date_error(T2I_CAL_PROLEPTIC, 1700, 2, 29, err),
              "date '1700-02-29' does not exist in the 'proleptic_gregorian' "
              "calendar",
              "1700-02-29 does not exist in proleptic Gregorian.");
    CHECK_NEAR(t, date_days(T2I_CAL_JULIAN, 1700, 2, 29, 0.0),
               -54788.0 + 31 + 28, 0.0,
               "1700-02-29 exists in the Julian calendar.");
    CHECK_STR(t, date_error(T2I_CAL_360, 1850, 1, 31, err),
              "date '1850-01-31' does not exist in the '360_day' calendar",
              "Day 31 does not exist in 360_day.");
    CHECK_NEAR(t, date_days(T2I_CAL_360, 1850, 2, 30, 0.0), 59.0, 0.0,
               "February 30 exists in 360_day (30 + 29).");
    CHECK_STR(t, date_error(T2I_CAL_NOLEAP, 1850, 13, 1, err),
              "date '1850-13-01' does not exist in the 'noleap' calendar",
              "Month 13 does not exist.");
}

static void test_round_trips(t2i_tally *t)
{
    /* 501 years 1600..2100: 126 multiples of 4, of which 1700, 1800, 1900,
     * 2100 are not Gregorian leap years: 501 * 365 + 122 = 182987. */
    CHECK(t, walk_years(T2I_CAL_PROLEPTIC, 1600, 2100) == 182987,
          "Proleptic 1600..2100 round-trips 182987 consecutive days.");
    CHECK(t, walk_years(T2I_CAL_STANDARD, 1600, 2100) == 182987,
          "Standard 1600..2100 round-trips 182987 consecutive days.");
    CHECK(t, walk_years(T2I_CAL_JULIAN, 1600, 2100) == 501 * 365 + 126,
          "Julian 1600..2100 round-trips 501 * 365 + 126 days.");
    CHECK(t, walk_years(T2I_CAL_NOLEAP, 1600, 2100) == 501 * 365,
          "Noleap 1600..2100 round-trips 501 * 365 days.");
    CHECK(t, walk_years(T2I_CAL_ALL_LEAP, 1600, 2100) == 501 * 366,
          "All_leap 1600..2100 round-trips 501 * 366 days.");
    CHECK(t, walk_years(T2I_CAL_360, 1600, 2100) == 501 * 360,
          "360_day 1600..2100 round-trips 501 * 360 days.");
    /* 1580 (Julian leap) 366 + 1581 365 + 1582 355 + 1583 365 + 1584
     * (Gregorian leap) 366 = 1817. */
    CHECK(t, walk_years(T2I_CAL_STANDARD, 1580, 1584) == 1817,
          "Standard 1580..1584 counts 1817 consecutive days across 1582.");
    /* No year 0: -3 (4 BC) 365, -2 365, -1 (1 BC, leap) 366, 1..3 365. */
    CHECK(t, walk_years(T2I_CAL_STANDARD, -3, 3) == 6 * 365 + 1,
          "Standard years -3..3 skip year 0 and make 1 BC leap.");
    CHECK(t, walk_years(T2I_CAL_JULIAN, -3, 3) == 6 * 365 + 1,
          "Julian years -3..3 skip year 0 and make 1 BC leap.");
    /* Years -3..3 including 0, of which only 0 is leap. */
    CHECK(t, walk_years(T2I_CAL_PROLEPTIC, -3, 3) == 7 * 365 + 1,
          "Proleptic years -3..3 include leap year 0.");
    CHECK(t, walk_years(T2I_CAL_NOLEAP, -3, 3) == 7 * 365,
          "Noleap years -3..3 include year 0.");
    CHECK(t, walk_years(T2I_CAL_360, -3, 3) == 7 * 360,
          "360_day years -3..3 include year 0.");
}

static void test_switch_1582(t2i_tally *t)
{
    double oct4 = date_days(T2I_CAL_STANDARD, 1582, 10, 4, 0.0);
    CHECK_NEAR(t, oct4, 2299160.0 - 2396759.0, 0.0,
               "1582-10-04 is the day before the first Gregorian day.");
    CHECK(t, is_date(T2I_CAL_STANDARD, oct4 + 1.0, 1582, 10, 15, 0.0),
          "1582-10-04 plus one day is 1582-10-15.");
    CHECK(t, is_date(T2I_CAL_STANDARD, oct4 + 0.5, 1582, 10, 4, 43200.0),
          "Noon of 1582-10-04 is still that day.");
    CHECK_NEAR(t, decode("hours since 1582-10-04", T2I_CAL_STANDARD, 24.0),
               2299161.0 - 2396759.0, DAY_TOL,
               "24 hours after 1582-10-04 decode to 1582-10-15.");
}

typedef struct {
    const char *text;
    t2i_time_kind kind;
    int year, month, day;
    double second;
} units_case;

static const units_case units_cases[] = {
    {"days since 1700-01-01 00:00:00", T2I_TU_DAYS, 1700, 1, 1, 0.0},
    {"days since 1700-01-01", T2I_TU_DAYS, 1700, 1, 1, 0.0},
    {"days since 1700-1-1", T2I_TU_DAYS, 1700, 1, 1, 0.0},
    {"days since 0001-01-01", T2I_TU_DAYS, 1, 1, 1, 0.0},
    {"days since 1699-12-31", T2I_TU_DAYS, 1699, 12, 31, 0.0},
    {"hours since 1701-01-16", T2I_TU_HOURS, 1701, 1, 16, 0.0},
    {"hours since 1700-01-01 00:00:00 (double)", T2I_TU_HOURS, 1700, 1, 1,
     0.0},
    {"days since 1860-01-01 00:00:00 (double)", T2I_TU_DAYS, 1860, 1, 1,
     0.0},
    {"seconds since 1970-01-01 00:00:00", T2I_TU_SECONDS, 1970, 1, 1, 0.0},
    {"minutes since 1850-01-01 06:30", T2I_TU_MINUTES, 1850, 1, 1, 23400.0},
    {"months since 1700-01-16", T2I_TU_MONTHS, 1700, 1, 16, 0.0},
    {"months since 1900-01-15 00:00:00", T2I_TU_MONTHS, 1900, 1, 15, 0.0},
    {"years since 1700-6-15 12:00:00", T2I_TU_YEARS, 1700, 6, 15, 43200.0},
    {"years since 0000-01-01", T2I_TU_YEARS, 0, 1, 1, 0.0},
    {"years since AD 1700-Jan-1st", T2I_TU_YEARS, 1700, 1, 1, 0.0},
    {"years since 1700-June-2nd", T2I_TU_YEARS, 1700, 6, 2, 0.0},
    {"days since 1850-01-01T06:00:00Z", T2I_TU_DAYS, 1850, 1, 1, 21600.0},
    {"days since 1850-01-01 00:00:00 +00:00", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"days since 1850-01-01 00:00:00Z", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"days since 1850-01-01 00:00:00 UTC", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"days since 1850-01-01 00:00 -0000", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"days since 1850-01-01 12:30:15.25", T2I_TU_DAYS, 1850, 1, 1, 45015.25},
    {"days since 1850-01-01 0:0:0", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"  days   since   1850-01-01  ", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"DAYS SINCE 1850-01-01", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"Days since 1850-01-01", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"day since 1850-01-01", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"d since 2003-01-01", T2I_TU_DAYS, 2003, 1, 1, 0.0},
    {"hour since 1850-01-01", T2I_TU_HOURS, 1850, 1, 1, 0.0},
    {"hr since 1850-01-01", T2I_TU_HOURS, 1850, 1, 1, 0.0},
    {"h since 1850-01-01", T2I_TU_HOURS, 1850, 1, 1, 0.0},
    {"second since 1850-01-01", T2I_TU_SECONDS, 1850, 1, 1, 0.0},
    {"sec since 1850-01-01", T2I_TU_SECONDS, 1850, 1, 1, 0.0},
    {"s since 1850-01-01", T2I_TU_SECONDS, 1850, 1, 1, 0.0},
    {"minute since 1850-01-01", T2I_TU_MINUTES, 1850, 1, 1, 0.0},
    {"min since 1850-01-01", T2I_TU_MINUTES, 1850, 1, 1, 0.0},
    {"month since 1850-01-01", T2I_TU_MONTHS, 1850, 1, 1, 0.0},
    {"Months since 1700-1-1", T2I_TU_MONTHS, 1700, 1, 1, 0.0},
    {"year since 1850-01-01", T2I_TU_YEARS, 1850, 1, 1, 0.0},
    {"yr since 1850-01-01", T2I_TU_YEARS, 1850, 1, 1, 0.0},
};

static void test_parse_units(t2i_tally *t)
{
    char desc[256], err[T2I_ERRLEN];
    t2i_time_units tu;
    size_t i;
    for (i = 0; i < sizeof units_cases / sizeof units_cases[0]; i++) {
        const units_case *c = &units_cases[i];
        int ok = time_parse_units(c->text, &tu, err, sizeof err) == T2I_OK &&
                 tu.kind == c->kind && tu.ref.year == c->year &&
                 tu.ref.month == c->month && tu.ref.day == c->day &&
                 fabs(tu.ref.second - c->second) < 1e-9;
        snprintf(desc, sizeof desc, "Units '%s' parse to their unit and "
                                    "reference date.", c->text);
        CHECK(t, ok, desc);
    }
    CHECK(t, time_parse_units("year as %Y.%f", &tu, err, sizeof err) == 0 &&
                 tu.kind == T2I_TU_DECIMAL_YEAR,
          "'year as %Y.%f' is a decimal year.");
    CHECK(t, time_parse_units("month as %Y%m.%f", &tu, err, sizeof err) ==
                     0 && tu.kind == T2I_TU_YYYYMM,
          "'month as %Y%m.%f' is a packed year and month.");
    CHECK(t, time_parse_units("day as %Y%m%d.%f", &tu, err, sizeof err) ==
                     0 && tu.kind == T2I_TU_YYYYMMDD,
          "'day as %Y%m%d.%f' is a packed date.");
}

static void test_parse_errors(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    CHECK_STR(t, units_error("yr", err),
              "time units 'yr' have no reference date: set 'time_units' in "
              "models/",
              "Bare 'yr' asks models/ for the reference date.");
    CHECK_STR(t, units_error("years", err),
              "time units 'years' have no reference date: set 'time_units' "
              "in models/",
              "Bare 'years' asks models/ for the reference date.");
    CHECK_STR(t, units_error("", err),
              "time units '' have no reference date: set 'time_units' in "
              "models/",
              "Empty units ask models/ for the reference date.");
    CHECK_STR(t, units_error(NULL, err),
              "time units '' have no reference date: set 'time_units' in "
              "models/",
              "Absent units ask models/ for the reference date.");
}

static void test_parse_garbage(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    CHECK_STR(t, units_error("days sinse 1700-01-01", err),
              "time units 'days sinse 1700-01-01' not understood",
              "A misspelt 'since' is refused with the string quoted.");
    CHECK_STR(t, units_error("days since 1700-13-01", err),
              "time units 'days since 1700-13-01' not understood",
              "Month 13 in the reference is refused.");
    CHECK_STR(t, units_error("days since 1700-01-32", err),
              "time units 'days since 1700-01-32' not understood",
              "Day 32 in the reference is refused.");
    CHECK_STR(t, units_error("days since banana", err),
              "time units 'days since banana' not understood",
              "A reference that is no date is refused.");
    CHECK_STR(t, units_error("fortnights since 1700-01-01", err),
              "time units 'fortnights since 1700-01-01' not understood",
              "An unknown unit word is refused.");
    CHECK_STR(t, units_error("days since 1700-01-01 25:00", err),
              "time units 'days since 1700-01-01 25:00' not understood",
              "Hour 25 in the reference is refused.");
    CHECK_STR(t, units_error("days since 1700-01-01 00:00:00 junk", err),
              "time units 'days since 1700-01-01 00:00:00 junk' not "
              "understood",
              "Trailing words after the reference are refused.");
    CHECK_STR(t, units_error("days since 1700-01-01 00:00:00 +05:00", err),
              "time zone of time units 'days since 1700-01-01 00:00:00 "
              "+05:00' is not utc",
              "A non-zero time zone is refused.");
    CHECK_STR(t, units_error("days since 1700-01-01 00:00 +0530", err),
              "time zone of time units 'days since 1700-01-01 00:00 +0530' "
              "is not utc",
              "A non-zero compact time zone is refused.");
    CHECK_STR(t, units_error("hours as %Y.%f", err),
              "time units 'hours as %Y.%f' not understood",
              "An 'as' format that does not match its unit is refused.");
    CHECK_STR(t, units_error("1700", err),
              "time units '1700' not understood",
              "A bare number is not a unit.");
}

static void test_decode_since(t2i_tally *t)
{
    double days = decode("days since 1700-01-01", T2I_CAL_NOLEAP, 15.5);
    CHECK_NEAR(t, days, -54750.0 + 15.5, DAY_TOL,
               "Noleap day 15.5 after 1700-01-01 is -54734.5.");
    CHECK(t, is_date(T2I_CAL_NOLEAP, days, 1700, 1, 16, 43200.0),
          "Noleap day 15.5 after 1700-01-01 is 1700-01-16 12:00.");
    /* Noleap 1701-01-16 = -149 * 365 + 15 = -54370; + 372 h = 15.5 days. */
    days = decode("hours since 1701-01-16", T2I_CAL_NOLEAP, 372.0);
    CHECK_NEAR(t, days, -54354.5, DAY_TOL,
               "372 hours after noleap 1701-01-16 are day -54354.5.");
    CHECK(t, is_date(T2I_CAL_NOLEAP, days, 1701, 1, 31, 43200.0),
          "372 hours after 1701-01-16 are 1701-01-31 12:00.");
    /* Standard 1701..1849: 37 multiples of 4 minus 1800 = 36 leap days. */
    CHECK_NEAR(t, decode("hours since 1701-01-16", T2I_CAL_STANDARD, 0.0),
               -(149.0 * 365 + 36) + 15, DAY_TOL,
               "Standard 1701-01-16 is -(149 * 365 + 36) + 15.");
    CHECK_NEAR(t,
               decode("seconds since 1970-01-01 00:00:00", T2I_CAL_PROLEPTIC,
                      86400.0),
               43830.0, DAY_TOL,
               "86400 seconds after 1970-01-01 is day 43829 + 1.");
    /* 06:30 plus 90 minutes is 08:00, a third of a day. */
    CHECK_NEAR(t,
               decode("minutes since 1850-01-01 06:30", T2I_CAL_NOLEAP, 90.0),
               1.0 / 3.0, DAY_TOL, "Minutes add to the reference time.");
    CHECK_NEAR(t,
               decode("days since 1850-01-01 00:00:00 (double)",
                      T2I_CAL_STANDARD, -1.0),
               -1.0, DAY_TOL, "Negative days decode before the epoch.");
    /* JDN 2396759 (Gregorian 1850-01-01) - 1721424 (Julian 0001-01-01). */
    CHECK_NEAR(t, decode("days since 0001-01-01", T2I_CAL_STANDARD, 675335.0),
               0.0, DAY_TOL,
               "Days since standard 0001-01-01 count Julian days until 1582.");
    CHECK_NEAR(t,
               decode("days since 0000-01-01", T2I_CAL_PROLEPTIC, 366.0),
               1721426.0 - 2396759.0, DAY_TOL,
               "366 days after proleptic 0000-01-01 is JDN 1721426 (year 1).");
}

static void test_decode_calendar_counts(t2i_tally *t)
{
    CHECK_NEAR(t, decode("months since 1700-01-16", T2I_CAL_NOLEAP, 12.0),
               -54370.0, DAY_TOL,
               "12 months after 1700-01-16 is 1701-01-16 (-149*365 + 15).");
    CHECK_NEAR(t,
               decode("months since 1700-01-16", T2I_CAL_NOLEAP,
                      12.0 - 1e-10),
               -54370.0, 1e-6,
               "Float noise just below 12 months still means 12 months.");
    CHECK_NEAR(t, decode("months since 1700-01-31", T2I_CAL_NOLEAP, 1.0),
               -54750.0 + 31 + 27, DAY_TOL,
               "One month after 1700-01-31 clamps to 1700-02-28.");
    CHECK_NEAR(t, decode("months since 1700-1-1", T2I_CAL_NOLEAP, 0.5),
               -54750.0 + 15.5, DAY_TOL,
               "Half a month from 1700-01-01 is half of January's 31 days.");
    /* 360_day: 1700-02-16 = -54000 + 30 + 15; half of a 30-day month. */
    CHECK_NEAR(t, decode("months since 1700-01-16", T2I_CAL_360, 1.5),
               -53940.0, DAY_TOL,
               "1.5 months after 360_day 1700-01-16 is -53955 + 15.");
    CHECK_NEAR(t, decode("months since 1582-09-10", T2I_CAL_STANDARD, 1.0),
               2299161.0 - 2396759.0, DAY_TOL,
               "A month after 1582-09-10 lands on 1582-10-15, the next real "
               "day.");
}

static void test_decode_years(t2i_tally *t)
{
    /* Noleap 1901-01-01 = 51 * 365 = 18615. */
    CHECK_NEAR(t, decode("years since 0000-01-01", T2I_CAL_NOLEAP, 1901.0),
               18615.0, DAY_TOL,
               "Value 1901 in years since 0000-01-01 is noleap 1901-01-01.");
    /* Standard: 1850..1900 has 12 leap days (1852..1896, not 1900). */
    CHECK_NEAR(t,
               decode("years since 0000-01-01", T2I_CAL_STANDARD, 1901.0),
               51.0 * 365 + 12, DAY_TOL,
               "Years since year 0 count calendar years even in standard.");
    /* 1701-06-15 12:00 noleap = -54385 + 151 + 14 + 0.5; + 0.5 * 365. */
    CHECK_NEAR(t,
               decode("years since 1700-6-15 12:00:00", T2I_CAL_NOLEAP, 1.5),
               -54037.0, DAY_TOL,
               "1.5 years after 1700-06-15 12:00 spreads half of 365 days.");
    /* Proleptic 2001-01-01: 151 * 365 + 37 = 55152; Feb 28 is + 31 + 27. */
    CHECK_NEAR(t, decode("years since 2000-02-29", T2I_CAL_PROLEPTIC, 1.0),
               55210.0, DAY_TOL,
               "A year after 2000-02-29 clamps to 2001-02-28.");
    CHECK_NEAR(t,
               decode("years since AD 1700-Jan-1st", T2I_CAL_NOLEAP, 150.0),
               0.0, DAY_TOL, "VISIT's 150 years since AD 1700 is 1850.");
}

static void test_decode_packed(t2i_tally *t)
{
    double days = decode("year as %Y.%f", T2I_CAL_NOLEAP, 1901.0417);
    CHECK_NEAR(t, days, 18615.0 + 0.0417 * 365, 1e-6,
               "Decimal year 1901.0417 is 1901-01-01 + 0.0417 * 365 days.");
    CHECK(t, is_date(T2I_CAL_NOLEAP, days, 1901, 1, 16, 0.2205 * 86400),
          "Decimal year 1901.0417 falls in mid-January 1901.");
    CHECK_NEAR(t, decode("month as %Y%m.%f", T2I_CAL_NOLEAP, 190101.5),
               18615.0 + 15.5, DAY_TOL,
               "190101.5 is the middle of January 1901.");
    days = decode("day as %Y%m%d.%f", T2I_CAL_NOLEAP, 19010116.5);
    CHECK_NEAR(t, days, 18615.0 + 15.5, DAY_TOL,
               "19010116.5 is noleap day 18615 + 15.5.");
    CHECK(t, is_date(T2I_CAL_NOLEAP, days, 1901, 1, 16, 43200.0),
          "19010116.5 is 1901-01-16 12:00.");
}

static void test_decode_errors(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    CHECK_STR(t, decode_error("days since 0000-01-01", T2I_CAL_STANDARD, 5.0,
                              err),
              "date '0000-01-01' does not exist in the 'standard' calendar",
              "Days since year 0 are refused in the standard calendar.");
    CHECK_STR(t, decode_error("hours since 0000-01-01", T2I_CAL_JULIAN, 5.0,
                              err),
              "date '0000-01-01' does not exist in the 'julian' calendar",
              "Hours since year 0 are refused in the Julian calendar.");
    CHECK_STR(t, decode_error("days since 1850-01-31", T2I_CAL_360, 0.0, err),
              "date '1850-01-31' does not exist in the '360_day' calendar",
              "A reference on day 31 is refused in 360_day.");
    CHECK_STR(t, decode_error("days since 1850-01-01", T2I_CAL_NOLEAP,
                              INFINITY, err),
              "time value 'inf' is not finite",
              "An infinite time value is refused.");
    CHECK_STR(t, decode_error("days since 1850-01-01", T2I_CAL_NOLEAP, 1e9,
                              err),
              "time value '1000000000' gives an absurd offset: more than "
              "100000 years from 1850",
              "A billion days is an absurd offset.");
    CHECK_STR(t, decode_error("months since 1850-01-01", T2I_CAL_NOLEAP,
                              1e30, err),
              "time value '1e+30' gives an absurd offset: more than 100000 "
              "years from 1850",
              "A huge month count is refused before it can overflow.");
    CHECK_STR(t, decode_error("month as %Y%m.%f", T2I_CAL_NOLEAP, 190113.0,
                              err),
              "time value '190113' is not a valid 'month as %Y%m.%f' date",
              "Month 13 of a packed year-month is refused.");
    CHECK_STR(t, decode_error("day as %Y%m%d.%f", T2I_CAL_NOLEAP, 19010230.0,
                              err),
              "time value '19010230' is not a valid 'day as %Y%m%d.%f' date "
              "in the 'noleap' calendar",
              "February 30 of a packed date is refused in noleap.");
}

/* Noleap month starts of 1850 (days): cumulative 31, 28, 31, 30, ... */
static const double noleap_starts[13] = {0,   31,  59,  90,  120, 151, 181,
                                         212, 243, 273, 304, 334, 365};

static int axis_months(const t2i_time_axis *a, int year, int first_month)
{
    size_t i;
    for (i = 0; i < a->n; i++)
        if (a->year[i] != year || a->month[i] != first_month + (int)i)
            return 0;
    return 1;
}

static int plan(const double *days, const double *bnds, size_t n,
                t2i_calendar cal, t2i_stamp stamp, t2i_freq forced,
                t2i_time_axis *axis)
{
    return time_plan_axis(days, bnds, n, cal, stamp, forced, axis, NULL, 0) ==
           T2I_OK;
}

static void test_plan_stamp_positions(t2i_tally *t)
{
    static const double starts[] = {0, 31, 59};
    static const double middles[] = {15.5, 45, 74.5};
    static const double last_days[] = {30, 58, 89};
    t2i_time_axis a;
    int ok = plan(starts, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_START,
                  T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && a.freq == T2I_FREQ_MONTH && axis_months(&a, 1850, 1) &&
                 a.on_boundary == 3 && !a.from_bounds,
          "Month-start stamps read as start open January to March.");
    CHECK(t, ok && a.bnds[0] == 0 && a.bnds[1] == 31 && a.bnds[2] == 31 &&
                 a.bnds[3] == 59 && a.bnds[4] == 59 && a.bnds[5] == 90,
          "January to March bounds are [0,31], [31,59], [59,90].");
    CHECK(t, ok && a.mid[0] == 15.5 && a.mid[1] == 45 && a.mid[2] == 74.5,
          "Output stamps are the midpoints of the bounds.");
    time_axis_free(&a);
    ok = plan(middles, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && axis_months(&a, 1850, 1) && a.on_boundary == 0,
          "Mid-month stamps mean their own months, none on a boundary.");
    time_axis_free(&a);
    ok = plan(last_days, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && axis_months(&a, 1850, 1) && a.on_boundary == 0,
          "Last-day stamps mean their own months.");
    time_axis_free(&a);
}

static void test_plan_boundary_stamps(t2i_tally *t)
{
    static const double ends[] = {31, 59, 90};
    static const double noisy_ends[] = {30.99, 58.999, 89.98};
    static const double noisy_starts[] = {0.01, 31.02, 59.03};
    t2i_time_axis a;
    int ok;
    ok = plan(ends, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_END, T2I_FREQ_UNKNOWN,
              &a);
    CHECK(t, ok && axis_months(&a, 1850, 1) && a.on_boundary == 3,
          "00:00 of the next month read as end closes January to March.");
    time_axis_free(&a);
    ok = plan(ends, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && axis_months(&a, 1850, 2) && a.on_boundary == 3,
          "The same stamps read as start open February to April.");
    time_axis_free(&a);
    ok = plan(noisy_ends, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && axis_months(&a, 1850, 2) && a.on_boundary == 3,
          "Stamps a little before a boundary count as on it.");
    time_axis_free(&a);
    ok = plan(noisy_starts, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_END,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && a.year[0] == 1849 && a.month[0] == 12 &&
                 a.year[2] == 1850 && a.month[2] == 2 && a.on_boundary == 3,
          "Stamps a little after a boundary read as end close the month "
          "before.");
    time_axis_free(&a);
}

static int contiguous(const t2i_time_axis *a)
{
    size_t i;
    for (i = 1; i < a->n; i++)
        if (a->bnds[2 * i] != a->bnds[2 * i - 1])
            return 0;
    return 1;
}

static void test_plan_lengths(t2i_tally *t)
{
    static const int lengths[12] = {31, 28, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
    double stamps[12];
    t2i_time_axis a;
    int ok, good = 1;
    size_t i;
    for (i = 0; i < 12; i++)
        stamps[i] = noleap_starts[i] + 14.0;
    ok = plan(stamps, NULL, 12, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    for (i = 0; ok && i < 12; i++)
        good = good && a.bnds[2 * i + 1] - a.bnds[2 * i] == lengths[i];
    CHECK(t, ok && good && contiguous(&a) && a.bnds[23] == 365.0,
          "Noleap months are 31, 28, 31, ... days, contiguous, ending at 365.");
    time_axis_free(&a);
    for (i = 0; i < 12; i++)
        stamps[i] = 30.0 * (double)i + 15.0;
    ok = plan(stamps, NULL, 12, T2I_CAL_360, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    for (i = 0, good = 1; ok && i < 12; i++)
        good = good && a.bnds[2 * i + 1] - a.bnds[2 * i] == 30.0;
    CHECK(t, ok && good && contiguous(&a) && a.bnds[23] == 360.0,
          "360_day months are all 30 days, contiguous, ending at 360.");
    time_axis_free(&a);
    /* Proleptic 2000-01-01 = 54786; Jan 31, Feb 29 (leap 2000), Mar 31. */
    stamps[0] = 54786 + 15;
    stamps[1] = 54817 + 14;
    stamps[2] = 54846 + 15;
    ok = plan(stamps, NULL, 3, T2I_CAL_PROLEPTIC, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && axis_months(&a, 2000, 1) && a.bnds[2] == 54817.0 &&
                 a.bnds[3] == 54846.0 && contiguous(&a),
          "February 2000 has bounds [54817, 54846], 29 days, in proleptic.");
    time_axis_free(&a);
}

static void test_plan_october_1582(t2i_tally *t)
{
    /* Standard: 1582-10-15 = 2299161 - 2396759 = -97598, so Oct 4 = -97599,
     * Oct 1 = -97602, Sep 1 = -97632 (30 days), Nov 1 = -97598 + 17 =
     * -97581 and Dec 1 = -97551. Stamps: Sep 16, Oct 2 and Nov 16. */
    static const double stamps[] = {-97617, -97600, -97566};
    t2i_time_axis a;
    int ok = plan(stamps, NULL, 3, T2I_CAL_STANDARD, T2I_STAMP_START,
                  T2I_FREQ_MONTH, &a);
    CHECK(t, ok && axis_months(&a, 1582, 9) && a.bnds[0] == -97632.0 &&
                 a.bnds[2] == -97602.0 && a.bnds[3] == -97581.0 &&
                 a.bnds[5] == -97551.0 && contiguous(&a),
          "October 1582 of the standard calendar is a 21-day period.");
    time_axis_free(&a);
}

static void test_plan_annual(t2i_tally *t)
{
    static const double mid_years[] = {182.5, 547.5, 912.5};
    /* Standard 1900-01-01 = 50 * 365 + 12 = 18262; 1901: 18627; 1902:
     * 18992 (neither 1900 nor 1901 is leap). */
    static const double std_years[] = {18444.5, 18809.5};
    t2i_time_axis a;
    int ok = plan(mid_years, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_START,
                  T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && a.freq == T2I_FREQ_YEAR && a.year[0] == 1850 &&
                 a.year[2] == 1852 && a.month[0] == 0 && a.bnds[0] == 0 &&
                 a.bnds[1] == 365 && a.bnds[5] == 1095,
          "Annual noleap stamps give years 1850..1852 of 365 days.");
    time_axis_free(&a);
    ok = plan(std_years, NULL, 2, T2I_CAL_STANDARD, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && a.year[0] == 1900 && a.bnds[0] == 18262.0 &&
                 a.bnds[1] == 18627.0 && a.bnds[3] == 18992.0,
          "Standard years 1900 and 1901 have bounds 18262, 18627, 18992.");
    time_axis_free(&a);
}

static void test_plan_bounds_and_forced(t2i_tally *t)
{
    static const double starts[] = {0, 31};
    static const double bnds[] = {0, 31, 31, 59};
    static const double year_bnds[] = {0, 365};
    static const double one[] = {182.5};
    t2i_time_axis a;
    int ok;
    ok = plan(starts, bnds, 2, T2I_CAL_NOLEAP, T2I_STAMP_END,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && axis_months(&a, 1850, 1) && a.from_bounds &&
                 a.on_boundary == 0,
          "Input bounds decide the month over the stamp mode.");
    time_axis_free(&a);
    ok = plan(one, year_bnds, 1, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && a.freq == T2I_FREQ_YEAR && a.year[0] == 1850,
          "One step with 365-day bounds is annual.");
    time_axis_free(&a);
    ok = plan(one, bnds, 1, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && a.freq == T2I_FREQ_MONTH && axis_months(&a, 1850, 1),
          "One step with 31-day bounds is monthly.");
    time_axis_free(&a);
    ok = plan(one, NULL, 1, T2I_CAL_NOLEAP, T2I_STAMP_START, T2I_FREQ_MONTH,
              &a);
    CHECK(t, ok && a.n == 1 && axis_months(&a, 1850, 7),
          "A forced monthly frequency plans a single stamp (July 2).");
    time_axis_free(&a);
    time_axis_free(&a);
    CHECK(t, a.mid == NULL && a.n == 0, "Freeing an axis twice is safe.");
}

static void test_plan_order_errors(t2i_tally *t)
{
    static const double dup[] = {15.5, 45, 45, 74.5, 105.5};
    static const double back[] = {15.5, 45, 74.5, 45, 105.5, 135.5};
    static const double twice[] = {15.5, 45, 74.5, 80, 105.5, 135.5};
    static const double gap[] = {15.5, 45, 105.5, 135.5};
    char err[T2I_ERRLEN];
    CHECK_STR(t, plan_error(dup, NULL, 5, T2I_FREQ_UNKNOWN, err),
              "time step 2 (1850-02-15) duplicates step 1",
              "A duplicated stamp is refused with both indices.");
    CHECK_STR(t, plan_error(back, NULL, 6, T2I_FREQ_UNKNOWN, err),
              "time steps are not increasing at step 3 (1850-02-15 after "
              "1850-03-16)",
              "A decreasing stamp is refused with both dates.");
    static const double short_back[] = {74.5, 45, 15.5};
    CHECK_STR(t, plan_error(short_back, NULL, 3, T2I_FREQ_UNKNOWN, err),
              "time steps are not increasing at step 1 (1850-02-15 after "
              "1850-03-16)",
              "A short axis running backwards is named as such, not as an odd spacing.");
    CHECK_STR(t, plan_error(twice, NULL, 6, T2I_FREQ_UNKNOWN, err),
              "time step 3 (1850-03) repeats the month of step 2",
              "Two stamps in one month are refused.");
    CHECK_STR(t, plan_error(gap, NULL, 4, T2I_FREQ_UNKNOWN, err),
              "time axis has a gap between step 1 (1850-02) and step 2 "
              "(1850-04)",
              "A missing month is refused as a gap.");
}

static void test_plan_frequency_errors(t2i_tally *t)
{
    static const double daily[] = {0.5, 10.5, 20.5};
    static const double years[] = {182.5, 200};
    static const double year_gap[] = {182.5, 912.5};
    static const double short_bnds[] = {0, 10, 10, 20};
    const double nan_stamp[] = {15.5, NAN};
    char err[T2I_ERRLEN];
    CHECK_STR(t, plan_error(daily, NULL, 3, T2I_FREQ_UNKNOWN, err),
              "time spacing of 10 days is neither monthly nor annual",
              "A 10-day spacing is neither monthly nor annual.");
    CHECK_STR(t, plan_error(years, NULL, 1, T2I_FREQ_UNKNOWN, err),
              "a single time step without bounds shows no frequency: set "
              "'frequency' in models/",
              "One bare stamp asks models/ for the frequency.");
    CHECK_STR(t, plan_error(years, NULL, 2, T2I_FREQ_YEAR, err),
              "time step 1 (1850) repeats the year of step 0",
              "Two stamps in one year are refused.");
    CHECK_STR(t, plan_error(year_gap, NULL, 2, T2I_FREQ_YEAR, err),
              "time axis has a gap between step 0 (1850) and step 1 (1852)",
              "A missing year is refused as a gap.");
    CHECK_STR(t, plan_error(daily, short_bnds, 2, T2I_FREQ_UNKNOWN, err),
              "time bounds of 10 days are neither monthly nor annual",
              "10-day input bounds are neither monthly nor annual.");
    CHECK_STR(t, plan_error(daily, NULL, 0, T2I_FREQ_UNKNOWN, err),
              "time axis is empty", "An empty time axis is refused.");
    CHECK_STR(t, plan_error(nan_stamp, NULL, 2, T2I_FREQ_MONTH, err),
              "time step 1 is not a finite number",
              "A NaN stamp is refused with its index.");
}

/* Section 9: a reference read from the values when the units give none. */
static void test_units_from_values(t2i_tally *t)
{
    t2i_time_units tu;
    char note[256], err[T2I_ERRLEN];
    double years[] = {1700, 1701, 1702};
    CHECK(t, time_units_from_values("yr", years, NULL, 3, &tu, note, sizeof note, err,
                                    sizeof err) == T2I_OK && tu.kind == T2I_TU_DECIMAL_YEAR,
          "'yr' with values 1700-1702 are calendar year numbers");
    double fates[] = {1701.0, 1701.0833f, 1701.1667f}, bnds[] = {1701.0, 1701.0833f,
                                                                 1701.0833f, 1701.1667f,
                                                                 1701.1667f, 1701.25};
    CHECK(t, time_units_from_values("", fates, bnds, 3, &tu, note, sizeof note, err,
                                    sizeof err) == T2I_OK && tu.kind == T2I_TU_MONTHS &&
                 tu.ref.year == 1701 && tu.ref.month == 1 && fates[1] == 1.0 &&
                 fates[2] == 2.0 && bnds[5] == 3.0,
          "no units, 1/12 steps: whole months since January 1701, bounds too");
    double annual[] = {1850.5, 1851.5};
    CHECK(t, time_units_from_values("", annual, NULL, 2, &tu, note, sizeof note, err,
                                    sizeof err) == T2I_OK && tu.kind == T2I_TU_DECIMAL_YEAR,
          "no units, one-year steps: decimal years");
    double counts[] = {0, 1, 2};
    CHECK(t, time_units_from_values("yr", counts, NULL, 3, &tu, note, sizeof note, err,
                                    sizeof err) == T2I_EINPUT && strstr(err, "time_units"),
          "'yr' with values 0, 1, 2 (outside 1500-2500) still needs models/ time_units");
    double uneven[] = {1701, 1701.5, 1703};
    CHECK(t, time_units_from_values("", uneven, NULL, 3, &tu, note, sizeof note, err,
                                    sizeof err) == T2I_EINPUT && strstr(err, "time_units"),
          "no units, steps neither a year nor a month: refused naming time_units");
    double one[] = {1701};
    CHECK(t, time_units_from_values("", one, NULL, 1, &tu, note, sizeof note, err,
                                    sizeof err) == T2I_EINPUT,
          "no units, one value: no step to tell year numbers from a count");
}

int main(void)
{
    t2i_tally t = {0, 0};
    test_calendar_names(&t);
    test_calendar_output_names(&t);
    test_leap_years(&t);
    test_month_lengths(&t);
    test_known_dates(&t);
    test_gregorian_dates(&t);
    test_fixed_dates(&t);
    test_invalid_dates(&t);
    test_round_trips(&t);
    test_switch_1582(&t);
    test_parse_units(&t);
    test_parse_errors(&t);
    test_parse_garbage(&t);
    test_units_from_values(&t);
    test_decode_since(&t);
    test_decode_calendar_counts(&t);
    test_decode_years(&t);
    test_decode_packed(&t);
    test_decode_errors(&t);
    test_plan_stamp_positions(&t);
    test_plan_boundary_stamps(&t);
    test_plan_lengths(&t);
    test_plan_october_1582(&t);
    test_plan_annual(&t);
    test_plan_bounds_and_forced(&t);
    test_plan_order_errors(&t);
    test_plan_frequency_errors(&t);
    return CHECK_SUMMARY(&t);
}
