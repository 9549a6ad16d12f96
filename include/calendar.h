/* Calendar arithmetic for the six CF calendars: month and year lengths,
 * which dates exist, and exact day numbers counted from the output epoch
 * 1850-01-01 00:00:00 (in the calendar's own days). The time_ prefix is
 * kept from before this was split out of the time decoding (timeaxis.h). */
#ifndef T2I_CALENDAR_H
#define T2I_CALENDAR_H

#include <stddef.h>

typedef enum {
    T2I_CAL_STANDARD,  /* mixed: Julian before 1582-10-15, Gregorian after */
    T2I_CAL_PROLEPTIC, /* proleptic_gregorian */
    T2I_CAL_NOLEAP,    /* noleap, 365_day */
    T2I_CAL_ALL_LEAP,  /* all_leap, 366_day */
    T2I_CAL_360,       /* 360_day */
    T2I_CAL_JULIAN     /* julian */
} t2i_calendar;

typedef struct {
    int year;      /* may be 0 or negative where the calendar allows it */
    int month;     /* 1..12 */
    int day;       /* 1..31 */
    double second; /* seconds into the day, [0, 86400) */
} t2i_date;

/* Parses a CF calendar name, any letter case. NULL or "" mean standard.
 * Fills err for an unknown calendar. */
int time_parse_calendar(const char *text, t2i_calendar *cal, char *err,
                        size_t errlen);

/* The CF name written to output files: "standard", "proleptic_gregorian",
 * "noleap", "all_leap", "360_day" or "julian". */
const char *time_calendar_name(t2i_calendar cal);

/* Days in a month / year of the calendar (October 1582 has 21 days in the
 * standard calendar). */
int time_days_in_month(t2i_calendar cal, int year, int month);
int time_days_in_year(t2i_calendar cal, int year);

/* Converts a date to days since 1850-01-01 00:00:00 of the same calendar.
 * Fills err for dates that do not exist there (year 0 in standard/julian,
 * 1582-10-05..14 in standard, day 31 of a 360_day month, ...). */
int time_date_to_days(t2i_calendar cal, t2i_date date, double *days,
                      char *err, size_t errlen);

/* The inverse: the date at `days` since 1850-01-01 00:00:00. */
int time_days_to_date(t2i_calendar cal, double days, t2i_date *date,
                      char *err, size_t errlen);

/* Highest day number of a month (31 for the 21-day October 1582 of the
 * standard calendar), and whether that month is October 1582 there. */
int time_last_day(t2i_calendar cal, int y, int m);
int time_is_switch_month(t2i_calendar cal, int y, int m);

/* Whether y-m-d is a date of the calendar (no year 0 in standard and
 * julian, no 1582-10-05..14 in standard). */
int time_date_exists(t2i_calendar cal, int y, int m, int d);

/* Beyond this many years from 1850 a decoded time is a units mistake. */
#define T2I_MAX_YEARS_FROM_1850 100000.0

/* Whether `days` since 1850 lies beyond T2I_MAX_YEARS_FROM_1850. */
int time_beyond_limit(t2i_calendar cal, double days);

/* Integer division rounding towards minus infinity. */
static inline long long t2i_floor_div(long long a, long long b)
{
    long long q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

#endif
