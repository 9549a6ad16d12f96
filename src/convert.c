/* One file through the pipeline (see convert.h). Each stage is a function
 * that fills part of a job; convert_run runs them in order and cleans up. */
#include "convert.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "area.h"
#include "cfout.h"
#include "grid.h"
#include "layers.h"
#include "slab.h"
#include "tmppath.h"
#include "units.h"
#include "vartable.h"

typedef struct {
    t2i_input in;
    t2i_varinfo info;
    t2i_calendar cal;
    t2i_time_axis time;
    t2i_axis lat, lon;
    t2i_layers layers;
    t2i_units_conv conv;
    double *step_factor; /* per time step: period seconds, sign flip */
    double *inbuf;
    float *outbuf;
    t2i_out out;
    int any_valid; /* 1 once an output value is not missing */
} job;

static int open_input(const t2i_options *o, job *j, t2i_notes *notes, char *err, size_t errlen)
{
    t2i_input_request req = {
        .path = o->input, .var = o->var, .time_var = o->time_var,
        .time_units = o->time_units, .calendar = o->calendar, .units = o->units,
        .missing = o->missing, .nmissing = o->nmissing,
        .reduce = o->reduce, .nreduce = o->nreduce,
        .keep_layer = j->layers.mode != T2I_LAYERS_NONE,
        .raw_chunks = o->raw_chunks, .memory_bytes = o->memory_bytes,
    };
    return input_open(&req, &j->in, notes, err, errlen);
}

/* tsl, msl: the layer depths, when the table keeps or sums layers. */
static int plan_layers(const t2i_options *o, job *j, t2i_notes *notes, char *err, size_t errlen)
{
    if (j->layers.mode == T2I_LAYERS_NONE)
        return T2I_OK;
    int st = layers_plan(&j->in, o->nlayer_bounds ? o->layer_bounds : NULL,
                         (size_t)o->nlayer_bounds, &j->layers, notes, err, errlen);
    if (!st && j->layers.mode == T2I_LAYERS_TOP)
        T2I_QUIRK(notes, "layers summed over the top %g m, each by its overlap fraction",
                  j->layers.top_m);
    return st;
}

/* Decodes n raw values into days since 1850 (allocated). */
static int decode_all(const t2i_time_units *tu, t2i_calendar cal, const double *raw, size_t n,
                      double **days, char *err, size_t errlen)
{
    *days = malloc(n * sizeof **days);
    if (!*days)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory decoding %zu time values", n);
    for (size_t i = 0; i < n; i++) {
        char why[T2I_ERRLEN];
        if (time_decode(tu, cal, raw[i], &(*days)[i], why, sizeof why) != T2I_OK)
            return t2i_fail(T2I_EINPUT, err, errlen, "time value %.17g at step %zu: %s", raw[i],
                            i, why);
    }
    return T2I_OK;
}

/* Axis lengths that identify a TRENDY span (doc/quirks.md#T-18):
 * only a cross-check of the decoded dates, never a source of them. */
static const struct {
    size_t n;
    t2i_freq freq;
    int first, last;
} known_spans[] = {
    {3888, T2I_FREQ_MONTH, 1700, 2023}, {324, T2I_FREQ_YEAR, 1700, 2023},
    {3876, T2I_FREQ_MONTH, 1701, 2023}, {323, T2I_FREQ_YEAR, 1701, 2023},
    {1968, T2I_FREQ_MONTH, 1860, 2023}, {1488, T2I_FREQ_MONTH, 1900, 2023},
};

static void cross_check_span(const t2i_time_axis *t, t2i_notes *notes)
{
    for (size_t i = 0; i < sizeof known_spans / sizeof known_spans[0]; i++) {
        if (known_spans[i].n != t->n || known_spans[i].freq != t->freq)
            continue;
        if (t->year[0] != known_spans[i].first || t->year[t->n - 1] != known_spans[i].last)
            T2I_WARN(notes, "%zu steps usually mean %d-%d, but the time axis decodes to %d-%d",
                     t->n, known_spans[i].first, known_spans[i].last, t->year[0],
                     t->year[t->n - 1]);
    }
}

/* The time units, else a reference read from the values (time.h), else
 * a long_name such as CLM6.0's "years since 1700" on a time without units. */
static int read_time_units(t2i_input *in, t2i_time_units *tu, t2i_notes *notes, char *err,
                           size_t errlen)
{
    char note[T2I_ERRLEN], why[T2I_ERRLEN];
    int st = time_units_from_values(in->time_units, in->time, in->time_bnds, in->ntime, tu, note,
                                    sizeof note, err, errlen);
    if (st == T2I_OK) {
        if (note[0])
            T2I_QUIRK(notes, "%s", note);
        return T2I_OK;
    }
    /* CLM writes the reference as a bare year ("years since 1700"): the
     * first of January of that year. */
    char padded[sizeof in->time_long_name + 8];
    snprintf(padded, sizeof padded, "%s-01-01", in->time_long_name);
    if (in->time_units[0] || !strstr(in->time_long_name, " since ") ||
        (time_parse_units(in->time_long_name, tu, why, sizeof why) != T2I_OK &&
         time_parse_units(padded, tu, why, sizeof why) != T2I_OK))
        return st;
    T2I_QUIRK(notes, "time has no units; its long_name '%s' read as the units",
              in->time_long_name);
    return T2I_OK;
}

static int plan_time(const t2i_options *o, job *j, t2i_notes *notes, char *err, size_t errlen)
{
    t2i_time_units tu;
    int st;
    if (!j->in.calendar[0])
        T2I_QUIRK(notes, "no calendar attribute (standard assumed, as CF says)");
    if ((st = time_parse_calendar(j->in.calendar, &j->cal, err, errlen)) ||
        (st = read_time_units(&j->in, &tu, notes, err, errlen)))
        return st;
    double *days = NULL, *bdays = NULL;
    st = decode_all(&tu, j->cal, j->in.time, j->in.ntime, &days, err, errlen);
    if (!st && j->in.time_bnds)
        st = decode_all(&tu, j->cal, j->in.time_bnds, 2 * j->in.ntime, &bdays, err, errlen);
    if (!st)
        st = time_plan_axis(days, bdays, j->in.ntime, j->cal, o->stamp, o->freq, &j->time, err,
                            errlen);
    free(days);
    free(bdays);
    if (st)
        return st;
    cross_check_span(&j->time, notes);
    if (j->time.on_boundary)
        T2I_QUIRK(notes, "%zu time stamps on period boundaries read as period %s",
                  j->time.on_boundary, o->stamp == T2I_STAMP_END ? "ends" : "starts");
    return T2I_OK;
}

static int plan_grid(job *j, t2i_notes *notes, char *err, size_t errlen)
{
    int st;
    if ((st = grid_plan_lat(j->in.lat, j->in.lat_bnds, j->in.nlat, &j->lat, err, errlen)) ||
        (st = grid_plan_lon(j->in.lon, j->in.lon_bnds, j->in.nlon, &j->lon, err, errlen)))
        return st;
    if (j->lat.flipped)
        T2I_QUIRK(notes, "latitude north to south (flipped)");
    if (j->lon.shifted != 0.0)
        T2I_QUIRK(notes, "longitude beyond [-180, 180) (rolled)");
    else if (j->lon.n > 1 && j->lon.from[0] != 0)
        T2I_QUIRK(notes, "longitude stored in rotated order, starting at %g (rolled)",
                  j->in.lon[0]);
    /* A pole as a centre (CLM f09: -90 ... 90) has half a cell: clamped. */
    if (fabs(j->lat.value[0]) >= 90.0 || fabs(j->lat.value[j->lat.n - 1]) >= 90.0)
        T2I_QUIRK(notes, "a pole is a grid point: its cell bounds clamped to +-90");
    if (j->lat.bounds_computed || j->lon.bounds_computed)
        T2I_QUIRK(notes, "cell bounds computed as edges between centres");
    return T2I_OK;
}

/* Seconds of the period a per-month or per-year rate refers to. */
static double period_seconds(const job *j, size_t t)
{
    if (j->conv.per == T2I_PER_YEAR)
        return 86400.0 * time_days_in_year(j->cal, j->time.year[t]);
    return 86400.0 * (j->time.bnds[2 * t + 1] - j->time.bnds[2 * t]);
}

/* LPJ-GUESS writes evapotranspiration as a latent-heat flux. W m-2 is a
 * mass flux only through a latent heat of vaporisation, which the file does
 * not state and which varies with temperature: models/ must declare it
 * (latent_heat, J kg-1); without it the units are refused, never guessed.
 * Returns T2I_OK with conv filled, or a status with why naming the key. */
static int plan_latent_heat(const t2i_options *o, job *j, t2i_notes *notes, char *why,
                            size_t whylen)
{
    t2i_units_conv energy;
    char e[T2I_ERRLEN];
    if (strcmp(j->info.units, "kg m-2 s-1") != 0 ||
        units_plan(j->in.units, "W m-2", &energy, e, sizeof e) != T2I_OK)
        return T2I_EINPUT;
    if (o->latent_heat <= 0.0) {
        snprintf(why, whylen, "units '%s' are an energy flux: set latent_heat (J kg-1) in "
                 "models/ to read them as '%s'", j->in.units, j->info.units);
        return T2I_EINPUT;
    }
    j->conv = energy;
    j->conv.scale /= o->latent_heat;
    j->conv.offset /= o->latent_heat;
    int len = snprintf(j->conv.summary, sizeof j->conv.summary, "%s -> %s (x %.17g: / latent "
                       "heat %.17g J kg-1 from models/)", j->in.units, j->info.units,
                       j->conv.scale, o->latent_heat);
    if (len < 0 || (size_t)len >= sizeof j->conv.summary)
        strcpy(j->conv.summary + sizeof j->conv.summary - sizeof "...", "...");
    T2I_QUIRK(notes, "latent-heat flux '%s' divided by %.17g J kg-1 from models/", j->in.units,
              o->latent_heat);
    return T2I_OK;
}

static int plan_units(const t2i_options *o, job *j, t2i_notes *notes, char *err, size_t errlen)
{
    char why[T2I_ERRLEN];
    int st = units_plan(j->in.units, j->info.units, &j->conv, why, sizeof why);
    if (st == T2I_EINPUT)
        st = plan_latent_heat(o, j, notes, why, sizeof why) == T2I_OK ? T2I_OK : st;
    if (st)
        return t2i_fail(st, err, errlen, "'%s': %s", j->in.var, why);
    if (j->conv.per == T2I_PER_MONTH && j->time.freq != T2I_FREQ_MONTH)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "'%s': units '%s' are per month but the time axis is annual", j->in.var,
                        j->in.units);
    j->step_factor = malloc(j->time.n * sizeof *j->step_factor);
    if (!j->step_factor)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory for %zu step factors", j->time.n);
    for (size_t t = 0; t < j->time.n; t++)
        j->step_factor[t] = j->conv.per == T2I_PER_NONE ? o->scale : o->scale / period_seconds(j, t);
    return T2I_OK;
}

static void fill_slab_plan(const job *j, t2i_slab_plan *p)
{
    memset(p, 0, sizeof *p);
    p->ndims = j->in.ndims;
    for (int i = 0; i < p->ndims; i++) {
        p->op[i] = j->in.op[i];
        p->count[i] = j->in.op[i] == T2I_REDUCE_INDEX ? 1 : j->in.dimlen[i];
    }
    p->count[j->in.time_pos] = 1;
    p->time_pos = j->in.time_pos;
    p->lat_pos = j->in.lat_pos;
    p->lon_pos = j->in.lon_pos;
    p->lat_from = j->lat.from;
    p->lon_from = j->lon.from;
    p->nlat = j->lat.n;
    p->nlon = j->lon.n;
    p->missing = j->in.missing;
    p->scale_factor = j->in.scale_factor;
    p->add_offset = j->in.add_offset;
    p->conv_scale = j->conv.scale;
    p->conv_offset = j->conv.offset;
    p->layered = j->layers.mode != T2I_LAYERS_NONE;
    p->layer_pos = j->in.layer_pos;
    p->layer_weight = j->layers.mode == T2I_LAYERS_TOP ? j->layers.weight : NULL;
}

/* Values of one output time step: every kept layer of the grid. */
static size_t out_step_values(const job *j)
{
    return (j->layers.mode == T2I_LAYERS_KEEP ? j->layers.n : 1) * j->lat.n * j->lon.n;
}

static int alloc_buffers(const t2i_options *o, job *j, t2i_slab_iter *it, t2i_notes *notes,
                         char *err, size_t errlen)
{
    size_t in_step = input_step_values(&j->in), out_step = out_step_values(j);
    size_t step_bytes = in_step * sizeof(double) + out_step * sizeof(float);
    int rereads, st = slab_begin(it, j->time.n, j->in.chunk_time, step_bytes, o->memory_bytes,
                                 &rereads, err, errlen);
    if (st)
        return t2i_fail(st, err, errlen, "'%s': one time step needs %zu bytes, more than the "
                        "memory budget of %zu bytes (--memory)", j->in.var, step_bytes,
                        o->memory_bytes);
    if (rereads)
        T2I_WARN(notes, "input chunks span %zu time steps, more than fit in %zu bytes: chunks "
                 "are decoded more than once", j->in.chunk_time, o->memory_bytes);
    j->inbuf = malloc(it->per_slab * in_step * sizeof *j->inbuf);
    j->outbuf = malloc(it->per_slab * out_step * sizeof *j->outbuf);
    if (!j->inbuf || !j->outbuf)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory for a %zu-step slab", it->per_slab);
    return T2I_OK;
}

static int stream(job *j, t2i_slab_iter *it, char *err, size_t errlen)
{
    t2i_slab_plan plan;
    fill_slab_plan(j, &plan);
    size_t t0, k, nvalues;
    int st = T2I_OK;
    /* Float inputs without summed or averaged dimensions are read as floats
     * into the same buffer: half the bytes, the same values. */
    int as_float = j->in.xtype == NC_FLOAT && slab_plain(&plan);
    float *inf = (float *)(void *)j->inbuf;
    while (st == T2I_OK && slab_next(it, &t0, &k)) {
        if (as_float)
            st = input_read_slab_float(&j->in, t0, k, inf, &nvalues, err, errlen);
        else
            st = input_read_slab(&j->in, t0, k, j->inbuf, &nvalues, err, errlen);
        if (st)
            break;
        char why[T2I_ERRLEN];
        if (as_float)
            st = slab_transform_float(&plan, inf, k, j->step_factor + t0, j->outbuf, why,
                                      sizeof why);
        else
            st = slab_transform(&plan, j->inbuf, k, j->step_factor + t0, j->outbuf, why,
                                sizeof why);
        if (st)
            st = t2i_fail(st, err, errlen, "'%s': %s (time step %zu onwards)", j->in.var, why, t0);
        else
            st = cfout_write(&j->out, t0, k, j->outbuf, err, errlen);
        /* Until one value is found: one step's scan, then nothing. */
        for (size_t i = 0, n = k * out_step_values(j); !j->any_valid && i < n; i++)
            j->any_valid = j->outbuf[i] != T2I_FILL;
    }
    return st;
}

static void fill_meta(const t2i_options *o, const job *j, const t2i_notes *notes,
                      const char *cell_methods, t2i_out_meta *m)
{
    *m = (t2i_out_meta){
        .var = o->out_var ? o->out_var : j->info.out,
        .units = j->info.units,
        .standard_name = j->info.standard_name,
        .long_name = j->info.long_name,
        .cell_methods = cell_methods,
        .cell_measures = "area: areacella",
        .calendar = j->cal,
        .deflate = o->deflate,
        .threads = o->threads,
        .source_file = o->source ? o->source : o->input,
        .model = o->model,
        .simulation = o->sim,
        .command_line = o->command_line,
        .conversion = j->conv.summary,
        .quirks = notes->quirks,
        .warnings = notes->warnings,
        .frequency = j->time.freq == T2I_FREQ_YEAR ? "yr" : "mon",
    };
    if (j->layers.mode == T2I_LAYERS_KEEP) {
        m->ndepth = j->layers.n;
        m->depth = j->layers.depth;
        m->depth_bnds = j->layers.bnds;
    }
}

static void fill_result(const t2i_options *o, const job *j, t2i_result *r)
{
    snprintf(r->out_var, sizeof r->out_var, "%s", o->out_var ? o->out_var : j->info.out);
    snprintf(r->units_from, sizeof r->units_from, "%s", j->in.units);
    snprintf(r->units_to, sizeof r->units_to, "%s", j->info.units);
    snprintf(r->conversion, sizeof r->conversion, "%s", j->conv.summary);
    snprintf(r->calendar, sizeof r->calendar, "%s", time_calendar_name(j->cal));
    snprintf(r->read_path, sizeof r->read_path, "%s", j->in.read_path);
    r->freq = j->time.freq;
    r->ntime = j->time.n;
    r->nlat = j->lat.n;
    r->nlon = j->lon.n;
    r->first_year = j->time.year[0];
    r->first_month = j->time.month[0];
    r->last_year = j->time.year[j->time.n - 1];
    r->last_month = j->time.month[j->time.n - 1];
}

static void job_free(job *j)
{
    cfout_abort(&j->out);
    input_close(&j->in);
    time_axis_free(&j->time);
    grid_axis_free(&j->lat);
    grid_axis_free(&j->lon);
    free(j->step_factor);
    free(j->inbuf);
    free(j->outbuf);
}

/* The table line of the output asked for: one TRENDY name may have several
 * (msl gives mrsol and mrsos), an output name has one. An --out-var the
 * table does not know renames the TRENDY name's first output. */
static int lookup_table(const t2i_options *o, t2i_varinfo *info, char *err, size_t errlen)
{
    if (o->out_var && vartable_lookup(o->table, o->out_var, info, err, errlen) == T2I_OK &&
        strcmp(info->trendy, o->table_var) == 0)
        return T2I_OK;
    return vartable_lookup(o->table, o->table_var, info, err, errlen);
}


int convert_run(const t2i_options *o, t2i_result *res, char *err, size_t errlen)
{
    job j;
    memset(&j, 0, sizeof j);
    j.in.ncid = -1;
    j.out.ncid = -1;
    memset(res, 0, sizeof *res);
    t2i_notes *notes = &res->notes;
    t2i_slab_iter it;
    t2i_out_meta meta;
    char cell_methods[sizeof j.info.cell_methods + 32];
    int st;
    if ((st = lookup_table(o, &j.info, err, errlen)) ||
        (st = layers_parse_mode(j.info.layers, &j.layers, err, errlen)) ||
        (st = open_input(o, &j, notes, err, errlen)) ||
        (st = plan_layers(o, &j, notes, err, errlen)) ||
        (st = plan_time(o, &j, notes, err, errlen)) || (st = plan_grid(&j, notes, err, errlen)) ||
        (st = plan_units(o, &j, notes, err, errlen)) ||
        (st = area_cell_methods(j.info.cell_methods, o->per_land, cell_methods,
                                sizeof cell_methods, err, errlen)) ||
        (st = alloc_buffers(o, &j, &it, notes, err, errlen)))
        goto done;
    if (o->scale != 1.0)
        T2I_QUIRK(notes, "values multiplied by %.17g from models/", o->scale);
    fill_result(o, &j, res);
    res->slab_steps = it.per_slab;
    fill_meta(o, &j, notes, cell_methods, &meta);
    if ((st = cfout_create(&j.out, o->output, &meta, &j.lat, &j.lon, &j.time, err, errlen)) ||
        (st = stream(&j, &it, err, errlen)))
        goto done;
    if (!j.any_valid)
        T2I_WARN(notes, "no valid value: every value of the output is missing");
    if ((st = cfout_finish(&j.out, err, errlen)) ||
        (o->before_commit && (st = o->before_commit(o->commit_ctx, j.out.tmp, res, err, errlen))))
        goto done;
    st = cfout_commit(&j.out, err, errlen);
done:
    job_free(&j);
    /* A run that fails before cfout_create would leave a killed run's
     * OUTPUT.tmp.<pid> behind. */
    if (st != T2I_OK)
        tmppath_sweep(o->output);
    return st;
}
