/* The checker (see verify.h). Deliberately written without the converter's
 * time, grid, units, slab, input or convert modules. */
#include "verify.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <netcdf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <udunits2.h>

#include "t2i.h"
#include "vartable.h"

/* Bounds and stamps are days in a double: anything closer than this
 * (days, about 0.1 s) is the same instant. */
#define VERIFY_DAY_TOL 1e-6
/* Coordinates equal within this many degrees are the same cell centre. */
#define VERIFY_COORD_TOL 1e-3
/* Output values are float32: a converted value may differ from the
 * double-precision expectation by this relative amount (float32 keeps
 * about 7 digits; 1e-6 leaves room for a different order of operations). */
#define VERIFY_VALUE_RTOL 1e-6
/* Global means of one step may differ by this relative amount. */
#define VERIFY_MEAN_RTOL 1e-5
/* Time problems reported before the axis is declared hopeless. */
#define VERIFY_MAX_TIME_PROBLEMS 5
#define SECONDS_PER_DAY 86400.0
#define VERIFY_PI 3.14159265358979323846

void verify_problem(verify_problems *p, const char *fmt, ...)
{
    p->total++;
    if (p->n >= VERIFY_MAX_PROBLEMS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->text[p->n++], VERIFY_PROBLEM_LEN, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------ calendar */

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

static void next_month(long *y, int *m)
{
    if (++*m > 12) {
        *m = 1;
        ++*y;
    }
}

static void prev_month(long *y, int *m)
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
        next_month(&y, &m);
    }
    while (y > y1 || (y == y1 && m > m1)) {
        prev_month(&y, &m);
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
    d->day_fraction = (h * 3600.0 + mi * 60.0 + s) / SECONDS_PER_DAY;
    return 0;
}

/* ------------------------------------------------------------ time axis */

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
        next_month(y, m);
    }
    while (start > day + VERIFY_DAY_TOL) {
        prev_month(y, m);
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
            next_month(&y, &m);
        else
            y++;
    }
    return 0;
}

/* ------------------------------------------------------------ input stamps */

/* Moves `pos` days from the first instant of (y, m) onto the month it
 * falls in; returns 1 when it lands on a month's first instant. Stamps
 * carry float noise (31.000001), hence the looser tolerance here. */
#define VERIFY_STAMP_TOL 1e-3
static int settle(verify_cal cal, double pos, long *y, int *m)
{
    while (pos < 0) {
        prev_month(y, m);
        pos += verify_month_days(cal, *y, *m);
    }
    while (pos >= verify_month_days(cal, *y, *m) - VERIFY_STAMP_TOL) {
        pos -= verify_month_days(cal, *y, *m);
        next_month(y, m);
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
        {"min", 1 / 1440.0}, {"seconds", 1 / SECONDS_PER_DAY}, {"second", 1 / SECONDS_PER_DAY},
        {"s", 1 / SECONDS_PER_DAY}, {"sec", 1 / SECONDS_PER_DAY}, {"months", 0}, {"month", 0},
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
            (whole > 0 ? next_month : prev_month)(y, m);
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

/* ------------------------------------------------------------ coordinates */

static void check_bounds(const char *name, const double *v, const double *bnds, size_t n,
                         double lo, double hi, verify_problems *p)
{
    int order = 0, contain = 0, joined = 0, range = 0;
    for (size_t i = 0; i < n; i++) {
        double a = bnds[2 * i], b = bnds[2 * i + 1];
        if (!order && !(a < b) && (order = 1))
            verify_problem(p, "%s_bnds row %zu is (%g, %g), not (lower, upper)", name, i, a, b);
        if (!contain && !(a <= v[i] && v[i] <= b) && (contain = 1))
            verify_problem(p, "%s_bnds row %zu [%g, %g] does not contain %s %g", name, i, a, b,
                           name, v[i]);
        if (!joined && i > 0 && fabs(a - bnds[2 * i - 1]) > VERIFY_COORD_TOL && (joined = 1))
            verify_problem(p, "%s_bnds are not contiguous between rows %zu and %zu", name, i - 1,
                           i);
        if (!range && (a < lo - VERIFY_COORD_TOL || b > hi + VERIFY_COORD_TOL) && (range = 1))
            verify_problem(p, "%s_bnds row %zu [%g, %g] leaves [%g, %g]", name, i, a, b, lo, hi);
    }
}

/* Longitude cells centred on the dateline reach past -180, so only the
 * span of all cells is limited (a grid overlapping itself double-counts
 * area in ILAMB). */
static void check_span(const char *name, const double *bnds, size_t n, double span,
                       verify_problems *p)
{
    double got = n ? bnds[2 * n - 1] - bnds[0] : 0;
    if (got > span + VERIFY_COORD_TOL)
        verify_problem(p, "%s_bnds span %g degrees, more than %g", name, got, span);
}

void verify_axis(const char *name, const double *v, const double *bnds, size_t n, double lo,
                 double hi, int closed, verify_problems *p)
{
    if (n > 1 && v[1] < v[0])
        verify_problem(p, "%s is descending", name);
    else
        for (size_t i = 1; i < n; i++)
            if (!(v[i] > v[i - 1])) {
                verify_problem(p, "%s is not strictly ascending at index %zu", name, i);
                break;
            }
    for (size_t i = 0; i < n; i++)
        if (!(v[i] >= lo && (closed ? v[i] <= hi : v[i] < hi))) {
            verify_problem(p, "%s %g at index %zu is outside [%g, %g%c", name, v[i], i, lo, hi,
                           closed ? ']' : ')');
            break;
        }
    if (bnds && closed)
        check_bounds(name, v, bnds, n, lo, hi, p);
    else if (bnds) {
        check_bounds(name, v, bnds, n, -INFINITY, INFINITY, p);
        check_span(name, bnds, n, hi - lo, p);
    }
}

long verify_match(const double *in, size_t n, double want, double tol, int periodic)
{
    for (size_t i = 0; i < n; i++) {
        double d = in[i] - want;
        if (periodic)
            d = remainder(d, 360.0); /* lon mod 360, into [-180, 180] */
        if (fabs(d) <= tol)
            return (long)i;
    }
    return -1;
}

/* ------------------------------------------------------------ units */

/* Copies src into dst replacing every `from` by `to`. */
static void replace_all(char *dst, size_t size, const char *src, const char *from, const char *to)
{
    size_t n = 0, lf = strlen(from), lt = strlen(to);
    while (*src && n + 1 < size) {
        if (strncmp(src, from, lf) == 0 && n + lt + 1 < size) {
            memcpy(dst + n, to, lt);
            n += lt;
            src += lf;
        } else {
            dst[n++] = *src++;
        }
    }
    dst[n] = '\0';
}

/* Whether s[i] starts a unit token (string start or after a separator). */
static int token_start(const char *s, size_t i)
{
    return i == 0 || strchr(" /.*(", s[i - 1]) != NULL;
}

static int token_end(char c)
{
    return c == '\0' || strchr(" /.*)^-0123456789", c) != NULL;
}

/* Drops the carbon marker of "gC", "kgC", "g C", "kg C" (carbon mass is
 * reported as plain mass); leaves "degC" alone. */
static void drop_carbon(char *s)
{
    for (size_t i = 0; s[i]; i++) {
        size_t g = s[i] == 'k' && s[i + 1] == 'g' ? i + 1 : i;
        if (s[g] != 'g' || !token_start(s, i))
            continue;
        size_t c = s[g + 1] == ' ' && s[g + 2] == 'C' ? g + 2 : g + 1;
        if (s[c] == 'C' && token_end(s[c + 1]))
            memmove(s + g + 1, s + c + 1, strlen(s + c + 1) + 1);
    }
}

/* Removes a per-month or per-year denominator ("month-1", "/yr", ...),
 * returning which one: those periods have no fixed length in seconds. */
static verify_per drop_period(char *s)
{
    static const struct {
        const char *text;
        verify_per per;
    } periods[] = {
        {" month-1", VERIFY_PER_MONTH}, {"/month", VERIFY_PER_MONTH}, {" mon-1", VERIFY_PER_MONTH},
        {"/mon", VERIFY_PER_MONTH},     {".month-1", VERIFY_PER_MONTH},
        {" yr-1", VERIFY_PER_YEAR},     {"/yr", VERIFY_PER_YEAR}, {" year-1", VERIFY_PER_YEAR},
        {"/year", VERIFY_PER_YEAR},     {".yr-1", VERIFY_PER_YEAR}, {" a-1", VERIFY_PER_YEAR},
    };
    for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
        size_t ls = strlen(s), lp = strlen(periods[i].text);
        if (ls >= lp && strcmp(s + ls - lp, periods[i].text) == 0) {
            s[ls - lp] = '\0';
            return periods[i].per;
        }
    }
    return VERIFY_PER_NONE;
}

/* TRENDY spelling -> text udunits2 parses, plus the per-period part. */
static verify_per normalise_units(const char *from, const char *to, char *out, size_t size)
{
    char a[256], b[256];
    snprintf(a, sizeof a, "%s", from ? from : "");
    char *s = a;
    while (isspace((unsigned char)*s))
        s++;
    memmove(a, s, strlen(s) + 1);
    for (size_t n = strlen(a); n && isspace((unsigned char)a[n - 1]); n--)
        a[n - 1] = '\0';
    if (!a[0] || strcmp(a, "-") == 0 || strcasecmp(a, "fraction") == 0)
        snprintf(a, sizeof a, "1");
    drop_carbon(a);
    verify_per per = drop_period(a);
    /* A depth of water: 1 mm over 1 m2 weighs 1 kg. */
    if (strstr(to, "kg") && strncmp(a, "mm", 2) == 0 && token_end(a[2])) {
        replace_all(b, sizeof b, a, "mm", "kg m-2");
        snprintf(a, sizeof a, "%s", b);
    }
    snprintf(out, size, "%s", a);
    return per;
}

/* udunits2 wants its unit system; loaded per call (a few ms per file) so
 * no global state is kept. */
static int udunits_convert(const char *from, const char *to, verify_factor *f, char *why,
                           size_t whylen)
{
    ut_set_error_message_handler(ut_ignore);
    ut_system *sys = ut_read_xml(NULL);
    if (!sys)
        return t2i_fail(-1, why, whylen, "cannot read the udunits2 database");
    ut_unit *a = ut_parse(sys, from, UT_ASCII), *b = ut_parse(sys, to, UT_ASCII);
    cv_converter *cv = a && b ? ut_get_converter(a, b) : NULL;
    int st = 0;
    if (!a || !b)
        st = t2i_fail(-1, why, whylen, "udunits2 cannot parse '%s'", !a ? from : to);
    else if (!cv)
        st = t2i_fail(-1, why, whylen, "'%s' cannot be converted to '%s'", from, to);
    else {
        f->offset = cv_convert_double(cv, 0.0);
        f->factor = cv_convert_double(cv, 1.0) - f->offset;
    }
    cv_free(cv);
    ut_free(a);
    ut_free(b);
    ut_free_system(sys);
    return st;
}

int verify_units(const char *from, const char *to, verify_factor *f, char *why, size_t whylen)
{
    char src[256], dst[256];
    f->per = normalise_units(from, to, src, sizeof src);
    /* A per-period amount converts to the target rate times seconds. */
    snprintf(dst, sizeof dst, f->per == VERIFY_PER_NONE ? "%s" : "(%s) s", to);
    return udunits_convert(src, dst, f, why, whylen);
}

/* ------------------------------------------------------------ reading */

/* An output, as the checker reads it. */
typedef struct {
    int ncid, varid;
    size_t nt, ny, nx;
    double *time, *time_bnds, *lat, *lat_bnds, *lon, *lon_bnds;
    char calendar[64];
    verify_cal cal;
    verify_date ref;
    verify_steps steps; /* NULL arrays when the time axis is unusable */
} out_file;

/* An input, as the checker reads it. */
typedef struct {
    int ncid, varid;
    nc_type xtype;
    int ndims, tpos, ypos, xpos;
    size_t len[NC_MAX_VAR_DIMS];
    char op[NC_MAX_VAR_DIMS]; /* 's', 'm', 'i' for extra dimensions, 0 otherwise */
    size_t keep[NC_MAX_VAR_DIMS];
    double *time, *time_bnds, *lat, *lon;
    char time_units[256], units[256];
    verify_cal cal;
    double scale_factor, add_offset;
    double sentinel[VERIFY_MAX_MISSING + 8];
    int nsentinel;
    double valid_min, valid_max;
} in_file;

/* A text attribute into buf; returns 0 when present. */
static int text_att(int ncid, int varid, const char *name, char *buf, size_t size)
{
    size_t len;
    nc_type type;
    buf[0] = '\0';
    if (nc_inq_att(ncid, varid, name, &type, &len) || type != NC_CHAR || len + 1 > size)
        return -1;
    if (nc_get_att_text(ncid, varid, name, buf))
        return -1;
    buf[len] = '\0';
    return 0;
}

/* Reads a whole numeric variable as doubles, checking its size is `want`
 * values; returns NULL (problem noted) otherwise. */
static double *read_all(int ncid, const char *name, size_t want, const char *file,
                        verify_problems *p)
{
    int varid, ndims, dims[NC_MAX_VAR_DIMS];
    size_t total = 1, len;
    if (nc_inq_varid(ncid, name, &varid)) {
        verify_problem(p, "%s: %s missing", file, name);
        return NULL;
    }
    nc_inq_varndims(ncid, varid, &ndims);
    nc_inq_vardimid(ncid, varid, dims);
    for (int i = 0; i < ndims; i++)
        total *= nc_inq_dimlen(ncid, dims[i], &len) ? 0 : len;
    double *v = total == want && want ? malloc(want * sizeof *v) : NULL;
    if (total != want)
        verify_problem(p, "%s: %s holds %zu values, expected %zu", file, name, total, want);
    else if (!v || nc_get_var_double(ncid, varid, v)) {
        verify_problem(p, "%s: cannot read %s", file, name);
        free(v);
        v = NULL;
    }
    return v;
}

static size_t dim_length(int ncid, const char *name)
{
    int id;
    size_t len = 0;
    if (nc_inq_dimid(ncid, name, &id) || nc_inq_dimlen(ncid, id, &len))
        return 0;
    return len;
}

/* ------------------------------------------------------------ output structure */

/* Coordinate `name` and its bounds variable `name`_bnds, named by the
 * coordinate's `bounds` attribute as ILAMB requires. */
static void read_coord(out_file *f, const char *name, size_t n, double **v, double **bnds,
                       verify_problems *p)
{
    char want[64], got[128];
    snprintf(want, sizeof want, "%s_bnds", name);
    int cid, bid;
    if (nc_inq_varid(f->ncid, name, &cid)) {
        verify_problem(p, "%s missing", name);
        return;
    }
    *v = read_all(f->ncid, name, n, "output", p);
    if (text_att(f->ncid, cid, "bounds", got, sizeof got) != 0)
        verify_problem(p, "%s has no bounds attribute", name);
    else if (strcmp(got, want) != 0)
        verify_problem(p, "%s bounds attribute is '%s', not '%s'", name, got, want);
    if (nc_inq_varid(f->ncid, want, &bid)) {
        verify_problem(p, "%s missing", want);
        return;
    }
    *bnds = read_all(f->ncid, want, 2 * n, "output", p);
}

/* Dimensions (time, lat, lon) in that order: ILAMB reads any other order
 * as "not spatial" without an error. */
static int check_dims(out_file *f, const verify_options *o, verify_problems *p)
{
    int ndims, dims[NC_MAX_VAR_DIMS];
    char names[3][NC_MAX_NAME + 1];
    if (nc_inq_varid(f->ncid, o->out_var, &f->varid)) {
        verify_problem(p, "variable '%s' missing", o->out_var);
        return -1;
    }
    nc_inq_varndims(f->ncid, f->varid, &ndims);
    nc_inq_vardimid(f->ncid, f->varid, dims);
    for (int i = 0; i < ndims && i < 3; i++)
        nc_inq_dimname(f->ncid, dims[i], names[i]);
    if (ndims != 3 || strcmp(names[0], "time") || strcmp(names[1], "lat") ||
        strcmp(names[2], "lon")) {
        verify_problem(p, "dimensions of '%s' are (%s%s%s%s%s%s), ILAMB needs (time, lat, lon)",
                       o->out_var, ndims > 0 ? names[0] : "", ndims > 1 ? ", " : "",
                       ndims > 1 ? names[1] : "", ndims > 2 ? ", " : "",
                       ndims > 2 ? names[2] : "", ndims > 3 ? ", ..." : "");
        return -1;
    }
    f->nt = dim_length(f->ncid, "time");
    f->ny = dim_length(f->ncid, "lat");
    f->nx = dim_length(f->ncid, "lon");
    return 0;
}

/* Units, fill and missing value of the data variable. */
static void check_data_atts(out_file *f, const verify_options *o, verify_problems *p)
{
    char units[256];
    if (text_att(f->ncid, f->varid, "units", units, sizeof units) != 0)
        verify_problem(p, "'%s' has no units", o->out_var);
    else if (strcmp(units, o->target_units) != 0)
        verify_problem(p, "'%s' units are '%s', not '%s'", o->out_var, units, o->target_units);
    static const char *const atts[] = {"_FillValue", "missing_value"};
    for (int i = 0; i < 2; i++) {
        float v;
        size_t len;
        if (nc_inq_attlen(f->ncid, f->varid, atts[i], &len) || len != 1 ||
            nc_get_att_float(f->ncid, f->varid, atts[i], &v))
            verify_problem(p, "'%s' has no %s", o->out_var, atts[i]);
        else if (v != T2I_FILL)
            verify_problem(p, "'%s' %s is %g, not 1e20", o->out_var, atts[i], (double)v);
    }
}

/* time units "days since <date>" and a calendar, as ILAMB requires. */
static int check_time_atts(out_file *f, verify_problems *p)
{
    char units[256];
    int varid, used = 0;
    if (nc_inq_varid(f->ncid, "time", &varid))
        return -1; /* reported by read_coord */
    if (text_att(f->ncid, varid, "calendar", f->calendar, sizeof f->calendar) != 0) {
        verify_problem(p, "time has no calendar");
        return -1;
    }
    if (verify_calendar(f->calendar, &f->cal) != 0) {
        verify_problem(p, "time calendar '%s' is unknown", f->calendar);
        return -1;
    }
    if (text_att(f->ncid, varid, "units", units, sizeof units) != 0) {
        verify_problem(p, "time has no units");
        return -1;
    }
    if (sscanf(units, "days since %n", &used) != 0 || used == 0 ||
        verify_parse_date(units + used, &f->ref) != 0) {
        verify_problem(p, "time units '%s' are not 'days since <date>'", units);
        return -1;
    }
    return 0;
}

static void out_close(out_file *f)
{
    if (f->ncid >= 0)
        nc_close(f->ncid);
    f->ncid = -1;
    free(f->time);
    free(f->time_bnds);
    free(f->lat);
    free(f->lat_bnds);
    free(f->lon);
    free(f->lon_bnds);
    verify_steps_free(&f->steps);
}

/* Opens the output and checks its structure. Returns 0 when the data can
 * be compared (dims right, coordinates read), -1 otherwise. */
static int out_open(out_file *f, const verify_options *o, verify_problems *p)
{
    memset(f, 0, sizeof *f);
    f->ncid = -1;
    int rc = nc_open(o->output, NC_NOWRITE, &f->ncid);
    if (rc) {
        f->ncid = -1;
        verify_problem(p, "cannot open the output: %s", nc_strerror(rc));
        return -1;
    }
    if (check_dims(f, o, p) != 0)
        return -1;
    check_data_atts(f, o, p);
    read_coord(f, "lat", f->ny, &f->lat, &f->lat_bnds, p);
    read_coord(f, "lon", f->nx, &f->lon, &f->lon_bnds, p);
    read_coord(f, "time", f->nt, &f->time, &f->time_bnds, p);
    if (f->lat)
        verify_axis("lat", f->lat, f->lat_bnds, f->ny, -90, 90, 1, p);
    if (f->lon)
        verify_axis("lon", f->lon, f->lon_bnds, f->nx, -180, 180, 0, p);
    if (check_time_atts(f, p) == 0 && f->time && f->time_bnds)
        verify_time_axis(f->cal, &f->ref, f->time, f->time_bnds, f->nt, &f->steps, p);
    return f->lat && f->lon ? 0 : -1;
}

/* ------------------------------------------------------------ input */

/* Up to `max` values of a numeric attribute; returns how many (0: absent). */
static size_t num_att(int ncid, int varid, const char *name, double *v, size_t max)
{
    size_t len;
    nc_type type;
    if (nc_inq_att(ncid, varid, name, &type, &len) || type == NC_CHAR || type == NC_STRING ||
        len == 0 || len > max)
        return 0;
    return nc_get_att_double(ncid, varid, name, v) ? 0 : len;
}

/* Whether dimension `name` is latitude (axis 'Y') or longitude ('X'),
 * judged by its coordinate variable's CF attributes, then its name. */
static int is_axis(int ncid, const char *name, char axis)
{
    static const char *const lat_names[] = {"lat", "latitude", "y", "nav_lat", NULL};
    static const char *const lon_names[] = {"lon", "longitude", "x", "nav_lon", NULL};
    const char *sname = axis == 'Y' ? "latitude" : "longitude";
    const char *unit = axis == 'Y' ? "degrees_north" : "degrees_east";
    char buf[128];
    int varid;
    if (nc_inq_varid(ncid, name, &varid) == 0) {
        if (text_att(ncid, varid, "standard_name", buf, sizeof buf) == 0 && !strcmp(buf, sname))
            return 1;
        if (text_att(ncid, varid, "units", buf, sizeof buf) == 0 && !strcasecmp(buf, unit))
            return 1;
        if (text_att(ncid, varid, "axis", buf, sizeof buf) == 0 && buf[0] == axis && !buf[1])
            return 1;
    }
    for (const char *const *n = axis == 'Y' ? lat_names : lon_names; *n; n++)
        if (strcasecmp(name, *n) == 0)
            return 1;
    return 0;
}

/* Sorts each input dimension into time, lat, lon or a reduced extra one. */
static int classify_dims(in_file *in, const verify_options *o, char names[][NC_MAX_NAME + 1],
                         verify_problems *p)
{
    in->tpos = in->ypos = in->xpos = -1;
    for (int d = 0; d < in->ndims; d++) {
        in->op[d] = 0;
        for (int r = 0; r < o->nreduce; r++)
            if (strcmp(o->reduce[r].dim, names[d]) == 0) {
                in->op[d] = o->reduce[r].op;
                in->keep[d] = o->reduce[r].index;
            }
        if (in->op[d])
            continue;
        if (in->ypos < 0 && is_axis(in->ncid, names[d], 'Y'))
            in->ypos = d;
        else if (in->xpos < 0 && is_axis(in->ncid, names[d], 'X'))
            in->xpos = d;
        else if (in->tpos < 0)
            in->tpos = d;
        else {
            verify_problem(p, "input dimension '%s' is neither time, lat nor lon", names[d]);
            return -1;
        }
    }
    if (in->tpos < 0 || in->ypos < 0 || in->xpos < 0) {
        verify_problem(p, "input variable '%s' lacks a %s dimension", o->var,
                       in->tpos < 0 ? "time" : in->ypos < 0 ? "latitude" : "longitude");
        return -1;
    }
    return 0;
}

/* The value a sentinel takes once stored in the variable's type. */
static double stored_as(nc_type type, double v)
{
    switch (type) {
    case NC_FLOAT: return (double)(float)v;
    case NC_SHORT: return (double)(short)v;
    case NC_INT: return (double)(int)v;
    case NC_BYTE: return (double)(signed char)v;
    default: return v;
    }
}

/* Raw values meaning "missing": declared fills, netCDF's default fill of
 * the type (unwritten cells hold it), models/ sentinels; valid range. */
static void read_missing(in_file *in, const verify_options *o)
{
    static const double default_fill[] = {
        [NC_BYTE] = NC_FILL_BYTE,   [NC_SHORT] = NC_FILL_SHORT,  [NC_INT] = NC_FILL_INT,
        [NC_FLOAT] = NC_FILL_FLOAT, [NC_DOUBLE] = NC_FILL_DOUBLE,
    };
    double v[8];
    size_t n = num_att(in->ncid, in->varid, "_FillValue", v, 1);
    n += num_att(in->ncid, in->varid, "missing_value", v + n, 4);
    for (size_t i = 0; i < n; i++)
        in->sentinel[in->nsentinel++] = v[i];
    if (in->xtype >= NC_BYTE && in->xtype <= NC_DOUBLE && in->xtype != NC_CHAR)
        in->sentinel[in->nsentinel++] = default_fill[in->xtype];
    for (int i = 0; i < o->nmissing; i++)
        in->sentinel[in->nsentinel++] = stored_as(in->xtype, o->missing[i]);
    in->valid_min = -INFINITY;
    in->valid_max = INFINITY;
    if (num_att(in->ncid, in->varid, "valid_range", v, 2) == 2) {
        in->valid_min = v[0];
        in->valid_max = v[1];
    }
    if (num_att(in->ncid, in->varid, "valid_min", v, 1))
        in->valid_min = v[0];
    if (num_att(in->ncid, in->varid, "valid_max", v, 1))
        in->valid_max = v[0];
}

/* Time values (and bounds, if declared) and how to read them. */
static void read_input_time(in_file *in, const verify_options *o, const char *tdim,
                            verify_problems *p)
{
    const char *name = o->time_var ? o->time_var : tdim;
    char buf[256];
    int varid;
    in->time = read_all(in->ncid, name, in->len[in->tpos], "input", p);
    if (!in->time || nc_inq_varid(in->ncid, name, &varid))
        return;
    if (o->time_units)
        snprintf(in->time_units, sizeof in->time_units, "%s", o->time_units);
    else
        text_att(in->ncid, varid, "units", in->time_units, sizeof in->time_units);
    if (!o->calendar)
        text_att(in->ncid, varid, "calendar", buf, sizeof buf);
    if (verify_calendar(o->calendar ? o->calendar : buf, &in->cal) != 0)
        verify_problem(p, "input calendar '%s' is unknown", o->calendar ? o->calendar : buf);
    if (text_att(in->ncid, varid, "bounds", buf, sizeof buf) == 0)
        in->time_bnds = read_all(in->ncid, buf, 2 * in->len[in->tpos], "input", p);
}

static void in_close(in_file *in)
{
    if (in->ncid >= 0)
        nc_close(in->ncid);
    in->ncid = -1;
    free(in->time);
    free(in->time_bnds);
    free(in->lat);
    free(in->lon);
}

/* Opens the input and reads what the comparison needs. Returns -1 (with a
 * problem) when the input cannot be compared. */
static int in_open(in_file *in, const verify_options *o, verify_problems *p)
{
    char names[NC_MAX_VAR_DIMS][NC_MAX_NAME + 1];
    int dims[NC_MAX_VAR_DIMS];
    memset(in, 0, sizeof *in);
    int rc = nc_open(o->input, NC_NOWRITE, &in->ncid);
    if (rc) {
        in->ncid = -1;
        verify_problem(p, "cannot open the input: %s", nc_strerror(rc));
        return -1;
    }
    if (nc_inq_varid(in->ncid, o->var, &in->varid)) {
        verify_problem(p, "input variable '%s' missing", o->var);
        return -1;
    }
    nc_inq_vartype(in->ncid, in->varid, &in->xtype);
    nc_inq_varndims(in->ncid, in->varid, &in->ndims);
    nc_inq_vardimid(in->ncid, in->varid, dims);
    for (int d = 0; d < in->ndims; d++)
        nc_inq_dim(in->ncid, dims[d], names[d], &in->len[d]);
    if (classify_dims(in, o, names, p) != 0)
        return -1;
    in->lat = read_all(in->ncid, names[in->ypos], in->len[in->ypos], "input", p);
    in->lon = read_all(in->ncid, names[in->xpos], in->len[in->xpos], "input", p);
    read_input_time(in, o, names[in->tpos], p);
    if (o->units)
        snprintf(in->units, sizeof in->units, "%s", o->units);
    else
        text_att(in->ncid, in->varid, "units", in->units, sizeof in->units);
    if (!num_att(in->ncid, in->varid, "scale_factor", &in->scale_factor, 1))
        in->scale_factor = 1.0;
    if (!num_att(in->ncid, in->varid, "add_offset", &in->add_offset, 1))
        in->add_offset = 0.0;
    read_missing(in, o);
    return in->lat && in->lon && in->time ? 0 : -1;
}

/* ------------------------------------------------------------ comparison */

/* Everything one step's comparison needs. */
typedef struct {
    const out_file *f;
    const in_file *in;
    const verify_options *o;
    verify_factor uf;
    long *ymap, *xmap;          /* output row/column -> input index */
    size_t stride[NC_MAX_VAR_DIMS];
    size_t *combo, ncombo;      /* offsets of each reduced combination */
    int mean;                   /* average, not sum, the combinations */
    size_t nraw;                /* values per input step */
    double *raw;
    float *got;
} compare_job;

/* Output rows and columns found in the input by coordinate value. */
static int match_cells(compare_job *j, verify_problems *p)
{
    const out_file *f = j->f;
    const in_file *in = j->in;
    for (size_t y = 0; y < f->ny; y++)
        if ((j->ymap[y] = verify_match(in->lat, in->len[in->ypos], f->lat[y], VERIFY_COORD_TOL,
                                       0)) < 0) {
            verify_problem(p, "lat %g has no input latitude", f->lat[y]);
            return -1;
        }
    for (size_t x = 0; x < f->nx; x++)
        if ((j->xmap[x] = verify_match(in->lon, in->len[in->xpos], f->lon[x], VERIFY_COORD_TOL,
                                       1)) < 0) {
            verify_problem(p, "lon %g has no input longitude (modulo 360)", f->lon[x]);
            return -1;
        }
    return 0;
}

/* Strides of one input time step, and the offsets of every combination of
 * the summed or averaged extra dimensions. */
static int plan_layout(compare_job *j)
{
    const in_file *in = j->in;
    size_t s = 1;
    j->ncombo = 1;
    for (int d = in->ndims - 1; d >= 0; d--) {
        j->stride[d] = s;
        size_t count = (d == in->tpos || in->op[d] == 'i') ? 1 : in->len[d];
        s *= count;
        if (in->op[d] == 's' || in->op[d] == 'm')
            j->ncombo *= in->len[d];
        j->mean |= in->op[d] == 'm';
    }
    j->nraw = s;
    j->combo = malloc(j->ncombo * sizeof *j->combo);
    if (!j->combo)
        return -1;
    for (size_t c = 0; c < j->ncombo; c++) {
        size_t rest = c, off = 0;
        for (int d = in->ndims - 1; d >= 0; d--)
            if (in->op[d] == 's' || in->op[d] == 'm') {
                off += rest % in->len[d] * j->stride[d];
                rest /= in->len[d];
            }
        j->combo[c] = off;
    }
    return 0;
}

static int raw_missing(const in_file *in, double v)
{
    if (isnan(v) || isinf(v) || v < in->valid_min || v > in->valid_max)
        return 1;
    for (int i = 0; i < in->nsentinel; i++)
        if (v == in->sentinel[i])
            return 1;
    return 0;
}

/* What output cell (y, x) should hold, from the raw input; NAN = missing. */
static double expected(const compare_job *j, size_t y, size_t x, double per_seconds)
{
    const in_file *in = j->in;
    const double *base = j->raw + j->ymap[y] * j->stride[in->ypos] +
                         j->xmap[x] * j->stride[in->xpos];
    double sum = 0;
    size_t good = 0;
    for (size_t c = 0; c < j->ncombo; c++) {
        double v = base[j->combo[c]];
        if (raw_missing(in, v))
            continue;
        sum += v * in->scale_factor + in->add_offset;
        good++;
    }
    if (!good)
        return NAN;
    double v = j->mean ? sum / (double)good : sum;
    return (v * j->uf.factor + j->uf.offset) * j->o->scale / per_seconds;
}

/* Seconds of the month or year a per-period amount of step t covers, by
 * the checker's calendar; 0 when the time axis could not be read. */
static double period_seconds(const compare_job *j, size_t t)
{
    const out_file *f = j->f;
    if (j->uf.per == VERIFY_PER_NONE)
        return 1.0;
    if (!f->steps.year)
        return 0.0;
    long y = f->steps.year[t];
    int days = j->uf.per == VERIFY_PER_MONTH ? verify_month_days(f->cal, y, f->steps.month[t])
                                              : verify_year_days(f->cal, y);
    return days * SECONDS_PER_DAY;
}

static int read_steps(compare_job *j, size_t t, verify_problems *p)
{
    const in_file *in = j->in;
    size_t start[NC_MAX_VAR_DIMS], count[NC_MAX_VAR_DIMS];
    for (int d = 0; d < in->ndims; d++) {
        start[d] = d == in->tpos ? t : in->op[d] == 'i' ? in->keep[d] : 0;
        count[d] = (d == in->tpos || in->op[d] == 'i') ? 1 : in->len[d];
    }
    int rc = nc_get_vara_double(in->ncid, in->varid, start, count, j->raw);
    size_t ostart[3] = {t, 0, 0}, ocount[3] = {1, j->f->ny, j->f->nx};
    if (!rc)
        rc = nc_get_vara_float(j->f->ncid, j->f->varid, ostart, ocount, j->got);
    if (rc)
        verify_problem(p, "cannot read step %zu: %s", t, nc_strerror(rc));
    return rc ? -1 : 0;
}

/* Tallies of one step's comparison. */
typedef struct {
    size_t mask, value;
    long mask_y, mask_x, value_y, value_x;
    double got, want;
    double sum_got, w_got, sum_want, w_want;
} step_tally;

static void tally_cell(step_tally *s, size_t y, size_t x, double g, double e, double w)
{
    int gm = g == T2I_FILL, em = isnan(e);
    if (gm != em) {
        if (!s->mask++) {
            s->mask_y = (long)y;
            s->mask_x = (long)x;
        }
    } else if (!gm && !(fabs(g - e) <= VERIFY_VALUE_RTOL * fabs(e) + FLT_MIN)) {
        if (!s->value++) {
            s->value_y = (long)y;
            s->value_x = (long)x;
            s->got = g;
            s->want = e;
        }
    }
    if (!gm && isfinite(g)) {
        s->sum_got += w * g;
        s->w_got += w;
    }
    if (!em) {
        s->sum_want += w * e;
        s->w_want += w;
    }
}

static void report_step(const compare_job *j, size_t t, const step_tally *s, verify_problems *p)
{
    const out_file *f = j->f;
    if (s->mask)
        verify_problem(p, "missing mask differs at %zu cells of step %zu (first at lat %g, lon %g)",
                       s->mask, t, f->lat[s->mask_y], f->lon[s->mask_x]);
    if (s->value)
        verify_problem(p, "value at (step %zu, lat %g, lon %g) is %.7g, input converted gives "
                       "%.7g (%zu cells differ)", t, f->lat[s->value_y], f->lon[s->value_x],
                       s->got, s->want, s->value);
    double mg = s->w_got ? s->sum_got / s->w_got : 0, mw = s->w_want ? s->sum_want / s->w_want : 0;
    if (fabs(mg - mw) > VERIFY_MEAN_RTOL * fabs(mw) + FLT_MIN)
        verify_problem(p, "global mean of step %zu is %.7g, input converted gives %.7g", t, mg, mw);
}

/* Compares step t cell by cell; returns the cells compared. */
static size_t compare_step(compare_job *j, size_t t, verify_problems *p)
{
    double per = period_seconds(j, t);
    if (per == 0.0 || read_steps(j, t, p) != 0)
        return 0;
    step_tally s = {0};
    for (size_t y = 0; y < j->f->ny; y++) {
        double w = cos(j->f->lat[y] * VERIFY_PI / 180.0);
        for (size_t x = 0; x < j->f->nx; x++)
            tally_cell(&s, y, x, j->got[y * j->f->nx + x], expected(j, y, x, per), w);
    }
    report_step(j, t, &s, p);
    return j->f->ny * j->f->nx;
}

/* Step t's input stamp (or its bounds' midpoint) against the period the
 * output's bounds give it: a month shift is invisible cell by cell. */
static void check_alignment(const compare_job *j, size_t t, verify_summary *s,
                            verify_problems *p)
{
    const in_file *in = j->in;
    const out_file *f = j->f;
    if (!f->steps.year || s->note[0])
        return;
    double v = in->time[t];
    if (in->time_bnds && strstr(in->time_units, " since "))
        v = 0.5 * (in->time_bnds[2 * t] + in->time_bnds[2 * t + 1]);
    long y;
    int m, boundary;
    if (verify_decode_stamp(in->cal, in->time_units, v, &y, &m, &boundary) != 0) {
        snprintf(s->note, sizeof s->note, "time alignment not checked: input time units '%.200s'",
                 in->time_units);
        return;
    }
    /* A stamp on a boundary closes the period before it (models/ says so). */
    if (boundary && j->o->stamp_end && f->steps.monthly)
        prev_month(&y, &m);
    else if (boundary && j->o->stamp_end && m == 1)
        y--;
    if (f->steps.monthly && (y != f->steps.year[t] || m != f->steps.month[t]))
        verify_problem(p, "step %zu covers %04ld-%02d, but the input stamp %g '%s' is in "
                       "%04ld-%02d", t, f->steps.year[t], f->steps.month[t], in->time[t],
                       in->time_units, y, m);
    else if (!f->steps.monthly && y != f->steps.year[t])
        verify_problem(p, "step %zu covers year %ld, but the input stamp %g '%s' is in %ld", t,
                       f->steps.year[t], in->time[t], in->time_units, y);
}

/* The i-th of n sampled steps of nt: first, last, evenly between. */
static size_t sample_step(size_t i, size_t n, size_t nt)
{
    return n >= nt ? i : n <= 1 ? 0 : i * (nt - 1) / (n - 1);
}

static void compare_all(compare_job *j, verify_summary *s, verify_problems *p)
{
    size_t nt = j->f->nt, n = j->o->samples ? j->o->samples : VERIFY_SAMPLES;
    if (n > nt)
        n = nt;
    for (size_t i = 0; i < n; i++) {
        size_t t = sample_step(i, n, nt);
        check_alignment(j, t, s, p);
        size_t cells = compare_step(j, t, p);
        s->cells_compared += cells;
        s->steps_compared += cells > 0;
    }
}

/* Output against input: same length, calendar, coordinates, values. */
static int compare(const out_file *f, const in_file *in, const verify_options *o,
                   verify_summary *s, verify_problems *p)
{
    compare_job j = {.f = f, .in = in, .o = o};
    char why[T2I_ERRLEN];
    if (f->nt != in->len[in->tpos]) {
        verify_problem(p, "output has %zu time steps, input has %zu", f->nt, in->len[in->tpos]);
        return 0;
    }
    if (f->steps.year && f->cal != in->cal)
        verify_problem(p, "calendar is '%s', the input's differs", f->calendar);
    if (verify_units(in->units, o->target_units, &j.uf, why, sizeof why) != 0) {
        verify_problem(p, "cannot derive the unit conversion: %s", why);
        return 0;
    }
    int st = -1;
    j.ymap = malloc(f->ny * sizeof *j.ymap);
    j.xmap = malloc(f->nx * sizeof *j.xmap);
    if (j.ymap && j.xmap && plan_layout(&j) == 0) {
        j.raw = malloc(j.nraw * sizeof *j.raw);
        j.got = malloc(f->ny * f->nx * sizeof *j.got);
        st = j.raw && j.got ? 0 : -1;
    }
    if (st == 0 && match_cells(&j, p) == 0)
        compare_all(&j, s, p);
    free(j.ymap);
    free(j.xmap);
    free(j.combo);
    free(j.raw);
    free(j.got);
    return st;
}

/* ------------------------------------------------------------ quicklook */

/* Block-averages the time-mean map to at most VERIFY_MAP_NLAT x
 * VERIFY_MAP_NLON cells, so a 0.5-degree quicklook stays small. */
static int downsample(const out_file *f, const double *sum, const double *count,
                      verify_summary *s)
{
    size_t bx = (f->nx + VERIFY_MAP_NLON - 1) / VERIFY_MAP_NLON;
    size_t by = (f->ny + VERIFY_MAP_NLAT - 1) / VERIFY_MAP_NLAT;
    s->map_nlon = bx ? (f->nx + bx - 1) / bx : 0;
    s->map_nlat = by ? (f->ny + by - 1) / by : 0;
    s->map = malloc((s->map_nlat * s->map_nlon + 1) * sizeof *s->map);
    if (!s->map)
        return -1;
    for (size_t my = 0; my < s->map_nlat; my++)
        for (size_t mx = 0; mx < s->map_nlon; mx++) {
            double v = 0;
            size_t n = 0;
            for (size_t y = my * by; y < (my + 1) * by && y < f->ny; y++)
                for (size_t x = mx * bx; x < (mx + 1) * bx && x < f->nx; x++)
                    if (count[y * f->nx + x] > 0) {
                        v += sum[y * f->nx + x] / count[y * f->nx + x];
                        n++;
                    }
            s->map[my * s->map_nlon + mx] = n ? v / (double)n : NAN;
        }
    return 0;
}

/* Reads every output step once: global means, the time-mean map (block
 * averaged to at most VERIFY_MAP_NLAT x VERIFY_MAP_NLON) and NaN count. */
static int quicklook(const out_file *f, verify_summary *s, verify_problems *p)
{
    size_t cells = f->ny * f->nx, nan = 0;
    float *got = malloc(cells * sizeof *got);
    double *sum = calloc(cells, sizeof *sum), *count = calloc(cells, sizeof *count);
    s->series = malloc((f->nt ? f->nt : 1) * sizeof *s->series);
    s->when = malloc((f->nt ? f->nt : 1) * sizeof *s->when);
    if (!got || !sum || !count || !s->series || !s->when) {
        free(got), free(sum), free(count);
        return -1;
    }
    for (size_t t = 0; t < f->nt; t++) {
        size_t start[3] = {t, 0, 0}, count3[3] = {1, f->ny, f->nx};
        if (nc_get_vara_float(f->ncid, f->varid, start, count3, got)) {
            verify_problem(p, "cannot read step %zu of the output", t);
            break;
        }
        double ws = 0, vs = 0;
        for (size_t c = 0; c < cells; c++) {
            double w = cos(f->lat[c / f->nx] * VERIFY_PI / 180.0);
            if (isnan(got[c]))
                nan++;
            else if (got[c] != T2I_FILL) {
                vs += w * got[c];
                ws += w;
                sum[c] += got[c];
                count[c]++;
            }
        }
        s->series[t] = ws > 0 ? vs / ws : NAN;
        s->when[t] = !f->steps.year ? NAN
                     : f->steps.monthly ? f->steps.year[t] + (f->steps.month[t] - 0.5) / 12.0
                                        : f->steps.year[t] + 0.5;
    }
    if (nan)
        verify_problem(p, "%zu values are NaN (ILAMB never masks NaN)", nan);
    int st = downsample(f, sum, count, s);
    free(got), free(sum), free(count);
    return st;
}

/* ------------------------------------------------------------ the run */

void verify_summary_free(verify_summary *s)
{
    free(s->when);
    free(s->series);
    free(s->map);
    s->when = s->series = s->map = NULL;
}

int verify_run(const verify_options *o, verify_problems *p, verify_summary *s, char *err,
               size_t errlen)
{
    memset(p, 0, sizeof *p);
    memset(s, 0, sizeof *s);
    out_file f;
    in_file in;
    int st = T2I_OK;
    if (out_open(&f, o, p) == 0) {
        s->ntime = f.nt;
        s->nlat = f.ny;
        s->nlon = f.nx;
        s->monthly = f.steps.year ? f.steps.monthly : -1;
        snprintf(s->calendar, sizeof s->calendar, "%s", f.calendar);
        if (quicklook(&f, s, p) != 0)
            st = t2i_fail(T2I_ESYS, err, errlen, "out of memory for the quicklook");
        if (st == T2I_OK && in_open(&in, o, p) == 0 && compare(&f, &in, o, s, p) != 0)
            st = t2i_fail(T2I_ESYS, err, errlen, "out of memory for the comparison");
        if (st == T2I_OK)
            in_close(&in);
    }
    out_close(&f);
    return st;
}

/* ------------------------------------------------------------ JSON */

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}

/* JSON has no NaN: missing numbers are null. */
static void json_numbers(FILE *out, const double *v, size_t n)
{
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', out);
        if (isfinite(v[i]))
            fprintf(out, "%.6g", v[i]);
        else
            fputs("null", out);
    }
    fputc(']', out);
}

static void json_body(FILE *out, const verify_options *o, const verify_problems *p,
                      const verify_summary *s, double wall)
{
    fprintf(out, "{\n  \"status\": \"%s\",\n  \"output\": ", p->total ? "failed" : "ok");
    json_string(out, o->output);
    fputs(",\n  \"input\": ", out);
    json_string(out, o->input);
    fprintf(out, ",\n  \"problem_count\": %d,\n  \"problems\": [", p->total);
    for (int i = 0; i < p->n; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        json_string(out, p->text[i]);
    }
    fputs("],\n  \"note\": ", out);
    json_string(out, s->note);
    fputs(",\n  \"calendar\": ", out);
    json_string(out, s->calendar);
    fprintf(out, ",\n  \"frequency\": \"%s\",\n  \"ntime\": %zu,\n  \"nlat\": %zu,\n"
            "  \"nlon\": %zu,\n  \"steps_compared\": %zu,\n  \"cells_compared\": %zu,\n"
            "  \"wall_seconds\": %.6f,\n  \"when\": ",
            s->monthly == 1 ? "mon" : s->monthly == 0 ? "yr" : "", s->ntime, s->nlat, s->nlon,
            s->steps_compared, s->cells_compared, wall);
    json_numbers(out, s->when, s->series ? s->ntime : 0);
    fputs(",\n  \"series\": ", out);
    json_numbers(out, s->series, s->series ? s->ntime : 0);
    fprintf(out, ",\n  \"map_nlat\": %zu,\n  \"map_nlon\": %zu,\n  \"map\": ", s->map_nlat,
            s->map_nlon);
    json_numbers(out, s->map, s->map ? s->map_nlat * s->map_nlon : 0);
    fputs("\n}\n", out);
}

int verify_write_json(const char *path, const verify_options *o, const verify_problems *p,
                      const verify_summary *s, double wall_seconds, char *err, size_t errlen)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return t2i_fail(T2I_EUSAGE, err, errlen, "result path is too long");
    FILE *out = fopen(tmp, "w");
    if (!out)
        return t2i_fail(T2I_ESYS, err, errlen, "cannot write '%s': %s", tmp, strerror(errno));
    json_body(out, o, p, s, wall_seconds);
    int bad = ferror(out);
    bad |= fclose(out) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        return t2i_fail(T2I_ESYS, err, errlen, "cannot write '%s'", path);
    }
    return T2I_OK;
}
