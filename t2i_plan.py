"""The archive and its plan: what will be converted, from what, to where.

Imported by generate.py (which writes the Ninja graph from the plan) and by
report.py (which reads what the plan's conversions and checks left behind).
No netCDF file is opened here: a plan is made from names, sizes, the
variables table and models/*.toml, so 10 000 files plan in well under a
second.

Every path a conversion involves is worked out once, in plan(), and kept in
its Job: the Ninja writer and the report only read them.

plan() = scan (every file under ARCHIVE/<MODEL>/) -> classify (never
output? which simulation, from the directory or models/ [layout]? which
table variable, by the grammar of tables/names.tsv?) -> choose (one file
per model/simulation/variable, by CHOICE_RULES) -> make_job. What is known
about names is data (tables/names.tsv, models/*.toml), never code per model.
"""

import dataclasses
import fnmatch
import heapq
import os
import re
import tomllib

import t2i_land

SAMPLE = 'sample'
TABLE = 'tables/variables.tsv'
NAMES = 'tables/names.tsv'
# Simulations planned when --sims is not given: the protocol's four, the
# ones "relevant" counts. Others (FS4, FS5) convert when asked for.
DEFAULT_SIMS = ('S0', 'S1', 'S2', 'S3')
# How deep under ARCHIVE/<MODEL>/ files are looked for (v13 CARDAMOM nests
# its files at <MODEL>/S3/CARDAMOM/, OLD/ copies sit at <MODEL>/S3/OLDs/);
# also what bounds a walk through a symlink loop.
MAX_DEPTH = 3
MODELS = 'models'
CONVERTER = 'build/trendy2ilamb'
VERIFIER = 'build/t2i-verify'
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
    sims: list | None = None            # None: DEFAULT_SIMS; ['all']: all
    models: list | None = None
    vars: list | None = None
    shard: tuple | None = None          # (index, count)
    shard_by: str = 'bytes'


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
    scratch: str | None = None          # compressed input: decompressed
    check_scratch: str | None = None    # copies for the conversion, check
    ncgen: str | None = None            # sample: the netCDF ncgen writes
    shard: int = 0

    @property
    def packed(self):
        return self.scratch is not None

    @property
    def name(self):
        return '%s/%s' % (self.odir, self.outvar)


@dataclasses.dataclass
class Skip:
    """An archive file that is not converted, and why. kind is the
    coverage table's column (SKIP_KINDS)."""
    model: str
    sim: str
    path: str
    reason: str
    var: str = ''       # the TRENDY variable, when the name has one
    kind: str = 'name'


# Why a file is not converted, as the columns of <out>/coverage.tsv.
SKIP_KINDS = (
    ('not-output', 'never model output: notes, tables, scripts, land area, '
                   'OLD/, climate/'),
    ('layout', 'outside a simulation directory models/ does not declare'),
    ('name', 'name does not follow <prefix>_<SIM>_<var><container>'),
    ('other-var', 'a variable the variables table does not list'),
    ('variant', 'a per-PFT, tile, layer or pool variant of a variable'),
    ('models-skip', 'listed in models/<MODEL>.toml [skip]'),
    ('superseded', 'another file gives the same output (the reason names '
                   'it)'),
)


@dataclasses.dataclass
class Model:
    """models/<MODEL>.toml, checked; each option as converter words."""
    path: str | None = None             # None: no file, defaults only
    skip: dict = dataclasses.field(default_factory=dict)
    defaults: dict = dataclasses.field(default_factory=dict)
    var: dict = dataclasses.field(default_factory=dict)
    land: dict = dataclasses.field(default_factory=dict)  # t2i_land keys
    # [layout]: nested directories read as their simulation, e.g.
    # {'S3/CARDAMOM': 'S3'}, and superseding ones, e.g. {'update':
    # ['S0', 'S1', 'S2', 'S3']}: their files win over the simulation's own.
    nested: dict = dataclasses.field(default_factory=dict)
    supersede: dict = dataclasses.field(default_factory=dict)
    # [token]: file-name tokens that are a table variable, e.g.
    # {'npp_nlim': 'npp'}.
    token: dict = dataclasses.field(default_factory=dict)

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
        # Values per m2 of land or of grid cell (t2i_land.py: land_rule).
        return words + ['--area-basis',
                        'land' if self.land.get('land_rule') else 'cell']


@dataclasses.dataclass
class Plan:
    jobs: list          # Job, biggest input first (this shard's only)
    skipped: list       # Skip, in archive order
    dirs: list          # directories read (the graph regenerates on change)
    shard_table: str | None = None      # <out>/shards.tsv text
    land: list = dataclasses.field(default_factory=list)  # t2i_land.LandJob
    coverage: list = dataclasses.field(default_factory=list)  # Coverage


@dataclasses.dataclass
class Coverage:
    """One model's line of <out>/coverage.tsv."""
    model: str
    seen: int = 0           # files under ARCHIVE/<MODEL>/
    unselected: int = 0     # left out by --sims, --models or --vars
    relevant: int = 0       # a table variable of a selected simulation
    planned: int = 0        # conversions (every shard's)
    skipped: dict = dataclasses.field(default_factory=dict)  # kind: count


# ------------------------------------------------------------ names

# Model directory names that are the tool's own trees under <out>/.
RESERVED = frozenset(('stats', 'check', 'report', 'ilamb', 'logs'))


def name_problem(kind, name):
    """Why a model, simulation or variable name cannot name an output (it
    would escape the output directory or break the graph), or None."""
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
    elif '"' in name or '`' in name or "'" in name:
        bad = 'contains a quote or backquote'
    elif '|' in name or not printable(name) == name:
        bad = "contains '|' or a byte that is not UTF-8"
    elif kind == 'model' and name.lower() in RESERVED:
        bad = 'is the name of one of the tool\'s own trees under the output'
    return None if bad is None else "%s name '%s' %s" % (
        kind, printable(name), bad)


def check_name(kind, name, where):
    """Skips (NotConverted) a file whose simulation or variable name
    cannot name an output."""
    bad = name_problem(kind, name)
    if bad:
        raise NotConverted('name', bad)


def printable(text):
    """text as one line of printable UTF-8: bytes that are not UTF-8 (os
    hands them over as surrogates) as \\xNN, control characters as \\n,
    \\t, \\r or \\xNN. For skipped.tsv, coverage.tsv, comments and
    messages: one entry, one line."""
    raw = os.fsencode(text) if isinstance(text, str) else text
    out = raw.decode('utf-8', 'backslashreplace')
    return CONTROL.sub(lambda m: {'\n': '\\n', '\t': '\\t', '\r': '\\r'}.get(
        m.group(0), '\\x%02x' % ord(m.group(0))), out)


def path_problem(path):
    """Why Ninja cannot carry an archive path (in a build line, after
    generate.escape_path), or None. Spaces, ':', '$', quotes and other
    shell characters are escaped; these cannot be."""
    try:
        path.encode('utf-8')
    except UnicodeEncodeError:
        # os.scandir hands undecodable bytes over as surrogates, which
        # build.ninja (UTF-8) cannot hold.
        return 'the path is not UTF-8'
    if '\n' in path or '\r' in path:
        return 'the path holds a line break, which Ninja cannot carry'
    if '|' in path:
        return "the path holds a '|', which a Ninja build line cannot hold"
    return None


def check_path(path):
    """Refuses an --input or --out path Ninja cannot carry."""
    bad = path_problem(path)
    if bad:
        raise GenerateError('%s: %s' % (printable(path), bad))


@dataclasses.dataclass
class Grammar:
    """tables/names.tsv: the file-name grammar, every text lower case."""
    containers: list        # (ending, kind), longest ending first
    sim: re.Pattern         # what a simulation directory may be called
    before: list            # (compiled decoration, frequency)
    after: list
    variants: list          # (compiled pattern, label)
    skip_dirs: dict         # directory name: reason
    skip_files: list        # (shell pattern compiled, reason)


def read_grammar(path=NAMES):
    rows = {}
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if line.startswith('#') or not line.strip():
                continue
            cols = line.rstrip('\n').split('\t')
            if len(cols) < 3:
                raise GenerateError('%s:%d: expected kind, text, value'
                                    % (path, number))
            rows.setdefault(cols[0], []).append((cols[1].lower(), cols[2]))
    known = {'container', 'sim', 'before', 'after', 'variant', 'skip-dir',
             'skip-file'}
    for kind in rows:
        if kind not in known:
            raise GenerateError("%s: unknown kind '%s'" % (path, kind))
    try:
        return Grammar(
            containers=sorted(rows.get('container', []),
                              key=lambda r: -len(r[0])),
            sim=re.compile('|'.join('(?:%s)' % t for t, _ in
                                    rows.get('sim', [])) or '(?!)',
                           re.IGNORECASE),
            before=[(re.compile('(?:%s)(?P<core>.+)' % t, re.IGNORECASE),
                     None if v == '-' else v)
                    for t, v in rows.get('before', [])],
            after=[(re.compile('(?P<core>.+?)(?:%s)' % t, re.IGNORECASE),
                    None if v == '-' else v)
                   for t, v in rows.get('after', [])],
            variants=[(re.compile(t, re.IGNORECASE), v)
                      for t, v in rows.get('variant', [])],
            skip_dirs=dict(rows.get('skip-dir', [])),
            skip_files=[(re.compile(fnmatch.translate(t)), v)
                        for t, v in rows.get('skip-file', [])])
    except re.error as e:
        raise GenerateError('%s: %s' % (path, e))


@dataclasses.dataclass
class Name:
    """What a file name says: the table variable, how it is written and
    what holds the data."""
    var: str                # TRENDY name (a key of the variables table)
    kind: str               # container kind: nc, gz, bz2, tar.gz, cdl
    freq: str | None        # frequency a decoration says (mon, yr)
    decorated: bool         # anything but the table's own spelling


class NotConverted(Exception):
    """Why a file gives no output: (kind, reason, TRENDY variable or '')."""

    def __init__(self, kind, reason, var=''):
        super().__init__(reason)
        self.kind, self.reason, self.var = kind, reason, var
        self.sim = None     # the simulation, once the file's place says it


def container_of(grammar, name):
    """(stem, container kind) of a file name, or None."""
    low = name.lower()
    for ending, kind in grammar.containers:
        if low.endswith(ending) and len(name) > len(ending):
            return name[:-len(ending)], kind
    return None


def undecorated(grammar, rest):
    """(core, frequency, decorations removed) for every way of removing at
    most one decoration in front of a token and two behind it (a frequency
    and a year range), fewest removals first."""
    fronts = [(rest, None, 0)]
    for pattern, freq in grammar.before:
        m = pattern.fullmatch(rest)
        if m:
            fronts.append((m['core'], freq, 1))
    found = []
    for front in fronts:
        level = [front]
        for _ in range(3):
            found += level
            level = [(m['core'], freq or f, removed + 1)
                     for core, freq, removed in level
                     for pattern, f in grammar.after
                     for m in [pattern.fullmatch(core)] if m]
    return sorted(found, key=lambda c: c[2])


def parse_name(grammar, table, sim, name, where, tokens=None):
    """The Name of '<prefix>_<SIM>_<decorated token><container>'; raises
    NotConverted. table maps lower-case TRENDY names to TRENDY names;
    tokens (models/ [token]) maps a file's exact token to a TRENDY name."""
    split = container_of(grammar, name)
    if split is None:
        raise NotConverted('name', 'not a netCDF file name (%s)' % ', '.join(
            e for e, k in grammar.containers if k != 'cdl'))
    stem, kind = split
    mark = '_%s_' % sim
    at = stem.rfind(mark)
    if at <= 0:
        raise NotConverted('name', 'name does not match *_%s_<var>.nc' % sim)
    rest = stem[at + len(mark):]
    check_name('variable', rest, where)
    if tokens and rest in tokens:
        return Name(tokens[rest], kind, None, True)
    cores = undecorated(grammar, rest)
    for core, freq, removed in cores:
        var = table.get(core.lower())
        if var is not None:
            return Name(var, kind, freq, removed > 0 or core != var)
    for core, _, _ in cores:
        core = core.lower()
        for var in sorted(table, key=len, reverse=True):
            if not core.startswith(var) or core == var:
                continue
            for pattern, label in grammar.variants:
                if pattern.fullmatch(core[len(var):]):
                    # No variable: the report's table shows the gridcell
                    # variable's own file (or its absence) in that cell.
                    raise NotConverted(
                        'variant', "'%s' is a %s variant of %s, not the "
                        'gridcell variable (models/ [token] can say it is)'
                        % (rest, label, table[var]))
    raise NotConverted('other-var', "variable '%s' is not in %s"
                       % (rest, TABLE), rest)


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


def read_layout(path, value, model):
    """[layout] nested = ["S3/CARDAMOM"], supersede = { "update" = ["S0",
    ...] }: directories models/ says hold a simulation's files."""
    if not isinstance(value, dict):
        raise GenerateError('%s: layout: expected a table' % path)
    for key, item in value.items():
        if key == 'nested':
            if not isinstance(item, list) or not all(
                    isinstance(d, str) and d.count('/') >= 1 and
                    '..' not in d.split('/') for d in item):
                raise GenerateError('%s: layout.nested: expected a list of '
                                    '"SIM/DIR" paths' % path)
            model.nested = {d.strip('/'): d.split('/')[0] for d in item}
        elif key == 'supersede':
            if not isinstance(item, dict) or not all(
                    isinstance(v, list) and all(isinstance(x, str)
                                                for x in v)
                    for v in item.values()):
                raise GenerateError('%s: layout.supersede: expected { "DIR" '
                                    '= ["S0", ...] }' % path)
            model.supersede = {d.strip('/'): v for d, v in item.items()}
        else:
            raise GenerateError("%s: layout: unknown key '%s'" % (path, key))


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
        elif key == 'layout':
            read_layout(path, value, model)
        elif key == 'token':
            if not isinstance(value, dict) or not all(
                    isinstance(v, str) for v in value.values()):
                raise GenerateError('%s: token: expected { "TOKEN" = '
                                    '"trendyvar" }' % path)
            model.token = value
        elif key == 'var':
            if not isinstance(value, dict) or not all(
                    isinstance(v, dict) for v in value.values()):
                raise GenerateError('%s: var: expected [var.NAME] tables'
                                    % path)
            model.var = {name: toml_options('%s: var.%s' % (path, name), t)
                         for name, t in value.items()}
        elif key not in t2i_land.LAND_KEYS:
            raise GenerateError("%s: unknown key '%s'" % (path, key))
    try:
        model.land = t2i_land.check_land(path, data)
    except t2i_land.LandError as e:
        raise GenerateError(str(e))
    return model


# ------------------------------------------------------------ scanning

def scan(archive):
    """(files, dirs): (model, directories under the model, directory path,
    file name, size, mtime) for every regular file under ARCHIVE/<MODEL>/
    down to MAX_DEPTH directories, sorted, and the directories read.
    Hidden directories (leading '.') are not read; hidden files are listed
    (the grammar says what they are)."""
    dirs = [archive]
    files = []
    try:
        models = [e for e in os.scandir(archive)
                  if e.is_dir() and not e.name.startswith('.')]
    except OSError as e:
        raise GenerateError('%s: %s' % (archive, e.strerror))

    def walk(model, folder, rel):
        dirs.append(folder)
        subdirs = []
        try:
            entries = list(os.scandir(folder))
        except OSError:
            # Listed with size -2: the plan skips it, saying so.
            files.append((model, rel, folder, '', -2, 0.0))
            return
        for e in entries:
            if e.is_dir():
                if not e.name.startswith('.') and len(rel) < MAX_DEPTH:
                    subdirs.append(e)
            elif e.is_file() and rel:
                st = e.stat()
                files.append((model, rel, folder, e.name, st.st_size,
                              st.st_mtime))
            elif e.is_file():
                files.append((model, (), folder, e.name, 0, 0.0))
            else:
                # A FIFO, device, socket or broken symlink: size -1, skipped
                # with that reason, never opened.
                files.append((model, rel, folder, e.name, -1, 0.0))
        for e in sorted(subdirs, key=lambda e: e.name):
            walk(model, e.path, rel + (e.name,))

    for m in sorted(models, key=lambda e: e.name):
        walk(m.name, m.path, ())
    files.sort(key=lambda t: (t[0], t[1], t[3]))
    return files, dirs


def not_output(grammar, rel, name):
    """Raises NotConverted for what the grammar says is never model output:
    a file under a skip-dir, or a skip-file name."""
    for d in rel:
        reason = grammar.skip_dirs.get(d.lower())
        if reason is not None:
            raise NotConverted('not-output', 'in %s/: %s' % (d, reason))
    low = name.lower()
    for pattern, reason in grammar.skip_files:
        if pattern.match(low):
            raise NotConverted('not-output', reason)


def locate(grammar, model, rel, name):
    """(simulation, superseding) of a file at ARCHIVE/<MODEL>/<rel>/name,
    from its directory, or from its name in a directory models/ declares
    superseding; raises NotConverted for any other place."""
    toml = model.path or 'models/<MODEL>.toml'
    if not rel:
        raise NotConverted('layout', 'not in a simulation directory')
    where = '/'.join(rel)
    if where in model.nested:
        return model.nested[where], False
    if rel[0] in model.supersede:
        if len(rel) > 1:
            raise NotConverted('layout', 'in %s/, below the superseding '
                               '%s/' % (where, rel[0]))
        found = [(name.rfind('_%s_' % sim), sim)
                 for sim in model.supersede[rel[0]]]
        at, sim = max(found)
        if at <= 0:
            raise NotConverted('name', 'name holds none of _%s_ (what %s/ '
                               'supersedes, %s)' % (
                                   '_, _'.join(model.supersede[rel[0]]),
                                   rel[0], toml))
        return sim, True
    if len(rel) > 1:
        raise NotConverted('layout', 'in %s/, inside a simulation directory '
                           '(%s [layout] nested can read it as %s)'
                           % (where, toml, rel[0]))
    if grammar.sim.fullmatch(rel[0]):
        # s3/ is S3: simulations are upper case in names and outputs.
        return rel[0].upper(), False
    if '_%s_' % rel[0] in name:
        return rel[0], False
    raise NotConverted('layout', "directory '%s' is not a simulation (%s "
                       '[layout] can say what it holds)' % (rel[0], toml))


def sim_selected(opts, sim):
    if opts.sims is None:
        return sim in DEFAULT_SIMS
    return 'all' in opts.sims or sim in opts.sims


@dataclasses.dataclass
class Candidate:
    """A file that gives an output, before one file per output is chosen."""
    model: str
    sim: str
    name: Name
    path: str
    size: int
    mtime: float
    superseding: bool
    prefix_ok: bool         # the name's prefix is the model directory

    def rank(self):
        """Lower wins; one field per rule of CHOICE_RULES, in order."""
        return (not self.superseding, FREQ_RANK[self.name.freq],
                self.name.decorated, self.name.kind not in ('nc', 'cdl'),
                not self.prefix_ok, -self.mtime, self.path)


FREQ_RANK = {None: 0, 'mon': 0, 'yr': 1}
# When several files give one output, the first rule that tells them apart
# picks the file converted; the others are skipped naming it and the rule.
CHOICE_RULES = (
    'a superseding copy (models/ [layout] supersede) wins over the original',
    'monthly wins over annual',
    'the plain name wins over a decorated one',
    'an uncompressed file wins over a compressed one',
    'the name whose prefix is the model directory wins',
    'the later upload wins',
    'the first path in sort order wins',
)


def choose(claims):
    """(winner, [(loser, reason)]) for the candidates of one output."""
    ranked = sorted(claims, key=Candidate.rank)
    winner = ranked[0]
    losers = []
    for c in ranked[1:]:
        rule = next(i for i, (a, b) in enumerate(zip(c.rank(),
                                                     winner.rank()))
                    if a != b)
        losers.append((c, 'same output as %s, which is converted: %s'
                       % (winner.path, CHOICE_RULES[rule])))
    return winner, losers


def scratch_dir(out):
    """Where compressed inputs of output root `out` are decompressed: under
    build/ (never under out/), one deterministic name per output, so a
    rerun after a kill finds and removes a stale copy."""
    return 'build/scratch/' + (('abs' + out) if os.path.isabs(out) else out)


def classify(opts, grammar, table, lower, settings, rel, name, path):
    """The (simulation, Name, superseding) of the archive file <rel>/name of
    a model with models/ settings, None when --sims or --vars leave it out;
    raises NotConverted with the reason it gives no output. lower maps
    lower-case TRENDY names to TRENDY names."""
    not_output(grammar, rel, name)
    sim, superseding = locate(grammar, settings, rel, name)
    check_name('simulation', sim, path)
    if not sim_selected(opts, sim):
        return None
    try:
        found = classify_name(opts, grammar, table, lower, settings, sim,
                              name, path)
    except NotConverted as e:
        e.sim = sim
        raise
    return None if found is None else found + (superseding,)


def classify_name(opts, grammar, table, lower, settings, sim, name, path):
    """(simulation, Name) of a file in simulation sim; see classify."""
    stem = (container_of(grammar, name) or (name, ''))[0]
    listed = [k for k in (name, stem + '.nc') if k in settings.skip]
    try:
        parsed = parse_name(grammar, lower, sim, name, path, settings.token)
    except NotConverted as e:
        if not listed:
            raise
        # A listed file's own reason wins over what its name would say.
        parsed = Name(e.var, '', None, True)
    if opts.vars is not None and parsed.var not in opts.vars and \
            not set(outputs_of(None, table, parsed.var)) & set(opts.vars):
        return None
    if listed:
        raise NotConverted('models-skip', '%s: %s' % (
            settings.path, settings.skip[listed[0]]), parsed.var)
    return sim, parsed


def plan(opts, table, grammar=None):
    """Scans the archive: a Plan with one Job per output, biggest input
    first, one Skip per file not converted, and the coverage per model."""
    if grammar is None:
        grammar = read_grammar()
    check_path(opts.input)
    check_path(opts.out)
    lower = {k.lower(): k for k in table}
    files, dirs = scan(opts.input)
    # A directory Ninja cannot name is no dependency of the regeneration:
    # its files are skipped below, each with the reason.
    dirs = [d for d in dirs if path_problem(d) is None]
    models, skipped, claims, cover = {}, [], {}, {}
    for model, rel, folder, name, size, mtime in files:
        if opts.models is not None and model not in opts.models:
            continue
        path = os.path.join(folder, name)
        c = cover.setdefault(model, Coverage(model))
        c.seen += 1
        bad = path_problem(path) or name_problem('model', model) or (
            None if size >= 0 else 'not a regular file (a FIFO, device, '
            'socket or broken symlink)' if size == -1 else
            'the directory cannot be read')
        if bad:
            skipped.append(Skip(model, rel[0] if rel else '', path, bad, '',
                                'name'))
            continue
        if model not in models:
            models[model] = read_model(os.path.join(MODELS, model + '.toml'))
        try:
            found = classify(opts, grammar, table, lower, models[model],
                             rel, name, path)
        except NotConverted as e:
            if e.var in table:
                c.relevant += 1
            skipped.append(Skip(model, e.sim or (rel[0] if rel else ''),
                                path, e.reason, e.var, e.kind))
            continue
        if found is None:
            c.unselected += 1
            continue
        c.relevant += 1
        sim, parsed, superseding = found
        stem = container_of(grammar, name)[0]
        prefix = stem[:stem.rfind('_%s_' % sim)]
        for outvar in outputs_of(opts, table, parsed.var):
            claims.setdefault((model, sim, outvar), []).append(
                Candidate(model, sim, parsed, path, size, mtime, superseding,
                          prefix.lower() == model.lower()))
    jobs = []
    lost = set()        # a loser of msl's mrsol is mrsos's loser too
    for (model, sim, outvar), group in claims.items():
        winner, losers = choose(group)
        for loser, reason in losers:
            if loser.path not in lost:
                lost.add(loser.path)
                skipped.append(Skip(model, sim, loser.path, reason,
                                    loser.name.var, 'superseded'))
        jobs.append(make_job(opts, models[model], winner, outvar))
        cover[model].planned += 1
    jobs = one_owner_per_directory(jobs, skipped, cover)
    land = plan_land(opts, jobs, skipped, models)
    for s in skipped:
        cover[s.model].skipped[s.kind] = cover[s.model].skipped.get(
            s.kind, 0) + 1
    jobs.sort(key=lambda j: (-j.size, j.input))
    # What is only shown (skipped.tsv, coverage.tsv, comments, the report)
    # is one line of UTF-8 whatever the archive's names hold.
    skipped = [dataclasses.replace(
        x, model=printable(x.model), sim=printable(x.sim),
        path=printable(x.path), reason=printable(x.reason)) for x in skipped]
    for c in cover.values():
        c.model = printable(c.model)
    skipped.sort(key=lambda s: s.path)
    result = Plan(jobs, skipped, dirs,
                  coverage=[cover[m] for m in sorted(cover, key=str.lower)])
    result.land = land
    if opts.shard is not None:
        index, count = opts.shard
        split_shards(jobs, count, opts.shard_by)
        result.shard_table = shard_table(jobs, count, opts.shard_by)
        result.jobs = [j for j in jobs if j.shard == index]
        # Each directory's area job goes with its first output's shard.
        first = {}
        for j in sorted(jobs, key=lambda j: j.out):
            first.setdefault(j.odir, j.shard)
        result.land = [lj for lj in result.land if first[lj.odir] == index]
    return result


def one_owner_per_directory(jobs, skipped, cover):
    """Jobs whose output directory one model and simulation own. Two claim
    one directory when a model directory is named like <MODEL>_<SIM>
    beside model MODEL's SIM (both would write out/MODEL_SIM/), or when
    two model directories differ only in letter case (one directory on a
    case-insensitive file system). The model with the shorter name wins
    (MODEL's own SIM over a directory MODEL_SIM), then the first in sort
    order; every file of the other is skipped naming the winner."""
    owners = {}
    for j in jobs:
        owners.setdefault(j.odir.lower(), set()).add((j.model, j.sim))
    keep = []
    for j in jobs:
        claim = owners[j.odir.lower()]
        win = min(claim, key=lambda ms: (len(ms[0]), ms[0], ms[1]))
        if (j.model, j.sim) == win:
            keep.append(j)
            continue
        skipped.append(Skip(j.model, j.sim, j.input,
                            'its output directory %s/ is also claimed by '
                            'model %s, simulation %s, which wins (the '
                            'shorter model name, then the first)'
                            % (j.odir, win[0], win[1]), j.var, 'superseded'))
        cover[j.model].planned -= 1
    return keep


def plan_land(opts, jobs, skipped, models):
    """The t2i-area job of every output directory (t2i_land.py)."""
    def land_of(model):
        m = models[model]
        return m.land, m.path
    try:
        land = t2i_land.land_jobs(jobs, opts.out, opts.input, land_of)
    except t2i_land.LandError as e:
        raise GenerateError(str(e))
    t2i_land.mark_skipped(skipped, land)
    return land


def outputs_of(opts, table, var):
    """The outputs of TRENDY variable var: its table lines' (msl: mrsol,
    mrsos), those --vars names when it names outputs but not var."""
    if var not in table:
        return []
    outs = [table[var]] + getattr(table, 'extra', {}).get(var, [])
    if opts is None or opts.vars is None or var in opts.vars:
        return outs
    return [o for o in outs if o in opts.vars]


def make_job(opts, settings, c, outvar):
    """The Job converting candidate c: every path worked out here."""
    check_name('output variable', outvar, TABLE)
    odir = output_dir(c.model, c.sim)
    src, scratch, check_scratch, ncgen = c.path, None, None, None
    kind = c.name.kind
    if kind == 'cdl' or kind.startswith('cdl.'):
        # The sample: CDL text ncgen'd (and, for cdl.gz and cdl.tar.gz,
        # compressed) by Ninja under build/sample/.
        folder = 'build/sample/%s/%s/' % (c.model, c.sim)
        made = os.path.basename(c.path)[:-len('.cdl')]   # X or X.nc.gz
        if kind == 'cdl':
            ncgen = src = folder + made + '.nc'
        else:
            ncgen = folder + made[:-len(kind[3:])]     # drop .gz
            src = folder + made
    if kind not in ('nc', 'cdl'):
        scratch = '%s/%s/%s.nc' % (scratch_dir(opts.out), odir, outvar)
        check_scratch = '%s/%s/%s.check.nc' % (scratch_dir(opts.out), odir,
                                                outvar)
    return Job(
        model=c.model, sim=c.sim, var=c.name.var, outvar=outvar,
        input=c.path, size=c.size, kind=c.name.kind, odir=odir,
        out='%s/%s/%s.nc' % (opts.out, odir, outvar),
        stats='%s/stats/%s/%s.json' % (opts.out, odir, outvar),
        check='%s/check/%s/%s.json' % (opts.out, odir, outvar),
        src=src, toml=settings.path, flags=settings.flags(c.name.var),
        scratch=scratch, check_scratch=check_scratch, ncgen=ncgen)


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


def coverage_tsv(coverage):
    """<out>/coverage.tsv: per model, files seen, left out by the
    selection, relevant (a table variable of a selected simulation),
    planned conversions, and skipped files per kind (SKIP_KINDS)."""
    kinds = [k for k, _ in SKIP_KINDS]
    lines = ['\t'.join(['model', 'seen', 'unselected', 'relevant',
                        'planned'] + kinds) + '\n']
    total = Coverage('TOTAL')
    for c in coverage:
        lines.append('\t'.join([c.model] + [str(x) for x in (
            c.seen, c.unselected, c.relevant, c.planned)] +
            [str(c.skipped.get(k, 0)) for k in kinds]) + '\n')
        total.seen += c.seen
        total.unselected += c.unselected
        total.relevant += c.relevant
        total.planned += c.planned
        for k, n in c.skipped.items():
            total.skipped[k] = total.skipped.get(k, 0) + n
    lines.append('\t'.join(['TOTAL'] + [str(x) for x in (
        total.seen, total.unselected, total.relevant, total.planned)] +
        [str(total.skipped.get(k, 0)) for k in kinds]) + '\n')
    return ''.join(lines)
