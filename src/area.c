/* areacella and sftlf for one output directory (see area.h). */
#include "area.h"

#include <math.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cffixed.h"
#include "t2i.h"
#include "regular.h"

#define AREA_PI 3.14159265358979323846
/* Most fill and missing values one variable declares. */
#define AREA_MAX_SENTINELS 8

static const struct {
    const char *name, *var;
    area_rule rule;
} rules[] = {
    {"none", NULL, AREA_RULE_NONE},
    {"ocean_cover_frac", "oceanCoverFrac", AREA_RULE_OCEAN_COVER_FRAC},
    {"land_fraction", "land_fraction", AREA_RULE_LAND_FRACTION},
    {"sftlf", "sftlf", AREA_RULE_SFTLF},
    {"land_area", NULL, AREA_RULE_LAND_AREA},
};

int area_parse_rule(const char *name, area_rule *rule, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(name, rules[i].name) == 0) {
            *rule = rules[i].rule;
            return T2I_OK;
        }
    return t2i_fail(T2I_EUSAGE, err, errlen,
                    "unknown land rule '%s' (none, ocean_cover_frac, land_fraction, sftlf, "
                    "land_area)", name);
}

const char *area_rule_name(area_rule rule)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rules[i].rule == rule)
            return rules[i].name;
    return "none";
}

const char *area_rule_var(area_rule rule)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rules[i].rule == rule)
            return rules[i].var;
    return NULL;
}

void area_cells(const t2i_axis *lat, const t2i_axis *lon, double *area)
{
    const double rad = AREA_PI / 180.0, r2 = AREA_EARTH_RADIUS_M * AREA_EARTH_RADIUS_M;
    for (size_t y = 0; y < lat->n; y++) {
        double band = fabs(sin(lat->bnds[2 * y + 1] * rad) - sin(lat->bnds[2 * y] * rad));
        for (size_t x = 0; x < lon->n; x++)
            area[y * lon->n + x] =
                r2 * fabs(lon->bnds[2 * x + 1] - lon->bnds[2 * x]) * rad * band;
    }
}

static int one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(s, *list) == 0)
            return 1;
    return 0;
}

int area_units_factor(area_rule rule, const char *units, double *factor, char *err,
                      size_t errlen)
{
    static const char *const frac[] = {"", "1", "fraction", "frac", "0-1", "unitless", "none",
                                       "-", NULL};
    static const char *const pct[] = {"%", "percent", "percentage", NULL};
    static const char *const m2[] = {"m2", "m^2", "m**2", "m 2", "square meters", NULL};
    static const char *const km2[] = {"km2", "km^2", "km**2", "square kilometers", NULL};
    if (rule == AREA_RULE_LAND_AREA) {
        *factor = one_of(units, m2) ? 1.0 : one_of(units, km2) ? 1.0e6 : 0.0;
        if (*factor == 0.0)
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "land area units '%s' are not m2 or km2", units);
        return T2I_OK;
    }
    *factor = one_of(units, frac) ? 1.0 : one_of(units, pct) ? 0.01 : 0.0;
    if (*factor == 0.0)
        return t2i_fail(T2I_EINPUT, err, errlen, "fraction units '%s' are not 1 or %%", units);
    return T2I_OK;
}

int area_land_percent(area_rule rule, double v, int declared, double cell_m2, double *percent)
{
    double hi = rule == AREA_RULE_LAND_AREA ? cell_m2 * (1.0 + AREA_LAND_TOL) : 1.0 + AREA_FRAC_TOL;
    int in_range = isfinite(v) && v >= -AREA_FRAC_TOL && v <= hi && fabs(v) < AREA_JUNK_ABOVE;
    if (!in_range) {
        *percent = 0.0;
        return declared || !isfinite(v) || fabs(v) >= AREA_JUNK_ABOVE ? 0 : -1;
    }
    double f = rule == AREA_RULE_LAND_AREA ? v / cell_m2 : v;
    if (rule == AREA_RULE_OCEAN_COVER_FRAC)
        f = 1.0 - f;
    *percent = 100.0 * fmin(fmax(f, 0.0), 1.0);
    return 0;
}

/* The time part of a table's cell_methods ("time: mean"), or "". */
static const char *time_method(const char *cm)
{
    const char *t = strstr(cm, "time:");
    return t ? t : "";
}

int area_cell_methods(const char *table_cm, int per_land, char *buf, size_t size, char *err,
                      size_t errlen)
{
    const char *t = time_method(table_cm);
    int n = snprintf(buf, size, "%s%s%s", per_land ? "area: mean where land" : "area: mean",
                     t[0] ? " " : "", t);
    if (n < 0 || (size_t)n >= size)
        return t2i_fail(T2I_EUSAGE, err, errlen, "cell_methods longer than %zu bytes", size);
    return T2I_OK;
}

/* ------------------------------------------------------------ reading */

/* What the reader found in the source file. */
typedef struct {
    int ncid, varid;
    double *lat, *lat_bnds, *lon, *lon_bnds; /* bounds NULL when absent */
    size_t nlat, nlon;
    int lat_first;            /* the variable stores lat before lon */
    double *values;           /* nlat*nlon raw values, file order */
    char units[256];
    double scale_factor, add_offset;
    double sentinel[AREA_MAX_SENTINELS];
    int nsentinel;
} area_src;

static int nc_fail(int rc, const char *call, const char *what, char *err, size_t errlen)
{
    if (rc == NC_NOERR)
        return T2I_OK;
    return t2i_fail(rc == NC_ENOMEM ? T2I_ESYS : T2I_EINPUT, err, errlen, "%s: %s: %s", call,
                    what, nc_strerror(rc));
}

static void text_att(int ncid, int varid, const char *name, char *buf, size_t size)
{
    size_t len;
    nc_type type;
    buf[0] = '\0';
    if (nc_inq_att(ncid, varid, name, &type, &len) || type != NC_CHAR || len + 1 > size ||
        nc_get_att_text(ncid, varid, name, buf))
        len = 0;
    buf[len] = '\0';
}

/* 'Y' or 'X' when dimension `dimid` is latitude or longitude: its
 * coordinate variable's CF attributes first, then the usual names
 * (ISBA-CTRIP: lat_FULL). 0 otherwise. */
static char axis_of(int ncid, int dimid)
{
    static const char *const lats[] = {"lat", "latitude", "y", "nav_lat", "lats", "lat_full", NULL};
    static const char *const lons[] = {"lon", "longitude", "x", "nav_lon", "lons", "lon_full", NULL};
    char name[NC_MAX_NAME + 1], buf[128];
    int cv;
    if (nc_inq_dimname(ncid, dimid, name))
        return 0;
    if (nc_inq_varid(ncid, name, &cv) == NC_NOERR) {
        text_att(ncid, cv, "standard_name", buf, sizeof buf);
        if (!strcmp(buf, "latitude"))
            return 'Y';
        if (!strcmp(buf, "longitude"))
            return 'X';
        text_att(ncid, cv, "units", buf, sizeof buf);
        if (!strncasecmp(buf, "degree", 6) && strchr("nN", buf[strlen(buf) - 1]))
            return 'Y';
        if (!strncasecmp(buf, "degree", 6) && strchr("eE", buf[strlen(buf) - 1]))
            return 'X';
    }
    return one_of(name, lats) ? 'Y' : one_of(name, lons) ? 'X' : 0;
}

/* Reads coordinate `name` (n values) and its bounds, when it has any. */
static int read_coord(int ncid, int dimid, size_t n, double **v, double **bnds, char *err,
                      size_t errlen)
{
    char name[NC_MAX_NAME + 1], bname[NC_MAX_NAME + 1];
    int cv, bv = -1, nd, rc;
    nc_inq_dimname(ncid, dimid, name);
    if (nc_inq_varid(ncid, name, &cv))
        return t2i_fail(T2I_EINPUT, err, errlen, "dimension '%s' has no coordinate variable", name);
    *v = malloc(n * sizeof **v);
    if (!*v)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory reading '%s'", name);
    if ((rc = nc_get_var_double(ncid, cv, *v)))
        return nc_fail(rc, "nc_get_var_double", name, err, errlen);
    text_att(ncid, cv, "bounds", bname, sizeof bname);
    static const char *const patterns[] = {"%s_bnds", "%s_bounds", "bounds_%s", "%s_bnd", NULL};
    int found = bname[0] && nc_inq_varid(ncid, bname, &bv) == NC_NOERR;
    for (int i = 0; !found && patterns[i]; i++) {
        snprintf(bname, sizeof bname, patterns[i], name);
        found = nc_inq_varid(ncid, bname, &bv) == NC_NOERR;
    }
    if (!found || nc_inq_varndims(ncid, bv, &nd) || nd != 2)
        return T2I_OK; /* none: grid.c computes edges between centres */
    *bnds = malloc(2 * n * sizeof **bnds);
    if (!*bnds)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory reading '%s'", bname);
    return nc_fail(nc_get_var_double(ncid, bv, *bnds), "nc_get_var_double", bname, err, errlen);
}

/* Finds the latitude and longitude among dims[0..n); every other
 * dimension must have length 1 (a single time step, doc/quirks.md#L-04).
 * Records the order and reads both coordinates. */
static int find_grid(area_src *s, const int *dims, int n, int strict, char *err, size_t errlen)
{
    int ydim = -1, xdim = -1;
    for (int i = 0; i < n; i++) {
        char a = axis_of(s->ncid, dims[i]), name[NC_MAX_NAME + 1];
        size_t len = 0;
        nc_inq_dim(s->ncid, dims[i], name, &len);
        if (a == 'Y' && ydim < 0)
            ydim = dims[i], s->lat_first = xdim < 0;
        else if (a == 'X' && xdim < 0)
            xdim = dims[i];
        else if (strict && len != 1)
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "dimension '%s' of length %zu is neither latitude nor longitude",
                            name, len);
    }
    if (ydim < 0 || xdim < 0)
        return t2i_fail(T2I_EINPUT, err, errlen, "no %s dimension found",
                        ydim < 0 ? "latitude" : "longitude");
    int st;
    if ((st = nc_fail(nc_inq_dimlen(s->ncid, ydim, &s->nlat), "nc_inq_dimlen", "lat", err,
                      errlen)) ||
        (st = nc_fail(nc_inq_dimlen(s->ncid, xdim, &s->nlon), "nc_inq_dimlen", "lon", err,
                      errlen)) ||
        (st = read_coord(s->ncid, ydim, s->nlat, &s->lat, &s->lat_bnds, err, errlen)))
        return st;
    return read_coord(s->ncid, xdim, s->nlon, &s->lon, &s->lon_bnds, err, errlen);
}

/* The variable `want`, else the one whose name matches ignoring case
 * (ELM-FATES: 'oceancoverfrac'). */
static int find_var(int ncid, const char *want, int *varid, char *err, size_t errlen)
{
    if (nc_inq_varid(ncid, want, varid) == NC_NOERR)
        return T2I_OK;
    int nvars, matches = 0;
    char name[NC_MAX_NAME + 1];
    if (nc_inq_nvars(ncid, &nvars))
        nvars = 0;
    for (int v = 0; v < nvars; v++)
        if (nc_inq_varname(ncid, v, name) == NC_NOERR && strcasecmp(name, want) == 0) {
            *varid = v;
            matches++;
        }
    if (matches == 1)
        return T2I_OK;
    return t2i_fail(T2I_EINPUT, err, errlen, "variable '%s' not found%s", want,
                    matches ? " (several match ignoring case)" : "");
}

/* Declared fills (_FillValue, missing_value, the type's default), units
 * and packing of the land-area variable. */
static void read_attributes(area_src *s)
{
    static const double default_fill[] = {
        [NC_BYTE] = NC_FILL_BYTE,   [NC_SHORT] = NC_FILL_SHORT,  [NC_INT] = NC_FILL_INT,
        [NC_FLOAT] = NC_FILL_FLOAT, [NC_DOUBLE] = NC_FILL_DOUBLE,
    };
    static const char *const atts[] = {"_FillValue", "missing_value"};
    nc_type type, xtype = NC_NAT;
    size_t len;
    for (int i = 0; i < 2; i++)
        if (!nc_inq_att(s->ncid, s->varid, atts[i], &type, &len) && type != NC_CHAR &&
            len >= 1 && len + s->nsentinel <= AREA_MAX_SENTINELS - 1 &&
            !nc_get_att_double(s->ncid, s->varid, atts[i], s->sentinel + s->nsentinel))
            s->nsentinel += (int)len;
    if (!nc_inq_vartype(s->ncid, s->varid, &xtype) && xtype >= NC_BYTE && xtype <= NC_DOUBLE &&
        xtype != NC_CHAR)
        s->sentinel[s->nsentinel++] = default_fill[xtype];
    text_att(s->ncid, s->varid, "units", s->units, sizeof s->units);
    s->scale_factor = 1.0;
    s->add_offset = 0.0;
    if (!nc_inq_att(s->ncid, s->varid, "scale_factor", &type, &len) && len == 1)
        nc_get_att_double(s->ncid, s->varid, "scale_factor", &s->scale_factor);
    if (!nc_inq_att(s->ncid, s->varid, "add_offset", &type, &len) && len == 1)
        nc_get_att_double(s->ncid, s->varid, "add_offset", &s->add_offset);
}

/* The land-area variable: its grid, attributes and all nlat*nlon values. */
static int read_var(area_src *s, const char *var, char *err, size_t errlen)
{
    int nd, dims[NC_MAX_VAR_DIMS], st;
    if ((st = find_var(s->ncid, var, &s->varid, err, errlen)))
        return st;
    nc_inq_varndims(s->ncid, s->varid, &nd);
    nc_inq_vardimid(s->ncid, s->varid, dims);
    if ((st = find_grid(s, dims, nd, 1, err, errlen)))
        return st;
    read_attributes(s);
    s->values = malloc(s->nlat * s->nlon * sizeof *s->values);
    if (!s->values)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory for %zu values", s->nlat * s->nlon);
    int rc = nc_get_var_double(s->ncid, s->varid, s->values);
    return rc == NC_ERANGE ? T2I_OK : nc_fail(rc, "nc_get_var_double", var, err, errlen);
}

/* Only the grid (per-cell models): the lat and lon of any file on it. */
static int read_grid_only(area_src *s, char *err, size_t errlen)
{
    int nd, dims[NC_MAX_DIMS];
    if (nc_inq_dimids(s->ncid, &nd, dims, 0))
        return t2i_fail(T2I_EINPUT, err, errlen, "cannot list dimensions");
    return find_grid(s, dims, nd, 0, err, errlen);
}

static void src_close(area_src *s)
{
    if (s->ncid >= 0)
        nc_close(s->ncid);
    s->ncid = -1;
    free(s->lat), free(s->lat_bnds), free(s->lon), free(s->lon_bnds), free(s->values);
}

/* ------------------------------------------------------------ the run */

static int is_sentinel(const area_src *s, double raw)
{
    for (int i = 0; i < s->nsentinel; i++)
        if (raw == s->sentinel[i] || (float)raw == (float)s->sentinel[i])
            return 1;
    return 0;
}

/* sftlf on the output grid: out[y][x] from the source cell the axes map
 * it from (a flipped latitude, a rolled longitude). */
static int land_map(const area_src *s, area_rule rule, const t2i_axis *lat, const t2i_axis *lon,
                    const double *cell, float *out, area_result *r, char *err, size_t errlen)
{
    double factor, pct;
    int st = area_units_factor(rule, s->units, &factor, err, errlen);
    for (size_t y = 0; st == T2I_OK && y < lat->n; y++)
        for (size_t x = 0; x < lon->n; x++) {
            size_t iy = lat->from[y], ix = lon->from[x];
            double raw = s->values[s->lat_first ? iy * s->nlon + ix : ix * s->nlat + iy];
            double v = (raw * s->scale_factor + s->add_offset) * factor, c = cell[y * lon->n + x];
            int declared = is_sentinel(s, raw);
            if (area_land_percent(rule, v, declared, c, &pct) != 0)
                return t2i_fail(T2I_EINPUT, err, errlen,
                                "value %g at lat %g, lon %g is outside the valid range and not "
                                "declared missing", raw, lat->value[y], lon->value[x]);
            r->declared_valid += declared && pct > 0.0;
            r->no_land += pct == 0.0 && (declared || !isfinite(v) || fabs(v) >= AREA_JUNK_ABOVE);
            r->clamped += rule == AREA_RULE_LAND_AREA && v > c;
            r->land_m2 += c * pct / 100.0;
            out[y * lon->n + x] = (float)pct;
        }
    return st;
}

static int write_outputs(const area_options *o, const area_src *s, const t2i_axis *lat,
                         const t2i_axis *lon, double *cell, float *buf, area_result *r, char *err,
                         size_t errlen)
{
    size_t n = lat->n * lon->n;
    area_cells(lat, lon, cell);
    for (size_t i = 0; i < n; i++) {
        buf[i] = (float)cell[i];
        r->cell_m2 += cell[i];
    }
    t2i_fixed_meta m = {.var = "areacella", .units = "m2", .standard_name = "cell_area",
                        .long_name = "Grid-Cell Area for Atmospheric Grid Variables",
                        .cell_methods = "area: sum", .model = o->model, .source_file = o->source,
                        .history = "t2i-area: exact spherical cell areas from the cell bounds, "
                                   "R = 6371000 m"};
    int st = cffixed_write(o->areacella, &m, lat, lon, buf, err, errlen);
    if (st || o->rule == AREA_RULE_NONE)
        return st;
    if ((st = land_map(s, o->rule, lat, lon, cell, buf, r, err, errlen)))
        return st;
    m = (t2i_fixed_meta){.var = "sftlf", .units = "%", .standard_name = "land_area_fraction",
                         .long_name = "Percentage of the Grid Cell Occupied by Land (Including "
                                      "Lakes)",
                         .cell_methods = "area: mean", .model = o->model,
                         .source_file = o->source, .history = area_rule_name(o->rule)};
    return cffixed_write(o->sftlf, &m, lat, lon, buf, err, errlen);
}

int area_run(const area_options *o, area_result *r, char *err, size_t errlen)
{
    area_src s = {.ncid = -1};
    t2i_axis lat = {0}, lon = {0};
    double *cell = NULL;
    float *buf = NULL;
    memset(r, 0, sizeof *r);
    const char *var = o->var ? o->var : area_rule_var(o->rule);
    int st = T2I_OK;
    if (o->rule != AREA_RULE_NONE && (!var || !o->sftlf))
        return t2i_fail(T2I_EUSAGE, err, errlen, "land rule '%s' needs %s",
                        area_rule_name(o->rule), var ? "an sftlf output" : "--var");
    if ((st = regular_file(o->source, err, errlen)) != T2I_OK)
        return st;
    int rc = nc_open(o->source, NC_NOWRITE, &s.ncid);
    if (rc != NC_NOERR) {
        s.ncid = -1;
        return t2i_fail(T2I_EINPUT, err, errlen, "cannot open: %s", nc_strerror(rc));
    }
    st = o->rule == AREA_RULE_NONE ? read_grid_only(&s, err, errlen)
                                   : read_var(&s, var, err, errlen);
    if (!st && !(st = grid_plan_lat(s.lat, s.lat_bnds, s.nlat, &lat, err, errlen)) &&
        !(st = grid_plan_lon(s.lon, s.lon_bnds, s.nlon, &lon, err, errlen))) {
        cell = malloc(s.nlat * s.nlon * sizeof *cell);
        buf = malloc(s.nlat * s.nlon * sizeof *buf);
        st = cell && buf ? write_outputs(o, &s, &lat, &lon, cell, buf, r, err, errlen)
                         : t2i_fail(T2I_ESYS, err, errlen, "out of memory for the grid");
    }
    r->nlat = s.nlat;
    r->nlon = s.nlon;
    free(cell), free(buf);
    grid_axis_free(&lat), grid_axis_free(&lon);
    src_close(&s);
    return st;
}
