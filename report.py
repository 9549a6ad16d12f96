#!/usr/bin/env python3
"""The run report (ninja report): what the planned conversions and checks
left behind, as one page that opens in a browser with no server, network
or JavaScript.

    ./report.py [--input ARCHIVE] [--out DIR] [--sims S3,...]
                [--models A,B] [--vars x,y] [--builddir DIR]

Plans the archive as generate.py does (same selection options), then reads
every converter --stats JSON, every t2i-verify result, the skip reasons and
.ninja_log, and writes <out>/report/: report.json, table.tsv and index.html
with its quicklook pictures in img/ (t2i_pictures.py). Sections: collect
(one Row per planned or skipped file), summaries (totals, Ninja timing,
shards, the models x variables grid), the page, the machine-readable
files, the command line.
"""

import argparse
import dataclasses
import html
import json
import os
import sys
import time

import t2i_plan
from t2i_plan import GenerateError, TABLE, read_table, write_file
from t2i_pictures import write_pictures
from t2i_totals import WINDOW_YEARS, totals_tables

ROOT = os.path.dirname(os.path.abspath(__file__))
REPORT_TOP = 10         # rows in the slowest / biggest / longest tables


# ------------------------------------------------------------ collect

@dataclasses.dataclass
class Row:
    """What happened to one archive file: its conversion and check."""
    model: str
    sim: str
    var: str
    input: str
    state: str                  # converted, failed, skipped, pending
    reason: str = ''
    outvar: str = ''
    output: str | None = None
    stats: dict = dataclasses.field(default_factory=dict)  # converter JSON
    check: dict | None = None   # t2i-verify JSON, if newer than the output
    check_path: str | None = None
    map_svg: str | None = None  # pictures, relative to the page
    series_svg: str | None = None


def read_json(path):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def read_ninja_log(path):
    """{output: (start_ms, end_ms)} from a v5+ .ninja_log (last run wins)."""
    edges = {}
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            for line in f:
                cols = line.rstrip('\n').split('\t')
                if line.startswith('#') or len(cols) < 5:
                    continue
                edges[cols[3]] = (int(cols[0]), int(cols[1]))
    except (OSError, ValueError):
        pass
    return edges


def job_row(j):
    """What happened to one planned conversion, and its check."""
    stats = read_json(j.stats) or {}
    check = read_json(j.check)
    row = Row(model=j.model, sim=j.sim, var=j.var, outvar=j.outvar,
              input=j.input, output=j.out, stats=stats, state='pending')
    if not stats:
        row.reason = 'not converted yet'
    elif stats.get('status') == 'ok' and os.path.exists(j.out):
        row.state = 'converted'
    else:
        row.state = 'failed'
        row.reason = stats.get('error') or 'output missing'
    if row.state == 'converted' and check is not None and \
            os.path.getmtime(j.check) >= os.path.getmtime(j.out):
        # The map (up to 360 x 180 numbers) is read again only for its
        # picture: 1 500 of them held at once would take gigabytes.
        check.pop('map', None)
        row.check = check
        row.check_path = j.check
    return row


def read_check(row):
    return read_json(row.check_path) if row.check_path else None


def skipped_row(s):
    return Row(model=s.model, sim=s.sim, var=s.var, input=s.path,
               state='skipped', reason=s.reason)


def check_state(row):
    if row.state != 'converted':
        return ''
    if row.check is None:
        return 'not checked'
    return 'check ok' if row.check.get('status') == 'ok' else 'check failed'


# ------------------------------------------------------------ summaries

def grids(rows, table):
    """Per simulation: models x variables, each cell the row or None
    (missing from the archive)."""
    models = sorted({r.model for r in rows}, key=str.lower)
    # A second output of one TRENDY variable (msl's mrsos) is a column of
    # its own, named by the output.
    seconds = [o for outs in getattr(table, 'extra', {}).values() for o in outs]
    out = {}
    for sim in sorted({r.sim for r in rows}):
        here = [r for r in rows if r.sim == sim and r.var]
        extra = sorted({r.var for r in here} - set(table))
        cols = list(table) + seconds + extra
        cells = {m: {v: None for v in cols} for m in models}
        for r in here:
            # A planned file owns its cell; a skipped one (a superseded
            # copy of the same variable) shows only where nothing else is.
            key = r.outvar if r.outvar in seconds else r.var
            cur = cells[r.model][key]
            if cur is None or (cur.state == 'skipped' and
                               r.state != 'skipped'):
                cells[r.model][key] = r
        out[sim] = (cols, cells)
    return out


def ninja_summary(log, out):
    """Edge time per kind (sum and first-start-to-last-end span, seconds)
    and the longest edges, from .ninja_log."""
    kinds = {}
    for path, (start, end) in log.items():
        if path.startswith(out + '/check/'):
            kind = 'check'
        elif path.startswith(out + '/report/'):
            kind = 'report'
        elif path.startswith(out + '/') and path.endswith('.nc'):
            kind = 'convert'
        else:
            kind = 'other'
        k = kinds.setdefault(kind, {'edges': 0, 'sum_s': 0.0,
                                    'start': start, 'end': end})
        k['edges'] += 1
        k['sum_s'] += (end - start) / 1000.0
        k['start'] = min(k['start'], start)
        k['end'] = max(k['end'], end)
    for k in kinds.values():
        k['span_s'] = (k.pop('end') - k.pop('start')) / 1000.0
    longest = sorted(log.items(), key=lambda e: e[1][0] - e[1][1])
    return kinds, [{'output': p, 'seconds': (e - s) / 1000.0}
                   for p, (s, e) in longest[:REPORT_TOP]]


def totals(rows, kinds):
    done = [r for r in rows if r.state == 'converted']
    wall = sum(r.stats.get('wall_seconds', 0) for r in done)
    span = kinds.get('convert', {}).get('span_s', 0)
    t = {'archive_files': len(rows), 'converted': len(done)}
    for state in ('failed', 'skipped', 'pending'):
        t[state] = sum(r.state == state for r in rows)
    for state in ('check ok', 'check failed', 'not checked'):
        t[state.replace(' ', '_')] = sum(check_state(r) == state for r in rows)
    t['input_bytes'] = sum(r.stats.get('input_bytes', 0) for r in done)
    t['output_bytes'] = sum(r.stats.get('output_bytes', 0) for r in done)
    t['wall_seconds_sum'] = wall
    t['files_per_hour_one_core'] = len(done) * 3600.0 / wall if wall else None
    t['ninja_convert_span_seconds'] = span
    t['files_per_hour_ninja'] = len(done) * 3600.0 / span if span else None
    return t


def shard_status(opts, rows):
    """Per shard of the last sharded run (<out>/shards.tsv, written by
    generate.py --shard): {'shard', 'total', 'done', 'failed', 'pending',
    'input_bytes'}, from the same stats the table uses, so it can be read
    while a job array runs. None without shards.tsv."""
    owner = {}
    try:
        with open(os.path.join(opts.out, 'shards.tsv'), encoding='utf-8') as f:
            for line in f:
                cols = line.rstrip('\n').split('\t')
                if len(cols) == 3 and cols[0].isdigit():
                    owner[cols[2]] = (int(cols[0]), int(cols[1]))
    except OSError:
        return None
    shards = {}
    for r in rows:
        if r.output not in owner:
            continue
        index, size = owner[r.output]
        s = shards.setdefault(index, {'shard': index, 'total': 0, 'done': 0,
                                      'failed': 0, 'pending': 0,
                                      'input_bytes': 0})
        s['total'] += 1
        s['input_bytes'] += size
        s[{'converted': 'done'}.get(r.state, r.state)] += 1
    return [shards[i] for i in sorted(shards)]


# ------------------------------------------------------------ page

STATE_LABEL = {'converted': 'converted', 'failed': 'FAILED',
               'skipped': 'skipped', 'pending': 'not run', None: 'missing'}
PAGE_STYLE = '''body{font:14px sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top;text-align:left}
th{background:#eee}.num{text-align:right}small{color:#555}
.converted{background:#d9f2d9}.failed{background:#f8c8c8}
.skipped{background:#fbe8b0}.missing{background:#f4f4f4;color:#999}
.pending{background:#dde6f5}.bad{color:#b00;font-weight:bold}
figure{display:inline-block;margin:.3em;border:1px solid #ddd;padding:4px}
figcaption{font-size:12px}'''


def h(text):
    return html.escape('' if text is None else str(text))


def size(n):
    if not isinstance(n, (int, float)) or n < 0:
        return ''
    for unit in ('B', 'KiB', 'MiB', 'GiB'):
        if n < 1024 or unit == 'GiB':
            return '%.0f %s' % (n, unit) if unit == 'B' else \
                '%.1f %s' % (n, unit)
        n /= 1024.0
    return ''


def cell_html(row):
    if row is None:
        return '<td class="missing">missing</td>'
    state = row.state
    text = STATE_LABEL[state]
    extra = ''
    if state == 'converted':
        c = check_state(row)
        extra = '<br><small class="%s">%s</small>' % (
            'bad' if c == 'check failed' else '', h(c))
    elif row.reason:
        extra = '<br><small>%s</small>' % h(row.reason)
    return '<td class="%s">%s%s</td>' % (state, text, extra)


def grid_html(sim, cols, cells):
    used = [c for c in cols if any(cells[m][c] for m in cells)]
    out = ['<h3>%s</h3><table><tr><th>model</th>%s</tr>' % (
        h(sim), ''.join('<th>%s</th>' % h(c) for c in used))]
    for m in cells:
        if not any(cells[m][c] for c in used):
            continue
        out.append('<tr><th>%s</th>%s</tr>' % (
            h(m), ''.join(cell_html(cells[m][c]) for c in used)))
    out.append('</table><p><small>Columns: variables present in the archive '
               'for %s; a model x variable pair with no file is '
               '"missing".</small></p>' % h(sim))
    return ''.join(out)


def files_html(rows):
    keys = ('input_bytes', 'output_bytes', 'wall_seconds', 'peak_rss_kib',
            'time_span', 'calendar', 'frequency', 'conversion', 'quirks',
            'warnings')
    out = ['<table><tr><th>output</th><th>state</th><th>input</th>'
           '<th>output</th><th>ratio</th><th>wall s</th><th>RSS</th>'
           '<th>span</th><th>calendar</th><th>freq</th><th>conversion</th>'
           '<th>quirks</th><th>warnings</th><th>check</th></tr>']
    for r in rows:
        if r.state != 'converted':
            continue
        s = {k: r.stats.get(k) for k in keys}
        ratio = s['input_bytes'] / s['output_bytes'] \
            if s['output_bytes'] else None
        problems = (r.check or {}).get('problems') or []
        out.append(
            '<tr><td>%s</td><td>%s</td><td class="num">%s</td>'
            '<td class="num">%s</td><td class="num">%s</td>'
            '<td class="num">%s</td><td class="num">%s</td><td>%s</td>'
            '<td>%s</td><td>%s</td><td><small>%s</small></td>'
            '<td><small>%s</small></td><td><small>%s</small></td>'
            '<td><small>%s</small></td></tr>' % (
                h(r.output), h(r.state), size(s['input_bytes']),
                size(s['output_bytes']),
                '%.2f' % ratio if ratio else '',
                '%.2f' % s['wall_seconds'] if s['wall_seconds'] else '',
                size((s['peak_rss_kib'] or 0) * 1024), h(s['time_span']),
                h(s['calendar']), h(s['frequency']), h(s['conversion']),
                h(s['quirks']), h(s['warnings']),
                h(check_state(r)) + ''.join('<br>' + h(p) for p in problems) +
                ('<br><i>%s</i>' % h(r.check['note'])
                 if r.check and r.check.get('note') else '')))
    out.append('</table>')
    return ''.join(out)


def top_html(title, rows, key, fmt):
    ranked = sorted((r for r in rows if r.stats.get(key) is not None),
                    key=lambda r: -r.stats[key])[:REPORT_TOP]
    return '<h3>%s</h3><table>%s</table>' % (h(title), ''.join(
        '<tr><td>%s</td><td class="num">%s</td></tr>' % (
            h(r.output), fmt(r.stats[key])) for r in ranked))


def problems_html(rows):
    out = []
    for r in rows:
        if r.state in ('failed', 'skipped'):
            out.append('<li>%s %s: %s</li>' % (
                h(r.input), STATE_LABEL[r.state], h(r.reason)))
        elif check_state(r) == 'check failed':
            out.append('<li>%s check failed:<ul>%s</ul></li>' % (
                h(r.output), ''.join('<li>%s</li>' % h(p) for p in
                                        r.check.get('problems', []))))
    return '<ul>%s</ul>' % ''.join(out) if out else '<p>None.</p>'


def run_totals_html(t, kinds, longest):
    def rate(v):
        return '%.0f' % v if v else ''
    lines = [('archive files', t['archive_files']),
             ('converted', t['converted']), ('failed', t['failed']),
             ('skipped by models/ or the variables table', t['skipped']),
             ('not run yet', t['pending']), ('checks passed', t['check_ok']),
             ('checks failed', t['check_failed']),
             ('converted but not checked', t['not_checked']),
             ('input bytes (converted)', size(t['input_bytes'])),
             ('output bytes', size(t['output_bytes'])),
             ('conversion wall, summed (s)', '%.1f' % t['wall_seconds_sum']),
             ('files/hour on one core', rate(t['files_per_hour_one_core'])),
             ('ninja conversion span (s)',
              '%.1f' % t['ninja_convert_span_seconds']),
             ('files/hour in the ninja run', rate(t['files_per_hour_ninja']))]
    out = ['<table>%s</table>' % ''.join(
        '<tr><th>%s</th><td class="num">%s</td></tr>' % (h(k), h(v))
        for k, v in lines)]
    out.append('<h3>Ninja timing (.ninja_log)</h3><table><tr><th>kind</th>'
               '<th>edges</th><th>summed s</th><th>span s</th></tr>%s'
               '</table>' % ''.join(
                   '<tr><td>%s</td><td class="num">%d</td><td class="num">'
                   '%.2f</td><td class="num">%.2f</td></tr>' % (
                       h(k), v['edges'], v['sum_s'], v['span_s'])
                   for k, v in sorted(kinds.items())))
    out.append('<h3>Longest edges</h3><table>%s</table>' % ''.join(
        '<tr><td>%s</td><td class="num">%.2f</td></tr>' % (
            h(e['output']), e['seconds']) for e in longest))
    return ''.join(out)


def quicklooks_html(rows):
    out = []
    for r in rows:
        if not r.map_svg and not r.series_svg:
            continue
        caption = '%s (%s)' % (r.output, check_state(r))
        figs = ''
        if r.map_svg:
            figs += '<img src="%s" alt="time-mean map of %s">' % (
                h(r.map_svg), h(r.output))
        if r.series_svg:
            figs += ' <img src="%s" alt="global mean of %s">' % (
                h(r.series_svg), h(r.output))
        out.append('<figure>%s<figcaption>%s</figcaption></figure>' % (
            figs, h(caption)))
    return ''.join(out)


def number(v):
    return '' if v is None else '%.4g' % v


def totals_html(tables, outliers, pictures):
    """Per simulation the models x variables table of global totals over
    the common window, the median row, outliers marked; then per variable
    every model's series."""
    if not tables:
        return '<p>No checked output has annual totals yet (run ninja -k 0 ' \
            'check).</p>'
    bad = {(o['dir'], o['variable']): o['reason'] for o in outliers}
    out = ['<p>Per output the annual global total, &Sigma; value &times; '
           'areacella &times; sftlf/100 (fluxes PgC yr-1 or Pg yr-1 of '
           'water, pools PgC, other variables the land-weighted mean), '
           'averaged over the last %d full years every model of that '
           'variable has, or all shared years when fewer. <span class="bad">'
           'Red</span>: more than 3&times; or less than 1/3 of the ensemble '
           'median, or of the opposite sign.</p>' % WINDOW_YEARS]
    for sim, entries in tables.items():
        dirs = sorted({d for e in entries.values() for d in e['values']},
                      key=str.lower)
        vars_ = sorted(entries)
        out.append('<h3>%s</h3><table><tr><th>model</th>%s</tr>' % (
            h(sim), ''.join('<th>%s<br><small>%s, %s</small></th>' % (
                h(v), h(entries[v]['units']), h(window_text(entries[v])))
                for v in vars_)))
        for d in dirs:
            cells = []
            for v in vars_:
                val = entries[v]['values'].get(d)
                why = bad.get((d, v))
                cells.append('<td class="num%s"%s>%s</td>' % (
                    ' bad' if why else '',
                    ' title="%s"' % h(why) if why else '', number(val)))
            out.append('<tr><th>%s</th>%s</tr>' % (h(d), ''.join(cells)))
        out.append('<tr><th>median</th>%s</tr></table>' % ''.join(
            '<td class="num"><b>%s</b></td>' % number(entries[v]['median'])
            for v in vars_))
        out.append(''.join('<figure><img src="%s" alt="annual global %s, %s"'
                           '></figure>' % (h(pictures[(sim, v)]), h(v), h(sim))
                           for v in vars_ if (sim, v) in pictures))
    out.append('<h3>Outliers</h3>' + ('<ul>%s</ul>' % ''.join(
        '<li class="bad">%s %s: %s %s, median %s (%s)</li>' % (
            h(o['dir']), h(o['variable']), number(o['value']), h(o['units']),
            number(o['median']), h(o['reason'])) for o in outliers)
        if outliers else '<p>None.</p>'))
    return ''.join(out)


def window_text(entry):
    w = entry['window']
    if not w:
        return "no year common to all: each model's own last %d" % \
            WINDOW_YEARS
    return '%d-%d (%d yr)' % (w[0], w[1], entry['nyears'])


def off_grid_html(rows):
    """Outputs whose grid differs from their directory's areacella and
    sftlf (ILAMB has one per directory): their totals are per cell."""
    off = [r for r in rows if r.check and r.check.get('area_note')]
    if not off:
        return ''
    return ('<p class="bad">Outputs on another grid than their directory\'s '
            'area files (ILAMB applies one areacella and sftlf per '
            'directory; these totals count whole cells):</p><ul>%s</ul>' %
            ''.join('<li>%s: %s</li>' % (h(r.output), h(r.check['area_note']))
                    for r in off))


def land_rows(plan):
    """Which land rule each output directory used (t2i_land.py)."""
    return [{'dir': lj.odir, 'model': lj.model, 'rule': lj.rule,
             'source': lj.input if lj.rule != 'none' else '',
             'areacella': lj.areacella, 'sftlf': lj.sftlf,
             'missing': lj.kind == 'missing',
             'written': os.path.exists(lj.areacella) and
             (not lj.sftlf or os.path.exists(lj.sftlf))} for lj in plan.land]


def land_html(land):
    return ('<table><tr><th>directory</th><th>rule</th><th>land-area source'
            '</th><th>files</th></tr>%s</table><p><small>Rule none: values '
            'per m2 of grid cell, areacella only (ILAMB counts whole cells). '
            'Other rules: values per m2 of land, sftlf from the source '
            '(models/&lt;MODEL&gt;.toml land_rule, land_file).</small></p>'
            % ''.join('<tr class="%s"><td>%s</td><td>%s</td><td>%s</td>'
                      '<td>%s</td></tr>' % (
                          'failed' if x['missing'] else
                          'converted' if x['written'] else 'pending',
                          h(x['dir']), h(x['rule']), h(x['source']),
                          'NONE: land_file missing from the archive'
                          if x['missing'] else
                          'areacella' + (', sftlf' if x['sftlf'] else '') +
                          ('' if x['written'] else ' (not written yet)'))
                      for x in land))


def page(rows, grid, t, kinds, longest, opts, science=''):
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>'
             'trendy2ilamb run report</title><style>%s</style></head><body>'
             % PAGE_STYLE,
             '<h1>trendy2ilamb run report</h1><p>Archive <code>%s</code>, '
             'outputs <code>%s</code>, written %s.</p>' % (
                 h(opts.input), h(opts.out),
                 h(time.strftime('%Y-%m-%d %H:%M:%S'))),
             science,
             '<h2>Run totals</h2>', run_totals_html(t, kinds, longest),
             shards_html(t.get('shards')),
             '<h2>Models &times; variables</h2>']
    parts += [grid_html(sim, cols, cells) for sim, (cols, cells) in
              grid.items()]
    parts += ['<h2>Failures and skips</h2>', problems_html(rows),
              '<h2>Per file</h2>', files_html(rows),
              top_html('Slowest files (wall s)', rows, 'wall_seconds',
                       lambda v: '%.2f' % v),
              top_html('Biggest memory (peak RSS)', rows, 'peak_rss_kib',
                       lambda v: size(v * 1024)),
              '<h2 id="quicklooks">Quicklooks</h2><p>Per output: the time-mean map and the '
              'land-weighted global mean per time step.</p>',
              quicklooks_html(rows),
              '</body></html>\n']
    return ''.join(parts)


def shards_html(shards):
    if not shards:
        return ''
    return ('<h2>Shards</h2><table><tr><th>shard</th><th>done</th>'
            '<th>failed</th><th>not run</th><th>total</th><th>input</th>'
            '</tr>%s</table>' % ''.join(
                '<tr class="%s"><td>%d</td><td class="num">%d</td>'
                '<td class="num">%d</td><td class="num">%d</td>'
                '<td class="num">%d</td><td class="num">%s</td></tr>' % (
                    'failed' if s['failed'] else 'converted'
                    if s['done'] == s['total'] else 'pending', s['shard'],
                    s['done'], s['failed'], s['pending'], s['total'],
                    size(s['input_bytes'])) for s in shards))


# ------------------------------------------------------------ files

def report_json(rows, grid, t, kinds, longest, science=None):
    def slim(r):
        c = r.check or {}
        return {'model': r.model, 'sim': r.sim, 'var': r.var,
                'input': r.input, 'output': r.output,
                'state': r.state, 'reason': r.reason,
                'check': check_state(r), 'problems': c.get('problems', []),
                'check_note': c.get('note', ''),
                'stats': r.stats}
    table = {sim: {m: {v: (STATE_LABEL[c.state] if c else 'missing')
                       for v, c in cells[m].items()} for m in cells}
             for sim, (cols, cells) in grid.items()}
    return {'totals': {k: v for k, v in t.items() if k != 'shards'},
            'shards': t.get('shards'), 'table': table,
            'files': [slim(r) for r in rows],
            'ninja': {'kinds': kinds, 'longest': longest},
            **(science or {})}


def table_tsv(grid):
    """The models x variables table, one tab-separated line per pair that
    has a file in some simulation: for grep and for the tests."""
    lines = ['sim\tmodel\tvar\tstate\tcheck\treason\n']
    for sim, (cols, cells) in grid.items():
        for m in cells:
            for v in cols:
                r = cells[m][v]
                if r is None and not any(cells[m].values()):
                    continue
                lines.append('\t'.join([
                    sim, m, v, STATE_LABEL[r.state] if r else 'missing',
                    check_state(r) if r else '',
                    (r.reason if r else '').replace('\t', ' ')
                    .replace('\n', ' ')]) + '\n')
    return ''.join(lines)


# ------------------------------------------------------------ command line

def report(opts, builddir=''):
    """Writes <out>/report/index.html, report.json, table.tsv and img/;
    returns the totals."""
    table = read_table(TABLE)
    # The whole archive, whatever shard asked: a shard's `ninja report`
    # shows every shard's files.
    plan = t2i_plan.plan(dataclasses.replace(opts, shard=None), table)
    rows = [job_row(j) for j in sorted(plan.jobs, key=lambda j: j.out)]
    rows += [skipped_row(s) for s in plan.skipped]
    log = read_ninja_log(os.path.join(builddir or '.', '.ninja_log'))
    kinds, longest = ninja_summary(log, opts.out)
    t = totals(rows, kinds)
    shards = shard_status(opts, rows)
    if shards is not None:
        t['shards'] = shards
    grid = grids(rows, table)
    folder = os.path.join(opts.out, 'report')
    tables, outliers = totals_tables(rows)
    pictures = write_pictures(rows, folder, tables, read_check)
    land = land_rows(plan)
    science = {'global_totals': {sim: {v: {k: e[k] for k in e if k != 'series'}
                                       for v, e in entries.items()}
                                 for sim, entries in tables.items()},
               'outliers': outliers, 'land': land}
    html_science = ('<h2 id="totals">Global totals</h2>' +
                    totals_html(tables, outliers, pictures) +
                    '<h2 id="land">Land area</h2>' + land_html(land) +
                    off_grid_html(rows))
    write_file(os.path.join(folder, 'report.json'),
               json.dumps(report_json(rows, grid, t, kinds, longest, science),
                          indent=1, sort_keys=True) + '\n')
    write_file(os.path.join(folder, 'index.html'),
               page(rows, grid, t, kinds, longest, opts, html_science))
    write_file(os.path.join(folder, 'table.tsv'), table_tsv(grid))
    return t


def add_plan_options(p):
    """The options that select what is planned (shared with generate.py)."""
    p.add_argument('--input', default=t2i_plan.SAMPLE,
                   help='archive root ARCHIVE/<MODEL>/<SIM>/*_<SIM>_<var>.nc, '
                        'names as tables/names.tsv reads them (default: the '
                        'bundled sample)')
    p.add_argument('--out', default='out', help='output root (default: out)')
    p.add_argument('--sims', help='comma-separated simulations, or all '
                   '(default: %s)' % ','.join(t2i_plan.DEFAULT_SIMS))
    p.add_argument('--models', help='comma-separated model directories')
    p.add_argument('--vars', help='comma-separated TRENDY or output names')
    p.add_argument('--builddir', default='',
                   help="where ninja keeps .ninja_log and .ninja_deps "
                        "(default: the current directory)")


def split_list(text):
    if text is None:
        return None
    return [x for x in text.split(',') if x]


def rel_to_root(path):
    """A path given on the command line (relative to the caller's directory)
    as seen from ROOT: relative if inside it, absolute otherwise."""
    full = os.path.abspath(path)
    rel = os.path.relpath(full, ROOT)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return full
    return rel


def plan_options(args):
    """Options from parsed arguments (paths already relative to ROOT)."""
    return t2i_plan.Options(
        input=args.input, out=args.out, sims=split_list(args.sims),
        models=split_list(args.models), vars=split_list(args.vars))


def run(opts, builddir, prog='report.py'):
    """Writes the report from ROOT; prints one summary line. Exit status."""
    try:
        t = report(opts, builddir)
    except (GenerateError, OSError) as e:
        print('%s: report: %s' % (prog, e), file=sys.stderr)
        return 1
    print('%s: %s/report/index.html: %d converted, %d failed, '
          '%d skipped, checks %d ok / %d failed / %d not run'
          % (prog, opts.out, t['converted'], t['failed'], t['skipped'],
             t['check_ok'], t['check_failed'], t['not_checked']))
    return 0


def main(argv):
    p = argparse.ArgumentParser(
        prog='report.py',
        description='Write <out>/report/ (index.html, report.json, '
                    'table.tsv) from the stats and check results.')
    add_plan_options(p)
    args = p.parse_args(argv)
    args.input = rel_to_root(args.input)
    args.out = rel_to_root(args.out)
    if args.builddir:
        args.builddir = rel_to_root(args.builddir)
    os.chdir(ROOT)
    return run(plan_options(args), args.builddir)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
