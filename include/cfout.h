/* The only writer: one ILAMB-ready CF-1.8 NetCDF-4 (classic model) file,
 * built under a temporary name beside the final one and renamed into place
 * only after a successful close, so no partial file ever carries the final
 * name. Header first (every dimension, variable and attribute, coordinates
 * and time written by netCDF-C, which then closes the file), then data
 * slabs, each time step one chunk shuffled and deflated by chunk.c and
 * stored with HDF5's direct chunk write into the variable netCDF-C declared,
 * then commit or abort. */
#ifndef T2I_CFOUT_H
#define T2I_CFOUT_H

#include <stddef.h>
#include <stdint.h>

#include "chunk.h"
#include "tmppath.h"
#include "grid.h"
#include "timeaxis.h"

/* Output conventions ILAMB relies on (doc/quirks.md section I). */
#define CFOUT_TIME_UNITS "days since 1850-01-01 00:00:00"
#define CFOUT_BOUNDS_DIM "bnds"

/* Longest output path we accept, in bytes (Linux PATH_MAX). */
#define CFOUT_PATH_MAX 4096

typedef struct {
    const char *var;           /* output variable name */
    const char *units;         /* CMIP6 units */
    const char *standard_name;
    const char *long_name;
    const char *cell_methods;
    const char *cell_measures; /* "area: areacella": ILAMB's cell areas */
    t2i_calendar calendar;
    int threads;               /* encoding threads, 1..CHUNK_MAX_THREADS; 0 = 1 */
    int deflate;               /* 0..9 (ISA-L level: chunk_isal_level); shuffle
                                  is on whenever deflate is */
    /* global attributes */
    const char *source_file, *model, *simulation, *command_line;
    const char *conversion, *quirks, *warnings;
    const char *frequency;     /* "mon" or "yr" (CMIP6's global attribute) */
    /* Soil layers: ndepth > 0 writes (time, depth, lat, lon) with depth (m,
     * positive down) and depth_bnds (ndepth x 2); 0: (time, lat, lon). */
    size_t ndepth;
    const double *depth, *depth_bnds;
} t2i_out_meta;

typedef struct {
    char path[CFOUT_PATH_MAX]; /* final name */
    char tmp[CFOUT_PATH_MAX + TMPPATH_EXTRA]; /* PATH.tmp.<pid> while being written */
    int ncid;            /* -1 when closed (netCDF-C writes only the header) */
    int broken;          /* 1 after a failed write: never closed (cfout_abort) */
    int varid;           /* the data variable */
    /* HDF5 ids (hid_t) of the reopened file and of the data variable's
     * dataset; 0 when closed (HDF5 ids are positive). */
    int64_t h5file, h5data;
    chunk_pool *pool;    /* time steps' shuffle and deflate, in order */
    size_t nlat, nlon, ntime;
    size_t ndepth;       /* levels per step, 0 without a depth axis */
    size_t queued, written; /* time steps given to the pool, and written */
} t2i_out;

/* Creates `path`.tmp.<pid> (tmppath.h: stale ones of dead runs removed,
 * a symlink never followed), defines the whole header, and writes time, lat, lon
 * and their bounds. Fills err (status T2I_ESYS) on failure; the temporary
 * file is then already removed. */
int cfout_create(t2i_out *out, const char *path, const t2i_out_meta *meta,
                 const t2i_axis *lat, const t2i_axis *lon, const t2i_time_axis *time,
                 char *err, size_t errlen);

/* Writes steps [t0, t0+k) of data laid out [k][nlat][nlon] (or
 * [k][ndepth][nlat][nlon] with a depth axis), the steps in order (t0 is the
 * step after the last one given): they are encoded on the meta's threads and
 * may reach the file only at the next write or commit. */
int cfout_write(t2i_out *out, size_t t0, size_t k, const float *data, char *err,
                size_t errlen);

/* Closes the file (checked), leaving it complete at its temporary name. */
int cfout_finish(t2i_out *out, char *err, size_t errlen);

/* Closes the file, if cfout_finish did not, and renames it to its final
 * name. */
int cfout_commit(t2i_out *out, char *err, size_t errlen);

/* Removes the temporary file and closes it, unless a write to it failed:
 * HDF5 cannot close such a file without crashing, so the process must then
 * end with _exit. Safe to call twice. */
void cfout_abort(t2i_out *out);

#endif
