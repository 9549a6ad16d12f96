/* The checker's coordinate checks and cell matching by coordinate value. */
#ifndef T2I_VERIFY_GRID_H
#define T2I_VERIFY_GRID_H

#include <stddef.h>

#include "verify.h"

/* Checks one output coordinate and its bounds (n rows of (lower, upper),
 * or NULL when absent): ascending, inside [lo, hi) (or [lo, hi] when
 * `closed`), bounds contiguous and containing the centres. */
void verify_axis(const char *name, const double *v, const double *bnds, size_t n, double lo,
                 double hi, int closed, verify_problems *p);

/* Index of the input coordinate equal to `want` (within tol degrees;
 * modulo 360 when `periodic`), or -1. */
long verify_match(const double *in, size_t n, double want, double tol, int periodic);

#endif
