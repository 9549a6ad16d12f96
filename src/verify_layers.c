/* The checker's soil layers (see verify_layers.h). */
#include "verify_layers.h"

#include <math.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int verify_layers_mode(const verify_options *o, double *top_m)
{
    *top_m = 0;
    if (!o->layers || !o->layers[0])
        return VERIFY_LAYERS_NONE;
    if (!strcmp(o->layers, "depth"))
        return VERIFY_LAYERS_KEEP;
    char *end;
    if (!strncmp(o->layers, "top=", 4) && (*top_m = strtod(o->layers + 4, &end)) > 0 && !*end)
        return VERIFY_LAYERS_TOP;
    return -1;
}

/* Metres per unit of a length written as `units`, 0 if it is none. */
static double metres(const char *units)
{
    static const char *const m[] = {"m", "meter", "meters", "metre", "metres", NULL};
    static const char *const cm[] = {"cm", "centimeter", "centimeters", NULL};
    static const char *const mm[] = {"mm", "millimeter", "millimeters", NULL};
    const char *const *lists[] = {m, cm, mm};
    const double factor[] = {1.0, 0.01, 0.001};
    for (int l = 0; l < 3; l++)
        for (const char *const *u = lists[l]; *u; u++)
            if (!strcasecmp(units, *u))
                return factor[l];
    return 0.0;
}

static int text(int ncid, int varid, const char *name, char *buf, size_t size)
{
    size_t len;
    nc_type type;
    if (nc_inq_att(ncid, varid, name, &type, &len) || type != NC_CHAR || len + 1 > size ||
        nc_get_att_text(ncid, varid, name, buf))
        return -1;
    buf[len] = '\0';
    return 0;
}

/* From the coordinate variable named like the dimension, in a length. */
static int from_coord(int ncid, const char *dim, size_t n, double *e)
{
    char units[64], bname[NC_MAX_NAME + 1];
    int cv, bv, nd;
    double c[VERIFY_MAX_LAYERS], b[2 * VERIFY_MAX_LAYERS];
    if (nc_inq_varid(ncid, dim, &cv) || nc_inq_varndims(ncid, cv, &nd) || nd != 1 ||
        text(ncid, cv, "units", units, sizeof units) || metres(units) == 0.0 ||
        nc_get_var_double(ncid, cv, c))
        return -1;
    double f = metres(units);
    if (!text(ncid, cv, "bounds", bname, sizeof bname) && !nc_inq_varid(ncid, bname, &bv) &&
        !nc_get_var_double(ncid, bv, b)) {
        for (size_t i = 0; i < n; i++)
            e[i] = b[2 * i] * f;
        e[n] = b[2 * n - 1] * f;
        return 0;
    }
    /* No bounds: the surface, then halfway between centres, then as far
     * below the last centre as its top is above it. */
    e[0] = 0.0;
    for (size_t i = 1; i < n; i++)
        e[i] = 0.5 * (c[i - 1] + c[i]) * f;
    e[n] = 2.0 * c[n - 1] * f - e[n - 1];
    return 0;
}

/* From CABLE's layer_depths_m: thicknesses, as text or numbers. */
static int from_thickness(int ncid, int varid, size_t n, double *e)
{
    char buf[1024];
    double d[VERIFY_MAX_LAYERS];
    size_t got = 0, len;
    nc_type type;
    if (!text(ncid, varid, "layer_depths_m", buf, sizeof buf)) {
        char *p = buf, *end;
        while (got < VERIFY_MAX_LAYERS && (d[got] = strtod(p, &end), end != p)) {
            got++;
            p = end;
        }
    } else if (!nc_inq_att(ncid, varid, "layer_depths_m", &type, &len) &&
               len <= VERIFY_MAX_LAYERS && !nc_get_att_double(ncid, varid, "layer_depths_m", d)) {
        got = len;
    }
    if (got != n)
        return -1;
    e[0] = 0.0;
    for (size_t i = 0; i < n; i++)
        e[i + 1] = e[i] + d[i];
    return 0;
}

int verify_layer_edges(int ncid, int varid, const char *dim, size_t n, const verify_options *o,
                       double *e, verify_problems *p)
{
    if (n == 0 || n > VERIFY_MAX_LAYERS) {
        verify_problem(p, "input layer dimension '%s' has %zu layers", dim, n);
        return -1;
    }
    if (o->models.nlayer_bounds) {
        if ((size_t)o->models.nlayer_bounds != n + 1) {
            verify_problem(p, "%d layer bounds from models/ for %zu layers", o->models.nlayer_bounds, n);
            return -1;
        }
        memcpy(e, o->models.layer_bounds, (n + 1) * sizeof *e);
        return 0;
    }
    if (from_coord(ncid, dim, n, e) == 0 || from_thickness(ncid, varid, n, e) == 0)
        return 0;
    verify_problem(p, "input layers '%s' have no depths", dim);
    return -1;
}

double verify_layer_weight(const double *e, size_t i, double top_m)
{
    double lo = fmax(e[i], 0.0), hi = fmin(e[i + 1], top_m);
    return hi > lo ? (hi - lo) / (e[i + 1] - e[i]) : 0.0;
}
