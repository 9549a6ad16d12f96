/* The checker's reading of both files: the output's structure checked as
 * ILAMB needs it, and what the comparison needs from the input. */
#ifndef T2I_VERIFY_READ_H
#define T2I_VERIFY_READ_H

#include <netcdf.h>
#include <stddef.h>

#include "verify.h"
#include "verify_calendar.h"
#include "verify_time.h"

/* An output, as the checker reads it. */
typedef struct {
    int ncid, varid;
    size_t nt, ny, nx;
    size_t nz; /* depth levels of a (time, depth, lat, lon) output, else 0 */
    double *time, *time_bnds, *lat, *lat_bnds, *lon, *lon_bnds, *depth, *depth_bnds;
    char calendar[64];
    verify_cal cal;
    verify_date ref;
    verify_steps steps; /* NULL arrays when the time axis is unusable */
} verify_out;

/* An input, as the checker reads it. */
typedef struct {
    int ncid, varid;
    nc_type xtype;
    int ndims, tpos, ypos, xpos;
    int zpos; /* the soil-layer dimension, -1 without */
    double edges[VERIFY_MAX_LAYERS + 1]; /* its interfaces (m), verify_layers */
    size_t len[NC_MAX_VAR_DIMS];
    char op[NC_MAX_VAR_DIMS]; /* 's', 'm', 'i' for extra dimensions, 0 otherwise */
    size_t keep[NC_MAX_VAR_DIMS];
    double *time, *time_bnds, *lat, *lon;
    char time_units[256], units[256];
    verify_cal cal;
    double scale_factor, add_offset;
    double sentinel[CLI_MAX_MISSING + 10]; /* fill, 8 missing_value, default */
    int nsentinel;
    double valid_min, valid_max;
} verify_in;

/* Opens the output and checks its structure. Returns 0 when the data can
 * be compared (dims right, coordinates read), -1 otherwise. Close with
 * verify_out_close whatever it returns. */
int verify_out_open(verify_out *f, const verify_options *o, verify_problems *p);
void verify_out_close(verify_out *f);

/* Opens the input and reads what the comparison needs. Returns -1 (with a
 * problem) when the input cannot be compared. Close with verify_in_close
 * whatever it returns. */
int verify_in_open(verify_in *in, const verify_options *o, verify_problems *p);
void verify_in_close(verify_in *in);

#endif
