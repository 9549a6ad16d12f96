/* Writing the CF output (see cfout.h). */
#include "cfout.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <netcdf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "t2i.h"

_Static_assert(sizeof(hid_t) == sizeof(int64_t), "cfout.h keeps HDF5 ids as int64_t");

/* Every netCDF call on the output goes through here: an output failure is a
 * system failure (disk full, permissions), hence T2I_ESYS. */
static int nc_out(int rc, const char *call, t2i_out *out, char *err, size_t errlen)
{
    if (rc == NC_NOERR)
        return T2I_OK;
    out->broken = 1;
    return t2i_fail(T2I_ESYS, err, errlen, "%s on '%s': %s", call, out->tmp,
                    nc_strerror(rc));
}

/* The same for a failed HDF5 call, whose only reason is the errno it leaves
 * from the failed system call (EFBIG, ENOSPC): callers clear errno first. */
static int h5_fail(const char *call, const t2i_out *out, char *err, size_t errlen)
{
    int e = errno;
    return t2i_fail(T2I_ESYS, err, errlen, "%s on '%s': HDF5 error%s%s", call, out->tmp,
                    e ? ": " : "", e ? strerror(e) : "");
}

static int put_text(int ncid, int varid, const char *name, const char *value)
{
    if (!value || !value[0])
        return NC_NOERR;
    return nc_put_att_text(ncid, varid, name, strlen(value), value);
}

/* Defines one coordinate with its bounds and CF attributes. */
static int def_coord(int ncid, const char *name, int dim, int bdim, const char *units,
                     const char *sname, const char *axis, int *varid, int *bvarid)
{
    char bname[NC_MAX_NAME + 1];
    snprintf(bname, sizeof bname, "%s_bnds", name);
    int dims[2] = {dim, bdim}, rc;
    if ((rc = nc_def_var(ncid, name, NC_DOUBLE, 1, &dim, varid)) ||
        (rc = nc_def_var(ncid, bname, NC_DOUBLE, 2, dims, bvarid)) ||
        (rc = put_text(ncid, *varid, "bounds", bname)) ||
        (rc = put_text(ncid, *varid, "units", units)) ||
        (rc = put_text(ncid, *varid, "standard_name", sname)) ||
        (rc = put_text(ncid, *varid, "long_name", sname)) ||
        (rc = put_text(ncid, *varid, "axis", axis)))
        return rc;
    return NC_NOERR;
}

static int def_globals(int ncid, const t2i_out_meta *m)
{
    char title[512];
    snprintf(title, sizeof title, "TRENDY %s %s %s, converted for ILAMB", m->model ? m->model : "",
             m->simulation ? m->simulation : "", m->var);
    int rc;
    if ((rc = put_text(ncid, NC_GLOBAL, "Conventions", "CF-1.8")) ||
        (rc = put_text(ncid, NC_GLOBAL, "title", title)) ||
        (rc = put_text(ncid, NC_GLOBAL, "source", m->model)) ||
        (rc = put_text(ncid, NC_GLOBAL, "source_id", m->model)) ||
        (rc = put_text(ncid, NC_GLOBAL, "experiment_id", m->simulation)) ||
        /* CMIP6 globals a catalogue reads without opening the data
         * (ilamb_setup.py takes the ilamb3 model database from them). */
        (rc = put_text(ncid, NC_GLOBAL, "variable_id", m->var)) ||
        (rc = put_text(ncid, NC_GLOBAL, "frequency", m->frequency)) ||
        (rc = put_text(ncid, NC_GLOBAL, "source_file", m->source_file)) ||
        (rc = put_text(ncid, NC_GLOBAL, "history", m->command_line)) ||
        (rc = put_text(ncid, NC_GLOBAL, "units_conversion", m->conversion)) ||
        (rc = put_text(ncid, NC_GLOBAL, "trendy2ilamb_quirks", m->quirks)) ||
        (rc = put_text(ncid, NC_GLOBAL, "trendy2ilamb_warnings", m->warnings)))
        return rc;
    return NC_NOERR;
}

typedef struct {
    int time, time_bnds, lat, lat_bnds, lon, lon_bnds, depth, depth_bnds, data;
} out_ids;

/* The depth axis of layered variables (tsl, mrsol): metres, positive down,
 * with bounds, as ILAMB and ilamb3 read a layered variable. */
static int def_depth(int ncid, int db, size_t n, int *dz, out_ids *ids)
{
    int rc;
    if ((rc = nc_def_dim(ncid, "depth", n, dz)) ||
        (rc = def_coord(ncid, "depth", *dz, db, "m", "depth", "Z", &ids->depth,
                        &ids->depth_bnds)) ||
        (rc = put_text(ncid, ids->depth, "positive", "down")))
        return rc;
    return NC_NOERR;
}

/* dims: time, [depth,] lat, lon. A chunk is one whole time step, every
 * layer of it: the streaming writes nothing smaller. */
static int def_data(int ncid, const int *dims, const t2i_out_meta *m, size_t nlat,
                    size_t nlon, int *varid)
{
    float fill = T2I_FILL;
    int nd = m->ndepth ? 4 : 3;
    size_t chunks[4] = {1, nlat, nlon, 0};
    if (m->ndepth) {
        chunks[1] = m->ndepth;
        chunks[2] = nlat;
        chunks[3] = nlon;
    }
    int rc;
    if ((rc = nc_def_var(ncid, m->var, NC_FLOAT, nd, dims, varid)) ||
        (rc = nc_def_var_chunking(ncid, *varid, NC_CHUNKED, chunks)) ||
        (m->deflate > 0 && (rc = nc_def_var_deflate(ncid, *varid, 1, 1, m->deflate))) ||
        (rc = nc_def_var_fill(ncid, *varid, 0, &fill)) ||
        (rc = nc_put_att_float(ncid, *varid, "missing_value", NC_FLOAT, 1, &fill)) ||
        (rc = put_text(ncid, *varid, "units", m->units)) ||
        (rc = put_text(ncid, *varid, "standard_name", m->standard_name)) ||
        (rc = put_text(ncid, *varid, "long_name", m->long_name)) ||
        (rc = put_text(ncid, *varid, "cell_methods", m->cell_methods)) ||
        (rc = put_text(ncid, *varid, "cell_measures", m->cell_measures)))
        return rc;
    return NC_NOERR;
}

static int define_header(int ncid, const t2i_out_meta *m, size_t ntime, size_t nlat,
                         size_t nlon, out_ids *ids)
{
    int dt, dy, dx, db, rc;
    const char *cal = time_calendar_name(m->calendar);
    if ((rc = nc_def_dim(ncid, "time", ntime, &dt)) || (rc = nc_def_dim(ncid, "lat", nlat, &dy)) ||
        (rc = nc_def_dim(ncid, "lon", nlon, &dx)) ||
        (rc = nc_def_dim(ncid, CFOUT_BOUNDS_DIM, 2, &db)) ||
        (rc = def_coord(ncid, "time", dt, db, CFOUT_TIME_UNITS, "time", "T", &ids->time,
                        &ids->time_bnds)) ||
        (rc = put_text(ncid, ids->time, "calendar", cal)) ||
        (rc = def_coord(ncid, "lat", dy, db, "degrees_north", "latitude", "Y", &ids->lat,
                        &ids->lat_bnds)) ||
        (rc = def_coord(ncid, "lon", dx, db, "degrees_east", "longitude", "X", &ids->lon,
                        &ids->lon_bnds)))
        return rc;
    int dims[4] = {dt, dy, dx, -1}, dz;
    if (m->ndepth) {
        if ((rc = def_depth(ncid, db, m->ndepth, &dz, ids)))
            return rc;
        dims[1] = dz;
        dims[2] = dy;
        dims[3] = dx;
    }
    if ((rc = def_data(ncid, dims, m, nlat, nlon, &ids->data)) || (rc = def_globals(ncid, m)))
        return rc;
    return nc_enddef(ncid);
}

static int write_coords(int ncid, const out_ids *ids, const t2i_axis *lat, const t2i_axis *lon,
                        const t2i_time_axis *time, const t2i_out_meta *m)
{
    int rc;
    if (m->ndepth && ((rc = nc_put_var_double(ncid, ids->depth, m->depth)) ||
                      (rc = nc_put_var_double(ncid, ids->depth_bnds, m->depth_bnds))))
        return rc;
    if ((rc = nc_put_var_double(ncid, ids->time, time->mid)) ||
        (rc = nc_put_var_double(ncid, ids->time_bnds, time->bnds)) ||
        (rc = nc_put_var_double(ncid, ids->lat, lat->value)) ||
        (rc = nc_put_var_double(ncid, ids->lat_bnds, lat->bnds)) ||
        (rc = nc_put_var_double(ncid, ids->lon, lon->value)) ||
        (rc = nc_put_var_double(ncid, ids->lon_bnds, lon->bnds)))
        return rc;
    return NC_NOERR;
}

/* netCDF-4 reports any failure to create the HDF5 file as "Permission
 * denied", a missing directory included: create the file once ourselves
 * (exclusively, never through a symlink) so the message gives the system's
 * own reason, then leave the name to nc_create. */
static int probe_create(const char *tmp, char *err, size_t errlen)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
    if (fd < 0)
        return t2i_fail(T2I_ESYS, err, errlen, "cannot create '%s': %s", tmp, strerror(errno));
    close(fd);
    unlink(tmp);
    return T2I_OK;
}

/* Values of one time step, the chunk: every layer of it with a depth axis. */
static size_t step_values(const t2i_out *out)
{
    return (out->ndepth ? out->ndepth : 1) * out->nlat * out->nlon;
}

/* Reopens the closed netCDF file with HDF5 for the direct chunk writes.
 * netCDF-C has no public way to lend its HDF5 ids, and once it has closed
 * the file every dimension, variable and attribute is final: the data
 * variable's dataset (named as the variable, full length in time, no chunk
 * allocated yet under NC_NOFILL) only receives chunks. */
static int open_data(t2i_out *out, const t2i_out_meta *m, char *err, size_t errlen)
{
    /* netCDF-C already silences HDF5's error printing; never rely on it. */
    errno = 0;
    if (H5Eset_auto2(H5E_DEFAULT, NULL, NULL) < 0)
        return h5_fail("H5Eset_auto2", out, err, errlen);
    errno = 0;
    hid_t f = H5Fopen(out->tmp, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0)
        return h5_fail("H5Fopen", out, err, errlen);
    out->h5file = f;
    errno = 0;
    hid_t d = H5Dopen2(f, m->var, H5P_DEFAULT);
    if (d < 0)
        return h5_fail("H5Dopen2", out, err, errlen);
    out->h5data = d;
    return chunk_pool_open(&out->pool, m->threads > 0 ? m->threads : 1, m->deflate,
                           step_values(out) * sizeof(float), err, errlen);
}

/* netCDF-C's part: create, define everything, write the coordinates, close. */
static int write_header(t2i_out *out, const t2i_out_meta *meta, const t2i_axis *lat,
                        const t2i_axis *lon, const t2i_time_axis *time, char *err,
                        size_t errlen)
{
    int rc = nc_create(out->tmp, NC_NETCDF4 | NC_CLASSIC_MODEL | NC_NOCLOBBER, &out->ncid);
    if (rc != NC_NOERR) {
        out->ncid = -1;
        int st = t2i_fail(T2I_ESYS, err, errlen, "cannot create '%s': %s", out->tmp,
                          rc == NC_EEXIST ? "file exists" : nc_strerror(rc));
        if (rc != NC_EEXIST)
            unlink(out->tmp);
        out->tmp[0] = '\0';
        return st;
    }
    out_ids ids;
    rc = nc_set_fill(out->ncid, NC_NOFILL, &(int){0});
    if (!rc)
        rc = define_header(out->ncid, meta, time->n, lat->n, lon->n, &ids);
    if (!rc)
        rc = write_coords(out->ncid, &ids, lat, lon, time, meta);
    out->varid = ids.data;
    if (rc)
        return nc_out(rc, "defining the header", out, err, errlen);
    rc = nc_close(out->ncid);
    out->ncid = -1;
    return nc_out(rc, "nc_close", out, err, errlen);
}

int cfout_create(t2i_out *out, const char *path, const t2i_out_meta *meta, const t2i_axis *lat,
                 const t2i_axis *lon, const t2i_time_axis *time, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->ncid = -1;
    out->nlat = lat->n;
    out->nlon = lon->n;
    out->ndepth = meta->ndepth;
    out->ntime = time->n;
    if (snprintf(out->path, sizeof out->path, "%s", path) >= (int)sizeof out->path ||
        tmppath_begin(out->tmp, sizeof out->tmp, path, err, errlen) != T2I_OK) {
        out->tmp[0] = '\0';
        return t2i_fail(T2I_EUSAGE, err, errlen, "output path is too long");
    }
    if (probe_create(out->tmp, err, errlen) != T2I_OK) {
        out->tmp[0] = '\0';
        return T2I_ESYS;
    }
    int st = write_header(out, meta, lat, lon, time, err, errlen);
    if (st == T2I_OK)
        st = open_data(out, meta, err, errlen);
    if (st != T2I_OK)
        cfout_abort(out);
    return st;
}

/* Writes the oldest chunk the pool holds: every HDF5 call stays on the
 * caller's thread, and chunks reach the file in time order whatever the
 * number of threads, so the file is the same. */
static int write_oldest(t2i_out *out, char *err, size_t errlen)
{
    const void *chunk;
    size_t len;
    unsigned mask;
    int st = chunk_pool_take(out->pool, &chunk, &len, &mask, err, errlen);
    if (st != T2I_OK)
        return st;
    hsize_t offset[4] = {out->written++, 0, 0, 0}; /* time, [depth,] lat, lon */
    errno = 0;
    if (H5Dwrite_chunk(out->h5data, H5P_DEFAULT, mask, offset, len, chunk) < 0) {
        out->broken = 1;
        return h5_fail("H5Dwrite_chunk", out, err, errlen);
    }
    return T2I_OK;
}

int cfout_write(t2i_out *out, size_t t0, size_t k, const float *data, char *err, size_t errlen)
{
    if (t0 != out->queued || k > out->ntime - t0)
        return t2i_fail(T2I_ESYS, err, errlen, "steps %zu to %zu of '%s' are not the next of "
                        "its %zu", t0, t0 + k, out->tmp, out->ntime);
    size_t step = step_values(out);
    for (size_t i = 0; i < k; i++) {
        int st = T2I_OK;
        if (chunk_pool_pending(out->pool) == chunk_pool_slots(out->pool))
            st = write_oldest(out, err, errlen);
        if (st == T2I_OK)
            st = chunk_pool_put(out->pool, data + i * step, err, errlen);
        if (st != T2I_OK)
            return st;
        out->queued++;
    }
    return T2I_OK;
}

static int close_data(t2i_out *out, char *err, size_t errlen)
{
    while (chunk_pool_pending(out->pool) > 0) {
        int st = write_oldest(out, err, errlen);
        if (st != T2I_OK)
            return st;
    }
    chunk_pool_close(out->pool);
    out->pool = NULL;
    errno = 0;
    herr_t rc = H5Dclose(out->h5data);
    out->h5data = 0;
    if (rc < 0) {
        out->broken = 1;
        return h5_fail("H5Dclose", out, err, errlen);
    }
    errno = 0;
    rc = H5Fclose(out->h5file);
    out->h5file = 0;
    if (rc < 0) {
        out->broken = 1;
        return h5_fail("H5Fclose", out, err, errlen);
    }
    return T2I_OK;
}

int cfout_finish(t2i_out *out, char *err, size_t errlen)
{
    int st = close_data(out, err, errlen);
    if (st != T2I_OK) {
        cfout_abort(out);
        return st;
    }
    return T2I_OK;
}

int cfout_commit(t2i_out *out, char *err, size_t errlen)
{
    int st = out->h5file > 0 ? cfout_finish(out, err, errlen) : T2I_OK;
    if (st != T2I_OK)
        return st;
    if ((st = tmppath_commit(out->tmp, out->path, err, errlen)) != T2I_OK) {
        out->tmp[0] = '\0';
        cfout_abort(out);
        return st;
    }
    out->tmp[0] = '\0';
    return T2I_OK;
}

void cfout_abort(t2i_out *out)
{
    /* The name goes first: nothing below may leave the file behind. */
    if (out->tmp[0])
        unlink(out->tmp);
    out->tmp[0] = '\0';
    /* HDF5 1.10 crashes closing a file a write to it failed on (netCDF's
     * report of open objects reads a null root group; seen with ulimit -f):
     * such a file is left open for the process's _exit (see main.c). The
     * name is gone, so a failed close has nothing left to report. */
    if (!out->broken) {
        if (out->ncid >= 0)
            (void)nc_abort(out->ncid);
        if (out->h5data > 0)
            (void)H5Dclose(out->h5data);
        if (out->h5file > 0)
            (void)H5Fclose(out->h5file);
    }
    out->ncid = -1;
    out->h5data = out->h5file = 0;
    chunk_pool_close(out->pool);
    out->pool = NULL;
}
