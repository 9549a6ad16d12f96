/* The checker's reading of both files (see verify_read.h).
 * Shares no code with the converter (see verify.h). */
#include "verify_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "t2i.h"
#include "verify_grid.h"
#include "verify_layers.h"

/* A text attribute into buf; returns 0 when present. */
static int text_att(int ncid, int varid, const char *name, char *buf, size_t size)
{
    size_t len;
    nc_type type;
    buf[0] = '\0';
    if (nc_inq_att(ncid, varid, name, &type, &len) || type != NC_CHAR || len + 1 > size)
        return -1;
    if (nc_get_att_text(ncid, varid, name, buf))
        return -1;
    buf[len] = '\0';
    return 0;
}

/* Reads a whole numeric variable as doubles, checking its size is `want`
 * values; returns NULL (problem noted) otherwise. */
static double *read_all(int ncid, const char *name, size_t want, const char *file,
                        verify_problems *p)
{
    int varid, ndims, dims[NC_MAX_VAR_DIMS];
    size_t total = 1, len;
    if (nc_inq_varid(ncid, name, &varid)) {
        verify_problem(p, "%s: %s missing", file, name);
        return NULL;
    }
    nc_inq_varndims(ncid, varid, &ndims);
    nc_inq_vardimid(ncid, varid, dims);
    for (int i = 0; i < ndims; i++)
        total *= nc_inq_dimlen(ncid, dims[i], &len) ? 0 : len;
    double *v = total == want && want ? malloc(want * sizeof *v) : NULL;
    if (total != want)
        verify_problem(p, "%s: %s holds %zu values, expected %zu", file, name, total, want);
    else if (!v || nc_get_var_double(ncid, varid, v)) {
        verify_problem(p, "%s: cannot read %s", file, name);
        free(v);
        v = NULL;
    }
    return v;
}

static size_t dim_length(int ncid, const char *name)
{
    int id;
    size_t len = 0;
    if (nc_inq_dimid(ncid, name, &id) || nc_inq_dimlen(ncid, id, &len))
        return 0;
    return len;
}

/* ------------------------------------------------------------ output structure */

/* Coordinate `name` and its bounds variable `name`_bnds, named by the
 * coordinate's `bounds` attribute as ILAMB requires. */
static void read_coord(verify_out *f, const char *name, size_t n, double **v, double **bnds,
                       verify_problems *p)
{
    char want[64], got[128];
    snprintf(want, sizeof want, "%s_bnds", name);
    int cid, bid;
    if (nc_inq_varid(f->ncid, name, &cid)) {
        verify_problem(p, "%s missing", name);
        return;
    }
    *v = read_all(f->ncid, name, n, "output", p);
    /* ilamb3 needs float64 time (an int64 axis failed in ILAMB#95). */
    nc_type type = NC_NAT;
    if (nc_inq_vartype(f->ncid, cid, &type) == NC_NOERR && type != NC_DOUBLE)
        verify_problem(p, "%s is not float64", name);
    if (text_att(f->ncid, cid, "bounds", got, sizeof got) != 0)
        verify_problem(p, "%s has no bounds attribute", name);
    else if (strcmp(got, want) != 0)
        verify_problem(p, "%s bounds attribute is '%s', not '%s'", name, got, want);
    if (nc_inq_varid(f->ncid, want, &bid)) {
        verify_problem(p, "%s missing", want);
        return;
    }
    *bnds = read_all(f->ncid, want, 2 * n, "output", p);
    if (nc_inq_vartype(f->ncid, bid, &type) == NC_NOERR && type != NC_DOUBLE)
        verify_problem(p, "%s is not float64", want);
}

/* A layered variable (tsl, mrsol): (time, depth, lat, lon), the names
 * ILAMB 2 and ilamb3 look for. */
static int check_layered_dims(verify_out *f, const verify_options *o, int ndims,
                              char names[][NC_MAX_NAME + 1], verify_problems *p)
{
    static const char *const want[] = {"time", "depth", "lat", "lon"};
    int bad = ndims != 4;
    for (int i = 0; i < 4 && !bad; i++)
        bad = strcmp(names[i], want[i]) != 0;
    if (bad) {
        verify_problem(p, "dimensions of '%s' are not (time, depth, lat, lon), as a layered "
                       "variable needs", o->out_var);
        return -1;
    }
    f->nt = dim_length(f->ncid, "time");
    f->nz = dim_length(f->ncid, "depth");
    f->ny = dim_length(f->ncid, "lat");
    f->nx = dim_length(f->ncid, "lon");
    return 0;
}

/* depth in metres, positive down, axis Z, ascending from the surface. */
static void check_depth(verify_out *f, verify_problems *p)
{
    static const char *const atts[][2] = {{"units", "m"}, {"positive", "down"}, {"axis", "Z"}};
    char buf[64];
    int varid;
    read_coord(f, "depth", f->nz, &f->depth, &f->depth_bnds, p);
    if (!f->depth || nc_inq_varid(f->ncid, "depth", &varid))
        return;
    for (int i = 0; i < 3; i++)
        if (text_att(f->ncid, varid, atts[i][0], buf, sizeof buf) || strcmp(buf, atts[i][1]))
            verify_problem(p, "depth %s is not '%s'", atts[i][0], atts[i][1]);
    verify_axis("depth", f->depth, f->depth_bnds, f->nz, 0.0, INFINITY, 1, p);
}

/* Dimensions (time, lat, lon) in that order: ILAMB reads any other order
 * as "not spatial" without an error. */
static int check_dims(verify_out *f, const verify_options *o, verify_problems *p)
{
    int ndims, dims[NC_MAX_VAR_DIMS];
    char names[4][NC_MAX_NAME + 1];
    double top;
    if (nc_inq_varid(f->ncid, o->out_var, &f->varid)) {
        verify_problem(p, "variable '%s' missing", o->out_var);
        return -1;
    }
    nc_inq_varndims(f->ncid, f->varid, &ndims);
    nc_inq_vardimid(f->ncid, f->varid, dims);
    for (int i = 0; i < ndims && i < 4; i++)
        nc_inq_dimname(f->ncid, dims[i], names[i]);
    if (verify_layers_mode(o, &top) == VERIFY_LAYERS_KEEP)
        return check_layered_dims(f, o, ndims, names, p);
    if (ndims != 3 || strcmp(names[0], "time") || strcmp(names[1], "lat") ||
        strcmp(names[2], "lon")) {
        verify_problem(p, "dimensions of '%s' are (%s%s%s%s%s%s), ILAMB needs (time, lat, lon)",
                       o->out_var, ndims > 0 ? names[0] : "", ndims > 1 ? ", " : "",
                       ndims > 1 ? names[1] : "", ndims > 2 ? ", " : "",
                       ndims > 2 ? names[2] : "", ndims > 3 ? ", ..." : "");
        return -1;
    }
    f->nt = dim_length(f->ncid, "time");
    f->ny = dim_length(f->ncid, "lat");
    f->nx = dim_length(f->ncid, "lon");
    return 0;
}

/* Units, fill and missing value of the data variable. */
static void check_data_atts(verify_out *f, const verify_options *o, verify_problems *p)
{
    char units[256];
    if (text_att(f->ncid, f->varid, "units", units, sizeof units) != 0)
        verify_problem(p, "'%s' has no units", o->out_var);
    else if (strcmp(units, o->target_units) != 0)
        verify_problem(p, "'%s' units are '%s', not '%s'", o->out_var, units, o->target_units);
    static const char *const atts[] = {"_FillValue", "missing_value"};
    for (int i = 0; i < 2; i++) {
        float v;
        size_t len;
        if (nc_inq_attlen(f->ncid, f->varid, atts[i], &len) || len != 1 ||
            nc_get_att_float(f->ncid, f->varid, atts[i], &v))
            verify_problem(p, "'%s' has no %s", o->out_var, atts[i]);
        else if (v != T2I_FILL)
            verify_problem(p, "'%s' %s is %g, not 1e20", o->out_var, atts[i], (double)v);
    }
}

/* time units "days since <date>" and a calendar, as ILAMB requires. */
static int check_time_atts(verify_out *f, verify_problems *p)
{
    char units[256];
    int varid, used = 0;
    if (nc_inq_varid(f->ncid, "time", &varid))
        return -1; /* reported by read_coord */
    if (text_att(f->ncid, varid, "calendar", f->calendar, sizeof f->calendar) != 0) {
        verify_problem(p, "time has no calendar");
        return -1;
    }
    if (verify_calendar(f->calendar, &f->cal) != 0) {
        verify_problem(p, "time calendar '%s' is unknown", f->calendar);
        return -1;
    }
    if (text_att(f->ncid, varid, "units", units, sizeof units) != 0) {
        verify_problem(p, "time has no units");
        return -1;
    }
    if (sscanf(units, "days since %n", &used) != 0 || used == 0 ||
        verify_parse_date(units + used, &f->ref) != 0) {
        verify_problem(p, "time units '%s' are not 'days since <date>'", units);
        return -1;
    }
    return 0;
}

void verify_out_close(verify_out *f)
{
    if (f->ncid >= 0)
        nc_close(f->ncid);
    f->ncid = -1;
    free(f->time);
    free(f->time_bnds);
    free(f->lat);
    free(f->lat_bnds);
    free(f->lon);
    free(f->lon_bnds);
    free(f->depth);
    free(f->depth_bnds);
    verify_steps_free(&f->steps);
}

/* Opens the output and checks its structure. Returns 0 when the data can
 * be compared (dims right, coordinates read), -1 otherwise. */
int verify_out_open(verify_out *f, const verify_options *o, verify_problems *p)
{
    memset(f, 0, sizeof *f);
    f->ncid = -1;
    int rc = nc_open(o->output, NC_NOWRITE, &f->ncid);
    if (rc) {
        f->ncid = -1;
        verify_problem(p, "cannot open the output: %s", nc_strerror(rc));
        return -1;
    }
    if (check_dims(f, o, p) != 0)
        return -1;
    check_data_atts(f, o, p);
    read_coord(f, "lat", f->ny, &f->lat, &f->lat_bnds, p);
    read_coord(f, "lon", f->nx, &f->lon, &f->lon_bnds, p);
    read_coord(f, "time", f->nt, &f->time, &f->time_bnds, p);
    if (f->lat)
        verify_axis("lat", f->lat, f->lat_bnds, f->ny, -90, 90, 1, p);
    if (f->lon)
        verify_axis("lon", f->lon, f->lon_bnds, f->nx, -180, 180, 0, p);
    if (check_time_atts(f, p) == 0 && f->time && f->time_bnds)
        verify_time_axis(f->cal, &f->ref, f->time, f->time_bnds, f->nt, &f->steps, p);
    if (f->nz)
        check_depth(f, p);
    return f->lat && f->lon && (!f->nz || f->depth_bnds) ? 0 : -1;
}

/* ------------------------------------------------------------ input */

/* Up to `max` values of a numeric attribute; returns how many (0: absent). */
static size_t num_att(int ncid, int varid, const char *name, double *v, size_t max)
{
    size_t len;
    nc_type type;
    if (nc_inq_att(ncid, varid, name, &type, &len) || type == NC_CHAR || type == NC_STRING ||
        len == 0 || len > max)
        return 0;
    return nc_get_att_double(ncid, varid, name, v) ? 0 : len;
}

/* Whether dimension `name` is latitude (axis 'Y') or longitude ('X'),
 * judged by its coordinate variable's CF attributes, then its name. */
static int is_axis(int ncid, const char *name, char axis)
{
    static const char *const lat_names[] = {"lat", "latitude", "y", "nav_lat", NULL};
    static const char *const lon_names[] = {"lon", "longitude", "x", "nav_lon", NULL};
    const char *sname = axis == 'Y' ? "latitude" : "longitude";
    const char *unit = axis == 'Y' ? "degrees_north" : "degrees_east";
    char buf[128];
    int varid;
    if (nc_inq_varid(ncid, name, &varid) == 0) {
        if (text_att(ncid, varid, "standard_name", buf, sizeof buf) == 0 && !strcmp(buf, sname))
            return 1;
        if (text_att(ncid, varid, "units", buf, sizeof buf) == 0 && !strcasecmp(buf, unit))
            return 1;
        if (text_att(ncid, varid, "axis", buf, sizeof buf) == 0 && buf[0] == axis && !buf[1])
            return 1;
    }
    for (const char *const *n = axis == 'Y' ? lat_names : lon_names; *n; n++)
        if (strcasecmp(name, *n) == 0)
            return 1;
    return 0;
}

/* Whether dimension `name` is time: a coordinate with "since" units, axis
 * T or standard_name time, else a usual name. Only asked when a layer
 * dimension competes with it. */
static int is_time(int ncid, const char *name)
{
    static const char *const names[] = {"time", "t", "time_counter", "tstep", "month", NULL};
    char buf[256];
    int varid;
    if (nc_inq_varid(ncid, name, &varid) == 0 &&
        ((text_att(ncid, varid, "units", buf, sizeof buf) == 0 && strstr(buf, " since ")) ||
         (text_att(ncid, varid, "axis", buf, sizeof buf) == 0 && !strcmp(buf, "T")) ||
         (text_att(ncid, varid, "standard_name", buf, sizeof buf) == 0 && !strcmp(buf, "time"))))
        return 1;
    for (const char *const *n = names; *n; n++)
        if (strcasecmp(name, *n) == 0)
            return 1;
    return 0;
}

/* Sorts each input dimension into time, lat, lon, the soil layers (when
 * the table keeps or sums them) or a reduced extra one. */
static int classify_dims(verify_in *in, const verify_options *o, char names[][NC_MAX_NAME + 1],
                         verify_problems *p)
{
    double top;
    int layered = verify_layers_mode(o, &top) != VERIFY_LAYERS_NONE;
    in->tpos = in->ypos = in->xpos = in->zpos = -1;
    for (int d = 0; d < in->ndims; d++) {
        in->op[d] = 0;
        for (int r = 0; r < o->nreduce; r++)
            if (strcmp(o->reduce[r].dim, names[d]) == 0) {
                in->op[d] = o->reduce[r].op;
                in->keep[d] = o->reduce[r].index;
            }
        if (in->op[d])
            continue;
        if (in->ypos < 0 && is_axis(in->ncid, names[d], 'Y'))
            in->ypos = d;
        else if (in->xpos < 0 && is_axis(in->ncid, names[d], 'X'))
            in->xpos = d;
        else if (layered && in->zpos < 0 && !is_time(in->ncid, names[d]))
            in->zpos = d;
        else if (in->tpos < 0)
            in->tpos = d;
        else {
            verify_problem(p, "input dimension '%s' is neither time, lat nor lon", names[d]);
            return -1;
        }
    }
    if (in->tpos < 0 || in->ypos < 0 || in->xpos < 0) {
        verify_problem(p, "input variable '%s' lacks a %s dimension", o->var,
                       in->tpos < 0 ? "time" : in->ypos < 0 ? "latitude" : "longitude");
        return -1;
    }
    return 0;
}

/* The value a sentinel takes once stored in the variable's type. */
static double stored_as(nc_type type, double v)
{
    switch (type) {
    case NC_FLOAT: return (double)(float)v;
    case NC_SHORT: return (double)(short)v;
    case NC_INT: return (double)(int)v;
    case NC_BYTE: return (double)(signed char)v;
    default: return v;
    }
}

/* Raw values meaning "missing": declared fills, netCDF's default fill of
 * the type (unwritten cells hold it), models/ sentinels; valid range. */
static void read_missing(verify_in *in, const verify_options *o)
{
    static const double default_fill[] = {
        [NC_BYTE] = NC_FILL_BYTE,   [NC_SHORT] = NC_FILL_SHORT,  [NC_INT] = NC_FILL_INT,
        [NC_FLOAT] = NC_FILL_FLOAT, [NC_DOUBLE] = NC_FILL_DOUBLE,
    };
    double v[8];
    size_t n = num_att(in->ncid, in->varid, "_FillValue", v, 1);
    n += num_att(in->ncid, in->varid, "missing_value", v + n, 4);
    for (size_t i = 0; i < n; i++)
        in->sentinel[in->nsentinel++] = v[i];
    if (in->xtype >= NC_BYTE && in->xtype <= NC_DOUBLE && in->xtype != NC_CHAR)
        in->sentinel[in->nsentinel++] = default_fill[in->xtype];
    for (int i = 0; i < o->nmissing; i++)
        in->sentinel[in->nsentinel++] = stored_as(in->xtype, o->missing[i]);
    in->valid_min = -INFINITY;
    in->valid_max = INFINITY;
    if (num_att(in->ncid, in->varid, "valid_range", v, 2) == 2) {
        in->valid_min = v[0];
        in->valid_max = v[1];
    }
    if (num_att(in->ncid, in->varid, "valid_min", v, 1))
        in->valid_min = v[0];
    if (num_att(in->ncid, in->varid, "valid_max", v, 1))
        in->valid_max = v[0];
}

/* Time values (and bounds, if declared) and how to read them. */
static void read_input_time(verify_in *in, const verify_options *o, const char *tdim,
                            verify_problems *p)
{
    const char *name = o->time_var ? o->time_var : tdim;
    char buf[256];
    int varid;
    in->time = read_all(in->ncid, name, in->len[in->tpos], "input", p);
    if (!in->time || nc_inq_varid(in->ncid, name, &varid))
        return;
    if (o->time_units)
        snprintf(in->time_units, sizeof in->time_units, "%s", o->time_units);
    else
        text_att(in->ncid, varid, "units", in->time_units, sizeof in->time_units);
    if (!o->calendar)
        text_att(in->ncid, varid, "calendar", buf, sizeof buf);
    if (verify_calendar(o->calendar ? o->calendar : buf, &in->cal) != 0)
        verify_problem(p, "input calendar '%s' is unknown", o->calendar ? o->calendar : buf);
    if (text_att(in->ncid, varid, "bounds", buf, sizeof buf) == 0)
        in->time_bnds = read_all(in->ncid, buf, 2 * in->len[in->tpos], "input", p);
}

/* The input's layer interfaces, when the table keeps or sums layers. */
static int read_layers(verify_in *in, const verify_options *o, char names[][NC_MAX_NAME + 1],
                       verify_problems *p)
{
    double top;
    if (verify_layers_mode(o, &top) == VERIFY_LAYERS_NONE)
        return 0;
    if (in->zpos < 0) {
        verify_problem(p, "input variable '%s' has no soil-layer dimension", o->var);
        return -1;
    }
    return verify_layer_edges(in->ncid, in->varid, names[in->zpos], in->len[in->zpos], o,
                              in->edges, p);
}

void verify_in_close(verify_in *in)
{
    if (in->ncid >= 0)
        nc_close(in->ncid);
    in->ncid = -1;
    free(in->time);
    free(in->time_bnds);
    free(in->lat);
    free(in->lon);
}

/* Opens the input and reads what the comparison needs. Returns -1 (with a
 * problem) when the input cannot be compared. */
int verify_in_open(verify_in *in, const verify_options *o, verify_problems *p)
{
    char names[NC_MAX_VAR_DIMS][NC_MAX_NAME + 1];
    int dims[NC_MAX_VAR_DIMS];
    memset(in, 0, sizeof *in);
    int rc = nc_open(o->input, NC_NOWRITE, &in->ncid);
    if (rc) {
        in->ncid = -1;
        verify_problem(p, "cannot open the input: %s", nc_strerror(rc));
        return -1;
    }
    if (nc_inq_varid(in->ncid, o->var, &in->varid)) {
        verify_problem(p, "input variable '%s' missing", o->var);
        return -1;
    }
    nc_inq_vartype(in->ncid, in->varid, &in->xtype);
    nc_inq_varndims(in->ncid, in->varid, &in->ndims);
    nc_inq_vardimid(in->ncid, in->varid, dims);
    for (int d = 0; d < in->ndims; d++)
        nc_inq_dim(in->ncid, dims[d], names[d], &in->len[d]);
    if (classify_dims(in, o, names, p) != 0)
        return -1;
    if (read_layers(in, o, names, p) != 0)
        return -1;
    in->lat = read_all(in->ncid, names[in->ypos], in->len[in->ypos], "input", p);
    in->lon = read_all(in->ncid, names[in->xpos], in->len[in->xpos], "input", p);
    read_input_time(in, o, names[in->tpos], p);
    if (o->units)
        snprintf(in->units, sizeof in->units, "%s", o->units);
    else
        text_att(in->ncid, in->varid, "units", in->units, sizeof in->units);
    if (!num_att(in->ncid, in->varid, "scale_factor", &in->scale_factor, 1))
        in->scale_factor = 1.0;
    if (!num_att(in->ncid, in->varid, "add_offset", &in->add_offset, 1))
        in->add_offset = 0.0;
    read_missing(in, o);
    return in->lat && in->lon && in->time ? 0 : -1;
}
