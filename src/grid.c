/* Latitude flips and longitude rolls as index maps (see grid.h). */
#include "grid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "t2i.h"

/* Two coordinates closer than this (degrees) are one point repeated. */
#define GRID_SAME_DEG 1e-9

typedef struct {
    double value;
    size_t index;
} grid_point;

static int point_cmp(const void *a, const void *b)
{
    const grid_point *pa = a, *pb = b;
    if (pa->value < pb->value)
        return -1;
    if (pa->value > pb->value)
        return 1;
    return (pa->index > pb->index) - (pa->index < pb->index);
}

static int axis_alloc(t2i_axis *axis, size_t n, char *err, size_t errlen)
{
    memset(axis, 0, sizeof *axis);
    axis->n = n;
    axis->value = malloc(n * sizeof *axis->value);
    axis->bnds = malloc(2 * n * sizeof *axis->bnds);
    axis->from = malloc(n * sizeof *axis->from);
    if (!axis->value || !axis->bnds || !axis->from) {
        grid_axis_free(axis);
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory for a %zu-point axis", n);
    }
    return T2I_OK;
}

void grid_axis_free(t2i_axis *axis)
{
    free(axis->value);
    free(axis->bnds);
    free(axis->from);
    memset(axis, 0, sizeof *axis);
}

/* Sorts the (already moved) centres, fills value/from and rejects repeats.
 * `name` is "latitude" or "longitude" for messages. */
static int sort_axis(grid_point *pts, size_t n, const char *name,
                     t2i_axis *axis, char *err, size_t errlen)
{
    qsort(pts, n, sizeof *pts, point_cmp);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && pts[i].value - pts[i - 1].value < GRID_SAME_DEG)
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "%s %.6g appears twice (input indices %zu and %zu)",
                            name, pts[i].value, pts[i - 1].index, pts[i].index);
        axis->value[i] = pts[i].value;
        axis->from[i] = pts[i].index;
    }
    axis->flipped = n > 1 && axis->from[0] == n - 1 && axis->from[n - 1] == 0;
    return T2I_OK;
}

/* The first sorted position whose input index breaks a walk through the
 * input in one direction (0 if none breaks it). A walk starts at from[0]
 * and goes up or down the input indices; only a `cyclic` axis (longitude)
 * may wrap around, as a 0..360 grid does once its centres are moved. */
static size_t order_break(const size_t *from, size_t n, int cyclic)
{
    if (n < 3)
        return 0;
    int down = from[1] == (from[0] + n - 1) % n && from[1] != (from[0] + 1) % n;
    size_t start = from[0];
    if (!cyclic && start != (down ? n - 1 : 0))
        return 1;
    for (size_t i = 1; i < n; i++)
        if (from[i] != (down ? (start + n - i) % n : (start + i) % n))
            return i;
    return 0;
}

/* Refuses centres stored in no order (neither ascending nor descending):
 * sorting them would hide a scrambled or damaged coordinate variable. */
static int check_order(const t2i_axis *axis, int cyclic, const char *name, char *err,
                       size_t errlen)
{
    size_t i = order_break(axis->from, axis->n, cyclic);
    if (i == 0)
        return T2I_OK;
    return t2i_fail(T2I_EINPUT, err, errlen,
                    "%s is not monotonic: %g at input index %zu is out of order", name,
                    axis->value[i], axis->from[i]);
}

/* The p-th sorted centre counted from index `first`, plus a whole turn
 * (*turn) for those that wrapped past the end: the points in the order in
 * which they are neighbours. */
static double circular_value(const t2i_axis *axis, size_t first, size_t p, double *turn)
{
    size_t i = (first + p) % axis->n;
    *turn = i < first ? 360.0 : 0.0;
    return axis->value[i] + *turn;
}

/* Cell edges halfway between neighbouring centres, the outer ones half a
 * spacing beyond the end centres; a single point gets a 1-degree cell.
 * Neighbours are taken in sorted order from index `first` (0 for latitude;
 * for a longitude axis, the point after its widest gap) and the wrapped
 * ones' edges moved back by their turn. */
static void compute_edges(t2i_axis *axis, size_t first)
{
    size_t n = axis->n;
    double turn, other;
    for (size_t p = 0; p < n; p++) {
        double v = circular_value(axis, first, p, &turn);
        double below = p > 0 ? v - circular_value(axis, first, p - 1, &other)
                             : (n > 1 ? circular_value(axis, first, 1, &other) - v : 1.0);
        double above = p + 1 < n ? circular_value(axis, first, p + 1, &other) - v : below;
        size_t i = (first + p) % n;
        axis->bnds[2 * i] = v - below / 2 - turn;
        axis->bnds[2 * i + 1] = v + above / 2 - turn;
    }
    axis->bounds_computed = 1;
}

/* A regional grid across the dateline sorts into two runs after the move
 * (-180, -170 | 170): its ends lie at the widest gap between circular
 * neighbours, not at -180. Returns the sorted index after that gap (0 when
 * the wrap-around gap is the widest, as on every global grid). */
static size_t lon_first_after_gap(const t2i_axis *axis)
{
    size_t n = axis->n, first = 0;
    double widest = axis->value[0] + 360.0 - axis->value[n - 1];
    for (size_t i = 0; i + 1 < n; i++)
        if (axis->value[i + 1] - axis->value[i] > widest) {
            widest = axis->value[i + 1] - axis->value[i];
            first = i + 1;
        }
    return first;
}

/* Copies input bounds in output order, each row made (lower, upper),
 * with `shift` degrees added to both ends. */
static int copy_bounds(t2i_axis *axis, const double *bnds, const double *shift,
                       const char *name, char *err, size_t errlen)
{
    for (size_t i = 0; i < axis->n; i++) {
        size_t k = axis->from[i];
        double a = bnds[2 * k], b = bnds[2 * k + 1];
        double s = shift ? shift[k] : 0.0;
        if (!isfinite(a) || !isfinite(b))
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "%s bounds of input index %zu are not finite", name, k);
        axis->bnds[2 * i] = fmin(a, b) + s;
        axis->bnds[2 * i + 1] = fmax(a, b) + s;
    }
    return T2I_OK;
}

int grid_plan_lat(const double *lat, const double *bnds, size_t n,
                  t2i_axis *axis, char *err, size_t errlen)
{
    memset(axis, 0, sizeof *axis);
    if (n == 0)
        return t2i_fail(T2I_EINPUT, err, errlen, "latitude axis is empty");
    grid_point *pts = malloc(n * sizeof *pts);
    if (!pts)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory for latitudes");
    int status = T2I_OK;
    for (size_t i = 0; i < n && status == T2I_OK; i++) {
        if (!isfinite(lat[i]) || fabs(lat[i]) > 90.0 + GRID_SAME_DEG)
            status = t2i_fail(T2I_EINPUT, err, errlen,
                              "latitude %g at index %zu is outside [-90, 90]", lat[i], i);
        pts[i] = (grid_point){lat[i], i};
    }
    if (status == T2I_OK)
        status = axis_alloc(axis, n, err, errlen);
    if (status == T2I_OK)
        status = sort_axis(pts, n, "latitude", axis, err, errlen);
    if (status == T2I_OK)
        status = check_order(axis, 0, "latitude", err, errlen);
    if (status == T2I_OK && bnds)
        status = copy_bounds(axis, bnds, NULL, "latitude", err, errlen);
    else if (status == T2I_OK)
        compute_edges(axis, 0);
    for (size_t i = 0; status == T2I_OK && i < 2 * n; i++)
        axis->bnds[i] = fmax(-90.0, fmin(90.0, axis->bnds[i]));
    free(pts);
    if (status != T2I_OK)
        grid_axis_free(axis);
    return status;
}

/* Whole turns that bring x into [-180, 180). */
static double lon_turn(double x)
{
    return -360.0 * floor((x + 180.0) / 360.0);
}

int grid_plan_lon(const double *lon, const double *bnds, size_t n,
                  t2i_axis *axis, char *err, size_t errlen)
{
    memset(axis, 0, sizeof *axis);
    if (n == 0)
        return t2i_fail(T2I_EINPUT, err, errlen, "longitude axis is empty");
    grid_point *pts = malloc(n * sizeof *pts);
    double *shift = malloc(n * sizeof *shift);
    int status = pts && shift ? T2I_OK
                              : t2i_fail(T2I_ESYS, err, errlen, "out of memory for longitudes");
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n && status == T2I_OK; i++) {
        if (!isfinite(lon[i]))
            status = t2i_fail(T2I_EINPUT, err, errlen,
                              "longitude at index %zu is not finite", i);
        lo = fmin(lo, lon[i]);
        hi = fmax(hi, lon[i]);
        shift[i] = lon_turn(lon[i]);
        pts[i] = (grid_point){lon[i] + shift[i], i};
    }
    if (status == T2I_OK && hi - lo >= 360.0)
        status = t2i_fail(T2I_EINPUT, err, errlen,
                          "longitudes span %g degrees, more than a full turn", hi - lo);
    if (status == T2I_OK)
        status = axis_alloc(axis, n, err, errlen);
    if (status == T2I_OK)
        status = sort_axis(pts, n, "longitude", axis, err, errlen);
    if (status == T2I_OK)
        status = check_order(axis, 1, "longitude", err, errlen);
    if (status == T2I_OK && bnds)
        status = copy_bounds(axis, bnds, shift, "longitude", err, errlen);
    else if (status == T2I_OK)
        compute_edges(axis, lon_first_after_gap(axis));
    for (size_t i = 0; status == T2I_OK && i < n; i++)
        if (shift[i] != 0.0)
            axis->shifted = shift[i];
    free(pts);
    free(shift);
    if (status != T2I_OK)
        grid_axis_free(axis);
    return status;
}
