/* The checker's global totals (see verify_totals.h).
 * Shares no code with the converter or t2i-area (see verify.h). */
#include "verify_totals.h"

#include <math.h>
#include <netcdf.h>
#include <stdlib.h>
#include <string.h>

#include "t2i.h"

/* Reads the fixed field `var` of `path` (ny*nx values on the output's
 * grid, checked by its lat and lon) into v. Returns 0; 1 when the file is
 * on another grid (a model directory whose outputs differ in grid: ILAMB
 * has one areacella per directory), said in s->area_note; -1 with a
 * problem when it cannot be read. */
static int read_fixed(const verify_out *f, const char *path, const char *var, double *v,
                      verify_summary *s, verify_problems *p)
{
    int ncid, varid, ok = 0, shaped = 0;
    if (nc_open(path, NC_NOWRITE, &ncid)) {
        verify_problem(p, "cannot open %s", path);
        return -1;
    }
    double *lat = malloc(f->ny * sizeof *lat), *lon = malloc(f->nx * sizeof *lon);
    int ylat, xlon, nd;
    size_t ly = 0, lx = 0;
    if (lat && lon && !nc_inq_varid(ncid, var, &varid) && !nc_inq_varndims(ncid, varid, &nd) &&
        nd == 2 && !nc_inq_dimid(ncid, "lat", &ylat) && !nc_inq_dimid(ncid, "lon", &xlon) &&
        !nc_inq_dimlen(ncid, ylat, &ly) && !nc_inq_dimlen(ncid, xlon, &lx) && (shaped = 1) &&
        ly == f->ny && lx == f->nx && !nc_inq_varid(ncid, "lat", &ylat) &&
        !nc_get_var_double(ncid, ylat, lat) &&
        !nc_inq_varid(ncid, "lon", &xlon) && !nc_get_var_double(ncid, xlon, lon) &&
        !nc_get_var_double(ncid, varid, v)) {
        ok = 1;
        for (size_t y = 0; y < f->ny; y++)
            ok &= fabs(lat[y] - f->lat[y]) <= VERIFY_COORD_TOL;
        for (size_t x = 0; x < f->nx; x++)
            ok &= fabs(lon[x] - f->lon[x]) <= VERIFY_COORD_TOL;
    }
    nc_close(ncid);
    free(lat), free(lon);
    if (ok)
        return 0;
    if (shaped) {
        snprintf(s->area_note, sizeof s->area_note,
                 "%s is on another grid than this %zu x %zu output: totals use the checker's "
                 "own cell areas and 100 %% land", path, f->ny, f->nx);
        return 1;
    }
    verify_problem(p, "%s: cannot read '%s' (lat, lon)", path, var);
    return -1;
}

/* Each cell's area on the sphere from the output's bounds, m2. */
static void own_areas(const verify_out *f, double *a)
{
    const double rad = VERIFY_PI / 180.0, r2 = VERIFY_EARTH_RADIUS_M * VERIFY_EARTH_RADIUS_M;
    for (size_t y = 0; y < f->ny; y++)
        for (size_t x = 0; x < f->nx; x++)
            a[y * f->nx + x] = r2 * (f->lon_bnds[2 * x + 1] - f->lon_bnds[2 * x]) * rad *
                               (sin(f->lat_bnds[2 * y + 1] * rad) - sin(f->lat_bnds[2 * y] * rad));
}

static void compare_areas(const verify_out *f, const double *own, const double *file,
                          verify_problems *p)
{
    for (size_t c = 0; c < f->ny * f->nx; c++)
        if (!(fabs(file[c] - own[c]) <= VERIFY_AREA_RTOL * own[c])) {
            verify_problem(p, "areacella at lat %g, lon %g is %.7g m2, the cell's bounds give "
                           "%.7g m2", f->lat[c / f->nx], f->lon[c % f->nx], file[c], own[c]);
            return;
        }
}

/* Land share in [0, 1] from sftlf (%); a fill is no land. */
static void apply_sftlf(const verify_out *f, const double *pct, double *w, verify_problems *p)
{
    int bad = 0;
    for (size_t c = 0; c < f->ny * f->nx; c++) {
        double v = pct[c];
        if (v == T2I_FILL || isnan(v))
            v = 0;
        else if ((v < 0 || v > 100) && !bad++)
            verify_problem(p, "sftlf at lat %g, lon %g is %g, outside 0..100 %%",
                           f->lat[c / f->nx], f->lon[c % f->nx], v);
        w[c] *= fmin(fmax(v, 0.0), 100.0) / 100.0;
    }
}

int verify_weights(const verify_out *f, const verify_options *o, double **w, verify_summary *s,
                   verify_problems *p)
{
    size_t n = f->ny * f->nx;
    *w = malloc((n ? n : 1) * sizeof **w);
    double *file = malloc((n ? n : 1) * sizeof *file);
    if (!*w || !file) {
        free(file);
        return -1;
    }
    if (f->lat_bnds && f->lon_bnds)
        own_areas(f, *w);
    else
        for (size_t c = 0; c < n; c++)
            (*w)[c] = 0.0;
    for (size_t c = 0; c < n; c++)
        s->area_m2 += (*w)[c];
    if (o->areacella && read_fixed(f, o->areacella, "areacella", file, s, p) == 0)
        compare_areas(f, *w, file, p);
    if (o->sftlf && !s->area_note[0] && read_fixed(f, o->sftlf, "sftlf", file, s, p) == 0) {
        apply_sftlf(f, file, *w, p);
        s->land_from_file = 1;
    }
    for (size_t c = 0; c < n; c++)
        s->land_m2 += (*w)[c];
    free(file);
    return 0;
}

/* ------------------------------------------------------------ annual */

void verify_total_kind(const verify_options *o, verify_summary *s)
{
    int carbon = o->standard_name && strstr(o->standard_name, "carbon");
    if (!strcmp(o->target_units, "kg m-2 s-1")) {
        snprintf(s->annual_kind, sizeof s->annual_kind, "flux");
        snprintf(s->annual_units, sizeof s->annual_units, carbon ? "PgC yr-1" : "Pg yr-1");
    } else if (!strcmp(o->target_units, "kg m-2")) {
        snprintf(s->annual_kind, sizeof s->annual_kind, "pool");
        snprintf(s->annual_units, sizeof s->annual_units, carbon ? "PgC" : "Pg");
    } else {
        snprintf(s->annual_kind, sizeof s->annual_kind, "mean");
        snprintf(s->annual_units, sizeof s->annual_units, "%s", o->target_units);
    }
}

/* One year's number from its steps [t0, t1): a flux summed over the
 * seconds of each step, a pool or a mean averaged over them. */
static double year_value(const verify_out *f, const verify_summary *s, size_t t0, size_t t1)
{
    double total = 0, seconds = 0;
    int flux = s->annual_kind[0] == 'f', mean = s->annual_kind[0] == 'm';
    for (size_t t = t0; t < t1; t++) {
        double dt = (f->time_bnds[2 * t + 1] - f->time_bnds[2 * t]) * VERIFY_SECONDS_PER_DAY;
        if (!(s->step_weight[t] > 0))
            return NAN;
        total += (mean ? s->step_sum[t] / s->step_weight[t] : s->step_sum[t]) * dt;
        seconds += dt;
    }
    if (flux)
        return total / VERIFY_KG_PER_PG;
    return mean ? total / seconds : total / seconds / VERIFY_KG_PER_PG;
}

int verify_annual(const verify_out *f, verify_summary *s)
{
    if (!f->steps.year || !s->step_sum || !f->time_bnds || !f->nt)
        return 0;
    s->years = malloc(f->nt * sizeof *s->years);
    s->annual = malloc(f->nt * sizeof *s->annual);
    if (!s->years || !s->annual)
        return -1;
    size_t per_year = f->steps.monthly ? 12 : 1;
    for (size_t t0 = 0, t1; t0 < f->nt; t0 = t1) {
        for (t1 = t0 + 1; t1 < f->nt && f->steps.year[t1] == f->steps.year[t0]; t1++)
            ;
        if (t1 - t0 != per_year)
            continue; /* a part year: not a full year's total */
        s->years[s->nyears] = f->steps.year[t0];
        s->annual[s->nyears++] = year_value(f, s, t0, t1);
    }
    return 0;
}
