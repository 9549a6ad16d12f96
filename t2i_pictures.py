"""Quicklook pictures of the run report: a time-mean map (PNG, written with
zlib alone) and a global-mean series (SVG), from a t2i-verify result."""

import os
import struct
import zlib

from t2i_plan import output_dir, write_bytes, write_file

MAP_PIXELS = 288        # quicklook map width to aim for, in pixels
SERIES_W, SERIES_H = 320, 120   # quicklook series size, in pixels
# Viridis at five stops: readable in grey and by colour-blind readers.
COLOURS = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98),
           (253, 231, 37)]
MISSING_RGB = (225, 225, 225)


def colour(x):
    """Viridis colour of x in [0, 1]."""
    x = min(max(x, 0.0), 1.0) * (len(COLOURS) - 1)
    i = min(int(x), len(COLOURS) - 2)
    f = x - i
    a, b = COLOURS[i], COLOURS[i + 1]
    return tuple(int(a[k] + (b[k] - a[k]) * f) for k in range(3))


def png(width, height, rows):
    """A truecolour PNG from rows of RGB bytes (zlib only)."""
    def chunk(tag, data):
        return (struct.pack('>I', len(data)) + tag + data +
                struct.pack('>I', zlib.crc32(tag + data) & 0xffffffff))
    raw = b''.join(b'\x00' + r for r in rows)
    return (b'\x89PNG\r\n\x1a\n' +
            chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0,
                                       0, 0)) +
            chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))


def map_png(check):
    """The time-mean map, north up, each cell a k x k block; with its range."""
    ny, nx, vals = check.get('map_nlat', 0), check.get('map_nlon', 0), \
        check.get('map') or []
    good = [v for v in vals if v is not None]
    if not ny or not nx or len(vals) != ny * nx:
        return None, None, None
    lo, hi = (min(good), max(good)) if good else (0.0, 1.0)
    k = max(1, MAP_PIXELS // nx)
    rows = []
    for y in reversed(range(ny)):   # row 0 of the map is the south
        line = bytearray()
        for x in range(nx):
            v = vals[y * nx + x]
            rgb = MISSING_RGB if v is None else \
                colour((v - lo) / (hi - lo) if hi > lo else 0.5)
            line += bytes(rgb) * k
        rows += [bytes(line)] * k
    return png(nx * k, ny * k, rows), lo, hi


def series_svg(check):
    """Global mean against time as an SVG polyline (gaps where empty)."""
    when, vals = check.get('when') or [], check.get('series') or []
    pts = [(t, v) for t, v in zip(when, vals)
           if t is not None and v is not None]
    if not pts:
        return None
    t0, t1 = min(p[0] for p in pts), max(p[0] for p in pts)
    v0, v1 = min(p[1] for p in pts), max(p[1] for p in pts)
    pad = 4
    def xy(t, v):
        x = pad + (SERIES_W - 2 * pad) * ((t - t0) / (t1 - t0) if t1 > t0
                                          else 0.5)
        y = SERIES_H - 16 - (SERIES_H - 24) * ((v - v0) / (v1 - v0)
                                               if v1 > v0 else 0.5)
        return '%.1f,%.1f' % (x, y)
    line = ' '.join(xy(t, v) for t, v in pts)
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
            'viewBox="0 0 %d %d"><rect width="100%%" height="100%%" '
            'fill="white" stroke="#999"/><polyline fill="none" '
            'stroke="#3b528b" stroke-width="1.2" points="%s"/>'
            '<text x="4" y="%d" font-size="10">%.4g to %.4g, %.6g .. %.6g'
            '</text></svg>\n' % (SERIES_W, SERIES_H, SERIES_W, SERIES_H, line,
                                 SERIES_H - 4, t0, t1, v0, v1))


def write_pictures(rows, folder):
    """Writes img/<dir>_<var>.{png,svg} per checked output; records the
    names (relative to the page) in the row."""
    os.makedirs(os.path.join(folder, 'img'), exist_ok=True)
    for r in rows:
        if not r.check:
            continue
        stem = '%s_%s' % (output_dir(r.model, r.sim), r.outvar)
        data, lo, hi = map_png(r.check)
        if data:
            r.map_png = 'img/%s_map.png' % stem
            r.map_range = (lo, hi)
            write_bytes(os.path.join(folder, r.map_png), data)
        svg = series_svg(r.check)
        if svg:
            r.series_svg = 'img/%s_series.svg' % stem
            write_file(os.path.join(folder, r.series_svg), svg,
                       keep_same=True)


