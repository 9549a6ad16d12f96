/* The checker (see verify.h): runs its parts in order. Deliberately
 * written without the converter's time, grid, units, slab, input or
 * convert modules. */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t2i.h"
#include "verify_compare.h"
#include "verify_quicklook.h"
#include "verify_read.h"
#include "verify_totals.h"

void verify_problem(verify_problems *p, const char *fmt, ...)
{
    p->total++;
    if (p->n >= VERIFY_MAX_PROBLEMS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->text[p->n++], VERIFY_PROBLEM_LEN, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------ the run */

void verify_summary_free(verify_summary *s)
{
    free(s->when);
    free(s->series);
    free(s->map);
    free(s->step_sum);
    free(s->step_weight);
    free(s->years);
    free(s->annual);
    s->when = s->series = s->map = s->step_sum = s->step_weight = s->annual = NULL;
    s->years = NULL;
}

int verify_run(const verify_options *o, verify_problems *p, verify_summary *s, char *err,
               size_t errlen)
{
    memset(p, 0, sizeof *p);
    memset(s, 0, sizeof *s);
    verify_out f;
    verify_in in;
    int st = T2I_OK;
    if (verify_out_open(&f, o, p) == 0) {
        s->ntime = f.nt;
        s->nlat = f.ny;
        s->nlon = f.nx;
        s->monthly = f.steps.year ? f.steps.monthly : -1;
        snprintf(s->calendar, sizeof s->calendar, "%s", f.calendar);
        if (f.lat_bnds && f.lon_bnds && f.ny && f.nx) {
            s->map_extent[0] = f.lat_bnds[0];
            s->map_extent[1] = f.lat_bnds[2 * f.ny - 1];
            s->map_extent[2] = f.lon_bnds[0];
            s->map_extent[3] = f.lon_bnds[2 * f.nx - 1];
        }
        double *w = NULL;
        verify_total_kind(o, s);
        if (verify_weights(&f, o, &w, s, p) != 0 || verify_quicklook(&f, w, s, p) != 0 ||
            verify_annual(&f, s) != 0)
            st = t2i_fail(T2I_ESYS, err, errlen, "out of memory for the quicklook");
        free(w);
        if (st == T2I_OK) {
            if (verify_in_open(&in, o, p) == 0 && verify_compare(&f, &in, o, s, p) != 0)
                st = t2i_fail(T2I_ESYS, err, errlen, "out of memory for the comparison");
            verify_in_close(&in);
        }
    }
    verify_out_close(&f);
    return st;
}
