#!/usr/bin/env python3
"""Write build.ninja: build the converter, then convert a TRENDY archive.

    ./generate.py [--input ARCHIVE] [--out DIR] [--sims S3,...] [--models A,B]
                  [--vars x,y] [--shard I/N] [--shard-by bytes|count]
                  [--big-jobs K] [--big-bytes B] [--launcher CMD]
                  [--converter PATH] [--prebuilt] [--builddir DIR]
                  [-o build.ninja]

build.ninja = build.ninja.in + every rules/*.ninja (sorted) + the edges made
here: C objects and programs found in src/ and tests/, one ncgen edge per
*.cdl file of the archive, one conversion edge per archive file, phony
aggregates and the edge that regenerates build.ninja itself. Every path is
relative to the directory of this script, where ninja must run.

The archive is scanned without opening any .nc file:
ARCHIVE/<MODEL>/<SIM>/<anything>_<SIM>_<var>.nc; the model is the directory.
Per-model deviations live in models/<MODEL>.toml (see models/README.md).
Files that are not converted are listed with the reason in <out>/skipped.tsv
and in a comment block of build.ninja.

Each output also gets a t2i-verify edge (<out>/check/<dir>/<var>.json, phony
'check'), and 'ninja report' runs `generate.py --report ...`, which plans the
same archive and writes <out>/report/index.html and report.json from the
stats and check results (see "run report" below).

Conversions and checks run through <-o FILE>.launch, a wrapper holding the
--launcher words (e.g. srun): switching the launcher reconverts nothing.
--shard I/N keeps one of N parts balanced by input bytes and writes
<out>/shards.tsv, from which the report gives each shard's progress
(slurm/convert.sbatch runs one shard per Slurm array task).
"""

import argparse
import heapq
import html
import json
import os
import re
import shlex
import struct
import sys
import textwrap
import time
import tomllib
import zlib

ROOT = os.path.dirname(os.path.abspath(__file__))
SAMPLE = 'sample'
TABLE = 'tables/variables.tsv'
MODELS = 'models'
RULES = 'rules'
CONVERTER = 'build/trendy2ilamb'
VERIFIER = 'build/t2i-verify'
# Inputs larger than this (bytes) run in pool 'big': a few multi-GB TRENDY
# files at once, not 48.
BIG_BYTES = 1 << 30
# ncgen -k values accepted in a CDL file's first-line "// ncgen -k KIND".
NCGEN_KINDS = {'nc3', 'nc6', 'nc4', 'nc7', 'classic', '64-bit-offset',
               'netCDF-4', 'netCDF-4-classic', '1', '2', '3', '4'}

# models/<MODEL>.toml keys -> converter flag and value type.
TOML_FLAGS = {
    'var': ('--var', str),
    'time_var': ('--time-var', str),
    'time_units': ('--time-units', str),
    'calendar': ('--calendar', str),
    'time_stamp': ('--time-stamp', str),
    'frequency': ('--frequency', str),
    'units': ('--units', str),
    'scale': ('--scale', float),
    'latent_heat': ('--latent-heat', float),
    'missing': ('--missing', list),
    'reduce': ('--reduce', list),
}
TOML_CHOICES = {'time_stamp': ('start', 'end'), 'frequency': ('mon', 'yr')}


CONTROL = re.compile('[\x00-\x1f\x7f]')


class GenerateError(Exception):
    """A problem with the archive, a models/ file or the arguments."""


# ---------------------------------------------------------------- writer
# After Ninja's misc/ninja_syntax.py.

def escape_path(word):
    """Escapes a path for a build line: '$ ' -> '$$ ', ' ' -> '$ ',
    ':' -> '$:' (ninja_syntax.escape_path)."""
    return word.replace('$ ', '$$ ').replace(' ', '$ ').replace(':', '$:')


def escape(text):
    """Escapes free text for a variable value: '$' -> '$$'."""
    if '\n' in text:
        raise GenerateError('newline in %r: ninja syntax does not allow it'
                            % text)
    return text.replace('$', '$$')


def as_list(value):
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


class Writer:
    """Writes Ninja syntax, wrapping lines at `width` columns with ' $'
    continuations placed only at unescaped spaces."""

    def __init__(self, output, width=78):
        self.output = output
        self.width = width

    def newline(self):
        self.output.write('\n')

    def comment(self, text):
        for line in textwrap.wrap(text, self.width - 2,
                                  break_long_words=False,
                                  break_on_hyphens=False):
            self.output.write('# ' + line + '\n')

    def variable(self, key, value, indent=0):
        if value is None:
            return
        if isinstance(value, list):
            value = ' '.join(filter(None, value))
        self._line('%s = %s' % (key, value), indent)

    def pool(self, name, depth):
        self._line('pool %s' % name)
        self.variable('depth', depth, indent=1)

    def rule(self, name, command, description=None, depfile=None,
             generator=False, pool=None, restat=False, deps=None):
        self._line('rule %s' % name)
        self.variable('command', command, indent=1)
        self.variable('description', description, indent=1)
        self.variable('depfile', depfile, indent=1)
        if generator:
            self.variable('generator', '1', indent=1)
        self.variable('pool', pool, indent=1)
        if restat:
            self.variable('restat', '1', indent=1)
        self.variable('deps', deps, indent=1)

    def build(self, outputs, rule, inputs=None, implicit=None,
              order_only=None, variables=None, implicit_outputs=None,
              pool=None, escaped=False):
        """A build statement; with escaped=True the paths are written as
        given (already escaped, e.g. '$o/' + escape_path(rest))."""
        esc = (lambda x: x) if escaped else escape_path
        outs = [esc(x) for x in as_list(outputs)]
        ins = [esc(x) for x in as_list(inputs)]
        if implicit:
            ins.append('|')
            ins.extend(esc(x) for x in as_list(implicit))
        if order_only:
            ins.append('||')
            ins.extend(esc(x) for x in as_list(order_only))
        if implicit_outputs:
            outs.append('|')
            outs.extend(esc(x) for x in as_list(implicit_outputs))
        self._line('build %s: %s' % (' '.join(outs), ' '.join([rule] + ins)))
        if pool is not None:
            self._line('  pool = %s' % pool)
        for key, val in (variables or {}).items():
            self.variable(key, val, indent=1)

    def default(self, paths):
        self._line('default %s' % ' '.join(escape_path(x)
                                             for x in as_list(paths)))

    @staticmethod
    def _dollars_before(text, i):
        """Number of '$' characters right in front of text[i]."""
        count = 0
        i -= 1
        while i >= 0 and text[i] == '$':
            count += 1
            i -= 1
        return count

    def _line(self, text, indent=0):
        """Writes text word-wrapped at self.width, as ninja_syntax does,
        walking an offset instead of re-slicing the rest of a long line."""
        leading = '  ' * indent
        start = 0
        while len(leading) + len(text) - start > self.width:
            available = self.width - len(leading) - len(' $')
            space = start + available
            while True:
                space = text.rfind(' ', start, space)
                if space < 0 or self._dollars_before(text, space) % 2 == 0:
                    break
            if space < 0:
                space = start + available - 1
                while True:
                    space = text.find(' ', space + 1)
                    if (space < 0 or
                            self._dollars_before(text, space) % 2 == 0):
                        break
            if space < 0:
                break
            self.output.write(leading + text[start:space] + ' $\n')
            start = space + 1
            leading = '  ' * (indent + 2)
        self.output.write(leading + text[start:] + '\n')


# ------------------------------------------------------------ arguments

def parse_args(argv):
    p = argparse.ArgumentParser(
        prog='generate.py',
        description='Write build.ninja converting a TRENDY archive for ILAMB.')
    p.add_argument('--input', default=SAMPLE,
                   help='archive root ARCHIVE/<MODEL>/<SIM>/*_<SIM>_<var>.nc '
                        '(default: the bundled sample)')
    p.add_argument('--out', default='out', help='output root (default: out)')
    p.add_argument('--sims', help='comma-separated simulations (default: all)')
    p.add_argument('--models', help='comma-separated model directories')
    p.add_argument('--vars', help='comma-separated TRENDY or output names')
    p.add_argument('--shard', help='I/N: keep the I-th of N disjoint parts '
                   'of the archive (see --shard-by)')
    p.add_argument('--shard-by', choices=('bytes', 'count'), default='bytes',
                   help='bytes (default): biggest input first into the '
                        'shard with the fewest bytes; count: every N-th '
                        'input (sorted paths) from the I-th')
    p.add_argument('--big-jobs', type=int, default=4,
                   help='depth of pool big (default 4)')
    p.add_argument('--big-bytes', type=int, default=BIG_BYTES,
                   help='inputs above this size go in pool big '
                        '(default %d)' % BIG_BYTES)
    p.add_argument('--launcher', default='',
                   help='command prefixed to every conversion '
                        '(e.g. srun ...)')
    p.add_argument('--converter', default=CONVERTER,
                   help='converter program (default %s, built by the '
                        'graph)' % CONVERTER)
    p.add_argument('--prebuilt', action='store_true',
                   help='the graph does not build %s and %s: they are '
                        'plain inputs, built by another graph (job arrays: '
                        'one build for every shard)' % (CONVERTER, VERIFIER))
    p.add_argument('--builddir', default='',
                   help="where ninja keeps .ninja_log and .ninja_deps "
                        "(default: the current directory)")
    p.add_argument('--report', action='store_true',
                   help='write <out>/report/index.html and report.json from '
                        'the stats and check results (ninja report)')
    p.add_argument('-o', dest='output', default='build.ninja',
                   help='file to write (default build.ninja)')
    args = p.parse_args(argv)
    if args.big_jobs < 1:
        p.error('--big-jobs must be at least 1')
    if args.shard is not None:
        m = re.fullmatch(r'(\d+)/(\d+)', args.shard)
        if not m or int(m.group(2)) < 1 or int(m.group(1)) >= int(m.group(2)):
            p.error("--shard wants I/N with 0 <= I < N, not '%s'" % args.shard)
        args.shard = (int(m.group(1)), int(m.group(2)))
    return args


def rel_to_root(path):
    """A path given on the command line (relative to the caller's directory)
    as seen from ROOT: relative if inside it, absolute otherwise."""
    full = os.path.abspath(path)
    rel = os.path.relpath(full, ROOT)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return full
    return rel


def split_list(text):
    if text is None:
        return None
    return [x for x in text.split(',') if x]


def regenerate_args(args):
    """The command-line arguments that reproduce this run from ROOT."""
    out = ['--input', args.input, '--out', args.out]
    for flag, value in (('--sims', args.sims), ('--models', args.models),
                        ('--vars', args.vars)):
        if value is not None:
            out += [flag, value]
    if args.shard is not None:
        out += ['--shard', '%d/%d' % args.shard]
    if args.shard_by != 'bytes':
        out += ['--shard-by', args.shard_by]
    if args.big_jobs != 4:
        out += ['--big-jobs', str(args.big_jobs)]
    if args.big_bytes != BIG_BYTES:
        out += ['--big-bytes', str(args.big_bytes)]
    if args.launcher:
        out += ['--launcher', args.launcher]
    if args.converter != CONVERTER:
        out += ['--converter', args.converter]
    if args.prebuilt:
        out += ['--prebuilt']
    if args.builddir:
        out += ['--builddir', args.builddir]
    out += ['-o', args.output]
    return out


# ------------------------------------------------------------ names

def check_name(kind, name, where):
    """Refuses a model, simulation or variable name that would escape the
    output directory or break the graph."""
    bad = None
    if not name:
        bad = 'is empty'
    elif name in ('.', '..') or name.startswith('.'):
        bad = "starts with '.'"
    elif '/' in name or '\\' in name:
        bad = "contains '/'"
    elif CONTROL.search(name):
        bad = 'contains a control character'
    elif '$' in name:
        bad = "contains '$'"
    elif '"' in name or '`' in name:
        bad = 'contains a double quote or backquote'
    if bad:
        raise GenerateError("%s: %s name %r %s" % (where, kind, name, bad))


def check_path(path):
    """Refuses archive paths ninja cannot express (see escape_path)."""
    try:
        path.encode('utf-8')
    except UnicodeEncodeError:
        # os.scandir hands undecodable bytes over as surrogates, which
        # build.ninja (UTF-8) cannot hold: a traceback, not an error line.
        raise GenerateError('%r: an archive path that is not UTF-8' % path)
    if '\n' in path or '\r' in path:
        raise GenerateError('%r: newline in an archive path' % path)
    if '$' in path:
        raise GenerateError("%s: '$' in an archive path" % path)
    if '"' in path or '`' in path:
        raise GenerateError('%s: a double quote or backquote in an archive '
                            'path' % path)


# ------------------------------------------------------------ tables

def read_table(path):
    """TRENDY name -> output name, from tables/variables.tsv."""
    names = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            cols = line.rstrip('\n').split('\t')
            names[cols[0]] = cols[1]
    return names


def toml_value(path, key, value):
    """Checks one models/ value and returns its command-line words."""
    flag, kind = TOML_FLAGS[key]
    where = '%s: %s' % (path, key)
    if kind is str:
        if not isinstance(value, str):
            raise GenerateError('%s: expected a string' % where)
        if key in TOML_CHOICES and value not in TOML_CHOICES[key]:
            raise GenerateError('%s: expected one of %s' % (
                where, ', '.join(TOML_CHOICES[key])))
        return [flag, value]
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise GenerateError('%s: expected a number' % where)
        return [flag, repr(value)]
    if not isinstance(value, list):
        raise GenerateError('%s: expected a list' % where)
    words = []
    for item in value:
        if key == 'missing':
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                raise GenerateError('%s: expected numbers' % where)
            item = repr(item)
        elif not isinstance(item, str):
            raise GenerateError('%s: expected strings' % where)
        words += [flag, item]
    return words


def toml_options(path, table):
    """Checks a [defaults] or [var.X] table; returns {key: words}."""
    out = {}
    for key, value in table.items():
        if key not in TOML_FLAGS:
            raise GenerateError("%s: unknown key '%s'" % (path, key))
        out[key] = toml_value(path, key, value)
    return out


def read_model(path):
    """models/<MODEL>.toml -> {'skip': {file: reason}, 'defaults': {...},
    'var': {trendyvar: {...}}}, or empty settings if the file is absent."""
    model = {'skip': {}, 'defaults': {}, 'var': {}}
    if not os.path.exists(path):
        return model
    try:
        with open(path, 'rb') as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise GenerateError('%s: %s' % (path, e))
    for key, value in data.items():
        if key == 'skip':
            if not isinstance(value, dict) or not all(
                    isinstance(v, str) for v in value.values()):
                raise GenerateError('%s: skip: expected { "FILE.nc" = '
                                    '"reason" }' % path)
            model['skip'] = value
        elif key == 'defaults':
            if not isinstance(value, dict):
                raise GenerateError('%s: defaults: expected a table' % path)
            model['defaults'] = toml_options(path, value)
        elif key == 'var':
            if not isinstance(value, dict) or not all(
                    isinstance(v, dict) for v in value.values()):
                raise GenerateError('%s: var: expected [var.NAME] tables'
                                    % path)
            model['var'] = {name: toml_options('%s: var.%s' % (path, name), t)
                            for name, t in value.items()}
        else:
            raise GenerateError("%s: unknown key '%s'" % (path, key))
    return model


def model_flags(model, trendyvar):
    """Converter words for one variable: [defaults] overridden by [var.X];
    --var is always given (the TRENDY name unless overridden)."""
    opts = {'var': ['--var', trendyvar]}
    opts.update(model['defaults'])
    opts.update(model['var'].get(trendyvar, {}))
    words = []
    for key in TOML_FLAGS:
        words += opts.get(key, [])
    return words


# ------------------------------------------------------------ scanning

def scan(archive):
    """Yields (model, sim, directory path, file name, size in bytes) for
    every regular file at ARCHIVE/<MODEL>/<SIM>/, sorted; hidden entries
    (leading '.') are ignored. Also returns the directories read."""
    dirs = [archive]
    files = []
    try:
        models = [e for e in os.scandir(archive)
                  if e.is_dir() and not e.name.startswith('.')]
    except OSError as e:
        raise GenerateError('%s: %s' % (archive, e.strerror))
    for m in sorted(models, key=lambda e: e.name):
        dirs.append(m.path)
        sims = [e for e in os.scandir(m.path)
                if e.is_dir() and not e.name.startswith('.')]
        for s in sorted(sims, key=lambda e: e.name):
            dirs.append(s.path)
            for f in os.scandir(s.path):
                if f.name.startswith('.') or not f.is_file():
                    continue
                files.append((m.name, s.name, s.path, f.name,
                              f.stat().st_size))
    files.sort(key=lambda t: (t[0], t[1], t[3]))
    return files, dirs


def parse_name(sim, name):
    """'<anything>_<SIM>_<var>.nc' (or .cdl) -> (var, ext), else None."""
    for ext in ('.nc', '.cdl'):
        if name.endswith(ext):
            stem = name[:-len(ext)]
            break
    else:
        return None
    mark = '_%s_' % sim
    at = stem.rfind(mark)
    if at <= 0:
        return None
    return stem[at + len(mark):], ext


def ncgen_kind(path):
    """The -k flag from a CDL first line '// ncgen -k KIND' (default nc3)."""
    with open(path, encoding='utf-8', errors='replace') as f:
        first = f.readline()
    m = re.match(r'\s*//\s*ncgen\s+-k\s*(\S+)', first)
    if not m:
        return 'nc3'
    if m.group(1) not in NCGEN_KINDS:
        raise GenerateError("%s: unknown ncgen kind '%s'" % (path,
                                                              m.group(1)))
    return m.group(1)


def output_dir(model, sim):
    """S3 (what ILAMB benchmarks) goes to <MODEL>, others to <MODEL>_<SIM>."""
    return model if sim == 'S3' else '%s_%s' % (model, sim)


def plan(args, table):
    """Scans the archive and returns (jobs, skipped, dirs, tomls): one job
    per conversion, biggest input first."""
    check_path(args.input)
    check_path(args.out)
    want_models = split_list(args.models)
    want_sims = split_list(args.sims)
    want_vars = split_list(args.vars)
    files, dirs = scan(args.input)
    for d in dirs:
        check_path(d)
    models, jobs, skipped, owner = {}, [], [], {}
    for model, sim, folder, name, size in files:
        if want_models is not None and model not in want_models:
            continue
        if want_sims is not None and sim not in want_sims:
            continue
        path = os.path.join(folder, name)
        check_path(path)
        check_name('model', model, path)
        check_name('simulation', sim, path)
        parsed = parse_name(sim, name)
        if parsed is None:
            skipped.append((model, sim, path,
                            'name does not match *_%s_<var>.nc' % sim))
            continue
        var, ext = parsed
        if want_vars is not None and var not in want_vars and \
                table.get(var) not in want_vars:
            continue
        check_name('variable', var, path)
        if model not in models:
            toml = os.path.join(MODELS, model + '.toml')
            models[model] = (read_model(toml),
                             toml if os.path.exists(toml) else None)
        settings, toml = models[model]
        ncname = name[:-len(ext)] + '.nc'
        if ncname in settings['skip'] or name in settings['skip']:
            reason = settings['skip'].get(ncname, settings['skip'].get(name))
            skipped.append((model, sim, path, '%s: %s' % (toml, reason)))
            continue
        if var not in table:
            skipped.append((model, sim, path,
                            "variable '%s' is not in %s" % (var, TABLE)))
            continue
        outvar = table[var]
        check_name('output variable', outvar, TABLE)
        odir = output_dir(model, sim)
        out = '%s/%s/%s.nc' % (args.out, odir, outvar)
        if out in owner:
            raise GenerateError('%s and %s both map to %s'
                                % (owner[out], path, out))
        owner[out] = path
        jobs.append({
            'model': model, 'sim': sim, 'var': var, 'outvar': outvar,
            'path': path, 'ext': ext, 'size': size, 'out': out,
            'odir': odir, 'name': '%s/%s' % (odir, outvar),
            'stats': '%s/stats/%s/%s.json' % (args.out, odir, outvar),
            'toml': toml,
            'flags': model_flags(settings, var),
        })
    jobs.sort(key=lambda j: (-j['size'], j['path']))
    if args.shard is not None:
        index, count = args.shard
        split_shards(jobs, count, args.shard_by)
        args.shard_plan = shard_table(jobs, count, args.shard_by)
        jobs = [j for j in jobs if j['shard'] == index]
    return jobs, skipped, dirs


def split_shards(jobs, count, by):
    """Sets job['shard'] to 0..count-1. 'count': every count-th job in
    path order. 'bytes': jobs in the given order (biggest input first, ties
    by path) each go to the shard with the fewest bytes so far, then the
    fewest files, then the lowest index (longest-processing-time-first list
    scheduling), so a few multi-GB files end up in different shards and
    empty files are dealt round-robin. Deterministic for a given archive."""
    if by == 'count':
        for i, j in enumerate(sorted(jobs, key=lambda j: j['path'])):
            j['shard'] = i % count
        return
    heap = [(0, 0, i) for i in range(count)]
    for j in jobs:
        size, files, i = heap[0]
        j['shard'] = i
        heapq.heapreplace(heap, (size + j['size'], files + 1, i))


def shard_table(jobs, count, by):
    """<out>/shards.tsv: which shard converts which output (the report's
    per-shard status reads it). The same text from every shard."""
    lines = ['# shards=%d by=%s\n' % (count, by), 'shard\tbytes\toutput\n']
    lines += ['%d\t%d\t%s\n' % (j['shard'], j['size'], j['out'])
              for j in sorted(jobs, key=lambda j: (j['shard'], j['out']))]
    return ''.join(lines)


# ------------------------------------------------------------ C build

def c_sources():
    """(library sources, {program name: entry source}, test sources)."""
    src = sorted(f for f in os.listdir('src') if f.endswith('.c')) \
        if os.path.isdir('src') else []
    lib = [f for f in src if f != 'main.c' and not f.endswith('_main.c')]
    progs = {}
    for f in src:
        if f == 'main.c':
            progs['trendy2ilamb'] = f
        elif f.endswith('_main.c'):
            progs['t2i-' + f[:-len('_main.c')]] = f
    tests = sorted(f for f in os.listdir('tests') if f.endswith('_test.c')) \
        if os.path.isdir('tests') else []
    return lib, progs, tests


def write_c_build(n):
    """Release and sanitizer objects, programs and test binaries; returns
    the release programs and the targets of phony 'tests'."""
    lib, progs, tests = c_sources()
    n.comment('C build, generated from src/*.c and tests/*_test.c.')
    for f in lib + list(progs.values()):
        stem = f[:-2]
        n.build('build/obj/%s.o' % stem, 'cc', 'src/' + f)
        n.build('build/san/obj/%s.o' % stem, 'cc_san', 'src/' + f)
    rel_lib = ['build/obj/%s.o' % f[:-2] for f in lib]
    san_lib = ['build/san/obj/%s.o' % f[:-2] for f in lib]
    programs, test_targets = [], []
    for prog, f in sorted(progs.items()):
        stem = f[:-2]
        n.build('build/' + prog, 'link', ['build/obj/%s.o' % stem] + rel_lib)
        n.build('build/san/' + prog, 'link_san',
                ['build/san/obj/%s.o' % stem] + san_lib)
        programs.append('build/' + prog)
        test_targets.append('build/san/' + prog)
    for f in tests:
        stem = f[:-2]
        n.build('build/san/obj/tests/%s.o' % stem, 'cc_san', 'tests/' + f)
        n.build('build/san/tests/' + stem, 'link_san',
                ['build/san/obj/tests/%s.o' % stem] + san_lib)
        test_targets.append('build/san/tests/' + stem)
    n.build('tests', 'phony', test_targets)
    n.newline()
    return programs


# ------------------------------------------------------------ conversions
# The graph is kept small because ninja parses all of it on every run (a
# no-op ninja at 10 000 files must stay under 0.2 s, and each edge variable
# costs ninja more than the bytes of a path): the archive and output roots
# are the variables $a and $o, an edge has one variable ($flags), the stats
# path is derived from $out in the rule and is not a Ninja output (10 000
# more nodes to stat and log: a no-op ninja 15 % slower; the stats are
# rewritten whenever their output is), what every conversion of a model
# depends on (converter, table, models/<MODEL>.toml) is one phony
# 'uses-convert[-<MODEL>]', and the aggregates list output directories.

def shell_words(words):
    return ' '.join(escape(shlex.quote(w)) for w in words)


def under(path, root, var):
    """path, escaped for a build line, written as $var/rest when it lies
    under root."""
    if path.startswith(root + '/'):
        return '$%s/%s' % (var, escape_path(path[len(root) + 1:]))
    return escape_path(path)


def write_launcher(args):
    """Writes the fixed wrapper every conversion and check runs through
    (<-o FILE>.launch): `exec "$@"`, or the --launcher words before "$@".
    Its path, not its content, is in the commands ninja hashes, so turning
    --launcher on or off reconverts nothing. It is written only when its
    content changes; build.ninja's regenerate edge lists it as an output
    with restat, so deleting it makes ninja rerun generate.py."""
    body = ('%s "$@"' % args.launcher) if args.launcher else 'exec "$@"'
    text = ('#!/bin/sh\n# Written by generate.py for %s (--launcher): runs '
            'one conversion or check.\n%s\n' % (args.output, body))
    write_file(launcher_path(args), text, keep_same=True, mode=0o755)


def launcher_path(args):
    return args.output + '.launch'


def model_uses(n, jobs, what, program):
    """Phony uses-<what> (program + table) and uses-<what>-<MODEL> (+ the
    model's toml): what each conversion or check of a model depends on."""
    n.build('uses-' + what, 'phony', [program, TABLE])
    for toml in sorted({j['toml'] for j in jobs if j['toml']}):
        model = os.path.basename(toml)[:-len('.toml')]
        n.build('uses-%s-%s' % (what, model), 'phony', [program, TABLE, toml])


def uses(what, job):
    if job['toml']:
        return 'uses-%s-%s' % (what, job['model'])
    return 'uses-' + what


def write_conversions(n, args, jobs):
    """One ncgen edge per CDL input, one conversion edge per job."""
    n.comment('Conversions, biggest input first (ninja starts ready edges '
              'in file order). Inputs above %d bytes run in pool big. '
              '$a is the archive, $o the output root.' % args.big_bytes)
    n.pool('big', args.big_jobs)
    launch = launcher_path(args)
    n.variable('launch', escape(shlex.quote(
        launch if '/' in launch else './' + launch)))
    n.variable('converter', escape(shlex.quote(args.converter)))
    n.variable('table', escape(shlex.quote(TABLE)))
    n.variable('a', escape(args.input))
    n.variable('o', escape(args.out))
    model_uses(n, jobs, 'convert', args.converter)
    n.newline()
    for j in jobs:
        src = j['path']
        if j['ext'] == '.cdl':
            name = os.path.basename(src)[:-len('.cdl')] + '.nc'
            nc = 'build/sample/%s/%s/%s' % (j['model'], j['sim'], name)
            n.build(nc, 'ncgen', src,
                    variables={'kind': shlex.quote(ncgen_kind(src))})
            src = nc
        flags = ['--model', j['model'], '--sim', j['sim'],
                 '--out-var', j['outvar']] + j['flags']
        j['src'] = src  # what the checker reads beside the output
        j['in'] = under(src, args.input, 'a')
        n.build(under(j['out'], args.out, 'o'), 'convert', j['in'],
                implicit=uses('convert', j), escaped=True,
                pool='big' if j['size'] > args.big_bytes else None,
                variables={'flags': shell_words(flags)})
    n.newline()


def write_phony(n, args, jobs, programs):
    """all, convert, one per output directory (an ILAMB model: ninja
    out/CLM5.0), model-<M>, var-<outvar>, sim-<S>."""
    dirs, groups = {}, {}
    for j in jobs:
        odir = '%s/%s' % (args.out, j['odir'])
        dirs.setdefault(odir, []).append(under(j['out'], args.out, 'o'))
        for key in ('model-' + j['model'], 'sim-' + j['sim']):
            groups.setdefault(key, set()).add(under(odir, args.out, 'o'))
        groups.setdefault('var-' + j['outvar'], set()).add(
            under(j['out'], args.out, 'o'))
    n.comment('Aggregates: all (default), convert, each output directory, '
              'model-<MODEL>, var-<output variable>, sim-<SIM>.')
    for odir in sorted(dirs):
        n.build(under(odir, args.out, 'o'), 'phony', sorted(dirs[odir]),
                escaped=True)
    n.build('convert', 'phony', sorted(under(d, args.out, 'o') for d in dirs),
            escaped=True)
    for key in sorted(groups):
        n.build(escape_path(key), 'phony', sorted(groups[key]), escaped=True)
    n.build('all', 'phony', ['convert'] + programs)
    n.default('all')
    n.newline()


def check_path_of(args, job):
    """out/check/<dir>/<outvar>.json: the checker's result for one output."""
    return '%s/check/%s/%s.json' % (args.out, job['odir'], job['outvar'])


def report_args(args):
    """regenerate_args without '-o FILE' (always last) and without the
    shard: the report plans the same archive, all of it (a shard's
    `ninja report` shows every shard's files), and writes no build file."""
    words = regenerate_args(args)
    assert words[-2] == '-o'
    words = words[:-2]
    for flag in ('--shard', '--shard-by'):
        if flag in words:
            at = words.index(flag)
            del words[at:at + 2]
    return words


def write_checks(n, args, jobs):
    """One t2i-verify edge per output, phony 'check', and the report."""
    n.comment('Checks (ninja check): t2i-verify per output, given the same '
              'models/ flags as the converter. Report (ninja report): '
              'out/report/index.html from every stats and check result.')
    n.variable('verifier', escape(shlex.quote(VERIFIER)))
    model_uses(n, jobs, 'verify', VERIFIER)
    n.newline()
    for j in jobs:
        flags = ['--out-var', j['outvar']] + j['flags']
        n.build(under(check_path_of(args, j), args.out, 'o'), 'verify',
                [j['in'], under(j['out'], args.out, 'o')],
                implicit=uses('verify', j), escaped=True,
                variables={'flags': shell_words(flags)})
    n.build('check', 'phony', sorted(under(check_path_of(args, j), args.out,
                                           'o') for j in jobs), escaped=True)
    report = '%s/report' % args.out
    n.build('report_always', 'phony')
    n.build(report + '/index.html', 'report', implicit=['report_always'],
            implicit_outputs=[report + '/report.json'],
            variables={'args': shell_words(report_args(args))})
    n.build('report', 'phony', report + '/index.html')
    n.newline()


def write_regenerate(n, args, dirs, rules):
    tomls = sorted(os.path.join(MODELS, f) for f in os.listdir(MODELS)
                   if f.endswith('.toml')) if os.path.isdir(MODELS) else []
    # The tests/ directory is named by its absolute path: a relative 'tests'
    # would be the phony target 'tests' (ninja drops a trailing '/').
    deps = ['generate.py', 'build.ninja.in'] + rules + tomls + \
        [MODELS, RULES, TABLE, 'src', os.path.join(ROOT, 'tests')] + dirs
    deps = [d for d in deps if os.path.exists(d)]
    # A phony edge per dependency keeps a deleted archive directory or
    # models/ file from stopping ninja ("missing and no known rule"); a
    # missing phony output counts as dirty, so generate.py reruns.
    for d in deps:
        n.build(d, 'phony')
    n.comment('build.ninja is an output: rerun generate.py with the same '
              'arguments when it, its templates, models/, the variables '
              'table, src/, tests/ or an archive directory changes.')
    n.build(args.output, 'regenerate', implicit=deps,
            implicit_outputs=launcher_path(args),
            variables={'args': shell_words(regenerate_args(args))})


def write_skipped(n, skipped):
    n.comment('Skipped archive files (also in <out>/skipped.tsv, one '
              'tab-separated line each: model, simulation, file, reason):')
    for model, sim, path, reason in skipped:
        n.comment('- %s: %s' % (path, reason))
    n.newline()


def write_file(path, text, keep_same=False, mode=None):
    """Writes text atomically (chmod mode if given); with keep_same, an
    identical file is left untouched. build.ninja is always written: ninja
    reruns its generator until the output is newer than every input."""
    if keep_same:
        try:
            with open(path, encoding='utf-8') as f:
                if f.read() == text and (mode is None or
                                         os.stat(path).st_mode & 0o777 ==
                                         mode):
                    return
        except OSError:
            pass
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    tmp = '%s.%d.tmp' % (path, os.getpid())
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    if mode is not None:
        os.chmod(tmp, mode)
    os.replace(tmp, path)


class Text:
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)

    def value(self):
        return ''.join(self.parts)


def generate(args):
    table = read_table(TABLE)
    jobs, skipped, dirs = plan(args, table)
    rules = sorted(os.path.join(RULES, f) for f in os.listdir(RULES)
                   if f.endswith('.ninja'))
    text = Text()
    with open('build.ninja.in', encoding='utf-8') as f:
        text.write(f.read())
    for r in rules:
        text.write('\n# ---- %s\n' % r)
        with open(r, encoding='utf-8') as f:
            text.write(f.read())
    text.write('\n# ---- generated by generate.py %s\n\n'
               % ' '.join(shlex.quote(a) for a in regenerate_args(args))
               .replace('\n', ' '))
    n = Writer(text)
    if args.builddir:
        n.variable('builddir', escape_path(args.builddir))
        n.newline()
    if args.prebuilt:
        n.comment('--prebuilt: %s and %s are inputs, built by another graph.'
                  % (args.converter, VERIFIER))
        programs = []
    else:
        programs = write_c_build(n)
    write_conversions(n, args, jobs)
    write_phony(n, args, jobs, programs)
    write_checks(n, args, jobs)
    write_skipped(n, skipped)
    write_regenerate(n, args, dirs, rules)
    write_launcher(args)
    write_file(args.output, text.value())
    tsv = ['model\tsim\tfile\treason\n'] + [
        '\t'.join(row) + '\n' for row in skipped]
    write_file(os.path.join(args.out, 'skipped.tsv'), ''.join(tsv),
               keep_same=True)
    if args.shard is not None:
        write_file(os.path.join(args.out, 'shards.tsv'), args.shard_plan,
                   keep_same=True)
    return jobs, skipped


# ------------------------------------------------------------ run report
# `generate.py --report ...` (ninja report, issue 6): plans the archive as the
# generator does, then reads every converter --stats JSON, every t2i-verify
# result, the skip reasons and .ninja_log, and writes <out>/report/:
# report.json, table.tsv and index.html with its quicklook pictures in img/
# (PNG maps written with zlib, SVG series): one page that opens in a
# browser with no server, network or JavaScript.

REPORT_TOP = 10         # rows in the slowest / biggest / longest tables
MAP_PIXELS = 288        # quicklook map width to aim for, in pixels
SERIES_W, SERIES_H = 320, 120   # quicklook series size, in pixels
# Viridis at five stops: readable in grey and by colour-blind readers.
COLOURS = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98),
           (253, 231, 37)]
MISSING_RGB = (225, 225, 225)


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


def job_row(args, j):
    """What happened to one planned conversion, and its check."""
    stats = read_json(j['stats']) or {}
    check = read_json(check_path_of(args, j))
    row = {'model': j['model'], 'sim': j['sim'], 'var': j['var'],
           'outvar': j['outvar'], 'input': j['path'], 'output': j['out'],
           'stats': stats, 'check': None, 'reason': ''}
    if not stats:
        row['state'] = 'pending'
        row['reason'] = 'not converted yet'
    elif stats.get('status') == 'ok' and os.path.exists(j['out']):
        row['state'] = 'converted'
    else:
        row['state'] = 'failed'
        row['reason'] = stats.get('error') or 'output missing'
    if row['state'] == 'converted' and check is not None and \
            os.path.getmtime(check_path_of(args, j)) >= \
            os.path.getmtime(j['out']):
        row['check'] = check
    return row


def skipped_row(model, sim, path, reason):
    parsed = parse_name(sim, os.path.basename(path))
    return {'model': model, 'sim': sim, 'var': parsed[0] if parsed else '',
            'input': path, 'state': 'skipped', 'reason': reason,
            'stats': {}, 'check': None}


def check_state(row):
    if row['state'] != 'converted':
        return ''
    if row['check'] is None:
        return 'not checked'
    return 'check ok' if row['check'].get('status') == 'ok' else 'check failed'


def grids(rows, table):
    """Per simulation: models x variables, each cell the row or None
    (missing from the archive)."""
    models = sorted({r['model'] for r in rows}, key=str.lower)
    out = {}
    for sim in sorted({r['sim'] for r in rows}):
        here = [r for r in rows if r['sim'] == sim and r['var']]
        extra = sorted({r['var'] for r in here} - set(table))
        cols = list(table) + extra
        cells = {m: {v: None for v in cols} for m in models}
        for r in here:
            cells[r['model']][r['var']] = r
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
    done = [r for r in rows if r['state'] == 'converted']
    wall = sum(r['stats'].get('wall_seconds', 0) for r in done)
    span = kinds.get('convert', {}).get('span_s', 0)
    t = {'archive_files': len(rows), 'converted': len(done)}
    for state in ('failed', 'skipped', 'pending'):
        t[state] = sum(r['state'] == state for r in rows)
    for state in ('check ok', 'check failed', 'not checked'):
        t[state.replace(' ', '_')] = sum(check_state(r) == state for r in rows)
    t['input_bytes'] = sum(r['stats'].get('input_bytes', 0) for r in done)
    t['output_bytes'] = sum(r['stats'].get('output_bytes', 0) for r in done)
    t['wall_seconds_sum'] = wall
    t['files_per_hour_one_core'] = len(done) * 3600.0 / wall if wall else None
    t['ninja_convert_span_seconds'] = span
    t['files_per_hour_ninja'] = len(done) * 3600.0 / span if span else None
    return t


# ---- pictures

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
        if not r['check']:
            continue
        stem = '%s_%s' % (output_dir(r['model'], r['sim']), r['outvar'])
        data, lo, hi = map_png(r['check'])
        if data:
            r['map_png'] = 'img/%s_map.png' % stem
            r['map_range'] = (lo, hi)
            write_bytes(os.path.join(folder, r['map_png']), data)
        svg = series_svg(r['check'])
        if svg:
            r['series_svg'] = 'img/%s_series.svg' % stem
            write_file(os.path.join(folder, r['series_svg']), svg,
                       keep_same=True)


def write_bytes(path, data):
    tmp = '%s.%d.tmp' % (path, os.getpid())
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, path)


# ---- page

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
    state = row['state']
    text = STATE_LABEL[state]
    extra = ''
    if state == 'converted':
        c = check_state(row)
        extra = '<br><small class="%s">%s</small>' % (
            'bad' if c == 'check failed' else '', h(c))
    elif row['reason']:
        extra = '<br><small>%s</small>' % h(row['reason'])
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
        if r['state'] != 'converted':
            continue
        s = {k: r['stats'].get(k) for k in keys}
        ratio = s['input_bytes'] / s['output_bytes'] \
            if s['output_bytes'] else None
        problems = (r['check'] or {}).get('problems') or []
        out.append(
            '<tr><td>%s</td><td>%s</td><td class="num">%s</td>'
            '<td class="num">%s</td><td class="num">%s</td>'
            '<td class="num">%s</td><td class="num">%s</td><td>%s</td>'
            '<td>%s</td><td>%s</td><td><small>%s</small></td>'
            '<td><small>%s</small></td><td><small>%s</small></td>'
            '<td><small>%s</small></td></tr>' % (
                h(r['output']), h(r['state']), size(s['input_bytes']),
                size(s['output_bytes']),
                '%.2f' % ratio if ratio else '',
                '%.2f' % s['wall_seconds'] if s['wall_seconds'] else '',
                size((s['peak_rss_kib'] or 0) * 1024), h(s['time_span']),
                h(s['calendar']), h(s['frequency']), h(s['conversion']),
                h(s['quirks']), h(s['warnings']),
                h(check_state(r)) + ''.join('<br>' + h(p) for p in problems) +
                ('<br><i>%s</i>' % h(r['check']['note'])
                 if r['check'] and r['check'].get('note') else '')))
    out.append('</table>')
    return ''.join(out)


def top_html(title, rows, key, fmt):
    ranked = sorted((r for r in rows if r['stats'].get(key) is not None),
                    key=lambda r: -r['stats'][key])[:REPORT_TOP]
    return '<h3>%s</h3><table>%s</table>' % (h(title), ''.join(
        '<tr><td>%s</td><td class="num">%s</td></tr>' % (
            h(r['output']), fmt(r['stats'][key])) for r in ranked))


def problems_html(rows):
    out = []
    for r in rows:
        if r['state'] in ('failed', 'skipped'):
            out.append('<li>%s %s: %s</li>' % (
                h(r['input']), STATE_LABEL[r['state']], h(r['reason'])))
        elif check_state(r) == 'check failed':
            out.append('<li>%s check failed:<ul>%s</ul></li>' % (
                h(r['output']), ''.join('<li>%s</li>' % h(p) for p in
                                        r['check'].get('problems', []))))
    return '<ul>%s</ul>' % ''.join(out) if out else '<p>None.</p>'


def totals_html(t, kinds, longest):
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
        if not r.get('map_png') and not r.get('series_svg'):
            continue
        caption = '%s (%s)' % (r['output'], check_state(r))
        figs = ''
        if r.get('series_svg'):
            figs += '<img src="%s" alt="global mean of %s" loading="lazy">' \
                % (h(r['series_svg']), h(r['output']))
        if r.get('map_png'):
            lo, hi = r['map_range']
            figs += ' <img src="%s" alt="time-mean map of %s" ' \
                'loading="lazy"><br><small>map: time mean, %.4g (dark) to ' \
                '%.4g (yellow), grey = missing</small>' % (
                    h(r['map_png']), h(r['output']), lo, hi)
        out.append('<figure>%s<figcaption>%s</figcaption></figure>' % (
            figs, h(caption)))
    return ''.join(out)


def page(rows, grid, t, kinds, longest, args):
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>'
             'trendy2ilamb run report</title><style>%s</style></head><body>'
             % PAGE_STYLE,
             '<h1>trendy2ilamb run report</h1><p>Archive <code>%s</code>, '
             'outputs <code>%s</code>, written %s.</p>' % (
                 h(args.input), h(args.out),
                 h(time.strftime('%Y-%m-%d %H:%M:%S'))),
             '<h2>Totals</h2>', totals_html(t, kinds, longest),
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
              '<h2>Quicklooks</h2><p>Left: area-weighted global mean per '
              'time step. Right: time-mean map.</p>', quicklooks_html(rows),
              '</body></html>\n']
    return ''.join(parts)


def shard_status(args, rows):
    """Per shard of the last sharded run (<out>/shards.tsv, written by
    generate.py --shard): {'shard', 'total', 'done', 'failed', 'pending',
    'input_bytes'}, from the same stats the table uses, so it can be read
    while a job array runs. None without shards.tsv."""
    owner = {}
    try:
        with open(os.path.join(args.out, 'shards.tsv'), encoding='utf-8') as f:
            for line in f:
                cols = line.rstrip('\n').split('\t')
                if len(cols) == 3 and cols[0].isdigit():
                    owner[cols[2]] = (int(cols[0]), int(cols[1]))
    except OSError:
        return None
    shards = {}
    for r in rows:
        if r.get('output') not in owner:
            continue
        index, size = owner[r['output']]
        s = shards.setdefault(index, {'shard': index, 'total': 0, 'done': 0,
                                      'failed': 0, 'pending': 0,
                                      'input_bytes': 0})
        s['total'] += 1
        s['input_bytes'] += size
        s[{'converted': 'done'}.get(r['state'], r['state'])] += 1
    return [shards[i] for i in sorted(shards)]


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


def report_json(rows, grid, t, kinds, longest):
    def slim(r):
        c = r['check'] or {}
        return {'model': r['model'], 'sim': r['sim'], 'var': r['var'],
                'input': r['input'], 'output': r.get('output'),
                'state': r['state'], 'reason': r['reason'],
                'check': check_state(r), 'problems': c.get('problems', []),
                'check_note': c.get('note', ''),
                'stats': r['stats']}
    table = {sim: {m: {v: (STATE_LABEL[c['state']] if c else 'missing')
                       for v, c in cells[m].items()} for m in cells}
             for sim, (cols, cells) in grid.items()}
    return {'totals': {k: v for k, v in t.items() if k != 'shards'},
            'shards': t.get('shards'), 'table': table,
            'files': [slim(r) for r in rows],
            'ninja': {'kinds': kinds, 'longest': longest}}


def report(args):
    """Writes <out>/report/index.html, report.json and img/."""
    table = read_table(TABLE)
    jobs, skipped, _ = plan(args, table)
    rows = [job_row(args, j) for j in sorted(jobs, key=lambda j: j['out'])]
    rows += [skipped_row(*s) for s in skipped]
    log = read_ninja_log(os.path.join(args.builddir or '.', '.ninja_log'))
    kinds, longest = ninja_summary(log, args.out)
    t = totals(rows, kinds)
    shards = shard_status(args, rows)
    if shards is not None:
        t['shards'] = shards
    grid = grids(rows, table)
    folder = os.path.join(args.out, 'report')
    write_pictures(rows, folder)
    write_file(os.path.join(folder, 'report.json'),
               json.dumps(report_json(rows, grid, t, kinds, longest),
                          indent=1, sort_keys=True) + '\n')
    write_file(os.path.join(folder, 'index.html'),
               page(rows, grid, t, kinds, longest, args))
    write_file(os.path.join(folder, 'table.tsv'), table_tsv(grid))
    return t


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
                    sim, m, v, STATE_LABEL[r['state']] if r else 'missing',
                    check_state(r) if r else '',
                    (r['reason'] if r else '').replace('\t', ' ')
                    .replace('\n', ' ')]) + '\n')
    return ''.join(lines)


def report_main(args):
    try:
        t = report(args)
    except (GenerateError, OSError) as e:
        print('generate.py: report: %s' % e, file=sys.stderr)
        return 1
    print('generate.py: %s/report/index.html: %d converted, %d failed, '
          '%d skipped, checks %d ok / %d failed / %d not run'
          % (args.out, t['converted'], t['failed'], t['skipped'],
             t['check_ok'], t['check_failed'], t['not_checked']))
    return 0


def main(argv):
    args = parse_args(argv)
    args.input = rel_to_root(args.input)
    args.out = rel_to_root(args.out)
    args.output = rel_to_root(args.output)
    if args.converter != CONVERTER:
        args.converter = rel_to_root(args.converter)
    if args.builddir:
        args.builddir = rel_to_root(args.builddir)
    os.chdir(ROOT)
    if args.report:
        return report_main(args)
    try:
        jobs, skipped = generate(args)
    except (GenerateError, OSError) as e:
        if isinstance(e, OSError) and e.filename:
            e = '%s: %s' % (e.filename, e.strerror)
        print('generate.py: %s' % e, file=sys.stderr)
        return 1
    print('generate.py: %s: %d conversions, %d skipped (%s)'
          % (args.output, len(jobs), len(skipped),
             os.path.join(args.out, 'skipped.tsv')))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
