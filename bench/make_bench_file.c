/* Writes the benchmark input of issue 4: a TRENDY-shaped monthly gpp file,
 * 720 x 360 (0.5 degree), latitude north to south, longitude 0..360,
 * 'days since 1700-01-01' noleap, 'kgC m-2 s-1', fill -99999 over ocean.
 *   make_bench_file OUTPUT NTIME
 * Values are smooth seasonal fields plus deterministic noise, so deflate
 * sees data as compressible as a real model's, not a constant. */
#include <math.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>

#define NLAT 360
#define NLON 720
#define FILL -99999.0f

static int check(int rc, const char *what)
{
    if (rc != NC_NOERR)
        fprintf(stderr, "make_bench_file: %s: %s\n", what, nc_strerror(rc));
    return rc != NC_NOERR;
}

static int land(int y, int x)
{
    double lat = 89.75 - 0.5 * y, lon = 0.25 + 0.5 * x;
    return sin(lon * M_PI / 60.0) * cos(lat * M_PI / 70.0) + 0.3 * sin(lat * M_PI / 23.0) > 0.35 &&
           fabs(lat) < 82.0;
}

static void fill_step(float *v, size_t t, unsigned *seed)
{
    double season = sin(2.0 * M_PI * ((double)(t % 12) + 0.5) / 12.0);
    for (int y = 0; y < NLAT; y++)
        for (int x = 0; x < NLON; x++) {
            *seed = *seed * 1103515245u + 12345u;
            double noise = ((*seed >> 8) & 0xffff) / 65536.0 - 0.5;
            double lat = 89.75 - 0.5 * y;
            v[y * NLON + x] = land(y, x)
                ? (float)(1e-8 * (2.0 + cos(lat * M_PI / 180.0) * (1.0 + season * lat / 90.0)
                                  + 0.2 * noise))
                : FILL;
        }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: make_bench_file OUTPUT NTIME\n");
        return 2;
    }
    size_t nt = strtoul(argv[2], NULL, 10);
    int nc, dt, dy, dx, vt, vy, vx, vv;
    if (check(nc_create(argv[1], NC_CLOBBER | NC_64BIT_OFFSET, &nc), "create") ||
        check(nc_def_dim(nc, "time", NC_UNLIMITED, &dt), "dim") ||
        check(nc_def_dim(nc, "lat", NLAT, &dy), "dim") ||
        check(nc_def_dim(nc, "lon", NLON, &dx), "dim") ||
        check(nc_def_var(nc, "time", NC_DOUBLE, 1, &dt, &vt), "var") ||
        check(nc_def_var(nc, "lat", NC_FLOAT, 1, &dy, &vy), "var") ||
        check(nc_def_var(nc, "lon", NC_FLOAT, 1, &dx, &vx), "var") ||
        check(nc_def_var(nc, "gpp", NC_FLOAT, 3, (int[]){dt, dy, dx}, &vv), "var") ||
        check(nc_put_att_text(nc, vt, "units", 30, "days since 1700-01-01 00:00:00"), "att") ||
        check(nc_put_att_text(nc, vt, "calendar", 6, "noleap"), "att") ||
        check(nc_put_att_text(nc, vy, "units", 13, "degrees_north"), "att") ||
        check(nc_put_att_text(nc, vx, "units", 12, "degrees_east"), "att") ||
        check(nc_put_att_text(nc, vv, "units", 11, "kgC m-2 s-1"), "att") ||
        check(nc_put_att_float(nc, vv, "_FillValue", NC_FLOAT, 1, &(float){FILL}), "att") ||
        check(nc_enddef(nc), "enddef"))
        return 1;
    float lat[NLAT], lon[NLON];
    for (int i = 0; i < NLAT; i++)
        lat[i] = 89.75f - 0.5f * i;
    for (int i = 0; i < NLON; i++)
        lon[i] = 0.25f + 0.5f * i;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    float *v = malloc(sizeof(float) * NLAT * NLON);
    unsigned seed = 42;
    double start = 0;
    int rc = !v || check(nc_put_var_float(nc, vy, lat), "lat") || check(nc_put_var_float(nc, vx, lon), "lon");
    for (size_t t = 0; t < nt && !rc; t++) {
        double mid = start + mdays[t % 12] / 2.0;
        start += mdays[t % 12];
        fill_step(v, t, &seed);
        rc = check(nc_put_vara_double(nc, vt, (size_t[]){t}, (size_t[]){1}, &mid), "time") ||
             check(nc_put_vara_float(nc, vv, (size_t[]){t, 0, 0}, (size_t[]){1, NLAT, NLON}, v), "gpp");
    }
    free(v);
    return check(nc_close(nc), "close") || rc;
}
