/* Tests of src/slab.c: the time-axis walk (slab lengths from chunks and the
 * memory budget) and the per-slab pipeline (flip, roll, transpose, extra
 * dimensions, missing values, unpacking, unit conversion, per-step factors)
 * on arrays, with every expected value worked out by hand. */
#include "slab.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "t2i.h"

/* TRENDY's commonest _FillValue. */
#define FILL_TRENDY (-99999.0)

/* Float results of decimal arithmetic: a float's relative precision. */
#define FLOAT_RTOL 1e-6

/* A plan with no missing values, no packing, no conversion: the caller sets
 * the layout. */
static t2i_slab_plan plain_plan(void)
{
    t2i_slab_plan p;
    memset(&p, 0, sizeof p);
    p.missing.nsentinel = 0;
    p.missing.valid_min = -INFINITY;
    p.missing.valid_max = INFINITY;
    p.scale_factor = 1.0;
    p.add_offset = 0.0;
    p.conv_scale = 1.0;
    p.conv_offset = 0.0;
    return p;
}

/* (time, lat, lon) with count {1, nlat, nlon}. */
static void set_tyx(t2i_slab_plan *p, size_t nlat, size_t nlon)
{
    p->ndims = 3;
    p->count[0] = 1;
    p->count[1] = nlat;
    p->count[2] = nlon;
    p->time_pos = 0;
    p->lat_pos = 1;
    p->lon_pos = 2;
    p->nlat = nlat;
    p->nlon = nlon;
}

static int same_floats(const float *got, const float *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            return 0;
    return 1;
}

static const size_t ID[] = {0, 1, 2, 3};

/* --------------------------------------------------------------- walk */

/* Collects up to 8 (t0, k) pairs; returns how many. */
static size_t walk(t2i_slab_iter *it, size_t *t0s, size_t *ks)
{
    size_t n = 0, t0, k;
    while (n < 8 && slab_next(it, &t0, &k)) {
        t0s[n] = t0;
        ks[n] = k;
        n++;
    }
    return n;
}

/* 10 steps of 100 bytes, chunks of 4 steps, a 1000-byte budget: slabs of
 * 4 steps at 0, 4 and a last short one of 2 at 8. */
static void test_walk_chunks(t2i_tally *t)
{
    t2i_slab_iter it;
    int rereads = -1;
    char err[T2I_ERRLEN] = "";
    int st = slab_begin(&it, 10, 4, 100, 1000, &rereads, err, sizeof err);
    CHECK(t, st == T2I_OK && it.per_slab == 4 && rereads == 0,
          "a 4-step chunk that fits the budget gives 4-step slabs with no rereads");
    size_t t0[8], k[8];
    size_t n = walk(&it, t0, k);
    CHECK(t, n == 3 && t0[0] == 0 && k[0] == 4 && t0[1] == 4 && k[1] == 4,
          "the walk steps through the time axis one chunk at a time");
    CHECK(t, n == 3 && t0[2] == 8 && k[2] == 2, "the last slab is short: steps 8 and 9");
    size_t a, b;
    CHECK(t, slab_next(&it, &a, &b) == 0, "a finished walk keeps answering done");
}

/* A contiguous input (chunk extent 0) is read one step at a time. */
static void test_walk_contiguous(t2i_tally *t)
{
    t2i_slab_iter it;
    int rereads = -1;
    char err[T2I_ERRLEN] = "";
    int st = slab_begin(&it, 3, 0, 100, 1000, &rereads, err, sizeof err);
    size_t t0[8], k[8];
    size_t n = st == T2I_OK ? walk(&it, t0, k) : 0;
    CHECK(t, st == T2I_OK && it.per_slab == 1 && rereads == 0 && n == 3 && t0[2] == 2 &&
                 k[2] == 1,
          "a contiguous input is walked one time step per slab");
}

/* A chunk of 12 steps on a 10-step axis: one slab of all 10 steps. */
static void test_walk_chunk_longer(t2i_tally *t)
{
    t2i_slab_iter it;
    int rereads = -1;
    char err[T2I_ERRLEN] = "";
    int st = slab_begin(&it, 10, 12, 100, 1000, &rereads, err, sizeof err);
    size_t t0[8], k[8];
    size_t n = st == T2I_OK ? walk(&it, t0, k) : 0;
    CHECK(t, st == T2I_OK && rereads == 0 && n == 1 && t0[0] == 0 && k[0] == 10,
          "a chunk longer than the time axis gives one slab of the whole axis");
}

/* Chunks of 8 steps of 100 bytes with a 500-byte budget: 5 steps fit, so
 * slabs are 5 steps and chunks get decoded twice. */
static void test_walk_budget(t2i_tally *t)
{
    t2i_slab_iter it;
    int rereads = 0;
    char err[T2I_ERRLEN] = "";
    int st = slab_begin(&it, 16, 8, 100, 500, &rereads, err, sizeof err);
    CHECK(t, st == T2I_OK && it.per_slab == 5,
          "a chunk larger than the budget is cut to the steps that fit (5 of 8)");
    CHECK(t, rereads == 1, "cutting a chunk is reported as rereads");
    size_t t0[8], k[8];
    size_t n = st == T2I_OK ? walk(&it, t0, k) : 0;
    CHECK(t, n == 4 && t0[3] == 15 && k[3] == 1,
          "16 steps in 5-step slabs end with a 1-step slab at step 15");
}

/* One step of exactly the budget fits; one byte more does not. */
static void test_walk_one_step(t2i_tally *t)
{
    t2i_slab_iter it;
    int rereads = -1;
    char err[T2I_ERRLEN] = "";
    int st = slab_begin(&it, 4, 1, 1000, 1000, &rereads, err, sizeof err);
    CHECK(t, st == T2I_OK && it.per_slab == 1,
          "a time step exactly the size of the budget is accepted");
    st = slab_begin(&it, 4, 1, 1001, 1000, &rereads, err, sizeof err);
    CHECK(t, st == T2I_EINPUT, "a time step one byte over the budget is an input error");
    CHECK_STR(t, err, "one time step needs 1001 bytes, more than the memory budget of 1000 bytes",
              "the over-budget message gives both sizes in bytes");
}

/* An empty time axis is walked in no slabs at all. */
static void test_walk_empty(t2i_tally *t)
{
    t2i_slab_iter it;
    int rereads = -1;
    char err[T2I_ERRLEN] = "";
    size_t t0, k;
    int st = slab_begin(&it, 0, 4, 100, 1000, &rereads, err, sizeof err);
    CHECK(t, st == T2I_OK && slab_next(&it, &t0, &k) == 0,
          "an empty time axis gives no slab");
}

/* ---------------------------------------------------------- transform */

/* Input value 100 t + 10 y + x at step t, input row y, input column x. With
 * rows flipped (output row r reads input row 1 - r) and columns rolled
 * (output column c reads input column {2, 0, 1}[c]): step 0 row 0 reads
 * input row 1: 12, 10, 11; row 1 reads row 0: 2, 0, 1; step 1 adds 100. */
static void test_flip_roll(t2i_tally *t)
{
    const double in[] = {0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112};
    const float want[] = {12, 10, 11, 2, 0, 1, 112, 110, 111, 102, 100, 101};
    const size_t lat_from[] = {1, 0}, lon_from[] = {2, 0, 1};
    t2i_slab_plan p = plain_plan();
    set_tyx(&p, 2, 3);
    p.lat_from = lat_from;
    p.lon_from = lon_from;
    float out[12];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform(&p, in, 2, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && same_floats(out, want, 12),
          "a (time, lat, lon) slab is flipped north-south and rolled east-west");
}

/* (time, lon, lat): the input holds [t][x][y] = 100 t + 10 y + x, the
 * output [t][y][x] the same numbers in row order. */
static void test_transposed(t2i_tally *t)
{
    const double in[] = {0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112};
    const float want[] = {0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112};
    t2i_slab_plan p = plain_plan();
    p.ndims = 3;
    p.count[0] = 1;
    p.count[1] = 3;
    p.count[2] = 2;
    p.time_pos = 0;
    p.lon_pos = 1;
    p.lat_pos = 2;
    p.nlat = 2;
    p.nlon = 3;
    p.lat_from = ID;
    p.lon_from = ID;
    float out[12];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform(&p, in, 2, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && same_floats(out, want, 12),
          "a (time, lon, lat) slab is transposed to (time, lat, lon)");
}

/* (lat, lon, time) with two steps in one slab, as read from a file chunked
 * along time: the input holds [y][x][t] = 100 t + 10 y + x. */
static void test_time_last(t2i_tally *t)
{
    const double in[] = {0, 100, 1, 101, 10, 110, 11, 111};
    const float want[] = {0, 1, 10, 11, 100, 101, 110, 111};
    t2i_slab_plan p = plain_plan();
    p.ndims = 3;
    p.count[0] = 2;
    p.count[1] = 2;
    p.count[2] = 1;
    p.lat_pos = 0;
    p.lon_pos = 1;
    p.time_pos = 2;
    p.nlat = 2;
    p.nlon = 2;
    p.lat_from = ID;
    p.lon_from = ID;
    float out[8];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform(&p, in, 2, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && same_floats(out, want, 8),
          "a (lat, lon, time) slab of two steps is reordered to (time, lat, lon)");
}

/* (time, pft, lat, lon), 3 PFTs on 1 x 3 cells, fill -99999:
 * column 0 holds 1, 2, 4 (sum 7, mean 7/3); column 1 is missing in every
 * PFT; column 2 holds 5, missing, 3 (sum 8, mean 4). */
static const double PFT_IN[] = {1, FILL_TRENDY, 5, 2, FILL_TRENDY, FILL_TRENDY,
                                4, FILL_TRENDY, 3};

static t2i_slab_plan pft_plan(t2i_reduce_op op)
{
    t2i_slab_plan p = plain_plan();
    p.ndims = 4;
    p.count[0] = 1;
    p.count[1] = 3;
    p.count[2] = 1;
    p.count[3] = 3;
    p.op[1] = op;
    p.time_pos = 0;
    p.lat_pos = 2;
    p.lon_pos = 3;
    p.nlat = 1;
    p.nlon = 3;
    p.lat_from = ID;
    p.lon_from = ID;
    p.missing.sentinel[0] = FILL_TRENDY;
    p.missing.nsentinel = 1;
    return p;
}

static void test_pft(t2i_tally *t)
{
    float out[3];
    char err[T2I_ERRLEN] = "";
    t2i_slab_plan p = pft_plan(T2I_REDUCE_SUM);
    int st = slab_transform(&p, PFT_IN, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == 7.0f, "summing a PFT dimension adds every member");
    CHECK(t, st == T2I_OK && out[2] == 8.0f, "a missing PFT member is left out of the sum");
    CHECK(t, st == T2I_OK && out[1] == T2I_FILL,
          "a cell missing in every PFT is missing (1e20) after the sum");
    p = pft_plan(T2I_REDUCE_MEAN);
    st = slab_transform(&p, PFT_IN, 1, NULL, out, err, sizeof err);
    CHECK_NEAR(t, out[0], 7.0 / 3.0, FLOAT_RTOL, "averaging a PFT dimension divides by its size");
    CHECK(t, st == T2I_OK && out[2] == 4.0f,
          "a missing PFT member is left out of the mean and of its count");
    CHECK(t, st == T2I_OK && out[1] == T2I_FILL,
          "a cell missing in every PFT is missing (1e20) after the mean");
}

/* (time, lat, lon, pft) with 2 PFTs on 1 x 2 cells: [x][p] = {1, 2}, {3, 4}. */
static void test_pft_last(t2i_tally *t)
{
    const double in[] = {1, 2, 3, 4};
    t2i_slab_plan p = plain_plan();
    p.ndims = 4;
    p.count[0] = 1;
    p.count[1] = 1;
    p.count[2] = 2;
    p.count[3] = 2;
    p.op[3] = T2I_REDUCE_SUM;
    p.time_pos = 0;
    p.lat_pos = 1;
    p.lon_pos = 2;
    p.nlat = 1;
    p.nlon = 2;
    p.lat_from = ID;
    p.lon_from = ID;
    float out[2];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform(&p, in, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == 3.0f && out[1] == 7.0f,
          "a PFT dimension after longitude is summed per cell");
}

/* (time, pft, soil, lat, lon): PFTs summed, soil layers averaged, one cell.
 * [p][s] = {1, 3}, {5, 7}: layer means 2 and 6, summed over PFTs 8 (an
 * average over all four would be 4). With layer 1 of PFT 1 missing:
 * means 2 and 5, sum 7. */
static void test_sum_and_mean(t2i_tally *t)
{
    const double in[] = {1, 3, 5, 7};
    const double gap[] = {1, 3, 5, FILL_TRENDY};
    t2i_slab_plan p = plain_plan();
    p.ndims = 5;
    p.count[0] = 1;
    p.count[1] = 2;
    p.count[2] = 2;
    p.count[3] = 1;
    p.count[4] = 1;
    p.op[1] = T2I_REDUCE_SUM;
    p.op[2] = T2I_REDUCE_MEAN;
    p.time_pos = 0;
    p.lat_pos = 3;
    p.lon_pos = 4;
    p.nlat = 1;
    p.nlon = 1;
    p.lat_from = ID;
    p.lon_from = ID;
    p.missing.sentinel[0] = FILL_TRENDY;
    p.missing.nsentinel = 1;
    float out[1];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform(&p, in, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == 8.0f,
          "one dimension summed and another averaged: the sum of the means");
    st = slab_transform(&p, gap, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == 7.0f,
          "a missing layer is left out of its own PFT's mean only");
}

/* A dimension kept at one index arrives with count 1 and passes through. */
static void test_index_dim(t2i_tally *t)
{
    const double in[] = {6, 7};
    t2i_slab_plan p = plain_plan();
    p.ndims = 4;
    p.count[0] = 1;
    p.count[1] = 1;
    p.count[2] = 1;
    p.count[3] = 2;
    p.op[1] = T2I_REDUCE_INDEX;
    p.time_pos = 0;
    p.lat_pos = 2;
    p.lon_pos = 3;
    p.nlat = 1;
    p.nlon = 2;
    p.lat_from = ID;
    p.lon_from = ID;
    float out[2];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform(&p, in, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == 6.0f && out[1] == 7.0f,
          "a dimension read at one kept index passes its values through");
}

/* One row of 9 cells: sentinel -99999, valid range [0, 10]. */
static void test_missing(t2i_tally *t)
{
    const double in[] = {FILL_TRENDY, NAN, INFINITY, -INFINITY, -1, 11, 0, 10, 5};
    const float want[] = {T2I_FILL, T2I_FILL, T2I_FILL, T2I_FILL, T2I_FILL, T2I_FILL,
                          0, 10, 5};
    const size_t lon_from[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    t2i_slab_plan p = plain_plan();
    set_tyx(&p, 1, 9);
    p.lat_from = ID;
    p.lon_from = lon_from;
    p.missing.sentinel[0] = FILL_TRENDY;
    p.missing.nsentinel = 1;
    p.missing.valid_min = 0;
    p.missing.valid_max = 10;
    float out[9];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform(&p, in, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == T2I_FILL, "a declared fill value becomes 1e20");
    CHECK(t, st == T2I_OK && out[1] == T2I_FILL, "NaN becomes 1e20, never NaN");
    CHECK(t, st == T2I_OK && out[2] == T2I_FILL && out[3] == T2I_FILL,
          "infinities become 1e20");
    CHECK(t, st == T2I_OK && out[4] == T2I_FILL && out[5] == T2I_FILL,
          "values outside the valid range become 1e20");
    CHECK(t, st == T2I_OK && same_floats(out, want, 9),
          "the ends of the valid range and values inside it are kept");
}

/* int16 packing: raw 4 with scale_factor 0.5 and add_offset 10 is 12;
 * raw -32767 is the packed fill and is compared before unpacking. */
static void test_unpack(t2i_tally *t)
{
    const double in[] = {4, -32767};
    t2i_slab_plan p = plain_plan();
    set_tyx(&p, 1, 2);
    p.lat_from = ID;
    p.lon_from = ID;
    p.scale_factor = 0.5;
    p.add_offset = 10;
    p.missing.sentinel[0] = -32767;
    p.missing.nsentinel = 1;
    float out[2];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform(&p, in, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == 12.0f, "packed values are unpacked: 4 x 0.5 + 10 = 12");
    CHECK(t, st == T2I_OK && out[1] == T2I_FILL,
          "a packed fill value is recognised before unpacking");
    p.conv_scale = 2;
    p.conv_offset = 1;
    st = slab_transform(&p, in, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == 25.0f,
          "the unit conversion applies after unpacking: 12 x 2 + 1 = 25");
}

/* degC -> K: 0 degC is 273.15 K; gC -> kg: 1500 g is 1.5 kg. */
static void test_conversion(t2i_tally *t)
{
    const double in[] = {0, 1500};
    t2i_slab_plan p = plain_plan();
    set_tyx(&p, 1, 2);
    p.lat_from = ID;
    p.lon_from = ID;
    p.conv_offset = 273.15;
    float out[2];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform(&p, in, 1, NULL, out, err, sizeof err);
    CHECK_NEAR(t, st == T2I_OK ? out[0] : 0, 273.15, 273.15 * FLOAT_RTOL,
               "a conversion offset is added (0 degC is 273.15 K)");
    p.conv_offset = 0;
    p.conv_scale = 1e-3;
    st = slab_transform(&p, in, 1, NULL, out, err, sizeof err);
    CHECK_NEAR(t, st == T2I_OK ? out[1] : 0, 1.5, 1.5 * FLOAT_RTOL,
               "a conversion scale multiplies (1500 g is 1.5 kg)");
}

/* Two steps of the value 8 with step factors 0.5 and -1: 4 and -8. A
 * missing cell stays 1e20 whatever the factor. */
static void test_step_factor(t2i_tally *t)
{
    const double in[] = {8, FILL_TRENDY, 8, FILL_TRENDY};
    const double f[] = {0.5, -1};
    const float want[] = {4, T2I_FILL, -8, T2I_FILL};
    t2i_slab_plan p = plain_plan();
    set_tyx(&p, 1, 2);
    p.lat_from = ID;
    p.lon_from = ID;
    p.missing.sentinel[0] = FILL_TRENDY;
    p.missing.nsentinel = 1;
    float out[4];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform(&p, in, 2, f, out, err, sizeof err);
    CHECK(t, st == T2I_OK && same_floats(out, want, 4),
          "each step is multiplied by its own factor and missing cells stay 1e20");
}

/* 1e30 x 1e10 = 1e40 does not fit a float. It sits at step 1, input row 0,
 * which the flip makes output row 1. */
static void test_overflow(t2i_tally *t)
{
    const double in[] = {1, 1, 1, 1, 1e30, 1, 1, 1};
    const size_t lat_from[] = {1, 0};
    t2i_slab_plan p = plain_plan();
    set_tyx(&p, 2, 2);
    p.lat_from = lat_from;
    p.lon_from = ID;
    p.conv_scale = 1e10;
    float out[8];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform(&p, in, 2, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_EINPUT, "a converted value beyond the float range is an input error");
    CHECK_STR(t, err, "value 1e+40 at step 1, row 1, column 0 does not fit a float",
              "the overflow message gives the value and its output place");
    const double edge[] = {FLT_MAX, -FLT_MAX};
    p.conv_scale = 1;
    set_tyx(&p, 1, 2);
    p.lat_from = ID;
    st = slab_transform(&p, edge, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == FLT_MAX && out[1] == -FLT_MAX,
          "the largest floats themselves are kept");
}

/* (time, layer, lat, lon): 3 layers on 1 x 2 cells, cell 1 missing in the
 * deepest layer. [z][x] = {1, 2}, {10, 20}, {100, fill}. */
static const double LAYER_IN[] = {1, 2, 10, 20, 100, FILL_TRENDY};

static t2i_slab_plan layer_plan(void)
{
    t2i_slab_plan p = plain_plan();
    p.ndims = 4;
    p.count[0] = 1;
    p.count[1] = 3;
    p.count[2] = 1;
    p.count[3] = 2;
    p.time_pos = 0;
    p.layered = 1;
    p.layer_pos = 1;
    p.lat_pos = 2;
    p.lon_pos = 3;
    p.nlat = 1;
    p.nlon = 2;
    p.lat_from = ID;
    p.lon_from = ID;
    p.missing.sentinel[0] = FILL_TRENDY;
    p.missing.nsentinel = 1;
    return p;
}

static void test_layers(t2i_tally *t)
{
    float out[6];
    char err[T2I_ERRLEN] = "";
    t2i_slab_plan p = layer_plan();
    CHECK(t, slab_out_step(&p) == 6, "kept layers make an output step of layers x cells");
    int st = slab_transform(&p, LAYER_IN, 1, NULL, out, err, sizeof err);
    const float want[] = {1, 2, 10, 20, 100, T2I_FILL};
    CHECK(t, st == T2I_OK && same_floats(out, want, 6),
          "kept layers are written level by level, each cell's mask its own");
    /* The top 0.1 m of layers [0, 0.05), [0.05, 0.15), [0.15, 1): the first
     * whole, half of the second, none of the third. */
    const double w[] = {1.0, 0.5, 0.0};
    p.layer_weight = w;
    CHECK(t, slab_out_step(&p) == 2, "weighted layers make one level");
    st = slab_transform(&p, LAYER_IN, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == 6.0f && out[1] == 12.0f,
          "weighted layers sum 1 x 1 + 0.5 x 10 = 6 and 2 + 10 = 12");
    const double w2[] = {1.0, 1.0, 0.25};
    p.layer_weight = w2;
    st = slab_transform(&p, LAYER_IN, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == 36.0f && out[1] == T2I_FILL,
          "a missing layer with weight > 0 makes the sum missing (1 + 10 + 25 = 36)");
    CHECK(t, !slab_plain(&p), "layered plans take the double path");
}

/* The float path (slab_transform_float) on the layouts above, read as
 * floats: the same outputs as the double path's, by hand. */
static void test_float_layouts(t2i_tally *t)
{
    const float in[] = {0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112};
    const float want[] = {12, 10, 11, 2, 0, 1, 112, 110, 111, 102, 100, 101};
    const size_t lat_from[] = {1, 0}, lon_from[] = {2, 0, 1};
    t2i_slab_plan p = plain_plan();
    set_tyx(&p, 2, 3);
    p.lat_from = lat_from;
    p.lon_from = lon_from;
    float out[12];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform_float(&p, in, 2, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && same_floats(out, want, 12),
          "floats: a (time, lat, lon) slab is flipped and rolled");
    const float tin[] = {0, 100, 1, 101, 10, 110, 11, 111};
    const float twant[] = {0, 1, 10, 11, 100, 101, 110, 111};
    p = plain_plan();
    p.ndims = 3;
    p.count[0] = 2;
    p.count[1] = 2;
    p.count[2] = 1;
    p.lat_pos = 0;
    p.lon_pos = 1;
    p.time_pos = 2;
    p.nlat = 2;
    p.nlon = 2;
    p.lat_from = ID;
    p.lon_from = ID;
    st = slab_transform_float(&p, tin, 2, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && same_floats(out, twant, 8),
          "floats: a (lat, lon, time) slab of two steps is reordered to (time, lat, lon)");
    CHECK(t, slab_plain(&p) && !slab_plain(&(t2i_slab_plan){.ndims = 1,
                                                             .op = {T2I_REDUCE_SUM}}) &&
                 slab_plain(&(t2i_slab_plan){.ndims = 1, .op = {T2I_REDUCE_INDEX}}),
          "the float path takes plans without summed or averaged dimensions only");
}

/* Missing values, unpacking, step factors and the overflow message on the
 * float path, as test_missing, test_unpack and test_overflow want them. */
static void test_float_values(t2i_tally *t)
{
    const float in[] = {(float)FILL_TRENDY, NAN, INFINITY, -INFINITY, -1, 11, 0, 10, 4};
    const float want[] = {T2I_FILL, T2I_FILL, T2I_FILL, T2I_FILL, T2I_FILL, T2I_FILL,
                          20, 30, 24};
    const size_t lon_from[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    const double f[] = {2};
    t2i_slab_plan p = plain_plan();
    set_tyx(&p, 1, 9);
    p.lat_from = ID;
    p.lon_from = lon_from;
    p.missing.sentinel[0] = FILL_TRENDY;
    p.missing.nsentinel = 1;
    p.missing.valid_min = 0;
    p.missing.valid_max = 10;
    p.scale_factor = 0.5;
    p.add_offset = 10;
    float out[9];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform_float(&p, in, 1, f, out, err, sizeof err);
    CHECK(t, st == T2I_OK && same_floats(out, want, 9),
          "floats: fill, NaN, infinities and out-of-range become 1e20; (4 x 0.5 + 10) x 2 = 24");
    const float big[] = {1, 1, 1, 1, 1e30f, 1, 1, 1};
    const size_t lat_from[] = {1, 0};
    p = plain_plan();
    set_tyx(&p, 2, 2);
    p.lat_from = lat_from;
    p.lon_from = ID;
    p.conv_scale = 1e10;
    st = slab_transform_float(&p, big, 2, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_EINPUT, "floats: a converted value beyond the float range is an error");
    CHECK_STR(t, err, "value 1e+40 at step 1, row 1, column 0 does not fit a float",
              "floats: the overflow message gives the value and its output place");
}

/* ------------------------------------------------- fast float rows */

/* Wider than one fast block (64 values): 2 rows of 150 columns, rows
 * flipped, columns rolled by 70 (two runs: input columns 70..149 then
 * 0..69), input value 1000 y + x. Expected, by the rule: output (r, c)
 * is 1000 (1 - r) + (c + 70) mod 150; the fill (-99999) placed at input
 * (0, 75) and (1, 3) lands at output (1, 5) and (0, 83). */
static void test_fast_wide_roll(t2i_tally *t)
{
    enum { NY = 2, NX = 150, ROLL = 70 };
    static float in[NY * NX], out[NY * NX], want[NY * NX];
    size_t lat_from[NY] = {1, 0}, lon_from[NX];
    for (size_t y = 0; y < NY; y++)
        for (size_t x = 0; x < NX; x++)
            in[y * NX + x] = (float)(1000 * y + x);
    in[0 * NX + 75] = (float)FILL_TRENDY;
    in[1 * NX + 3] = (float)FILL_TRENDY;
    for (size_t c = 0; c < NX; c++)
        lon_from[c] = (c + ROLL) % NX;
    for (size_t r = 0; r < NY; r++)
        for (size_t c = 0; c < NX; c++)
            want[r * NX + c] = (float)(1000 * (1 - r) + (c + ROLL) % NX);
    want[1 * NX + 5] = T2I_FILL;
    want[0 * NX + 83] = T2I_FILL;
    t2i_slab_plan p = plain_plan();
    set_tyx(&p, NY, NX);
    p.lat_from = lat_from;
    p.lon_from = lon_from;
    p.missing.sentinel[0] = FILL_TRENDY;
    p.missing.nsentinel = 1;
    char err[T2I_ERRLEN] = "";
    int st = slab_transform_float(&p, in, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && same_floats(out, want, NY * NX),
          "floats: 150 columns rolled by 70 and flipped rows, fill cells at their new places");
    /* The same with a conversion: (v x 0.5 + 1) x 2 = v + 2. */
    for (size_t i = 0; i < NY * NX; i++)
        if (want[i] != T2I_FILL)
            want[i] += 2;
    p.conv_scale = 0.5;
    p.conv_offset = 1;
    st = slab_transform_float(&p, in, 1, (const double[]){2}, out, err, sizeof err);
    CHECK(t, st == T2I_OK && same_floats(out, want, NY * NX),
          "floats: the same rolled rows through (v x 0.5 + 1) x 2");
}

/* Sentinels as the fast rows see them: -0 becomes +0 as v + 0 makes it; a
 * sentinel 0 catches -0 too; a double sentinel no float equals (0.1)
 * catches nothing, not even 0.1f; with five float sentinels (more than the
 * fast rows test) every one still counts; a valid_max between two floats
 * (1.5 + 2^-30) keeps 1.5 and drops the next float up. */
static void test_fast_sentinels(t2i_tally *t)
{
    const float in[] = {-0.0f, 0.1f, 1.5f, nextafterf(1.5f, 2), 7, 8, 9, 10, 11, 3};
    float out[10];
    t2i_slab_plan p = plain_plan();
    set_tyx(&p, 1, 10);
    p.lat_from = ID;
    const size_t lon_from[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    p.lon_from = lon_from;
    p.missing.sentinel[0] = 0.1;
    p.missing.nsentinel = 1;
    p.missing.valid_max = 1.5 + 0x1p-30;
    char err[T2I_ERRLEN] = "";
    int st = slab_transform_float(&p, in, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == 0.0f && !signbit(out[0]) && out[1] == 0.1f &&
                 out[2] == 1.5f && out[3] == T2I_FILL && out[9] == T2I_FILL,
          "floats: -0 becomes +0, 0.1 (double) misses 0.1f, valid_max 1.5 + 2^-30 keeps 1.5 "
          "only");
    p.missing.valid_max = INFINITY;
    p.missing.sentinel[0] = 0.0;
    st = slab_transform_float(&p, in, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && out[0] == T2I_FILL && out[1] == 0.1f,
          "floats: a sentinel 0 catches -0");
    const double five[] = {7, 8, 9, 10, 11};
    memcpy(p.missing.sentinel, five, sizeof five);
    p.missing.nsentinel = 5;
    const float want[] = {0, 0.1f, 1.5f, nextafterf(1.5f, 2), T2I_FILL, T2I_FILL, T2I_FILL,
                          T2I_FILL, T2I_FILL, 3};
    st = slab_transform_float(&p, in, 1, NULL, out, err, sizeof err);
    CHECK(t, st == T2I_OK && same_floats(out, want, 10),
          "floats: five sentinels all count");
}

/* An overflow in the second run of a rolled row is named at its output
 * column: input column 1 of 3, rolled by 1, is output column 0... and
 * input column 0 is output column 2. */
static void test_fast_overflow_rolled(t2i_tally *t)
{
    const float in[] = {1e30f, 1, 1};
    const size_t lon_from[] = {1, 2, 0};
    t2i_slab_plan p = plain_plan();
    set_tyx(&p, 1, 3);
    p.lat_from = ID;
    p.lon_from = lon_from;
    p.conv_scale = 1e10;
    float out[3];
    char err[T2I_ERRLEN] = "";
    int st = slab_transform_float(&p, in, 1, NULL, out, err, sizeof err);
    CHECK_STR(t, st == T2I_EINPUT ? err : "",
              "value 1e+40 at step 0, row 0, column 2 does not fit a float",
              "floats: an overflow in a rolled row names its output column");
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    test_walk_chunks(&t);
    test_walk_contiguous(&t);
    test_walk_chunk_longer(&t);
    test_walk_budget(&t);
    test_walk_one_step(&t);
    test_walk_empty(&t);
    test_flip_roll(&t);
    test_transposed(&t);
    test_time_last(&t);
    test_pft(&t);
    test_pft_last(&t);
    test_sum_and_mean(&t);
    test_index_dim(&t);
    test_missing(&t);
    test_unpack(&t);
    test_conversion(&t);
    test_step_factor(&t);
    test_overflow(&t);
    test_layers(&t);
    test_float_layouts(&t);
    test_float_values(&t);
    test_fast_wide_roll(&t);
    test_fast_sentinels(&t);
    test_fast_overflow_rolled(&t);
    return CHECK_SUMMARY(&t);
}
