/* Encoding one output chunk (see chunk.h). */
#include "chunk.h"

#include <isa-l/igzip_lib.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "t2i.h"

/* Bytes of one output value (float32). */
#define CHUNK_VALUE_BYTES 4

int chunk_isal_level(int deflate)
{
    return deflate <= 0 ? 0 : deflate <= 3 ? 1 : deflate <= 6 ? 2 : 3;
}

/* ISA-L's recommended working memory for a level, in bytes. */
static size_t level_buf_bytes(int level)
{
    static const size_t bytes[] = {ISAL_DEF_LVL0_DEFAULT, ISAL_DEF_LVL1_DEFAULT,
                                   ISAL_DEF_LVL2_DEFAULT, ISAL_DEF_LVL3_DEFAULT};
    return bytes[level];
}

int chunk_encoder_init(chunk_encoder *e, int deflate, size_t bytes, char *err, size_t errlen)
{
    *e = (chunk_encoder){.deflate = deflate, .isal_level = chunk_isal_level(deflate),
                         .bytes = bytes};
    if (deflate <= 0)
        return T2I_OK;
    /* ISA-L counts its input in 32 bits. */
    if (bytes > UINT32_MAX)
        return t2i_fail(T2I_ESYS, err, errlen, "a time step of %zu bytes is too large to "
                        "compress in one piece", bytes);
    e->level_buf_len = level_buf_bytes(e->isal_level);
    e->shuffled = malloc(bytes ? bytes : 1);
    e->packed = malloc(bytes ? bytes : 1);
    e->level_buf = malloc(e->level_buf_len);
    if (!e->shuffled || !e->packed || !e->level_buf) {
        chunk_encoder_free(e);
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory for a %zu-byte chunk encoder",
                        2 * bytes + level_buf_bytes(chunk_isal_level(deflate)));
    }
    return T2I_OK;
}

/* The chunks are the host's bytes, stored as they are: HDF5's direct write
 * converts nothing, and netCDF-C's NC_FLOAT is little-endian in the file. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "chunk.c writes the host's float bytes: little-endian hosts only");

/* Values shuffled per block: a trip count the compiler knows lets it
 * vectorise the transpose below even at -O2. */
#define SHUFFLE_BLOCK 256

/* SHUFFLE_BLOCK 4-byte values from `in` to the four byte planes, a 4 x 4
 * byte transpose in 32-bit words. */
static void shuffle4_block(const unsigned char *restrict in, unsigned char *restrict p0,
                           unsigned char *restrict p1, unsigned char *restrict p2,
                           unsigned char *restrict p3)
{
    for (size_t i = 0; i < SHUFFLE_BLOCK; i += 4) {
        uint32_t a, b, c, d;
        memcpy(&a, in + 4 * i, 4);
        memcpy(&b, in + 4 * i + 4, 4);
        memcpy(&c, in + 4 * i + 8, 4);
        memcpy(&d, in + 4 * i + 12, 4);
        uint32_t w0 = (a & 0xff) | (b & 0xff) << 8 | (c & 0xff) << 16 | d << 24;
        uint32_t w1 = (a >> 8 & 0xff) | (b >> 8 & 0xff) << 8 | (c >> 8 & 0xff) << 16 |
                      (d >> 8) << 24;
        uint32_t w2 = (a >> 16 & 0xff) | (b >> 16 & 0xff) << 8 | (c >> 16 & 0xff) << 16 |
                      (d >> 16) << 24;
        uint32_t w3 = (a >> 24) | (b >> 24) << 8 | (c >> 24) << 16 | (d >> 24) << 24;
        memcpy(p0 + i, &w0, 4);
        memcpy(p1 + i, &w1, 4);
        memcpy(p2 + i, &w2, 4);
        memcpy(p3 + i, &w3, 4);
    }
}

/* n 4-byte values: whole blocks (about four times faster than byte by
 * byte, 0.07 against 0.3 s/GB here), then the rest one by one. With SSE2,
 * sixteen values at a time by three rounds of byte unpacking (a byte
 * transpose), faster again. */
static void shuffle4(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t i = 0;
#ifdef __SSE2__
    for (; i + 16 <= n; i += 16) {
        const __m128i *v = (const __m128i *)(const void *)(in + 4 * i);
        __m128i a = _mm_loadu_si128(v), b = _mm_loadu_si128(v + 1);
        __m128i c = _mm_loadu_si128(v + 2), d = _mm_loadu_si128(v + 3);
        /* Values 0-7: a and b; after three unpacks, z0 holds byte planes 0
         * and 1 of them, z1 planes 2 and 3. Likewise c and d, values 8-15. */
        __m128i x0 = _mm_unpacklo_epi8(a, b), x1 = _mm_unpackhi_epi8(a, b);
        __m128i y0 = _mm_unpacklo_epi8(x0, x1), y1 = _mm_unpackhi_epi8(x0, x1);
        __m128i z0 = _mm_unpacklo_epi8(y0, y1), z1 = _mm_unpackhi_epi8(y0, y1);
        x0 = _mm_unpacklo_epi8(c, d);
        x1 = _mm_unpackhi_epi8(c, d);
        y0 = _mm_unpacklo_epi8(x0, x1);
        y1 = _mm_unpackhi_epi8(x0, x1);
        __m128i w0 = _mm_unpacklo_epi8(y0, y1), w1 = _mm_unpackhi_epi8(y0, y1);
        _mm_storeu_si128((__m128i *)(void *)(out + i), _mm_unpacklo_epi64(z0, w0));
        _mm_storeu_si128((__m128i *)(void *)(out + n + i), _mm_unpackhi_epi64(z0, w0));
        _mm_storeu_si128((__m128i *)(void *)(out + 2 * n + i), _mm_unpacklo_epi64(z1, w1));
        _mm_storeu_si128((__m128i *)(void *)(out + 3 * n + i), _mm_unpackhi_epi64(z1, w1));
    }
#endif
    for (; i + SHUFFLE_BLOCK <= n; i += SHUFFLE_BLOCK)
        shuffle4_block(in + 4 * i, out + i, out + n + i, out + 2 * n + i, out + 3 * n + i);
    for (; i < n; i++)
        for (size_t k = 0; k < 4; k++)
            out[k * n + i] = in[4 * i + k];
}

void chunk_shuffle(const unsigned char *in, size_t n, size_t size, unsigned char *out)
{
    if (size == CHUNK_VALUE_BYTES) {
        shuffle4(in, n, out);
        return;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < size; b++)
            out[b * n + i] = in[i * size + b];
}

int chunk_encode(chunk_encoder *e, const void *raw, const void **chunk, size_t *len,
                 unsigned *mask, char *err, size_t errlen)
{
    *chunk = raw;
    *len = e->bytes;
    *mask = 0;
    if (e->deflate <= 0)
        return T2I_OK;
    chunk_shuffle(raw, e->bytes / CHUNK_VALUE_BYTES, CHUNK_VALUE_BYTES, e->shuffled);
    /* isal_deflate_stateless_init leaves parts of the state it later reads
     * unset (valgrind sees it): zero it all, so the output is reproducible. */
    struct isal_zstream z;
    memset(&z, 0, sizeof z);
    isal_deflate_stateless_init(&z);
    z.next_in = e->shuffled;
    z.avail_in = (uint32_t)e->bytes;
    z.next_out = e->packed;
    /* No more room than the raw chunk: what does not shrink is stored
     * shuffled only, as HDF5 does when its deflate filter overflows. */
    z.avail_out = (uint32_t)e->bytes;
    z.level = (uint32_t)e->isal_level;
    z.level_buf = e->level_buf;
    z.level_buf_size = (uint32_t)e->level_buf_len;
    z.gzip_flag = IGZIP_ZLIB;
    z.end_of_stream = 1;
    z.flush = NO_FLUSH;
    int rc = isal_deflate_stateless(&z);
    if (rc == STATELESS_OVERFLOW) {
        *chunk = e->shuffled;
        *mask = CHUNK_SKIPPED_DEFLATE;
        return T2I_OK;
    }
    if (rc != COMP_OK)
        return t2i_fail(T2I_ESYS, err, errlen, "isal_deflate_stateless: error %d", rc);
    *chunk = e->packed;
    *len = z.total_out;
    return T2I_OK;
}

void chunk_encoder_free(chunk_encoder *e)
{
    free(e->shuffled);
    free(e->packed);
    free(e->level_buf);
    e->shuffled = e->packed = e->level_buf = NULL;
}

/* ------------------------------------------------------------ the pool */

typedef enum { SLOT_FREE, SLOT_QUEUED, SLOT_BUSY, SLOT_DONE } slot_state;

typedef struct {
    slot_state state;
    unsigned char *raw;  /* bytes: the chunk put */
    chunk_encoder enc;
    const void *chunk;   /* the encoded result, as chunk_encode gives it */
    size_t len;
    unsigned mask;
    int status;
    char err[T2I_ERRLEN];
} pool_slot;

struct chunk_pool {
    pthread_mutex_t lock;
    pthread_cond_t work; /* a slot was queued, or stop */
    pthread_cond_t done; /* a slot was encoded */
    int stop;
    int nthreads;        /* started */
    pthread_t thread[CHUNK_MAX_THREADS];
    size_t nslots, head, pending; /* ring: head is the oldest pending slot */
    size_t next_queued;  /* slots before it (from head) are taken by a thread */
    size_t bytes;
    pool_slot *slot;
};

static void encode_slot(pool_slot *s)
{
    s->status = chunk_encode(&s->enc, s->raw, &s->chunk, &s->len, &s->mask, s->err,
                             sizeof s->err);
}

/* Each thread takes the oldest queued slot, so slots finish roughly in
 * order and the writer rarely waits behind a late one. */
static void *pool_thread(void *arg)
{
    chunk_pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && p->next_queued == p->pending)
            pthread_cond_wait(&p->work, &p->lock);
        if (p->stop)
            break;
        pool_slot *s = &p->slot[(p->head + p->next_queued++) % p->nslots];
        s->state = SLOT_BUSY;
        pthread_mutex_unlock(&p->lock);
        encode_slot(s);
        pthread_mutex_lock(&p->lock);
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static int pool_alloc(chunk_pool *p, int threads, int deflate, size_t bytes, char *err,
                      size_t errlen)
{
    p->nslots = threads > 1 ? 2 * (size_t)threads : 1;
    p->bytes = bytes;
    p->slot = calloc(p->nslots, sizeof *p->slot);
    if (!p->slot)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory for %zu chunk slots", p->nslots);
    for (size_t i = 0; i < p->nslots; i++) {
        int st = chunk_encoder_init(&p->slot[i].enc, deflate, bytes, err, errlen);
        if (st != T2I_OK)
            return st;
        p->slot[i].raw = malloc(bytes ? bytes : 1);
        if (!p->slot[i].raw)
            return t2i_fail(T2I_ESYS, err, errlen, "out of memory for a %zu-byte chunk slot",
                            bytes);
    }
    return T2I_OK;
}

int chunk_pool_open(chunk_pool **pool, int threads, int deflate, size_t bytes, char *err,
                    size_t errlen)
{
    *pool = NULL;
    if (threads < 1 || threads > CHUNK_MAX_THREADS)
        return t2i_fail(T2I_EUSAGE, err, errlen, "%d threads: 1 to %d are possible", threads,
                        CHUNK_MAX_THREADS);
    chunk_pool *p = calloc(1, sizeof *p);
    if (!p)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory for a chunk pool");
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    int st = pool_alloc(p, threads, deflate, bytes, err, errlen);
    for (int i = 0; st == T2I_OK && threads > 1 && i < threads; i++) {
        int rc = pthread_create(&p->thread[i], NULL, pool_thread, p);
        if (rc != 0)
            st = t2i_fail(T2I_ESYS, err, errlen, "cannot start an encoding thread: %s",
                          strerror(rc));
        else
            p->nthreads++;
    }
    if (st != T2I_OK) {
        chunk_pool_close(p);
        return st;
    }
    *pool = p;
    return T2I_OK;
}

size_t chunk_pool_pending(const chunk_pool *p)
{
    return p->pending;
}

size_t chunk_pool_slots(const chunk_pool *p)
{
    return p->nslots;
}

int chunk_pool_put(chunk_pool *p, const void *raw, char *err, size_t errlen)
{
    pthread_mutex_lock(&p->lock);
    if (p->pending == p->nslots) {
        pthread_mutex_unlock(&p->lock);
        return t2i_fail(T2I_ESYS, err, errlen, "no free chunk slot (take one first)");
    }
    pool_slot *s = &p->slot[(p->head + p->pending) % p->nslots];
    pthread_mutex_unlock(&p->lock);
    if (p->nthreads == 0) {
        /* Encoded at once from the caller's buffer: only a result that is
         * that buffer itself (deflate 0) must be copied to outlive it. */
        s->status = chunk_encode(&s->enc, raw, &s->chunk, &s->len, &s->mask, s->err,
                                 sizeof s->err);
        if (s->chunk == raw) {
            memcpy(s->raw, raw, p->bytes);
            s->chunk = s->raw;
        }
        p->pending++;
        p->next_queued++;
        s->state = SLOT_DONE;
        return T2I_OK;
    }
    /* A free slot belongs to the caller alone until it is queued. */
    memcpy(s->raw, raw, p->bytes);
    pthread_mutex_lock(&p->lock);
    p->pending++;
    s->state = SLOT_QUEUED;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->lock);
    return T2I_OK;
}

int chunk_pool_take(chunk_pool *p, const void **chunk, size_t *len, unsigned *mask, char *err,
                    size_t errlen)
{
    pthread_mutex_lock(&p->lock);
    if (p->pending == 0) {
        pthread_mutex_unlock(&p->lock);
        return t2i_fail(T2I_ESYS, err, errlen, "no chunk to take");
    }
    pool_slot *s = &p->slot[p->head];
    while (s->state != SLOT_DONE)
        pthread_cond_wait(&p->done, &p->lock);
    s->state = SLOT_FREE;
    p->head = (p->head + 1) % p->nslots;
    p->pending--;
    p->next_queued--;
    pthread_mutex_unlock(&p->lock);
    /* The freed slot is reused only by the next put, after the caller is done. */
    *chunk = s->chunk;
    *len = s->len;
    *mask = s->mask;
    if (s->status != T2I_OK)
        return t2i_fail(s->status, err, errlen, "%s", s->err);
    return T2I_OK;
}

void chunk_pool_close(chunk_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->thread[i], NULL);
    for (size_t i = 0; p->slot && i < p->nslots; i++) {
        chunk_encoder_free(&p->slot[i].enc);
        free(p->slot[i].raw);
    }
    free(p->slot);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
