/* The --stats JSON: one object per run, success or failure, read by the
 * run report. Written through plainfile.h and json.h. */
#ifndef T2I_STATS_H
#define T2I_STATS_H

#include <stddef.h>

#include "convert.h"
#include "plainfile.h"

typedef struct {
    double wall_start; /* seconds, monotonic clock */
} t2i_clock;

/* Starts the wall clock. */
void stats_start(t2i_clock *clock);

/* Writes the statistics of a finished run to `path`: the options, what the
 * run found (res), its status and error text, sizes of input and output,
 * wall and CPU seconds and peak RSS. Fills err on I/O failure. */
int stats_write(const char *path, const t2i_options *opt, const t2i_result *res, int status,
                const char *error, const t2i_clock *clock, char *err, size_t errlen);

/* The first half of stats_write: the statistics go to PATH.tmp (f) and
 * wait there for plainfile_commit, so the caller can rename them together
 * with the output they describe. `output_file` is where the output's size
 * is measured (its temporary name before the rename). On failure nothing
 * is left at PATH.tmp. */
int stats_prepare(t2i_plainfile *f, const char *path, const t2i_options *opt,
                  const t2i_result *res, int status, const char *error, const char *output_file,
                  const t2i_clock *clock, char *err, size_t errlen);

#endif
