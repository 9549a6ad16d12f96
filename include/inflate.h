/* t2i-inflate: decompress one compressed TRENDY input (.nc.gz, .nc.bz2,
 * .nc.tar.gz) into a plain netCDF scratch file, safely.
 *
 *   t2i-inflate [--max-bytes N] [--keep-free N] [--fsync] IN OUT
 *
 * The container is told by IN's name and confirmed by its first bytes; a
 * name the bytes contradict is refused:
 *   .gz                gzip (ISA-L's inflate; CRC-32 and length of every
 *                      member checked; concatenated members are one stream)
 *   .bz2               bzip2 (libbz2; concatenated streams as bzip2 -d)
 *   .tar.gz .tgz       gzip holding a tar archive (ustar, GNU 'L' long
 *   .tar.bz2 .tbz2     names, pax 'x' path/size records) with exactly one
 *                      regular member whose name ends in '.nc'; other members
 *                      (directories, readmes) are skipped
 * The decompressed data (or the tar member) must start with a netCDF or
 * HDF5 signature (CDF\001, CDF\002, CDF\005, \211HDF).
 *
 * OUT is written as OUT.tmp (a stale OUT.tmp, or a symlink planted there, is
 * removed first; it is opened O_CREAT|O_EXCL|O_NOFOLLOW) and renamed to OUT
 * only when everything was decompressed and checked; on any failure OUT.tmp
 * is removed and OUT is left as it was. No name from the archive is ever
 * used to write. A run killed with -9 leaves at most OUT.tmp, which the next
 * run of the same command removes.
 *
 * Limits, checked while streaming so a bomb never fills the disk:
 *   --max-bytes N   decompressed bytes (tar headers and skipped members
 *                   included); default INFLATE_MAX_BYTES_DEFAULT (64 GiB)
 *   --keep-free N   bytes OUT's file system must keep free after the next
 *                   INFLATE_CHECK_BYTES written; default 256 MiB
 *   --fsync         fsync OUT.tmp before the rename (off by default: OUT is
 *                   a scratch copy read once by the next step)
 * Sizes take an optional K, M, G or T suffix (powers of 1024).
 *
 * Exit status: 0 OUT complete; 1 bad input (unknown or mismatched
 * container, truncated or damaged data, bad CRC, wrong tar member count,
 * not netCDF, past --max-bytes); 2 usage; 3 I/O or system error (unreadable
 * IN, disk full, less than --keep-free left). Errors are one line:
 * "t2i-inflate: IN: reason". */
#ifndef T2I_INFLATE_H
#define T2I_INFLATE_H

#include <stddef.h>

/* Default --max-bytes: the largest TRENDY file is a few GB; 64 GiB stops a
 * bomb long before a cluster scratch disk is full. */
#define INFLATE_MAX_BYTES_DEFAULT (64ULL << 30)
/* Default --keep-free: room left for the conversion that reads OUT. */
#define INFLATE_KEEP_FREE_DEFAULT (256ULL << 20)
/* Bytes written between two free-space checks (fstatvfs). */
#define INFLATE_CHECK_BYTES (64ULL << 20)

typedef enum { INFLATE_NONE, INFLATE_GZIP, INFLATE_BZIP2 } inflate_codec;

/* What a file name promises. */
typedef struct {
    inflate_codec codec;
    int tar; /* 1: a tar archive inside the compressed stream */
} inflate_container;

typedef struct {
    unsigned long long max_bytes; /* decompressed bytes */
    unsigned long long keep_free; /* bytes */
    int fsync;                    /* 1: fsync OUT.tmp before the rename */
} inflate_options;

/* One tar header block, decoded. */
typedef struct {
    char name[101 + 155 + 1]; /* ustar prefix + '/' + name */
    unsigned long long size;  /* bytes of data following the header */
    char type;                /* typeflag; '\0' and '7' read as '0' */
} inflate_tar_header;

/* Fills c from the suffix of path (case-sensitive, as TRENDY names are).
 * Returns T2I_EINPUT with a message for any other name. */
int inflate_container_from_name(const char *path, inflate_container *c,
                                char *err, size_t errlen);

/* The codec whose signature starts buf (n bytes), else INFLATE_NONE. */
inflate_codec inflate_codec_from_magic(const unsigned char *buf, size_t n);

/* 1 when buf (n bytes) starts with a netCDF classic, 64-bit offset, CDF-5
 * or HDF5 signature, else 0. */
int inflate_is_netcdf(const unsigned char *buf, size_t n);

/* 1 when block (512 bytes) is all zero: half of a tar end-of-archive mark. */
int inflate_tar_is_zero(const unsigned char *block);

/* Decodes one 512-byte tar header block (checksum, octal or base-256
 * size, ustar prefix). Returns T2I_EINPUT with a message when the
 * checksum or a field is wrong. */
int inflate_tar_parse_header(const unsigned char *block, inflate_tar_header *h,
                             char *err, size_t errlen);

/* Decompresses in into out as described above. Returns T2I_OK, T2I_EINPUT
 * (bad input) or T2I_ESYS (I/O), with a message without the file name. */
int inflate_file(const char *in, const char *out, const inflate_options *o,
                 char *err, size_t errlen);

#endif
