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
 * have widened it. Returns the first column that does not fit, or nlon.
 * The reference the fast rows below must match, and their fallback. */
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

/* ------------------------------------------------- the fast float rows */

/* Sentinels the fast rows test, padded with NaN (equal to nothing): a fixed
 * count lets the compiler unroll the test into the vector loop. */
#define FAST_SENTINELS 4

/* Values per fast block: a trip count the compiler knows lets it vectorise
 * the block even at -O2 (as chunk.c's shuffle). */
#define FAST_BLOCK 64

/* The plan's per-value work, reduced to what a float input needs. */
typedef struct {
    /* A float widened to double equals a double sentinel only if that
     * sentinel is a float itself: the others can never match and are
     * dropped, the rest compared as floats. */
    float sentinel[FAST_SENTINELS];
    float lo, hi;        /* valid range as floats, within the finite ones */
    double sf, ao, cs, co;
    int unit_chain;      /* sf, cs 1 and ao, co 0: r is v + 0 (-0 becomes +0) */
    int nsentinel;       /* sentinels in use; the others are NaN */
} fast_plan;

/* The least float >= d (+inf above the floats). For a float x, x < d
 * exactly when x < float_at_least(d): no float lies between them. So the
 * valid range is tested in floats, four values a vector instead of two. */
static float float_at_least(double d)
{
    float c = (float)d;
    return (double)c < d ? nextafterf(c, INFINITY) : c;
}

/* Fills f from p; returns 0 when p has more float sentinels than the fast
 * rows test (the rows then take row_float). */
static int fast_plan_make(const t2i_slab_plan *p, fast_plan *f)
{
    int n = 0;
    for (int i = 0; i < FAST_SENTINELS; i++)
        f->sentinel[i] = NAN;
    for (int i = 0; i < p->missing.nsentinel; i++) {
        double s = p->missing.sentinel[i];
        if ((double)(float)s != s)
            continue;
        if (n == FAST_SENTINELS)
            return 0;
        f->sentinel[n++] = (float)s;
    }
    f->nsentinel = n;
    f->lo = fmaxf(float_at_least(p->missing.valid_min), -FLT_MAX);
    f->hi = fminf(-float_at_least(-p->missing.valid_max), FLT_MAX);
    f->sf = p->scale_factor;
    f->ao = p->add_offset;
    f->cs = p->conv_scale;
    f->co = p->conv_offset;
    f->unit_chain = f->sf == 1.0 && f->ao == 0.0 && f->cs == 1.0 && f->co == 0.0;
    return 1;
}

/* is_missing for a float, without a branch or a call: NaN fails both
 * range tests, and the range excludes the infinities. */
static inline int fast_missing(const fast_plan *f, float x)
{
    return !((x >= f->lo) & (x <= f->hi)) | (x == f->sentinel[0]) |
           (x == f->sentinel[1]) | (x == f->sentinel[2]) | (x == f->sentinel[3]);
}

/* fast_missing with only the first one or two sentinels in use. */
static inline int fast_missing1(const fast_plan *f, float x)
{
    return !((x >= f->lo) & (x <= f->hi)) | (x == f->sentinel[0]);
}

static inline int fast_missing2(const fast_plan *f, float x)
{
    return !((x >= f->lo) & (x <= f->hi)) | (x == f->sentinel[0]) | (x == f->sentinel[1]);
}

/* n contiguous values (n is FAST_BLOCK for the vector loop, or the rest):
 * row_float's arithmetic, bit for bit. Returns nonzero if a present value
 * does not fit a float; the caller then redoes the row with row_float,
 * which names it. */
static inline int fast_span(const fast_plan *f, const float *restrict in, size_t n, double k,
                            float *restrict out)
{
    int bad = 0;
    if (f->unit_chain && k == 1.0) {
        /* ((v * 1 + 0) * 1 + 0) * 1 is v + 0 exactly, and a float: no
         * double arithmetic, nothing that could overflow. Files declare
         * one or two sentinels: their loops skip the NaN slots. */
        if (f->nsentinel == 1)
            for (size_t i = 0; i < n; i++)
                out[i] = fast_missing1(f, in[i]) ? T2I_FILL : in[i] + 0.0f;
        else if (f->nsentinel == 2)
            for (size_t i = 0; i < n; i++)
                out[i] = fast_missing2(f, in[i]) ? T2I_FILL : in[i] + 0.0f;
        else
            for (size_t i = 0; i < n; i++)
                out[i] = fast_missing(f, in[i]) ? T2I_FILL : in[i] + 0.0f;
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        int miss = fast_missing(f, in[i]);
        double r = (((double)in[i] * f->sf + f->ao) * f->cs + f->co) * k;
        bad |= !miss & !(fabs(r) <= FLT_MAX);
        out[i] = miss ? T2I_FILL : (float)r;
    }
    return bad;
}

/* n contiguous values in whole blocks, then the rest. */
static int fast_run(const fast_plan *f, const float *in, size_t n, double k, float *out)
{
    int bad = 0;
    size_t i = 0;
    for (; i + FAST_BLOCK <= n; i += FAST_BLOCK)
        bad |= fast_span(f, in + i, FAST_BLOCK, k, out + i);
    return bad | fast_span(f, in + i, n - i, k, out + i);
}

/* The longitude order as runs of consecutive input columns: a roll is
 * two runs, no roll one. */
typedef struct {
    size_t x0, from, n; /* output columns x0.. read input columns from.. */
} lon_run;

/* Fills runs (room for nlon) from lon_from; returns how many. */
static size_t lon_runs(const t2i_slab_plan *p, lon_run *runs)
{
    size_t nr = 0;
    for (size_t x = 0; x < p->nlon; x++) {
        if (nr && p->lon_from[x] == runs[nr - 1].from + runs[nr - 1].n) {
            runs[nr - 1].n++;
            continue;
        }
        runs[nr++] = (lon_run){.x0 = x, .from = p->lon_from[x], .n = 1};
    }
    return nr;
}

/* The fast path's state for one slab_transform_float call: NULL runs
 * means every row takes row_float (longitude not the fastest input
 * dimension, too many sentinels, or no memory for the runs). */
typedef struct {
    fast_plan plan;
    lon_run *runs;
    size_t nruns;
} fast_rows;

static void fast_rows_make(const t2i_slab_plan *p, size_t sx, fast_rows *fr)
{
    fr->runs = NULL;
    fr->nruns = 0;
    fr->plan = (fast_plan){.nsentinel = 0};
    if (sx != 1 || !fast_plan_make(p, &fr->plan))
        return;
    fr->runs = malloc((p->nlon ? p->nlon : 1) * sizeof *fr->runs);
    if (fr->runs)
        fr->nruns = lon_runs(p, fr->runs);
}

/* One output row: the fast runs, and row_float when they cannot take it or
 * a value does not fit (row_float then finds and names the first). */
static size_t row_any(const t2i_slab_plan *p, const fast_rows *fr, const float *line,
                      size_t sx, double f, float *row, double *bad_value)
{
    int bad = !fr->runs;
    for (size_t i = 0; !bad && i < fr->nruns; i++)
        bad = fast_run(&fr->plan, line + fr->runs[i].from, fr->runs[i].n, f,
                       row + fr->runs[i].x0);
    return bad ? row_float(p, line, sx, f, row, bad_value) : p->nlon;
}

int slab_transform_float(const t2i_slab_plan *p, const float *in, size_t k,
                         const double *step_factor, float *out, char *err, size_t errlen)
{
    slab_layout l;
    int st = layout_make(p, k, &l, err, errlen);
    if (st)
        return st;
    size_t sy = l.stride[p->lat_pos], sx = l.stride[p->lon_pos];
    fast_rows fr;
    fast_rows_make(p, sx, &fr);
    for (size_t t = 0; t < k && st == T2I_OK; t++) {
        double f = step_factor ? step_factor[t] : 1.0, r = 0.0;
        const float *step = in + t * l.stride[p->time_pos];
        for (size_t y = 0; y < p->nlat && st == T2I_OK; y++) {
            size_t x = row_any(p, &fr, step + p->lat_from[y] * sy, sx, f,
                               out + (t * p->nlat + y) * p->nlon, &r);
            if (x < p->nlon)
                st = t2i_fail(T2I_EINPUT, err, errlen,
                              "value %g at step %zu, row %zu, column %zu does not fit a float",
                              r, t, y, x);
        }
    }
    free(fr.runs);
    free(l.extra);
    return st;
}
