/* The --stats JSON: one object per run, success or failure, read by the
 * run report. Written to a temporary name and renamed, like the output. */
#ifndef T2I_STATS_H
#define T2I_STATS_H

#include <stddef.h>

#include "convert.h"

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

/* Appends `s` to the buffer as a JSON string literal (quoted, escaped);
 * returns the new length, or size when it did not fit. */
size_t stats_json_string(char *buf, size_t len, size_t size, const char *s);

#endif
