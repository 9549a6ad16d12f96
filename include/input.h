/* Inspecting one TRENDY input file: find the data variable, classify its
 * dimensions (time, latitude, longitude, extra), and read the coordinates,
 * bounds and every attribute that decides how values are read (units,
 * packing, fill and valid range). Reads metadata only; the values are
 * streamed later with input_read_slab. */
#ifndef T2I_INPUT_H
#define T2I_INPUT_H

#include <netcdf.h>
#include <stddef.h>

#include "t2i.h"

/* How an extra dimension (PFT, soil layer, ...) is reduced away. */
typedef enum { T2I_REDUCE_NONE, T2I_REDUCE_SUM, T2I_REDUCE_MEAN, T2I_REDUCE_INDEX } t2i_reduce_op;

typedef struct {
    char dim[NC_MAX_NAME + 1];
    t2i_reduce_op op;
    size_t index; /* for T2I_REDUCE_INDEX: the 0-based index kept */
} t2i_reduce;

/* Raw stored values that mean "missing", compared before unpacking: room
 * for a _FillValue, 8 missing_value entries, the type's default fill and 16
 * models/ values (cli.h), so none is ever dropped. */
#define T2I_MAX_SENTINELS 32
typedef struct {
    double sentinel[T2I_MAX_SENTINELS]; /* _FillValue, missing_value, defaults, models/ */
    int nsentinel;
    double valid_min; /* -INFINITY when absent */
    double valid_max; /* +INFINITY when absent */
} t2i_missing;

/* What the caller asks for: names and the models/ overrides. */
/* The least budget check_declared holds the coordinates to (the
 * converter's default --memory); a larger --memory raises it. */
#define INPUT_MEMORY_BYTES ((size_t)32 << 20)

typedef struct {
    const char *path;
    const char *var;        /* variable name wanted */
    const char *time_var;   /* NULL: the time dimension's coordinate */
    const char *time_units; /* NULL: the file's */
    const char *calendar;   /* NULL: the file's */
    const char *units;      /* NULL: the file's */
    const double *missing;  /* extra sentinels */
    int nmissing;
    const t2i_reduce *reduce;
    int nreduce;
    int keep_layer;         /* 1: one extra dimension without a reduction is
                               the soil layers (layers.h), not an error */
    int raw_chunks;         /* 1: a deflated float variable is read by rawchunk.h */
    size_t memory_bytes;    /* the budget rawchunk.h's chunk buffers must fit */
} t2i_input_request;

typedef struct {
    int ncid;  /* open input, -1 when closed */
    int varid;
    char var[NC_MAX_NAME + 1];
    nc_type xtype;
    int ndims;
    size_t dimlen[NC_MAX_VAR_DIMS];
    char dimname[NC_MAX_VAR_DIMS][NC_MAX_NAME + 1];
    int time_pos, lat_pos, lon_pos;     /* positions in the variable's dims */
    int layer_pos;                      /* the kept soil-layer dim, or -1 */
    t2i_reduce_op op[NC_MAX_VAR_DIMS];  /* per extra dimension */
    size_t keep_index[NC_MAX_VAR_DIMS]; /* for T2I_REDUCE_INDEX */
    size_t ntime, nlat, nlon;
    size_t chunk_time; /* time steps one input chunk spans (1 if contiguous) */
    double *time;      /* ntime raw values */
    double *time_bnds; /* 2*ntime raw values, or NULL */
    char time_units[256];
    char calendar[64];
    char time_long_name[256]; /* may hold "years since 1700" when units are absent */
    double *lat, *lat_bnds, *lon, *lon_bnds; /* bounds may be NULL */
    char units[256];
    double scale_factor, add_offset; /* 1 and 0 when not packed */
    t2i_missing missing;
    int format; /* NC_FORMAT_* of the input */
    struct rawchunk *raw; /* the direct chunk reader, NULL: netCDF-C reads */
    char read_path[256];  /* which reader, and why not the raw one */
} t2i_input;

/* Opens `req->path` and fills `in`. Fills err, closes the file and frees
 * everything on failure; on success call input_close. */
int input_open(const t2i_input_request *req, t2i_input *in, t2i_notes *notes,
               char *err, size_t errlen);

/* Reads time steps [t0, t0+k) of the variable, all other dimensions whole
 * (or the kept index of a T2I_REDUCE_INDEX dimension), in the file's own
 * dimension order, as doubles into buf. Returns the number of values read
 * through *nvalues. */
int input_read_slab(const t2i_input *in, size_t t0, size_t k, double *buf,
                    size_t *nvalues, char *err, size_t errlen);

/* The same for a float variable (in->xtype NC_FLOAT), read as floats: half
 * the bytes of doubles for slab_transform_float, the same values. */
int input_read_slab_float(const t2i_input *in, size_t t0, size_t k, float *buf,
                          size_t *nvalues, char *err, size_t errlen);

/* Values per time step as read by input_read_slab. */
size_t input_step_values(const t2i_input *in);

/* Closes the file and frees the arrays; safe to call twice. */
void input_close(t2i_input *in);

#endif
