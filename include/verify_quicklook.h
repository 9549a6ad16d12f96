/* The report's numbers for one output: global means and a small map. */
#ifndef T2I_VERIFY_QUICKLOOK_H
#define T2I_VERIFY_QUICKLOOK_H

#include "verify.h"
#include "verify_read.h"

/* Reads every output step once: per step the sum of value x w and of w
 * over the cells holding a value (w: m2 of land per cell, from
 * verify_weights) and their ratio, the global mean; the time-mean map
 * (block averaged to at most VERIFY_MAP_NLAT x VERIFY_MAP_NLON) and the
 * NaN count. Returns 0, or -1 when out of memory. */
int verify_quicklook(const verify_out *f, const double *w, verify_summary *s,
                     verify_problems *p);

#endif
