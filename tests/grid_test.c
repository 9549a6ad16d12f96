/* Tests of src/grid.c: latitude flips, longitude rolls, computed and read
 * bounds, and every refusal word for word. Expected coordinates, index maps
 * and edges are worked out by hand in the comments. */
#include "grid.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "t2i.h"

/* Coordinates here are sums of halves and quarters: exact in a double. */
#define DEG_TOL 1e-12

/* Points on the 0.5-degree global longitude axis of TRENDY. */
#define HALF_DEG_NLON 720

/* 1 when the n values of got equal want (within DEG_TOL). */
static int same_doubles(const double *got, const double *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(fabs(got[i] - want[i]) <= DEG_TOL))
            return 0;
    return 1;
}

static int same_sizes(const size_t *got, const size_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            return 0;
    return 1;
}

/* The message of a refused latitude plan, or "(accepted)". */
static const char *lat_error(const double *lat, const double *bnds, size_t n, char *err)
{
    t2i_axis axis;
    strcpy(err, "(no message)");
    if (grid_plan_lat(lat, bnds, n, &axis, err, T2I_ERRLEN) == T2I_OK) {
        strcpy(err, "(accepted)");
        grid_axis_free(&axis);
    } else if (axis.value || axis.bnds || axis.from) {
        strcpy(err, "(arrays left allocated after an error)");
    }
    return err;
}

static const char *lon_error(const double *lon, const double *bnds, size_t n, char *err)
{
    t2i_axis axis;
    strcpy(err, "(no message)");
    if (grid_plan_lon(lon, bnds, n, &axis, err, T2I_ERRLEN) == T2I_OK) {
        strcpy(err, "(accepted)");
        grid_axis_free(&axis);
    } else if (axis.value || axis.bnds || axis.from) {
        strcpy(err, "(arrays left allocated after an error)");
    }
    return err;
}

/* 45, 15, -15, -45 (north to south, 30-degree rows) comes out ascending,
 * output row i reading input row 3 - i; edges halfway between centres and
 * 15 degrees beyond the end ones: -60, -30, 0, 30, 60. */
static void test_lat_descending(t2i_tally *t)
{
    const double lat[] = {45, 15, -15, -45};
    const double want[] = {-45, -15, 15, 45};
    const size_t from[] = {3, 2, 1, 0};
    const double bnds[] = {-60, -30, -30, 0, 0, 30, 30, 60};
    t2i_axis a;
    char err[T2I_ERRLEN] = "";
    int st = grid_plan_lat(lat, NULL, 4, &a, err, sizeof err);
    CHECK(t, st == T2I_OK, "a descending latitude axis is accepted");
    if (st != T2I_OK)
        return;
    CHECK(t, a.n == 4 && same_doubles(a.value, want, 4),
          "descending latitudes come out ascending");
    CHECK(t, same_sizes(a.from, from, 4), "the flipped axis reads input rows in reverse");
    CHECK(t, a.flipped == 1, "a north-to-south axis is reported as flipped");
    CHECK(t, same_doubles(a.bnds, bnds, 8),
          "computed latitude bounds are the edges halfway between centres");
    CHECK(t, a.bounds_computed == 1, "bounds made from centres are reported as computed");
    grid_axis_free(&a);
}

/* -15, 15 ascending: identity map, not flipped. */
static void test_lat_ascending(t2i_tally *t)
{
    const double lat[] = {-15, 15};
    const size_t from[] = {0, 1};
    t2i_axis a;
    char err[T2I_ERRLEN] = "";
    int st = grid_plan_lat(lat, NULL, 2, &a, err, sizeof err);
    CHECK(t, st == T2I_OK && same_sizes(a.from, from, 2) && a.flipped == 0,
          "an ascending latitude axis keeps its order and is not flipped");
    if (st == T2I_OK)
        grid_axis_free(&a);
}

/* Rows 50 degrees apart centred at -75, -25, 25, 75: the outer edges
 * -75 - 25 = -100 and 75 + 25 = 100 are clamped to -90 and 90. */
static void test_lat_clamp(t2i_tally *t)
{
    const double lat[] = {-75, -25, 25, 75};
    const double bnds[] = {-90, -50, -50, 0, 0, 50, 50, 90};
    t2i_axis a;
    char err[T2I_ERRLEN] = "";
    int st = grid_plan_lat(lat, NULL, 4, &a, err, sizeof err);
    CHECK(t, st == T2I_OK && same_doubles(a.bnds, bnds, 8),
          "computed latitude edges beyond the poles are clamped to -90 and 90");
    if (st == T2I_OK)
        grid_axis_free(&a);
}

/* A single row at 10 degrees gets a 1-degree cell: (9.5, 10.5). */
static void test_lat_single(t2i_tally *t)
{
    const double lat[] = {10};
    const double bnds[] = {9.5, 10.5};
    t2i_axis a;
    char err[T2I_ERRLEN] = "";
    int st = grid_plan_lat(lat, NULL, 1, &a, err, sizeof err);
    CHECK(t, st == T2I_OK && same_doubles(a.bnds, bnds, 2) && a.flipped == 0,
          "a single latitude gets a 1-degree cell and is not flipped");
    if (st == T2I_OK)
        grid_axis_free(&a);
}

/* Input 10, 0 with rows written (upper, lower): (15, 5) and (5, -5). Output
 * 0, 10 with rows (lower, upper) following their centres: (-5, 5), (5, 15). */
static void test_lat_input_bounds(t2i_tally *t)
{
    const double lat[] = {10, 0};
    const double in_bnds[] = {15, 5, 5, -5};
    const double want[] = {-5, 5, 5, 15};
    t2i_axis a;
    char err[T2I_ERRLEN] = "";
    int st = grid_plan_lat(lat, in_bnds, 2, &a, err, sizeof err);
    CHECK(t, st == T2I_OK, "latitude bounds from the file are accepted");
    if (st != T2I_OK)
        return;
    CHECK(t, same_doubles(a.bnds, want, 4),
          "input latitude bounds follow their centre and are ordered (lower, upper)");
    CHECK(t, a.bounds_computed == 0, "bounds read from the file are not reported as computed");
    grid_axis_free(&a);
}

/* A polar row whose file bounds overshoot, (85, 90.5), becomes (85, 90). */
static void test_lat_input_bounds_clamped(t2i_tally *t)
{
    const double lat[] = {87.5, 82.5};
    const double in_bnds[] = {85, 90.5, 80, 85};
    const double want[] = {80, 85, 85, 90};
    t2i_axis a;
    char err[T2I_ERRLEN] = "";
    int st = grid_plan_lat(lat, in_bnds, 2, &a, err, sizeof err);
    CHECK(t, st == T2I_OK && same_doubles(a.bnds, want, 4),
          "latitude bounds read from the file are clamped to 90");
    if (st == T2I_OK)
        grid_axis_free(&a);
}

/* Rounding noise such as 89.75000001 is not a reason to refuse a grid. */
static void test_lat_noise(t2i_tally *t)
{
    const double lat[] = {89.75000001, 89.25, -89.75000001};
    char err[T2I_ERRLEN];
    CHECK_STR(t, lat_error(lat, NULL, 3, err), "(accepted)",
              "latitudes with float rounding noise are accepted");
    const double pole[] = {90.0 + 1e-12, 0.0};
    CHECK_STR(t, lat_error(pole, NULL, 2, err), "(accepted)",
              "a latitude a trillionth of a degree beyond the pole is accepted as noise");
}

static void test_lat_errors(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    const double nan_lat[] = {0, NAN, 10};
    CHECK_STR(t, lat_error(nan_lat, NULL, 3, err), "latitude nan at index 1 is outside [-90, 90]",
              "a NaN latitude is refused naming its index");
    const double high[] = {0, 45, 90.5};
    CHECK_STR(t, lat_error(high, NULL, 3, err), "latitude 90.5 at index 2 is outside [-90, 90]",
              "a latitude beyond the pole is refused with its value and index");
    const double low[] = {-91, 0};
    CHECK_STR(t, lat_error(low, NULL, 2, err), "latitude -91 at index 0 is outside [-90, 90]",
              "a latitude below -90 is refused with its value and index");
    const double twice[] = {0, 10, 10};
    CHECK_STR(t, lat_error(twice, NULL, 3, err),
              "latitude 10 appears twice (input indices 1 and 2)",
              "a repeated latitude is refused naming both input indices");
    CHECK_STR(t, lat_error(twice, NULL, 0, err), "latitude axis is empty",
              "an empty latitude axis is refused");
    const double lat[] = {0, 10};
    const double inf_bnds[] = {-5, 5, 5, INFINITY};
    CHECK_STR(t, lat_error(lat, inf_bnds, 2, err),
              "latitude bounds of input index 1 are not finite",
              "a non-finite latitude bound is refused naming its input index");
    const double scrambled[] = {0, 45, 10};
    CHECK_STR(t, lat_error(scrambled, NULL, 3, err),
              "latitude is not monotonic: 10 at input index 2 is out of order",
              "latitudes neither ascending nor descending are refused");
}

/* The TRENDY 0.5-degree 0..360 axis, centres 0.25 + 0.5 i (i = 0..719).
 * Output -179.75 + 0.5 j. Output j < 360 is west of Greenwich and comes
 * from input centre -179.75 + 0.5 j + 360 = 180.25 + 0.5 j, input index
 * 360 + j; output j >= 360 comes from input j - 360. */
static void test_lon_roll(t2i_tally *t)
{
    double lon[HALF_DEG_NLON];
    for (size_t i = 0; i < HALF_DEG_NLON; i++)
        lon[i] = 0.25 + 0.5 * (double)i;
    t2i_axis a;
    char err[T2I_ERRLEN] = "";
    int st = grid_plan_lon(lon, NULL, HALF_DEG_NLON, &a, err, sizeof err);
    CHECK(t, st == T2I_OK, "a 0..360 longitude axis is accepted");
    if (st != T2I_OK)
        return;
    int values_ok = 1, from_ok = 1;
    for (size_t j = 0; j < HALF_DEG_NLON; j++) {
        values_ok &= fabs(a.value[j] - (-179.75 + 0.5 * (double)j)) <= DEG_TOL;
        from_ok &= a.from[j] == (j < 360 ? 360 + j : j - 360);
    }
    CHECK(t, a.value[0] == -179.75 && a.value[HALF_DEG_NLON - 1] == 179.75,
          "the rolled axis runs from -179.75 to 179.75");
    CHECK(t, values_ok, "every rolled longitude is ascending in half-degree steps");
    CHECK(t, a.from[0] == 360 && a.from[359] == 719 && a.from[360] == 0 && a.from[719] == 359,
          "the dateline column reads input 180.25 and Greenwich's east neighbour input 0.25");
    CHECK(t, from_ok, "every output column reads the input column of the same place");
    CHECK(t, a.shifted == -360.0, "a rolled axis reports a shift of -360 degrees");
    CHECK(t, a.flipped == 0, "a rolled axis is not reported as flipped");
    CHECK(t, a.bnds[0] == -180.0 && a.bnds[1] == -179.5 &&
                 a.bnds[2 * HALF_DEG_NLON - 2] == 179.5 && a.bnds[2 * HALF_DEG_NLON - 1] == 180.0,
          "computed longitude edges of the rolled axis run from -180 to 180");
    grid_axis_free(&a);
}

/* Centres 0, 90, 180, 270 (first centre 0.0): moved to 0, 90, -180, -90,
 * sorted -180 (input 2), -90 (input 3), 0 (input 0), 90 (input 1). */
static void test_lon_first_zero(t2i_tally *t)
{
    const double lon[] = {0, 90, 180, 270};
    const double want[] = {-180, -90, 0, 90};
    const size_t from[] = {2, 3, 0, 1};
    const double bnds[] = {-225, -135, -135, -45, -45, 45, 45, 135};
    t2i_axis a;
    char err[T2I_ERRLEN] = "";
    int st = grid_plan_lon(lon, NULL, 4, &a, err, sizeof err);
    CHECK(t, st == T2I_OK && same_doubles(a.value, want, 4),
          "a longitude axis starting at 0.0 is rolled to start at -180");
    if (st != T2I_OK)
        return;
    CHECK(t, same_sizes(a.from, from, 4), "180 lands first and 0 lands in the middle");
    CHECK(t, same_doubles(a.bnds, bnds, 8),
          "computed longitude edges lie halfway between centres and are not clamped");
    grid_axis_free(&a);
}

/* An axis already in [-180, 180) is left alone. */
static void test_lon_already(t2i_tally *t)
{
    const double lon[] = {-135, -45, 45, 135};
    const size_t from[] = {0, 1, 2, 3};
    t2i_axis a;
    char err[T2I_ERRLEN] = "";
    int st = grid_plan_lon(lon, NULL, 4, &a, err, sizeof err);
    CHECK(t, st == T2I_OK && same_doubles(a.value, lon, 4) && same_sizes(a.from, from, 4) &&
                 a.shifted == 0.0,
          "a longitude axis already in [-180, 180) keeps its order and reports no shift");
    if (st == T2I_OK)
        grid_axis_free(&a);
}

/* Centres 90, 270 with file bounds (0, 180) and (360, 180) (reversed row).
 * 270 moves by -360 to -90 and comes first, bounds (180, 360) - 360 =
 * (-180, 0); 90 stays with (0, 180). */
static void test_lon_input_bounds(t2i_tally *t)
{
    const double lon[] = {90, 270};
    const double in_bnds[] = {0, 180, 360, 180};
    const double want_v[] = {-90, 90};
    const double want_b[] = {-180, 0, 0, 180};
    t2i_axis a;
    char err[T2I_ERRLEN] = "";
    int st = grid_plan_lon(lon, in_bnds, 2, &a, err, sizeof err);
    CHECK(t, st == T2I_OK && same_doubles(a.value, want_v, 2),
          "a two-column 0..360 axis with bounds is rolled");
    if (st != T2I_OK)
        return;
    CHECK(t, same_doubles(a.bnds, want_b, 4),
          "input longitude bounds move with their centre and are ordered (lower, upper)");
    CHECK(t, a.bounds_computed == 0, "longitude bounds read from the file are not computed");
    grid_axis_free(&a);
}

/* A regional box 100..102 E by 20..21 N: nothing moves, edges 99.5..102.5. */
static void test_regional(t2i_tally *t)
{
    const double lon[] = {100, 101, 102};
    const double lat[] = {20, 21};
    const double lon_b[] = {99.5, 100.5, 100.5, 101.5, 101.5, 102.5};
    const double lat_b[] = {19.5, 20.5, 20.5, 21.5};
    const size_t id[] = {0, 1, 2};
    t2i_axis x, y;
    char err[T2I_ERRLEN] = "";
    int sx = grid_plan_lon(lon, NULL, 3, &x, err, sizeof err);
    int sy = grid_plan_lat(lat, NULL, 2, &y, err, sizeof err);
    CHECK(t, sx == T2I_OK && sy == T2I_OK, "a regional grid is accepted");
    if (sx == T2I_OK) {
        CHECK(t, same_doubles(x.value, lon, 3) && same_sizes(x.from, id, 3) && x.shifted == 0.0,
              "a regional longitude axis keeps its values and order");
        CHECK(t, same_doubles(x.bnds, lon_b, 6),
              "a regional longitude axis gets edges only half a spacing beyond its ends");
        grid_axis_free(&x);
    }
    if (sy == T2I_OK) {
        CHECK(t, same_doubles(y.bnds, lat_b, 4),
              "a regional latitude axis is not stretched to the poles");
        grid_axis_free(&y);
    }
}

/* A regional box across the dateline, centres 170, 180, 190 (10-degree
 * columns): sorted after the move it is -180 (input 1), -170 (input 2),
 * 170 (input 0). Its cells are the edges of the contiguous 165..195 box,
 * moved with their centre: (-185, -175), (-175, -165), (165, 175). */
static void test_regional_dateline(t2i_tally *t)
{
    const double lon[] = {170, 180, 190};
    const double lon_m180[] = {170, -180, -170};
    const double want_v[] = {-180, -170, 170};
    const double want_b[] = {-185, -175, -175, -165, 165, 175};
    const size_t from[] = {1, 2, 0};
    t2i_axis a;
    char err[T2I_ERRLEN] = "";
    int st = grid_plan_lon(lon, NULL, 3, &a, err, sizeof err);
    CHECK(t, st == T2I_OK && same_doubles(a.value, want_v, 3) && same_sizes(a.from, from, 3),
          "a regional axis across the dateline is sorted into [-180, 180)");
    if (st != T2I_OK)
        return;
    CHECK(t, same_doubles(a.bnds, want_b, 6),
          "a regional axis across the dateline gets 10-degree cells, not a cell across the globe");
    grid_axis_free(&a);
    st = grid_plan_lon(lon_m180, NULL, 3, &a, err, sizeof err);
    CHECK(t, st == T2I_OK && same_doubles(a.bnds, want_b, 6),
          "the same dateline box written as 170, -180, -170 gets the same cells");
    if (st == T2I_OK)
        grid_axis_free(&a);
}

static void test_lon_errors(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    const double nan_lon[] = {0, 10, NAN};
    CHECK_STR(t, lon_error(nan_lon, NULL, 3, err), "longitude at index 2 is not finite",
              "a NaN longitude is refused naming its index");
    const double twice[] = {10, 20, 10};
    CHECK_STR(t, lon_error(twice, NULL, 3, err),
              "longitude 10 appears twice (input indices 0 and 2)",
              "a repeated longitude is refused naming both input indices");
    const double both_ends[] = {0, 180, 360};
    CHECK_STR(t, lon_error(both_ends, NULL, 3, err),
              "longitudes span 360 degrees, more than a full turn",
              "an axis holding both 0 and 360 is refused as a full turn");
    const double wide[] = {-170, 0, 200};
    CHECK_STR(t, lon_error(wide, NULL, 3, err),
              "longitudes span 370 degrees, more than a full turn",
              "an axis spanning more than 360 degrees is refused with its span");
    CHECK_STR(t, lon_error(twice, NULL, 0, err), "longitude axis is empty",
              "an empty longitude axis is refused");
    const double lon[] = {0, 10};
    const double nan_bnds[] = {NAN, 5, 5, 15};
    CHECK_STR(t, lon_error(lon, nan_bnds, 2, err),
              "longitude bounds of input index 0 are not finite",
              "a NaN longitude bound is refused naming its input index");
    /* Sorted: -180 (3), -90 (2), 0 (0), 90 (1): no walk up or down the
     * input indices, even around the circle. */
    const double scrambled[] = {0, 90, 270, 180};
    CHECK_STR(t, lon_error(scrambled, NULL, 4, err),
              "longitude is not monotonic: 0 at input index 0 is out of order",
              "longitudes in no order around the circle are refused");
}

/* grid_axis_free may be called on a zeroed axis and twice in a row. */
static void test_free(t2i_tally *t)
{
    t2i_axis a;
    memset(&a, 0, sizeof a);
    grid_axis_free(&a);
    const double lat[] = {0};
    char err[T2I_ERRLEN];
    grid_plan_lat(lat, NULL, 1, &a, err, sizeof err);
    grid_axis_free(&a);
    grid_axis_free(&a);
    CHECK(t, a.value == NULL && a.bnds == NULL && a.from == NULL && a.n == 0,
          "freeing an axis twice is safe and leaves it zeroed");
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    test_lat_descending(&t);
    test_lat_ascending(&t);
    test_lat_clamp(&t);
    test_lat_single(&t);
    test_lat_input_bounds(&t);
    test_lat_input_bounds_clamped(&t);
    test_lat_noise(&t);
    test_lat_errors(&t);
    test_lon_roll(&t);
    test_lon_first_zero(&t);
    test_lon_already(&t);
    test_lon_input_bounds(&t);
    test_regional(&t);
    test_regional_dateline(&t);
    test_lon_errors(&t);
    test_free(&t);
    return CHECK_SUMMARY(&t);
}
