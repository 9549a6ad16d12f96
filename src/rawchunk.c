/* Direct chunk reads of deflated float variables, inflated by ISA-L (see
 * rawchunk.h). */
#include "rawchunk.h"

#include <hdf5.h>
#include <isa-l/igzip_lib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "t2i.h"

/* Variables of more dimensions go through netCDF-C. */
#define RAW_MAX_DIMS 8

struct rawchunk {
    hid_t file, dset;
    char var[256];
    int ndims;
    size_t dimlen[RAW_MAX_DIMS], cdim[RAW_MAX_DIMS];
    int shuffle_pos, deflate_pos; /* places in the filter pipeline, -1 absent */
    int swap;                     /* stored byte order is not the host's */
    float fill;                   /* the value of a chunk never written */
    size_t chunk_bytes;           /* one chunk inflated */
    unsigned char *stored;        /* one chunk as stored */
    size_t stored_cap;
    unsigned char *plain; /* inflated, still shuffled */
    float *values;        /* one chunk's values, when copied out in parts */
    size_t nread;
    struct inflate_state isal;
};

/* One element's four bytes from the four byte planes, in host order. */
static void unshuffle_scalar(unsigned char *dst, const unsigned char *b0,
                             const unsigned char *b1, const unsigned char *b2,
                             const unsigned char *b3, size_t from, size_t ne)
{
    for (size_t i = from; i < ne; i++) {
        dst[4 * i] = b0[i];
        dst[4 * i + 1] = b1[i];
        dst[4 * i + 2] = b2[i];
        dst[4 * i + 3] = b3[i];
    }
}

void rawchunk_unshuffle4(unsigned char *dst, const unsigned char *src, size_t n, int swap)
{
    size_t ne = n / 4, i = 0;
    const unsigned char *b0 = src, *b1 = src + ne, *b2 = src + 2 * ne, *b3 = src + 3 * ne;
    if (swap) {
        const unsigned char *t = b0;
        b0 = b3;
        b3 = t;
        t = b1;
        b1 = b2;
        b2 = t;
    }
#ifdef __SSE2__
    /* Sixteen elements at a time: interleave the planes' bytes, then their
     * byte pairs (x86 is little-endian: plane 0 is the lowest byte). */
    for (; i + 16 <= ne; i += 16) {
        __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)(b0 + i));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(b1 + i));
        __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(b2 + i));
        __m128i v3 = _mm_loadu_si128((const __m128i *)(const void *)(b3 + i));
        __m128i lo01 = _mm_unpacklo_epi8(v0, v1), hi01 = _mm_unpackhi_epi8(v0, v1);
        __m128i lo23 = _mm_unpacklo_epi8(v2, v3), hi23 = _mm_unpackhi_epi8(v2, v3);
        __m128i *out = (__m128i *)(void *)(dst + 4 * i);
        _mm_storeu_si128(out, _mm_unpacklo_epi16(lo01, lo23));
        _mm_storeu_si128(out + 1, _mm_unpackhi_epi16(lo01, lo23));
        _mm_storeu_si128(out + 2, _mm_unpacklo_epi16(hi01, hi23));
        _mm_storeu_si128(out + 3, _mm_unpackhi_epi16(hi01, hi23));
    }
#endif
    unshuffle_scalar(dst, b0, b1, b2, b3, i, ne);
    /* HDF5's shuffle leaves bytes past the last whole element in place. */
    memcpy(dst + 4 * ne, src + 4 * ne, n - 4 * ne);
}

static void swap4(unsigned char *dst, const unsigned char *src, size_t n)
{
    for (size_t i = 0; i + 4 <= n; i += 4) {
        dst[i] = src[i + 3];
        dst[i + 1] = src[i + 2];
        dst[i + 2] = src[i + 1];
        dst[i + 3] = src[i];
    }
}

/* ------------------------------------------------------------ opening */

/* Why the netCDF path reads it: fills why, returns 0 (no raw path). */
static int decline(char *why, size_t whylen, const char *fmt, const char *arg)
{
    snprintf(why, whylen, fmt, arg);
    return 0;
}

static int open_dataset(rawchunk *r, const char *path, const char *var, char *why,
                        size_t whylen)
{
    if (H5Eset_auto2(H5E_DEFAULT, NULL, NULL) < 0)
        return decline(why, whylen, "%s", "HDF5 error reporting cannot be silenced");
    r->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (r->file < 0)
        return decline(why, whylen, "%s", "HDF5 cannot open the file beside netCDF-C");
    r->dset = H5Dopen2(r->file, var, H5P_DEFAULT);
    if (r->dset < 0) {
        /* netCDF-4's name for a variable named like a dimension it is not
         * the coordinate of. */
        char alt[300];
        snprintf(alt, sizeof alt, "_nc4_non_coord_%s", var);
        r->dset = H5Dopen2(r->file, alt, H5P_DEFAULT);
    }
    if (r->dset < 0)
        return decline(why, whylen, "no HDF5 dataset '%s' in the root group", var);
    return 1;
}

static int check_shape(rawchunk *r, int ndims, const size_t *dimlen, char *why, size_t whylen)
{
    hid_t space = H5Dget_space(r->dset);
    hsize_t dims[RAW_MAX_DIMS];
    int n = space < 0 ? -1 : H5Sget_simple_extent_ndims(space);
    int same = n == ndims && H5Sget_simple_extent_dims(space, dims, NULL) == n;
    for (int d = 0; same && d < n; d++)
        same = dims[d] == dimlen[d];
    if (space >= 0)
        H5Sclose(space);
    if (!same)
        return decline(why, whylen, "%s", "the HDF5 dataset's shape is not netCDF's");
    r->ndims = ndims;
    memcpy(r->dimlen, dimlen, (size_t)ndims * sizeof *dimlen);
    return 1;
}

static int check_type(rawchunk *r, char *why, size_t whylen)
{
    hid_t t = H5Dget_type(r->dset);
    int ok = 1;
    if (t >= 0 && H5Tequal(t, H5T_NATIVE_FLOAT) > 0)
        r->swap = 0;
    else if (t >= 0 && (H5Tequal(t, H5T_IEEE_F32LE) > 0 || H5Tequal(t, H5T_IEEE_F32BE) > 0))
        r->swap = 1; /* IEEE float32 of the other byte order */
    else
        ok = 0;
    if (t >= 0)
        H5Tclose(t);
    return ok ? 1 : decline(why, whylen, "%s", "the data are not IEEE 32-bit floats");
}

static const char *filter_name(H5Z_filter_t id)
{
    return id == H5Z_FILTER_FLETCHER32 ? "fletcher32"
           : id == H5Z_FILTER_SZIP     ? "szip"
           : id == H5Z_FILTER_NBIT     ? "nbit"
           : id == H5Z_FILTER_SCALEOFFSET ? "scaleoffset"
                                          : "a plugin";
}

/* The pipeline: nothing, deflate, shuffle, or shuffle then deflate. */
static int check_filters(rawchunk *r, hid_t dcpl, char *why, size_t whylen)
{
    r->shuffle_pos = r->deflate_pos = -1;
    int n = H5Pget_nfilters(dcpl);
    if (n < 0)
        return decline(why, whylen, "%s", "the filters cannot be read");
    for (int i = 0; i < n; i++) {
        unsigned flags = 0, cd[8];
        size_t ncd = 8;
        H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd, 0, NULL, NULL);
        if (id == H5Z_FILTER_SHUFFLE && r->shuffle_pos < 0)
            r->shuffle_pos = i;
        else if (id == H5Z_FILTER_DEFLATE && r->deflate_pos < 0)
            r->deflate_pos = i;
        else
            return decline(why, whylen, "filter '%s' (only shuffle and deflate are read "
                           "directly)", id == H5Z_FILTER_SHUFFLE || id == H5Z_FILTER_DEFLATE
                                            ? "twice" : filter_name(id));
    }
    if (r->shuffle_pos > 0 && r->deflate_pos >= 0 && r->deflate_pos < r->shuffle_pos)
        return decline(why, whylen, "%s", "shuffle after deflate");
    return 1;
}

static int check_layout(rawchunk *r, size_t memory_bytes, char *why, size_t whylen)
{
    hid_t dcpl = H5Dget_create_plist(r->dset);
    if (dcpl < 0)
        return decline(why, whylen, "%s", "no dataset creation properties");
    int ok = 1;
    hsize_t c[RAW_MAX_DIMS];
    if (H5Pget_layout(dcpl) != H5D_CHUNKED)
        ok = decline(why, whylen, "%s", "not chunked (contiguous or compact storage)");
    else if (H5Pget_chunk(dcpl, r->ndims, c) != r->ndims)
        ok = decline(why, whylen, "%s", "the chunk shape cannot be read");
    else
        ok = check_filters(r, dcpl, why, whylen);
    H5D_fill_value_t fv;
    if (ok && (H5Pfill_value_defined(dcpl, &fv) < 0 || fv == H5D_FILL_VALUE_UNDEFINED ||
               H5Pget_fill_value(dcpl, H5T_NATIVE_FLOAT, &r->fill) < 0))
        ok = decline(why, whylen, "%s", "no fill value for chunks never written");
    H5Pclose(dcpl);
    if (!ok)
        return 0;
    r->chunk_bytes = sizeof(float);
    for (int d = 0; d < r->ndims; d++) {
        r->cdim[d] = (size_t)c[d];
        if (r->cdim[d] == 0 || r->chunk_bytes > SIZE_MAX / 4 / r->cdim[d])
            return decline(why, whylen, "%s", "the chunk shape is out of range");
        r->chunk_bytes *= r->cdim[d];
    }
    /* A stored chunk, its inflated bytes and its values at once. */
    if (r->chunk_bytes > memory_bytes / 3)
        return decline(why, whylen, "%s", "one chunk is larger than a third of --memory");
    return 1;
}

int rawchunk_open(const char *path, const char *var, int ndims, const size_t *dimlen,
                  size_t memory_bytes, rawchunk **raw, char *why, size_t whylen, char *err,
                  size_t errlen)
{
    *raw = NULL;
    why[0] = '\0';
    if (ndims < 1 || ndims > RAW_MAX_DIMS) {
        snprintf(why, whylen, "%d dimensions", ndims);
        return T2I_OK;
    }
    rawchunk *r = calloc(1, sizeof *r);
    if (!r)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory");
    r->file = r->dset = -1;
    snprintf(r->var, sizeof r->var, "%s", var);
    if (!open_dataset(r, path, var, why, whylen) || !check_shape(r, ndims, dimlen, why, whylen) ||
        !check_type(r, why, whylen) || !check_layout(r, memory_bytes, why, whylen)) {
        rawchunk_close(r);
        return T2I_OK;
    }
    r->plain = malloc(r->chunk_bytes);
    r->values = malloc(r->chunk_bytes);
    if (!r->plain || !r->values) {
        rawchunk_close(r);
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory for a %zu-byte chunk",
                        r->chunk_bytes);
    }
    *raw = r;
    return T2I_OK;
}

void rawchunk_close(rawchunk *r)
{
    if (!r)
        return;
    if (r->dset >= 0)
        H5Dclose(r->dset);
    if (r->file >= 0)
        H5Fclose(r->file);
    free(r->stored);
    free(r->plain);
    free(r->values);
    free(r);
}

const size_t *rawchunk_dims(const rawchunk *r)
{
    return r->cdim;
}

size_t rawchunk_reads(const rawchunk *r)
{
    return r->nread;
}

/* ------------------------------------------------------------ one chunk */

static void chunk_name(const rawchunk *r, const hsize_t *off, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "the chunk of '%s' at (", r->var);
    for (int d = 0; d < r->ndims && n < size; d++)
        n += (size_t)snprintf(buf + n, size - n, "%s%llu", d ? ", " : "",
                              (unsigned long long)off[d]);
    if (n < size)
        snprintf(buf + n, size - n, ")");
}

static int damaged(const rawchunk *r, const hsize_t *off, const char *why, char *err,
                   size_t errlen)
{
    char name[200];
    chunk_name(r, off, name, sizeof name);
    return t2i_fail(T2I_EINPUT, err, errlen, "%s is damaged: %s", name, why);
}

/* Inflates the zlib stream of n bytes into exactly r->chunk_bytes at dst. */
static int inflate_chunk(rawchunk *r, const hsize_t *off, size_t n, unsigned char *dst,
                         char *err, size_t errlen)
{
    struct inflate_state *s = &r->isal;
    isal_inflate_init(s);
    s->crc_flag = ISAL_ZLIB;
    s->next_in = r->stored;
    s->avail_in = (uint32_t)n;
    s->next_out = dst;
    s->avail_out = (uint32_t)r->chunk_bytes;
    int ret = isal_inflate(s);
    if (ret == ISAL_INCORRECT_CHECKSUM)
        return damaged(r, off, "its Adler-32 checksum does not match", err, errlen);
    if (ret != ISAL_DECOMP_OK)
        return damaged(r, off, "not a valid zlib stream", err, errlen);
    if (s->block_state != ISAL_BLOCK_FINISH)
        return damaged(r, off, s->avail_out ? "its zlib stream is truncated"
                                            : "it inflates to more than a chunk", err, errlen);
    if (s->avail_out)
        return damaged(r, off, "it inflates to less than a chunk", err, errlen);
    return T2I_OK;
}

/* Reads the chunk at off and leaves its values at dst (r->chunk_bytes). */
static int decode_chunk(rawchunk *r, const hsize_t *off, unsigned char *dst, char *err,
                        size_t errlen)
{
    hsize_t nbytes = 0;
    if (H5Dget_chunk_storage_size(r->dset, off, &nbytes) < 0)
        return t2i_fail(T2I_ESYS, err, errlen, "HDF5 cannot locate a chunk of '%s'", r->var);
    r->nread++;
    if (nbytes == 0) { /* never written: the fill value, as HDF5 reads it */
        for (size_t i = 0; i < r->chunk_bytes / 4; i++)
            memcpy(dst + 4 * i, &r->fill, 4);
        return T2I_OK;
    }
    if (nbytes > r->chunk_bytes + r->chunk_bytes / 8 + 4096)
        return damaged(r, off, "it is stored larger than deflate can make it", err, errlen);
    if (nbytes > r->stored_cap) {
        unsigned char *p = realloc(r->stored, (size_t)nbytes);
        if (!p)
            return t2i_fail(T2I_ESYS, err, errlen, "out of memory for a chunk of '%s'", r->var);
        r->stored = p;
        r->stored_cap = (size_t)nbytes;
    }
    uint32_t mask = 0;
    if (H5Dread_chunk(r->dset, H5P_DEFAULT, off, &mask, r->stored) < 0)
        return t2i_fail(T2I_ESYS, err, errlen, "HDF5 cannot read a chunk of '%s'", r->var);
    /* A set bit of the mask is a filter HDF5 skipped for this chunk. */
    int deflated = r->deflate_pos >= 0 && !(mask & (1u << r->deflate_pos));
    int shuffled = r->shuffle_pos >= 0 && !(mask & (1u << r->shuffle_pos));
    const unsigned char *src = r->stored;
    if (deflated) {
        unsigned char *to = shuffled || r->swap ? r->plain : dst;
        int st = inflate_chunk(r, off, (size_t)nbytes, to, err, errlen);
        if (st)
            return st;
        src = to;
    } else if (nbytes != r->chunk_bytes) {
        return damaged(r, off, "stored uncompressed, but not a chunk's size", err, errlen);
    }
    if (shuffled)
        rawchunk_unshuffle4(dst, src, r->chunk_bytes, r->swap);
    else if (r->swap)
        swap4(dst, src, r->chunk_bytes);
    else if (src != dst)
        memcpy(dst, src, r->chunk_bytes);
    return T2I_OK;
}

/* ------------------------------------------------------------ a box */

/* Copies the part of the chunk at off (values v) inside the request. */
static void copy_part(const rawchunk *r, const hsize_t *off, const float *v,
                      const size_t *start, const size_t *count, float *buf)
{
    int n = r->ndims;
    size_t lo[RAW_MAX_DIMS], hi[RAW_MAX_DIMS], cstride[RAW_MAX_DIMS], dstride[RAW_MAX_DIMS];
    for (int d = n - 1; d >= 0; d--) {
        size_t c0 = (size_t)off[d];
        lo[d] = start[d] > c0 ? start[d] : c0;
        hi[d] = start[d] + count[d] < c0 + r->cdim[d] ? start[d] + count[d] : c0 + r->cdim[d];
        cstride[d] = d == n - 1 ? 1 : cstride[d + 1] * r->cdim[d + 1];
        dstride[d] = d == n - 1 ? 1 : dstride[d + 1] * count[d + 1];
    }
    size_t x[RAW_MAX_DIMS], run = hi[n - 1] - lo[n - 1];
    memcpy(x, lo, sizeof x);
    for (;;) {
        size_t so = 0, dof = 0;
        for (int d = 0; d < n; d++) {
            so += (x[d] - (size_t)off[d]) * cstride[d];
            dof += (x[d] - start[d]) * dstride[d];
        }
        memcpy(buf + dof, v + so, run * sizeof *v);
        int d = n - 2;
        for (; d >= 0; d--) {
            if (++x[d] < hi[d])
                break;
            x[d] = lo[d];
        }
        if (d < 0)
            return;
    }
}

/* The chunk at off is one contiguous block of the request: every
 * dimension but the first spans exactly the request's, within the
 * variable, and the first lies inside it. Its values then go straight
 * into buf. */
static float *direct_target(const rawchunk *r, const hsize_t *off, const size_t *start,
                            const size_t *count, float *buf)
{
    size_t block = 1;
    for (int d = r->ndims - 1; d >= 1; d--) {
        if ((size_t)off[d] != start[d] || r->cdim[d] != count[d] ||
            (size_t)off[d] + r->cdim[d] > r->dimlen[d])
            return NULL;
        block *= count[d];
    }
    size_t o = (size_t)off[0];
    if (o < start[0] || o + r->cdim[0] > start[0] + count[0])
        return NULL;
    return buf + (o - start[0]) * block;
}

int rawchunk_read(rawchunk *r, const size_t *start, const size_t *count, float *buf,
                  char *err, size_t errlen)
{
    int n = r->ndims;
    size_t c0[RAW_MAX_DIMS], c1[RAW_MAX_DIMS], ci[RAW_MAX_DIMS];
    for (int d = 0; d < n; d++) {
        if (count[d] == 0 || start[d] + count[d] > r->dimlen[d])
            return t2i_fail(T2I_EINPUT, err, errlen, "reading '%s': a box outside the variable",
                            r->var);
        c0[d] = start[d] / r->cdim[d];
        c1[d] = (start[d] + count[d] - 1) / r->cdim[d];
    }
    memcpy(ci, c0, sizeof ci);
    for (;;) {
        hsize_t off[RAW_MAX_DIMS];
        for (int d = 0; d < n; d++)
            off[d] = (hsize_t)(ci[d] * r->cdim[d]);
        float *direct = direct_target(r, off, start, count, buf);
        int st = decode_chunk(r, off, (unsigned char *)(direct ? direct : r->values), err,
                              errlen);
        if (st)
            return st;
        if (!direct)
            copy_part(r, off, r->values, start, count, buf);
        int d = n - 1;
        for (; d >= 0; d--) {
            if (++ci[d] <= c1[d])
                break;
            ci[d] = c0[d];
        }
        if (d < 0)
            return T2I_OK;
    }
}
