/* Streaming in slabs: which time steps to read next, and how one slab read
 * in the input's own layout becomes (time, lat, lon) float32 output with
 * missing cells, unpacking, reduction of extra dimensions and the unit
 * conversion applied. No file access: tested on arrays. */
#ifndef T2I_SLAB_H
#define T2I_SLAB_H

#include <stddef.h>

#include "input.h"

/* The walk over the time axis. */
typedef struct {
    size_t ntime;    /* steps in the file */
    size_t per_slab; /* steps read at once */
    size_t next;     /* first step of the next slab */
} t2i_slab_iter;

/* Chooses the slab length: the input's chunk extent in time when that many
 * steps fit in `budget_bytes` (each step costing `step_bytes`), else as many
 * steps as fit. Fills err when one step alone exceeds the budget. *rereads
 * is set to 1 when chunks will be decoded more than once. */
int slab_begin(t2i_slab_iter *it, size_t ntime, size_t chunk_time, size_t step_bytes,
               size_t budget_bytes, int *rereads, char *err, size_t errlen);

/* Fills the next slab's first step and length; returns 1, or 0 when the
 * walk is done (it cannot fail). */
int slab_next(t2i_slab_iter *it, size_t *t0, size_t *k);

/* The input layout of one slab and what to do with each value. */
typedef struct {
    int ndims;
    size_t count[NC_MAX_VAR_DIMS]; /* values read per dimension (time: 1 here) */
    t2i_reduce_op op[NC_MAX_VAR_DIMS];
    int time_pos, lat_pos, lon_pos;
    const size_t *lat_from; /* output row y reads input latitude lat_from[y] */
    const size_t *lon_from;
    size_t nlat, nlon;
    t2i_missing missing;
    double scale_factor, add_offset; /* unpacking */
    double conv_scale, conv_offset;  /* unit conversion after unpacking */
    /* Soil layers (layers.h), when `layered`: input dimension layer_pos.
     * With weight NULL each layer is an output level,
     * out[k][nlayer][nlat][nlon]; with weight, the layers of weight > 0 are
     * summed, each times its weight, into one (missing if any of them is). */
    int layered, layer_pos;
    const double *layer_weight;
} t2i_slab_plan;

/* Values of one output step: nlat * nlon, times the layers when kept. */
size_t slab_out_step(const t2i_slab_plan *plan);

/* Transforms k steps read by input_read_slab into out[k][nlat][nlon]
 * (out[k][nlayer][nlat][nlon] with kept layers).
 * step_factor (k values, or NULL for 1) multiplies each step after the
 * unit conversion: 1 / seconds of a per-month rate's month, a sign flip.
 * Missing cells become T2I_FILL; summed or averaged extra dimensions skip
 * missing members and are missing only when all are (with both kinds, the
 * means over the averaged dimensions are summed). Fills err when a
 * converted value does not fit a float. */
int slab_transform(const t2i_slab_plan *plan, const double *in, size_t k,
                   const double *step_factor, float *out, char *err, size_t errlen);

/* 1 if slab_transform_float can take the plan: no summed or averaged
 * dimension (an index-reduced one is fine). */
int slab_plain(const t2i_slab_plan *plan);

/* slab_transform for a float input read as floats (input_read_slab_float)
 * and a plan slab_plain accepts: the same output, bit for bit, with half
 * the bytes to read (the conversion's largest part). */
int slab_transform_float(const t2i_slab_plan *plan, const float *in, size_t k,
                         const double *step_factor, float *out, char *err, size_t errlen);

#endif
