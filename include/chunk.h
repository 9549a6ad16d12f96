/* One output chunk (one whole time step) encoded the way HDF5's filter
 * pipeline would store it for a variable netCDF-C declared with shuffle and
 * deflate: HDF5's byte shuffle, then a zlib stream (RFC 1950, what HDF5's
 * deflate filter reads with plain zlib), compressed here by ISA-L, which is
 * several times faster than zlib at a size within a few per cent. No file
 * is touched: cfout.c hands the result to H5Dwrite_chunk. An encoder holds
 * its own buffers, so one encoder per thread may run concurrently. */
#ifndef T2I_CHUNK_H
#define T2I_CHUNK_H

#include <stddef.h>

/* Filter mask bits of H5Dwrite_chunk: bit i set = filter i of the
 * variable's pipeline (shuffle, then deflate, as netCDF-C defines it) was
 * skipped for this chunk. */
#define CHUNK_SKIPPED_DEFLATE 0x2u

typedef struct {
    int deflate;            /* the --deflate level asked, 0..9; 0 = no filters */
    int isal_level;         /* ISA-L level it maps to (chunk_isal_level) */
    size_t bytes;           /* bytes of one raw chunk */
    unsigned char *shuffled; /* bytes: the shuffled chunk */
    unsigned char *packed;  /* bytes: the zlib stream */
    unsigned char *level_buf; /* ISA-L's working memory for its level */
    size_t level_buf_len;   /* bytes */
} chunk_encoder;

/* The ISA-L level (1..3) used for zlib-style level `deflate` 1..9: ISA-L has
 * four levels where zlib has nine, so 1-3 give ISA-L 1, 4-6 give 2 and 7-9
 * give 3 (ISA-L level 0 is never used: it compresses TRENDY data much
 * less). Returns 0 for deflate 0 (stored unfiltered). */
int chunk_isal_level(int deflate);

/* Prepares an encoder for chunks of `bytes` bytes of 4-byte values at
 * level `deflate` (0..9). Fills err (T2I_ESYS) when memory runs out. */
int chunk_encoder_init(chunk_encoder *e, int deflate, size_t bytes, char *err, size_t errlen);

/* Encodes one raw chunk of e->bytes bytes: *chunk points at what to store
 * (the input itself for deflate 0, else a buffer of the encoder valid until
 * the next call), *len is its size in bytes and *mask its H5Dwrite_chunk
 * filter mask. A chunk that would not shrink is stored shuffled only, with
 * CHUNK_SKIPPED_DEFLATE set, as HDF5's own (optional) deflate filter does.
 * Fills err (T2I_ESYS) if ISA-L fails. */
int chunk_encode(chunk_encoder *e, const void *raw, const void **chunk, size_t *len,
                 unsigned *mask, char *err, size_t errlen);

/* Frees the encoder's buffers; safe on a zeroed or freed encoder. */
void chunk_encoder_free(chunk_encoder *e);

/* Encoding on worker threads: steps go in with chunk_pool_put and come out
 * encoded, in the order they went in, with chunk_pool_take, so the caller
 * (the one thread making HDF5 calls) writes the same file as without
 * threads. A pool of one thread starts none: put encodes in the caller. */
typedef struct chunk_pool chunk_pool;

/* Largest --threads accepted. */
#define CHUNK_MAX_THREADS 64

/* Starts `threads` (1..CHUNK_MAX_THREADS) encoders of chunks of `bytes`
 * bytes at level `deflate`, with 2 x threads slots in flight (each holding
 * a raw chunk and an encoder: about 3 x bytes). Fills err (T2I_ESYS) when
 * memory or a thread cannot be had. */
int chunk_pool_open(chunk_pool **pool, int threads, int deflate, size_t bytes, char *err,
                    size_t errlen);

/* Chunks put and not yet taken; chunk_pool_put needs one free slot:
 * chunk_pool_pending(p) < chunk_pool_slots(p). */
size_t chunk_pool_pending(const chunk_pool *p);
size_t chunk_pool_slots(const chunk_pool *p);

/* Copies one raw chunk into a free slot and queues it. Fills err if
 * encoding it at once (one thread) fails. */
int chunk_pool_put(chunk_pool *p, const void *raw, char *err, size_t errlen);

/* Waits for the oldest chunk put to be encoded and gives it as
 * chunk_encode does; *chunk stays valid until the next put or take. Fills
 * err with the encoder's message if it failed. */
int chunk_pool_take(chunk_pool *p, const void **chunk, size_t *len, unsigned *mask, char *err,
                    size_t errlen);

/* Stops the threads (after the chunks they are encoding) and frees
 * everything; safe on NULL. */
void chunk_pool_close(chunk_pool *p);

/* HDF5's shuffle of n values of `size` bytes: byte b of value i goes to
 * out[b * n + i]. */
void chunk_shuffle(const unsigned char *in, size_t n, size_t size, unsigned char *out);

#endif
