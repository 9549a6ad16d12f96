/* Writing every file that is not NetCDF (run statistics, check results):
 * the text goes to PATH.tmp.<pid> (tmppath.h), created with O_EXCL |
 * O_NOFOLLOW so a planted file or symlink there is never written through
 * (stale ones of dead processes are removed first: unlink removes a
 * symlink itself, never its target); the close is
 * checked; only a complete file is renamed to PATH, and a failure at any
 * step removes PATH.tmp and leaves PATH as it was. */
#ifndef T2I_PLAINFILE_H
#define T2I_PLAINFILE_H

#include <stddef.h>

#include "tmppath.h"

/* Longest path accepted, in bytes (Linux PATH_MAX). */
#define PLAINFILE_PATH_MAX 4096

typedef struct {
    int fd;                            /* -1 once closed */
    char path[PLAINFILE_PATH_MAX];     /* final name */
    char tmp[PLAINFILE_PATH_MAX + TMPPATH_EXTRA]; /* PATH.tmp.<pid>, "" when nothing to remove */
} t2i_plainfile;

/* Creates PATH.tmp for writing. T2I_ESYS (err names PATH.tmp and the
 * system's reason) when it cannot; T2I_EUSAGE for a path too long. */
int plainfile_begin(t2i_plainfile *f, const char *path, char *err, size_t errlen);

/* Appends n bytes; on failure PATH.tmp is removed. */
int plainfile_write(t2i_plainfile *f, const char *buf, size_t n, char *err, size_t errlen);

/* Closes PATH.tmp (checked: a full disk can show only here); the complete
 * file then waits at PATH.tmp for plainfile_commit. On failure it is
 * removed. */
int plainfile_finish(t2i_plainfile *f, char *err, size_t errlen);

/* Renames a finished PATH.tmp to PATH; on failure PATH.tmp is removed. */
int plainfile_commit(t2i_plainfile *f, char *err, size_t errlen);

/* Closes and removes PATH.tmp, whatever state f is in; safe to repeat and on
 * a zeroed f with fd -1. */
void plainfile_abort(t2i_plainfile *f);

/* begin, write, finish and commit in one call. */
int plainfile_write_all(const char *path, const char *buf, size_t n, char *err, size_t errlen);

#endif
