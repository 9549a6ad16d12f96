"""Pictures of the run report, SVG only (no script, no network; opened
with <img>): per output its time-mean map and its global series, per
variable every model's annual global totals on one plot.

A map is an SVG frame (lat/lon ticks, a colour bar with its units) around
the checker's time-mean map (at most 360 x 180 cells) embedded as a PNG
data URI, written with zlib alone: one image element instead of 64 800
rectangles.
"""

import base64
import hashlib
import math
import os
import struct
import zlib
from xml.sax.saxutils import escape

from t2i_plan import write_file

MAP_W, MAP_H = 540, 270         # map area, pixels (2:1, like the globe)
SERIES_W, SERIES_H = 440, 220   # series plot area width, picture height
# Viridis at five stops: readable in grey and by colour-blind readers.
COLOURS = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98),
           (253, 231, 37)]
MISSING_RGB = (225, 225, 225)
# One colour per model line (Tableau 10), then repeated dashed.
LINES = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b',
         '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
FONT = 'font-family="sans-serif" font-size="11"'


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


def nice_ticks(lo, hi, n=5):
    """About n round tick values covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw),
               default=10 * mag)
    first = math.ceil(lo / step - 1e-9) * step
    ticks, t = [], first
    while t <= hi + step * 1e-9:
        ticks.append(0.0 if abs(t) < step * 1e-9 else t)
        t += step
    return ticks


def fmt(v, ticks=None):
    """v with enough digits to tell the ticks apart (4 at least)."""
    digits = 4
    if ticks and len(ticks) > 1:
        step = abs(ticks[1] - ticks[0])
        top = max(abs(t) for t in ticks)
        if step > 0 and top > 0:
            digits = max(4, int(math.ceil(math.log10(top / step))) + 1)
    return '%.*g' % (digits, v)


def svg(width, height, body):
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
            'viewBox="0 0 %d %d"><rect width="100%%" height="100%%" '
            'fill="white"/>%s</svg>\n' % (width, height, width, height,
                                          ''.join(body)))


def text(x, y, s, anchor='middle', extra=''):
    return '<text x="%.1f" y="%.1f" text-anchor="%s" %s%s>%s</text>' % (
        x, y, anchor, FONT, extra, escape(str(s)))


# ------------------------------------------------------------ maps

def map_image(check):
    """(PNG bytes, lo, hi) of the time-mean map, north up, or Nones."""
    ny, nx = check.get('map_nlat', 0), check.get('map_nlon', 0)
    vals = check.get('map') or []
    if not ny or not nx or len(vals) != ny * nx:
        return None, None, None
    good = [v for v in vals if v is not None]
    lo, hi = (min(good), max(good)) if good else (0.0, 1.0)
    rows = []
    for y in reversed(range(ny)):   # row 0 of the map is the south
        line = bytearray()
        for x in range(nx):
            v = vals[y * nx + x]
            line += bytes(MISSING_RGB if v is None else
                          colour((v - lo) / (hi - lo) if hi > lo else 0.5))
        rows.append(bytes(line))
    return png(nx, ny, rows), lo, hi


def map_svg(check, title, units):
    """The time-mean map with lat/lon ticks and a colour bar, or None."""
    data, lo, hi = map_image(check)
    if data is None:
        return None
    s, n, w, e = (check.get('map_extent') or [None] * 4)
    if None in (s, n, w, e) or not (n > s and e > w):
        s, n, w, e = -90.0, 90.0, -180.0, 180.0
    left, top = 44, 22
    width, height = left + MAP_W + 110, top + MAP_H + 34
    href = 'data:image/png;base64,' + base64.b64encode(data).decode('ascii')
    body = [text(left + MAP_W / 2, 14, title, extra=' font-weight="bold"'),
            '<image x="%d" y="%d" width="%d" height="%d" '
            'preserveAspectRatio="none" style="image-rendering:pixelated" '
            'href="%s"/>' % (left, top, MAP_W, MAP_H, href),
            '<rect x="%d" y="%d" width="%d" height="%d" fill="none" '
            'stroke="#333"/>' % (left, top, MAP_W, MAP_H)]
    for lat in range(-90, 91, 30):
        if s - 1e-9 <= lat <= n + 1e-9:
            y = top + MAP_H * (n - lat) / (n - s)
            body += ['<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#333"'
                     '/>' % (left - 4, left, y, y),
                     text(left - 6, y + 4, '%d°' % lat, 'end')]
    for lon in range(-180, 181, 60):
        if w - 1e-9 <= lon <= e + 1e-9:
            x = left + MAP_W * (lon - w) / (e - w)
            body += ['<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#333"'
                     '/>' % (x, x, top + MAP_H, top + MAP_H + 4),
                     text(x, top + MAP_H + 16, '%d°' % lon)]
    body += colour_bar(left + MAP_W + 16, top, MAP_H, lo, hi, units)
    body.append(text(left + MAP_W / 2, height - 2, 'time mean; grey: no value'
                     ' (ocean or missing)', extra=' fill="#555"'))
    return svg(width, height, body)


def colour_bar(x, top, h, lo, hi, units):
    """A vertical viridis bar from lo (bottom) to hi, ticks and units."""
    stops = ''.join('<stop offset="%g" stop-color="rgb(%d,%d,%d)"/>' % (
        i / (len(COLOURS) - 1), *c) for i, c in enumerate(COLOURS))
    out = ['<defs><linearGradient id="bar" x1="0" y1="1" x2="0" y2="0">%s'
           '</linearGradient></defs>' % stops,
           '<rect x="%d" y="%d" width="14" height="%d" fill="url(#bar)" '
           'stroke="#333"/>' % (x, top, h)]
    ticks = nice_ticks(lo, hi, 5) if hi > lo else [lo]
    for v in ticks:
        y = top + h * ((hi - v) / (hi - lo) if hi > lo else 0.5)
        out += ['<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#333"/>' % (
            x + 14, x + 18, y, y), text(x + 20, y + 4, fmt(v, ticks), 'start')]
    out.append(text(x, top - 6, units, 'start'))
    return out


# ------------------------------------------------------------ series

def plot(lines, title, xlabel, ylabel, median=None):
    """Lines [(label, [(x, y)], colour)] on axes with ticks; median (a
    line's points) dashed black. None when there is nothing to draw."""
    pts = [p for _, ps, _ in lines for p in ps] + (median or [])
    if not pts:
        return None
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    if y1 == y0:
        y0, y1 = y0 - (abs(y0) or 1) * 0.05, y1 + (abs(y1) or 1) * 0.05
    else:  # a margin, so the extreme lines do not run along the frame
        y0, y1 = y0 - (y1 - y0) * 0.05, y1 + (y1 - y0) * 0.05
    if x1 == x0:
        x0, x1 = x0 - 0.5, x1 + 0.5
    left, top, pw, ph = 84, 22, SERIES_W, SERIES_H - 60
    label_w = 120 if any(lab for lab, _, _ in lines) else 10

    def xy(x, y):
        return (left + pw * (x - x0) / (x1 - x0),
                top + ph * (y1 - y) / (y1 - y0))
    body = [text(left + pw / 2, 14, title, extra=' font-weight="bold"'),
            '<rect x="%d" y="%d" width="%d" height="%d" fill="none" '
            'stroke="#333"/>' % (left, top, pw, ph)]
    yticks = nice_ticks(y0, y1, 4)
    for v in yticks:
        _, y = xy(x0, v)
        body += ['<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>'
                 % (left, left + pw, y, y),
                 text(left - 4, y + 4, fmt(v, yticks), 'end')]
    xticks = nice_ticks(x0, x1, 6)
    if x1 - x0 >= 1 and any(v != int(v) for v in xticks):
        xticks = list(range(math.ceil(x0), math.floor(x1) + 1))  # years
    for v in xticks:
        x, _ = xy(v, y0)
        body += ['<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#333"/>'
                 % (x, x, top + ph, top + ph + 4),
                 text(x, top + ph + 16, '%g' % round(v, 2))]
    body += [text(left + pw / 2, top + ph + 32, xlabel),
             text(12, top + ph / 2, ylabel,
                  extra=' transform="rotate(-90 12 %.1f)"' % (top + ph / 2))]
    labels = []
    for label, ps, col in lines:
        body.append(polyline([xy(*p) for p in ps], col, ''))
        if label and ps:
            labels.append([xy(*ps[-1])[1], label, col])
    # Labels at each line's last value, pushed apart to stay legible.
    labels.sort()
    for i in range(1, len(labels)):
        labels[i][0] = max(labels[i][0], labels[i - 1][0] + 12)
    for y, label, col in labels:
        body.append(text(left + pw + 6, y + 4, label, 'start',
                         ' fill="%s"' % col))
    if median:
        body.append(polyline([xy(*p) for p in median], '#000',
                             ' stroke-dasharray="6 4"'))
        body.append(text(left + pw, top + ph + 32, '- - ensemble median',
                         'end'))
    return svg(left + pw + label_w, SERIES_H, body)


def polyline(points, col, extra):
    if len(points) == 1:
        (x, y), = points
        return '<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (x, y, col)
    return ('<polyline fill="none" stroke="%s" stroke-width="1.6"%s '
            'points="%s"/>' % (col, extra, ' '.join('%.1f,%.1f' % p
                                                    for p in points)))


def output_series_svg(check, title, units):
    """An output's global mean (land-weighted) against time, with axes."""
    pts = [(t, v) for t, v in zip(check.get('when') or [],
                                  check.get('series') or [])
           if t is not None and v is not None]
    return plot([('', pts, LINES[0])], title, 'year',
                'global mean (%s)' % units)


def variable_svg(sim, entry):
    """Every model's annual global totals of one variable, labelled, the
    median dashed."""
    lines = []
    for i, (d, pts) in enumerate(sorted(entry['series'].items())):
        lines.append((d, [(y, v) for y, v in pts],
                      LINES[i % len(LINES)]))
    by_year = {}
    for _, pts, _ in lines:
        for x, v in pts:
            by_year.setdefault(x, []).append(v)
    median = [(x, sorted(vs)[len(vs) // 2] if len(vs) % 2 else
               (sorted(vs)[len(vs) // 2 - 1] + sorted(vs)[len(vs) // 2]) / 2)
              for x, vs in sorted(by_year.items())] if len(lines) > 1 else None
    what = {'flux': 'annual global total', 'pool': 'annual mean global stock',
            'mean': 'annual global mean'}.get(entry['kind'], 'annual')
    return plot(lines, '%s %s: %s' % (entry['variable'], sim, what), 'year',
                '%s (%s)' % (entry['variable'], entry['units']), median)


# ------------------------------------------------------------ files

def safe(name):
    return ''.join(c if c.isalnum() or c in '-_.' else '_' for c in name)


def unique_stem(used, key, stem):
    """stem, or stem plus a hash of key when another key took it (safe()
    maps 'A+B' and 'A_B' alike, and A_gpp/x meets A/gpp_x): two outputs
    never share a picture."""
    if used.setdefault(stem, key) != key:
        stem = '%s-%s' % (stem, hashlib.sha1(repr(key).encode(
            'utf-8', 'backslashreplace')).hexdigest()[:10])
        used[stem] = key
    return stem


def write_pictures(rows, folder, tables, read_check):
    """Writes img/<dir>_<var>_{map,series}.svg per checked output (its
    check re-read by read_check(row), maps being large) and
    img/totals_<sim>_<var>.svg per variable; records the names (relative
    to the page) in the rows and returns {(sim, var): name}."""
    os.makedirs(os.path.join(folder, 'img'), exist_ok=True)
    used = {}
    for r in rows:
        if not r.check:
            continue
        full = read_check(r) or {}
        odir = r.output.split('/')[-2]
        stem = unique_stem(used, (odir, r.outvar), safe('%s_%s' % (odir, r.outvar)))
        units = r.stats.get('units_to') or ''
        for kind, make in (('map', map_svg), ('series', output_series_svg)):
            text_ = make(full, '%s/%s' % (odir, r.outvar), units)
            if text_:
                name = 'img/%s_%s.svg' % (stem, kind)
                setattr(r, kind + '_svg', name)
                write_file(os.path.join(folder, name), text_, keep_same=True)
    names = {}
    for sim, entries in tables.items():
        for var, entry in entries.items():
            text_ = variable_svg(sim, entry)
            if text_:
                name = 'img/%s.svg' % unique_stem(
                    used, ('totals', sim, var), 'totals_%s_%s' % (safe(sim), safe(var)))
                write_file(os.path.join(folder, name), text_, keep_same=True)
                names[(sim, var)] = name
    return names
