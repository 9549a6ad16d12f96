/* The checker's time axis and stamps (see verify_time.h).
 * Shares no code with the converter (see verify.h). */
#include "verify_time.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Time problems reported before the axis is declared hopeless. */
#define VERIFY_MAX_TIME_PROBLEMS 5

/* Days from `ref` (an instant) to the first instant of month (y, m). */
static double month_start(verify_cal cal, const verify_date *ref, long y, int m)
{
    return verify_months_apart_days(cal, ref->year, ref->month, y, m) - (ref->day - 1) -
           ref->day_fraction;
}

/* The month whose first instant is `day` (days since ref): fills y, m and
 * returns 0, or -1 when `day` is not the first instant of any month. */
static int month_at(verify_cal cal, const verify_date *ref, double day, long *y, int *m)
{
    *y = ref->year;
    *m = ref->month;
    double start = month_start(cal, ref, *y, *m);
    while (start + verify_month_days(cal, *y, *m) <= day + VERIFY_DAY_TOL) {
        start += verify_month_days(cal, *y, *m);
        verify_next_month(y, m);
    }
    while (start > day + VERIFY_DAY_TOL) {
        verify_prev_month(y, m);
        start -= verify_month_days(cal, *y, *m);
    }
    return fabs(start - day) <= VERIFY_DAY_TOL ? 0 : -1;
}

void verify_steps_free(verify_steps *steps)
{
    free(steps->year);
    free(steps->month);
    steps->year = NULL;
    steps->month = NULL;
}

/* Whether the first step is a month or a year; -1 when neither. */
static int first_period(verify_cal cal, double length, long y, int m, verify_problems *p)
{
    int mdays = verify_month_days(cal, y, m), ydays = verify_year_days(cal, y);
    if (fabs(length - mdays) <= VERIFY_DAY_TOL)
        return 1;
    if (m == 1 && fabs(length - ydays) <= VERIFY_DAY_TOL)
        return 0;
    verify_problem(p, "time bounds of step 0 are %g days, neither %04ld-%02d (%d days) nor a "
                   "whole year", length, y, m, mdays);
    return -1;
}

/* Checks step i against the period (y, m) expected to start at `start`;
 * returns the number of problems found. */
static int check_step(verify_cal cal, int monthly, size_t i, const double *mid,
                      const double *bnds, double start, long y, int m, verify_problems *p)
{
    double lo = bnds[2 * i], hi = bnds[2 * i + 1];
    int want = monthly ? verify_month_days(cal, y, m) : verify_year_days(cal, y);
    int bad = 0;
    if (i > 0 && fabs(lo - bnds[2 * i - 1]) > VERIFY_DAY_TOL) {
        verify_problem(p, "time bounds of steps %zu and %zu are not contiguous (%g days apart)",
                       i - 1, i, lo - bnds[2 * i - 1]);
        bad++;
    } else if (fabs(lo - start) > VERIFY_DAY_TOL) {
        verify_problem(p, "time bounds of step %zu start %g days off the first of %04ld-%02d",
                       i, lo - start, y, m);
        bad++;
    }
    if (fabs(hi - lo - want) > VERIFY_DAY_TOL) {
        if (monthly)
            verify_problem(p, "time bounds of step %zu are %g days, %04ld-%02d has %d", i,
                           hi - lo, y, m, want);
        else
            verify_problem(p, "time bounds of step %zu are %g days, year %ld has %d", i,
                           hi - lo, y, want);
        bad++;
    }
    if (!(mid[i] >= lo && mid[i] < hi)) {
        verify_problem(p, "time of step %zu (%g) is outside its bounds [%g, %g)", i, mid[i], lo,
                       hi);
        bad++;
    }
    return bad;
}

int verify_time_axis(verify_cal cal, const verify_date *ref, const double *mid,
                     const double *bnds, size_t n, verify_steps *steps, verify_problems *p)
{
    steps->year = NULL;
    steps->month = NULL;
    if (n == 0)
        return 0;
    long y;
    int m;
    if (month_at(cal, ref, bnds[0], &y, &m) != 0) {
        verify_problem(p, "time bounds of step 0 start at day %g, not on the first of a month",
                       bnds[0]);
        return -1;
    }
    int monthly = first_period(cal, bnds[1] - bnds[0], y, m, p);
    if (monthly < 0)
        return -1;
    steps->monthly = monthly;
    steps->year = malloc(n * sizeof *steps->year);
    steps->month = malloc(n * sizeof *steps->month);
    if (!steps->year || !steps->month) {
        verify_steps_free(steps);
        verify_problem(p, "out of memory for %zu time steps", n);
        return -1;
    }
    double start = bnds[0];
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (bad < VERIFY_MAX_TIME_PROBLEMS)
            bad += check_step(cal, monthly, i, mid, bnds, start, y, m, p);
        steps->year[i] = y;
        steps->month[i] = m;
        start += monthly ? verify_month_days(cal, y, m) : verify_year_days(cal, y);
        if (monthly)
            verify_next_month(&y, &m);
        else
            y++;
    }
    return 0;
}

/* Input stamps. */

/* Moves `pos` days from the first instant of (y, m) onto the month it
 * falls in; returns 1 when it lands on a month's first instant. Stamps
 * carry float noise (31.000001), hence the looser tolerance here. */
#define VERIFY_STAMP_TOL 1e-3
static int settle(verify_cal cal, double pos, long *y, int *m)
{
    while (pos < 0) {
        verify_prev_month(y, m);
        pos += verify_month_days(cal, *y, *m);
    }
    while (pos >= verify_month_days(cal, *y, *m) - VERIFY_STAMP_TOL) {
        pos -= verify_month_days(cal, *y, *m);
        verify_next_month(y, m);
        if (pos < 0)
            pos = 0;
    }
    return pos < VERIFY_STAMP_TOL;
}

/* The "as %Y..." encodings: the value spells the date itself. */
static int decode_spelled(verify_cal cal, const char *u, double v, long *y, int *m, int *b)
{
    double whole = floor(v + 1e-9), frac = v - whole;
    if (strncmp(u, "month as %y%m", 13) == 0) {
        *y = (long)floor(whole / 100);
        *m = (int)((long)whole % 100);
        return (*m < 1 || *m > 12) ? -1 : (*b = frac < 1e-6, 0);
    }
    if (strncmp(u, "day as %y%m%d", 13) == 0) {
        long ymd = (long)whole;
        *y = ymd / 10000;
        *m = (int)(ymd / 100 % 100);
        int d = (int)(ymd % 100);
        if (*m < 1 || *m > 12 || d < 1)
            return -1;
        *b = settle(cal, d - 1 + frac, y, m);
        return 0;
    }
    if (strncmp(u, "year as %y", 10) == 0) {
        *y = (long)whole;
        *m = 1;
        *b = settle(cal, frac * verify_year_days(cal, *y), y, m);
        return 0;
    }
    return -1;
}

/* Days per unit word of "<unit> since", 0 for calendar months, -1 for
 * calendar years, NAN when unknown. */
static double unit_days(const char *word)
{
    static const struct {
        const char *name;
        double days;
    } units[] = {
        {"days", 1}, {"day", 1}, {"d", 1}, {"hours", 1 / 24.0}, {"hour", 1 / 24.0},
        {"h", 1 / 24.0}, {"hr", 1 / 24.0}, {"minutes", 1 / 1440.0}, {"minute", 1 / 1440.0},
        {"min", 1 / 1440.0}, {"seconds", 1 / VERIFY_SECONDS_PER_DAY}, {"second", 1 / VERIFY_SECONDS_PER_DAY},
        {"s", 1 / VERIFY_SECONDS_PER_DAY}, {"sec", 1 / VERIFY_SECONDS_PER_DAY}, {"months", 0}, {"month", 0},
        {"years", -1}, {"year", -1}, {"yr", -1},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(word, units[i].name) == 0)
            return units[i].days;
    return NAN;
}

/* VISIT's reference "AD 1700-Jan-1st" (doc/quirks.md#T-10, seen). */
static int parse_visit_date(const char *text, verify_date *d)
{
    static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    char mon[4];
    int day, used = 0;
    if (sscanf(text, " ad %ld-%3[a-z]-%d%*[a-z]%n", &d->year, mon, &day, &used) != 3 ||
        text[used] != '\0' || strlen(mon) != 3)
        return -1;
    const char *at = strstr(months, mon);
    if (!at || (at - months) % 3 || day < 1 || day > 31)
        return -1;
    d->month = (int)((at - months) / 3) + 1;
    d->day = day;
    d->day_fraction = 0;
    return 0;
}

/* "<unit> since <date>": elapsed time from the reference, with months and
 * years counted as calendar months and years (not udunits' fixed ones). */
static int decode_since(verify_cal cal, const char *u, double v, long *y, int *m, int *b)
{
    char word[32];
    int used = 0;
    verify_date ref;
    if (sscanf(u, "%31s since %n", word, &used) != 1 || used == 0 ||
        (verify_parse_date(u + used, &ref) != 0 && parse_visit_date(u + used, &ref) != 0))
        return -1;
    double per = unit_days(word);
    if (isnan(per))
        return -1;
    double start = ref.day - 1 + ref.day_fraction;
    double whole = floor(v + 1e-9), frac = v - whole;
    *y = ref.year;
    *m = ref.month;
    if (per > 0) {
        *b = settle(cal, start + v * per, y, m);
    } else if (per == 0) {
        for (long k = 0; k < (long)fabs(whole); k++)
            (whole > 0 ? verify_next_month : verify_prev_month)(y, m);
        *b = settle(cal, start + frac * verify_month_days(cal, *y, *m), y, m);
    } else {
        *y += (long)whole;
        *b = settle(cal, start + frac * verify_year_days(cal, *y), y, m);
    }
    return 0;
}

int verify_decode_stamp(verify_cal cal, const char *units, double value, long *year,
                        int *month, int *boundary)
{
    char u[256];
    size_t n = 0;
    for (const char *s = units ? units : ""; *s && n + 1 < sizeof u; s++)
        u[n++] = (char)tolower((unsigned char)*s);
    u[n] = '\0';
    char *tail = strstr(u, " (double)");
    if (tail)
        *tail = '\0';
    *boundary = 0;
    if (!isfinite(value))
        return -1;
    if (strstr(u, " as %y"))
        return decode_spelled(cal, u, value, year, month, boundary);
    return decode_since(cal, u, value, year, month, boundary);
}
