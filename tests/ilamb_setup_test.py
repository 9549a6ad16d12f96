#!/usr/bin/env python3
"""Tests of `ninja ilamb` (ilamb_setup.py) on the bundled sample: the four
files of each simulation, what ILAMB 2 and ilamb3 require of them
(trendy-quirks.md section 11), the Ninja edge's restat, and run.sh run
against a stand-in ilamb-run. Expected model lists and frequencies are
written out by hand from the sample's README table.

When ILAMB 2's source and its Python dependencies are present, ILAMB's own
--model_setup parser reads both forms and every CSV row loads through its
ModelResult (tests/ilamb_harness.py). Give the source with T2I_ILAMB_SRC: an
ILAMB checkout, or a bare git directory of one; an installed ILAMB is found
by itself. cf_units (not in Debian) is replaced by tests/ilamb_stub when it
is not installed. Without ILAMB those tests are counted as skipped.

The last line is the tally "N passed, M failed, K skipped".
"""

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import ilamb_setup  # noqa: E402

WORK = os.path.join(ROOT, 'build', 'ilamb-test')
OUT = os.path.join(WORK, 'out')
GRAPH = os.path.join(WORK, 'build.ninja')
# The sample's S3 output directories (README, The bundled sample).
S3_DIRS = ['CABLE-POP', 'CARDAMOM', 'CLASSIC', 'CLM5.0', 'DLEM', 'ELM',
           'IBIS', 'ISAM', 'ISBA-CTRIP', 'JULES', 'LPJ-GUESS', 'LPX-Bern',
           'ORCHIDEE', 'SDGVM', 'VISIT', 'VISIT-UT', 'iMAPLE']
# Annual files of the sample (README: CABLE-POP's and LPJ-GUESS's cVeg,
# CLM6.0's cVeg of year numbers, SDGVM's nbpAnnual, iMAPLE's Annual_cSoil);
# every other one is monthly.
ANNUAL = {('CABLE-POP', 'cVeg'), ('LPJ-GUESS', 'cVeg'), ('CLM5.0', 'cVeg'),
          ('SDGVM', 'nbp'), ('iMAPLE', 'cSoil')}
AREACELLA_CDL = '''netcdf areacella {
dimensions:
  lat = 2 ; lon = 2 ;
variables:
  double lat(lat) ; double lon(lon) ;
  float areacella(lat, lon) ;
    areacella:units = "m2" ;
data:
  lat = -45, 45 ; lon = -90, 90 ;
  areacella = 1, 2, 3, 4 ;
}
'''


def converter():
    for path in (os.environ.get('T2I_BIN'),
                 os.path.join(ROOT, 'build', 'san', 'trendy2ilamb'),
                 os.path.join(ROOT, 'build', 'trendy2ilamb')):
        if path and os.access(path, os.X_OK):
            return path
    return None


def inflater():
    """t2i-inflate beside the converter (the sample has .nc.gz files)."""
    path = os.path.join(os.path.dirname(converter()), 't2i-inflate')
    return path if os.access(path, os.X_OK) else None


def ninja(*args):
    return subprocess.run(['ninja', '-f', GRAPH] + list(args), cwd=ROOT,
                          capture_output=True, text=True)


BUILT = []      # set once this run has built the sample


def build_sample():
    """Converts the sample with the prebuilt converter and runs
    `ninja ilamb` in a graph of its own under build/ilamb-test/, once per
    run (every test class reads the same outputs)."""
    if BUILT:
        return
    BUILT.append(True)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    words = ['--converter', converter(), '--prebuilt']
    if inflater():
        words += ['--inflater', inflater()]
    area = os.path.join(os.path.dirname(converter()), 't2i-area')
    if os.access(area, os.X_OK):
        words += ['--area-tool', area]
    subprocess.run([sys.executable, 'generate.py', '--out', OUT] + words +
                   ['--builddir', WORK, '-o', GRAPH], cwd=ROOT, check=True,
                   capture_output=True)
    r = ninja('-j2', 'ilamb')
    if r.returncode:
        raise RuntimeError(r.stdout + r.stderr)


def read_yaml_entries(text):
    """The models.yaml subset ilamb_setup writes, read without PyYAML:
    {key: {field: value}} with JSON-quoted scalars."""
    entries, cur = {}, None
    for line in text.splitlines():
        if line.startswith('#'):
            continue
        m = re.fullmatch(r'(".*"):', line)
        if m:
            cur = entries.setdefault(json.loads(m.group(1)), {})
            continue
        m = re.fullmatch(r'  (\w+): (".*")', line)
        if not m or cur is None:
            raise ValueError('unexpected line %r' % line)
        cur[m.group(1)] = json.loads(m.group(2))
    return entries


def read(sim, name):
    with open(os.path.join(OUT, 'ilamb', sim, name), encoding='utf-8') as f:
        return f.read()


def csv_rows(sim):
    return list(csv.DictReader(read(sim, 'models.csv').splitlines()))


@unittest.skipIf(converter() is None, 'no converter built (ninja tests)')
class Sample(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        build_sample()

    def test_files_per_simulation(self):
        """ninja ilamb writes the four files for S2 and S3, nothing else."""
        self.assertEqual(sorted(os.listdir(os.path.join(OUT, 'ilamb'))),
                         ['S2', 'S3'])
        for sim in ('S2', 'S3'):
            self.assertEqual(
                sorted(os.listdir(os.path.join(OUT, 'ilamb', sim))),
                ['models.csv', 'models.txt', 'models.yaml', 'run.sh'])

    def test_models_txt(self):
        """Text form: 'name, path' lines only, absolute directories."""
        text = read('S3', 'models.txt')
        self.assertTrue(text.endswith('\n'))
        lines = text[:-1].split('\n')
        self.assertNotIn('', [line.strip() for line in lines])
        names = []
        for line in lines:
            name, path = line.split(', ')
            self.assertTrue(os.path.isabs(path), path)
            self.assertEqual(path, os.path.join(OUT, name))
            names.append(name)
        self.assertEqual(names, S3_DIRS)
        self.assertEqual(read('S2', 'models.txt'),
                         'CLM5.0_S2, %s\n' % os.path.join(OUT, 'CLM5.0_S2'))

    def test_models_yaml(self):
        """YAML form: modelname, absolute path, colour, group per entry."""
        e3 = read_yaml_entries(read('S3', 'models.yaml'))
        self.assertEqual(list(e3), S3_DIRS)
        for key, entry in e3.items():
            self.assertEqual(set(entry),
                             {'modelname', 'path', 'color', 'group'})
            self.assertEqual(entry['modelname'], key)
            self.assertEqual(entry['path'], os.path.join(OUT, key))
            self.assertRegex(entry['color'], r'^#[0-9a-f]{6}$')
            self.assertEqual(entry['group'], 'TRENDY-S3')
        e2 = read_yaml_entries(read('S2', 'models.yaml'))
        self.assertEqual(e2['CLM5.0_S2']['group'], 'TRENDY-S2')
        # A model keeps its colour in every simulation.
        self.assertEqual(e2['CLM5.0_S2']['color'], e3['CLM5.0']['color'])

    def test_models_csv(self):
        """ilamb3 database: one row per output, source_id MODEL-SIM."""
        self.assertEqual(read('S3', 'models.csv').split('\n')[0],
                         'source_id,member_id,grid_label,experiment_id,'
                         'variable_id,frequency,path')
        rows = csv_rows('S3')
        outputs = sorted(os.path.join(OUT, d, f) for d in S3_DIRS
                         for f in os.listdir(os.path.join(OUT, d)))
        self.assertEqual(sorted(r['path'] for r in rows), outputs)
        for r in rows:
            model = os.path.basename(os.path.dirname(r['path']))
            self.assertEqual(r['source_id'], model + '-S3')
            self.assertEqual(r['experiment_id'], 'S3')
            self.assertEqual((r['member_id'], r['grid_label']),
                             ('r1i1p1f1', 'gn'))
            self.assertEqual(r['frequency'], 'fx' if r['variable_id'] in (
                'areacella', 'sftlf') else 'yr' if (
                model, r['variable_id']) in ANNUAL else 'mon', r['path'])
        self.assertEqual(sorted((r['source_id'], r['variable_id'])
                                for r in csv_rows('S2')),
                         [('CLM5.0-S2', 'areacella'), ('CLM5.0-S2', 'gpp'),
                          ('CLM5.0-S2', 'sftlf')])

    def test_csv_files_hold_variable(self):
        """Every row's file holds its variable_id (ncdump -h)."""
        for sim in ('S2', 'S3'):
            for r in csv_rows(sim):
                head = subprocess.run(['ncdump', '-h', r['path']],
                                      check=True, capture_output=True,
                                      text=True).stdout
                fixed = r['variable_id'] in ('areacella', 'sftlf')
                self.assertRegex(head, r'\n\tfloat %s\(%s' % (
                    re.escape(r['variable_id']),
                    'lat, lon\\) ;' if fixed else 'time, '), r['path'])

    def test_fixed_fields(self):
        """Every directory has areacella (m2, fx) and the per-land models
        sftlf (%), listed in models.csv."""
        rows = csv_rows('S3')
        fixed = {(os.path.basename(os.path.dirname(r['path'])),
                  r['variable_id']) for r in rows if r['frequency'] == 'fx'}
        self.assertEqual({d for d, v in fixed if v == 'areacella'},
                         set(S3_DIRS))
        self.assertIn(('IBIS', 'sftlf'), fixed)
        self.assertNotIn(('JULES', 'sftlf'), fixed)

    def test_restat(self):
        """A reconversion leaves the files (and their times) alone."""
        self.assertIn('no work to do', ninja('ilamb').stdout)
        files = [os.path.join(OUT, 'ilamb', 'S3', f) for f in
                 ('models.yaml', 'models.txt', 'models.csv', 'run.sh')]
        before = [os.stat(f).st_mtime_ns for f in files]
        os.remove(os.path.join(OUT, 'DLEM', 'npp.nc'))
        r = ninja('ilamb')
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn('ILAMB', r.stdout)
        self.assertEqual([os.stat(f).st_mtime_ns for f in files], before)
        self.assertIn('no work to do', ninja('ilamb').stdout)

    def test_run_sh(self):
        """run.sh removes stale caches, then runs ilamb-run with --clean."""
        with tempfile.TemporaryDirectory() as tmp:
            bindir = os.path.join(tmp, 'bin')
            os.makedirs(bindir)
            log = os.path.join(tmp, 'args')
            with open(os.path.join(bindir, 'ilamb-run'), 'w') as f:
                f.write('#!/bin/sh\nls "$ILAMB_BUILD_DIR" >"%s.ls"\n'
                        'for a in "$@"; do echo "$a"; done >"%s"\n'
                        % (log, log))
            os.chmod(os.path.join(bindir, 'ilamb-run'), 0o755)
            build = os.path.join(tmp, 'build')
            os.makedirs(build)
            for stale in ('CLM5.0.pkl', 'keep.txt'):
                open(os.path.join(build, stale), 'w').close()
            cfg = os.path.join(tmp, 'my.cfg')
            open(cfg, 'w').close()
            env = dict(os.environ, PATH=bindir + ':/usr/bin:/bin',
                       ILAMB_ROOT=tmp, ILAMB_BUILD_DIR=build)
            r = subprocess.run([os.path.join(OUT, 'ilamb', 'S3', 'run.sh'),
                                cfg], env=env, capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(log) as f:
                args = f.read().split('\n')[:-1]
            self.assertEqual(args, [
                '--config', cfg, '--model_setup',
                os.path.join(OUT, 'ilamb', 'S3', 'models.yaml'),
                '--build_dir', build, '--regions', 'global', '--clean'])
            with open(log + '.ls') as f:
                self.assertEqual(f.read(), 'keep.txt\n')
            # Without ILAMB installed and no configure file given: exit 2.
            env['PYTHONPATH'] = tmp
            r = subprocess.run([os.path.join(OUT, 'ilamb', 'S3', 'run.sh')],
                               env=env, capture_output=True, text=True)
            if not ilamb_installed():
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn('ILAMB 2 is not installed', r.stderr)
        self.assertIn('--no-cache', read('S3', 'run.sh'))

    def test_land_area_rows(self):
        """An areacella.nc beside the outputs is a frequency fx row."""
        with tempfile.TemporaryDirectory() as tmp:
            cdl = os.path.join(tmp, 'areacella.cdl')
            with open(cdl, 'w') as f:
                f.write(AREACELLA_CDL)
            # The graph's own DLEM/areacella.nc (t2i-area) is put back
            # after, time and all, so the graph stays up to date.
            area = os.path.join(OUT, 'DLEM', 'areacella.nc')
            keep = os.path.join(tmp, 'kept.nc')
            if os.path.exists(area):
                os.replace(area, keep)
            subprocess.run(['ncgen', '-o', area, cdl], check=True)
            try:
                outs = [os.path.join(OUT, 'DLEM', 'npp.nc')]
                ilamb_setup.setup('S3', tmp, outs)
                with open(os.path.join(tmp, 'models.csv')) as f:
                    rows = list(csv.DictReader(f))
            finally:
                os.remove(area)
                if os.path.exists(keep):
                    os.replace(keep, area)
        self.assertEqual([(r['variable_id'], r['frequency']) for r in rows],
                         [('areacella', 'fx'), ('npp', 'mon')])

    @unittest.skipUnless(shutil.which('ncgen'), 'no ncgen')
    def test_refusals(self):
        """A comma in a path, or a file without its variable, is refused."""
        with tempfile.TemporaryDirectory() as tmp:
            comma = os.path.join(tmp, 'A,B')
            os.makedirs(comma)
            with self.assertRaisesRegex(ilamb_setup.SetupError, 'comma'):
                ilamb_setup.setup('S3', tmp, [os.path.join(comma, 'x.nc')])
            bad = os.path.join(tmp, 'M', 'gpp.nc')
            os.makedirs(os.path.dirname(bad))
            shutil.copy(os.path.join(OUT, 'DLEM', 'npp.nc'), bad)
            with self.assertRaisesRegex(ilamb_setup.SetupError,
                                        "no variable 'gpp'"):
                ilamb_setup.setup('S3', tmp, [bad])


# ------------------------------------------------------------ outputs

# The subset of udunits2's API the units check needs (stdlib ctypes).
def udunits_parses(texts):
    import ctypes
    import ctypes.util
    lib = ctypes.CDLL(ctypes.util.find_library('udunits2') or
                      'libudunits2.so.0')
    lib.ut_read_xml.restype = ctypes.c_void_p
    lib.ut_read_xml.argtypes = [ctypes.c_char_p]
    lib.ut_parse.restype = ctypes.c_void_p
    lib.ut_parse.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    lib.ut_set_error_message_handler.argtypes = [ctypes.c_void_p]
    lib.ut_set_error_message_handler(
        ctypes.cast(lib.ut_ignore, ctypes.c_void_p))
    system = lib.ut_read_xml(None)
    return {t: bool(lib.ut_parse(system, t.encode(), 2)) for t in texts}


# ilamb3 reads units with pint through cf_xarray's registry: UDUNITS
# exponents ("m-2") made pint powers, "%" the unit percent (0.01), and the
# coordinate units degrees_north and degrees_east defined. The same rules,
# run under the first Python that has pint.
PINT_CHECK = r"""
import functools, json, re, sys
import pint
power = re.compile(r"(?<=[A-Za-z])(?![A-Za-z])(?<![0-9\-][eE])(?<![0-9\-])(?=[0-9\-])")
reg = pint.UnitRegistry(preprocessors=[
    functools.partial(power.sub, "**"), lambda s: s.replace("%", "percent")])
reg.define("percent = 0.01")
reg.define("degrees_north = degree")
reg.define("degrees_east = degree")
out = {}
for text in json.loads(sys.argv[1]):
    try:
        reg.parse_units(text)
        out[text] = True
    except Exception:
        out[text] = False
print(json.dumps(out))
"""


def pint_python():
    for python in (sys.executable, '/usr/bin/python3'):
        if os.access(python, os.X_OK) and importable('pint', python):
            return python
    return None


def table_units():
    with open(os.path.join(ROOT, 'tables', 'variables.tsv')) as f:
        return sorted({line.split('\t')[2] for line in f
                       if not line.startswith('#') and line.strip()})


def all_outputs():
    # The converted outputs; an output directory's areacella.nc and
    # sftlf.nc are fixed fields on (lat, lon) (Sample.test_fixed_fields).
    return sorted(os.path.join(OUT, d, f) for d in os.listdir(OUT)
                  if d not in ('ilamb', 'stats') and
                  os.path.isdir(os.path.join(OUT, d))
                  for f in os.listdir(os.path.join(OUT, d))
                  if f.endswith('.nc') and f not in FIXED_FILES)


FIXED_FILES = ('areacella.nc', 'sftlf.nc')


@unittest.skipIf(converter() is None, 'no converter built (ninja tests)')
class Outputs(unittest.TestCase):
    """What ilamb3 needs of every output (trendy-quirks.md section 11)."""

    @classmethod
    def setUpClass(cls):
        build_sample()
        cls.heads = {p: subprocess.run(['ncdump', '-h', p], check=True,
                                       capture_output=True,
                                       text=True).stdout
                     for p in all_outputs()}

    def test_time_axis(self):
        """float64 time and time_bnds, time:bounds, days since, calendar."""
        for path, head in self.heads.items():
            for line in ('\tdouble time(time) ;',
                         '\tdouble time_bnds(time, bnds) ;',
                         '\t\ttime:bounds = "time_bnds" ;',
                         '\t\ttime:units = "days since 1850-01-01 00:00:00" ;'):
                self.assertIn(line + '\n', head, path)
            self.assertRegex(head, r'\n\t\ttime:calendar = "\w+" ;', path)

    def test_lat_lon_names(self):
        """lat and lon (and their _bnds) named so, data on them last."""
        for path, head in self.heads.items():
            var = os.path.basename(path)[:-3]
            for line in ('\tdouble lat(lat) ;', '\tdouble lon(lon) ;',
                         '\tdouble lat_bnds(lat, bnds) ;',
                         '\tdouble lon_bnds(lon, bnds) ;',
                         '\t\tlat:bounds = "lat_bnds" ;',
                         '\t\tlon:bounds = "lon_bnds" ;'):
                self.assertIn(line + '\n', head, path)
            self.assertRegex(head, r'\n\tfloat %s\(time, (depth, )?lat, '
                             r'lon\) ;' % re.escape(var), path)

    def test_units_udunits(self):
        """Every table unit and every output's units parse in udunits2."""
        units = set(table_units())
        for head in self.heads.values():
            units |= set(re.findall(r'\n\t\t\w+:units = "([^"]*)"', head))
        bad = [u for u, ok in udunits_parses(units).items() if not ok]
        self.assertEqual(bad, [])

    def test_units_pint(self):
        """Every table unit parses in pint as ilamb3 reads it."""
        python = pint_python()
        if python is None:
            self.skipTest('no pint (Debian python3-pint)')
        units = set(table_units())
        for head in self.heads.values():
            units |= set(re.findall(r'\n\t\t\w+:units = "([^" ]*)"', head))
        r = subprocess.run([python, '-c', PINT_CHECK,
                            json.dumps(sorted(units))], check=True,
                           capture_output=True, text=True)
        got = json.loads(r.stdout)
        self.assertEqual([u for u, ok in got.items() if not ok], [])
        # The rules really refuse what the catalogue says ilamb3 refuses.
        r = subprocess.run([python, '-c', PINT_CHECK,
                            json.dumps(['gC', 'fraction', 'unitless'])],
                           check=True, capture_output=True, text=True)
        self.assertEqual(json.loads(r.stdout), {
            'gC': False, 'fraction': False, 'unitless': False})


# ------------------------------------------------------------ ILAMB 2

DEPS = ('numpy', 'netCDF4', 'mpi4py', 'cftime', 'scipy', 'matplotlib',
        'cartopy', 'yaml')


def importable(name, python=sys.executable):
    return subprocess.run([python, '-c', 'import ' + name],
                          capture_output=True).returncode == 0


def ilamb_python():
    """The first Python 3 that imports ILAMB 2's dependencies (Debian's
    python3-* packages serve /usr/bin/python3, which may not be the one
    running this test), or None."""
    for python in (os.environ.get('T2I_ILAMB_PYTHON'), sys.executable,
                   '/usr/bin/python3'):
        if python and os.access(python, os.X_OK) and all(
                importable(d, python) for d in DEPS):
            return python
    return None


def ilamb_installed():
    return importable('ILAMB') or importable('ILAMB', '/usr/bin/python3')


def ilamb_source():
    """(python path entries, ilamb-run) for ILAMB 2, or None. A bare git
    directory is exported (git archive) under build/ilamb-test/ilamb."""
    src = os.environ.get('T2I_ILAMB_SRC')
    if src and os.path.exists(os.path.join(src, 'objects')):
        dest = os.path.join(ROOT, 'build', 'ilamb-test-src')
        if not os.path.isdir(os.path.join(dest, 'src', 'ILAMB')):
            os.makedirs(dest, exist_ok=True)
            archive = subprocess.run(
                ['git', '--git-dir', src, 'archive', 'HEAD', 'src/ILAMB',
                 'bin/ilamb-run'], capture_output=True, check=True).stdout
            subprocess.run(['tar', '-x', '-C', dest], input=archive,
                           check=True)
        src = dest
    if src and os.path.isdir(os.path.join(src, 'src', 'ILAMB')):
        return [os.path.join(src, 'src')], os.path.join(src, 'bin',
                                                        'ilamb-run')
    if ilamb_installed() and shutil.which('ilamb-run'):
        return [], shutil.which('ilamb-run')
    return None


def ilamb_missing():
    """Why ILAMB 2 cannot run here, or '' when it can."""
    if converter() is None:
        return 'no converter built'
    if ilamb_source() is None:
        return 'no ILAMB 2 (set T2I_ILAMB_SRC or install ILAMB)'
    if ilamb_python() is None:
        return 'no Python with all of ILAMB 2\'s %s' % ', '.join(DEPS)
    return ''


def run_harness(sim):
    paths, ilamb_run = ilamb_source()
    python = ilamb_python()
    if not importable('cf_units', python):
        paths.append(os.path.join(ROOT, 'tests', 'ilamb_stub'))
    cache = os.path.join(WORK, 'harness-' + sim)
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=':'.join(paths), MPLBACKEND='Agg')
    r = subprocess.run([python,
                        os.path.join(ROOT, 'tests', 'ilamb_harness.py'),
                        ilamb_run, os.path.join(OUT, 'ilamb', sim), cache],
                       env=env, capture_output=True, text=True, timeout=600)
    if r.returncode:
        raise AssertionError('harness failed:\n' + r.stderr[-3000:])
    return json.loads(r.stdout)


@unittest.skipIf(ilamb_missing(), ilamb_missing())
class Ilamb2(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        build_sample()
        cls.got = run_harness('S3')

    def test_both_forms_parse(self):
        """ILAMB 2's parser gives the same named models from both forms."""
        y, t = self.got['models.yaml'], self.got['models.txt']
        self.assertEqual(sorted(y), S3_DIRS)
        self.assertEqual(sorted(t), S3_DIRS)
        for name in S3_DIRS:
            self.assertEqual(y[name]['path'], os.path.join(OUT, name))
            self.assertEqual(t[name]['path'], y[name]['path'])
            self.assertEqual(y[name]['group'], 'TRENDY-S3')

    def test_every_row_loads(self):
        """Every CSV row loads in ModelResult: time, lat, lon, units."""
        rows = csv_rows('S3')
        self.assertEqual(len(self.got['loads']), len(rows))
        for item, row in zip(self.got['loads'], rows):
            self.assertEqual(item['path'], row['path'])
            if item.get('fx'):
                continue
            self.assertTrue(item['temporal'] and item['spatial'], item)
            lo, hi = item['tb0']
            self.assertTrue(lo <= item['time0'] <= hi, item)


    def test_layered_variables(self):
        """tsl and mrsol load in ILAMB 2 as layered, with the depths the
        sample files give (hand-read from their CDL), mrsos as a field."""
        loads = {(os.path.basename(os.path.dirname(i['path'])), i['var']): i
                 for i in self.got['loads']}
        tsl = loads[('CLM5.0', 'tsl')]
        self.assertTrue(tsl['layered'], tsl)
        self.assertEqual(tsl['depth'], [0.05, 0.2, 0.6, 2.0])
        self.assertEqual(tsl['depth_bnds'],
                         [[0, 0.1], [0.1, 0.3], [0.3, 1.0], [1.0, 3.0]])
        self.assertEqual(tsl['unit'], 'K')
        mrsol = loads[('CABLE-POP', 'mrsol')]
        self.assertTrue(mrsol['layered'], mrsol)
        # CABLE's thicknesses 0.022 0.058 0.154 0.409 1.085 6.872, summed.
        edges = [0, 0.022, 0.08, 0.234, 0.643, 1.728, 8.6]
        for got, lo, hi in zip(mrsol['depth_bnds'], edges, edges[1:]):
            self.assertAlmostEqual(got[0], lo, places=12)
            self.assertAlmostEqual(got[1], hi, places=12)
        mrsos = loads[('CABLE-POP', 'mrsos')]
        self.assertFalse(mrsos['layered'], mrsos)
        self.assertEqual(mrsos['unit'], 'kg m-2')


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(
        sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(
        suite)
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    for test, why in result.skipped:
        print('skip %s: %s' % (test.id(), why))
    print('%d passed, %d failed, %d skipped' % (
        result.testsRun - failed - skipped, failed, skipped))
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
