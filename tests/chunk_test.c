/* Tests of src/chunk.c against independent truth: HDF5's shuffle written
 * out by hand, and zlib's own uncompress (what HDF5's deflate filter calls
 * when reading) must give back the shuffled bytes exactly, at every level.
 * A chunk that does not shrink is stored shuffled only, flagged in the
 * filter mask as HDF5's optional deflate filter does. */
#include "chunk.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "t2i.h"

/* Values of the compressible test chunk: a 360 x 720 step would be 1 MiB;
 * 4096 values keep the test fast and still give ISA-L something to find. */
#define NVALUES 4096

static void test_levels(t2i_tally *t)
{
    CHECK(t, chunk_isal_level(0) == 0, "deflate 0 uses no ISA-L level (stored unfiltered)");
    CHECK(t, chunk_isal_level(1) == 1 && chunk_isal_level(2) == 1 && chunk_isal_level(3) == 1,
          "deflate 1-3 use ISA-L level 1");
    CHECK(t, chunk_isal_level(4) == 2 && chunk_isal_level(6) == 2, "deflate 4-6 use ISA-L level 2");
    CHECK(t, chunk_isal_level(7) == 3 && chunk_isal_level(9) == 3, "deflate 7-9 use ISA-L level 3");
}

static void test_shuffle(t2i_tally *t)
{
    /* Three 4-byte values: byte b of value i goes to b * 3 + i. */
    const unsigned char in[12] = {0x00, 0x01, 0x02, 0x03, 0x10, 0x11, 0x12, 0x13,
                                  0x20, 0x21, 0x22, 0x23};
    const unsigned char want[12] = {0x00, 0x10, 0x20, 0x01, 0x11, 0x21, 0x02, 0x12, 0x22,
                                    0x03, 0x13, 0x23};
    unsigned char got[12];
    chunk_shuffle(in, 3, 4, got);
    CHECK(t, memcmp(got, want, sizeof want) == 0,
          "4-byte values are shuffled first bytes first, as HDF5's shuffle filter does");
    const unsigned char in2[6] = {1, 2, 3, 4, 5, 6}, want2[6] = {1, 3, 5, 2, 4, 6};
    chunk_shuffle(in2, 3, 2, got);
    CHECK(t, memcmp(got, want2, sizeof want2) == 0, "other value sizes shuffle the same way");
    /* More values than one block of the fast path, and a tail after it. */
    enum { LONG_N = 301 };
    static unsigned char lin[4 * LONG_N], lout[4 * LONG_N];
    for (size_t i = 0; i < sizeof lin; i++)
        lin[i] = (unsigned char)(i * 7 + i / 5);
    chunk_shuffle(lin, LONG_N, 4, lout);
    int same = 1;
    for (size_t i = 0; i < LONG_N; i++)
        for (size_t b = 0; b < 4; b++)
            same &= lout[b * LONG_N + i] == lin[4 * i + b];
    CHECK(t, same, "301 values (whole blocks and a tail) land at byte b * 301 + i");
}

/* A smooth field with a missing block, as a model's time step looks. */
static void fill_smooth(float *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = i % 512 < 128 ? T2I_FILL : 1e-8f * (float)(2.0 + (double)(i % 97) / 97.0);
}

/* Encodes `raw` at `deflate`, inflates with zlib and unshuffles: 1 if that
 * gives `raw` back and the stream is a zlib one (RFC 1950 header). */
static int round_trip(const float *raw, size_t n, int deflate, size_t *packed, unsigned *mask)
{
    chunk_encoder e;
    char err[T2I_ERRLEN];
    if (chunk_encoder_init(&e, deflate, n * sizeof *raw, err, sizeof err) != T2I_OK)
        return 0;
    const void *chunk;
    size_t len;
    int ok = chunk_encode(&e, raw, &chunk, &len, mask, err, sizeof err) == T2I_OK;
    unsigned char *shuffled = malloc(n * sizeof *raw), *back = malloc(n * sizeof *raw);
    uLongf out = (uLongf)(n * sizeof *raw);
    const unsigned char *c = chunk;
    ok = ok && shuffled && back && len >= 2 && c[0] == 0x78 && (c[0] * 256 + c[1]) % 31 == 0 &&
         uncompress(shuffled, &out, chunk, (uLong)len) == Z_OK && out == n * sizeof *raw;
    if (ok) {
        /* Unshuffling is shuffling with the roles of n and size swapped. */
        chunk_shuffle(shuffled, sizeof *raw, n, back);
        ok = memcmp(back, raw, n * sizeof *raw) == 0;
    }
    *packed = len;
    free(shuffled);
    free(back);
    chunk_encoder_free(&e);
    return ok;
}

static void test_deflate(t2i_tally *t)
{
    float *raw = malloc(NVALUES * sizeof *raw);
    if (!raw) {
        CHECK(t, 0, "memory for the test chunk");
        return;
    }
    fill_smooth(raw, NVALUES);
    size_t len = 0;
    unsigned mask = 1;
    CHECK(t, round_trip(raw, NVALUES, 1, &len, &mask) && mask == 0,
          "level 1 gives a zlib stream that plain zlib inflates to the shuffled chunk");
    CHECK(t, len < NVALUES * sizeof *raw / 2, "a smooth field at least halves");
    int all = 1;
    for (int level = 2; level <= 9; level++)
        all &= round_trip(raw, NVALUES, level, &len, &mask) && mask == 0;
    CHECK(t, all, "every level 2-9 round-trips through zlib as well");
    free(raw);
}

static void test_stored(t2i_tally *t)
{
    /* Noise: no deflate stream of it is shorter than it, header included. */
    unsigned char raw[64], shuffled[64];
    uint32_t seed = 12345;
    for (size_t i = 0; i < sizeof raw; i++) {
        seed = seed * 1103515245u + 12345u;
        raw[i] = (unsigned char)(seed >> 16);
    }
    chunk_encoder e;
    char err[T2I_ERRLEN];
    const void *chunk = NULL;
    size_t len = 0;
    unsigned mask = 0;
    int st = chunk_encoder_init(&e, 1, sizeof raw, err, sizeof err);
    if (st == T2I_OK)
        st = chunk_encode(&e, raw, &chunk, &len, &mask, err, sizeof err);
    chunk_shuffle(raw, sizeof raw / 4, 4, shuffled);
    CHECK(t, st == T2I_OK && mask == CHUNK_SKIPPED_DEFLATE && len == sizeof raw &&
                 memcmp(chunk, shuffled, sizeof raw) == 0,
          "a chunk that would not shrink is stored shuffled, deflate flagged as skipped");
    chunk_encoder_free(&e);
    st = chunk_encoder_init(&e, 0, sizeof raw, err, sizeof err);
    if (st == T2I_OK)
        st = chunk_encode(&e, raw, &chunk, &len, &mask, err, sizeof err);
    CHECK(t, st == T2I_OK && chunk == (const void *)raw && len == sizeof raw && mask == 0,
          "deflate 0 stores the raw chunk itself, no filter");
    /* Freeing twice, or an encoder never initialised, must be harmless. */
    chunk_encoder_free(&e);
    chunk_encoder_free(&e);
    chunk_encoder_free(&(chunk_encoder){0});
}

/* Steps of different content through a pool: out in the order they went
 * in, each exactly what a lone encoder makes of it. */
static int pool_in_order(int threads, size_t nsteps)
{
    chunk_pool *p = NULL;
    char err[T2I_ERRLEN];
    float *raw = malloc(NVALUES * sizeof *raw);
    chunk_encoder e;
    if (!raw || chunk_encoder_init(&e, 1, NVALUES * sizeof *raw, err, sizeof err) != T2I_OK) {
        free(raw);
        return 0;
    }
    int ok = chunk_pool_open(&p, threads, 1, NVALUES * sizeof *raw, err, sizeof err) == T2I_OK;
    size_t taken = 0;
    for (size_t put = 0; ok && taken < nsteps;) {
        if (put < nsteps && chunk_pool_pending(p) < chunk_pool_slots(p)) {
            fill_smooth(raw, NVALUES);
            raw[0] = (float)put; /* each step its own */
            ok = chunk_pool_put(p, raw, err, sizeof err) == T2I_OK;
            put++;
            continue;
        }
        const void *got, *want;
        size_t glen, wlen;
        unsigned gmask, wmask;
        ok = chunk_pool_take(p, &got, &glen, &gmask, err, sizeof err) == T2I_OK;
        fill_smooth(raw, NVALUES);
        raw[0] = (float)taken++;
        ok = ok && chunk_encode(&e, raw, &want, &wlen, &wmask, err, sizeof err) == T2I_OK &&
             glen == wlen && gmask == wmask && memcmp(got, want, glen) == 0;
    }
    chunk_pool_close(p);
    chunk_encoder_free(&e);
    free(raw);
    return ok && taken == nsteps;
}

static void test_pool(t2i_tally *t)
{
    CHECK(t, pool_in_order(1, 5), "a pool of one thread encodes in the caller, in order");
    CHECK(t, pool_in_order(3, 20), "a pool of three threads gives back 20 steps in order, "
                                   "each as one encoder makes it");
    chunk_pool *p = NULL;
    char err[T2I_ERRLEN] = "";
    int st = chunk_pool_open(&p, CHUNK_MAX_THREADS + 1, 1, 16, err, sizeof err);
    CHECK(t, st == T2I_EUSAGE && p == NULL, "more threads than CHUNK_MAX_THREADS are refused");
    st = chunk_pool_open(&p, 2, 1, 16, err, sizeof err);
    const void *c;
    size_t len;
    unsigned mask;
    if (st == T2I_OK)
        st = chunk_pool_take(p, &c, &len, &mask, err, sizeof err);
    CHECK(t, st == T2I_ESYS, "taking from an empty pool fails instead of waiting for ever");
    chunk_pool_close(p);
    chunk_pool_close(NULL);
    unsigned char raw[16] = "fifteen bytes..", keep[16];
    memcpy(keep, raw, sizeof raw);
    st = chunk_pool_open(&p, 1, 0, sizeof raw, err, sizeof err);
    if (st == T2I_OK)
        st = chunk_pool_put(p, raw, err, sizeof err);
    memset(raw, 0, sizeof raw);
    if (st == T2I_OK)
        st = chunk_pool_take(p, &c, &len, &mask, err, sizeof err);
    CHECK(t, st == T2I_OK && len == sizeof raw && memcmp(c, keep, sizeof keep) == 0,
          "an uncompressed chunk taken later is what was put, not the caller's reused buffer");
    chunk_pool_close(p);
}

int main(void)
{
    t2i_tally t = {0};
    test_levels(&t);
    test_shuffle(&t);
    test_deflate(&t);
    test_stored(&t);
    test_pool(&t);
    return CHECK_SUMMARY(&t);
}
