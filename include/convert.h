/* The conversion pipeline for one file:
 * open -> inspect -> plan (time, grid, units, fill) -> write header ->
 * stream slabs -> commit (rename). Any failure removes the temporary output. */
#ifndef T2I_CONVERT_H
#define T2I_CONVERT_H

#include <stddef.h>

#include "input.h"
#include "timeaxis.h"

/* Default slab budget (bytes): keeps peak RSS well under 64 MiB on a
 * 0.5-degree grid, with netCDF/HDF5's own ~15 MiB on top. */
#define CONVERT_MEMORY_BYTES (32u * 1024u * 1024u)

#define CONVERT_MAX_MISSING T2I_MAX_SENTINELS
#define CONVERT_MAX_REDUCE 8
#define CONVERT_MAX_LAYER_BOUNDS 65 /* LAYERS_MAX + 1 */

typedef struct t2i_result t2i_result;

typedef struct {
    const char *input, *output;
    /* The archive file input was decompressed from (--source), named in
     * source_file and the stats instead of input; NULL: input itself. */
    const char *source;
    const char *var;     /* variable inside the input */
    const char *table_var; /* the variables table's key (a TRENDY or output name) */
    const char *out_var; /* NULL: from the variables table */
    const char *model, *sim;
    const char *table;   /* variables table path */
    const char *command_line; /* recorded in the output's history */
    int deflate;
    int threads;            /* encoding threads (--threads), 1 = none extra */
    size_t memory_bytes;
    int raw_chunks;         /* 1: read deflated float chunks with ISA-L (rawchunk.h) */
    const char *time_var, *time_units, *calendar, *units;
    t2i_stamp stamp;
    t2i_freq freq;
    double scale; /* extra factor, 1 by default */
    int per_land; /* values per m2 of land (--area-basis land): see area.h */
    double latent_heat; /* J kg-1 for a W m-2 evapotranspiration; 0: none */
    double missing[CONVERT_MAX_MISSING];
    int nmissing;
    t2i_reduce reduce[CONVERT_MAX_REDUCE];
    int nreduce;
    double layer_bounds[CONVERT_MAX_LAYER_BOUNDS]; /* soil layer interfaces (m), models/ */
    int nlayer_bounds;
    /* Called once the complete output sits at its temporary name, just
     * before it is renamed into place (main.c writes the stats there, so
     * output and stats are replaced together). A failure abandons the new
     * output and leaves an older one as it was. NULL: no hook. */
    int (*before_commit)(void *ctx, const char *tmp_output, const t2i_result *res, char *err,
                         size_t errlen);
    void *commit_ctx;
} t2i_options;

/* What a run found and did, for --stats and the report. */
struct t2i_result {
    char out_var[64];
    char units_from[256], units_to[64], conversion[256];
    char calendar[32];
    t2i_freq freq;
    size_t ntime, nlat, nlon;
    int first_year, first_month, last_year, last_month;
    size_t slab_steps;
    char read_path[256]; /* "raw chunks ..." or "netcdf: why" */
    t2i_notes notes;
};

/* Converts opt->input into opt->output. Returns a T2I_* status; on failure
 * err holds the reason, no temporary output remains (not even one left by an
 * earlier killed run), and an output from an earlier successful run is left
 * as it was: the final name only ever holds a complete file. */
int convert_run(const t2i_options *opt, t2i_result *res, char *err, size_t errlen);

#endif
