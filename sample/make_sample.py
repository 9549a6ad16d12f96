#!/usr/bin/env python3
"""Writes the bundled sample archive sample/<MODEL>/<SIM>/*.cdl.

Each file copies the encoding of one real TRENDY submission as catalogued in
trendy-quirks.md (names, time units, calendar, grid, units, fill, packing,
format) on a coarse grid over two years (2000-2001 monthly) or three years
(2000-2002 annual). Values are plausible and easy to recognise: a flux or
pool is `base[latitude row] * (1 + month/100)` (month 0..23, or year 0..2)
in the target unit, so every output cell can be checked by eye; ocean cells
(a fixed checkerboard-like mask) hold the model's fill or sentinel.

Run it from anywhere; it rewrites the CDL files in place. The generated
files are committed; this script documents how they were made.
"""

import datetime
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
NOLEAP_CUM = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]


def grid(nlat, nlon, lon0, descending=False):
    """Cell centres: latitudes of nlat equal bands, longitudes from lon0."""
    dlat, dlon = 180.0 / nlat, 360.0 / nlon
    lats = [-90 + dlat * (i + 0.5) for i in range(nlat)]
    if descending:
        lats.reverse()
    lons = [lon0 + dlon * j for j in range(nlon)]
    return lats, lons


def land(lat, lon):
    """A fixed land mask: ocean where a coarse checkerboard says so, and
    the southern polar band."""
    lon = (lon + 180) % 360 - 180
    if lat < -60:
        return False
    return (int((lat + 90) // 30) + int((lon + 180) // 45)) % 3 != 0


def base(lat, kind):
    """Plausible magnitude in the target unit at latitude lat."""
    w = math.cos(math.radians(lat))
    return {
        'flux': 2e-8 + 4e-8 * w,       # kg m-2 s-1 (1.7-5.2 gC m-2 day-1)
        'water': 1e-5 + 2e-5 * w,      # kg m-2 s-1 (0.9-2.6 mm day-1)
        'lai': 0.5 + 4.0 * w,          # m2 m-2
        'veg': 2.0 + 10.0 * w,         # kg m-2
        'soil': 8.0 + 6.0 * w,         # kg m-2
        'tas': 250.0 + 50.0 * w,       # K
    }[kind]


def field(lats, lons, nt, kind, factor, fill, extra=1, dims='tyx'):
    """Values in file order: (time, [extra,] lat, lon); factor converts the
    target unit to the file's unit."""
    vals = []
    for t in range(nt):
        for k in range(extra):
            for lat in lats:
                for lon in lons:
                    if not land(lat, lon):
                        vals.append(fill)
                        continue
                    v = base(lat, kind) * (1 + t / 100.0) * factor
                    vals.append(v / extra)
    return vals


def fmt(values, style):
    out = []
    for v in values:
        if isinstance(v, str):
            out.append(v)
        elif style == 'int':
            out.append('%d' % v)
        elif style == 'time':
            out.append('%.12g' % v)
        else:
            out.append('%.7g' % v)
    lines, line = [], '    '
    for word in out:
        if len(line) + len(word) + 2 > 78:
            lines.append(line.rstrip())
            line = '    '
        line += word + ', '
    lines.append(line.rstrip().rstrip(','))
    return '\n'.join(lines)


def cdl(kind_comment, name, dims, variables, data):
    """dims: [(name, size or 'UNLIMITED // (n currently)')];
    variables: [(decl, [attribute lines])]; data: [(name, text)]."""
    parts = ['// ncgen -k %s' % kind_comment,
             '// %s' % name[1],
             'netcdf %s {' % name[0], 'dimensions:']
    for d, size in dims:
        parts.append('\t%s = %s ;' % (d, size))
    parts.append('variables:')
    for decl, attrs in variables:
        parts.append('\t%s ;' % decl)
        for a in attrs:
            parts.append('\t\t%s ;' % a)
    parts.append('data:')
    for n, text in data:
        parts.append('')
        parts.append(' %s =\n%s ;' % (n, text))
    parts.append('}')
    return '\n'.join(parts) + '\n'


def write(model, sim, fname, text):
    d = os.path.join(HERE, model, sim)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, fname), 'w') as f:
        f.write(text)


def monthly_noleap_days(ref_year, year0, stamp_day):
    """Days since ref_year-01-01 in noleap for day `stamp_day` (1-based,
    may be fractional) of each month of year0 and year0+1."""
    return [(year0 + m // 12 - ref_year) * 365 + NOLEAP_CUM[m % 12]
            + stamp_day - 1 for m in range(24)]


def monthly_standard(ref, year0, day, unit_seconds):
    """Time since datetime `ref` (standard = proleptic after 1582) of day
    `day` 00:00 of each month, in units of unit_seconds."""
    vals = []
    for m in range(24):
        t = datetime.datetime(year0 + m // 12, m % 12 + 1, 1) + \
            datetime.timedelta(days=day - 1)
        vals.append((t - ref).total_seconds() / unit_seconds)
    return vals


def coord_vars(latname, lonname, with_bounds=False):
    vs = [('float %s(%s)' % (latname, latname),
           ['%s:units = "degrees_north"' % latname,
            '%s:standard_name = "latitude"' % latname]),
          ('float %s(%s)' % (lonname, lonname),
           ['%s:units = "degrees_east"' % lonname,
            '%s:standard_name = "longitude"' % lonname])]
    return vs


def simple(model, sim, prefix, var, *, fmt_kind, note, latname='lat',
           lonname='lon', nlat=4, nlon=8, lon0=22.5, descending=False,
           time_units, calendar, times, time_type='double', unlimited=False,
           kind, factor, units, vtype='float', fill_attrs=(), fill_value,
           extra_vars=(), extra_data=(), var_in_file=None, extra_attrs=()):
    lats, lons = grid(nlat, nlon, lon0, descending)
    nt = len(times)
    vname = var_in_file or var
    tattrs = ['time:units = "%s"' % time_units] if time_units is not None \
        else []
    if calendar:
        tattrs.append('time:calendar = "%s"' % calendar)
    tattrs.append('time:standard_name = "time"')
    vals = field(lats, lons, nt, kind, factor, fill_value)
    style = 'int' if vtype in ('short', 'int') else 'float'
    if style == 'int':
        vals = [v if isinstance(v, str) else round(v) for v in vals]
    variables = [('%s time(time)' % time_type, tattrs)] + \
        coord_vars(latname, lonname) + list(extra_vars) + [
        ('%s %s(time, %s, %s)' % (vtype, vname, latname, lonname),
         ['%s:units = "%s"' % (vname, units)] +
         ['%s:%s' % (vname, a) for a in fill_attrs] +
         ['%s:%s' % (vname, a) for a in extra_attrs])]
    tsize = 'UNLIMITED' if unlimited else str(nt)
    data = [('time', fmt(times, 'time')), (latname, fmt(lats, 'float')),
            (lonname, fmt(lons, 'float'))] + list(extra_data) + \
        [(vname, fmt(vals, style))]
    name = '%s_%s_%s' % (prefix, sim, var)
    write(model, sim, name + '.cdl',
          cdl(fmt_kind, (name, note),
              [('time', tsize), (latname, nlat), (lonname, nlon)],
              variables, data))


def clm(sim, scale):
    # CLM5.0: directory CLM5.0, files CLM6.0_*; lat/lon, lon 0..360; end-of-
    # month stamps with time_bounds; noleap; -99999 fill; kgC m-2 s-1.
    starts = monthly_noleap_days(1700, 2000, 1)
    ends = starts[1:] + [starts[-1] + 31]
    lats, lons = grid(4, 8, 22.5)
    bounds = []
    for a, b in zip(starts, ends):
        bounds += [a, b]
    vals = [v if isinstance(v, str) else v * scale
            for v in field(lats, lons, 24, 'flux', 1.0, '-99999')]
    text = cdl('nc3', ('CLM6.0_%s_gpp' % sim,
                       'CLM5.0 (seen): CLM6.0_ prefix, stamps at the end of '
                       'each month with time_bounds, noleap, kgC m-2 s-1, '
                       'fill -99999, lon 0..360'),
               [('time', 'UNLIMITED'),
                ('lat', 4), ('lon', 8), ('hist_interval', 2)],
               [('double time(time)',
                 ['time:units = "days since 1700-01-01 00:00:00"',
                  'time:calendar = "noleap"', 'time:bounds = "time_bounds"',
                  'time:long_name = "time"']),
                ('double time_bounds(time, hist_interval)', [])] +
               coord_vars('lat', 'lon') +
               [('float gpp(time, lat, lon)',
                 ['gpp:units = "kgC m-2 s-1"', 'gpp:_FillValue = -99999.f',
                  'gpp:missing_value = -99999.f',
                  'gpp:long_name = "gross primary production"'])],
               [('time', fmt(ends, 'time')),
                ('time_bounds', fmt(bounds, 'time')),
                ('lat', fmt(lats, 'float')), ('lon', fmt(lons, 'float')),
                ('gpp', fmt(vals, 'float'))])
    write('CLM5.0', sim, 'CLM6.0_%s_gpp.cdl' % sim, text)


def cardamom():
    # CARDAMOM (seen): 'time' holds 1..N with empty units; the axis is
    # 'Time' in days since 2003-01-01 (units "d"); kg.m-2.s-1, m2.m-2;
    # quantile variables and grid_area beside the data.
    lats, lons = grid(4, 8, -157.5)
    days = [((datetime.date(2003 + m // 12, m % 12 + 1, 15)
              - datetime.date(2003, 1, 1)).days) for m in range(24)]
    area = [round(1.2e13 * math.cos(math.radians(la)) / 4) for la in lats
            for lo in lons]
    for var, kind, units in (('gpp', 'flux', 'kg.m-2.s-1'),
                             ('lai', 'lai', 'm2.m-2')):
        vals = field(lats, lons, 24, kind, 1.0, '_')
        lo = [v if isinstance(v, str) else v * 0.6 for v in vals]
        hi = [v if isinstance(v, str) else v * 1.4 for v in vals]
        name = 'CARDAMOM_S3_%s' % var
        dv = '(time, latitude, longitude)'
        text = cdl('nc4', (name, 'CARDAMOM (seen): time = 1..N without units,'
                           ' real axis in Time (units d since 2003-01-01), '
                           '%s, quantiles and grid_area beside' % units),
                   [('time', 24), ('latitude', 4), ('longitude', 8)],
                   [('double time(time)', ['time:units = ""']),
                    ('double Time(time)', ['Time:units = "d"',
                                           'Time:long_name = "days since '
                                           '1 January 2003"'])] +
                   coord_vars('latitude', 'longitude') +
                   [('float %s%s' % (var, dv), ['%s:units = "%s"' % (var, units)]),
                    ('float %s_2.5pc%s' % (var, dv),
                     ['%s_2.5pc:units = "%s"' % (var, units)]),
                    ('float %s_97.5pc%s' % (var, dv),
                     ['%s_97.5pc:units = "%s"' % (var, units)]),
                    ('double grid_area(latitude, longitude)',
                     ['grid_area:units = "m2"'])],
                   [('time', fmt(range(1, 25), 'int')),
                    ('Time', fmt(days, 'time')),
                    ('latitude', fmt(lats, 'float')),
                    ('longitude', fmt(lons, 'float')),
                    (var, fmt(vals, 'float')),
                    ('%s_2.5pc' % var, fmt(lo, 'float')),
                    ('%s_97.5pc' % var, fmt(hi, 'float')),
                    ('grid_area', fmt(area, 'int'))])
        write('CARDAMOM', 'S3', name + '.cdl', text)
    # A file beyond the variables table: listed as skipped, never converted.
    write('CARDAMOM', 'S3', 'CARDAMOM_S3_FLOSS_FRAC.cdl',
          '// ncgen -k nc4\n// CARDAMOM (seen): a variable ILAMB does not '
          'use; skipped\nnetcdf CARDAMOM_S3_FLOSS_FRAC {\ndimensions:\n'
          '\ttime = 1 ;\nvariables:\n\tfloat FLOSS_FRAC(time) ;\n'
          '\t\tFLOSS_FRAC:units = "1" ;\ndata:\n\n FLOSS_FRAC = 0.1 ;\n}\n')


def sdgvm():
    # A PFT dimension (seen in several models) summed by models/SDGVM.toml;
    # 360_day calendar (seen), days since 1860-01-01, gC m-2 day-1.
    lats, lons = grid(4, 8, -157.5)
    days = [(2000 - 1860) * 360 + m * 30 + 15 for m in range(24)]
    vals = field(lats, lons, 24, 'flux', 86400 * 1000, '-99999', extra=3)
    text = cdl('nc6', ('SDGVM_S3_npp', 'SDGVM (attribution illustrative): npp per PFT (sum them), '
                       '360_day, days since 1860-01-01, gC m-2 day-1'),
               [('time', 24), ('PFT', 3), ('lat', 4), ('lon', 8)],
               [('double time(time)',
                 ['time:units = "days since 1860-01-01"',
                  'time:calendar = "360_day"']),
                ('int PFT(PFT)', ['PFT:long_name = "plant functional type"'])]
               + coord_vars('lat', 'lon') +
               [('float npp(time, PFT, lat, lon)',
                 ['npp:units = "gC m-2 day-1"', 'npp:_FillValue = -99999.f'])],
               [('time', fmt(days, 'time')), ('PFT', '    1, 2, 3'),
                ('lat', fmt(lats, 'float')), ('lon', fmt(lons, 'float')),
                ('npp', fmt(vals, 'float'))])
    write('SDGVM', 'S3', 'SDGVM_S3_npp.cdl', text)


def main():
    y1700 = datetime.datetime(1700, 1, 1)
    clm('S3', 1.0)
    clm('S2', 0.9)
    simple('ORCHIDEE', 'S3', 'ORCHIDEE', 'lai', fmt_kind='nc4',
           note='ORCHIDEE (encodings seen in TRENDY, attribution illustrative): latitude/longitude, latitude north to '
                'south, days since 1700-1-1, noleap, fill 1e20, m2/m2',
           latname='latitude', lonname='longitude', nlat=6, nlon=12,
           lon0=-165.0, descending=True, time_units='days since 1700-1-1',
           calendar='noleap', times=monthly_noleap_days(1700, 2000, 16),
           kind='lai', factor=1.0, units='m2/m2',
           fill_attrs=['_FillValue = 1.e+20f'], fill_value='1.e+20f')
    simple('JULES', 'S3', 'JULES', 'evapotrans', fmt_kind='nc6',
           note='JULES (encodings seen in TRENDY, attribution illustrative): hours since 1700-01-01 00:00:00, gregorian, '
                'fill -9.969209968386869e36, kg m-2 s-1, lon -180..180',
           lon0=-157.5, time_units='hours since 1700-01-01 00:00:00',
           calendar='gregorian', times=monthly_standard(y1700, 2000, 16, 3600),
           kind='water', factor=1.0, units='kg m-2 s-1',
           fill_attrs=['_FillValue = -9.96921e+36f'],
           fill_value='-9.96921e+36f')
    simple('LPJ-GUESS', 'S3', 'LPJ-GUESS', 'cVeg', fmt_kind='nc7',
           note='LPJ-GUESS (encodings seen in TRENDY, attribution illustrative): annual pool, years since 1700-01-01 with '
                'mid-year stamps, 365_day, kgC m-2, lon -180..180',
           lon0=-157.5, time_units='years since 1700-01-01',
           calendar='365_day', times=[300.5, 301.5, 302.5], kind='veg',
           factor=1.0, units='kgC m-2',
           fill_attrs=['_FillValue = -99999.f'], fill_value='-99999')
    simple('VISIT-UT', 'S3', 'visit-ut', 'cSoil', fmt_kind='nc3',
           note='VISIT-UT (seen): lower-case prefix, monthly pool, years '
                'since AD 1700-Jan-1st, no calendar, no _FillValue: ocean '
                'holds -9999 (models/VISIT-UT.toml)',
           time_units='years since AD 1700-Jan-1st', calendar=None,
           times=[300 + (m + 0.5) / 12 for m in range(24)], kind='soil',
           factor=1.0, units='kgC/m2', fill_value='-9999')
    cardamom()
    simple('CABLE-POP', 'S3', 'CABLE-POP', 'cVeg', fmt_kind='nc6',
           note='CABLE-POP (seen): annual, years since 1700-6-15 12:00:00, '
                'missing_value only, kg C m-2',
           nlat=6, nlon=12, lon0=-165.0,
           time_units='years since 1700-6-15 12:00:00', calendar='standard',
           times=[300, 301, 302], kind='veg', factor=1.0, units='kg C m-2',
           fill_attrs=['missing_value = -99999.f'], fill_value='-99999')
    simple('ELM', 'S3', 'E3SM', 'cSoil', fmt_kind='nc4',
           note='ELM (seen): E3SM_ prefix, monthly cSoil, noleap, gC/m2, '
                'fill 1e36, lon 0..360, chunked and deflated',
           time_units='days since 1700-01-01 00:00:00', calendar='noleap',
           times=monthly_noleap_days(1700, 2000, 15.5), kind='soil',
           factor=1000.0, units='gC/m2',
           fill_attrs=['_FillValue = 1.e+36f'], fill_value='1.e+36f',
           extra_attrs=['_ChunkSizes = 6, 2, 8', '_DeflateLevel = 1'])
    simple('DLEM', 'S3', 'DLEM', 'npp', fmt_kind='nc3',
           note='DLEM (seen): months since 1900-01-15 00:00:00; variable '
                'NPP inside and gC m-2 month-1 are illustrative '
                '(models/DLEM.toml)',
           lon0=-157.5, time_units='months since 1900-01-15 00:00:00',
           calendar='standard', times=list(range(1200, 1224)), kind='flux',
           factor=1.0, units='kg m-2 s-1', var_in_file='NPP',
           fill_attrs=['_FillValue = -99999.f'], fill_value='-99999')
    # DLEM: per-month units need each month's own length; rewrite values.
    dlem_per_month()
    simple('ISBA-CTRIP', 'S3', 'ISBA-CTRIP', 'tas', fmt_kind='nc3',
           note='ISBA-CTRIP (attribution illustrative): int16 packed with scale_factor/add_offset, '
                'fill in packed units, days since 1700-01-01, gregorian',
           nlat=6, nlon=12, lon0=0.0, time_units='days since 1700-01-01',
           calendar='gregorian', times=monthly_standard(y1700, 2000, 16, 86400),
           kind='tas', factor=1.0, units='K', vtype='short',
           fill_attrs=['_FillValue = -32767s', 'scale_factor = 0.01f',
                       'add_offset = 273.15f'], fill_value='-32767')
    pack_isba()
    sdgvm()
    simple('IBIS', 'S3', 'IBIS', 'mrro', fmt_kind='nc7',
           note='IBIS (attribution illustrative): month as %Y%m.%f stamps (seen encoding), mm/day',
           time_units='month as %Y%m.%f', calendar='standard',
           times=[(2000 + m // 12) * 100 + m % 12 + 1.5 for m in range(24)],
           kind='water', factor=86400.0, units='mm/day',
           fill_attrs=['_FillValue = 1.e+20f'], fill_value='1.e+20f')
    simple('iMAPLE', 'S3', 'iMAPLE', 'rh', fmt_kind='nc3',
           note='iMAPLE (attribution illustrative): day as %Y%m%d.%f stamps (seen encoding), '
                'proleptic_gregorian, kg C m-2 s-1, fill -9999',
           lon0=-157.5, time_units='day as %Y%m%d.%f',
           calendar='proleptic_gregorian',
           times=[(2000 + m // 12) * 10000 + (m % 12 + 1) * 100 + 16.5
                  for m in range(24)],
           kind='flux', factor=0.5, units='kg C m-2 s-1',
           fill_attrs=['_FillValue = -9999.f'], fill_value='-9999')
    simple('LPX-Bern', 'S3', 'LPX-Bern', 'gpp', fmt_kind='nc4',
           note='LPX-Bern (encodings seen in TRENDY, attribution illustrative): hours since 1701-01-16, 365_day, '
                'latitude/longitude, first longitude centre 0.0, '
                'kg m^-2 s^-1',
           latname='latitude', lonname='longitude', nlat=6, nlon=12,
           lon0=0.0, time_units='hours since 1701-01-16',
           calendar='365_day',
           times=[(d - (365 + 15)) * 24
                  for d in monthly_noleap_days(1700, 2000, 16)],
           kind='flux', factor=1.0, units='kg m^-2 s^-1',
           fill_attrs=['_FillValue = -99999.f'], fill_value='-99999')
    d = os.path.join(HERE, 'LPX-Bern', 'S3')
    with open(os.path.join(d, 'LPX-Bern_S3_snowdepth.nc'), 'w') as f:
        f.write('not a netCDF file: stands for the real one that fails in '
                'HDF5 (error -101); models/LPX-Bern.toml skips it\n')


def dlem_per_month():
    """DLEM values in gC m-2 month-1: kg m-2 s-1 x 1000 x month seconds."""
    path = os.path.join(HERE, 'DLEM', 'S3', 'DLEM_S3_npp.cdl')
    lats, lons = grid(4, 8, -157.5)
    vals = []
    for t in range(24):
        y, m = 2000 + t // 12, t % 12 + 1
        nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
        secs = (nxt - datetime.date(y, m, 1)).days * 86400
        for lat in lats:
            for lon in lons:
                vals.append(base(lat, 'flux') * (1 + t / 100.0) * 1000 * secs
                            if land(lat, lon) else '-99999')
    text = open(path).read()
    head = text[:text.index(' NPP =')]
    head = head.replace('NPP:units = "kg m-2 s-1"',
                        'NPP:units = "gC m-2 month-1"')
    with open(path, 'w') as f:
        f.write(head + ' NPP =\n%s ;\n}\n' % fmt(vals, 'float'))


def pack_isba():
    """ISBA-CTRIP tas stored as (K - 273.15) / 0.01 in int16."""
    path = os.path.join(HERE, 'ISBA-CTRIP', 'S3', 'ISBA-CTRIP_S3_tas.cdl')
    lats, lons = grid(6, 12, 0.0)
    vals = []
    for t in range(24):
        season = 10 * math.cos(2 * math.pi * (t % 12) / 12)
        for lat in lats:
            for lon in lons:
                k = base(lat, 'tas') + (season if lat > 0 else -season)
                vals.append(round((k - 273.15) / 0.01)
                            if land(lat, lon) else '-32767')
    text = open(path).read()
    head = text[:text.index(' tas =')]
    with open(path, 'w') as f:
        f.write(head + ' tas =\n%s ;\n}\n' % fmt(vals, 'int'))


if __name__ == '__main__':
    main()
