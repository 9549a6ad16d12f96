/* The checker's comparison of output values with the input converted. */
#ifndef T2I_VERIFY_COMPARE_H
#define T2I_VERIFY_COMPARE_H

#include "verify.h"
#include "verify_read.h"

/* Output against input: same length, calendar, coordinates, values of
 * the sampled steps. Returns 0, or -1 when out of memory. */
int verify_compare(const verify_out *f, const verify_in *in, const verify_options *o,
                   verify_summary *s, verify_problems *p);

#endif
