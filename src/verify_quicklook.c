/* The checker's quicklook numbers (see verify_quicklook.h). */
#include "verify_quicklook.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t2i.h"

/* Block-averages the time-mean map to at most VERIFY_MAP_NLAT x
 * VERIFY_MAP_NLON cells, so a 0.5-degree quicklook stays small. */
static int downsample(const verify_out *f, const double *sum, const double *count,
                      verify_summary *s)
{
    size_t bx = (f->nx + VERIFY_MAP_NLON - 1) / VERIFY_MAP_NLON;
    size_t by = (f->ny + VERIFY_MAP_NLAT - 1) / VERIFY_MAP_NLAT;
    s->map_nlon = bx ? (f->nx + bx - 1) / bx : 0;
    s->map_nlat = by ? (f->ny + by - 1) / by : 0;
    s->map = malloc((s->map_nlat * s->map_nlon + 1) * sizeof *s->map);
    if (!s->map)
        return -1;
    for (size_t my = 0; my < s->map_nlat; my++)
        for (size_t mx = 0; mx < s->map_nlon; mx++) {
            double v = 0;
            size_t n = 0;
            for (size_t y = my * by; y < (my + 1) * by && y < f->ny; y++)
                for (size_t x = mx * bx; x < (mx + 1) * bx && x < f->nx; x++)
                    if (count[y * f->nx + x] > 0) {
                        v += sum[y * f->nx + x] / count[y * f->nx + x];
                        n++;
                    }
            s->map[my * s->map_nlon + mx] = n ? v / (double)n : NAN;
        }
    return 0;
}

/* Reads every output step once: land-area-weighted sums and means (w:
 * m2 of land per cell), the time-mean map (block averaged to at most
 * VERIFY_MAP_NLAT x VERIFY_MAP_NLON) and NaN count; of the top layer when
 * the output has a depth axis, except that an amount's sum (kind flux or
 * pool, verify_total_kind) adds every layer. */
int verify_quicklook(const verify_out *f, const double *w, verify_summary *s, verify_problems *p)
{
    size_t cells = f->ny * f->nx, nan = 0, nt = f->nt ? f->nt : 1;
    float *got = malloc(cells * sizeof *got);
    double *sum = calloc(cells, sizeof *sum), *count = calloc(cells, sizeof *count);
    s->series = malloc(nt * sizeof *s->series);
    s->when = malloc(nt * sizeof *s->when);
    s->step_sum = calloc(nt, sizeof *s->step_sum);
    s->step_weight = calloc(nt, sizeof *s->step_weight);
    if (!got || !sum || !count || !s->series || !s->when || !s->step_sum || !s->step_weight) {
        free(got), free(sum), free(count);
        return -1;
    }
    for (size_t t = 0; t < f->nt; t++) {
        /* A layered output's quicklook is its top layer. */
        size_t start[4] = {t, 0, 0, 0}, count4[4] = {1, f->ny, f->nx, 0};
        if (f->nz) {
            count4[1] = 1;
            count4[2] = f->ny;
            count4[3] = f->nx;
        }
        if (nc_get_vara_float(f->ncid, f->varid, start, count4, got)) {
            verify_problem(p, "cannot read step %zu of the output", t);
            break;
        }
        double ws = 0, vs = 0;
        for (size_t c = 0; c < cells; c++) {
            if (isnan(got[c]))
                nan++;
            else if (got[c] != T2I_FILL) {
                vs += w[c] * got[c];
                ws += w[c];
                sum[c] += got[c];
                count[c]++;
            }
        }
        /* A layered amount (mrsol, kg m-2 per layer) totals over every
         * layer, read one at a time; a mean (tsl) is the top layer's. */
        for (size_t z = 1; z < f->nz && s->annual_kind[0] != 'm'; z++) {
            size_t zs[4] = {t, z, 0, 0};
            if (nc_get_vara_float(f->ncid, f->varid, zs, count4, got)) {
                verify_problem(p, "cannot read step %zu, layer %zu of the output", t, z);
                break;
            }
            for (size_t c = 0; c < cells; c++)
                if (!isnan(got[c]) && got[c] != T2I_FILL)
                    vs += w[c] * got[c];
        }
        s->step_sum[t] = vs;
        s->step_weight[t] = ws;
        s->series[t] = ws > 0 ? vs / ws : NAN;
        s->when[t] = !f->steps.year ? NAN
                     : f->steps.monthly ? f->steps.year[t] + (f->steps.month[t] - 0.5) / 12.0
                                        : f->steps.year[t] + 0.5;
    }
    if (nan)
        verify_problem(p, "%zu values are NaN (ILAMB never masks NaN)", nan);
    int st = downsample(f, sum, count, s);
    free(got), free(sum), free(count);
    return st;
}
