/* Time decoding and output time-axis planning (see include/timeaxis.h).
 * The calendar arithmetic it builds on is in calendar.c. */
#include "timeaxis.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "t2i.h"

#define SECONDS_PER_DAY 86400.0
#define MINUTES_PER_DAY 1440.0
#define HOURS_PER_DAY 24.0

/* Stored counts carry float noise: 11.9999999999 months is 12 months. */
#define WHOLE_EPS 1e-9
/* Digits of a reference year; six covers every plausible typo of four. */
#define YEAR_DIGITS_MAX 6
/* Longest units attribute we accept (bytes); real ones are under 40. */
#define UNITS_MAX 128
/* Room for one formatted date or period in a message (bytes). */
#define STAMP_LEN 48

/* Period lengths (days) that identify monthly and annual axes, wide enough
 * for 28..31-day months, 360_day months and float noise. */
#define MONTH_MIN_DAYS 27.5
#define MONTH_MAX_DAYS 31.5
#define YEAR_MIN_DAYS 359.0
#define YEAR_MAX_DAYS 367.0

static const struct {
    const char *name;
    t2i_time_kind kind;
} unit_names[] = {
    {"seconds", T2I_TU_SECONDS}, {"second", T2I_TU_SECONDS},
    {"secs", T2I_TU_SECONDS},    {"sec", T2I_TU_SECONDS},
    {"s", T2I_TU_SECONDS},       {"minutes", T2I_TU_MINUTES},
    {"minute", T2I_TU_MINUTES},  {"mins", T2I_TU_MINUTES},
    {"min", T2I_TU_MINUTES},     {"hours", T2I_TU_HOURS},
    {"hour", T2I_TU_HOURS},      {"hrs", T2I_TU_HOURS},
    {"hr", T2I_TU_HOURS},        {"h", T2I_TU_HOURS},
    {"days", T2I_TU_DAYS},       {"day", T2I_TU_DAYS},
    {"d", T2I_TU_DAYS},          {"months", T2I_TU_MONTHS},
    {"month", T2I_TU_MONTHS},    {"mon", T2I_TU_MONTHS},
    {"years", T2I_TU_YEARS},     {"year", T2I_TU_YEARS},
    {"yrs", T2I_TU_YEARS},       {"yr", T2I_TU_YEARS},
};

/* CDO's absolute-time encodings: "<unit> as <format>". */
static const struct {
    t2i_time_kind unit;
    const char *format;
    t2i_time_kind kind;
} as_forms[] = {
    {T2I_TU_YEARS, "%Y.%f", T2I_TU_DECIMAL_YEAR},
    {T2I_TU_MONTHS, "%Y%m.%f", T2I_TU_YYYYMM},
    {T2I_TU_DAYS, "%Y%m%d.%f", T2I_TU_YYYYMMDD},
};

static const char *const month_names[12] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- small helpers ---------------------------------------------------- */

/* Case-insensitive: the first n bytes of a are exactly the string b. */
static int ieqn(const char *a, size_t n, const char *b)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!b[i] || tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
    return b[n] == '\0';
}

static int ieq(const char *a, const char *b)
{
    return ieqn(a, strlen(a), b);
}


static const char *skip_ws(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

/* Letters and underscores: unit words, "since", "AD", month names. */
static size_t word_len(const char *p)
{
    size_t n = 0;
    while (isalpha((unsigned char)p[n]) || p[n] == '_')
        n++;
    return n;
}

enum { REF_OK, REF_BAD, REF_ZONE };

static size_t trim_right(char *buf, size_t n)
{
    while (n > 0 && isspace((unsigned char)buf[n - 1]))
        buf[--n] = '\0';
    return n;
}

/* Copies text without surrounding blanks and without the storage-type note
 * some models append ("days since 1700-01-01 00:00:00 (double)"). */
static int trim_units(const char *text, char *buf, size_t len)
{
    static const char *const notes[] = {"(double)", "(float)", "(int)"};
    size_t n, i, k;
    text = skip_ws(text);
    n = strlen(text);
    if (n >= len)
        return 0;
    memcpy(buf, text, n + 1);
    n = trim_right(buf, n);
    for (i = 0; i < COUNT(notes); i++) {
        k = strlen(notes[i]);
        if (n >= k && ieq(buf + n - k, notes[i])) {
            buf[n - k] = '\0';
            trim_right(buf, n - k);
            break;
        }
    }
    return 1;
}

/* Reads 1..max decimal digits; fails on more. */
static int read_digits(const char **pp, int max, long *value)
{
    const char *p = *pp;
    long v = 0;
    int n = 0;
    while (isdigit((unsigned char)*p) && n < max) {
        v = v * 10 + (*p++ - '0');
        n++;
    }
    if (n == 0 || isdigit((unsigned char)*p))
        return 0;
    *value = v;
    *pp = p;
    return 1;
}

static int expect(const char **pp, char c)
{
    if (**pp != c)
        return 0;
    (*pp)++;
    return 1;
}

/* A month as digits or as a name cut to three letters or more ("Jan"). */
static int read_month(const char **pp, long *month)
{
    size_t n = word_len(*pp), i;
    int m;
    if (n == 0)
        return read_digits(pp, 2, month);
    for (m = 0; m < 12 && n >= 3; m++) {
        if (n > strlen(month_names[m]))
            continue;
        for (i = 0; i < n; i++)
            if (tolower((unsigned char)(*pp)[i]) != month_names[m][i])
                break;
        if (i == n) {
            *month = m + 1;
            *pp += n;
            return 1;
        }
    }
    return 0;
}

/* VISIT writes "1st"; any English ordinal suffix is accepted. */
static const char *skip_ordinal(const char *p)
{
    size_t n = word_len(p);
    if (ieqn(p, n, "st") || ieqn(p, n, "nd") || ieqn(p, n, "rd") ||
        ieqn(p, n, "th"))
        return p + n;
    return p;
}

static int parse_date(const char **pp, t2i_date *date)
{
    const char *p = skip_ws(*pp);
    long year, month, day;
    int sign = 1;
    size_t n = word_len(p);
    if (ieqn(p, n, "ad")) /* VISIT: "years since AD 1700-Jan-1st" */
        p = skip_ws(p + n);
    if (*p == '-') {
        sign = -1;
        p++;
    }
    if (!read_digits(&p, YEAR_DIGITS_MAX, &year) || !expect(&p, '-') ||
        !read_month(&p, &month) || !expect(&p, '-') ||
        !read_digits(&p, 2, &day))
        return 0;
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return 0;
    date->year = (int)(sign * year);
    date->month = (int)month;
    date->day = (int)day;
    date->second = 0.0;
    *pp = skip_ordinal(p);
    return 1;
}

static int read_seconds(const char **pp, double *second)
{
    const char *p = *pp;
    double scale = 0.1;
    long whole;
    if (!read_digits(&p, 2, &whole))
        return 0;
    *second = (double)whole;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++, scale /= 10.0)
            *second += (*p - '0') * scale;
    *pp = p;
    return 1;
}

/* hh[:mm[:ss[.fff]]], as udunits accepts. */
static int parse_clock(const char **pp, double *second)
{
    const char *p = *pp;
    long h, m = 0;
    double s = 0.0;
    if (!read_digits(&p, 2, &h))
        return 0;
    if (*p == ':') {
        p++;
        if (!read_digits(&p, 2, &m))
            return 0;
        if (*p == ':' && (p++, !read_seconds(&p, &s)))
            return 0;
    }
    if (h > 23 || m > 59 || s >= 60.0)
        return 0;
    *second = h * 3600.0 + m * 60.0 + s;
    *pp = p;
    return 1;
}

/* "Z", "UTC", "GMT" and offsets [+-]hh[[:]mm]; only a zero offset is
 * accepted, because a shifted reference would move every stamp. */
static int parse_zone(const char **pp)
{
    const char *p = skip_ws(*pp);
    size_t n = word_len(p);
    long h = 0, m = 0;
    if (ieqn(p, n, "z") || ieqn(p, n, "utc") || ieqn(p, n, "gmt"))
        p = skip_ws(p + n);
    if (*p == '+' || *p == '-') {
        p++;
        if (strspn(p, "0123456789") == 4) { /* compact "+hhmm" */
            h = (p[0] - '0') * 10 + (p[1] - '0');
            p += 2;
        } else if (!read_digits(&p, 2, &h)) {
            return REF_BAD;
        }
        if (*p == ':')
            p++;
        if (isdigit((unsigned char)*p) && !read_digits(&p, 2, &m))
            return REF_BAD;
        if (h || m)
            return REF_ZONE;
    }
    *pp = p;
    return REF_OK;
}

static int parse_reference(const char *p, t2i_date *ref)
{
    int rc;
    if (!parse_date(&p, ref))
        return REF_BAD;
    if (*p == 'T' || *p == 't' ||
        (isspace((unsigned char)*p) && isdigit((unsigned char)*skip_ws(p)))) {
        p = skip_ws(p + 1);
        if (!parse_clock(&p, &ref->second))
            return REF_BAD;
    }
    rc = parse_zone(&p);
    if (rc != REF_OK)
        return rc;
    return *skip_ws(p) == '\0' ? REF_OK : REF_BAD;
}

static int lookup_unit(const char *p, size_t n, t2i_time_kind *kind)
{
    size_t i;
    for (i = 0; i < COUNT(unit_names); i++) {
        if (n && ieqn(p, n, unit_names[i].name)) {
            *kind = unit_names[i].kind;
            return 1;
        }
    }
    return 0;
}

static int parse_as_form(t2i_time_kind unit, const char *p,
                         t2i_time_units *tu)
{
    size_t i;
    for (i = 0; i < COUNT(as_forms); i++) {
        if (as_forms[i].unit == unit && ieq(p, as_forms[i].format)) {
            tu->kind = as_forms[i].kind;
            return 1;
        }
    }
    return 0;
}

static int units_error(int why, const char *text, char *err, size_t errlen)
{
    if (why == REF_ZONE)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "time zone of time units '%s' is not utc", text);
    return t2i_fail(T2I_EINPUT, err, errlen,
                    "time units '%s' not understood", text);
}

int time_parse_units(const char *text, t2i_time_units *tu, char *err,
                     size_t errlen)
{
    char buf[UNITS_MAX];
    const char *shown = text ? text : "", *p = buf;
    t2i_time_kind unit = T2I_TU_DAYS;
    size_t n;
    int rc;
    if (!trim_units(shown, buf, sizeof buf))
        return units_error(REF_BAD, shown, err, errlen);
    n = word_len(p);
    if (*p && !lookup_unit(p, n, &unit))
        return units_error(REF_BAD, shown, err, errlen);
    p = skip_ws(p + n);
    if (*p == '\0') /* "yr", "years", "": the start lives in models/ */
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "time units '%s' have no reference date: set "
                        "'time_units' in models/",
                        shown);
    memset(tu, 0, sizeof *tu);
    n = word_len(p);
    if (ieqn(p, n, "as"))
        return parse_as_form(unit, skip_ws(p + n), tu)
                   ? T2I_OK
                   : units_error(REF_BAD, shown, err, errlen);
    if (!ieqn(p, n, "since"))
        return units_error(REF_BAD, shown, err, errlen);
    tu->kind = unit;
    rc = parse_reference(p + n, &tu->ref);
    return rc == REF_OK ? T2I_OK : units_error(rc, shown, err, errlen);
}

/* ---- decoding --------------------------------------------------------- */

/* Whole part of a stored count, forgiving float noise just below it. */
static double split_whole(double value, double *frac)
{
    double whole = floor(value + WHOLE_EPS);
    *frac = value - whole > 0.0 ? value - whole : 0.0;
    return whole;
}

/* A day number reached by counting months or years may not exist: keep the
 * reference's day where possible, else the month's last day (and the first
 * Gregorian day for the ten days dropped in October 1582). */
static int clamp_day(t2i_calendar cal, int y, int m, int d)
{
    int last = time_last_day(cal, y, m);
    if (d > last)
        d = last;
    if (time_is_switch_month(cal, y, m) && d >= 5 && d <= 14)
        d = 15;
    return d;
}

/* days = the date (day clamped) + frac * span_days. */
static int advance(t2i_calendar cal, t2i_date date, double frac,
                   int span_days, double *days, char *err, size_t errlen)
{
    double start;
    date.day = clamp_day(cal, date.year, date.month, date.day);
    if (time_date_to_days(cal, date, &start, err, errlen))
        return T2I_EINPUT;
    *days = start + frac * span_days;
    return T2I_OK;
}

static int decode_since(const t2i_time_units *tu, t2i_calendar cal,
                        double offset_days, double *days, char *err,
                        size_t errlen)
{
    double ref;
    if (time_date_to_days(cal, tu->ref, &ref, err, errlen))
        return T2I_EINPUT;
    *days = ref + offset_days;
    return T2I_OK;
}

static int decode_months(const t2i_time_units *tu, t2i_calendar cal,
                         double value, double *days, char *err,
                         size_t errlen)
{
    double frac, whole = split_whole(value, &frac);
    long long total = tu->ref.year * 12LL + (tu->ref.month - 1) +
                      (long long)whole;
    t2i_date date = tu->ref;
    date.year = (int)t2i_floor_div(total, 12);
    date.month = (int)(total - date.year * 12LL) + 1;
    return advance(cal, date, frac,
                   time_days_in_month(cal, date.year, date.month), days, err,
                   errlen);
}

static int decode_years(const t2i_time_units *tu, t2i_calendar cal,
                        double value, double *days, char *err, size_t errlen)
{
    double frac, whole = split_whole(value, &frac);
    t2i_date date = tu->ref;
    date.year = (int)(tu->ref.year + (long long)whole);
    return advance(cal, date, frac, time_days_in_year(cal, date.year), days,
                   err, errlen);
}

static int decode_decimal_year(t2i_calendar cal, double value, double *days,
                               char *err, size_t errlen)
{
    double frac, whole = split_whole(value, &frac);
    t2i_date date = {(int)whole, 1, 1, 0.0};
    return advance(cal, date, frac, time_days_in_year(cal, date.year), days,
                   err, errlen);
}

static int decode_yyyymm(t2i_calendar cal, double value, double *days,
                         char *err, size_t errlen)
{
    double frac, whole = split_whole(value, &frac);
    long long packed = (long long)whole;
    t2i_date date = {(int)t2i_floor_div(packed, 100), 1, 1, 0.0};
    date.month = (int)(packed - date.year * 100LL);
    if (date.month < 1 || date.month > 12)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "time value '%.15g' is not a valid 'month as "
                        "%%Y%%m.%%f' date",
                        value);
    return advance(cal, date, frac,
                   time_days_in_month(cal, date.year, date.month), days, err,
                   errlen);
}

static int decode_yyyymmdd(t2i_calendar cal, double value, double *days,
                           char *err, size_t errlen)
{
    double frac, whole = split_whole(value, &frac);
    long long packed = (long long)whole;
    long long year = t2i_floor_div(packed, 10000);
    long long rest = packed - year * 10000;
    t2i_date date = {(int)year, (int)(rest / 100), (int)(rest % 100), 0.0};
    if (!time_date_exists(cal, date.year, date.month, date.day))
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "time value '%.15g' is not a valid 'day as "
                        "%%Y%%m%%d.%%f' date in the '%s' calendar",
                        value, time_calendar_name(cal));
    return advance(cal, date, frac, 1, days, err, errlen);
}

/* The year a value points near, before any integer conversion, so that
 * absurd values are refused before they can overflow. */
static double rough_year(const t2i_time_units *tu, double value)
{
    switch (tu->kind) {
    case T2I_TU_MONTHS: return tu->ref.year + value / 12.0;
    case T2I_TU_YEARS: return tu->ref.year + value;
    case T2I_TU_DECIMAL_YEAR: return value;
    case T2I_TU_YYYYMM: return value / 100.0;
    case T2I_TU_YYYYMMDD: return value / 10000.0;
    case T2I_TU_SECONDS:
    case T2I_TU_MINUTES:
    case T2I_TU_HOURS:
    case T2I_TU_DAYS: break;
    }
    return tu->ref.year; /* no integer conversion of value: checked after */
}

static int decode_kind(const t2i_time_units *tu, t2i_calendar cal,
                       double value, double *days, char *err, size_t errlen)
{
    switch (tu->kind) {
    case T2I_TU_SECONDS:
        return decode_since(tu, cal, value / SECONDS_PER_DAY, days, err,
                            errlen);
    case T2I_TU_MINUTES:
        return decode_since(tu, cal, value / MINUTES_PER_DAY, days, err,
                            errlen);
    case T2I_TU_HOURS:
        return decode_since(tu, cal, value / HOURS_PER_DAY, days, err, errlen);
    case T2I_TU_DAYS: return decode_since(tu, cal, value, days, err, errlen);
    case T2I_TU_MONTHS: return decode_months(tu, cal, value, days, err, errlen);
    case T2I_TU_YEARS: return decode_years(tu, cal, value, days, err, errlen);
    case T2I_TU_DECIMAL_YEAR:
        return decode_decimal_year(cal, value, days, err, errlen);
    case T2I_TU_YYYYMM: return decode_yyyymm(cal, value, days, err, errlen);
    case T2I_TU_YYYYMMDD: return decode_yyyymmdd(cal, value, days, err, errlen);
    }
    return t2i_fail(T2I_EINPUT, err, errlen, "time units kind '%d' unknown",
                    (int)tu->kind);
}

static int absurd_offset(double value, char *err, size_t errlen)
{
    return t2i_fail(T2I_EINPUT, err, errlen,
                    "time value '%.15g' gives an absurd offset: more than "
                    "100000 years from 1850",
                    value);
}

int time_decode(const t2i_time_units *tu, t2i_calendar cal, double value,
                double *days, char *err, size_t errlen)
{
    int rc;
    if (!isfinite(value))
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "time value '%g' is not finite", value);
    if (fabs(rough_year(tu, value) - 1850.0) > T2I_MAX_YEARS_FROM_1850)
        return absurd_offset(value, err, errlen);
    rc = decode_kind(tu, cal, value, days, err, errlen);
    if (rc == T2I_OK && time_beyond_limit(cal, *days))
        return absurd_offset(value, err, errlen);
    return rc;
}

/* ---- planning the output axis ----------------------------------------- */

typedef struct {
    const double *days;
    const double *in_bnds;
    size_t n;
    t2i_calendar cal;
    t2i_stamp stamp;
    t2i_freq freq;
} plan_in;

void time_axis_free(t2i_time_axis *axis)
{
    free(axis->mid);
    free(axis->bnds);
    free(axis->year);
    free(axis->month);
    memset(axis, 0, sizeof *axis);
}

static int axis_alloc(t2i_time_axis *axis, size_t n, char *err,
                      size_t errlen)
{
    if (n <= SIZE_MAX / (2 * sizeof(double))) {
        axis->mid = malloc(n * sizeof *axis->mid);
        axis->bnds = malloc(2 * n * sizeof *axis->bnds);
        axis->year = malloc(n * sizeof *axis->year);
        axis->month = malloc(n * sizeof *axis->month);
    }
    if (axis->mid && axis->bnds && axis->year && axis->month) {
        axis->n = n;
        return T2I_OK;
    }
    time_axis_free(axis);
    return t2i_fail(T2I_ESYS, err, errlen,
                    "out of memory for a time axis of %zu steps", n);
}

static int check_finite(const plan_in *in, char *err, size_t errlen)
{
    size_t i;
    for (i = 0; i < in->n; i++) {
        int ok = isfinite(in->days[i]);
        if (in->in_bnds)
            ok = ok && isfinite(in->in_bnds[2 * i]) &&
                 isfinite(in->in_bnds[2 * i + 1]);
        if (!ok)
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "time step %zu is not a finite number", i);
    }
    return T2I_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median length of the input bounds, or median spacing of the stamps. */
static int median_length(const plan_in *in, double *median, char *err,
                         size_t errlen)
{
    size_t k = in->in_bnds ? in->n : in->n - 1, i;
    double *v = malloc(k * sizeof *v);
    if (!v)
        return t2i_fail(T2I_ESYS, err, errlen,
                        "out of memory for a time axis of %zu steps", in->n);
    for (i = 0; i < k; i++)
        v[i] = in->in_bnds ? in->in_bnds[2 * i + 1] - in->in_bnds[2 * i]
                           : in->days[i + 1] - in->days[i];
    qsort(v, k, sizeof *v, cmp_double);
    *median = k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
    free(v);
    return T2I_OK;
}

static t2i_freq classify(double len)
{
    if (len >= MONTH_MIN_DAYS && len <= MONTH_MAX_DAYS)
        return T2I_FREQ_MONTH;
    if (len >= YEAR_MIN_DAYS && len <= YEAR_MAX_DAYS)
        return T2I_FREQ_YEAR;
    return T2I_FREQ_UNKNOWN;
}

static int detect_freq(const plan_in *in, t2i_freq forced, t2i_freq *freq,
                       char *err, size_t errlen)
{
    double len = 0.0;
    int rc;
    *freq = forced;
    if (forced != T2I_FREQ_UNKNOWN)
        return T2I_OK;
    if (!in->in_bnds && in->n < 2)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "a single time step without bounds shows no "
                        "frequency: set 'frequency' in models/");
    rc = median_length(in, &len, err, errlen);
    if (rc != T2I_OK)
        return rc;
    *freq = classify(len);
    if (*freq != T2I_FREQ_UNKNOWN)
        return T2I_OK;
    if (in->in_bnds)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "time bounds of %g days are neither monthly nor "
                        "annual",
                        len);
    return t2i_fail(T2I_EINPUT, err, errlen,
                    "time spacing of %g days is neither monthly nor annual",
                    len);
}

/* Periods are numbered year * 12 + month - 1 (monthly) or by year. */
static int period_start(const plan_in *in, long long key, double *days,
                        char *err, size_t errlen)
{
    t2i_date date = {(int)key, 1, 1, 0.0};
    if (in->freq == T2I_FREQ_MONTH) {
        date.year = (int)t2i_floor_div(key, 12);
        date.month = (int)(key - date.year * 12LL) + 1;
    }
    return time_date_to_days(in->cal, date, days, err, errlen);
}

static double step_time(const plan_in *in, size_t i)
{
    if (in->in_bnds)
        return 0.5 * (in->in_bnds[2 * i] + in->in_bnds[2 * i + 1]);
    return in->days[i];
}

/* The period of step i; a bare stamp on a boundary follows in->stamp. */
static int step_key(const plan_in *in, size_t i, long long *key,
                    int *on_boundary, char *err, size_t errlen)
{
    double t = step_time(in, i), start, end;
    t2i_date date;
    if (time_days_to_date(in->cal, t, &date, err, errlen))
        return T2I_EINPUT;
    *key = in->freq == T2I_FREQ_MONTH ? date.year * 12LL + date.month - 1
                                      : date.year;
    *on_boundary = 0;
    if (in->in_bnds)
        return T2I_OK;
    if (period_start(in, *key, &start, err, errlen) ||
        period_start(in, *key + 1, &end, err, errlen))
        return T2I_EINPUT;
    if (t - start <= T2I_BOUNDARY_TOL_DAYS) {
        *on_boundary = 1;
        *key -= in->stamp == T2I_STAMP_END;
    } else if (end - t <= T2I_BOUNDARY_TOL_DAYS) {
        *on_boundary = 1;
        *key += in->stamp == T2I_STAMP_START;
    }
    return T2I_OK;
}

static void format_stamp(const plan_in *in, double t, char *buf, size_t len)
{
    t2i_date d;
    if (time_days_to_date(in->cal, t, &d, NULL, 0))
        snprintf(buf, len, "%g", t);
    else
        snprintf(buf, len, "%04d-%02d-%02d", d.year, d.month, d.day);
}

static void format_period(const plan_in *in, long long key, char *buf,
                          size_t len)
{
    long long y = t2i_floor_div(key, 12);
    if (in->freq == T2I_FREQ_MONTH)
        snprintf(buf, len, "%04lld-%02lld", y, key - y * 12 + 1);
    else
        snprintf(buf, len, "%04lld", key);
}

/* check_order has made the stamps strictly increasing, so their periods
 * never run backwards: what is left is two stamps in one period, or a
 * period skipped. */
static int check_step(const plan_in *in, size_t i, long long prev,
                      long long key, char *err, size_t errlen)
{
    char a[STAMP_LEN], b[STAMP_LEN];
    format_period(in, key, a, sizeof a);
    format_period(in, prev, b, sizeof b);
    if (key <= prev)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "time step %zu (%s) repeats the %s of step %zu", i, a,
                        in->freq == T2I_FREQ_MONTH ? "month" : "year", i - 1);
    if (key > prev + 1)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "time axis has a gap between step %zu (%s) and step "
                        "%zu (%s)",
                        i - 1, b, i, a);
    return T2I_OK;
}

static int fill_step(const plan_in *in, t2i_time_axis *axis, size_t i,
                     long long key, char *err, size_t errlen)
{
    double start, end;
    long long y = in->freq == T2I_FREQ_MONTH ? t2i_floor_div(key, 12) : key;
    if (period_start(in, key, &start, err, errlen) ||
        period_start(in, key + 1, &end, err, errlen))
        return T2I_EINPUT;
    axis->bnds[2 * i] = start;
    axis->bnds[2 * i + 1] = end;
    axis->mid[i] = 0.5 * (start + end);
    axis->year[i] = (int)y;
    axis->month[i] = in->freq == T2I_FREQ_MONTH ? (int)(key - y * 12 + 1) : 0;
    return T2I_OK;
}

static int plan_steps(const plan_in *in, t2i_time_axis *axis, char *err,
                      size_t errlen)
{
    long long key, prev = 0;
    int on_boundary, rc;
    size_t i;
    for (i = 0; i < in->n; i++) {
        rc = step_key(in, i, &key, &on_boundary, err, errlen);
        if (rc == T2I_OK && i > 0)
            rc = check_step(in, i, prev, key, err, errlen);
        if (rc == T2I_OK)
            rc = fill_step(in, axis, i, key, err, errlen);
        if (rc != T2I_OK)
            return rc;
        axis->on_boundary += (size_t)on_boundary;
        prev = key;
    }
    return T2I_OK;
}

/* Order is checked before the spacing, so a step running backwards is named
 * as such rather than as an odd spacing of the whole axis. */
static int check_order(const plan_in *in, char *err, size_t errlen)
{
    for (size_t i = 1; i < in->n; i++) {
        double t0 = step_time(in, i - 1), t1 = step_time(in, i);
        if (t1 > t0)
            continue;
        char a[STAMP_LEN], b[STAMP_LEN];
        format_stamp(in, t1, a, sizeof a);
        format_stamp(in, t0, b, sizeof b);
        if (t1 == t0)
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "time step %zu (%s) duplicates step %zu", i, a, i - 1);
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "time steps are not increasing at step %zu (%s after %s)", i, a, b);
    }
    return T2I_OK;
}

int time_plan_axis(const double *days, const double *in_bnds, size_t n,
                   t2i_calendar cal, t2i_stamp stamp, t2i_freq forced,
                   t2i_time_axis *axis, char *err, size_t errlen)
{
    plan_in in = {days, in_bnds, n, cal, stamp, forced};
    int rc;
    memset(axis, 0, sizeof *axis);
    if (n == 0)
        return t2i_fail(T2I_EINPUT, err, errlen, "time axis is empty");
    rc = check_finite(&in, err, errlen);
    if (rc == T2I_OK)
        rc = check_order(&in, err, errlen);
    if (rc == T2I_OK)
        rc = detect_freq(&in, forced, &in.freq, err, errlen);
    if (rc == T2I_OK)
        rc = axis_alloc(axis, n, err, errlen);
    if (rc != T2I_OK)
        return rc;
    axis->freq = in.freq;
    axis->from_bounds = in_bnds != NULL;
    rc = plan_steps(&in, axis, err, errlen);
    if (rc != T2I_OK)
        time_axis_free(axis);
    return rc;
}

/* ---- time units read from the values (doc/quirks.md#R-11, #R-14) ----
 * CLM6.0 annual files hold the year itself under units "yr"; ELM-FATES
 * writes decimal years (1701.0, 1701.0833, ...) with no units at all. A
 * value can only be a year number inside this window: outside it the axis
 * is a count whose start only models/ knows. */
#define YEAR_NUMBER_LO 1500.0
#define YEAR_NUMBER_HI 2500.0
/* Slack of one decimal-year step, in years (~0.4 day): float32 stores
 * 1701.0833 about 1e-4 off. */
#define YEAR_STEP_TOL 1e-3
/* A month index this close to whole is the month's start (float noise). */
#define MONTH_INDEX_TOL 0.05

static int all_year_numbers(const double *v, size_t n, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!(v[i] >= YEAR_NUMBER_LO && v[i] <= YEAR_NUMBER_HI))
            return 0;
        *lo = fmin(*lo, v[i]);
        *hi = fmax(*hi, v[i]);
    }
    return n > 0;
}

/* The common step of v in years: 1, 1/12, or 0 when it is neither. */
static double year_step(const double *v, size_t n)
{
    static const double steps[] = {1.0, 1.0 / 12.0};
    for (size_t s = 0; s < COUNT(steps) && n >= 2; s++) {
        size_t i = 1;
        while (i < n && fabs(v[i] - v[i - 1] - steps[s]) <= YEAR_STEP_TOL)
            i++;
        if (i == n)
            return steps[s];
    }
    return 0.0;
}

/* Decimal years stepping by a month become month counts from January of
 * the first year: 1701.0833 is February 1701, not 31 January (a year's
 * twelfth is not a month). */
static void years_to_months(double *v, size_t n, double y0)
{
    for (size_t i = 0; i < n; i++) {
        double m = (v[i] - y0) * 12.0;
        v[i] = fabs(m - round(m)) < MONTH_INDEX_TOL ? round(m) : m;
    }
}

int time_units_from_values(const char *text, double *raw, double *bnds, size_t n,
                           t2i_time_units *tu, char *note, size_t notelen, char *err,
                           size_t errlen)
{
    char buf[UNITS_MAX];
    t2i_time_kind unit = T2I_TU_DAYS;
    double lo, hi;
    note[0] = '\0';
    int rc = time_parse_units(text, tu, err, errlen);
    if (rc == T2I_OK || !trim_units(text ? text : "", buf, sizeof buf) ||
        !all_year_numbers(raw, n, &lo, &hi) || (bnds && !all_year_numbers(bnds, 2 * n, &lo, &hi)))
        return rc;
    size_t len = word_len(buf);
    int bare_year = buf[0] && lookup_unit(buf, len, &unit) && unit == T2I_TU_YEARS &&
                    *skip_ws(buf + len) == '\0';
    double step = buf[0] == '\0' ? year_step(raw, n) : 0.0;
    memset(tu, 0, sizeof *tu);
    if (bare_year || step == 1.0) {
        tu->kind = T2I_TU_DECIMAL_YEAR;
        snprintf(note, notelen, "time units '%s' with values %.10g-%.10g read as calendar years",
                 buf, raw[0], raw[n - 1]);
        return T2I_OK;
    }
    if (step == 0.0)
        return rc;
    double y0 = floor(raw[0] + YEAR_STEP_TOL);
    years_to_months(raw, n, y0);
    if (bnds)
        years_to_months(bnds, 2 * n, y0);
    tu->kind = T2I_TU_MONTHS;
    tu->ref = (t2i_date){(int)y0, 1, 1, 0.0};
    snprintf(note, notelen, "no time units; values %.10g-%.10g stepping by 1/12 read as decimal "
             "years, month m of year y at y + (m - 1)/12", y0 + raw[0] / 12.0,
             y0 + raw[n - 1] / 12.0);
    return T2I_OK;
}
