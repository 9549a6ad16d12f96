"""Global totals of the run report: per simulation a models x variables
table of each output's annual global total (t2i-verify's "annual": fluxes
PgC yr-1, pools PgC, other variables area-weighted means), averaged over a
window common to every model, the ensemble median per variable and the
outliers.

The window is the last WINDOW_YEARS full years every output of that
variable and simulation has (all of them, when fewer are shared: the
sample spans two or three years); when no year is common to all (the
sample's CARDAMOM runs 2003-2004, the others 2000-2001), each output's own
last WINDOW_YEARS years are used instead. The window is stated with each
table. An output
is an outlier when its value is more than OUTLIER_FACTOR times the median
or less than 1/OUTLIER_FACTOR of it (a sign opposite to the median's is
less than that too), which catches a unit string that lied by a factor
1 000 (VISIT v12 wrote 3.1557e3 over the ocean in gpp).
"""

import statistics

WINDOW_YEARS = 20
OUTLIER_FACTOR = 3.0


def annual_of(check):
    """{year: value} of one check result's annual totals (values present
    only), with its kind and units."""
    a = (check or {}).get('annual') or {}
    years = {y: v for y, v in zip(a.get('years') or [], a.get('values') or [])
             if v is not None}
    return years, a.get('kind', ''), a.get('units', '')


def window(series):
    """The last WINDOW_YEARS years every series has, sorted ([] if none)."""
    common = None
    for years in series:
        common = set(years) if common is None else common & set(years)
    return sorted(common or [])[-WINDOW_YEARS:]


def outlier_reason(var, value, median):
    """Why `value` is an outlier against `median`, or None."""
    if median == 0:
        return None
    if (value < 0) != (median < 0) and value != 0:
        return 'sign opposite to the median' + (' (nbp)' if var == 'nbp'
                                                else '')
    ratio = value / median
    if ratio > OUTLIER_FACTOR:
        return 'more than %g x the median' % OUTLIER_FACTOR
    if ratio < 1 / OUTLIER_FACTOR:
        return 'less than 1/%g of the median' % OUTLIER_FACTOR
    return None


def one_variable(var, outputs):
    """outputs: {dir: (years dict, kind, units)} of one simulation and
    variable -> its table entry and outliers."""
    years = window(y for y, k, u in outputs.values())
    kinds = {(k, u) for y, k, u in outputs.values()}
    kind, units = sorted(kinds)[0] if kinds else ('', '')
    entry = {'variable': var, 'kind': kind, 'units': units,
             'window': [years[0], years[-1]] if years else None,
             'nyears': len(years), 'values': {}, 'median': None,
             'series': {d: sorted(y.items()) for d, (y, k, u) in
                        outputs.items()}}
    for d, (y, k, u) in outputs.items():
        own = years or sorted(y)[-WINDOW_YEARS:]
        entry['values'][d] = sum(y[t] for t in own) / len(own)
    entry['median'] = statistics.median(entry['values'].values())
    out = []
    if len(entry['values']) >= 2:
        for d, v in sorted(entry['values'].items()):
            why = outlier_reason(var, v, entry['median'])
            if why:
                out.append({'dir': d, 'variable': var, 'value': v,
                            'median': entry['median'], 'units': units,
                            'reason': why,
                            'window': entry['window']})
    return entry, out


def totals_tables(rows):
    """rows: the report's Rows (converted and checked) -> ({sim: {var:
    entry}}, outliers)."""
    by = {}
    for r in rows:
        if r.state != 'converted' or not r.check:
            continue
        years, kind, units = annual_of(r.check)
        if years:
            odir = r.output.split('/')[-2]
            by.setdefault(r.sim, {}).setdefault(r.outvar, {})[odir] = (
                years, kind, units)
    tables, outliers = {}, []
    for sim in sorted(by):
        tables[sim] = {}
        for var in sorted(by[sim]):
            entry, out = one_variable(var, by[sim][var])
            tables[sim][var] = entry
            outliers += out
    return tables, outliers
