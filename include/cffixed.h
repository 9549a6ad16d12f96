/* The writer of fixed fields (frequency "fx": areacella, sftlf): one 2-D
 * variable on (lat, lon) with the coordinates and bounds cfout.c writes for
 * time series, built as PATH.tmp and renamed after a successful close, so
 * the final name only ever holds a complete file. cfout.c writes the time
 * series; fixed fields have no time axis, hence their own small module. */
#ifndef T2I_CFFIXED_H
#define T2I_CFFIXED_H

#include <stddef.h>

#include "grid.h"

typedef struct {
    const char *var, *units, *standard_name, *long_name, *cell_methods;
    const char *model, *source_file, *history; /* global attributes, may be NULL */
} t2i_fixed_meta;

/* Writes values[lat->n][lon->n] (float32, _FillValue 1e20) to `path`; a
 * `path` already holding the same bytes is left untouched (its time too).
 * Fills err (T2I_ESYS) on failure; no temporary file is left. */
int cffixed_write(const char *path, const t2i_fixed_meta *meta, const t2i_axis *lat,
                  const t2i_axis *lon, const float *values, char *err, size_t errlen);

#endif
