"""The archive and its plan: what will be converted, from what, to where.

Imported by generate.py (which writes the Ninja graph from the plan) and by
report.py (which reads what the plan's conversions and checks left behind).
No netCDF file is opened here: a plan is made from names, sizes, the
variables table and models/*.toml, so 10 000 files plan in well under a
second.

Every path a conversion involves is worked out once, in plan(), and kept in
its Job: the Ninja writer and the report only read them.
"""

import dataclasses
import heapq
import os
import re
import tomllib

SAMPLE = 'sample'
TABLE = 'tables/variables.tsv'
MODELS = 'models'
CONVERTER = 'build/trendy2ilamb'
VERIFIER = 'build/t2i-verify'
# ncgen -k values accepted in a CDL file's first-line "// ncgen -k KIND".
NCGEN_KINDS = {'nc3', 'nc6', 'nc4', 'nc7', 'classic', '64-bit-offset',
               'netCDF-4', 'netCDF-4-classic', '1', '2', '3', '4'}
# Default time limit of one conversion or check: BASE seconds plus PER_GB
# seconds per GiB of input. A 1 GiB file converts in well under a minute on
# one core (README, Performance), so this only stops what hangs (HDF5 1.10
# can loop for ever inside nc_open on a damaged heap).
TIMEOUT_BASE = 300
TIMEOUT_PER_GB = 300
GIB = 1 << 30

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
    'layer_bounds': ('--layer-bounds', list),
}
TOML_CHOICES = {'time_stamp': ('start', 'end'), 'frequency': ('mon', 'yr')}

CONTROL = re.compile('[\x00-\x1f\x7f]')


class GenerateError(Exception):
    """A problem with the archive, a models/ file or the arguments."""


# ------------------------------------------------------------ records

@dataclasses.dataclass
class Options:
    """What to plan (generate.py's command line, paths relative to the
    repository root)."""
    input: str = SAMPLE
    out: str = 'out'
    sims: list | None = None
    models: list | None = None
    vars: list | None = None
    shard: tuple | None = None          # (index, count)
    shard_by: str = 'bytes'
    timeout: int = TIMEOUT_BASE         # seconds; 0: no limit
    timeout_per_gb: int = TIMEOUT_PER_GB


@dataclasses.dataclass
class Job:
    """One conversion and its check, with every path it involves."""
    model: str
    sim: str
    var: str            # TRENDY name (the file name's token)
    outvar: str         # output name (tables/variables.tsv)
    input: str          # the archive file
    size: int           # its bytes
    kind: str           # 'nc', or 'cdl' (the sample: ncgen'd first)
    odir: str           # output directory under the root: <MODEL>[_<SIM>]
    out: str            # <out>/<odir>/<outvar>.nc
    stats: str          # <out>/stats/<odir>/<outvar>.json
    check: str          # <out>/check/<odir>/<outvar>.json
    src: str            # what the converter and checker read
    toml: str | None    # models/<MODEL>.toml when it exists
    flags: list         # converter words from models/ (--var ... )
    timeout: int        # seconds for the conversion and for the check
    shard: int = 0

    @property
    def name(self):
        return '%s/%s' % (self.odir, self.outvar)


@dataclasses.dataclass
class Skip:
    """An archive file that is not converted, and why."""
    model: str
    sim: str
    path: str
    reason: str
    var: str = ''       # the token, when the name has one


@dataclasses.dataclass
class Model:
    """models/<MODEL>.toml, checked; each option as converter words."""
    path: str | None = None             # None: no file, defaults only
    skip: dict = dataclasses.field(default_factory=dict)
    defaults: dict = dataclasses.field(default_factory=dict)
    var: dict = dataclasses.field(default_factory=dict)

    def flags(self, trendyvar):
        """Converter words for one variable: [defaults] overridden by
        [var.X]; --var is always given (the TRENDY name unless
        overridden)."""
        opts = {'var': ['--var', trendyvar]}
        opts.update(self.defaults)
        opts.update(self.var.get(trendyvar, {}))
        words = []
        for key in TOML_FLAGS:
            words += opts.get(key, [])
        return words


@dataclasses.dataclass
class Plan:
    jobs: list          # Job, biggest input first (this shard's only)
    skipped: list       # Skip, in archive order
    dirs: list          # directories read (the graph regenerates on change)
    shard_table: str | None = None      # <out>/shards.tsv text


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
    """Refuses archive paths ninja cannot express (see generate.escape_path)."""
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


def parse_name(sim, name):
    """'<anything>_<SIM>_<var>.nc' (or .cdl) -> (var, kind), else None."""
    for kind in ('nc', 'cdl'):
        if name.endswith('.' + kind):
            stem = name[:-len(kind) - 1]
            break
    else:
        return None
    mark = '_%s_' % sim
    at = stem.rfind(mark)
    if at <= 0:
        return None
    return stem[at + len(mark):], kind


def output_dir(model, sim):
    """S3 (what ILAMB benchmarks) goes to <MODEL>, others to <MODEL>_<SIM>."""
    return model if sim == 'S3' else '%s_%s' % (model, sim)


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


# ------------------------------------------------------------ tables

class Table(dict):
    """TRENDY name -> its first output name; .extra: TRENDY name -> the
    output names of its further lines (msl: mrsol, then mrsos)."""

    def __init__(self):
        super().__init__()
        self.extra = {}


def read_table(path=TABLE):
    """The Table of tables/variables.tsv."""
    names = Table()
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            cols = line.rstrip('\n').split('\t')
            if cols[0] in names:
                names.extra.setdefault(cols[0], []).append(cols[1])
            else:
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
        if key in ('missing', 'layer_bounds'):
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
    """models/<MODEL>.toml as a Model; defaults only if the file is
    absent."""
    if not os.path.exists(path):
        return Model()
    model = Model(path=path)
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
            model.skip = value
        elif key == 'defaults':
            if not isinstance(value, dict):
                raise GenerateError('%s: defaults: expected a table' % path)
            model.defaults = toml_options(path, value)
        elif key == 'var':
            if not isinstance(value, dict) or not all(
                    isinstance(v, dict) for v in value.values()):
                raise GenerateError('%s: var: expected [var.NAME] tables'
                                    % path)
            model.var = {name: toml_options('%s: var.%s' % (path, name), t)
                         for name, t in value.items()}
        else:
            raise GenerateError("%s: unknown key '%s'" % (path, key))
    return model


# ------------------------------------------------------------ scanning

def scan(archive):
    """(files, dirs): (model, sim, directory path, file name, size in
    bytes) for every regular file at ARCHIVE/<MODEL>/<SIM>/, sorted, and the
    directories read. Hidden entries (leading '.') are ignored."""
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


def time_limit(opts, size):
    """Seconds a conversion (or check) of an input of `size` bytes may run;
    0 means no limit (coreutils timeout's meaning of 0 too)."""
    if opts.timeout <= 0:
        return 0
    return opts.timeout + (opts.timeout_per_gb * size + GIB // 2) // GIB


def plan(opts, table):
    """Scans the archive: a Plan with one Job per conversion, biggest input
    first, and one Skip per file not converted."""
    check_path(opts.input)
    check_path(opts.out)
    files, dirs = scan(opts.input)
    for d in dirs:
        check_path(d)
    models, jobs, skipped, owner = {}, [], [], {}
    for model, sim, folder, name, size in files:
        if opts.models is not None and model not in opts.models:
            continue
        if opts.sims is not None and sim not in opts.sims:
            continue
        path = os.path.join(folder, name)
        check_path(path)
        check_name('model', model, path)
        check_name('simulation', sim, path)
        parsed = parse_name(sim, name)
        if parsed is None:
            skipped.append(Skip(model, sim, path,
                                'name does not match *_%s_<var>.nc' % sim))
            continue
        var, kind = parsed
        outvars = [table[var]] + getattr(table, 'extra', {}).get(var, []) \
            if var in table else [None]
        if opts.vars is not None and var not in opts.vars:
            outvars = [o for o in outvars if o in opts.vars]
            if not outvars:
                continue
        check_name('variable', var, path)
        if model not in models:
            models[model] = read_model(os.path.join(MODELS, model + '.toml'))
        settings = models[model]
        ncname = name[:-len(kind) - 1] + '.nc'
        if ncname in settings.skip or name in settings.skip:
            reason = settings.skip.get(ncname, settings.skip.get(name))
            skipped.append(Skip(model, sim, path, '%s: %s' % (settings.path,
                                                              reason), var))
            continue
        if var not in table:
            skipped.append(Skip(model, sim, path, "variable '%s' is not in "
                                "%s" % (var, TABLE), var))
            continue
        for outvar in outvars:
            jobs.append(make_job(opts, model, sim, var, outvar, path, size,
                                 kind, ncname, settings, owner))
    jobs.sort(key=lambda j: (-j.size, j.input))
    result = Plan(jobs, skipped, dirs)
    if opts.shard is not None:
        index, count = opts.shard
        split_shards(jobs, count, opts.shard_by)
        result.shard_table = shard_table(jobs, count, opts.shard_by)
        result.jobs = [j for j in jobs if j.shard == index]
    return result


def make_job(opts, model, sim, var, outvar, path, size, kind, ncname,
             settings, owner):
    """The Job converting archive file `path` into output `outvar`."""
    check_name('output variable', outvar, TABLE)
    odir = output_dir(model, sim)
    out = '%s/%s/%s.nc' % (opts.out, odir, outvar)
    if out in owner:
        raise GenerateError('%s and %s both map to %s'
                            % (owner[out], path, out))
    owner[out] = path
    src = path
    if kind == 'cdl':
        src = 'build/sample/%s/%s/%s' % (model, sim, ncname)
    return Job(
        model=model, sim=sim, var=var, outvar=outvar, input=path,
        size=size, kind=kind, odir=odir, out=out,
        stats='%s/stats/%s/%s.json' % (opts.out, odir, outvar),
        check='%s/check/%s/%s.json' % (opts.out, odir, outvar),
        src=src, toml=settings.path, flags=settings.flags(var),
        timeout=time_limit(opts, size))


def split_shards(jobs, count, by):
    """Sets job.shard to 0..count-1. 'count': every count-th job in path
    order. 'bytes': jobs in the given order (biggest input first, ties by
    path) each go to the shard with the fewest bytes so far, then the fewest
    files, then the lowest index (longest-processing-time-first list
    scheduling), so a few multi-GB files end up in different shards and
    empty files are dealt round-robin. Deterministic for a given archive."""
    if by == 'count':
        for i, j in enumerate(sorted(jobs, key=lambda j: j.input)):
            j.shard = i % count
        return
    heap = [(0, 0, i) for i in range(count)]
    for j in jobs:
        size, files, i = heap[0]
        j.shard = i
        heapq.heapreplace(heap, (size + j.size, files + 1, i))


def shard_table(jobs, count, by):
    """<out>/shards.tsv: which shard converts which output (the report's
    per-shard status reads it). The same text from every shard."""
    lines = ['# shards=%d by=%s\n' % (count, by), 'shard\tbytes\toutput\n']
    lines += ['%d\t%d\t%s\n' % (j.shard, j.size, j.out)
              for j in sorted(jobs, key=lambda j: (j.shard, j.out))]
    return ''.join(lines)


# ------------------------------------------------------------ files

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


def write_bytes(path, data):
    tmp = '%s.%d.tmp' % (path, os.getpid())
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, path)


def skipped_tsv(skipped):
    """<out>/skipped.tsv: model, simulation, file, reason."""
    return ''.join(['model\tsim\tfile\treason\n'] + [
        '\t'.join((s.model, s.sim, s.path, s.reason)) + '\n'
        for s in skipped])
