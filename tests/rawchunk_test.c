/* Tests of the direct chunk reader (rawchunk.h): the unshuffle against a
 * hand-made shuffle; every box of files of several chunk layouts read
 * exactly as netCDF-C reads it; the storage it declines; and damaged
 * chunks (a bad zlib stream, a wrong Adler-32, a chunk inflating to too
 * few or too many bytes, one stored uncompressed at the wrong size), each
 * refused with one line, never passed on. */
#include "rawchunk.h"

#include <hdf5.h>
#include <netcdf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "t2i.h"

#define NT 7
#define NY 5
#define NX 6

static float value(size_t t, size_t y, size_t x)
{
    return (float)(t * 1000 + y * 10 + x) * 0.25f - 3.0f;
}

typedef struct {
    size_t chunk[3];
    int deflate, shuffle, big_endian, fletcher, contiguous, unlimited;
} layout;

/* A (time, lat, lon) float file written through netCDF-C. */
static int make_file(const char *path, const layout *l)
{
    int ncid, d[3], v, rc = nc_create(path, NC_NETCDF4 | NC_CLOBBER, &ncid);
    if (rc)
        return rc;
    if ((rc = nc_def_dim(ncid, "time", l->unlimited ? NC_UNLIMITED : NT, &d[0])) ||
        (rc = nc_def_dim(ncid, "lat", NY, &d[1])) || (rc = nc_def_dim(ncid, "lon", NX, &d[2])) ||
        (rc = nc_def_var(ncid, "gpp", NC_FLOAT, 3, d, &v)))
        return rc;
    if (l->contiguous)
        rc = nc_def_var_chunking(ncid, v, NC_CONTIGUOUS, NULL);
    else
        rc = nc_def_var_chunking(ncid, v, NC_CHUNKED, l->chunk);
    if (!rc && (l->deflate || l->shuffle))
        rc = nc_def_var_deflate(ncid, v, l->shuffle, l->deflate, l->deflate ? 1 : 0);
    if (!rc && l->fletcher)
        rc = nc_def_var_fletcher32(ncid, v, 1);
    if (!rc && l->big_endian)
        rc = nc_def_var_endian(ncid, v, NC_ENDIAN_BIG);
    if (rc || (rc = nc_enddef(ncid)))
        return rc;
    static float data[NT][NY][NX];
    for (size_t t = 0; t < NT; t++)
        for (size_t y = 0; y < NY; y++)
            for (size_t x = 0; x < NX; x++)
                data[t][y][x] = value(t, y, x);
    size_t start[3] = {0, 0, 0}, count[3] = {NT, NY, NX};
    if ((rc = nc_put_vara_float(ncid, v, start, count, &data[0][0][0])))
        return rc;
    return nc_close(ncid);
}

static const size_t DIMS[3] = {NT, NY, NX};

static int open_raw(const char *path, rawchunk **r, char *why, size_t whylen)
{
    char err[T2I_ERRLEN];
    return rawchunk_open(path, "gpp", 3, DIMS, 32u << 20, r, why, whylen, err, sizeof err);
}

/* Every box [t0, t0+k) x [y0, y0+ny) x [x0, x0+nx) of a few shapes equals
 * netCDF-C's read of it. */
static int all_boxes_agree(const char *path, rawchunk *r)
{
    int ncid, v, bad = 0;
    if (nc_open(path, NC_NOWRITE, &ncid) || nc_inq_varid(ncid, "gpp", &v))
        return 0;
    float a[NT * NY * NX], b[NT * NY * NX];
    char err[T2I_ERRLEN];
    for (size_t t0 = 0; t0 < NT; t0++)
        for (size_t k = 1; t0 + k <= NT; k++)
            for (size_t y0 = 0; y0 < NY; y0 += 2)
                for (size_t x0 = 0; x0 < NX; x0 += 3) {
                    size_t start[3] = {t0, y0, x0};
                    size_t count[3] = {k, NY - y0, x0 ? 2 : NX};
                    size_t n = count[0] * count[1] * count[2];
                    memset(a, 0, sizeof a);
                    memset(b, 0xff, sizeof b);
                    if (nc_get_vara_float(ncid, v, start, count, a) ||
                        rawchunk_read(r, start, count, b, err, sizeof err) != T2I_OK ||
                        memcmp(a, b, n * sizeof *a) != 0)
                        bad++;
                }
    nc_close(ncid);
    return bad == 0;
}

static void test_unshuffle(t2i_tally *t)
{
    /* Three elements 0x04030201, 0x08070605, 0x0c0b0a09 (little endian
     * bytes 01 02 03 04 ...), shuffled: all first bytes, all second, ... */
    const unsigned char shuffled[13] = {1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12, 99};
    const unsigned char plain[13] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 99};
    const unsigned char swapped[13] = {4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9, 99};
    unsigned char out[13];
    rawchunk_unshuffle4(out, shuffled, 13, 0);
    CHECK(t, memcmp(out, plain, 13) == 0,
          "unshuffle regroups each element's bytes; a trailing partial element stays");
    rawchunk_unshuffle4(out, shuffled, 13, 1);
    CHECK(t, memcmp(out, swapped, 13) == 0, "unshuffle with swap reverses each element's bytes");
    /* Enough elements for the vector path, and a tail after it. */
    enum { N = 1003 };
    static unsigned char planes[4 * N + 2], got[4 * N + 2];
    for (size_t i = 0; i < sizeof planes; i++)
        planes[i] = (unsigned char)(i * 13 + i / 7);
    int same = 1, same_swapped = 1;
    rawchunk_unshuffle4(got, planes, sizeof planes, 0);
    for (size_t i = 0; i < N; i++)
        for (size_t b = 0; b < 4; b++)
            same &= got[4 * i + b] == planes[b * N + i];
    same &= got[4 * N] == planes[4 * N] && got[4 * N + 1] == planes[4 * N + 1];
    rawchunk_unshuffle4(got, planes, sizeof planes, 1);
    for (size_t i = 0; i < N; i++)
        for (size_t b = 0; b < 4; b++)
            same_swapped &= got[4 * i + 3 - b] == planes[b * N + i];
    CHECK(t, same && same_swapped,
          "1003 elements (vector blocks and a tail) unshuffle to byte 4i + b from b * 1003 + i");
}

static void test_layouts(t2i_tally *t, const char *dir)
{
    struct {
        const char *what;
        layout l;
    } cases[] = {
        {"one time step of the whole grid per chunk, shuffle + deflate", {.chunk = {1, NY, NX}, .deflate = 1, .shuffle = 1}},
        {"tiles with partial edge chunks", {.chunk = {1, 2, 4}, .deflate = 1, .shuffle = 1}},
        {"several time steps per chunk, a partial last one", {.chunk = {3, NY, NX}, .deflate = 1, .shuffle = 1}},
        {"unlimited time", {.chunk = {2, 3, 3}, .deflate = 1, .shuffle = 1, .unlimited = 1}},
        {"deflate without shuffle", {.chunk = {2, NY, NX}, .deflate = 1}},
        {"shuffle without deflate", {.chunk = {1, NY, NX}, .shuffle = 1}},
        {"no filter at all", {.chunk = {4, 2, 5}}},
        {"big-endian floats, shuffle + deflate", {.chunk = {1, 3, NX}, .deflate = 1, .shuffle = 1, .big_endian = 1}},
    };
    char path[512], why[200], line[300];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(path, sizeof path, "%s/l%zu.nc", dir, i);
        rawchunk *r = NULL;
        int ok = make_file(path, &cases[i].l) == NC_NOERR &&
                 open_raw(path, &r, why, sizeof why) == T2I_OK && r;
        snprintf(line, sizeof line, "%s: read directly, every box as netCDF-C reads it",
                 cases[i].what);
        CHECK(t, ok && all_boxes_agree(path, r), line);
        if (!r)
            printf("     declined: %s\n", why);
        rawchunk_close(r);
    }
}

/* Slabs that follow the chunks read each stored chunk once. */
static void test_reads_once(t2i_tally *t, const char *dir)
{
    char path[512], why[200], err[T2I_ERRLEN];
    snprintf(path, sizeof path, "%s/once.nc", dir);
    layout l = {.chunk = {2, NY, NX}, .deflate = 1, .shuffle = 1};
    rawchunk *r = NULL;
    float buf[2 * NY * NX];
    int ok = make_file(path, &l) == NC_NOERR && open_raw(path, &r, why, sizeof why) == T2I_OK &&
             r;
    for (size_t t0 = 0; ok && t0 < NT; t0 += 2) {
        size_t start[3] = {t0, 0, 0}, count[3] = {t0 + 2 <= NT ? 2 : 1, NY, NX};
        ok = rawchunk_read(r, start, count, buf, err, sizeof err) == T2I_OK;
    }
    CHECK(t, ok && rawchunk_reads(r) == 4, "slabs of two steps read each of the 4 chunks once");
    rawchunk_close(r);
}

static void test_declined(t2i_tally *t, const char *dir)
{
    struct {
        const char *what, *why;
        layout l;
    } cases[] = {
        {"fletcher32", "filter 'fletcher32'", {.chunk = {1, NY, NX}, .deflate = 1, .shuffle = 1, .fletcher = 1}},
        {"contiguous storage", "not chunked", {.chunk = {0, 0, 0}, .contiguous = 1}},
    };
    char path[512], why[200], line[300];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(path, sizeof path, "%s/d%zu.nc", dir, i);
        rawchunk *r = (rawchunk *)1;
        int st = make_file(path, &cases[i].l) == NC_NOERR ? open_raw(path, &r, why, sizeof why)
                                                          : -1;
        snprintf(line, sizeof line, "%s is left to netCDF-C, saying why", cases[i].what);
        CHECK(t, st == T2I_OK && !r && strstr(why, cases[i].why), line);
        if (st == T2I_OK && r)
            rawchunk_close(r);
    }
    char err[T2I_ERRLEN];
    rawchunk *r = (rawchunk *)1;
    snprintf(path, sizeof path, "%s/l0.nc", dir);
    int st = rawchunk_open(path, "gpp", 3, DIMS, 300, &r, why, sizeof why, err, sizeof err);
    CHECK(t, st == T2I_OK && !r && strstr(why, "--memory"),
          "a chunk larger than a third of --memory is left to netCDF-C");
    size_t other[3] = {NT, NY, NX + 1};
    st = rawchunk_open(path, "gpp", 3, other, 32u << 20, &r, why, sizeof why, err, sizeof err);
    CHECK(t, st == T2I_OK && !r && strstr(why, "shape"), "a shape unlike netCDF's is declined");
    st = rawchunk_open(path, "npp", 3, DIMS, 32u << 20, &r, why, sizeof why, err, sizeof err);
    CHECK(t, st == T2I_OK && !r && strstr(why, "no HDF5 dataset"), "a missing dataset is declined");
}

/* Replaces the stored chunk at (0, 0, 0) of a one-step-per-chunk deflated
 * file with n bytes (filter mask 0: deflate applied, no shuffle). */
static int put_chunk(const char *path, const void *bytes, size_t n, uint32_t mask)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t d = f < 0 ? -1 : H5Dopen2(f, "gpp", H5P_DEFAULT);
    hsize_t off[3] = {0, 0, 0};
    herr_t rc = d < 0 ? -1 : H5Dwrite_chunk(d, H5P_DEFAULT, mask, off, n, bytes);
    if (d >= 0)
        H5Dclose(d);
    if (f >= 0)
        H5Fclose(f);
    return rc < 0 ? -1 : 0;
}

static void test_damaged(t2i_tally *t, const char *dir)
{
    float plain[NY * NX], half[NY * NX / 2];
    for (size_t i = 0; i < NY * NX; i++)
        plain[i] = value(0, i / NX, i % NX);
    memcpy(half, plain, sizeof half);
    unsigned char good[1024], shortz[1024], longz[2048], garbage[64];
    uLongf ng = sizeof good, ns = sizeof shortz, nl = sizeof longz;
    float twice[2 * NY * NX];
    memcpy(twice, plain, sizeof plain);
    memcpy(twice + NY * NX, plain, sizeof plain);
    compress2(good, &ng, (const Bytef *)plain, sizeof plain, 1);
    compress2(shortz, &ns, (const Bytef *)half, sizeof half, 1);
    compress2(longz, &nl, (const Bytef *)twice, sizeof twice, 1);
    for (size_t i = 0; i < sizeof garbage; i++)
        garbage[i] = (unsigned char)(i * 37 + 11);
    unsigned char badsum[1024];
    memcpy(badsum, good, ng);
    badsum[ng - 1] ^= 0x5a; /* the Adler-32 trailer */
    struct {
        const char *what, *want;
        const void *bytes;
        size_t n;
        uint32_t mask;
    } cases[] = {
        {"a valid chunk written directly", NULL, good, ng, 0},
        {"bytes that are no zlib stream", "not a valid zlib stream", garbage, sizeof garbage, 0},
        {"a wrong Adler-32", "Adler-32", badsum, ng, 0},
        {"a stream of half a chunk", "less than a chunk", shortz, ns, 0},
        {"a stream of two chunks", "more than a chunk", longz, nl, 0},
        {"a truncated stream", "truncated", good, ng / 2, 0},
        {"a chunk stored uncompressed at the wrong size", "not a chunk's size", half,
         sizeof half, 1},
    };
    char path[512], why[200], err[T2I_ERRLEN], line[300];
    snprintf(path, sizeof path, "%s/damaged.nc", dir);
    layout l = {.chunk = {1, NY, NX}, .deflate = 1};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rawchunk *r = NULL;
        float buf[NY * NX];
        size_t start[3] = {0, 0, 0}, count[3] = {1, NY, NX};
        int st = -1;
        if (make_file(path, &l) == NC_NOERR &&
            put_chunk(path, cases[i].bytes, cases[i].n, cases[i].mask) == 0 &&
            open_raw(path, &r, why, sizeof why) == T2I_OK && r)
            st = rawchunk_read(r, start, count, buf, err, sizeof err);
        if (!cases[i].want) {
            CHECK(t, st == T2I_OK && memcmp(buf, plain, sizeof plain) == 0, cases[i].what);
        } else {
            snprintf(line, sizeof line, "%s is refused: the chunk named, '%s'", cases[i].what,
                     cases[i].want);
            CHECK(t, st == T2I_EINPUT && strstr(err, "the chunk of 'gpp' at (0, 0, 0)") &&
                         strstr(err, cases[i].want),
                  line);
            if (st != T2I_EINPUT || !strstr(err, cases[i].want))
                printf("     got %d '%s'\n", st, st == T2I_OK ? "" : err);
        }
        rawchunk_close(r);
    }
}

int main(void)
{
    t2i_tally tally = {0, 0, 0}, *t = &tally;
    char dir[] = "/tmp/t2i-rawchunk-XXXXXX";
    if (!mkdtemp(dir))
        return 3;
    test_unshuffle(t);
    test_layouts(t, dir);
    test_reads_once(t, dir);
    test_declined(t, dir);
    test_damaged(t, dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        perror("rm");
    return CHECK_SUMMARY(t);
}
