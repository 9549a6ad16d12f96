/* The checker's coordinates (see verify_grid.h).
 * Shares no code with the converter (see verify.h). */
#include "verify_grid.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
