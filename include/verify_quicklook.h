/* The report's numbers for one output: global means and a small map. */
#ifndef T2I_VERIFY_QUICKLOOK_H
#define T2I_VERIFY_QUICKLOOK_H

#include "verify.h"
#include "verify_read.h"

/* Reads every output step once: global means, the time-mean map (block
 * averaged to at most VERIFY_MAP_NLAT x VERIFY_MAP_NLON) and NaN count.
 * Returns 0, or -1 when out of memory. */
int verify_quicklook(const verify_out *f, verify_summary *s, verify_problems *p);

#endif
