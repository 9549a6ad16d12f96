#!/usr/bin/env python3
"""Write build.ninja: build the converter, then convert a TRENDY archive.

    ./generate.py [--input ARCHIVE] [--out DIR] [--sims S3,...] [--models A,B]
                  [--vars x,y] [--shard I/N] [--big-jobs K] [--big-bytes B]
                  [--launcher CMD] [--converter PATH] [--builddir DIR]
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
"""

import argparse
import os
import re
import shlex
import sys
import textwrap
import tomllib

ROOT = os.path.dirname(os.path.abspath(__file__))
SAMPLE = 'sample'
TABLE = 'tables/variables.tsv'
MODELS = 'models'
RULES = 'rules'
CONVERTER = 'build/trendy2ilamb'
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
              pool=None):
        outs = [escape_path(x) for x in as_list(outputs)]
        ins = [escape_path(x) for x in as_list(inputs)]
        if implicit:
            ins.append('|')
            ins.extend(escape_path(x) for x in as_list(implicit))
        if order_only:
            ins.append('||')
            ins.extend(escape_path(x) for x in as_list(order_only))
        if implicit_outputs:
            outs.append('|')
            outs.extend(escape_path(x) for x in as_list(implicit_outputs))
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
    p.add_argument('--shard', help='I/N: keep every N-th input, offset I')
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
    p.add_argument('--builddir', default='',
                   help="where ninja keeps .ninja_log and .ninja_deps "
                        "(default: the current directory)")
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
    if args.big_jobs != 4:
        out += ['--big-jobs', str(args.big_jobs)]
    if args.big_bytes != BIG_BYTES:
        out += ['--big-bytes', str(args.big_bytes)]
    if args.launcher:
        out += ['--launcher', args.launcher]
    if args.converter != CONVERTER:
        out += ['--converter', args.converter]
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
    if bad:
        raise GenerateError("%s: %s name %r %s" % (where, kind, name, bad))


def check_path(path):
    """Refuses archive paths ninja cannot express (see escape_path)."""
    if '\n' in path or '\r' in path:
        raise GenerateError('%r: newline in an archive path' % path)
    if '$' in path:
        raise GenerateError("%s: '$' in an archive path" % path)


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
            'odir': odir,
            'stats': '%s/stats/%s/%s.json' % (args.out, odir, outvar),
            'toml': toml,
            'flags': model_flags(settings, var),
        })
    jobs.sort(key=lambda j: j['path'])
    if args.shard is not None:
        index, count = args.shard
        jobs = jobs[index::count]
    jobs.sort(key=lambda j: (-j['size'], j['path']))
    return jobs, skipped, dirs


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

def shell_words(words):
    return ' '.join(escape(shlex.quote(w)) for w in words)


def write_conversions(n, args, jobs):
    """One ncgen edge per CDL input, one conversion edge per job."""
    n.comment('Conversions, biggest input first (ninja starts ready edges '
              'in file order). Inputs above %d bytes run in pool big.'
              % args.big_bytes)
    n.pool('big', args.big_jobs)
    n.variable('launcher', escape(args.launcher))
    n.variable('converter', escape(shlex.quote(args.converter)))
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
                 '--out-var', j['outvar'], '--table', TABLE] + j['flags']
        implicit = [args.converter, TABLE] + ([j['toml']] if j['toml'] else [])
        desc = j['model'] if j['sim'] == 'S3' else j['odir']
        n.build(j['out'], 'convert', src, implicit=implicit,
                implicit_outputs=j['stats'],
                pool='big' if j['size'] > args.big_bytes else None,
                variables={'flags': shell_words(flags),
                           'stats': escape(shlex.quote(j['stats'])),
                           'name': escape('%s/%s' % (desc, j['outvar']))})
    n.newline()


def write_phony(n, jobs, programs):
    """all, convert, model-<M>, var-<outvar>, sim-<S>."""
    groups = {}
    for j in jobs:
        for key in ('model-' + j['model'], 'var-' + j['outvar'],
                    'sim-' + j['sim']):
            groups.setdefault(key, []).append(j['out'])
    n.comment('Aggregates: all (default), convert, model-<MODEL>, '
              'var-<output variable>, sim-<SIM>.')
    outs = sorted(j['out'] for j in jobs)
    n.build('convert', 'phony', outs)
    for key in sorted(groups):
        n.build(key, 'phony', sorted(groups[key]))
    n.build('all', 'phony', ['convert'] + programs)
    n.default('all')
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
            variables={'args': shell_words(regenerate_args(args))})


def write_skipped(n, skipped):
    n.comment('Skipped archive files (also in <out>/skipped.tsv, one '
              'tab-separated line each: model, simulation, file, reason):')
    for model, sim, path, reason in skipped:
        n.comment('- %s: %s' % (path, reason))
    n.newline()


def write_file(path, text, keep_same=False):
    """Writes text atomically; with keep_same, an identical file is left
    untouched. build.ninja is always written: ninja reruns its generator
    until the output is newer than every input."""
    if keep_same:
        try:
            with open(path, encoding='utf-8') as f:
                if f.read() == text:
                    return
        except OSError:
            pass
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    tmp = '%s.%d.tmp' % (path, os.getpid())
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
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
    programs = write_c_build(n)
    write_conversions(n, args, jobs)
    write_phony(n, jobs, programs)
    write_skipped(n, skipped)
    write_regenerate(n, args, dirs, rules)
    write_file(args.output, text.value())
    tsv = ['model\tsim\tfile\treason\n'] + [
        '\t'.join(row) + '\n' for row in skipped]
    write_file(os.path.join(args.out, 'skipped.tsv'), ''.join(tsv),
               keep_same=True)
    return jobs, skipped


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
