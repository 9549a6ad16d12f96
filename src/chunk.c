/* Encoding one output chunk (see chunk.h). */
#include "chunk.h"

#include <isa-l/igzip_lib.h>
#include <stdint.h>
#include <stdlib.h>

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

void chunk_shuffle(const unsigned char *in, size_t n, size_t size, unsigned char *out)
{
    if (size == CHUNK_VALUE_BYTES) {
        /* The one size we write, spelled out so the compiler keeps it fast. */
        for (size_t i = 0; i < n; i++) {
            out[i] = in[4 * i];
            out[n + i] = in[4 * i + 1];
            out[2 * n + i] = in[4 * i + 2];
            out[3 * n + i] = in[4 * i + 3];
        }
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
    struct isal_zstream z;
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
