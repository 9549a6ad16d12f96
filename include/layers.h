/* Soil layers (tsl, msl; doc/quirks.md G-10): which input dimension they are, their depths and
 * bounds in metres (positive down), and the overlap fractions that turn
 * per-layer amounts into the amount of the top M metres (mrsos). The layer
 * depths come, in this order, from models/ (--layer-bounds), the layer
 * dimension's coordinate variable when its units are a length (and its
 * bounds, else edges halfway between centres from a surface at 0), or
 * CABLE's `layer_depths_m` attribute (layer thicknesses, top down). */
#ifndef T2I_LAYERS_H
#define T2I_LAYERS_H

#include <stddef.h>

#include "input.h"
#include "t2i.h"

typedef enum {
    T2I_LAYERS_NONE, /* a (time, lat, lon) variable */
    T2I_LAYERS_KEEP, /* (time, depth, lat, lon) */
    T2I_LAYERS_TOP   /* summed over [0, top_m], each layer by its overlap */
} t2i_layers_mode;

/* Most layers a file may have (TRENDY models have 3 to 25). */
#define LAYERS_MAX 64

typedef struct {
    t2i_layers_mode mode;
    double top_m;   /* T2I_LAYERS_TOP: depth of the bottom of the sum (m) */
    size_t n;       /* layers */
    double depth[LAYERS_MAX];      /* centres (m) */
    double bnds[2 * LAYERS_MAX];   /* (top, bottom) of each layer (m) */
    double weight[LAYERS_MAX];     /* T2I_LAYERS_TOP: overlap fractions */
} t2i_layers;

/* The variables table's layers column: "" (none), "depth", "top=M".
 * Fills err (T2I_ESYS: the table is wrong) otherwise. */
int layers_parse_mode(const char *text, t2i_layers *l, char *err, size_t errlen);

/* Depths of the input's layer dimension (in->layer_pos >= 0): from
 * `bounds` (nbounds = n + 1 interfaces, models/) when given, else from the
 * file; then the weights if l->mode is T2I_LAYERS_TOP. Fills err (naming
 * the variable and dimension) when no source gives n layers, or the layers
 * are not contiguous and increasing from a surface at or below 0. */
int layers_plan(const t2i_input *in, const double *bounds, size_t nbounds, t2i_layers *l,
                t2i_notes *notes, char *err, size_t errlen);

/* From interfaces e[0..n]: bounds, centres (midpoints unless `centres` is
 * given) and, for T2I_LAYERS_TOP, weights: the part of each layer inside
 * [0, top_m] over its thickness. Fills err when the interfaces do not
 * increase or the layers end above top_m. No file access. */
int layers_from_edges(const double *e, size_t n, const double *centres, t2i_layers *l, char *err,
                      size_t errlen);

#endif
