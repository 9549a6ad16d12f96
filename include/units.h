/* Converting a model's unit string to the CMIP6 target with udunits2.
 *
 * TRENDY spellings udunits2 cannot read are normalised first: carbon mass
 * ("kgC", "g C"), water depth ("mm" of water = "kg m-2"), "fraction", "-",
 * "degrees C". Per-month and per-year rates are split off so that each step
 * is divided by the exact length of its own month or year in the file's
 * calendar (udunits' "month" and "year" are fixed averages, wrong here).
 * Anything still unparseable or not convertible is an error, never a
 * pass-through. */
#ifndef T2I_UNITS_H
#define T2I_UNITS_H

#include <stddef.h>

typedef enum {
    T2I_PER_NONE,  /* plain conversion */
    T2I_PER_MONTH, /* input is per calendar month: divide by its seconds */
    T2I_PER_YEAR   /* input is per calendar year: divide by its seconds */
} t2i_per;

typedef struct {
    double scale;  /* out = (in * scale + offset) / period seconds (if per) */
    double offset;
    t2i_per per;
    char normalised[160]; /* what udunits2 was given for the input */
    char summary[256];    /* e.g. "gC m-2 day-1 -> kg m-2 s-1 (x 1.1574074074074074e-08)" */
} t2i_units_conv;

/* Plans the conversion from unit string `from` (as found in the file, or an
 * override) to CMIP6 unit `to`. An empty `from` is accepted only when `to`
 * is dimensionless ("1"). Fills err naming the unit when udunits2 cannot
 * parse it after normalisation or the two are not convertible. */
int units_plan(const char *from, const char *to, t2i_units_conv *conv,
               char *err, size_t errlen);

/* Rewrites a TRENDY unit spelling into one udunits2 parses; splits a
 * trailing per-month/per-year rate into *per. `to` selects context (water
 * depth "mm" becomes "kg m-2" only when `to` is a mass per area). Fills err
 * if the result does not fit in outlen bytes, or if a month or year appears
 * other than as one rate (two of them, a positive power, inside parentheses),
 * which udunits2 would silently read as its average month or year. */
int units_normalise(const char *from, const char *to, char *out,
                    size_t outlen, t2i_per *per, char *err, size_t errlen);

#endif
