/* Writing a fixed field (see cffixed.h). */
#include "cffixed.h"

#include <errno.h>
#include <netcdf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cfout.h"
#include "t2i.h"
#include "tmppath.h"

static int put_text(int ncid, int varid, const char *name, const char *value)
{
    if (!value || !value[0])
        return NC_NOERR;
    return nc_put_att_text(ncid, varid, name, strlen(value), value);
}

/* One coordinate and its bounds, with the attributes cfout.c gives them. */
static int def_coord(int ncid, const char *name, int dim, int bdim, const char *units,
                     const char *sname, const char *axis, int ids[2])
{
    char bname[NC_MAX_NAME + 1];
    snprintf(bname, sizeof bname, "%s_bnds", name);
    int dims[2] = {dim, bdim}, rc;
    if ((rc = nc_def_var(ncid, name, NC_DOUBLE, 1, &dim, &ids[0])) ||
        (rc = nc_def_var(ncid, bname, NC_DOUBLE, 2, dims, &ids[1])) ||
        (rc = put_text(ncid, ids[0], "bounds", bname)) ||
        (rc = put_text(ncid, ids[0], "units", units)) ||
        (rc = put_text(ncid, ids[0], "standard_name", sname)) ||
        (rc = put_text(ncid, ids[0], "long_name", sname)) ||
        (rc = put_text(ncid, ids[0], "axis", axis)))
        return rc;
    return NC_NOERR;
}

static int def_all(int ncid, const t2i_fixed_meta *m, size_t nlat, size_t nlon, int lat[2],
                   int lon[2], int *data)
{
    int dy, dx, db, rc;
    float fill = T2I_FILL;
    if ((rc = nc_def_dim(ncid, "lat", nlat, &dy)) || (rc = nc_def_dim(ncid, "lon", nlon, &dx)) ||
        (rc = nc_def_dim(ncid, CFOUT_BOUNDS_DIM, 2, &db)) ||
        (rc = def_coord(ncid, "lat", dy, db, "degrees_north", "latitude", "Y", lat)) ||
        (rc = def_coord(ncid, "lon", dx, db, "degrees_east", "longitude", "X", lon)) ||
        (rc = nc_def_var(ncid, m->var, NC_FLOAT, 2, (int[2]){dy, dx}, data)) ||
        (rc = nc_def_var_deflate(ncid, *data, 1, 1, 1)) ||
        (rc = nc_def_var_fill(ncid, *data, 0, &fill)) ||
        (rc = nc_put_att_float(ncid, *data, "missing_value", NC_FLOAT, 1, &fill)) ||
        (rc = put_text(ncid, *data, "units", m->units)) ||
        (rc = put_text(ncid, *data, "standard_name", m->standard_name)) ||
        (rc = put_text(ncid, *data, "long_name", m->long_name)) ||
        (rc = put_text(ncid, *data, "cell_methods", m->cell_methods)) ||
        (rc = put_text(ncid, NC_GLOBAL, "Conventions", "CF-1.8")) ||
        (rc = put_text(ncid, NC_GLOBAL, "frequency", "fx")) ||
        (rc = put_text(ncid, NC_GLOBAL, "source_id", m->model)) ||
        (rc = put_text(ncid, NC_GLOBAL, "source_file", m->source_file)) ||
        (rc = put_text(ncid, NC_GLOBAL, "history", m->history)))
        return rc;
    return nc_enddef(ncid);
}

static int fill_file(int ncid, const t2i_fixed_meta *m, const t2i_axis *lat, const t2i_axis *lon,
                     const float *values)
{
    int ilat[2], ilon[2], data, rc;
    if ((rc = def_all(ncid, m, lat->n, lon->n, ilat, ilon, &data)) ||
        (rc = nc_put_var_double(ncid, ilat[0], lat->value)) ||
        (rc = nc_put_var_double(ncid, ilat[1], lat->bnds)) ||
        (rc = nc_put_var_double(ncid, ilon[0], lon->value)) ||
        (rc = nc_put_var_double(ncid, ilon[1], lon->bnds)) ||
        (rc = nc_put_var_float(ncid, data, values)))
        return rc;
    return NC_NOERR;
}

/* 1 when files a and b hold the same bytes (b may be absent). */
static int same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = getc(fa), cb = getc(fb);
        same = ca == cb;
        if (ca == EOF || cb == EOF)
            break;
    }
    same = same && !ferror(fa) && !ferror(fb);
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

int cffixed_write(const char *path, const t2i_fixed_meta *meta, const t2i_axis *lat,
                  const t2i_axis *lon, const float *values, char *err, size_t errlen)
{
    char tmp[CFOUT_PATH_MAX + TMPPATH_EXTRA];
    if (tmppath_begin(tmp, sizeof tmp, path, err, errlen) != T2I_OK)
        return T2I_EUSAGE;
    int ncid, rc = nc_create(tmp, NC_NETCDF4 | NC_CLASSIC_MODEL | NC_NOCLOBBER, &ncid);
    if (rc != NC_NOERR)
        return t2i_fail(T2I_ESYS, err, errlen, "cannot create '%s': %s", tmp, nc_strerror(rc));
    rc = fill_file(ncid, meta, lat, lon, values);
    int rc2 = nc_close(ncid);
    if (rc == NC_NOERR)
        rc = rc2;
    if (rc != NC_NOERR) {
        unlink(tmp);
        return t2i_fail(T2I_ESYS, err, errlen, "writing '%s': %s", tmp, nc_strerror(rc));
    }
    /* An unchanged field keeps its file and time: the area edge has
     * restat, so its checks and the ILAMB setup are not redone. */
    if (same_bytes(tmp, path)) {
        unlink(tmp);
        return T2I_OK;
    }
    return tmppath_commit(tmp, path, err, errlen);
}
