/* Horizontal grid planning: the output latitude ascending in [-90, 90],
 * longitude ascending in [-180, 180), each with (lower, upper) bounds, and
 * the index maps that carry every input row and column to its output place.
 * Pure functions on arrays: no file access, so every flip, roll and bounds
 * rule is tested without NetCDF. */
#ifndef T2I_GRID_H
#define T2I_GRID_H

#include <stddef.h>

typedef struct {
    size_t n;       /* points on this axis */
    double *value;  /* n output coordinates, ascending */
    double *bnds;   /* 2n: (lower, upper) of each output cell */
    size_t *from;   /* n: input index feeding each output index */
    int flipped;    /* 1 if the input ran in reverse (latitude north->south) */
    double shifted; /* degrees added to some longitudes to enter [-180, 180) */
    int bounds_computed; /* 1 if bounds were made as cell edges, not read */
} t2i_axis;

/* Plans a latitude axis from n input centres and optional input bounds (2n
 * values, or NULL). Fills err for NaN, values outside [-90, 90], repeated
 * or unordered values. Computed bounds are midpoints between centres,
 * extrapolated by half a spacing at the ends and clamped to +-90. */
int grid_plan_lat(const double *lat, const double *bnds, size_t n,
                  t2i_axis *axis, char *err, size_t errlen);

/* Plans a longitude axis: every centre is moved into [-180, 180) by whole
 * turns, then sorted (a 0..360 grid is rolled). Bounds move with their
 * centre. Fills err for NaN, repeated centres after the move (e.g. both 0
 * and 360), centres in no order (neither ascending nor descending around
 * the circle) and a span wider than 360 degrees. */
int grid_plan_lon(const double *lon, const double *bnds, size_t n,
                  t2i_axis *axis, char *err, size_t errlen);

/* Frees what a plan allocated; safe on a zeroed axis. */
void grid_axis_free(t2i_axis *axis);

#endif
