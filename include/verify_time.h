/* The checker's reading of time: the output's axis checked step by step
 * against its calendar, and input stamps decoded into the month they fall in. */
#ifndef T2I_VERIFY_TIME_H
#define T2I_VERIFY_TIME_H

#include <stddef.h>

#include "verify.h"
#include "verify_calendar.h"

/* What the output's time axis says, step by step. */
typedef struct {
    int monthly;   /* 1 monthly, 0 annual */
    long *year;    /* per step: the month or year its bounds cover */
    int *month;    /* 1..12; 1 for annual steps */
} verify_steps;

/* Checks an output time axis given in days since `ref`: each step's bounds
 * are exactly one calendar month (or year), contiguous, and contain the
 * stamp. Fills steps (arrays of n, allocated here; free with
 * verify_steps_free) with the period of each step as the bounds describe
 * it. Returns -1 when the axis is too broken to say which month a step is
 * (steps left empty), 0 otherwise; problems go to p either way. */
int verify_time_axis(verify_cal cal, const verify_date *ref, const double *mid,
                     const double *bnds, size_t n, verify_steps *steps, verify_problems *p);

void verify_steps_free(verify_steps *steps);

/* Decodes one input stamp into the month it falls in, from the units text
 * ("<unit> since <date>", "months since ...", "years since ...",
 * "month as %Y%m.%f", "day as %Y%m%d.%f", "year as %Y.%f"). `*boundary`
 * is set when the stamp lies exactly on the first instant of its month, so
 * it may close the previous period. Returns 0, or -1 for an encoding the
 * checker does not read (the step is then not compared). */
int verify_decode_stamp(verify_cal cal, const char *units, double value, long *year,
                        int *month, int *boundary);

#endif
