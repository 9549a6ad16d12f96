/* Unit tests of the soil-layer axis (layers.h): the table's layers column,
 * bounds and centres from interfaces, and the top-0.1 m weights worked out
 * by hand from CABLE's layer thicknesses. The file-reading part is tested
 * end to end by tests/convert_test.sh (coordinate, bounds, layer_depths_m,
 * models/). */
#include "layers.h"

#include <math.h>
#include <string.h>

#include "check.h"

/* Sums of decimal thicknesses: a double's rounding, a few ulps. */
#define EDGE_TOL 1e-12

static void test_mode(t2i_tally *t)
{
    t2i_layers l;
    char err[T2I_ERRLEN] = "";
    CHECK(t, layers_parse_mode("", &l, err, sizeof err) == T2I_OK && l.mode == T2I_LAYERS_NONE,
          "an empty layers column is a (time, lat, lon) variable");
    CHECK(t, layers_parse_mode("depth", &l, err, sizeof err) == T2I_OK &&
                 l.mode == T2I_LAYERS_KEEP,
          "'depth' keeps the layers");
    CHECK(t, layers_parse_mode("top=0.1", &l, err, sizeof err) == T2I_OK &&
                 l.mode == T2I_LAYERS_TOP && l.top_m == 0.1,
          "'top=0.1' sums the top 0.1 m");
    CHECK(t, layers_parse_mode("top=", &l, err, sizeof err) == T2I_ESYS,
          "'top=' without a depth is a broken table");
    CHECK_STR(t, err, "variables table: layers 'top=' is neither 'depth' nor 'top=M'",
              "the broken column is named");
}

/* CABLE's six layers (upload script: layer_depths 0.022 0.058 0.154 0.409
 * 1.085 6.872 m): interfaces 0, 0.022, 0.08, 0.234, 0.643, 1.728, 8.6. The
 * top 0.1 m holds layers 1 and 2 whole and 0.02 m of the 0.154 m of layer 3. */
static void test_cable_top(t2i_tally *t)
{
    const double e[] = {0, 0.022, 0.08, 0.234, 0.643, 1.728, 8.6};
    t2i_layers l;
    char err[T2I_ERRLEN] = "";
    layers_parse_mode("top=0.1", &l, err, sizeof err);
    int st = layers_from_edges(e, 6, NULL, &l, err, sizeof err);
    CHECK(t, st == T2I_OK && l.n == 6, "six interfaces and a bottom make six layers");
    CHECK(t, l.weight[0] == 1.0 && l.weight[1] == 1.0, "the two layers above 0.08 m count whole");
    CHECK_NEAR(t, l.weight[2], 0.02 / 0.154, EDGE_TOL,
               "layer 3 (0.08 to 0.234 m) counts by 0.02 / 0.154 of it");
    CHECK(t, l.weight[3] == 0.0 && l.weight[4] == 0.0 && l.weight[5] == 0.0,
          "layers below 0.1 m do not count");
    CHECK_NEAR(t, l.depth[2], 0.157, EDGE_TOL, "without centres a layer's depth is its middle");
    CHECK(t, l.bnds[4] == 0.08 && l.bnds[5] == 0.234, "bounds are (top, bottom) of each layer");
}

static void test_centres_and_errors(t2i_tally *t)
{
    t2i_layers l;
    char err[T2I_ERRLEN] = "";
    layers_parse_mode("depth", &l, err, sizeof err);
    const double e[] = {0, 0.1, 0.3};
    const double c[] = {0.05, 0.25};
    CHECK(t, layers_from_edges(e, 2, c, &l, err, sizeof err) == T2I_OK && l.depth[1] == 0.25,
          "given centres are kept as the depths");
    const double down[] = {0, 0.3, 0.1};
    CHECK(t, layers_from_edges(down, 2, NULL, &l, err, sizeof err) == T2I_EINPUT,
          "interfaces that do not increase are refused");
    CHECK_STR(t, err, "soil layer 1 runs from 0.3 m to 0.1 m: depths must increase",
              "the refusal names the layer and its depths");
    const double above[] = {-0.1, 0.1};
    CHECK(t, layers_from_edges(above, 1, NULL, &l, err, sizeof err) == T2I_EINPUT,
          "a layer above the surface is refused");
    const double outside[] = {0.5, 0.05};
    CHECK(t, layers_from_edges(e, 2, outside, &l, err, sizeof err) == T2I_EINPUT,
          "a centre outside its layer is refused");
    layers_parse_mode("top=0.1", &l, err, sizeof err);
    const double shallow[] = {0, 0.02, 0.05};
    CHECK(t, layers_from_edges(shallow, 2, NULL, &l, err, sizeof err) == T2I_EINPUT,
          "layers ending above the summed depth are refused");
    CHECK_STR(t, err, "the soil layers end at 0.05 m, above the 0.1 m to be summed",
              "the refusal gives both depths");
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    test_mode(&t);
    test_cable_top(&t);
    test_centres_and_errors(&t);
    return CHECK_SUMMARY(&t);
}
