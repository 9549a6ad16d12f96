"""Land area of each output directory: which rule and file give a model's
areacella and sftlf (models/<MODEL>.toml: land_rule, land_file, land_var),
and the t2i-area job of every output directory.

Imported by generate.py (one Ninja edge per output directory, depending on
the land-area file, or for a per-cell model on the directory's first
output: never on all its variables) and by report.py (which rule each
model used). Nothing is opened here.
"""

import dataclasses
import os

# models/ keys of the land area (top level of models/<MODEL>.toml).
RULES = ('ocean_cover_frac', 'land_fraction', 'sftlf', 'land_area')
LAND_KEYS = ('land_rule', 'land_file', 'land_var')
AREA = 'build/t2i-area'


@dataclasses.dataclass
class LandJob:
    """One t2i-area run: the areacella (and sftlf) of one output
    directory."""
    model: str
    odir: str
    rule: str           # 'none' or one of RULES
    input: str          # the archive's land-area file, or the grid output
    kind: str           # 'nc', 'cdl' (ncgen'd first), 'out' (an output)
                        # or 'missing' (land_file absent: no edge)
    src: str            # what t2i-area reads
    var: str | None     # land_var
    areacella: str
    sftlf: str | None
    toml: str | None


class LandError(Exception):
    """A models/ land key that is wrong."""


def check_land(path, data):
    """The land keys of one parsed models/ file, checked: {key: value}."""
    land = {k: data[k] for k in LAND_KEYS if k in data}
    for k, v in land.items():
        if not isinstance(v, str) or not v:
            raise LandError('%s: %s: expected a non-empty string' % (path, k))
    rule = land.get('land_rule')
    if rule is not None and rule not in RULES:
        raise LandError('%s: land_rule: expected one of %s' % (path,
                                                               ', '.join(RULES)))
    if (rule is None) != ('land_file' not in land):
        raise LandError('%s: land_rule and land_file go together' % path)
    if rule == 'land_area' and 'land_var' not in land:
        raise LandError('%s: land_rule "land_area" needs land_var' % path)
    f = land.get('land_file', '')
    if f.startswith('/') or '..' in f.split('/') or '$' in f or '\n' in f:
        raise LandError("%s: land_file: a path below the model's archive "
                        "directory, like S3/M_S3_oceanCoverFrac.nc" % path)
    return land


def land_source(archive, model, land_file):
    """(path, kind) of a model's land-area file: as named, or the sample's
    CDL text of it; kind 'missing' when it is neither (the report says so,
    and the directory gets neither areacella nor sftlf rather than a
    silently per-cell total)."""
    path = os.path.join(archive, model, land_file)
    if os.path.isfile(path):
        return path, 'nc'
    if path.endswith('.nc') and os.path.isfile(path[:-3] + '.cdl'):
        return path[:-3] + '.cdl', 'cdl'
    return path, 'missing'


def land_jobs(jobs, out, archive, land_of):
    """One LandJob per output directory of `jobs` (t2i_plan.Job);
    land_of(model) gives the model's checked land keys and toml path."""
    by_dir = {}
    for j in sorted(jobs, key=lambda j: j.out):
        by_dir.setdefault(j.odir, j)
    result = []
    for odir, first in sorted(by_dir.items()):
        land, toml = land_of(first.model)
        base = '%s/%s/' % (out, odir)
        rule = land.get('land_rule', 'none')
        if rule == 'none':
            result.append(LandJob(first.model, odir, rule, first.out, 'out',
                                  first.out, None, base + 'areacella.nc',
                                  None, toml))
            continue
        path, kind = land_source(archive, first.model, land['land_file'])
        src = path
        if kind == 'cdl':
            rel = os.path.relpath(path, archive)[:-4] + '.nc'
            src = 'build/sample/' + rel
        result.append(LandJob(first.model, odir, rule, path, kind, src,
                              land.get('land_var'), base + 'areacella.nc',
                              base + 'sftlf.nc', toml))
    return result


def area_words(lj):
    """t2i-area's options for one job."""
    words = ['--model', lj.model]
    if lj.rule != 'none':
        words += ['--rule', lj.rule]
    if lj.var:
        words += ['--var', lj.var]
    return words


def check_words(lj):
    """t2i-verify's options naming the directory's area files."""
    words = ['--areacella', lj.areacella]
    if lj.sftlf:
        words += ['--sftlf', lj.sftlf]
    return words


def mark_skipped(skipped, land):
    """A land-area file is not a variable to convert: say what it is for in
    its skip reason."""
    used = {lj.input: lj for lj in land}
    for s in skipped:
        lj = used.get(s.path)
        if lj:
            s.reason = ('land-area source (%s land_file, rule %s): read into '
                        'areacella and sftlf' % (lj.toml, lj.rule))
            if hasattr(s, 'kind'):
                s.kind = 'not-output'   # coverage.tsv's column
