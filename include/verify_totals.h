/* The checker's global totals, as ILAMB computes them: per time step
 * sum(value x areacella x sftlf/100) over the cells that hold a value, then
 * per full calendar year a total (fluxes: PgC yr-1, or Pg yr-1 for water),
 * a mean stock (pools: PgC or Pg) or an area-weighted mean (everything
 * else: tas, lai, burntArea, in the variable's units).
 *
 * The cell areas are the checker's own (R = 6371000 m, from the output's
 * lat_bnds and lon_bnds); an areacella file, when given, must agree with
 * them. The land share is read from the sftlf file when given, else 100 %
 * (a per-cell model). Memory: three grids of doubles, never a time series
 * of grids. */
#ifndef T2I_VERIFY_TOTALS_H
#define T2I_VERIFY_TOTALS_H

#include "verify.h"
#include "verify_read.h"

/* Earth radius of ILAMB's cell areas, metres. */
#define VERIFY_EARTH_RADIUS_M 6.371e6
/* areacella from a file may differ from the checker's by this relative
 * amount (it is stored as float32). */
#define VERIFY_AREA_RTOL 1e-6
/* kg in a Pg. */
#define VERIFY_KG_PER_PG 1e12

/* The weights of every output cell, m2 of land: own areas x sftlf/100,
 * allocated into *w (ny*nx; free it). Totals of areas and land go to s.
 * Returns 0, or -1 when out of memory; file problems go to p (weights are
 * then the checker's areas with 100 % land). */
int verify_weights(const verify_out *f, const verify_options *o, double **w, verify_summary *s,
                   verify_problems *p);

/* What the variable's CMIP6 units make of a total: s->annual_kind
 * ("flux", "pool" or "mean") and s->annual_units. */
void verify_total_kind(const verify_options *o, verify_summary *s);

/* From s->step_sum and s->step_weight (filled per step by the quicklook):
 * the annual totals of every full year into s->years, s->annual, with
 * s->annual_units and s->annual_kind. Returns 0, or -1 when out of memory. */
int verify_annual(const verify_out *f, verify_summary *s);

#endif
