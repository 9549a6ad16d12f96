/* The checker's own calendar: CF calendar names, month and year lengths,
 * dates, counted month by month (independent of the converter's calendar). */
#ifndef T2I_VERIFY_CALENDAR_H
#define T2I_VERIFY_CALENDAR_H


typedef enum {
    VERIFY_CAL_MIXED,     /* standard, gregorian: Julian before 1582-10-15 */
    VERIFY_CAL_PROLEPTIC, /* proleptic_gregorian */
    VERIFY_CAL_JULIAN,
    VERIFY_CAL_365,       /* noleap, 365_day */
    VERIFY_CAL_366,       /* all_leap, 366_day */
    VERIFY_CAL_360        /* 360_day */
} verify_cal;

/* Parses a CF calendar name (any case; NULL or "" = standard). Returns 0,
 * or -1 for a name it does not know. */
int verify_calendar(const char *name, verify_cal *cal);

/* Days in month `month` (1..12) of `year` (October 1582 of the mixed
 * calendar has 21). */
int verify_month_days(verify_cal cal, long year, int month);

/* Days in `year`, the sum of its months. */
int verify_year_days(verify_cal cal, long year);

/* A calendar date with the time of day as a fraction of a day. */
typedef struct {
    long year;
    int month, day;
    double day_fraction;
} verify_date;

/* The month after / before (*y, *m). */
void verify_next_month(long *y, int *m);
void verify_prev_month(long *y, int *m);

/* Parses "Y-M-D", "Y-M-D h:m:s", "Y-M-DTh:m:sZ" (unpadded fields allowed).
 * Returns 0, or -1 when the text is not such a date. */
int verify_parse_date(const char *text, verify_date *d);

/* Days from the first instant of month (y0, m0) to the first instant of
 * month (y1, m1), counted month by month (negative when earlier). */
double verify_months_apart_days(verify_cal cal, long y0, int m0, long y1, int m1);

#endif
