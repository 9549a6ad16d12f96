/* The slab walk and the per-slab value pipeline (see slab.h). */
#include "slab.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

int slab_begin(t2i_slab_iter *it, size_t ntime, size_t chunk_time, size_t step_bytes,
               size_t budget_bytes, int *rereads, char *err, size_t errlen)
{
    it->ntime = ntime;
    it->next = 0;
    *rereads = 0;
    if (step_bytes > budget_bytes)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "one time step needs %zu bytes, more than the memory budget of %zu bytes",
                        step_bytes, budget_bytes);
    size_t fit = budget_bytes / step_bytes;
    size_t want = chunk_time ? chunk_time : 1;
    if (want > ntime)
        want = ntime;
    if (want > fit) {
        *rereads = 1;
        want = fit;
    }
    it->per_slab = want ? want : 1;
    return T2I_OK;
}

int slab_next(t2i_slab_iter *it, size_t *t0, size_t *k)
{
    if (it->next >= it->ntime)
        return 0;
    *t0 = it->next;
    *k = it->ntime - it->next < it->per_slab ? it->ntime - it->next : it->per_slab;
    it->next += *k;
    return 1;
}

static inline int is_missing(const t2i_missing *m, double v)
{
    if (!isfinite(v) || v < m->valid_min || v > m->valid_max)
        return 1;
    for (int i = 0; i < m->nsentinel; i++)
        if (v == m->sentinel[i])
            return 1;
    return 0;
}

/* Strides (values) of each input dimension in the slab buffer of k steps,
 * read in the file's own order: time need not be the slowest dimension
 * (a (lat, lon, time) file chunked along time is read k steps at once). */
typedef struct {
    size_t stride[NC_MAX_VAR_DIMS];
    size_t *extra;       /* offsets of every combination of reduced dims,
                            the averaged ones varying fastest */
    size_t nextra;       /* combinations (1 without extra dims) */
    size_t nmean;        /* combinations of the averaged dims alone */
} slab_layout;

/* Offset of combination c of the dimensions reduced by `op`. */
static size_t combo_offset(const t2i_slab_plan *p, const slab_layout *l, t2i_reduce_op op,
                           size_t c)
{
    size_t off = 0;
    for (int i = p->ndims - 1; i >= 0; i--)
        if (p->op[i] == op) {
            off += (c % p->count[i]) * l->stride[i];
            c /= p->count[i];
        }
    return off;
}

static int layout_make(const t2i_slab_plan *p, size_t k, slab_layout *l, char *err,
                       size_t errlen)
{
    size_t s = 1;
    for (int i = p->ndims - 1; i >= 0; i--) {
        l->stride[i] = s;
        s *= i == p->time_pos ? k : p->count[i];
    }
    size_t nsum = 1;
    l->nmean = 1;
    for (int i = 0; i < p->ndims; i++) {
        if (p->op[i] == T2I_REDUCE_SUM)
            nsum *= p->count[i];
        if (p->op[i] == T2I_REDUCE_MEAN)
            l->nmean *= p->count[i];
    }
    l->nextra = nsum * l->nmean;
    l->extra = malloc(l->nextra * sizeof *l->extra);
    if (!l->extra)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory for %zu reduced levels", l->nextra);
    for (size_t c = 0; c < l->nextra; c++)
        l->extra[c] = combo_offset(p, l, T2I_REDUCE_SUM, c / l->nmean) +
                      combo_offset(p, l, T2I_REDUCE_MEAN, c % l->nmean);
    return T2I_OK;
}

/* One output cell: the (reduced) raw value unpacked, or NAN if missing. */
static inline double cell_value(const t2i_slab_plan *p, const slab_layout *l,
                                const double *base)
{
    if (l->nextra == 1) /* no extra dimension: the common case, kept tight */
        return is_missing(&p->missing, base[0]) ? NAN
                                                : base[0] * p->scale_factor + p->add_offset;
    /* Summed dims add up the means over the averaged dims; each mean
     * counts only its present members, and an all-missing mean is skipped. */
    double total = 0.0;
    size_t groups = 0;
    for (size_t c0 = 0; c0 < l->nextra; c0 += l->nmean) {
        double sum = 0.0;
        size_t good = 0;
        for (size_t c = c0; c < c0 + l->nmean; c++) {
            double v = base[l->extra[c]];
            if (is_missing(&p->missing, v))
                continue;
            sum += v * p->scale_factor + p->add_offset;
            good++;
        }
        if (good) {
            total += sum / (double)good;
            groups++;
        }
    }
    return groups ? total : NAN;
}

size_t slab_out_step(const t2i_slab_plan *p)
{
    size_t levels = p->layered && !p->layer_weight ? p->count[p->layer_pos] : 1;
    return levels * p->nlat * p->nlon;
}

/* One cell summed over the weighted layers (the top of the soil): missing
 * when any layer it takes from is, a partial column being no top layer. */
static inline double column_value(const t2i_slab_plan *p, const slab_layout *l,
                                  const double *base)
{
    double total = 0.0;
    for (size_t z = 0; z < p->count[p->layer_pos]; z++) {
        if (p->layer_weight[z] <= 0.0)
            continue;
        double v = cell_value(p, l, base + z * l->stride[p->layer_pos]);
        if (isnan(v))
            return NAN;
        total += p->layer_weight[z] * v;
    }
    return total;
}

/* One output level (layer z, or the only one) of step t. */
static int transform_level(const t2i_slab_plan *p, const slab_layout *l, const double *step,
                           double f, size_t t, float *row, char *err, size_t errlen)
{
    size_t sy = l->stride[p->lat_pos], sx = l->stride[p->lon_pos];
    for (size_t y = 0; y < p->nlat; y++) {
        const double *line = step + p->lat_from[y] * sy;
        for (size_t x = 0; x < p->nlon; x++) {
            const double *base = line + p->lon_from[x] * sx;
            double v = p->layered && p->layer_weight ? column_value(p, l, base)
                                                    : cell_value(p, l, base);
            double r = (v * p->conv_scale + p->conv_offset) * f;
            if (isnan(v))
                row[y * p->nlon + x] = T2I_FILL;
            else if (!(fabs(r) <= FLT_MAX))
                return t2i_fail(T2I_EINPUT, err, errlen,
                                "value %g at step %zu, row %zu, column %zu does not fit a float",
                                r, t, y, x);
            else
                row[y * p->nlon + x] = (float)r;
        }
    }
    return T2I_OK;
}

int slab_transform(const t2i_slab_plan *p, const double *in, size_t k,
                   const double *step_factor, float *out, char *err, size_t errlen)
{
    slab_layout l;
    int st = layout_make(p, k, &l, err, errlen);
    if (st)
        return st;
    int kept = p->layered && !p->layer_weight;
    size_t levels = kept ? p->count[p->layer_pos] : 1, plane = p->nlat * p->nlon;
    for (size_t t = 0; t < k && st == T2I_OK; t++) {
        double f = step_factor ? step_factor[t] : 1.0;
        const double *step = in + t * l.stride[p->time_pos];
        for (size_t z = 0; z < levels && st == T2I_OK; z++)
            st = transform_level(p, &l, kept ? step + z * l.stride[p->layer_pos] : step, f, t,
                                 out + (t * levels + z) * plane, err, errlen);
    }
    free(l.extra);
    return st;
}

int slab_plain(const t2i_slab_plan *p)
{
    if (p->layered) /* soil layers take the double path: levels or a sum */
        return 0;
    for (int i = 0; i < p->ndims; i++)
        if (p->op[i] == T2I_REDUCE_SUM || p->op[i] == T2I_REDUCE_MEAN)
            return 0;
    return 1;
}

/* One output row from floats: cell_value's plain case and slab_transform's
 * arithmetic on the value widened to double, exactly as netCDF-C would
 * have widened it. Returns the first column that does not fit, or nlon. */
static size_t row_float(const t2i_slab_plan *p, const float *line, size_t sx, double f,
                        float *row, double *bad_value)
{
    for (size_t x = 0; x < p->nlon; x++) {
        double v = line[p->lon_from[x] * sx];
        if (is_missing(&p->missing, v)) {
            row[x] = T2I_FILL;
            continue;
        }
        v = v * p->scale_factor + p->add_offset;
        double r = (v * p->conv_scale + p->conv_offset) * f;
        if (!(fabs(r) <= FLT_MAX)) {
            *bad_value = r;
            return x;
        }
        row[x] = (float)r;
    }
    return p->nlon;
}

int slab_transform_float(const t2i_slab_plan *p, const float *in, size_t k,
                         const double *step_factor, float *out, char *err, size_t errlen)
{
    slab_layout l;
    int st = layout_make(p, k, &l, err, errlen);
    if (st)
        return st;
    size_t sy = l.stride[p->lat_pos], sx = l.stride[p->lon_pos];
    for (size_t t = 0; t < k && st == T2I_OK; t++) {
        double f = step_factor ? step_factor[t] : 1.0, r = 0.0;
        const float *step = in + t * l.stride[p->time_pos];
        for (size_t y = 0; y < p->nlat && st == T2I_OK; y++) {
            size_t x = row_float(p, step + p->lat_from[y] * sy, sx, f,
                                 out + (t * p->nlat + y) * p->nlon, &r);
            if (x < p->nlon)
                st = t2i_fail(T2I_EINPUT, err, errlen,
                              "value %g at step %zu, row %zu, column %zu does not fit a float",
                              r, t, y, x);
        }
    }
    free(l.extra);
    return st;
}
