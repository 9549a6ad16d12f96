/* t2i-verify's checks: is one converter output ILAMB-ready, and does it
 * still say what its input said?
 *
 * The checker reads the output and, independently, the input. It shares no
 * code with the converter's time, grid, units, slab, input or convert
 * modules, on purpose: a bug shared by both would pass both. Its calendar
 * counts days month by month, it matches output cells to input cells by
 * coordinate value (longitude modulo 360), and it derives the unit factor
 * itself (udunits2 plus its own carbon, water and per-period handling).
 *
 * Every finding is a "problem": one lower-case line naming what is wrong
 * ("lat is descending", "lat_bnds missing"). Problems are collected, not
 * returned as errors; a status other than T2I_OK means the check itself
 * could not run (no memory, unreadable table). */
#ifndef T2I_VERIFY_H
#define T2I_VERIFY_H

#include <stddef.h>

/* Problems kept verbatim per output; further ones are only counted. */
#define VERIFY_MAX_PROBLEMS 64
/* Longest problem line, in bytes. */
#define VERIFY_PROBLEM_LEN 256
/* Extra missing sentinels and reductions accepted from models/. */
#define VERIFY_MAX_MISSING 16
#define VERIFY_MAX_REDUCE 8
/* Time steps compared cell by cell with the input, by default: first,
 * last and an even spread between. */
#define VERIFY_SAMPLES 12
/* Largest quicklook map, in cells: finer grids are block-averaged. */
#define VERIFY_MAP_NLON 144
#define VERIFY_MAP_NLAT 72

typedef struct {
    char text[VERIFY_MAX_PROBLEMS][VERIFY_PROBLEM_LEN];
    int n;     /* kept */
    int total; /* found (>= n) */
} verify_problems;

/* Adds one problem (printf-style). */
void verify_problem(verify_problems *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------ calendar */

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

/* Parses "Y-M-D", "Y-M-D h:m:s", "Y-M-DTh:m:sZ" (unpadded fields allowed).
 * Returns 0, or -1 when the text is not such a date. */
int verify_parse_date(const char *text, verify_date *d);

/* Days from the first instant of month (y0, m0) to the first instant of
 * month (y1, m1), counted month by month (negative when earlier). */
double verify_months_apart_days(verify_cal cal, long y0, int m0, long y1, int m1);

/* ------------------------------------------------------------ time axis */

/* What the output's time axis says, step by step. */
typedef struct {
    int monthly;   /* 1 monthly, 0 annual */
    long *year;    /* per step: the month or year its bounds cover */
    int *month;    /* 1..12; 1 for annual steps */
} verify_steps;

/* Checks an output time axis given in days since `ref`: each step's bounds
 * are exactly one calendar month (or year), contiguous, and contain the
 * stamp. Fills steps (arrays of n, allocated here; free with
 * verify_steps_free) with the period of each step as the bounds describe
 * it. Returns -1 when the axis is too broken to say which month a step is
 * (steps left empty), 0 otherwise; problems go to p either way. */
int verify_time_axis(verify_cal cal, const verify_date *ref, const double *mid,
                     const double *bnds, size_t n, verify_steps *steps, verify_problems *p);

void verify_steps_free(verify_steps *steps);

/* Decodes one input stamp into the month it falls in, from the units text
 * ("<unit> since <date>", "months since ...", "years since ...",
 * "month as %Y%m.%f", "day as %Y%m%d.%f", "year as %Y.%f"). `*boundary`
 * is set when the stamp lies exactly on the first instant of its month, so
 * it may close the previous period. Returns 0, or -1 for an encoding the
 * checker does not read (the step is then not compared). */
int verify_decode_stamp(verify_cal cal, const char *units, double value, long *year,
                        int *month, int *boundary);

/* ------------------------------------------------------------ coordinates */

/* Checks one output coordinate and its bounds (n rows of (lower, upper),
 * or NULL when absent): ascending, inside [lo, hi) (or [lo, hi] when
 * `closed`), bounds contiguous and containing the centres. */
void verify_axis(const char *name, const double *v, const double *bnds, size_t n, double lo,
                 double hi, int closed, verify_problems *p);

/* Index of the input coordinate equal to `want` (within tol degrees;
 * modulo 360 when `periodic`), or -1. */
long verify_match(const double *in, size_t n, double want, double tol, int periodic);

/* ------------------------------------------------------------ units */

typedef enum { VERIFY_PER_NONE, VERIFY_PER_MONTH, VERIFY_PER_YEAR } verify_per;

typedef struct {
    double factor, offset; /* target = value * factor + offset */
    verify_per per;        /* then divide by the seconds of that period */
} verify_factor;

/* The conversion from TRENDY units `from` to `to`, found independently of
 * the converter. Returns 0, or -1 with the reason in why. */
int verify_units(const char *from, const char *to, verify_factor *f, char *why,
                 size_t whylen);

/* ------------------------------------------------------------ the check */

typedef struct {
    char dim[64];
    char op;      /* 's' sum, 'm' mean, 'i' keep one index */
    size_t index;
} verify_reduce;

typedef struct {
    const char *input, *output;
    const char *var;          /* input variable */
    const char *out_var;      /* output variable */
    const char *target_units; /* CMIP6 units the output must carry */
    /* models/ overrides, NULL when absent */
    const char *time_var, *time_units, *calendar, *units;
    int stamp_end;            /* boundary stamps close a period */
    double scale;             /* extra factor, 1 by default */
    double missing[VERIFY_MAX_MISSING];
    int nmissing;
    verify_reduce reduce[VERIFY_MAX_REDUCE];
    int nreduce;
    size_t samples;           /* time steps compared with the input */
} verify_options;

/* Quicklook numbers and what was compared. */
typedef struct {
    size_t ntime, nlat, nlon;
    int monthly;
    char calendar[64];
    double *when;   /* ntime decimal years (mid-step), NAN when unknown */
    double *series; /* ntime area-weighted global means, NAN when empty */
    size_t map_nlat, map_nlon;
    double *map;    /* time mean, [map_nlat][map_nlon], NAN when empty */
    size_t steps_compared, cells_compared;
    char note[VERIFY_PROBLEM_LEN]; /* what was not checked, and why */
} verify_summary;

/* Runs every check of `o->output` against `o->input`. Problems go to p;
 * s is filled for the report (free with verify_summary_free). Returns
 * T2I_OK, or a T2I_* status with err when the check cannot run. */
int verify_run(const verify_options *o, verify_problems *p, verify_summary *s, char *err,
               size_t errlen);

void verify_summary_free(verify_summary *s);

/* Writes the result JSON (status, problems, quicklook numbers) to `path`
 * through a temporary file. */
int verify_write_json(const char *path, const verify_options *o, const verify_problems *p,
                      const verify_summary *s, double wall_seconds, char *err, size_t errlen);

#endif
