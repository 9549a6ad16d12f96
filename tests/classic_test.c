/* Tests of the classic header walk (classic.h) on headers built in memory
 * byte by byte, after the "NetCDF Classic Format Specification". */
#include "classic.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "t2i.h"

/* A header under construction; sizes in bytes. */
typedef struct {
    unsigned char b[512];
    size_t n;
    int version; /* 1, 2 or 5: width of counts and offsets */
} hdr;

static void put(hdr *h, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        h->b[h->n++] = (unsigned char)(v >> (8 * i));
}

static void count(hdr *h, uint64_t v) { put(h, v, h->version == 5 ? 8 : 4); }

static void name(hdr *h, const char *s)
{
    size_t len = strlen(s);
    count(h, len);
    memcpy(h->b + h->n, s, len);
    h->n += (len + 3) & ~(size_t)3;
}

/* "CDF" v, numrecs, dims x = 3 and rec (record), no global attributes. */
static void start(hdr *h, int version, uint64_t numrecs)
{
    memset(h, 0, sizeof *h);
    h->version = version;
    memcpy(h->b, "CDF", 3);
    h->b[3] = (unsigned char)version;
    h->n = 4;
    count(h, numrecs);
    put(h, 10, 4); /* NC_DIMENSION */
    count(h, 2);
    name(h, "x");
    count(h, 3);
    name(h, "rec");
    count(h, 0);
    put(h, 0, 4); /* ABSENT global attributes */
    count(h, 0);
}

/* One variable with no attributes over the given dimension ids. */
static void var(hdr *h, const char *s, int ndims, const int *dims, int type,
                uint64_t vsize, uint64_t begin)
{
    name(h, s);
    count(h, (uint64_t)ndims);
    for (int i = 0; i < ndims; i++)
        put(h, (uint64_t)dims[i], h->version == 5 ? 8 : 4);
    put(h, 0, 4);
    count(h, 0);
    put(h, (uint64_t)type, 4);
    count(h, vsize);
    put(h, begin, h->version == 1 ? 4 : 8);
}

/* Runs the walk on the first `size` bytes of a buffer of `avail` bytes. */
static int walk(const unsigned char *buf, size_t avail, size_t size, char *err)
{
    FILE *f = fmemopen((void *)buf, avail, "rb");
    if (!f)
        return -1;
    err[0] = '\0';
    int st = classic_check_stream(f, size, err, T2I_ERRLEN);
    fclose(f);
    return st;
}

/* A CDF-`version` file: v(x) float, 12 data bytes right after the header. */
static size_t fixed_file(hdr *h, int version, unsigned char *file)
{
    start(h, version, 0);
    put(h, 11, 4); /* NC_VARIABLE */
    count(h, 1);
    size_t at = h->n;
    var(h, "v", 1, (int[]){0}, 5, 12, 0);
    size_t begin = h->n;
    h->n = at;
    var(h, "v", 1, (int[]){0}, 5, 12, begin);
    memcpy(file, h->b, h->n);
    memset(file + h->n, 0, 12);
    return h->n + 12;
}

static void test_fixed(t2i_tally *t)
{
    hdr h;
    unsigned char file[600];
    char err[T2I_ERRLEN];
    for (int version = 1; version <= 5; version += version == 1 ? 1 : 3) {
        size_t size = fixed_file(&h, version, file);
        CHECK(t, walk(file, size, size, err) == T2I_OK, "a whole file passes (CDF-1, -2, -5)");
    }
    size_t size = fixed_file(&h, 1, file);
    CHECK(t, walk(file, size, size - 1, err) == T2I_EINPUT, "one byte short is refused");
    char want[T2I_ERRLEN];
    snprintf(want, sizeof want,
             "truncated: data of 'v' runs to byte %zu but the file has %zu bytes", size,
             size - 1);
    CHECK_STR(t, err, want, "the message names the variable and both sizes");
    CHECK(t, walk(file, size, h.n - 2, err) == T2I_EINPUT, "a file cut inside its header");
    CHECK_STR(t, err, "truncated netCDF classic header: the file ends in the variable begin at byte 88",
              "the message names the field and its byte");
}

static void test_not_classic(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    static const unsigned char hdf5[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    CHECK(t, walk(hdf5, 8, 8, err) == T2I_OK, "an HDF5 file is left to nc_open");
    CHECK(t, walk((const unsigned char *)"CDF\3xxxx", 8, 8, err) == T2I_OK,
          "an unknown CDF version is left to nc_open");
    CHECK(t, walk((const unsigned char *)"CD", 2, 2, err) == T2I_OK,
          "a 2-byte file is left to nc_open");
}

static void test_absurd_counts(t2i_tally *t)
{
    hdr h;
    char err[T2I_ERRLEN];
    start(&h, 1, 0);
    h.b[12] = 0x7f; /* dimension count 0x7f000002 in a 60-byte file */
    CHECK(t, walk(h.b, h.n, h.n, err) == T2I_EINPUT, "an absurd dimension count is refused");
    CHECK_STR(t, err, "damaged netCDF classic header: dimension list at byte 12",
              "the message says where");
    start(&h, 1, 0);
    h.b[19] = 0xff; /* name length of 'x': 255 bytes in a 60-byte file */
    CHECK(t, walk(h.b, h.n, h.n, err) == T2I_EINPUT, "a name longer than the file is refused");
    start(&h, 1, 0);
    put(&h, 11, 4);
    count(&h, 1);
    var(&h, "v", 1, (int[]){7}, 5, 12, 200);
    CHECK(t, walk(h.b, h.n, h.n, err) == T2I_EINPUT, "a dimension id out of range is refused");
    CHECK_STR(t, err, "damaged netCDF classic header: dimension id at byte 68",
              "the message says where");
}

static void test_records(t2i_tally *t)
{
    hdr h;
    unsigned char file[600] = {0};
    char err[T2I_ERRLEN];
    start(&h, 2, 5);
    put(&h, 11, 4);
    count(&h, 1);
    size_t at = h.n;
    var(&h, "r", 2, (int[]){1, 0}, 3, 8, 0); /* short r(rec, x): 6-byte records */
    size_t begin = h.n;
    h.n = at;
    var(&h, "r", 2, (int[]){1, 0}, 3, 8, begin);
    memcpy(file, h.b, h.n);
    size_t size = begin + 5 * 6; /* one record variable: records unpadded */
    CHECK(t, walk(file, size, size, err) == T2I_OK, "5 unpadded records of one variable pass");
    CHECK(t, walk(file, size, size - 1, err) == T2I_EINPUT, "a cut last record is refused");
    h.b[7] = 0xff; /* numrecs 255 */
    memcpy(file, h.b, h.n);
    CHECK(t, walk(file, size, size, err) == T2I_EINPUT, "more records than the file holds");
    memset(h.b + 4, 0xff, 4); /* numrecs all ones: netCDF 4.9 reads 2^32 - 1 records */
    memcpy(file, h.b, h.n);
    CHECK(t, walk(file, size, size, err) == T2I_EINPUT,
          "a 'streaming' numrecs is taken literally and refused as truncated");
    start(&h, 1, 0);
    put(&h, 11, 4);
    count(&h, 1);
    var(&h, "v", 1, (int[]){0}, 5, 12, 8);
    memcpy(file, h.b, h.n);
    CHECK(t, walk(file, h.n + 12, h.n + 12, err) == T2I_EINPUT,
          "data beginning inside the header is refused");
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    test_fixed(&t);
    test_not_classic(&t);
    test_absurd_counts(&t);
    test_records(&t);
    return CHECK_SUMMARY(&t);
}
