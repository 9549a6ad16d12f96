/* Reading a deflated netCDF-4 float variable chunk by chunk, without
 * HDF5's filters: each stored chunk is fetched with HDF5's direct chunk
 * read (H5Dread_chunk), inflated with ISA-L (zlib wrapper, Adler-32
 * checked), unshuffled and byte-swapped here, and its part of the request
 * copied out. ISA-L inflates three to four times faster than the zlib
 * HDF5 calls; the values are the same bytes.
 *
 * Only what this reader fully understands takes this path: a chunked
 * 32-bit float dataset whose filter pipeline is empty, deflate, shuffle,
 * or shuffle then deflate, in a file HDF5 opens read-only beside
 * netCDF-C, with one chunk (stored and inflated) within a quarter of the
 * memory budget. Anything else (fletcher32, szip or other filters,
 * contiguous or compact storage, another type) is left to netCDF-C, the
 * reason said. A chunk that fails to inflate, inflates to the wrong size
 * or fails its checksum is an error, never passed on. */
#ifndef T2I_RAWCHUNK_H
#define T2I_RAWCHUNK_H

#include <stddef.h>

typedef struct rawchunk rawchunk;

/* Opens the raw path for variable `var` (dimension lengths dimlen[ndims])
 * of the netCDF-4 file at path. T2I_OK with *raw set, or T2I_OK with *raw
 * NULL and `why` saying why the netCDF path must read it (not an error);
 * T2I_ESYS only when out of memory. */
int rawchunk_open(const char *path, const char *var, int ndims, const size_t *dimlen,
                  size_t memory_bytes, rawchunk **raw, char *why, size_t whylen, char *err,
                  size_t errlen);

/* Reads the box [start, start + count) into buf, C order over count, as
 * nc_get_vara_float would. T2I_EINPUT for a damaged chunk (err names the
 * chunk and why), T2I_ESYS when HDF5 cannot read it. */
int rawchunk_read(rawchunk *r, const size_t *start, const size_t *count, float *buf,
                  char *err, size_t errlen);

/* The stored chunk dimensions (ndims of them). */
const size_t *rawchunk_dims(const rawchunk *r);

/* Chunks read so far (each stored chunk once when slabs follow chunks). */
size_t rawchunk_reads(const rawchunk *r);

/* Closes what rawchunk_open opened; NULL is fine. */
void rawchunk_close(rawchunk *r);

/* Exposed for tests: undoes HDF5's shuffle of n bytes of 4-byte elements
 * from src into dst (dst and src distinct), swapping the bytes of each
 * element when swap is 1. */
void rawchunk_unshuffle4(unsigned char *dst, const unsigned char *src, size_t n, int swap);

#endif
