/* Land area for ILAMB: `areacella` (m2, each cell's exact area on a sphere
 * from its bounds) and `sftlf` (%, the land share of each cell) for one
 * output model directory, on the converter's output grid (latitude
 * ascending, longitude in [-180, 180), doc/quirks.md#G-03, G-04).
 *
 * ILAMB 2 and ilamb3 integrate a field as sum(value x areacella x sftlf/100)
 * (doc/quirks.md#L-01, L-02). A model whose values are per m2 of grid
 * cell gets only areacella; a model whose values are per m2 of land also
 * gets sftlf, made by one of the rules below from the land-area file the
 * archive has for it (models/<MODEL>.toml: land_rule, land_file). */
#ifndef T2I_AREA_H
#define T2I_AREA_H

#include <stddef.h>

#include "grid.h"

/* Earth radius ILAMB uses for cell areas, in metres. */
#define AREA_EARTH_RADIUS_M 6.371e6
/* Values at or above this are junk, never land (CABLE writes ~9.9e36). */
#define AREA_JUNK_ABOVE 9.0e33
/* A land area may exceed the exact cell area by this fraction before it is
 * refused: groups compute areas with their own radius (CLM: 6.37122e6 m,
 * 0.02 % larger areas); within it the land share is clamped to 100 %. */
#define AREA_LAND_TOL 0.01
/* A fraction may leave [0, 1] by this much (rounding in the file). */
#define AREA_FRAC_TOL 1e-6

typedef enum {
    AREA_RULE_NONE,             /* per grid-cell values: no sftlf */
    AREA_RULE_OCEAN_COVER_FRAC, /* <M>_S3_oceanCoverFrac: land = 1 - f */
    AREA_RULE_LAND_FRACTION,    /* land_fraction (CLASSIC, CARDAMOM): land = f */
    AREA_RULE_SFTLF,            /* a model's own sftlf: land = f (%) */
    AREA_RULE_LAND_AREA         /* gridArea, area, LAND_AREA, visit_area: area / cell */
} area_rule;

/* The rule named `name` ("none", "ocean_cover_frac", "land_fraction",
 * "sftlf", "land_area"). Fills err (T2I_EUSAGE) for any other name. */
int area_parse_rule(const char *name, area_rule *rule, char *err, size_t errlen);

/* The rule's name as models/ spells it. */
const char *area_rule_name(area_rule rule);

/* The variable a rule reads when models/ names none (matched ignoring
 * case: ELM-FATES writes 'oceancoverfrac'); NULL for land_area, whose
 * variable names differ by model and must be given. */
const char *area_rule_var(area_rule rule);

/* Fills area[nlat][nlon] with R^2 * dlon * (sin(lat2) - sin(lat1)) per cell
 * (m2), from the axes' bounds in degrees. */
void area_cells(const t2i_axis *lat, const t2i_axis *lon, double *area);

/* The factor taking a land-area source's values in `units` to a fraction
 * (fraction rules) or to m2 (land_area). Empty units read as a fraction
 * (CLM's oceanCoverFrac has units = ""). Fills err for units it does not
 * know. */
int area_units_factor(area_rule rule, const char *units, double *factor, char *err,
                      size_t errlen);

/* One cell's land share in %, from the source value v already multiplied
 * by the units factor, `declared` 1 when the raw value equals a declared
 * fill or missing value, and the cell's area in m2. A declared sentinel
 * inside the valid range is a value (IBIS writes missing_value = 0 on a
 * fraction: all land); one outside it, NaN, or junk above
 * AREA_JUNK_ABOVE is no land (CLM's fill over the ocean). Returns 0, or -1
 * for a value outside the valid range that nothing declares missing. */
int area_land_percent(area_rule rule, double v, int declared, double cell_m2, double *percent);

/* The cell_methods an output variable carries: the table's `table_cm` with
 * its area method made "area: mean where land" when `per_land` (values per
 * m2 of land; ilamb3 applies sftlf only then) and "area: mean" otherwise
 * (per m2 of cell), its time method kept. Fills err when buf is too small. */
int area_cell_methods(const char *table_cm, int per_land, char *buf, size_t size, char *err,
                      size_t errlen);

/* What t2i-area is asked to do. */
typedef struct {
    area_rule rule;
    const char *source;    /* land-area file (a rule), or any file on the grid */
    const char *var;       /* variable holding the land area; NULL: the rule's */
    const char *model;     /* for metadata */
    const char *areacella; /* output paths; sftlf NULL for AREA_RULE_NONE */
    const char *sftlf;
} area_options;

/* What a run found, for its summary line. */
typedef struct {
    size_t nlat, nlon;
    double cell_m2, land_m2;   /* sums over the grid */
    size_t declared_valid;     /* declared sentinels read as values (IBIS) */
    size_t no_land;            /* cells missing in the source: 0 % */
    size_t clamped;            /* land areas above the cell area, clamped */
} area_result;

/* Reads the grid (and with a rule the land-area variable, dropping length-1
 * dimensions such as a single time step) of o->source, puts it on the
 * output grid with grid.c's flip and roll, and writes areacella (and
 * sftlf) through cffixed.c. Returns a T2I_* status; fills err. */
int area_run(const area_options *o, area_result *r, char *err, size_t errlen);

#endif
