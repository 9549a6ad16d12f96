/* Soil layers: depths, bounds and top-layer weights (see layers.h). */
#include "layers.h"

#include <math.h>
#include <netcdf.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Length units a layer coordinate is written in, as metres. */
static const struct {
    const char *name;
    double metres;
} LAYERS_UNITS[] = {
    {"m", 1.0},     {"meter", 1.0},   {"meters", 1.0},  {"metre", 1.0},       {"metres", 1.0},
    {"cm", 0.01},   {"centimeter", 0.01}, {"centimeters", 0.01}, {"mm", 0.001},
    {"millimeter", 0.001}, {"millimeters", 0.001},
};

int layers_parse_mode(const char *text, t2i_layers *l, char *err, size_t errlen)
{
    memset(l, 0, sizeof *l);
    char *end;
    if (!text || !text[0]) {
        l->mode = T2I_LAYERS_NONE;
    } else if (strcmp(text, "depth") == 0) {
        l->mode = T2I_LAYERS_KEEP;
    } else if (strncmp(text, "top=", 4) == 0 && (l->top_m = strtod(text + 4, &end)) > 0 &&
               end != text + 4 && *end == '\0') {
        l->mode = T2I_LAYERS_TOP;
    } else {
        return t2i_fail(T2I_ESYS, err, errlen,
                        "variables table: layers '%s' is neither 'depth' nor 'top=M'", text);
    }
    return T2I_OK;
}

int layers_from_edges(const double *e, size_t n, const double *centres, t2i_layers *l, char *err,
                      size_t errlen)
{
    if (n == 0 || n > LAYERS_MAX)
        return t2i_fail(T2I_EINPUT, err, errlen, "%zu soil layers (1 to %d are read)", n,
                        LAYERS_MAX);
    if (!(e[0] >= 0.0))
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "the first soil layer starts at %g m, above the surface", e[0]);
    l->n = n;
    for (size_t i = 0; i < n; i++) {
        if (!(e[i + 1] > e[i]))
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "soil layer %zu runs from %g m to %g m: depths must increase", i,
                            e[i], e[i + 1]);
        l->bnds[2 * i] = e[i];
        l->bnds[2 * i + 1] = e[i + 1];
        l->depth[i] = centres ? centres[i] : 0.5 * (e[i] + e[i + 1]);
        if (!(l->depth[i] >= e[i] && l->depth[i] <= e[i + 1]))
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "soil layer %zu's depth %g m is outside its bounds [%g, %g] m", i,
                            l->depth[i], e[i], e[i + 1]);
    }
    if (l->mode != T2I_LAYERS_TOP)
        return T2I_OK;
    if (e[n] < l->top_m)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "the soil layers end at %g m, above the %g m to be summed", e[n],
                        l->top_m);
    /* A layer's amount is taken as spread evenly over its thickness: the
     * part above top_m counts by its share of the layer. */
    for (size_t i = 0; i < n; i++) {
        double lo = e[i] > 0.0 ? e[i] : 0.0, hi = e[i + 1] < l->top_m ? e[i + 1] : l->top_m;
        l->weight[i] = hi > lo ? (hi - lo) / (e[i + 1] - e[i]) : 0.0;
    }
    return T2I_OK;
}

/* Metres per unit of a layer coordinate's `units`, or 0 when it is not a
 * length (an index axis, "level", none). */
static double coord_metres(int ncid, int cv)
{
    char units[64];
    size_t len = 0;
    nc_type type;
    if (nc_inq_att(ncid, cv, "units", &type, &len) || type != NC_CHAR || len == 0 ||
        len >= sizeof units || nc_get_att_text(ncid, cv, "units", units))
        return 0.0;
    units[len] = '\0';
    for (size_t i = 0; i < sizeof LAYERS_UNITS / sizeof LAYERS_UNITS[0]; i++)
        if (strcasecmp(units, LAYERS_UNITS[i].name) == 0)
            return LAYERS_UNITS[i].metres;
    return 0.0;
}

/* The (n, 2) variable the coordinate's `bounds` attribute names, into b.
 * Returns 1 when there is one. */
static int read_bounds(int ncid, int cv, size_t n, double *b)
{
    char name[NC_MAX_NAME + 1];
    size_t len = 0, l0 = 0, l1 = 0;
    nc_type type;
    int bv, nd, dims[2];
    if (nc_inq_att(ncid, cv, "bounds", &type, &len) || type != NC_CHAR || len >= sizeof name ||
        nc_get_att_text(ncid, cv, "bounds", name))
        return 0;
    name[len] = '\0';
    if (nc_inq_varid(ncid, name, &bv) || nc_inq_varndims(ncid, bv, &nd) || nd != 2 ||
        nc_inq_vardimid(ncid, bv, dims) || nc_inq_dimlen(ncid, dims[0], &l0) ||
        nc_inq_dimlen(ncid, dims[1], &l1) || l0 != n || l1 != 2)
        return 0;
    return nc_get_var_double(ncid, bv, b) == NC_NOERR;
}

/* Interfaces from a length coordinate: its bounds, else edges halfway
 * between centres from a surface at 0 and the last layer as deep below its
 * centre as above. Returns 1 when the coordinate gives them. */
static int edges_from_coord(const t2i_input *in, double *e, double *c, t2i_notes *notes)
{
    size_t n = in->dimlen[in->layer_pos];
    int dimids[NC_MAX_VAR_DIMS], cv, nd, cdim;
    nc_inq_vardimid(in->ncid, in->varid, dimids);
    if (nc_inq_varid(in->ncid, in->dimname[in->layer_pos], &cv) ||
        nc_inq_varndims(in->ncid, cv, &nd) || nd != 1 || nc_inq_vardimid(in->ncid, cv, &cdim) ||
        cdim != dimids[in->layer_pos])
        return 0;
    double m = coord_metres(in->ncid, cv);
    if (m == 0.0 || nc_get_var_double(in->ncid, cv, c))
        return 0;
    double b[2 * LAYERS_MAX];
    int have_b = read_bounds(in->ncid, cv, n, b);
    for (size_t i = 0; i < n; i++)
        c[i] *= m;
    if (have_b) {
        for (size_t i = 0; i < n; i++)
            e[i] = b[2 * i] * m;
        e[n] = b[2 * n - 1] * m;
        T2I_QUIRK(notes, "soil layers from '%s' and its bounds", in->dimname[in->layer_pos]);
        return 1;
    }
    e[0] = 0.0;
    for (size_t i = 1; i < n; i++)
        e[i] = 0.5 * (c[i - 1] + c[i]);
    e[n] = c[n - 1] + (c[n - 1] - e[n - 1]);
    T2I_QUIRK(notes, "soil layer bounds computed halfway between the depths of '%s'",
              in->dimname[in->layer_pos]);
    return 1;
}

/* Interfaces from CABLE's `layer_depths_m`: the layers' thicknesses (its
 * upload script multiplies volumetric moisture by them), as numbers or as
 * text. Returns 1 when the attribute gives n of them. */
static int edges_from_thickness(const t2i_input *in, double *e, t2i_notes *notes)
{
    size_t n = in->dimlen[in->layer_pos], len = 0, got = 0;
    nc_type type;
    double d[LAYERS_MAX];
    if (nc_inq_att(in->ncid, in->varid, "layer_depths_m", &type, &len) || len == 0)
        return 0;
    if (type == NC_CHAR) {
        char *text = malloc(len + 1);
        if (!text || nc_get_att_text(in->ncid, in->varid, "layer_depths_m", text)) {
            free(text);
            return 0;
        }
        text[len] = '\0';
        char *p = text, *end;
        for (double v; got < LAYERS_MAX && (v = strtod(p, &end), end != p); p = end)
            d[got++] = v;
        free(text);
    } else if (len <= LAYERS_MAX &&
               !nc_get_att_double(in->ncid, in->varid, "layer_depths_m", d)) {
        got = len;
    }
    if (got != n)
        return 0;
    e[0] = 0.0;
    for (size_t i = 0; i < n; i++)
        e[i + 1] = e[i] + d[i];
    T2I_QUIRK(notes, "soil layer thicknesses from the attribute layer_depths_m");
    return 1;
}

int layers_plan(const t2i_input *in, const double *bounds, size_t nbounds, t2i_layers *l,
                t2i_notes *notes, char *err, size_t errlen)
{
    if (in->layer_pos < 0)
        return t2i_fail(T2I_EINPUT, err, errlen, "'%s' has no soil-layer dimension", in->var);
    size_t n = in->dimlen[in->layer_pos];
    const char *dim = in->dimname[in->layer_pos];
    if (n > LAYERS_MAX)
        return t2i_fail(T2I_EINPUT, err, errlen, "'%s' has %zu soil layers in '%s' (at most %d)",
                        in->var, n, dim, LAYERS_MAX);
    double e[LAYERS_MAX + 1], c[LAYERS_MAX];
    const double *centres = NULL;
    char why[T2I_ERRLEN];
    if (bounds && nbounds != n + 1)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "'%s': %zu layer bounds from models/ for %zu layers in '%s' (want %zu)",
                        in->var, nbounds, n, dim, n + 1);
    if (bounds) {
        memcpy(e, bounds, (n + 1) * sizeof *e);
        T2I_QUIRK(notes, "soil layer bounds from models/");
    } else if (edges_from_coord(in, e, c, notes)) {
        centres = c;
    } else if (!edges_from_thickness(in, e, notes)) {
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "'%s': the layers of '%s' have no depths (a coordinate in m, "
                        "layer_depths_m): set layer_bounds in models/",
                        in->var, dim);
    }
    if (layers_from_edges(e, n, centres, l, why, sizeof why))
        return t2i_fail(T2I_EINPUT, err, errlen, "'%s': %s", in->var, why);
    return T2I_OK;
}
