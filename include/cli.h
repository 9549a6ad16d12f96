/* The command line of both programs (trendy2ilamb and t2i-verify): one
 * option table per program drives parsing (`--x v` and `--x=v`), the
 * --help text, and the models/ override struct both fill the same way, so
 * the converter and its checker can never read a models/ flag differently.
 *
 * A table is an array of cli_option ending with a zeroed entry; each entry
 * stores its value at `offset` inside the program's own struct (offsetof).
 * CLI_MODEL_OPTIONS(T, member) expands to the models/ entries for a
 * t2i_overrides member of struct T. */
#ifndef T2I_CLI_H
#define T2I_CLI_H

#include <stddef.h>
#include <stdio.h>

/* Repeatable models/ values a command line may give; one more is refused
 * with a message (never dropped). The converter's sentinel table has room
 * for these plus the file's own fill values. */
#define CLI_MAX_MISSING 16
#define CLI_MAX_REDUCE 8
/* Soil layer interfaces models/ may give: 64 layers and the bottom. */
#define CLI_MAX_LAYER_BOUNDS 65

/* Longest dimension name netCDF allows (NC_MAX_NAME). */
#define CLI_MAX_NAME 256

/* One `--reduce DIM=OP`: 's' sum, 'm' mean, 'i' keep index `index`. */
typedef struct {
    char dim[CLI_MAX_NAME + 1];
    char op;
    size_t index;
} cli_reduce;

/* What models/<MODEL>.toml may say about a file (README, models/README.md),
 * as both programs read it from their command line. */
typedef struct {
    const char *time_var, *time_units, *calendar, *units;
    int stamp_end; /* --time-stamp end: boundary stamps close a period */
    char freq;     /* --frequency: 'm' mon, 'y' yr, 0 from the stamps */
    double scale;  /* extra factor after conversion, 1 by default */
    double latent_heat; /* J kg-1 reading W m-2 as kg m-2 s-1; 0: none given */
    double missing[CLI_MAX_MISSING];
    int nmissing;
    cli_reduce reduce[CLI_MAX_REDUCE];
    int nreduce;
    int area_basis; /* --area-basis: 1 per m2 of land, 0 per m2 of cell, -1 not said */
    double layer_bounds[CLI_MAX_LAYER_BOUNDS]; /* soil layer interfaces (m), surface first */
    int nlayer_bounds;
} t2i_overrides;

typedef enum {
    CLI_END = 0,  /* the zeroed entry that ends a table */
    CLI_HEADING,  /* no option: a line of the help text */
    CLI_TEXT,     /* const char * */
    CLI_INT,      /* int, whole numbers in [min, max] */
    CLI_SIZE,     /* size_t, numbers in [min, max), fraction dropped */
    CLI_FACTOR,   /* double, any number but NaN and 0 */
    CLI_DOUBLE,   /* double in [min, max) */
    CLI_MISSING,  /* appends to t2i_overrides.missing */
    CLI_REDUCE,   /* appends to t2i_overrides.reduce */
    CLI_LAYER_BOUND, /* appends to t2i_overrides.layer_bounds */
    CLI_STAMP,    /* start|end into an int */
    CLI_FREQ,     /* mon|yr into a char */
    CLI_BASIS,    /* land|cell into an int (1, 0) */
    CLI_IGNORED   /* takes a value and drops it */
} cli_kind;

typedef struct {
    cli_kind kind;
    const char *name; /* without the leading "--" */
    const char *arg;  /* the value's name in --help */
    size_t offset;    /* where the value goes in the program's struct */
    double min, max;  /* CLI_INT, CLI_SIZE, CLI_DOUBLE */
    const char *help; /* '\n' starts an indented continuation line */
} cli_option;

#define CLI_MODEL_OPTIONS(T, m)                                                                   \
    {CLI_HEADING, NULL, NULL, 0, 0, 0,                                                        \
     "Overrides for what a file lacks or gets wrong (models/<MODEL>.toml keys):"},            \
    {CLI_TEXT, "time-var", "NAME", offsetof(T, m.time_var), 0, 0,                             \
     "variable holding the time values (time_var)"},                                          \
    {CLI_TEXT, "time-units", "TEXT", offsetof(T, m.time_units), 0, 0,                         \
     "time units, e.g. 'days since 2003-01-01' (time_units)"},                                \
    {CLI_TEXT, "calendar", "NAME", offsetof(T, m.calendar), 0, 0, "calendar (calendar)"},     \
    {CLI_STAMP, "time-stamp", "start|end", offsetof(T, m.stamp_end), 0, 0,                    \
     "stamps on a month boundary open (start, default)\nor close (end) a period (time_stamp)"}, \
    {CLI_FREQ, "frequency", "mon|yr", offsetof(T, m.freq), 0, 0,                              \
     "when the stamps alone cannot tell (frequency)"},                                        \
    {CLI_TEXT, "units", "TEXT", offsetof(T, m.units), 0, 0, "the variable's units (units)"},  \
    {CLI_FACTOR, "scale", "X", offsetof(T, m.scale), 0, 0,                                    \
     "extra factor after conversion, e.g. -1 (scale)"},                                       \
    {CLI_DOUBLE, "latent-heat", "J", offsetof(T, m.latent_heat), 1, 1e12,                     \
     "J kg-1 that turn an evapotranspiration given as a\nlatent-heat flux (W m-2) into "       \
     "kg m-2 s-1 (latent_heat);\nwithout it such a file is refused"},                          \
    {CLI_MISSING, "missing", "X", offsetof(T, m), 0, 0,                                       \
     "one more missing-value sentinel, repeatable (missing)"},                                \
    {CLI_REDUCE, "reduce", "DIM=OP", offsetof(T, m), 0, 0,                                    \
     "reduce an extra dimension: sum, mean or an index\n(reduce = [\"PFT=sum\"]), repeatable"}, \
    {CLI_BASIS, "area-basis", "land|cell", offsetof(T, m.area_basis), 0, 0,                    \
     "values per m2 of land (land_rule: cell_methods 'area:\nmean where land') or of grid cell"}, \
    {CLI_LAYER_BOUND, "layer-bounds", "X", offsetof(T, m), 0, 0,                              \
     "one soil layer interface in m, surface first,\nrepeatable (layer_bounds = [0, 0.1, 0.3]); "  \
     "else\nfrom the layer coordinate or layer_depths_m"}

/* Sets the overrides' defaults (scale 1, nothing else given). */
void cli_overrides_init(t2i_overrides *ov);

/* Parses argv[1..argc-1] by `table` into `target`: options as `--x v` or
 * `--x=v` in any order, positional arguments into pos (exactly npos of
 * them). `--help` or `-h` sets *help and stops. Fills err (T2I_EUSAGE) for
 * an unknown option, a missing or bad value, one repeat too many, or the
 * wrong number of positional arguments. */
int cli_parse(const cli_option *table, void *target, int argc, char **argv, const char **pos,
              int npos, int *help, char *err, size_t errlen);

/* Writes the option lines of `table` to out, as --help shows them. */
void cli_help(const cli_option *table, FILE *out);

/* Splits ".../<MODEL>/<SIM>/<prefix>_<SIM>_<var>.nc" (both programs derive
 * the variable this one way; also .nc.gz, .nc.bz2 and .nc.tar.gz, the names
 * a --source archive file has): sim and var come from the file name
 * (CARDAMOM_S3_FLOSS_FRAC.nc: S3, FLOSS_FRAC; the prefix may differ from
 * the model), model from the directory above <SIM>/ when the file sits in
 * one named like its simulation. Each is "" when the path does not say. */
void cli_names_from_path(const char *input, char *sim, char *var, char *model, size_t size);

#endif
