/* The checker's calendar (see verify_calendar.h).
 * Shares no code with the converter (see verify.h). */
#include "verify_calendar.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "verify.h"

int verify_calendar(const char *name, verify_cal *cal)
{
    static const struct {
        const char *name;
        verify_cal cal;
    } names[] = {
        {"standard", VERIFY_CAL_MIXED},   {"gregorian", VERIFY_CAL_MIXED},
        {"proleptic_gregorian", VERIFY_CAL_PROLEPTIC}, {"julian", VERIFY_CAL_JULIAN},
        {"noleap", VERIFY_CAL_365},       {"365_day", VERIFY_CAL_365},
        {"all_leap", VERIFY_CAL_366},     {"366_day", VERIFY_CAL_366},
        {"360_day", VERIFY_CAL_360},
    };
    if (!name || !name[0]) {
        *cal = VERIFY_CAL_MIXED;
        return 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0) {
            *cal = names[i].cal;
            return 0;
        }
    return -1;
}

/* February decides every leap question; the rule depends on the calendar
 * (and, in the mixed calendar, on the year). */
static int february_days(verify_cal cal, long year)
{
    int julian_leap = year % 4 == 0;
    int gregorian_leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    switch (cal) {
    case VERIFY_CAL_365: return 28;
    case VERIFY_CAL_366: return 29;
    case VERIFY_CAL_360: return 30;
    case VERIFY_CAL_JULIAN: return julian_leap ? 29 : 28;
    case VERIFY_CAL_PROLEPTIC: return gregorian_leap ? 29 : 28;
    case VERIFY_CAL_MIXED: break;
    }
    return (year < 1582 ? julian_leap : gregorian_leap) ? 29 : 28;
}

int verify_month_days(verify_cal cal, long year, int month)
{
    if (cal == VERIFY_CAL_360)
        return 30;
    if (month == 2)
        return february_days(cal, year);
    /* The mixed calendar skips 5..14 October 1582. */
    if (cal == VERIFY_CAL_MIXED && year == 1582 && month == 10)
        return 21;
    /* 30 days hath September, April, June and November. */
    return (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
}

int verify_year_days(verify_cal cal, long year)
{
    int days = 0;
    for (int m = 1; m <= 12; m++)
        days += verify_month_days(cal, year, m);
    return days;
}

void verify_next_month(long *y, int *m)
{
    if (++*m > 12) {
        *m = 1;
        ++*y;
    }
}

void verify_prev_month(long *y, int *m)
{
    if (--*m < 1) {
        *m = 12;
        --*y;
    }
}

double verify_months_apart_days(verify_cal cal, long y0, int m0, long y1, int m1)
{
    double days = 0;
    long y = y0;
    int m = m0;
    while (y < y1 || (y == y1 && m < m1)) {
        days += verify_month_days(cal, y, m);
        verify_next_month(&y, &m);
    }
    while (y > y1 || (y == y1 && m > m1)) {
        verify_prev_month(&y, &m);
        days -= verify_month_days(cal, y, m);
    }
    return days;
}

int verify_parse_date(const char *text, verify_date *d)
{
    long y;
    int mo, da, h = 0, mi = 0, used = 0;
    double s = 0;
    while (isspace((unsigned char)*text))
        text++;
    if (sscanf(text, "%ld-%d-%d%n", &y, &mo, &da, &used) != 3)
        return -1;
    const char *rest = text + used;
    if (*rest == 'T' || *rest == ' ') {
        int more = 0;
        if (sscanf(rest + 1, "%d:%d%n", &h, &mi, &more) == 2) {
            rest += 1 + more;
            if (*rest == ':' && sscanf(rest + 1, "%lf%n", &s, &more) == 1)
                rest += 1 + more;
        }
    }
    while (*rest == 'Z' || isspace((unsigned char)*rest))
        rest++;
    if (*rest || mo < 1 || mo > 12 || da < 1 || da > 31 || h < 0 || h > 24 || mi < 0 || mi > 59)
        return -1;
    d->year = y;
    d->month = mo;
    d->day = da;
    d->day_fraction = (h * 3600.0 + mi * 60.0 + s) / VERIFY_SECONDS_PER_DAY;
    return 0;
}
