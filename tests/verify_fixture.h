/* A small output/input pair for the checker's file-reading tests, written
 * with the netCDF C API (no converter involved): two noleap months of a
 * 2x2 grid, input in kg m-2 s-1 on latitude north to south and longitude
 * 0..360, output as the converter would write it. Every value is chosen by
 * hand: input cell (t, y, x) holds 1 + t + 2y + x (y counted north to
 * south), so output row 0 (lat -45) is input row 1. The `mutation`
 * argument breaks the output the way a real bug would. */
#ifndef T2I_VERIFY_FIXTURE_H
#define T2I_VERIFY_FIXTURE_H

#include <netcdf.h>
#include <stdio.h>
#include <string.h>

#include "t2i.h"

enum {
    FIX_GOOD,
    FIX_LAT_DESCENDING, /* output latitude north to south */
    FIX_NO_LAT_BNDS,    /* lat_bnds missing */
    FIX_WRONG_VALUE,    /* output (0, 0, 0) off by 1 */
    FIX_LOST_MASK,      /* output fill where the input has a value */
    FIX_SHIFTED_TIME    /* output covers Feb-Mar instead of Jan-Feb */
};

static inline int fix_put_text(int nc, int v, const char *name, const char *text)
{
    return nc_put_att_text(nc, v, name, strlen(text), text);
}

/* Input: time(2) lat(2) lon(2), gpp(time, lat, lon) float, fill -9999 at
 * input (t=1, y=0, x=1); with `string_units`, a netCDF-4 file whose units
 * are NC_STRING attributes. Returns 0, or a netCDF status. */
static inline int fix_write_input_as(const char *path, int string_units)
{
    int nc, dt = 0, dy = 0, dx = 0, vt = 0, vy = 0, vx = 0, vg = 0, rc;
    float fill = -9999.f;
    double time[2] = {15.5, 45.0}, lat[2] = {45, -45}, lon[2] = {90, 270};
    float v[8];
    for (int t = 0; t < 2; t++)
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 2; x++)
                v[t * 4 + y * 2 + x] = (float)(1 + t + 2 * y + x);
    v[4 + 1] = fill;
    int dims[3];
    if ((rc = nc_create(path, NC_CLOBBER | (string_units ? NC_NETCDF4 : 0), &nc)))
        return rc;
    rc = nc_def_dim(nc, "time", 2, &dt) || nc_def_dim(nc, "lat", 2, &dy) ||
         nc_def_dim(nc, "lon", 2, &dx) || nc_def_var(nc, "time", NC_DOUBLE, 1, &dt, &vt) ||
         nc_def_var(nc, "lat", NC_DOUBLE, 1, &dy, &vy) ||
         nc_def_var(nc, "lon", NC_DOUBLE, 1, &dx, &vx);
    dims[0] = dt, dims[1] = dy, dims[2] = dx;
    rc = rc || nc_def_var(nc, "gpp", NC_FLOAT, 3, dims, &vg) ||
         fix_put_text(nc, vt, "units", "days since 1850-01-01") ||
         fix_put_text(nc, vt, "calendar", "noleap") ||
         fix_put_text(nc, vy, "units", "degrees_north") ||
         fix_put_text(nc, vx, "units", "degrees_east") ||
         (string_units ? nc_put_att_string(nc, vg, "units", 1, (const char *[]){"kg m-2 s-1"})
                       : fix_put_text(nc, vg, "units", "kg m-2 s-1")) ||
         nc_put_att_float(nc, vg, "_FillValue", NC_FLOAT, 1, &fill) || nc_enddef(nc) ||
         nc_put_var_double(nc, vt, time) || nc_put_var_double(nc, vy, lat) ||
         nc_put_var_double(nc, vx, lon) || nc_put_var_float(nc, vg, v);
    int rc2 = nc_close(nc);
    return rc ? NC_EINVAL : rc2;
}

static inline int fix_write_input(const char *path)
{
    return fix_write_input_as(path, 0);
}

/* Output (time, lat, lon) with bounds, as ILAMB needs it, broken by
 * `mutation`. Returns 0, or a netCDF status. */
static inline int fix_write_output(const char *path, int mutation)
{
    int nc, dt = 0, dy = 0, dx = 0, db = 0, vt = 0, vtb = 0, vy = 0, vyb = 0, vx = 0, vxb = 0;
    int vg = 0, rc;
    float fill = T2I_FILL;
    int shift = mutation == FIX_SHIFTED_TIME ? 1 : 0;
    double starts[4] = {0, 31, 59, 90};
    double time[2], tb[4];
    for (int t = 0; t < 2; t++) {
        tb[2 * t] = starts[t + shift];
        tb[2 * t + 1] = starts[t + shift + 1];
        time[t] = 0.5 * (tb[2 * t] + tb[2 * t + 1]);
    }
    double lat[2] = {-45, 45}, latb[4] = {-90, 0, 0, 90};
    double lon[2] = {-90, 90}, lonb[4] = {-180, 0, 0, 180};
    if (mutation == FIX_LAT_DESCENDING) {
        lat[0] = 45, lat[1] = -45;
        latb[0] = 90, latb[1] = 0, latb[2] = 0, latb[3] = -90;
    }
    float v[8];
    /* output (t, row, col): row 0 = lat -45 = input row 1; col 0 = lon -90
     * = input lon 270 (x = 1). */
    for (int t = 0; t < 2; t++)
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 2; c++) {
                int y = mutation == FIX_LAT_DESCENDING ? r : 1 - r, x = 1 - c;
                v[t * 4 + r * 2 + c] = (float)(1 + t + 2 * y + x);
            }
    /* input (1, 0, 1) is missing: output (1, row 1, col 0) */
    v[4 + 2] = fill;
    if (mutation == FIX_WRONG_VALUE)
        v[0] += 1;
    if (mutation == FIX_LOST_MASK)
        v[4 + 2] = 0;
    if ((rc = nc_create(path, NC_CLOBBER | NC_NETCDF4, &nc)))
        return rc;
    int d2[2], d3[3];
    rc = nc_def_dim(nc, "time", NC_UNLIMITED, &dt) || nc_def_dim(nc, "lat", 2, &dy) ||
         nc_def_dim(nc, "lon", 2, &dx) || nc_def_dim(nc, "bnds", 2, &db);
    d2[1] = db;
    d2[0] = dt;
    rc = rc || nc_def_var(nc, "time", NC_DOUBLE, 1, &dt, &vt) ||
         nc_def_var(nc, "time_bnds", NC_DOUBLE, 2, d2, &vtb);
    d2[0] = dy;
    rc = rc || nc_def_var(nc, "lat", NC_DOUBLE, 1, &dy, &vy);
    if (mutation != FIX_NO_LAT_BNDS)
        rc = rc || nc_def_var(nc, "lat_bnds", NC_DOUBLE, 2, d2, &vyb);
    d2[0] = dx;
    rc = rc || nc_def_var(nc, "lon", NC_DOUBLE, 1, &dx, &vx) ||
         nc_def_var(nc, "lon_bnds", NC_DOUBLE, 2, d2, &vxb);
    d3[0] = dt, d3[1] = dy, d3[2] = dx;
    rc = rc || nc_def_var(nc, "gpp", NC_FLOAT, 3, d3, &vg) ||
         fix_put_text(nc, vt, "units", "days since 1850-01-01 00:00:00") ||
         fix_put_text(nc, vt, "calendar", "noleap") || fix_put_text(nc, vt, "bounds", "time_bnds") ||
         fix_put_text(nc, vy, "bounds", "lat_bnds") || fix_put_text(nc, vx, "bounds", "lon_bnds") ||
         fix_put_text(nc, vg, "units", "kg m-2 s-1") ||
         nc_put_att_float(nc, vg, "_FillValue", NC_FLOAT, 1, &fill) ||
         nc_put_att_float(nc, vg, "missing_value", NC_FLOAT, 1, &fill) || nc_enddef(nc);
    size_t start[1] = {0}, count[1] = {2}, s2[2] = {0, 0}, c2[2] = {2, 2};
    size_t s3[3] = {0, 0, 0}, c3[3] = {2, 2, 2};
    rc = rc || nc_put_vara_double(nc, vt, start, count, time) ||
         nc_put_vara_double(nc, vtb, s2, c2, tb) || nc_put_var_double(nc, vy, lat) ||
         (mutation != FIX_NO_LAT_BNDS && nc_put_var_double(nc, vyb, latb)) ||
         nc_put_var_double(nc, vx, lon) || nc_put_var_double(nc, vxb, lonb) ||
         nc_put_vara_float(nc, vg, s3, c3, v);
    int rc2 = nc_close(nc);
    return rc ? NC_EINVAL : rc2;
}

/* Options for checking the fixture pair. */
static inline void fix_options(verify_options *o, const char *in, const char *out)
{
    memset(o, 0, sizeof *o);
    o->input = in;
    o->output = out;
    o->var = o->out_var = "gpp";
    o->target_units = "kg m-2 s-1";
    cli_overrides_init(&o->models);
}

/* Whether some problem contains `text`. */
static inline int fix_has(const verify_problems *p, const char *text)
{
    for (int i = 0; i < p->n; i++)
        if (strstr(p->text[i], text))
            return 1;
    return 0;
}

#endif
