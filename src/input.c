/* Finding and reading what a TRENDY file says about one variable
 * (see input.h). Axes are found by CF attributes first, then by name,
 * because models spell them lat/latitude/y and time/t/time_counter. */
#include "input.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classic.h"
#include "rawchunk.h"
#include "regular.h"

/* Wraps every netCDF status so no return code is dropped. */
static int nc_check(int rc, const char *call, const char *name, char *err,
                    size_t errlen)
{
    if (rc == NC_NOERR)
        return T2I_OK;
    return t2i_fail(rc == NC_ENOMEM ? T2I_ESYS : T2I_EINPUT, err, errlen,
                    "%s '%s': %s", call, name, nc_strerror(rc));
}

/* Reads a text attribute into buf; *found is 0 when it is absent. A value
 * longer than the buffer is refused rather than cut: a cut units string
 * could still parse and mean something else. */
/* The attribute of `varid` spelled `want` ignoring letter case, exact
 * spelling first: CLM5.0 writes 'Units' and 'Long_name'. The whole name must
 * match, so a decoy such as 'CLM_orig_attr_units' (the unit before the
 * group's own conversion) is never read as the units. Fills name (NC_MAX_NAME
 * + 1 bytes); returns 0 when there is none. */
static int att_name(int ncid, int varid, const char *want, char *name)
{
    int natts;
    if (nc_inq_attid(ncid, varid, want, &natts) == NC_NOERR) {
        snprintf(name, NC_MAX_NAME + 1, "%s", want);
        return 1;
    }
    if (nc_inq_varnatts(ncid, varid, &natts) != NC_NOERR)
        return 0;
    for (int a = 0; a < natts; a++)
        if (nc_inq_attname(ncid, varid, a, name) == NC_NOERR && strcasecmp(name, want) == 0)
            return 1;
    return 0;
}

static int get_text_att(int ncid, int varid, const char *want, char *buf,
                        size_t size, int *found, char *err, size_t errlen)
{
    nc_type type;
    size_t len;
    char att[NC_MAX_NAME + 1];
    *found = 0;
    buf[0] = '\0';
    if (!att_name(ncid, varid, want, att) || nc_inq_att(ncid, varid, att, &type, &len) != NC_NOERR)
        return T2I_OK;
    if (type != NC_CHAR && type != NC_STRING)
        return T2I_OK;
    if (type == NC_STRING && len != 1) {
        /* nc_get_att_string writes len pointers: never into one. Several
         * strings are no one value (a units attribute "kg m-2 s-1", "g m-2
         * s-1" says nothing); none is an empty text. */
        if (len == 0)
            return T2I_OK;
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "attribute '%s' holds %zu strings, expected one (models/ can give "
                        "the value)", att, len);
    }
    if (type == NC_STRING) {
        char *s = NULL;
        int rc = nc_get_att_string(ncid, varid, att, &s);
        if (rc != NC_NOERR)
            return nc_check(rc, "nc_get_att_string", att, err, errlen);
        len = s ? strlen(s) : 0;
        if (len < size)
            memcpy(buf, s ? s : "", len + 1);
        if ((rc = nc_free_string(1, &s)) != NC_NOERR)
            return nc_check(rc, "nc_free_string", att, err, errlen);
    } else if (len < size) {
        int rc = nc_get_att_text(ncid, varid, att, buf);
        if (rc != NC_NOERR)
            return nc_check(rc, "nc_get_att_text", att, err, errlen);
        buf[len] = '\0';
    }
    if (len >= size)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "attribute '%s' is %zu bytes long, more than %zu", att, len, size - 1);
    *found = 1;
    return T2I_OK;
}

/* Reads a numeric attribute of exactly `want` values into v; *found is 0
 * if absent. Text or another count is refused: a classic file can carry a
 * _FillValue of two shorts on a float variable, which matched no value. */
static int get_num_att(int ncid, int varid, const char *att, size_t want,
                       double *v, int *found, char *err, size_t errlen)
{
    nc_type type;
    size_t len;
    *found = 0;
    if (nc_inq_att(ncid, varid, att, &type, &len) != NC_NOERR)
        return T2I_OK;
    if (type == NC_CHAR || type == NC_STRING || len != want)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "attribute '%s' is not %zu number%s", att, want, want > 1 ? "s" : "");
    double tmp[2];
    int rc = nc_get_att_double(ncid, varid, att, tmp);
    if (rc != NC_NOERR)
        return nc_check(rc, "nc_get_att_double", att, err, errlen);
    memcpy(v, tmp, want * sizeof *v);
    *found = 1;
    return T2I_OK;
}

/* A fill declared as double on a float variable is compared as the float it
 * becomes when stored: the value 9.96921e36 must match the stored float. */
static double as_stored(nc_type xtype, double v)
{
    switch (xtype) {
    case NC_FLOAT:
        return (double)(float)v;
    case NC_SHORT:
        return fabs(v) < 32768 ? (double)(short)v : v;
    case NC_BYTE:
        return fabs(v) < 128 ? (double)(signed char)v : v;
    case NC_INT:
        return fabs(v) < 2147483648.0 ? (double)(int)v : v;
    default:
        return v;
    }
}

/* netCDF's default fill of each type: unwritten cells hold it even when no
 * _FillValue is declared (VISIT declares none). */
static double default_fill(nc_type xtype)
{
    switch (xtype) {
    case NC_FLOAT: return NC_FILL_FLOAT;
    case NC_DOUBLE: return NC_FILL_DOUBLE;
    case NC_SHORT: return NC_FILL_SHORT;
    case NC_INT: return NC_FILL_INT;
    case NC_BYTE: return NC_FILL_BYTE;
    default: return NAN;
    }
}

/* Adds one sentinel; one more than the table holds is refused, never
 * dropped (a dropped sentinel would turn missing cells into values). */
static int add_sentinel(t2i_missing *m, double v, char *err, size_t errlen)
{
    for (int i = 0; i < m->nsentinel; i++)
        if (m->sentinel[i] == v)
            return T2I_OK;
    if (isnan(v))
        return T2I_OK; /* NaN is always missing (slab.c) */
    if (m->nsentinel >= T2I_MAX_SENTINELS)
        return t2i_fail(T2I_EINPUT, err, errlen, "more than %d missing-value sentinels",
                        T2I_MAX_SENTINELS);
    m->sentinel[m->nsentinel++] = v;
    return T2I_OK;
}

/* Most sentinels a missing_value vector may list. */
#define INPUT_MAX_MISSING_VALUES 8

/* CF lets missing_value be a vector: every element marks a missing cell. */
static int read_missing_values(t2i_input *in, char *err, size_t errlen)
{
    nc_type type;
    size_t len;
    if (nc_inq_att(in->ncid, in->varid, "missing_value", &type, &len) != NC_NOERR)
        return T2I_OK;
    if (type == NC_CHAR || type == NC_STRING || len == 0)
        return t2i_fail(T2I_EINPUT, err, errlen, "attribute 'missing_value' is not 1 number");
    if (len > INPUT_MAX_MISSING_VALUES)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "attribute 'missing_value' lists %zu values, more than %d", len,
                        INPUT_MAX_MISSING_VALUES);
    double v[INPUT_MAX_MISSING_VALUES];
    int rc = nc_get_att_double(in->ncid, in->varid, "missing_value", v);
    if (rc != NC_NOERR)
        return nc_check(rc, "nc_get_att_double", "missing_value", err, errlen);
    int st = T2I_OK;
    for (size_t i = 0; i < len && st == T2I_OK; i++)
        st = add_sentinel(&in->missing, as_stored(in->xtype, v[i]), err, errlen);
    return st;
}

static int read_missing(const t2i_input_request *req, t2i_input *in,
                        t2i_notes *notes, char *err, size_t errlen)
{
    t2i_missing *m = &in->missing;
    double v[2];
    int found, st;
    m->nsentinel = 0;
    m->valid_min = -INFINITY;
    m->valid_max = INFINITY;
    if ((st = get_num_att(in->ncid, in->varid, "_FillValue", 1, v, &found, err, errlen)))
        return st;
    if (found && (st = add_sentinel(m, as_stored(in->xtype, v[0]), err, errlen)))
        return st;
    if ((st = read_missing_values(in, err, errlen)))
        return st;
    if (m->nsentinel == 0)
        T2I_QUIRK(notes, "no _FillValue or missing_value declared");
    if ((st = add_sentinel(m, default_fill(in->xtype), err, errlen)))
        return st;
    for (int i = 0; i < req->nmissing; i++)
        if ((st = add_sentinel(m, as_stored(in->xtype, req->missing[i]), err, errlen)))
            return st;
    if ((st = get_num_att(in->ncid, in->varid, "valid_range", 2, v, &found, err, errlen)))
        return st;
    if (found) {
        m->valid_min = v[0];
        m->valid_max = v[1];
    }
    if ((st = get_num_att(in->ncid, in->varid, "valid_min", 1, v, &found, err, errlen)))
        return st;
    if (found)
        m->valid_min = v[0];
    if ((st = get_num_att(in->ncid, in->varid, "valid_max", 1, v, &found, err, errlen)))
        return st;
    if (found)
        m->valid_max = v[0];
    if (m->valid_min > m->valid_max)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "'%s': its valid range %g .. %g is reversed, so no value could be "
                        "valid (models/ missing can replace it)", in->var, m->valid_min,
                        m->valid_max);
    return T2I_OK;
}

static int read_packing(t2i_input *in, t2i_notes *notes, char *err, size_t errlen)
{
    int found_s, found_o, st;
    in->scale_factor = 1.0;
    in->add_offset = 0.0;
    if ((st = get_num_att(in->ncid, in->varid, "scale_factor", 1, &in->scale_factor,
                          &found_s, err, errlen)))
        return st;
    if ((st = get_num_att(in->ncid, in->varid, "add_offset", 1, &in->add_offset,
                          &found_o, err, errlen)))
        return st;
    if (!isfinite(in->scale_factor) || !isfinite(in->add_offset))
        return t2i_fail(T2I_EINPUT, err, errlen, "'%s' has a non-finite scale_factor or add_offset",
                        in->var);
    /* A zero factor would turn every value into add_offset. */
    if (in->scale_factor == 0.0)
        return t2i_fail(T2I_EINPUT, err, errlen, "'%s' has scale_factor 0", in->var);
    if (found_s || found_o)
        T2I_QUIRK(notes, "packed values (scale_factor %.17g, add_offset %.17g)",
                  in->scale_factor, in->add_offset);
    return T2I_OK;
}

/* How a file's variable matches the wanted token, strongest first. */
typedef enum { MATCH_NONE, MATCH_PREFIX, MATCH_CASE } var_match;

/* A data variable has time, latitude and longitude at least: 1-D
 * coordinates, 2-D bounds and grid_area never stand for the token. */
static var_match match_var(int ncid, int v, const char *want, char *name)
{
    int nd;
    if (nc_inq_varname(ncid, v, name) != NC_NOERR)
        return MATCH_NONE;
    if (strcasecmp(name, want) == 0)
        return MATCH_CASE;
    if (strncasecmp(name, want, strlen(want)) == 0 && nc_inq_varndims(ncid, v, &nd) == NC_NOERR &&
        nd >= 3)
        return MATCH_PREFIX;
    return MATCH_NONE;
}

/* Finds the data variable: the token itself; else the one variable with
 * the token's name ignoring case (VISIT-UT 'GPP', ISAM 'LAI', CABLE 'fLUC');
 * else the one data variable whose name starts with the token (SDGVM
 * 'nbpAnnual' in an nbp file, JULES 'npp_nlim'). Two candidates at the best
 * level found, or none, is a refusal listing what the file has. */
static int find_var(int ncid, const char *want, int *varid, t2i_notes *notes,
                    char *err, size_t errlen)
{
    if (nc_inq_varid(ncid, want, varid) == NC_NOERR)
        return T2I_OK;
    int nvars, count[3] = {0, 0, 0}, first[3] = {-1, -1, -1}, rc = nc_inq_nvars(ncid, &nvars);
    if (rc != NC_NOERR)
        return nc_check(rc, "nc_inq_nvars", want, err, errlen);
    char name[NC_MAX_NAME + 1], list[400] = "", two[3][2 * NC_MAX_NAME + 16] = {"", "", ""};
    for (int v = 0; v < nvars; v++) {
        name[0] = '\0';
        var_match m = match_var(ncid, v, want, name);
        if (m != MATCH_NONE && count[m]++ == 0)
            first[m] = v;
        if (m != MATCH_NONE && count[m] <= 2)
            t2i_note(two[m], sizeof two[m], "'%s'", name);
        if (name[0])
            t2i_note(list, sizeof list, "'%s'", name);
    }
    for (int m = MATCH_CASE; m > MATCH_NONE; m--) {
        if (count[m] > 1)
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "variable '%s' not found, and more than one variable %s it (%s): "
                            "set var in models/ (file has %s)",
                            want, m == MATCH_CASE ? "matches" : "starts with", two[m], list);
        if (count[m] == 1) {
            *varid = first[m];
            if ((rc = nc_inq_varname(ncid, *varid, name)) != NC_NOERR)
                return nc_check(rc, "nc_inq_varname", want, err, errlen);
            if (m == MATCH_CASE)
                T2I_QUIRK(notes, "variable '%s' matched '%s' ignoring case", name, want);
            else
                T2I_QUIRK(notes, "variable '%s' taken for '%s': the one data variable whose "
                          "name starts with it", name, want);
            return T2I_OK;
        }
    }
    return t2i_fail(T2I_EINPUT, err, errlen, "variable '%s' not found (file has %s)", want,
                    list[0] ? list : "no variables");
}

/* Which role a dimension's coordinate variable plays. */
typedef enum { ROLE_OTHER, ROLE_TIME, ROLE_LAT, ROLE_LON } axis_role;

static int name_in(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(name, *list) == 0)
            return 1;
    return 0;
}

static axis_role role_by_attributes(int ncid, int cv)
{
    char axis[16] = "", sname[64] = "", units[256] = "", e[8];
    int f;
    if (cv < 0)
        return ROLE_OTHER;
    /* A hint only: an attribute too long for these buffers is none of the
     * names below, and is left empty (get_text_att clears it). */
    (void)get_text_att(ncid, cv, "axis", axis, sizeof axis, &f, e, sizeof e);
    (void)get_text_att(ncid, cv, "standard_name", sname, sizeof sname, &f, e, sizeof e);
    (void)get_text_att(ncid, cv, "units", units, sizeof units, &f, e, sizeof e);
    static const char *const north[] = {"degrees_north", "degree_north", "degree_N",
                                        "degrees_N", "degreeN", "degreesN", NULL};
    static const char *const east[] = {"degrees_east", "degree_east", "degree_E",
                                       "degrees_E", "degreeE", "degreesE", NULL};
    if (strcasecmp(axis, "T") == 0 || strcmp(sname, "time") == 0 || strstr(units, " since ") ||
        strstr(units, " as %"))
        return ROLE_TIME;
    if (strcasecmp(axis, "Y") == 0 || strcmp(sname, "latitude") == 0 || name_in(units, north))
        return ROLE_LAT;
    if (strcasecmp(axis, "X") == 0 || strcmp(sname, "longitude") == 0 || name_in(units, east))
        return ROLE_LON;
    return ROLE_OTHER;
}

static axis_role role_by_name(const char *name)
{
    static const char *const times[] = {"time", "t", "time_counter", "tstep", "month",
                                        "months", "year", "years", NULL};
    static const char *const lats[] = {"lat", "latitude", "y", "nav_lat", "lats", NULL};
    static const char *const lons[] = {"lon", "longitude", "x", "nav_lon", "lons", NULL};
    if (name_in(name, times))
        return ROLE_TIME;
    if (name_in(name, lats))
        return ROLE_LAT;
    if (name_in(name, lons))
        return ROLE_LON;
    return ROLE_OTHER;
}

/* The 1-D variable named like dimension `dimid`, or -1. */
static int coord_var(int ncid, int dimid, const char *dimname)
{
    int cv, nd, d;
    if (nc_inq_varid(ncid, dimname, &cv) != NC_NOERR)
        return -1;
    if (nc_inq_varndims(ncid, cv, &nd) != NC_NOERR || nd != 1)
        return -1;
    if (nc_inq_vardimid(ncid, cv, &d) != NC_NOERR || d != dimid)
        return -1;
    return cv;
}

/* The coordinate variable of dimension `dimid`: the variable named like it
 * when its attributes say what axis it is; else the one other 1-D variable
 * along it whose attributes say latitude or longitude; else the namesake
 * (-1 if none). CABLE stores index variables x(x), y(y) beside latitude(y)
 * and longitude(x); E3SM's lat and lon are not named like their dimensions. */
static int dim_coord(int ncid, int dimid, const char *dimname)
{
    int same = coord_var(ncid, dimid, dimname), nvars, nd, d, pick = -1, picks = 0;
    if ((same >= 0 && role_by_attributes(ncid, same) != ROLE_OTHER) ||
        nc_inq_nvars(ncid, &nvars) != NC_NOERR)
        return same;
    for (int v = 0; v < nvars; v++) {
        if (v == same || nc_inq_varndims(ncid, v, &nd) || nd != 1 ||
            nc_inq_vardimid(ncid, v, &d) || d != dimid)
            continue;
        axis_role r = role_by_attributes(ncid, v);
        if (r == ROLE_LAT || r == ROLE_LON) {
            pick = v;
            picks++;
        }
    }
    return picks == 1 ? pick : same;
}

static int set_role(t2i_input *in, int pos, axis_role role, char *err, size_t errlen)
{
    int *slot = role == ROLE_TIME ? &in->time_pos : role == ROLE_LAT ? &in->lat_pos : &in->lon_pos;
    static const char *const what[] = {"", "time", "latitude", "longitude"};
    if (*slot >= 0)
        return t2i_fail(T2I_EINPUT, err, errlen, "'%s' has two %s dimensions, '%s' and '%s'",
                        in->var, what[role], in->dimname[*slot], in->dimname[pos]);
    *slot = pos;
    return T2I_OK;
}

/* Classifies every dimension: attributes of its coordinate variable first,
 * then its name; a --time-var's dimension is the time dimension. */
static int classify_dims(const t2i_input_request *req, t2i_input *in, int time_dimid,
                         char *err, size_t errlen)
{
    int dimids[NC_MAX_VAR_DIMS], rc, st;
    if ((rc = nc_inq_vardimid(in->ncid, in->varid, dimids)))
        return nc_check(rc, "nc_inq_vardimid", in->var, err, errlen);
    in->time_pos = in->lat_pos = in->lon_pos = -1;
    axis_role roles[NC_MAX_VAR_DIMS];
    for (int i = 0; i < in->ndims; i++) {
        if ((rc = nc_inq_dim(in->ncid, dimids[i], in->dimname[i], &in->dimlen[i])))
            return nc_check(rc, "nc_inq_dim", in->var, err, errlen);
        int cv = dim_coord(in->ncid, dimids[i], in->dimname[i]);
        roles[i] = dimids[i] == time_dimid ? ROLE_TIME : role_by_attributes(in->ncid, cv);
        if (roles[i] == ROLE_OTHER)
            roles[i] = role_by_name(in->dimname[i]);
        if (roles[i] != ROLE_OTHER && (st = set_role(in, i, roles[i], err, errlen)))
            return st;
    }
    (void)req;
    return T2I_OK;
}

static int check_axes_found(const t2i_input *in, char *err, size_t errlen)
{
    static const char *const what[] = {"time", "latitude", "longitude"};
    const int pos[] = {in->time_pos, in->lat_pos, in->lon_pos};
    for (int r = 0; r < 3; r++) {
        if (pos[r] >= 0)
            continue;
        char list[300] = "";
        for (int i = 0; i < in->ndims; i++)
            t2i_note(list, sizeof list, "'%s'", in->dimname[i]);
        return t2i_fail(T2I_EINPUT, err, errlen, "'%s' has no %s dimension (dimensions: %s)",
                        in->var, what[r], list[0] ? list : "none");
    }
    for (int i = 0; i < in->ndims; i++)
        if (in->dimlen[i] == 0)
            return t2i_fail(T2I_EINPUT, err, errlen, "dimension '%s' of '%s' is empty",
                            in->dimname[i], in->var);
    return T2I_OK;
}

/* Every extra dimension needs a reduction from models/, except a single
 * level, which can only mean itself. */
static int plan_extra_dims(const t2i_input_request *req, t2i_input *in, t2i_notes *notes,
                           char *err, size_t errlen)
{
    in->layer_pos = -1;
    for (int i = 0; i < in->ndims; i++) {
        in->op[i] = T2I_REDUCE_NONE;
        if (i == in->time_pos || i == in->lat_pos || i == in->lon_pos)
            continue;
        const t2i_reduce *r = NULL;
        for (int j = 0; j < req->nreduce; j++)
            if (strcmp(req->reduce[j].dim, in->dimname[i]) == 0)
                r = &req->reduce[j];
        if (!r && in->dimlen[i] == 1) {
            in->op[i] = T2I_REDUCE_INDEX;
            in->keep_index[i] = 0;
            T2I_QUIRK(notes, "single-level dimension '%s' dropped", in->dimname[i]);
            continue;
        }
        if (!r && req->keep_layer && in->layer_pos < 0) {
            in->layer_pos = i; /* tsl, msl: layers kept (layers.h) */
            continue;
        }
        if (!r)
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "'%s' has an extra dimension '%s' of size %zu: set reduce in "
                            "models/ (sum, mean or an index)",
                            in->var, in->dimname[i], in->dimlen[i]);
        if (r->op == T2I_REDUCE_INDEX && r->index >= in->dimlen[i])
            return t2i_fail(T2I_EINPUT, err, errlen, "reduce index %zu is outside dimension '%s' of size %zu",
                            r->index, in->dimname[i], in->dimlen[i]);
        in->op[i] = r->op;
        in->keep_index[i] = r->index;
        T2I_QUIRK(notes, "dimension '%s' reduced by %s", in->dimname[i],
                  r->op == T2I_REDUCE_SUM ? "sum" : r->op == T2I_REDUCE_MEAN ? "mean" : "index");
    }
    return T2I_OK;
}

/* Says so when an attribute was found only under another letter case. */
static void note_att_case(int ncid, int varid, const char *want, const char *owner,
                          t2i_notes *notes)
{
    char name[NC_MAX_NAME + 1];
    int id;
    if (nc_inq_attid(ncid, varid, want, &id) != NC_NOERR && att_name(ncid, varid, want, name))
        T2I_QUIRK(notes, "'%s': %s read from attribute '%s'", owner, want, name);
}

/* Reads a whole 1-D variable as doubles into a new array. */
static int read_1d(int ncid, int varid, size_t n, double **out, const char *name, char *err,
                   size_t errlen)
{
    *out = malloc((n ? n : 1) * sizeof **out);
    if (!*out)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory reading '%s'", name);
    int rc = nc_get_var_double(ncid, varid, *out);
    if (rc != NC_NOERR) {
        free(*out);
        *out = NULL;
        return nc_check(rc, "nc_get_var_double", name, err, errlen);
    }
    return T2I_OK;
}

/* Finds the bounds variable of coordinate `cv`: its `bounds` attribute, else
 * one of the names TRENDY models use. Returns -1 when there is none. */
static int find_bounds(int ncid, int cv, const char *cname, size_t n, t2i_notes *notes,
                       char *err, size_t errlen, int *status)
{
    char name[NC_MAX_NAME + 1];
    int found, bv = -1;
    *status = get_text_att(ncid, cv, "bounds", name, sizeof name, &found, err, errlen);
    if (*status)
        return -1;
    /* CLM5.0 names 'time_bounds' and ships without it (users delete the
     * attribute so cdo reads the file): a dangling name is no bounds at all,
     * and the usual names below are still tried. */
    if (found && nc_inq_varid(ncid, name, &bv) != NC_NOERR) {
        T2I_QUIRK(notes, "'%s' names bounds '%s', which the file does not have: ignored", cname,
                  name);
        bv = -1;
    }
    static const char *const patterns[] = {"%s_bnds", "%s_bounds", "bounds_%s", "%s_bnd", NULL};
    for (int i = 0; bv < 0 && patterns[i]; i++) {
        snprintf(name, sizeof name, patterns[i], cname);
        if (nc_inq_varid(ncid, name, &bv) != NC_NOERR)
            bv = -1;
    }
    if (bv < 0)
        return -1;
    int nd, dims[NC_MAX_VAR_DIMS];
    size_t l0 = 0, l1 = 0;
    if (nc_inq_varndims(ncid, bv, &nd) || nd != 2 || nc_inq_vardimid(ncid, bv, dims) ||
        nc_inq_dimlen(ncid, dims[0], &l0) || nc_inq_dimlen(ncid, dims[1], &l1) || l0 != n ||
        l1 != 2) {
        if (nc_inq_varname(ncid, bv, name) != NC_NOERR)
            snprintf(name, sizeof name, "(its bounds)");
        *status = t2i_fail(T2I_EINPUT, err, errlen,
                           "bounds '%s' of '%s' are not shaped (%zu, 2)", name, cname, n);
        return -1;
    }
    return bv;
}

/* Reads coordinate values and bounds of dimension `pos` of the variable. */
static int read_coord(t2i_input *in, int pos, double **values, double **bnds, t2i_notes *notes,
                      char *err, size_t errlen)
{
    int dimids[NC_MAX_VAR_DIMS], st;
    char name[NC_MAX_NAME + 1];
    if ((st = nc_check(nc_inq_vardimid(in->ncid, in->varid, dimids), "nc_inq_vardimid", in->var,
                       err, errlen)))
        return st;
    int cv = dim_coord(in->ncid, dimids[pos], in->dimname[pos]);
    if (cv < 0)
        return t2i_fail(T2I_EINPUT, err, errlen, "dimension '%s' has no coordinate variable",
                        in->dimname[pos]);
    int rc = nc_inq_varname(in->ncid, cv, name);
    if (rc != NC_NOERR)
        return nc_check(rc, "nc_inq_varname", in->dimname[pos], err, errlen);
    if (strcmp(name, in->dimname[pos]) != 0)
        T2I_QUIRK(notes, "coordinates of dimension '%s' read from '%s'", in->dimname[pos], name);
    if ((st = read_1d(in->ncid, cv, in->dimlen[pos], values, name, err, errlen)))
        return st;
    int bv = find_bounds(in->ncid, cv, name, in->dimlen[pos], notes, err, errlen, &st);
    if (st || bv < 0)
        return st;
    *bnds = malloc(2 * in->dimlen[pos] * sizeof **bnds);
    if (!*bnds)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory reading bounds of '%s'", name);
    rc = nc_get_var_double(in->ncid, bv, *bnds);
    return nc_check(rc, "nc_get_var_double", name, err, errlen);
}

/* The variable holding time values: --time-var, else the time dimension's
 * coordinate variable. */
static int time_source(const char *name, t2i_input *in, int *tv, char *err, size_t errlen)
{
    int rc = nc_inq_varid(in->ncid, name, tv);
    if (rc != NC_NOERR)
        return t2i_fail(T2I_EINPUT, err, errlen, "time variable '%s' not found", name);
    int nd;
    size_t len = 0;
    int dim;
    if (nc_inq_varndims(in->ncid, *tv, &nd) || nd != 1 || nc_inq_vardimid(in->ncid, *tv, &dim) ||
        nc_inq_dimlen(in->ncid, dim, &len) || len != in->ntime)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "time variable '%s' is not one-dimensional of length %zu", name, in->ntime);
    return T2I_OK;
}

/* Units that date a time axis ("<unit> since <date>" or "<unit> as %..."). */
static int dates_axis(int ncid, int varid)
{
    char units[256], e[8];
    int found;
    /* Unreadable or overlong units date nothing: read_time then names them. */
    if (get_text_att(ncid, varid, "units", units, sizeof units, &found, e, sizeof e) != T2I_OK)
        return 0;
    return found && (strstr(units, " since ") || strstr(units, " as %"));
}

/* The variable holding time values: --time-var; else the time coordinate,
 * unless its units are empty and exactly one other variable along the time
 * dimension dates it (CARDAMOM: 'time' = 1..N, 'Time' the days). */
static void pick_time_var(const t2i_input_request *req, const t2i_input *in, char *name,
                          t2i_notes *notes)
{
    snprintf(name, NC_MAX_NAME + 1, "%s", req->time_var ? req->time_var : in->dimname[in->time_pos]);
    int cv, nvars, tdim, dim, nd, pick = -1, picks = 0;
    if (req->time_var || req->time_units || nc_inq_varid(in->ncid, name, &cv) ||
        dates_axis(in->ncid, cv) || nc_inq_dimid(in->ncid, in->dimname[in->time_pos], &tdim) ||
        nc_inq_nvars(in->ncid, &nvars))
        return;
    for (int v = 0; v < nvars; v++)
        if (v != cv && !nc_inq_varndims(in->ncid, v, &nd) && nd == 1 &&
            !nc_inq_vardimid(in->ncid, v, &dim) && dim == tdim && dates_axis(in->ncid, v)) {
            pick = v;
            picks++;
        }
    if (picks != 1 || nc_inq_varname(in->ncid, pick, name) != NC_NOERR)
        return;
    T2I_QUIRK(notes, "'%s' has no usable time units; time read from '%s'",
              in->dimname[in->time_pos], name);
}

static int read_time(const t2i_input_request *req, t2i_input *in, t2i_notes *notes, char *err,
                     size_t errlen)
{
    int tv, st, found;
    char name[NC_MAX_NAME + 1];
    pick_time_var(req, in, name, notes);
    if ((st = time_source(name, in, &tv, err, errlen)))
        return st;
    if ((st = read_1d(in->ncid, tv, in->ntime, &in->time, name, err, errlen)))
        return st;
    if ((st = get_text_att(in->ncid, tv, "units", in->time_units, sizeof in->time_units, &found,
                           err, errlen)))
        return st;
    if ((st = get_text_att(in->ncid, tv, "calendar", in->calendar, sizeof in->calendar, &found,
                           err, errlen)))
        return st;
    /* Only a fallback for absent units: a long name too long to hold is none. */
    char e[8];
    get_text_att(in->ncid, tv, "long_name", in->time_long_name, sizeof in->time_long_name, &found,
                 e, sizeof e);
    note_att_case(in->ncid, tv, "units", name, notes);
    note_att_case(in->ncid, tv, "calendar", name, notes);
    if (req->time_var)
        T2I_QUIRK(notes, "time read from variable '%s'", req->time_var);
    if (req->time_units) {
        T2I_QUIRK(notes, "time units '%s' from models/ (file says '%s')", req->time_units,
                  in->time_units);
        snprintf(in->time_units, sizeof in->time_units, "%s", req->time_units);
    }
    if (req->calendar) {
        T2I_QUIRK(notes, "calendar '%s' from models/ (file says '%s')", req->calendar,
                  in->calendar);
        snprintf(in->calendar, sizeof in->calendar, "%s", req->calendar);
    }
    int bv = find_bounds(in->ncid, tv, name, in->ntime, notes, err, errlen, &st);
    if (st || bv < 0)
        return st;
    in->time_bnds = malloc(2 * in->ntime * sizeof *in->time_bnds);
    if (!in->time_bnds)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory reading time bounds");
    return nc_check(nc_get_var_double(in->ncid, bv, in->time_bnds), "nc_get_var_double",
                    "time bounds", err, errlen);
}

static int read_units(const t2i_input_request *req, t2i_input *in, t2i_notes *notes,
                      char *err, size_t errlen)
{
    int found, st;
    if ((st = get_text_att(in->ncid, in->varid, "units", in->units, sizeof in->units, &found,
                           err, errlen)))
        return st;
    note_att_case(in->ncid, in->varid, "units", in->var, notes);
    if (req->units) {
        T2I_QUIRK(notes, "units '%s' from models/ (file says '%s')", req->units, in->units);
        snprintf(in->units, sizeof in->units, "%s", req->units);
    }
    return T2I_OK;
}

/* Time steps one stored chunk spans: slabs follow it so no chunk is decoded
 * twice. Contiguous and classic files have no chunks: one step. */
static void read_chunking(t2i_input *in)
{
    int storage = NC_CONTIGUOUS;
    size_t chunks[NC_MAX_VAR_DIMS];
    in->chunk_time = 1;
    if (nc_inq_var_chunking(in->ncid, in->varid, &storage, chunks) == NC_NOERR &&
        storage == NC_CHUNKED && chunks[in->time_pos] > 0)
        in->chunk_time = chunks[in->time_pos];
}

static int open_var(const t2i_input_request *req, t2i_input *in, t2i_notes *notes, char *err,
                    size_t errlen)
{
    int st, rc;
    if ((st = find_var(in->ncid, req->var, &in->varid, notes, err, errlen)))
        return st;
    if ((rc = nc_inq_var(in->ncid, in->varid, in->var, &in->xtype, &in->ndims, NULL, NULL)))
        return nc_check(rc, "nc_inq_var", req->var, err, errlen);
    if (in->xtype == NC_CHAR || in->xtype == NC_STRING || in->xtype > NC_STRING)
        return t2i_fail(T2I_EINPUT, err, errlen, "'%s' is not numeric", in->var);
    if (in->ndims < 3)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "'%s' has %d dimensions; it needs at least time, latitude and longitude",
                        in->var, in->ndims);
    return T2I_OK;
}

/* The dimension id of --time-var, or -1 without one. */
static int time_var_dim(const t2i_input_request *req, int ncid)
{
    int tv, nd, dim;
    if (!req->time_var || nc_inq_varid(ncid, req->time_var, &tv) ||
        nc_inq_varndims(ncid, tv, &nd) || nd != 1 || nc_inq_vardimid(ncid, tv, &dim))
        return -1;
    return dim;
}

/* A header may declare any length (an 8 KB netCDF-4 file can declare two
 * billion time steps): the coordinates, read whole with their bounds and
 * decoded copies (about 48 bytes a step, 24 a latitude or longitude),
 * must fit the memory budget, at least 32 MiB (the slabs have --memory of
 * their own), before anything is allocated. */
static int check_declared(const t2i_input_request *req, const t2i_input *in, char *err,
                          size_t errlen)
{
    size_t budget = req->memory_bytes > INPUT_MEMORY_BYTES ? req->memory_bytes
                                                           : INPUT_MEMORY_BYTES;
    double need = 48.0 * (double)in->ntime + 24.0 * ((double)in->nlat + (double)in->nlon);
    if (need > (double)budget)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "the header declares %zu time steps, %zu latitudes and %zu longitudes: "
                        "their coordinates alone need %.0f bytes, more than the %zu bytes "
                        "they may use (--memory, at least 32 MiB)", in->ntime, in->nlat,
                        in->nlon, need, budget);
    return T2I_OK;
}

static int inspect(const t2i_input_request *req, t2i_input *in, t2i_notes *notes, char *err,
                   size_t errlen)
{
    int st;
    if ((st = open_var(req, in, notes, err, errlen)) ||
        (st = classify_dims(req, in, time_var_dim(req, in->ncid), err, errlen)) ||
        (st = check_axes_found(in, err, errlen)) ||
        (st = plan_extra_dims(req, in, notes, err, errlen)))
        return st;
    in->ntime = in->dimlen[in->time_pos];
    in->nlat = in->dimlen[in->lat_pos];
    in->nlon = in->dimlen[in->lon_pos];
    if ((st = check_declared(req, in, err, errlen)) ||
        (st = read_time(req, in, notes, err, errlen)) ||
        (st = read_coord(in, in->lat_pos, &in->lat, &in->lat_bnds, notes, err, errlen)) ||
        (st = read_coord(in, in->lon_pos, &in->lon, &in->lon_bnds, notes, err, errlen)) ||
        (st = read_units(req, in, notes, err, errlen)) ||
        (st = read_packing(in, notes, err, errlen)) ||
        (st = read_missing(req, in, notes, err, errlen)))
        return st;
    read_chunking(in);
    if (in->lat_pos > in->lon_pos)
        T2I_QUIRK(notes, "dimension order has longitude before latitude");
    return T2I_OK;
}

/* The direct chunk reader, for a netCDF-4 float variable whose storage it
 * understands (rawchunk.h); otherwise netCDF-C reads, and read_path says
 * why. */
static int open_raw(const t2i_input_request *req, t2i_input *in, char *err, size_t errlen)
{
    char why[200] = "";
    if (!req->raw_chunks)
        snprintf(why, sizeof why, "--raw-chunks 0");
    else if (in->format != NC_FORMAT_NETCDF4 && in->format != NC_FORMAT_NETCDF4_CLASSIC)
        snprintf(why, sizeof why, "not a netCDF-4 file");
    else if (in->xtype != NC_FLOAT)
        snprintf(why, sizeof why, "not a float variable");
    else {
        int st = rawchunk_open(req->path, in->var, in->ndims, in->dimlen,
                               req->memory_bytes ? req->memory_bytes : 32u << 20, &in->raw,
                               why, sizeof why, err, errlen);
        if (st != T2I_OK)
            return st;
    }
    if (in->raw) {
        const size_t *c = rawchunk_dims(in->raw);
        int n = snprintf(in->read_path, sizeof in->read_path, "raw chunks (ISA-L inflate), chunk");
        for (int d = 0; d < in->ndims && n > 0 && (size_t)n < sizeof in->read_path; d++)
            n += snprintf(in->read_path + n, sizeof in->read_path - (size_t)n, "%s%zu",
                          d ? "x" : " ", c[d]);
    } else {
        snprintf(in->read_path, sizeof in->read_path, "netcdf: %s", why);
    }
    return T2I_OK;
}

int input_open(const t2i_input_request *req, t2i_input *in, t2i_notes *notes, char *err,
               size_t errlen)
{
    memset(in, 0, sizeof *in);
    in->ncid = -1;
    /* Before nc_open, which trusts a classic header's counts. */
    int st = regular_file(req->path, err, errlen);
    if (st == T2I_OK)
        st = classic_check(req->path, err, errlen);
    if (st != T2I_OK)
        return st;
    int rc = nc_open(req->path, NC_NOWRITE, &in->ncid);
    if (rc != NC_NOERR) {
        in->ncid = -1;
        return t2i_fail(rc == NC_ENOMEM ? T2I_ESYS : T2I_EINPUT, err, errlen,
                        "cannot open: %s", nc_strerror(rc));
    }
    /* A truncated classic file was refused by classic_check above. */
    st = nc_check(nc_inq_format(in->ncid, &in->format), "nc_inq_format", "file", err, errlen);
    if (st == T2I_OK)
        st = inspect(req, in, notes, err, errlen);
    if (st == T2I_OK)
        st = open_raw(req, in, err, errlen);
    if (st != T2I_OK)
        input_close(in);
    return st;
}

size_t input_step_values(const t2i_input *in)
{
    size_t n = 1;
    for (int i = 0; i < in->ndims; i++)
        if (i != in->time_pos && in->op[i] != T2I_REDUCE_INDEX)
            n *= in->dimlen[i];
    return n;
}

/* The box of steps [t0, t0 + k): every value of the other dimensions but
 * the one kept of an index-reduced dimension. */
static size_t slab_box(const t2i_input *in, size_t t0, size_t k, size_t *start, size_t *count)
{
    for (int i = 0; i < in->ndims; i++) {
        start[i] = in->op[i] == T2I_REDUCE_INDEX ? in->keep_index[i] : 0;
        count[i] = in->op[i] == T2I_REDUCE_INDEX ? 1 : in->dimlen[i];
    }
    start[in->time_pos] = t0;
    count[in->time_pos] = k;
    return k * input_step_values(in);
}

static int read_failed(const t2i_input *in, int rc, size_t t0, char *err, size_t errlen)
{
    return t2i_fail(rc == NC_ENOMEM ? T2I_ESYS : T2I_EINPUT, err, errlen,
                    "reading '%s' at time step %zu: %s", in->var, t0, nc_strerror(rc));
}

int input_read_slab(const t2i_input *in, size_t t0, size_t k, double *buf, size_t *nvalues,
                    char *err, size_t errlen)
{
    size_t start[NC_MAX_VAR_DIMS], count[NC_MAX_VAR_DIMS];
    *nvalues = slab_box(in, t0, k, start, count);
    if (in->raw) {
        /* Floats into the buffer's first half, widened in place from the
         * end: value i is read before double i overwrites floats 2i, 2i+1. */
        float *f = (float *)(void *)buf;
        int st = rawchunk_read(in->raw, start, count, f, err, errlen);
        for (size_t i = *nvalues; st == T2I_OK && i-- > 0;) {
            float v = f[i];
            buf[i] = (double)v;
        }
        return st;
    }
    int rc = nc_get_vara_double(in->ncid, in->varid, start, count, buf);
    /* NC_ERANGE too: a value netCDF could not convert is not read as data. */
    return rc == NC_NOERR ? T2I_OK : read_failed(in, rc, t0, err, errlen);
}

int input_read_slab_float(const t2i_input *in, size_t t0, size_t k, float *buf,
                          size_t *nvalues, char *err, size_t errlen)
{
    size_t start[NC_MAX_VAR_DIMS], count[NC_MAX_VAR_DIMS];
    *nvalues = slab_box(in, t0, k, start, count);
    if (in->raw)
        return rawchunk_read(in->raw, start, count, buf, err, errlen);
    int rc = nc_get_vara_float(in->ncid, in->varid, start, count, buf);
    return rc == NC_NOERR ? T2I_OK : read_failed(in, rc, t0, err, errlen);
}

void input_close(t2i_input *in)
{
    /* Closing a file opened read-only loses nothing, whatever it returns. */
    if (in->ncid >= 0)
        (void)nc_close(in->ncid);
    in->ncid = -1;
    rawchunk_close(in->raw);
    in->raw = NULL;
    free(in->time);
    free(in->time_bnds);
    free(in->lat);
    free(in->lat_bnds);
    free(in->lon);
    free(in->lon_bnds);
    in->time = in->time_bnds = in->lat = in->lat_bnds = in->lon = in->lon_bnds = NULL;
}
