/* The checker's own unit factors: udunits2 plus its own carbon, water and
 * per-period handling, independent of the converter's units module. */
#ifndef T2I_VERIFY_UNITS_H
#define T2I_VERIFY_UNITS_H

#include <stddef.h>

typedef enum { VERIFY_PER_NONE, VERIFY_PER_MONTH, VERIFY_PER_YEAR } verify_per;

typedef struct {
    double factor, offset; /* target = value * factor + offset */
    verify_per per;        /* then divide by the seconds of that period */
} verify_factor;

/* The conversion from TRENDY units `from` to `to`, found independently of
 * the converter. Returns 0, or -1 with the reason in why. */
int verify_units(const char *from, const char *to, verify_factor *f, char *why,
                 size_t whylen);

#endif
