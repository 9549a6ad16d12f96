/* The checker's reading of both files (see verify_read.h).
 * Shares no code with the converter (see verify.h). */
#include "verify_read.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "t2i.h"
#include "verify_grid.h"
#include "verify_layers.h"
#include "regular.h"

/* A text attribute into buf, of type NC_CHAR or NC_STRING (netCDF-4 files
 * written from Python carry string-typed units); returns 0 when present.
 * One too long for buf counts as absent. The name is matched whole,
 * ignoring letter case when the exact spelling is absent (CLM5.0 'Units';
 * its 'CLM_orig_attr_units' is another attribute). */
static int text_att(int ncid, int varid, const char *want, char *buf, size_t size)
{
    size_t len;
    nc_type type;
    int natts;
    char name[NC_MAX_NAME + 1];
    buf[0] = '\0';
    snprintf(name, sizeof name, "%s", want);
    if (nc_inq_attid(ncid, varid, want, &natts) && !nc_inq_varnatts(ncid, varid, &natts))
        for (int a = 0; a < natts; a++) {
            char other[NC_MAX_NAME + 1];
            if (!nc_inq_attname(ncid, varid, a, other) && !strcasecmp(other, want))
                snprintf(name, sizeof name, "%s", other);
        }
    if (nc_inq_att(ncid, varid, name, &type, &len))
        return -1;
    if (type == NC_STRING && len == 1) {
        char *s = NULL;
        if (nc_get_att_string(ncid, varid, name, &s))
            return -1;
        int fits = s && strlen(s) < size;
        if (fits)
            memcpy(buf, s, strlen(s) + 1);
        if (nc_free_string(1, &s) || !fits) {
            buf[0] = '\0';
            return -1;
        }
        return 0;
    }
    if (type != NC_CHAR || len + 1 > size || nc_get_att_text(ncid, varid, name, buf))
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
    if (nc_inq_varndims(ncid, varid, &ndims) || nc_inq_vardimid(ncid, varid, dims)) {
        verify_problem(p, "%s: cannot read the shape of %s", file, name);
        return NULL;
    }
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
    if (nc_inq_varndims(f->ncid, f->varid, &ndims) || nc_inq_vardimid(f->ncid, f->varid, dims)) {
        verify_problem(p, "cannot read the dimensions of '%s'", o->out_var);
        return -1;
    }
    for (int i = 0; i < ndims && i < 4; i++)
        if (nc_inq_dimname(f->ncid, dims[i], names[i]))
            snprintf(names[i], sizeof names[i], "?");
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

/* What ILAMB needs to weigh cells (doc/quirks.md#L-05):
 * cell_measures naming areacella, and cell_methods saying "where land"
 * exactly when the values are per m2 of land (ilamb3 applies sftlf only
 * then). */
static void check_area_atts(verify_out *f, const verify_options *o, verify_problems *p)
{
    char buf[256];
    if (text_att(f->ncid, f->varid, "cell_measures", buf, sizeof buf) != 0 ||
        strcmp(buf, "area: areacella") != 0)
        verify_problem(p, "'%s' cell_measures is '%s', not 'area: areacella'", o->out_var, buf);
    if (o->models.area_basis < 0)
        return;
    text_att(f->ncid, f->varid, "cell_methods", buf, sizeof buf);
    if (!strstr(buf, "where land") != !o->models.area_basis)
        verify_problem(p, "'%s' cell_methods '%s' %s 'where land', but values are per m2 of %s",
                       o->out_var, buf, o->models.area_basis ? "lacks" : "says", o->models.area_basis ? "land"
                                                                                   : "grid cell");
}

/* Units, fill and missing value of the data variable. */
static void check_data_atts(verify_out *f, const verify_options *o, verify_problems *p)
{
    char units[256];
    if (text_att(f->ncid, f->varid, "units", units, sizeof units) != 0)
        verify_problem(p, "'%s' has no units", o->out_var);
    else if (strcmp(units, o->target_units) != 0)
        verify_problem(p, "'%s' units are '%s', not '%s'", o->out_var, units, o->target_units);
    check_area_atts(f, o, p);
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
    /* Read-only: a failed close loses nothing. */
    if (f->ncid >= 0)
        (void)nc_close(f->ncid);
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
    char why[T2I_ERRLEN];
    if (regular_file(o->output, why, sizeof why) != T2I_OK) {
        verify_problem(p, "cannot open the output: %s", why);
        return -1;
    }
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
static size_t num_att(int ncid, int varid, const char *name, double *v, size_t max,
                      verify_problems *p)
{
    size_t len;
    nc_type type;
    if (nc_inq_att(ncid, varid, name, &type, &len) || type == NC_CHAR || type == NC_STRING ||
        len == 0)
        return 0;
    if (len > max) {
        verify_problem(p, "input attribute '%s' has %zu values, more than %zu", name, len, max);
        return 0;
    }
    if (nc_get_att_double(ncid, varid, name, v)) {
        verify_problem(p, "cannot read input attribute '%s'", name);
        return 0;
    }
    return len;
}

/* Whether a variable's CF attributes say it is latitude (axis 'Y') or
 * longitude ('X'). */
static int says_axis(int ncid, int varid, char axis)
{
    const char *sname = axis == 'Y' ? "latitude" : "longitude";
    const char *unit = axis == 'Y' ? "degrees_north" : "degrees_east";
    char buf[128];
    return (text_att(ncid, varid, "standard_name", buf, sizeof buf) == 0 && !strcmp(buf, sname)) ||
           (text_att(ncid, varid, "units", buf, sizeof buf) == 0 && !strcasecmp(buf, unit)) ||
           (text_att(ncid, varid, "axis", buf, sizeof buf) == 0 && buf[0] == axis && !buf[1]);
}

/* Whether dimension `dimid` (named `name`) is latitude ('Y') or longitude
 * ('X'); coord gets the variable holding its coordinates. The variable named
 * like the dimension, if its attributes say so; else the one other 1-D
 * variable along it whose attributes say so (E3SM lat(nj); CABLE
 * latitude(y) beside an index y(y)); else the dimension's name alone. */
static int is_axis(int ncid, int dimid, const char *name, char axis, char *coord)
{
    static const char *const lat_names[] = {"lat", "latitude", "y", "nav_lat", NULL};
    static const char *const lon_names[] = {"lon", "longitude", "x", "nav_lon", NULL};
    int varid, nvars, nd, d, hits = 0;
    snprintf(coord, NC_MAX_NAME + 1, "%s", name);
    if (nc_inq_varid(ncid, name, &varid) == 0 && says_axis(ncid, varid, axis))
        return 1;
    char other[NC_MAX_NAME + 1];
    for (int v = 0; nc_inq_nvars(ncid, &nvars) == 0 && v < nvars; v++)
        if (!nc_inq_varndims(ncid, v, &nd) && nd == 1 && !nc_inq_vardimid(ncid, v, &d) &&
            d == dimid && says_axis(ncid, v, axis) && !nc_inq_varname(ncid, v, other)) {
            hits++;
            snprintf(coord, NC_MAX_NAME + 1, "%s", other);
        }
    if (hits == 1)
        return 1;
    snprintf(coord, NC_MAX_NAME + 1, "%s", name);
    for (const char *const *n = axis == 'Y' ? lat_names : lon_names; *n; n++)
        if (strcasecmp(name, *n) == 0)
            return 1;
    return 0;
}

/* Whether dimension `name` looks like time: a dated coordinate variable
 * (or one with axis T or standard_name time) or a time-like name. */
static int is_time(int ncid, const char *name)
{
    static const char *const names[] = {"time", "t", "time_counter", "tstep", NULL};
    char buf[256];
    int varid;
    if (nc_inq_varid(ncid, name, &varid) == 0 &&
        ((text_att(ncid, varid, "units", buf, sizeof buf) == 0 &&
          (strstr(buf, " since ") || strstr(buf, " as %"))) ||
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
                         const int *dimids, char coords[2][NC_MAX_NAME + 1], verify_problems *p)
{
    double top;
    int layered = verify_layers_mode(o, &top) != VERIFY_LAYERS_NONE;
    in->tpos = in->ypos = in->xpos = in->zpos = -1;
    for (int d = 0; d < in->ndims; d++) {
        in->op[d] = 0;
        for (int r = 0; r < o->models.nreduce; r++)
            if (strcmp(o->models.reduce[r].dim, names[d]) == 0) {
                in->op[d] = o->models.reduce[r].op;
                in->keep[d] = o->models.reduce[r].index;
            }
        if (in->op[d])
            continue;
        if (in->ypos < 0 && is_axis(in->ncid, dimids[d], names[d], 'Y', coords[0]))
            in->ypos = d;
        else if (in->xpos < 0 && is_axis(in->ncid, dimids[d], names[d], 'X', coords[1]))
            in->xpos = d;
        else
            in->op[d] = '?';
    }
    /* Of the rest, time is the dimension that is longer than one (or, when
     * none is, looks like time); beside soil layers, the one that looks like
     * time. A further single level is kept as its only index, as the
     * converter drops it; with layers, the other long one is the layers. */
    static const int plain[] = {0, 1, 2}, beside_layers[] = {1, 0, 2};
    const int *order = layered ? beside_layers : plain;
    for (int k = 0; k < 3 && in->tpos < 0; k++)
        for (int d = 0; d < in->ndims && in->tpos < 0; d++)
            if (in->op[d] == '?' && (order[k] == 0 ? in->len[d] > 1
                                     : order[k] == 1 ? is_time(in->ncid, names[d]) : 1))
                in->tpos = d;
    for (int d = 0; d < in->ndims; d++) {
        if (in->op[d] != '?')
            continue;
        in->op[d] = 0;
        if (d == in->tpos)
            continue;
        if (layered && in->zpos < 0 && in->len[d] > 1) {
            in->zpos = d;
            continue;
        }
        if (in->len[d] != 1) {
            verify_problem(p, "input dimension '%s' is neither time, lat nor lon", names[d]);
            return -1;
        }
        in->op[d] = 'i';
        in->keep[d] = 0;
    }
    for (int r = 0; r < o->models.nreduce; r++) {
        int found = 0;
        for (int d = 0; d < in->ndims; d++)
            found |= strcmp(o->models.reduce[r].dim, names[d]) == 0;
        if (!found) {
            verify_problem(p, "--reduce names dimension '%s', which the input lacks",
                           o->models.reduce[r].dim);
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
static void read_missing(verify_in *in, const verify_options *o, verify_problems *p)
{
    static const double default_fill[] = {
        [NC_BYTE] = NC_FILL_BYTE,   [NC_SHORT] = NC_FILL_SHORT,  [NC_INT] = NC_FILL_INT,
        [NC_FLOAT] = NC_FILL_FLOAT, [NC_DOUBLE] = NC_FILL_DOUBLE,
    };
    double v[9];
    size_t n = num_att(in->ncid, in->varid, "_FillValue", v, 1, p);
    n += num_att(in->ncid, in->varid, "missing_value", v + n, 8, p);
    for (size_t i = 0; i < n; i++)
        in->sentinel[in->nsentinel++] = v[i];
    if (in->xtype >= NC_BYTE && in->xtype <= NC_DOUBLE && in->xtype != NC_CHAR)
        in->sentinel[in->nsentinel++] = default_fill[in->xtype];
    for (int i = 0; i < o->models.nmissing; i++)
        in->sentinel[in->nsentinel++] = stored_as(in->xtype, o->models.missing[i]);
    in->valid_min = -INFINITY;
    in->valid_max = INFINITY;
    if (num_att(in->ncid, in->varid, "valid_range", v, 2, p) == 2) {
        in->valid_min = v[0];
        in->valid_max = v[1];
    }
    if (num_att(in->ncid, in->varid, "valid_min", v, 1, p))
        in->valid_min = v[0];
    if (num_att(in->ncid, in->varid, "valid_max", v, 1, p))
        in->valid_max = v[0];
}

/* Year numbers only lie in this window (doc/quirks.md#R-11, #R-14). */
#define VERIFY_YEAR_LO 1500.0
#define VERIFY_YEAR_HI 2500.0

/* Whether every one of v[0..n) is a year number, and the steps of v are
 * all `step` years (step 0: any steps). */
static int year_numbers(const double *v, size_t n, double step)
{
    for (size_t i = 0; i < n; i++)
        if (!(v[i] >= VERIFY_YEAR_LO && v[i] <= VERIFY_YEAR_HI) ||
            (step > 0 && i > 0 && fabs(v[i] - v[i - 1] - step) > 1e-3))
            return 0;
    return n > (step > 0);
}

/* Decimal years one twelfth apart as whole months since January of y0. */
static void as_months(double *v, size_t n, double y0)
{
    for (size_t i = 0; v && i < n; i++) {
        double m = (v[i] - y0) * 12;
        v[i] = fabs(m - round(m)) < 0.05 ? round(m) : m;
    }
}

/* Time units with no reference, read as the converter's documentation
 * says (README, section 9): "yr"/"year"/"years" over year numbers are
 * those years; no units over year numbers one year apart are decimal years,
 * one twelfth apart the months y + (m - 1)/12; no units and a long_name
 * "<unit> since <date>" (CLM: "years since 1700") are that long name. */
static void reference_from_values(verify_in *in, const char *long_name)
{
    size_t n = in->len[in->tpos];
    char u[256];
    snprintf(u, sizeof u, "%s", in->time_units);
    for (char *c = u; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    if (strstr(u, " since ") || strstr(u, " as %"))
        return;
    int bare = !strcmp(u, "yr") || !strcmp(u, "year") || !strcmp(u, "years");
    if ((bare && year_numbers(in->time, n, 0)) || (!u[0] && year_numbers(in->time, n, 1.0))) {
        snprintf(in->time_units, sizeof in->time_units, "year as %%Y.%%f");
    } else if (!u[0] && year_numbers(in->time, n, 1.0 / 12)) {
        double y0 = floor(in->time[0] + 1e-3);
        as_months(in->time, n, y0);
        as_months(in->time_bnds, 2 * n, y0);
        snprintf(in->time_units, sizeof in->time_units, "months since %.0f-01-01", y0);
    } else if (!u[0] && strstr(long_name, " since ")) {
        const char *ref = strstr(long_name, " since ") + 7;
        int len = snprintf(in->time_units, sizeof in->time_units, "%s%s", long_name,
                           strchr(ref, '-') ? "" : "-01-01");
        if (len < 0 || (size_t)len >= sizeof in->time_units)
            in->time_units[0] = '\0'; /* cut units would mean another axis */
    }
}

/* Time values (and bounds, if declared) and how to read them. */
static void read_input_time(verify_in *in, const verify_options *o, const char *tdim,
                            verify_problems *p)
{
    const char *name = o->models.time_var ? o->models.time_var : tdim;
    char buf[256];
    int varid;
    in->time = read_all(in->ncid, name, in->len[in->tpos], "input", p);
    if (!in->time || nc_inq_varid(in->ncid, name, &varid))
        return;
    if (o->models.time_units)
        snprintf(in->time_units, sizeof in->time_units, "%s", o->models.time_units);
    else
        text_att(in->ncid, varid, "units", in->time_units, sizeof in->time_units);
    if (!o->models.calendar)
        text_att(in->ncid, varid, "calendar", buf, sizeof buf);
    if (verify_calendar(o->models.calendar ? o->models.calendar : buf, &in->cal) != 0)
        verify_problem(p, "input calendar '%s' is unknown", o->models.calendar ? o->models.calendar : buf);
    /* Bounds named by the attribute, else by the names TRENDY files use; a
     * bounds attribute naming a missing variable is no bounds (CLM5.0). */
    int bv;
    if (text_att(in->ncid, varid, "bounds", buf, sizeof buf) == 0 &&
        nc_inq_varid(in->ncid, buf, &bv) == 0)
        in->time_bnds = read_all(in->ncid, buf, 2 * in->len[in->tpos], "input", p);
    static const char *const patterns[] = {"%s_bnds", "%s_bounds", "bounds_%s", "%s_bnd"};
    for (size_t i = 0; !in->time_bnds && i < sizeof patterns / sizeof patterns[0]; i++) {
        snprintf(buf, sizeof buf, patterns[i], name);
        if (nc_inq_varid(in->ncid, buf, &bv) == 0)
            in->time_bnds = read_all(in->ncid, buf, 2 * in->len[in->tpos], "input", p);
    }
    if (!o->models.time_units) {
        text_att(in->ncid, varid, "long_name", buf, sizeof buf);
        reference_from_values(in, buf);
    }
}

/* The input variable: the name given; else the one variable of that name
 * ignoring case (ISAM 'LAI'); else the one variable of three or more
 * dimensions whose name starts with it (SDGVM 'nbpAnnual'). */
static int find_input_var(int ncid, const char *want, int *varid, verify_problems *p)
{
    int nvars, nd, same = 0, prefix = 0, same_id = -1, prefix_id = -1;
    char name[NC_MAX_NAME + 1];
    if (nc_inq_varid(ncid, want, varid) == 0)
        return 0;
    for (int v = 0; nc_inq_nvars(ncid, &nvars) == 0 && v < nvars; v++) {
        if (nc_inq_varname(ncid, v, name))
            continue;
        if (strcasecmp(name, want) == 0) {
            same++;
            same_id = v;
        } else if (strncasecmp(name, want, strlen(want)) == 0 && !nc_inq_varndims(ncid, v, &nd) &&
                   nd >= 3) {
            prefix++;
            prefix_id = v;
        }
    }
    *varid = same == 1 ? same_id : !same && prefix == 1 ? prefix_id : -1;
    if (*varid >= 0)
        return 0;
    verify_problem(p, "input variable '%s' missing", want);
    return -1;
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
        (void)nc_close(in->ncid);
    in->ncid = -1;
    free(in->time);
    free(in->time_bnds);
    free(in->lat);
    free(in->lon);
}

/* Opens the input and reads what the comparison needs. Returns -1 (with a
 * problem) when the input cannot be compared. */
/* The coordinates' budget, the converter's default --memory. */
#define VERIFY_COORD_BYTES ((size_t)32 << 20)

int verify_in_open(verify_in *in, const verify_options *o, verify_problems *p)
{
    char names[NC_MAX_VAR_DIMS][NC_MAX_NAME + 1];
    int dims[NC_MAX_VAR_DIMS];
    memset(in, 0, sizeof *in);
    char why[T2I_ERRLEN];
    if (regular_file(o->input, why, sizeof why) != T2I_OK) {
        in->ncid = -1;
        verify_problem(p, "cannot open the input: %s", why);
        return -1;
    }
    int rc = nc_open(o->input, NC_NOWRITE, &in->ncid);
    if (rc) {
        in->ncid = -1;
        verify_problem(p, "cannot open the input: %s", nc_strerror(rc));
        return -1;
    }
    if (find_input_var(in->ncid, o->var, &in->varid, p) != 0)
        return -1;
    if ((rc = nc_inq_vartype(in->ncid, in->varid, &in->xtype)) ||
        (rc = nc_inq_varndims(in->ncid, in->varid, &in->ndims)) ||
        (rc = nc_inq_vardimid(in->ncid, in->varid, dims))) {
        verify_problem(p, "cannot read input variable '%s': %s", o->var, nc_strerror(rc));
        return -1;
    }
    for (int d = 0; d < in->ndims; d++)
        if ((rc = nc_inq_dim(in->ncid, dims[d], names[d], &in->len[d]))) {
            verify_problem(p, "cannot read input dimension %d: %s", d, nc_strerror(rc));
            return -1;
        }
    char coords[2][NC_MAX_NAME + 1];
    if (classify_dims(in, o, names, dims, coords, p) != 0)
        return -1;
    if (read_layers(in, o, names, p) != 0)
        return -1;
    /* As the converter: a header's lengths are not trusted with memory
     * (input.c, check_declared). */
    double need = 48.0 * (double)in->len[in->tpos] +
                  24.0 * ((double)in->len[in->ypos] + (double)in->len[in->xpos]);
    if (need > (double)VERIFY_COORD_BYTES) {
        verify_problem(p, "the input's header declares %zu time steps, %zu latitudes and %zu "
                       "longitudes: more than the converter reads", in->len[in->tpos],
                       in->len[in->ypos], in->len[in->xpos]);
        return -1;
    }
    in->lat = read_all(in->ncid, coords[0], in->len[in->ypos], "input", p);
    in->lon = read_all(in->ncid, coords[1], in->len[in->xpos], "input", p);
    read_input_time(in, o, names[in->tpos], p);
    if (o->models.units)
        snprintf(in->units, sizeof in->units, "%s", o->models.units);
    else
        text_att(in->ncid, in->varid, "units", in->units, sizeof in->units);
    if (!num_att(in->ncid, in->varid, "scale_factor", &in->scale_factor, 1, p))
        in->scale_factor = 1.0;
    if (!num_att(in->ncid, in->varid, "add_offset", &in->add_offset, 1, p))
        in->add_offset = 0.0;
    read_missing(in, o, p);
    return in->lat && in->lon && in->time ? 0 : -1;
}
