/* The checker's soil layers: the mode the table asks for, the input's layer
 * interfaces worked out on its own (models/ layer_bounds, the coordinate's
 * bounds, halfway between its centres, or CABLE's layer_depths_m
 * thicknesses), and the weights of the top-of-soil sum (mrsos). Shares no
 * code with the converter's layers.c (see verify.h). */
#ifndef T2I_VERIFY_LAYERS_H
#define T2I_VERIFY_LAYERS_H

#include <stddef.h>

#include "verify.h"

enum { VERIFY_LAYERS_NONE, VERIFY_LAYERS_KEEP, VERIFY_LAYERS_TOP };

/* The mode of o->layers ("" or NULL, "depth", "top=M"; *top_m = M), or -1
 * for anything else. */
int verify_layers_mode(const verify_options *o, double *top_m);

/* Interfaces e[0..n] (m) of the input layer dimension `dim` (n layers) of
 * variable `varid`. Returns 0, or -1 with a problem when nothing gives
 * them. */
int verify_layer_edges(int ncid, int varid, const char *dim, size_t n, const verify_options *o,
                       double *e, verify_problems *p);

/* Share of layer [e[i], e[i+1]] above top_m (0 to 1). */
double verify_layer_weight(const double *e, size_t i, double top_m);

#endif
