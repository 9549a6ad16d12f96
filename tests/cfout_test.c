/* Tests of src/cfout.c: a file written through create, write and commit is
 * read back with netCDF-C and must have exactly the structure ILAMB needs
 * (doc/quirks.md section I); abort and every failure leave neither the
 * final file nor the .tmp; a stale or planted .tmp is replaced, never
 * followed; two identical runs give byte-identical files. The data chunks
 * cfout stores itself (chunk.c, H5Dwrite_chunk) are checked with HDF5: the
 * filters netCDF-C declared are shuffle then deflate (the order the filter
 * mask assumes), a compressible step is stored deflated and one that does
 * not shrink is stored shuffled only, and netCDF-C reads both back. */
#include "cfout.h"

#include <hdf5.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "t2i.h"

/* Room for the temporary directory's name and for a path in it, in bytes. */
#define DIR_LEN 64
#define PATH_LEN 128

/* A hand-made 2-month x 2-row x 3-column grid. */
#define NT 2
#define NY 2
#define NX 3
#define DEFLATE_LEVEL 4

/* Longest attribute text read back, in bytes. */
#define ATT_LEN 256

typedef struct {
    char dir[DIR_LEN];
} scratch;

static const char *in_dir(const scratch *s, const char *name, char *path)
{
    snprintf(path, PATH_LEN, "%s/%s", s->dir, name);
    return path;
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* The fixture: rows at -45 and 45 (cells -90..0..90), columns at -120, 0,
 * 120 (cells 120 degrees wide from -180), January and February of a
 * noleap year counted from 1850-01-01: [0, 31) and [31, 59), midpoints
 * 15.5 and 45. */
static double LAT[NY] = {-45, 45}, LAT_B[2 * NY] = {-90, 0, 0, 90};
static double LON[NX] = {-120, 0, 120}, LON_B[2 * NX] = {-180, -60, -60, 60, 60, 180};
static size_t FROM[NX] = {0, 1, 2};
static double MID[NT] = {15.5, 45}, TBND[2 * NT] = {0, 31, 31, 59};
static int YEAR[NT] = {1850, 1850}, MONTH[NT] = {1, 2};

/* Data [time][lat][lon], one missing cell. */
static const float DATA[NT * NY * NX] = {1, 2, 3, 4, T2I_FILL, 6, 7, 8, 9, 10, 11, 12};

typedef struct {
    t2i_axis lat, lon;
    t2i_time_axis time;
    t2i_out_meta meta;
} fixture;

static fixture make_fixture(void)
{
    fixture f;
    memset(&f, 0, sizeof f);
    f.lat = (t2i_axis){.n = NY, .value = LAT, .bnds = LAT_B, .from = FROM};
    f.lon = (t2i_axis){.n = NX, .value = LON, .bnds = LON_B, .from = FROM};
    f.time = (t2i_time_axis){.n = NT, .freq = T2I_FREQ_MONTH, .mid = MID, .bnds = TBND,
                             .year = YEAR, .month = MONTH};
    f.meta = (t2i_out_meta){
        .var = "gpp",
        .units = "kg m-2 s-1",
        .standard_name = "gross_primary_productivity_of_biomass_expressed_as_carbon",
        .long_name = "Carbon Mass Flux out of Atmosphere Due to Gross Primary Production on Land",
        .cell_methods = "area: mean where land time: mean",
        .calendar = T2I_CAL_NOLEAP,
        .deflate = DEFLATE_LEVEL,
        .source_file = "in/M_S3_gpp.nc",
        .model = "M",
        .simulation = "S3",
        .command_line = "trendy2ilamb in/M_S3_gpp.nc out/gpp.nc",
        .conversion = "kg m-2 s-1 -> kg m-2 s-1 (x 1)",
        .quirks = "latitude north to south (flipped)",
        .warnings = "",
        .frequency = "mon",
    };
    return f;
}

/* Create, write both steps in one call, commit. */
static int write_whole(const char *path, const fixture *f, char *err)
{
    t2i_out out;
    int st = cfout_create(&out, path, &f->meta, &f->lat, &f->lon, &f->time, err, T2I_ERRLEN);
    if (st == T2I_OK)
        st = cfout_write(&out, 0, NT, DATA, err, T2I_ERRLEN);
    if (st == T2I_OK)
        st = cfout_commit(&out, err, T2I_ERRLEN);
    else
        cfout_abort(&out);
    return st;
}

/* ---------------------------------------------------- read-back helpers */

static const char *att_text(int ncid, int varid, const char *name, char *buf)
{
    size_t len;
    nc_type type;
    if (nc_inq_att(ncid, varid, name, &type, &len) != NC_NOERR || type != NC_CHAR ||
        len >= ATT_LEN)
        return "(absent)";
    nc_get_att_text(ncid, varid, name, buf);
    buf[len] = '\0';
    return buf;
}

/* The names of a variable's dimensions, joined by ","; "" if absent. */
static const char *dim_names(int ncid, const char *var, char *buf)
{
    int varid, nd, dims[NC_MAX_VAR_DIMS];
    char name[NC_MAX_NAME + 1];
    buf[0] = '\0';
    if (nc_inq_varid(ncid, var, &varid) || nc_inq_var(ncid, varid, NULL, NULL, &nd, dims, NULL))
        return buf;
    for (int i = 0; i < nd; i++) {
        nc_inq_dimname(ncid, dims[i], name);
        strcat(buf, i ? "," : "");
        strcat(buf, name);
    }
    return buf;
}

static int var_doubles(int ncid, const char *var, const double *want, size_t n)
{
    int varid;
    double got[2 * NX];
    if (n > 2 * NX || nc_inq_varid(ncid, var, &varid) || nc_get_var_double(ncid, varid, got))
        return 0;
    return memcmp(got, want, n * sizeof *got) == 0;
}

static void check_dims(t2i_tally *t, int ncid)
{
    char buf[ATT_LEN];
    CHECK_STR(t, dim_names(ncid, "gpp", buf), "time,lat,lon",
              "the data variable's dimensions are (time, lat, lon) in that order");
    size_t nt = 0, ny = 0, nx = 0, nb = 0;
    int d;
    if (!nc_inq_dimid(ncid, "time", &d))
        nc_inq_dimlen(ncid, d, &nt);
    if (!nc_inq_dimid(ncid, "lat", &d))
        nc_inq_dimlen(ncid, d, &ny);
    if (!nc_inq_dimid(ncid, "lon", &d))
        nc_inq_dimlen(ncid, d, &nx);
    if (!nc_inq_dimid(ncid, "bnds", &d))
        nc_inq_dimlen(ncid, d, &nb);
    CHECK(t, nt == NT && ny == NY && nx == NX && nb == 2,
          "dimensions time, lat, lon and bnds have lengths 2, 2, 3 and 2");
    int ndims = 0, nvars = 0;
    nc_inq(ncid, &ndims, &nvars, NULL, NULL);
    CHECK(t, ndims == 4 && nvars == 7,
          "the file holds exactly 4 dimensions and 7 variables (3 axes, 3 bounds, data)");
    CHECK_STR(t, dim_names(ncid, "lat_bnds", buf), "lat,bnds", "lat_bnds is shaped (lat, bnds)");
    CHECK_STR(t, dim_names(ncid, "lon_bnds", buf), "lon,bnds", "lon_bnds is shaped (lon, bnds)");
    CHECK_STR(t, dim_names(ncid, "time_bnds", buf), "time,bnds",
              "time_bnds is shaped (time, bnds)");
}

static void check_coords(t2i_tally *t, int ncid)
{
    CHECK(t, var_doubles(ncid, "lat", LAT, NY) && var_doubles(ncid, "lat_bnds", LAT_B, 2 * NY),
          "latitudes and their (lower, upper) bounds are written as given");
    CHECK(t, var_doubles(ncid, "lon", LON, NX) && var_doubles(ncid, "lon_bnds", LON_B, 2 * NX),
          "longitudes and their (lower, upper) bounds are written as given");
    CHECK(t, var_doubles(ncid, "time", MID, NT) && var_doubles(ncid, "time_bnds", TBND, 2 * NT),
          "time midpoints and bounds are written as given");
    int v;
    char buf[ATT_LEN];
    nc_inq_varid(ncid, "time", &v);
    CHECK_STR(t, att_text(ncid, v, "units", buf), "days since 1850-01-01 00:00:00",
              "time is in days since 1850-01-01 00:00:00");
    CHECK_STR(t, att_text(ncid, v, "calendar", buf), "noleap", "time carries its calendar");
    CHECK_STR(t, att_text(ncid, v, "bounds", buf), "time_bnds", "time names its bounds");
    CHECK_STR(t, att_text(ncid, v, "axis", buf), "T", "time is axis T");
    nc_inq_varid(ncid, "lat", &v);
    CHECK_STR(t, att_text(ncid, v, "units", buf), "degrees_north", "lat is in degrees_north");
    CHECK_STR(t, att_text(ncid, v, "bounds", buf), "lat_bnds", "lat names lat_bnds");
    CHECK_STR(t, att_text(ncid, v, "standard_name", buf), "latitude",
              "lat has standard_name latitude");
    CHECK_STR(t, att_text(ncid, v, "axis", buf), "Y", "lat is axis Y");
    nc_inq_varid(ncid, "lon", &v);
    CHECK_STR(t, att_text(ncid, v, "units", buf), "degrees_east", "lon is in degrees_east");
    CHECK_STR(t, att_text(ncid, v, "bounds", buf), "lon_bnds", "lon names lon_bnds");
    CHECK_STR(t, att_text(ncid, v, "axis", buf), "X", "lon is axis X");
    nc_type type = NC_NAT;
    nc_inq_varid(ncid, "lat_bnds", &v);
    nc_inq_vartype(ncid, v, &type);
    CHECK(t, type == NC_DOUBLE, "bounds are stored as double");
}

static void check_data_var(t2i_tally *t, int ncid, int deflate)
{
    int v = -1;
    char buf[ATT_LEN];
    nc_inq_varid(ncid, "gpp", &v);
    nc_type type = NC_NAT;
    nc_inq_vartype(ncid, v, &type);
    CHECK(t, type == NC_FLOAT, "the data variable is float32");
    int no_fill = -1;
    float fill = 0, missing = 0;
    nc_inq_var_fill(ncid, v, &no_fill, &fill);
    CHECK(t, fill == 1.0e20f, "_FillValue is 1e20 (float)");
    nc_type mtype = NC_NAT;
    size_t mlen = 0;
    nc_inq_att(ncid, v, "missing_value", &mtype, &mlen);
    nc_get_att_float(ncid, v, "missing_value", &missing);
    CHECK(t, mtype == NC_FLOAT && mlen == 1 && missing == 1.0e20f,
          "missing_value is one float 1e20");
    CHECK_STR(t, att_text(ncid, v, "units", buf), "kg m-2 s-1", "the data carries its units");
    CHECK_STR(t, att_text(ncid, v, "cell_methods", buf), "area: mean where land time: mean",
              "the data carries its cell_methods");
    CHECK_STR(t, att_text(ncid, v, "standard_name", buf),
              "gross_primary_productivity_of_biomass_expressed_as_carbon",
              "the data carries its standard_name");
    int storage = -1;
    size_t chunks[3] = {0, 0, 0};
    nc_inq_var_chunking(ncid, v, &storage, chunks);
    CHECK(t, storage == NC_CHUNKED && chunks[0] == 1 && chunks[1] == NY && chunks[2] == NX,
          "the data is chunked one whole time step per chunk (1, nlat, nlon)");
    int shuffle = -1, deflated = -1, level = -1;
    nc_inq_var_deflate(ncid, v, &shuffle, &deflated, &level);
    if (deflate)
        CHECK(t, shuffle == 1 && deflated == 1 && level == deflate,
              "the data is deflated at the level asked, with shuffle");
    else
        CHECK(t, shuffle == 0 && deflated == 0, "deflate 0 writes neither deflate nor shuffle");
    float got[NT * NY * NX];
    int rc = nc_get_var_float(ncid, v, got);
    CHECK(t, rc == NC_NOERR && memcmp(got, DATA, sizeof got) == 0,
          "the data reads back exactly, missing cell included");
}

static void check_globals(t2i_tally *t, int ncid)
{
    char buf[ATT_LEN];
    CHECK_STR(t, att_text(ncid, NC_GLOBAL, "Conventions", buf), "CF-1.8",
              "the file declares CF-1.8");
    CHECK_STR(t, att_text(ncid, NC_GLOBAL, "title", buf), "TRENDY M S3 gpp, converted for ILAMB",
              "the title names model, simulation and variable");
    CHECK_STR(t, att_text(ncid, NC_GLOBAL, "source_id", buf), "M", "source_id is the model");
    CHECK_STR(t, att_text(ncid, NC_GLOBAL, "experiment_id", buf), "S3",
              "experiment_id is the simulation");
    CHECK_STR(t, att_text(ncid, NC_GLOBAL, "variable_id", buf), "gpp",
              "variable_id is the output variable (ilamb_setup.py reads it)");
    CHECK_STR(t, att_text(ncid, NC_GLOBAL, "frequency", buf), "mon",
              "frequency is CMIP6's mon or yr (ilamb_setup.py reads it)");
    CHECK_STR(t, att_text(ncid, NC_GLOBAL, "history", buf),
              "trendy2ilamb in/M_S3_gpp.nc out/gpp.nc", "history is the command line");
    CHECK_STR(t, att_text(ncid, NC_GLOBAL, "trendy2ilamb_quirks", buf),
              "latitude north to south (flipped)", "the quirks are recorded");
    CHECK_STR(t, att_text(ncid, NC_GLOBAL, "trendy2ilamb_warnings", buf), "(absent)",
              "an empty warnings list writes no attribute");
}

static void test_structure(t2i_tally *t, const scratch *s)
{
    char path[PATH_LEN], tmp[PATH_LEN], err[T2I_ERRLEN] = "";
    in_dir(s, "gpp.nc", path);
    in_dir(s, "gpp.nc.tmp", tmp);
    add_pid(tmp, sizeof tmp);
    fixture f = make_fixture();
    t2i_out out;
    int st = cfout_create(&out, path, &f.meta, &f.lat, &f.lon, &f.time, err, sizeof err);
    CHECK(t, st == T2I_OK, "creating an output file succeeds");
    if (st != T2I_OK) {
        printf("     %s\n", err);
        return;
    }
    CHECK(t, exists(tmp) && !exists(path), "while written, the file exists only as .tmp");
    st = cfout_write(&out, 0, 1, DATA, err, sizeof err);
    if (st == T2I_OK)
        st = cfout_write(&out, 1, 1, DATA + NY * NX, err, sizeof err);
    CHECK(t, st == T2I_OK, "the data is written one time step at a time");
    st = cfout_commit(&out, err, sizeof err);
    CHECK(t, st == T2I_OK && exists(path) && !exists(tmp),
          "commit renames the .tmp to the final name");
    int ncid, format = -1;
    if (nc_open(path, NC_NOWRITE, &ncid) != NC_NOERR) {
        CHECK(t, 0, "the committed file opens with netCDF-C");
        return;
    }
    nc_inq_format(ncid, &format);
    CHECK(t, format == NC_FORMAT_NETCDF4_CLASSIC, "the output is netCDF-4 classic model");
    check_dims(t, ncid);
    check_coords(t, ncid);
    check_data_var(t, ncid, DEFLATE_LEVEL);
    check_globals(t, ncid);
    nc_close(ncid);
    unlink(path);
}

static void test_no_deflate(t2i_tally *t, const scratch *s)
{
    char path[PATH_LEN], err[T2I_ERRLEN] = "";
    in_dir(s, "plain.nc", path);
    fixture f = make_fixture();
    f.meta.deflate = 0;
    int st = write_whole(path, &f, err);
    int ncid;
    if (st != T2I_OK || nc_open(path, NC_NOWRITE, &ncid) != NC_NOERR) {
        CHECK(t, 0, "an uncompressed output is written and opens");
        return;
    }
    check_data_var(t, ncid, 0);
    nc_close(ncid);
    unlink(path);
}

/* A 2-step, 64 x 128 grid of a smooth field: compressible, unlike the
 * 2 x 3 fixture whose 24-byte steps cannot shrink. */
#define BIG_NY 64
#define BIG_NX 128

typedef struct {
    double lat[BIG_NY], lat_b[2 * BIG_NY], lon[BIG_NX], lon_b[2 * BIG_NX];
    size_t from[BIG_NX];
    float data[NT * BIG_NY * BIG_NX];
} big_grid;

static void make_big(big_grid *g, fixture *f)
{
    for (size_t y = 0; y < BIG_NY; y++) {
        g->lat[y] = -90 + 180.0 * ((double)y + 0.5) / BIG_NY;
        g->lat_b[2 * y] = -90 + 180.0 * (double)y / BIG_NY;
        g->lat_b[2 * y + 1] = -90 + 180.0 * (double)(y + 1) / BIG_NY;
    }
    for (size_t x = 0; x < BIG_NX; x++) {
        g->lon[x] = -180 + 360.0 * ((double)x + 0.5) / BIG_NX;
        g->lon_b[2 * x] = -180 + 360.0 * (double)x / BIG_NX;
        g->lon_b[2 * x + 1] = -180 + 360.0 * (double)(x + 1) / BIG_NX;
        g->from[x] = x;
    }
    for (size_t i = 0; i < NT * BIG_NY * BIG_NX; i++)
        g->data[i] = i % BIG_NX < 32 ? T2I_FILL : 1e-8f * (float)(1 + i % 7);
    f->lat = (t2i_axis){.n = BIG_NY, .value = g->lat, .bnds = g->lat_b, .from = g->from};
    f->lon = (t2i_axis){.n = BIG_NX, .value = g->lon, .bnds = g->lon_b, .from = g->from};
}

/* Filter mask and stored bytes of the data's chunk at time step t. */
static int chunk_info(hid_t d, hsize_t t, unsigned *mask, hsize_t *size)
{
    hsize_t offset[3] = {t, 0, 0};
    haddr_t addr;
    hid_t space = H5Dget_space(d);
    herr_t rc = space < 0 ? -1 : H5Dget_chunk_info(d, space, t, offset, mask, &addr, size);
    if (space >= 0)
        H5Sclose(space);
    return rc >= 0 && offset[0] == t;
}

static void check_h5_chunks(t2i_tally *t, const char *path, size_t raw_bytes, int compressible)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = f < 0 ? -1 : H5Dopen2(f, "gpp", H5P_DEFAULT);
    hid_t plist = d < 0 ? -1 : H5Dget_create_plist(d);
    unsigned flags, cd[8];
    size_t ncd = 8;
    char name[64];
    int ok = plist >= 0 && H5Pget_nfilters(plist) == 2 &&
             H5Pget_filter2(plist, 0, &flags, &ncd, cd, sizeof name, name, NULL) ==
                 H5Z_FILTER_SHUFFLE;
    ncd = 8;
    ok = ok && H5Pget_filter2(plist, 1, &flags, &ncd, cd, sizeof name, name, NULL) ==
                   H5Z_FILTER_DEFLATE;
    CHECK(t, ok, "netCDF-C declares shuffle then deflate, the order of the chunks' filter mask");
    unsigned mask[NT] = {9, 9};
    hsize_t size[NT] = {0, 0};
    ok = d >= 0 && chunk_info(d, 0, &mask[0], &size[0]) && chunk_info(d, 1, &mask[1], &size[1]);
    if (compressible)
        CHECK(t, ok && mask[0] == 0 && mask[1] == 0 && size[0] < raw_bytes / 2 &&
                     size[1] < raw_bytes / 2,
              "a compressible step is stored shuffled and deflated, both filters applied");
    else
        CHECK(t, ok && mask[0] == CHUNK_SKIPPED_DEFLATE && size[0] == raw_bytes,
              "a step that cannot shrink is stored shuffled only, deflate marked skipped");
    if (plist >= 0)
        H5Pclose(plist);
    if (d >= 0)
        H5Dclose(d);
    if (f >= 0)
        H5Fclose(f);
}

static void test_chunks(t2i_tally *t, const scratch *s)
{
    char path[PATH_LEN], err[T2I_ERRLEN] = "";
    in_dir(s, "small.nc", path);
    fixture f = make_fixture();
    int st = write_whole(path, &f, err);
    CHECK(t, st == T2I_OK, "the small fixture is written");
    if (st == T2I_OK)
        check_h5_chunks(t, path, NY * NX * sizeof(float), 0);
    unlink(path);
    in_dir(s, "big.nc", path);
    big_grid *g = malloc(sizeof *g);
    if (!g) {
        CHECK(t, 0, "memory for the big grid");
        return;
    }
    make_big(g, &f);
    t2i_out out;
    st = cfout_create(&out, path, &f.meta, &f.lat, &f.lon, &f.time, err, sizeof err);
    if (st == T2I_OK)
        st = cfout_write(&out, 0, NT, g->data, err, sizeof err);
    if (st == T2I_OK)
        st = cfout_commit(&out, err, sizeof err);
    else
        cfout_abort(&out);
    CHECK(t, st == T2I_OK, "a 2 x 64 x 128 grid is written");
    int ncid, v;
    static float got[NT * BIG_NY * BIG_NX];
    if (st == T2I_OK) {
        check_h5_chunks(t, path, BIG_NY * BIG_NX * sizeof(float), 1);
        int rc = nc_open(path, NC_NOWRITE, &ncid);
        if (rc == NC_NOERR) {
            rc = nc_inq_varid(ncid, "gpp", &v);
            if (rc == NC_NOERR)
                rc = nc_get_var_float(ncid, v, got);
            nc_close(ncid);
        }
        CHECK(t, rc == NC_NOERR && memcmp(got, g->data, sizeof got) == 0,
              "netCDF-C reads the deflated chunks back exactly");
    }
    st = cfout_create(&out, path, &f.meta, &f.lat, &f.lon, &f.time, err, sizeof err);
    if (st == T2I_OK)
        st = cfout_write(&out, 1, NT, g->data, err, sizeof err);
    CHECK(t, st == T2I_ESYS, "writing steps out of order is refused");
    cfout_abort(&out);
    free(g);
    unlink(path);
}

static void test_abort(t2i_tally *t, const scratch *s)
{
    char path[PATH_LEN], tmp[PATH_LEN], err[T2I_ERRLEN] = "";
    in_dir(s, "aborted.nc", path);
    in_dir(s, "aborted.nc.tmp", tmp);
    add_pid(tmp, sizeof tmp);
    fixture f = make_fixture();
    t2i_out out;
    int st = cfout_create(&out, path, &f.meta, &f.lat, &f.lon, &f.time, err, sizeof err);
    if (st == T2I_OK)
        st = cfout_write(&out, 0, 1, DATA, err, sizeof err);
    cfout_abort(&out);
    CHECK(t, st == T2I_OK && !exists(path) && !exists(tmp),
          "abort after a write leaves neither the final file nor the .tmp");
    cfout_abort(&out);
    CHECK(t, !exists(path) && !exists(tmp), "a second abort is harmless");
}

static void test_stale_tmp(t2i_tally *t, const scratch *s)
{
    char path[PATH_LEN], tmp[PATH_LEN], err[T2I_ERRLEN] = "";
    in_dir(s, "stale.nc", path);
    in_dir(s, "stale.nc.tmp", tmp);
    FILE *fp = fopen(tmp, "w");
    if (fp) {
        fputs("half-written by a killed run", fp);
        fclose(fp);
    }
    fixture f = make_fixture();
    int st = write_whole(path, &f, err);
    int ncid, ok = st == T2I_OK && nc_open(path, NC_NOWRITE, &ncid) == NC_NOERR;
    if (ok)
        nc_close(ncid);
    CHECK(t, ok && !exists(tmp), "a stale .tmp from a killed run is replaced");
    unlink(path);
}

/* A .tmp planted as a symlink to a file elsewhere: removed, not followed. */
static void test_symlink_tmp(t2i_tally *t, const scratch *s)
{
    char path[PATH_LEN], tmp[PATH_LEN], target[PATH_LEN], dangling[PATH_LEN];
    char err[T2I_ERRLEN] = "", buf[64] = "";
    in_dir(s, "linked.nc", path);
    in_dir(s, "linked.nc.tmp", tmp);
    add_pid(tmp, sizeof tmp);
    in_dir(s, "outside/precious.txt", target);
    in_dir(s, "outside/new.nc", dangling);
    FILE *fp = fopen(target, "w");
    if (fp) {
        fputs("precious", fp);
        fclose(fp);
    }
    if (symlink(target, tmp) != 0)
        perror("symlink");
    fixture f = make_fixture();
    t2i_out out;
    int st = cfout_create(&out, path, &f.meta, &f.lat, &f.lon, &f.time, err, sizeof err);
    struct stat sb;
    CHECK(t, st == T2I_OK && lstat(tmp, &sb) == 0 && S_ISREG(sb.st_mode),
          "a .tmp that is a symlink is replaced by a regular file");
    if (st == T2I_OK)
        st = cfout_write(&out, 0, NT, DATA, err, sizeof err);
    if (st == T2I_OK)
        st = cfout_commit(&out, err, sizeof err);
    fp = fopen(target, "r");
    if (fp) {
        if (!fgets(buf, sizeof buf, fp))
            buf[0] = '\0';
        fclose(fp);
    }
    CHECK(t, st == T2I_OK && strcmp(buf, "precious") == 0 && lstat(target, &sb) == 0 &&
                 S_ISREG(sb.st_mode),
          "the symlink's target outside is left untouched");
    unlink(path);
    if (symlink(dangling, tmp) != 0)
        perror("symlink");
    st = write_whole(path, &f, err);
    CHECK(t, st == T2I_OK && !exists(dangling),
          "a dangling .tmp symlink does not create its target");
    unlink(path);
    unlink(target);
}

static void test_reproducible(t2i_tally *t, const scratch *s)
{
    char a[PATH_LEN], b[PATH_LEN], cmd[3 * PATH_LEN], err[T2I_ERRLEN] = "";
    in_dir(s, "run1.nc", a);
    in_dir(s, "run2.nc", b);
    fixture f = make_fixture();
    int st = write_whole(a, &f, err);
    if (st == T2I_OK)
        st = write_whole(b, &f, err);
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
    CHECK(t, st == T2I_OK && system(cmd) == 0, "two identical runs give byte-identical files");
    unlink(b);
    f.meta.threads = 3;
    st = write_whole(b, &f, err);
    CHECK(t, st == T2I_OK && system(cmd) == 0,
          "encoding on three threads gives the same file, byte for byte");
    unlink(a);
    unlink(b);
}

/* Each failing create: status, message, and nothing left at path or .tmp. */
static void check_create_fails(t2i_tally *t, const char *path, int want_st, const char *want,
                               const char *desc)
{
    char tmp[PATH_LEN + 8], err[T2I_ERRLEN] = "";
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    add_pid(tmp, sizeof tmp);
    fixture f = make_fixture();
    t2i_out out;
    int st = cfout_create(&out, path, &f.meta, &f.lat, &f.lon, &f.time, err, sizeof err);
    CHECK(t, st == want_st && !exists(path) && !exists(tmp), desc);
    CHECK_STR(t, err, want, "the message gives the file and the system's reason");
}

static void test_create_errors(t2i_tally *t, const scratch *s)
{
    char path[PATH_LEN], want[T2I_ERRLEN];
    in_dir(s, "no-such-dir/gpp.nc", path);
    snprintf(want, sizeof want, "cannot create '%s.tmp.%ld': No such file or directory", path, (long)getpid());
    check_create_fails(t, path, T2I_ESYS, want,
                       "a missing output directory is a system error and leaves nothing");
    in_dir(s, "plain-file/gpp.nc", path);
    snprintf(want, sizeof want, "cannot create '%s.tmp.%ld': Not a directory", path, (long)getpid());
    check_create_fails(t, path, T2I_ESYS, want,
                       "an output 'directory' that is a file is a system error");
    if (geteuid() != 0) {
        in_dir(s, "read-only/gpp.nc", path);
        snprintf(want, sizeof want, "cannot create '%s.tmp.%ld': Permission denied", path, (long)getpid());
    } else {
        /* root ignores directory modes; sysfs refuses new files even to root */
        snprintf(path, sizeof path, "/sys/t2i_cfout_test.nc");
        snprintf(want, sizeof want, "cannot create '%s.tmp.%ld': Permission denied", path, (long)getpid());
    }
    check_create_fails(t, path, T2I_ESYS, want,
                       "an unwritable output directory is a system error and leaves nothing");
    static char longpath[CFOUT_PATH_MAX + 16];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    check_create_fails(t, longpath, T2I_EUSAGE, "output path is too long",
                       "an output path longer than PATH_MAX is a usage error");
}

/* A header netCDF refuses (a variable name with '/') is removed at once. */
static void test_header_error(t2i_tally *t, const scratch *s)
{
    char path[PATH_LEN], want[T2I_ERRLEN];
    in_dir(s, "badname.nc", path);
    snprintf(want, sizeof want,
             "defining the header on '%s.tmp.%ld': NetCDF: Name contains illegal characters", path, (long)getpid());
    fixture f = make_fixture();
    f.meta.var = "bad/name";
    char tmp[PATH_LEN + 8], err[T2I_ERRLEN] = "";
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    add_pid(tmp, sizeof tmp);
    t2i_out out;
    int st = cfout_create(&out, path, &f.meta, &f.lat, &f.lon, &f.time, err, sizeof err);
    CHECK(t, st == T2I_ESYS && !exists(path) && !exists(tmp),
          "a header netCDF refuses fails and leaves no .tmp");
    CHECK_STR(t, err, want, "the header message names the .tmp and netCDF's reason");
}

/* The final name taken by a directory: the rename fails, the .tmp goes. */
static void test_commit_error(t2i_tally *t, const scratch *s)
{
    char path[PATH_LEN], inner[PATH_LEN], tmp[PATH_LEN], want[T2I_ERRLEN];
    char err[T2I_ERRLEN] = "";
    in_dir(s, "taken.nc", path);
    in_dir(s, "taken.nc/keep", inner);
    in_dir(s, "taken.nc.tmp", tmp);
    add_pid(tmp, sizeof tmp);
    mkdir(path, 0755);
    mkdir(inner, 0755);
    snprintf(want, sizeof want, "cannot rename '%s' to '%s': Is a directory", tmp, path);
    fixture f = make_fixture();
    int st = write_whole(path, &f, err);
    CHECK(t, st == T2I_ESYS && !exists(tmp) && exists(inner),
          "a failed rename is a system error, removes the .tmp and keeps what was there");
    CHECK_STR(t, err, want, "the rename message names both paths and the reason");
    rmdir(inner);
    rmdir(path);
}

static void cleanup(const scratch *s)
{
    char path[PATH_LEN];
    unlink(in_dir(s, "linked.nc.tmp", path));
    unlink(in_dir(s, "plain-file", path));
    rmdir(in_dir(s, "outside", path));
    rmdir(in_dir(s, "read-only", path));
    rmdir(s->dir);
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    scratch s;
    char path[PATH_LEN];
    snprintf(s.dir, sizeof s.dir, "/tmp/cfout_test.XXXXXX");
    if (!mkdtemp(s.dir)) {
        perror("mkdtemp");
        return 1;
    }
    mkdir(in_dir(&s, "outside", path), 0755);
    mkdir(in_dir(&s, "read-only", path), 0555);
    FILE *fp = fopen(in_dir(&s, "plain-file", path), "w");
    if (fp)
        fclose(fp);
    test_structure(&t, &s);
    test_no_deflate(&t, &s);
    test_chunks(&t, &s);
    test_abort(&t, &s);
    test_stale_tmp(&t, &s);
    test_symlink_tmp(&t, &s);
    test_reproducible(&t, &s);
    test_create_errors(&t, &s);
    test_header_error(&t, &s);
    test_commit_error(&t, &s);
    cleanup(&s);
    return CHECK_SUMMARY(&t);
}
