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
 * could not run (no memory, unreadable table).
 *
 * The parts, one concern each: verify_calendar (calendar and dates),
 * verify_time (the output's time axis, input stamps), verify_grid
 * (coordinates), verify_units (unit factors), verify_read (opening both
 * files), verify_compare (values), verify_quicklook (report numbers),
 * verify_layers (soil layers: depths and the top-layer sum), verify_json
 * (the result file). */
#ifndef T2I_VERIFY_H
#define T2I_VERIFY_H

#include <stddef.h>

#include "cli.h"

/* Problems kept verbatim per output; further ones are only counted. */
#define VERIFY_MAX_PROBLEMS 64
/* Longest problem line, in bytes. */
#define VERIFY_PROBLEM_LEN 256
/* Most soil layers compared (the converter's limit too). */
#define VERIFY_MAX_LAYERS 64
/* Time steps compared cell by cell with the input, by default: first,
 * last and an even spread between. */
#define VERIFY_SAMPLES 12
/* Largest quicklook map, in cells: finer grids are block-averaged. 360x180
 * shows continents (one-degree cells) and keeps the JSON under 1 MB. */
#define VERIFY_MAP_NLON 360
#define VERIFY_MAP_NLAT 180
/* Bounds and stamps are days in a double: anything closer than this
 * (days, about 0.1 s) is the same instant. */
#define VERIFY_DAY_TOL 1e-6
/* Coordinates equal within this many degrees are the same cell centre. */
#define VERIFY_COORD_TOL 1e-3
#define VERIFY_SECONDS_PER_DAY 86400.0
#define VERIFY_PI 3.14159265358979323846

typedef struct {
    char text[VERIFY_MAX_PROBLEMS][VERIFY_PROBLEM_LEN];
    int n;     /* kept */
    int total; /* found (>= n) */
} verify_problems;

/* Adds one problem (printf-style). */
void verify_problem(verify_problems *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------ the check */

typedef struct {
    const char *input, *output;
    const char *source;       /* --source: named instead of input; or NULL */
    const char *var;          /* input variable */
    const char *out_var;      /* output variable */
    const char *target_units; /* CMIP6 units the output must carry */
    /* models/ overrides, read by the same option table as the converter's
     * (cli.h); --frequency is accepted and not needed: the output's bounds
     * say the frequency */
    t2i_overrides models;
    size_t samples;           /* time steps compared with the input */
    const char *standard_name; /* the table's: "carbon" in it makes totals PgC */
    const char *areacella, *sftlf; /* the model directory's files, NULL if none */
    /* Soil layers: the table's layers column ("", "depth", "top=M"); the
     * models/ layer_bounds are in `models`. */
    const char *layers;
} verify_options;

/* Quicklook numbers and what was compared. */
typedef struct {
    size_t ntime, nlat, nlon;
    int monthly;
    char calendar[64];
    double *when;   /* ntime decimal years (mid-step), NAN when unknown */
    double *series; /* ntime area-weighted global means, NAN when empty */
    size_t map_nlat, map_nlon;
    double map_extent[4]; /* south, north, west, east edges of the map, degrees */
    double *map;    /* time mean, [map_nlat][map_nlon], NAN when empty */
    double *step_sum;    /* ntime: sum of value x land area (m2) over valid cells */
    double *step_weight; /* ntime: land area (m2) of those cells */
    double area_m2, land_m2; /* the grid's area and land area */
    int land_from_file;  /* 1 when sftlf was read */
    char area_note[VERIFY_PROBLEM_LEN + 64]; /* area files on another grid, or "" */
    size_t nyears;       /* full calendar years */
    long *years;
    double *annual;      /* nyears totals, means or stocks (NAN: a step empty) */
    char annual_units[32], annual_kind[8]; /* "PgC yr-1", "flux" | "pool" | "mean" */
    size_t steps_compared, cells_compared;
    char note[VERIFY_PROBLEM_LEN]; /* what was not checked, and why */
} verify_summary;

/* Runs every check of `o->output` against `o->input`. Problems go to p;
 * s is filled for the report (free with verify_summary_free). Returns
 * T2I_OK, or a T2I_* status with err when the check cannot run. */
int verify_run(const verify_options *o, verify_problems *p, verify_summary *s, char *err,
               size_t errlen);

void verify_summary_free(verify_summary *s);

#endif
