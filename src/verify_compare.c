/* The checker's comparison (see verify_compare.h).
 * Shares no code with the converter (see verify.h). */
#include "verify_compare.h"

#include <float.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t2i.h"
#include "verify_calendar.h"
#include "verify_grid.h"
#include "verify_layers.h"
#include "verify_time.h"
#include "verify_units.h"

/* Output values are float32: a converted value may differ from the
 * double-precision expectation by this relative amount (float32 keeps
 * about 7 digits; 1e-6 leaves room for a different order of operations). */
#define VERIFY_VALUE_RTOL 1e-6
/* Global means of one step may differ by this relative amount. */
#define VERIFY_MEAN_RTOL 1e-5

/* Everything one step's comparison needs. */
typedef struct {
    const verify_out *f;
    const verify_in *in;
    const verify_options *o;
    verify_factor uf;
    long *ymap, *xmap;          /* output row/column -> input index */
    size_t stride[NC_MAX_VAR_DIMS];
    size_t *combo, ncombo;      /* offsets of each reduced combination */
    int mean;                   /* average, not sum, the combinations */
    size_t nraw;                /* values per input step */
    double *raw;
    float *got;
    size_t levels;              /* output levels per step (kept layers) */
    double weight[VERIFY_MAX_LAYERS]; /* top-of-soil sum: each layer's share */
    int top;                    /* 1: the output sums the weighted layers */
    size_t valid; /* output cells holding a value, over the steps compared */
} compare_job;

/* Output rows and columns found in the input by coordinate value. */
static int match_cells(compare_job *j, verify_problems *p)
{
    const verify_out *f = j->f;
    const verify_in *in = j->in;
    for (size_t y = 0; y < f->ny; y++)
        if ((j->ymap[y] = verify_match(in->lat, in->len[in->ypos], f->lat[y], VERIFY_COORD_TOL,
                                       0)) < 0) {
            verify_problem(p, "lat %g has no input latitude", f->lat[y]);
            return -1;
        }
    for (size_t x = 0; x < f->nx; x++)
        if ((j->xmap[x] = verify_match(in->lon, in->len[in->xpos], f->lon[x], VERIFY_COORD_TOL,
                                       1)) < 0) {
            verify_problem(p, "lon %g has no input longitude (modulo 360)", f->lon[x]);
            return -1;
        }
    return 0;
}

/* Strides of one input time step, and the offsets of every combination of
 * the summed or averaged extra dimensions. */
static int plan_layout(compare_job *j)
{
    const verify_in *in = j->in;
    size_t s = 1;
    j->ncombo = 1;
    for (int d = in->ndims - 1; d >= 0; d--) {
        j->stride[d] = s;
        size_t count = (d == in->tpos || in->op[d] == 'i') ? 1 : in->len[d];
        /* A step too large to count in memory is refused, not wrapped. */
        if (count && s > SIZE_MAX / sizeof(double) / count)
            return -1;
        s *= count;
        if (in->op[d] == 's' || in->op[d] == 'm')
            j->ncombo *= in->len[d];
        j->mean |= in->op[d] == 'm';
    }
    j->nraw = s;
    j->combo = malloc(j->ncombo * sizeof *j->combo);
    if (!j->combo)
        return -1;
    for (size_t c = 0; c < j->ncombo; c++) {
        size_t rest = c, off = 0;
        for (int d = in->ndims - 1; d >= 0; d--)
            if (in->op[d] == 's' || in->op[d] == 'm') {
                off += rest % in->len[d] * j->stride[d];
                rest /= in->len[d];
            }
        j->combo[c] = off;
    }
    return 0;
}

static int raw_missing(const verify_in *in, double v)
{
    if (isnan(v) || isinf(v) || v < in->valid_min || v > in->valid_max)
        return 1;
    for (int i = 0; i < in->nsentinel; i++)
        if (v == in->sentinel[i])
            return 1;
    return 0;
}

/* What output cell (y, x) of input layer z (0 without) should hold, from
 * the raw input; NAN = missing. */
static double expected_layer(const compare_job *j, size_t z, size_t y, size_t x,
                             double per_seconds)
{
    const verify_in *in = j->in;
    const double *base = j->raw + j->ymap[y] * j->stride[in->ypos] +
                         j->xmap[x] * j->stride[in->xpos] +
                         (in->zpos >= 0 ? z * j->stride[in->zpos] : 0);
    double sum = 0;
    size_t good = 0;
    for (size_t c = 0; c < j->ncombo; c++) {
        double v = base[j->combo[c]];
        if (raw_missing(in, v))
            continue;
        sum += v * in->scale_factor + in->add_offset;
        good++;
    }
    if (!good)
        return NAN;
    double v = j->mean ? sum / (double)good : sum;
    return (v * j->uf.factor + j->uf.offset) * j->o->models.scale / per_seconds;
}

/* Output level z of cell (y, x): that layer, or the weighted sum of the
 * layers the top of the soil takes from (missing if any of them is). */
static double expected(const compare_job *j, size_t z, size_t y, size_t x, double per_seconds)
{
    if (!j->top)
        return expected_layer(j, z, y, x, per_seconds);
    double sum = 0.0;
    for (size_t l = 0; l < j->in->len[j->in->zpos]; l++) {
        if (j->weight[l] <= 0.0)
            continue;
        double v = expected_layer(j, l, y, x, per_seconds);
        if (isnan(v))
            return NAN;
        sum += j->weight[l] * v;
    }
    return sum;
}

/* Seconds of the month or year a per-period amount of step t covers, by
 * the checker's calendar; 0 when the time axis could not be read. */
static double period_seconds(const compare_job *j, size_t t)
{
    const verify_out *f = j->f;
    if (j->uf.per == VERIFY_PER_NONE)
        return 1.0;
    if (!f->steps.year)
        return 0.0;
    long y = f->steps.year[t];
    int days = j->uf.per == VERIFY_PER_MONTH ? verify_month_days(f->cal, y, f->steps.month[t])
                                              : verify_year_days(f->cal, y);
    return days * VERIFY_SECONDS_PER_DAY;
}

static int read_steps(compare_job *j, size_t t, verify_problems *p)
{
    const verify_in *in = j->in;
    size_t start[NC_MAX_VAR_DIMS], count[NC_MAX_VAR_DIMS];
    for (int d = 0; d < in->ndims; d++) {
        start[d] = d == in->tpos ? t : in->op[d] == 'i' ? in->keep[d] : 0;
        count[d] = (d == in->tpos || in->op[d] == 'i') ? 1 : in->len[d];
    }
    int rc = nc_get_vara_double(in->ncid, in->varid, start, count, j->raw);
    size_t ostart[4] = {t, 0, 0, 0}, ocount[4] = {1, j->f->ny, j->f->nx, 0};
    if (j->f->nz) {
        ocount[1] = j->f->nz;
        ocount[2] = j->f->ny;
        ocount[3] = j->f->nx;
    }
    if (!rc)
        rc = nc_get_vara_float(j->f->ncid, j->f->varid, ostart, ocount, j->got);
    if (rc)
        verify_problem(p, "cannot read step %zu: %s", t, nc_strerror(rc));
    return rc ? -1 : 0;
}

/* Tallies of one step's comparison. */
typedef struct {
    size_t mask, value;
    long mask_y, mask_x, value_y, value_x;
    double got, want;
    double sum_got, w_got, sum_want, w_want;
} step_tally;

static void tally_cell(step_tally *s, size_t y, size_t x, double g, double e, double w)
{
    int gm = g == T2I_FILL, em = isnan(e);
    if (gm != em) {
        if (!s->mask++) {
            s->mask_y = (long)y;
            s->mask_x = (long)x;
        }
    } else if (!gm && !(fabs(g - e) <= VERIFY_VALUE_RTOL * fabs(e) + FLT_MIN)) {
        if (!s->value++) {
            s->value_y = (long)y;
            s->value_x = (long)x;
            s->got = g;
            s->want = e;
        }
    }
    if (!gm && isfinite(g)) {
        s->sum_got += w * g;
        s->w_got += w;
    }
    if (!em) {
        s->sum_want += w * e;
        s->w_want += w;
    }
}

static void report_step(const compare_job *j, size_t t, const step_tally *s, verify_problems *p)
{
    const verify_out *f = j->f;
    if (s->mask)
        verify_problem(p, "missing mask differs at %zu cells of step %zu (first at lat %g, lon %g)",
                       s->mask, t, f->lat[s->mask_y], f->lon[s->mask_x]);
    if (s->value)
        verify_problem(p, "value at (step %zu, lat %g, lon %g) is %.7g, input converted gives "
                       "%.7g (%zu cells differ)", t, f->lat[s->value_y], f->lon[s->value_x],
                       s->got, s->want, s->value);
    double mg = s->w_got ? s->sum_got / s->w_got : 0, mw = s->w_want ? s->sum_want / s->w_want : 0;
    if (fabs(mg - mw) > VERIFY_MEAN_RTOL * fabs(mw) + FLT_MIN)
        verify_problem(p, "global mean of step %zu is %.7g, input converted gives %.7g", t, mg, mw);
}

/* Compares step t cell by cell; returns the cells compared. */
static size_t compare_step(compare_job *j, size_t t, verify_problems *p)
{
    double per = period_seconds(j, t);
    if (per == 0.0 || read_steps(j, t, p) != 0)
        return 0;
    step_tally s = {0};
    size_t plane = j->f->ny * j->f->nx;
    for (size_t z = 0; z < j->levels; z++)
        for (size_t y = 0; y < j->f->ny; y++) {
            double w = cos(j->f->lat[y] * VERIFY_PI / 180.0);
            for (size_t x = 0; x < j->f->nx; x++)
            {
                float g = j->got[z * plane + y * j->f->nx + x];
                j->valid += g != T2I_FILL;
                tally_cell(&s, y, x, g, expected(j, z, y, x, per), w);
            }
        }
    report_step(j, t, &s, p);
    return j->levels * plane;
}

/* Step t's input stamp (or its bounds' midpoint) against the period the
 * output's bounds give it: a month shift is invisible cell by cell. */
static void check_alignment(const compare_job *j, size_t t, verify_summary *s,
                            verify_problems *p)
{
    const verify_in *in = j->in;
    const verify_out *f = j->f;
    if (!f->steps.year || s->note[0])
        return;
    double v = in->time[t];
    if (in->time_bnds && strstr(in->time_units, " since "))
        v = 0.5 * (in->time_bnds[2 * t] + in->time_bnds[2 * t + 1]);
    long y;
    int m, boundary;
    if (verify_decode_stamp(in->cal, in->time_units, v, &y, &m, &boundary) != 0) {
        snprintf(s->note, sizeof s->note, "time alignment not checked: input time units '%.200s'",
                 in->time_units);
        return;
    }
    /* A stamp on a boundary closes the period before it (models/ says so). */
    if (boundary && j->o->models.stamp_end && f->steps.monthly)
        verify_prev_month(&y, &m);
    else if (boundary && j->o->models.stamp_end && m == 1)
        y--;
    if (f->steps.monthly && (y != f->steps.year[t] || m != f->steps.month[t]))
        verify_problem(p, "step %zu covers %04ld-%02d, but the input stamp %g '%s' is in "
                       "%04ld-%02d", t, f->steps.year[t], f->steps.month[t], in->time[t],
                       in->time_units, y, m);
    else if (!f->steps.monthly && y != f->steps.year[t])
        verify_problem(p, "step %zu covers year %ld, but the input stamp %g '%s' is in %ld", t,
                       f->steps.year[t], in->time[t], in->time_units, y);
}

/* The i-th of n sampled steps of nt: first, last, evenly between. */
static size_t sample_step(size_t i, size_t n, size_t nt)
{
    return n >= nt ? i : n <= 1 ? 0 : i * (nt - 1) / (n - 1);
}

static void compare_all(compare_job *j, verify_summary *s, verify_problems *p)
{
    size_t nt = j->f->nt, n = j->o->samples ? j->o->samples : VERIFY_SAMPLES;
    if (n > nt)
        n = nt;
    for (size_t i = 0; i < n; i++) {
        size_t t = sample_step(i, n, nt);
        check_alignment(j, t, s, p);
        size_t cells = compare_step(j, t, p);
        s->cells_compared += cells;
        s->steps_compared += cells > 0;
    }
    /* Not a problem (the input may be all missing too), but never silent:
     * the result's note says it, and the report shows it. */
    if (s->steps_compared && !j->valid) {
        size_t at = strlen(s->note);
        snprintf(s->note + at, sizeof s->note - at, "%sno valid value in the %zu steps compared",
                 at ? "; " : "", s->steps_compared);
    }
}

/* Kept layers: as many as the input's, each bounded where the input's
 * layers are. Top-of-soil sum: each layer's share. Returns -1 when the
 * values cannot be compared. */
static int plan_layers(compare_job *j, verify_problems *p)
{
    const verify_in *in = j->in;
    const verify_out *f = j->f;
    double top_m;
    int mode = verify_layers_mode(j->o, &top_m);
    j->levels = 1;
    if (mode == VERIFY_LAYERS_TOP) {
        j->top = 1;
        if (in->edges[in->len[in->zpos]] < top_m)
            verify_problem(p, "the input's layers end at %g m, above the %g m summed",
                           in->edges[in->len[in->zpos]], top_m);
        for (size_t l = 0; l < in->len[in->zpos]; l++)
            j->weight[l] = verify_layer_weight(in->edges, l, top_m);
        return 0;
    }
    if (mode != VERIFY_LAYERS_KEEP)
        return 0;
    if (f->nz != in->len[in->zpos]) {
        verify_problem(p, "output has %zu depth levels, input has %zu layers", f->nz,
                       in->len[in->zpos]);
        return -1;
    }
    for (size_t l = 0; l < f->nz; l++) {
        const double *b = f->depth_bnds + 2 * l, *e = in->edges + l;
        if (fabs(b[0] - e[0]) > 1e-9 * fmax(1.0, e[0]) ||
            fabs(b[1] - e[1]) > 1e-9 * fmax(1.0, e[1])) {
            verify_problem(p, "depth_bnds of level %zu are [%g, %g], the input's layer is "
                           "[%g, %g] m", l, b[0], b[1], e[0], e[1]);
            break;
        }
    }
    j->levels = f->nz;
    return 0;
}

/* A latent-heat flux (W m-2) read as a water flux with the latent heat
 * models/ declares: kg m-2 s-1 = W m-2 / (J kg-1). Never without one. */
static int verify_latent_heat(const char *units, const verify_options *o, verify_factor *f)
{
    char why[T2I_ERRLEN];
    if (!(o->models.latent_heat > 0) || strcmp(o->target_units, "kg m-2 s-1") != 0 ||
        verify_units(units, "W m-2", f, why, sizeof why) != 0 || f->per != VERIFY_PER_NONE)
        return -1;
    f->factor /= o->models.latent_heat;
    f->offset /= o->models.latent_heat;
    return 0;
}

/* Output against input: same length, calendar, coordinates, values. */
int verify_compare(const verify_out *f, const verify_in *in, const verify_options *o,
                   verify_summary *s, verify_problems *p)
{
    compare_job j = {.f = f, .in = in, .o = o};
    char why[T2I_ERRLEN];
    if (f->nt != in->len[in->tpos]) {
        verify_problem(p, "output has %zu time steps, input has %zu", f->nt, in->len[in->tpos]);
        return 0;
    }
    if (f->steps.year && f->cal != in->cal)
        verify_problem(p, "calendar is '%s', the input's differs", f->calendar);
    if (verify_units(in->units, o->target_units, &j.uf, why, sizeof why) != 0 &&
        verify_latent_heat(in->units, o, &j.uf) != 0) {
        verify_problem(p, "cannot derive the unit conversion: %s", why);
        return 0;
    }
    if (plan_layers(&j, p) != 0)
        return 0;
    int st = -1;
    j.ymap = malloc(f->ny * sizeof *j.ymap);
    j.xmap = malloc(f->nx * sizeof *j.xmap);
    if (j.ymap && j.xmap && plan_layout(&j) == 0) {
        j.raw = malloc(j.nraw * sizeof *j.raw);
        j.got = malloc(j.levels * f->ny * f->nx * sizeof *j.got);
        st = j.raw && j.got ? 0 : -1;
    }
    if (st == 0 && match_cells(&j, p) == 0)
        compare_all(&j, s, p);
    free(j.ymap);
    free(j.xmap);
    free(j.combo);
    free(j.raw);
    free(j.got);
    return st;
}
