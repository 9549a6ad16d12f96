/* Decoding every TRENDY time encoding into calendar dates, and planning the
 * output time axis with exact calendar-aware bounds.
 *
 * The common currency is "days since 1850-01-01 00:00:00" in the file's own
 * calendar (the output time units), held in a double. udunits2 is not used
 * for time: it knows neither non-standard calendars nor calendar months.
 * Calendar arithmetic itself is in calendar.h. (Named timeaxis.h, not
 * time.h, so it never shadows the C library's <time.h>.) */
#ifndef T2I_TIMEAXIS_H
#define T2I_TIMEAXIS_H

#include <stddef.h>

#include "calendar.h"

typedef enum {
    T2I_TU_SECONDS, /* <unit> since <reference date> */
    T2I_TU_MINUTES,
    T2I_TU_HOURS,
    T2I_TU_DAYS,
    T2I_TU_MONTHS, /* calendar months since the reference (not udunits' 1/12 year) */
    T2I_TU_YEARS,  /* calendar years since the reference */
    T2I_TU_DECIMAL_YEAR, /* "year as %Y.%f": 1901.5 = half-way through 1901 */
    T2I_TU_YYYYMM,       /* "month as %Y%m.%f": 190101.5 = mid-January 1901 */
    T2I_TU_YYYYMMDD      /* "day as %Y%m%d.%f": 19010116.5 = 16 Jan 1901 12:00 */
} t2i_time_kind;

typedef struct {
    t2i_time_kind kind;
    t2i_date ref; /* reference date of the "since" forms; unused otherwise */
} t2i_time_units;

/* Parses a time `units` attribute in any encoding of doc/quirks.md
 * section T (trailing " (double)", "AD 1700-Jan-1st", year 0000, unpadded
 * fields, 'T' separator, 'Z', time zone +00:00, fractional seconds). Bare
 * "yr"/"years", "" and unparseable strings fill err. */
int time_parse_units(const char *text, t2i_time_units *tu, char *err,
                     size_t errlen);

/* time_parse_units, then, for units that give no reference, the rules of
 * doc/quirks.md that read one from the values themselves
 * (raw: n stamps, bnds: 2n bounds or NULL; every value in 1500..2500):
 * a bare "yr"/"year"/"years" means calendar year numbers (CLM6.0 annual);
 * no units and a step of one year mean decimal years; no units and a step
 * of 1/12 year (ELM-FATES 1701.0, 1701.0833, ...) mean month m of year y at
 * y + (m - 1)/12: raw and bnds are rewritten in place as months since
 * January of the first year. A rule that applied is described in note
 * (empty otherwise). Anything else fills err as time_parse_units does,
 * naming models/ 'time_units'. */
int time_units_from_values(const char *text, double *raw, double *bnds, size_t n,
                           t2i_time_units *tu, char *note, size_t notelen, char *err,
                           size_t errlen);

/* Decodes one stored time value to days since 1850-01-01 in `cal`.
 * "months since"/"years since" advance whole calendar months/years from the
 * reference (keeping its day and time, clamped to the target month's length)
 * and spread the fractional part over the length of the month/year reached.
 * Fills err for non-finite values and dates beyond +-100000 years. */
int time_decode(const t2i_time_units *tu, t2i_calendar cal, double value,
                double *days, char *err, size_t errlen);

typedef enum { T2I_FREQ_UNKNOWN, T2I_FREQ_MONTH, T2I_FREQ_YEAR } t2i_freq;

/* How a stamp that falls exactly on a period boundary is read:
 * as the start of the period it opens, or as the end of the one it closes. */
typedef enum { T2I_STAMP_START, T2I_STAMP_END } t2i_stamp;

typedef struct {
    size_t n;       /* time steps */
    t2i_freq freq;  /* monthly or annual */
    double *mid;    /* n output stamps: midpoint of each period (days) */
    double *bnds;   /* 2n: [start, end) of each period, days since 1850 */
    int *year;      /* n: calendar year of each period */
    int *month;     /* n: 1..12, or 0 for annual periods */
    size_t on_boundary; /* stamps that sat on a boundary (read by stamp mode) */
    int from_bounds;    /* 1 if input bounds decided the periods */
} t2i_time_axis;

/* Turns decoded stamps (and decoded input bounds, 2n values or NULL) into
 * whole calendar months or years. Frequency comes from `forced` when not
 * T2I_FREQ_UNKNOWN, else from the spacing (27.5-31.5 days: monthly, 359-367:
 * annual). A stamp strictly inside a period means that period; one within
 * T2I_BOUNDARY_TOL_DAYS of a boundary follows `stamp`. Fills err (naming the
 * step index and its date) for non-monotonic or duplicated stamps, two stamps
 * in one period, gaps, and spacings that are neither monthly nor annual.
 * On success the arrays are allocated and must be freed with
 * time_axis_free. */
int time_plan_axis(const double *days, const double *in_bnds, size_t n,
                   t2i_calendar cal, t2i_stamp stamp, t2i_freq forced,
                   t2i_time_axis *axis, char *err, size_t errlen);

/* Frees what time_plan_axis allocated; safe on a zeroed axis. */
void time_axis_free(t2i_time_axis *axis);

/* A stamp this close to a period boundary (days) counts as on it: float
 * storage of "hours since 1700" carries up to ~0.01 day of rounding. */
#define T2I_BOUNDARY_TOL_DAYS (1.0 / 24.0)

#endif
