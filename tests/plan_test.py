#!/usr/bin/env python3
"""Unit tests of the plan (t2i_plan.py): names, models/ files, the Job's
paths, skips, time limits and shards, on small archives of empty or sparse
files made here. Expected values are written out by hand from the README's
rules (output layout, models/README.md), not taken from the code.

Run from anywhere; the last line is the tally "N passed, M failed".
"""

import os
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import t2i_plan as tp  # noqa: E402


def make_archive(root, files):
    """files: {relative path: size}; sparse files, nothing written."""
    for rel, size in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.truncate(size)


class Archive(unittest.TestCase):
    """A temporary archive, planned from the repository root."""

    files = {}

    def setUp(self):
        self.cwd = os.getcwd()
        os.chdir(ROOT)
        self.tmp = tempfile.TemporaryDirectory()
        self.arch = os.path.join(self.tmp.name, 'arch')
        os.makedirs(self.arch)
        make_archive(self.arch, self.files)
        self.table = tp.read_table(tp.TABLE)

    def tearDown(self):
        os.chdir(self.cwd)
        self.tmp.cleanup()

    def plan(self, **kw):
        opts = tp.Options(input=self.arch, out='OUT', **kw)
        return tp.plan(opts, self.table)


class Names(unittest.TestCase):
    def test_parse_name(self):
        self.assertEqual(tp.parse_name('S3', 'CLM6.0_S3_gpp.nc'),
                         ('gpp', 'nc'))
        self.assertEqual(tp.parse_name('S2', 'A_S2_cVeg.cdl'),
                         ('cVeg', 'cdl'))
        # The last _<SIM>_ wins: a model name holding the simulation.
        self.assertEqual(tp.parse_name('S3', 'X_S3_Y_S3_lai.nc'),
                         ('lai', 'nc'))
        self.assertIsNone(tp.parse_name('S3', 'A_S2_gpp.nc'))
        self.assertIsNone(tp.parse_name('S3', '_S3_gpp.nc'))
        self.assertIsNone(tp.parse_name('S3', 'README'))

    def test_output_dir(self):
        self.assertEqual(tp.output_dir('CLM5.0', 'S3'), 'CLM5.0')
        self.assertEqual(tp.output_dir('CLM5.0', 'S0'), 'CLM5.0_S0')

    def test_check_name(self):
        for bad in ('', '..', '.x', 'a/b', 'a\\b', 'a\x01', 'a$b', 'a"b'):
            with self.assertRaises(tp.GenerateError, msg=repr(bad)):
                tp.check_name('model', bad, 'here')
        tp.check_name('model', 'CLM5.0 (v2)', 'here')

    def test_check_path(self):
        for bad in ('a\nb', 'a$b', 'a`b', 'a"b', 'a\udcffb'):
            with self.assertRaises(tp.GenerateError, msg=repr(bad)):
                tp.check_path(bad)
        tp.check_path('dir with spaces/a:b.nc')

    def test_table(self):
        table = tp.read_table(os.path.join(ROOT, tp.TABLE))
        self.assertEqual(table['evapotrans'], 'evspsbl')
        self.assertEqual(table['gpp'], 'gpp')
        # The 20 protocol variables and issue 14's fBNF, hfls, hfss, sh,
        # swe, tsl, msl; msl's second line (mrsos) is an extra output.
        self.assertEqual(len(table), 27)
        self.assertEqual(table['msl'], 'mrsol')
        self.assertEqual(table.extra, {'msl': ['mrsos']})
        self.assertEqual(table['sh'], 'hfss')

    def test_two_outputs_of_one_file(self):
        """A msl file gives mrsol and mrsos, from one ncgen'd input."""
        with tempfile.TemporaryDirectory() as tmp:
            make_archive(tmp, {'CABLE-POP/S3/CABLE-POP_S3_msl.nc': 10})
            opts = tp.Options(input=tmp, out='o')
            cwd = os.getcwd()
            os.chdir(ROOT)
            try:
                table = tp.read_table(tp.TABLE)
                jobs = tp.plan(opts, table).jobs
                only = tp.plan(tp.Options(input=tmp, out='o', vars=['mrsos']),
                               table).jobs
            finally:
                os.chdir(cwd)
        self.assertEqual([j.out for j in jobs],
                         ['o/CABLE-POP/mrsol.nc', 'o/CABLE-POP/mrsos.nc'])
        self.assertEqual({j.input for j in jobs},
                         {os.path.join(tmp, 'CABLE-POP/S3/CABLE-POP_S3_msl.nc')})
        self.assertEqual([j.out for j in only], ['o/CABLE-POP/mrsos.nc'])


class Models(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def toml(self, text):
        path = os.path.join(self.tmp.name, 'M.toml')
        with open(path, 'w') as f:
            f.write(text)
        return path

    def test_absent(self):
        m = tp.read_model(os.path.join(self.tmp.name, 'none.toml'))
        self.assertIsNone(m.path)
        self.assertEqual(m.flags('gpp'), ['--var', 'gpp'])

    def test_flags_order_and_override(self):
        path = self.toml('[defaults]\nmissing = [-9999.0, 1e20]\n'
                         'time_units = "days since 2003-01-01"\n'
                         '[var.npp]\nvar = "NPP"\nreduce = ["PFT=sum"]\n'
                         'time_units = "months since 1900-01-15"\n'
                         '[skip]\n"M_S3_x.nc" = "corrupt"\n')
        m = tp.read_model(path)
        self.assertEqual(m.path, path)
        self.assertEqual(m.skip, {'M_S3_x.nc': 'corrupt'})
        # Flags follow TOML_FLAGS order: var, time_units, ..., missing,
        # reduce; [var.X] replaces a [defaults] key.
        self.assertEqual(m.flags('npp'), [
            '--var', 'NPP', '--time-units', 'months since 1900-01-15',
            '--missing', '-9999.0', '--missing', '1e+20',
            '--reduce', 'PFT=sum'])
        self.assertEqual(m.flags('gpp'), [
            '--var', 'gpp', '--time-units', 'days since 2003-01-01',
            '--missing', '-9999.0', '--missing', '1e+20'])

    def test_refusals(self):
        cases = [('bogus = 1\n', "unknown key 'bogus'"),
                 ('[defaults]\nmissing = "x"\n', 'missing: expected a list'),
                 ('[defaults]\nscale = true\n', 'expected a number'),
                 ('[defaults]\nfrequency = "day"\n', 'expected one of'),
                 ('[var.gpp]\nunits = 3\n', 'expected a string'),
                 ('skip = 3\n', 'skip: expected'),
                 ('[defaults\n', 'M.toml')]
        for text, words in cases:
            with self.assertRaises(tp.GenerateError, msg=text) as cm:
                tp.read_model(self.toml(text))
            self.assertIn(words, str(cm.exception), text)


class JobPaths(Archive):
    files = {'CLM5.0/S3/CLM6.0_S3_gpp.nc': 5000,
             'CLM5.0/S2/CLM6.0_S2_evapotrans.nc': 7000,
             'IBIS/S3/IBIS_S3_mrro.cdl': 100,
             'IBIS/S3/IBIS_S3_FLOSS_FRAC.nc': 10,
             'IBIS/S3/notes.txt': 10,
             'IBIS/S1/IBIS_S1_mrro.nc': 0}

    def test_every_path_once(self):
        p = self.plan()
        by_out = {j.out: j for j in p.jobs}
        j = by_out['OUT/CLM5.0_S2/evspsbl.nc']
        self.assertEqual((j.model, j.sim, j.var, j.outvar, j.odir),
                         ('CLM5.0', 'S2', 'evapotrans', 'evspsbl',
                          'CLM5.0_S2'))
        self.assertEqual(j.input, os.path.join(
            self.arch, 'CLM5.0/S2/CLM6.0_S2_evapotrans.nc'))
        self.assertEqual(j.src, j.input)
        self.assertEqual(j.stats, 'OUT/stats/CLM5.0_S2/evspsbl.json')
        self.assertEqual(j.check, 'OUT/check/CLM5.0_S2/evspsbl.json')
        self.assertEqual(j.name, 'CLM5.0_S2/evspsbl')
        self.assertEqual(j.size, 7000)
        self.assertIsNone(j.toml)
        self.assertEqual(j.flags, ['--var', 'evapotrans'])
        # A CDL input is converted from its ncgen'd copy under build/.
        c = by_out['OUT/IBIS/mrro.nc']
        self.assertEqual(c.kind, 'cdl')
        self.assertEqual(c.src, 'build/sample/IBIS/S3/IBIS_S3_mrro.nc')

    def test_order_and_skips(self):
        p = self.plan()
        self.assertEqual([j.size for j in p.jobs], [7000, 5000, 100, 0])
        reasons = {os.path.basename(s.path): s.reason for s in p.skipped}
        self.assertEqual(reasons['notes.txt'],
                         'name does not match *_S3_<var>.nc')
        self.assertEqual(reasons['IBIS_S3_FLOSS_FRAC.nc'],
                         "variable 'FLOSS_FRAC' is not in "
                         "tables/variables.tsv")
        self.assertEqual(
            tp.skipped_tsv(p.skipped).splitlines()[0],
            'model\tsim\tfile\treason')

    def test_selection(self):
        self.assertEqual([j.out for j in self.plan(sims=['S1']).jobs],
                         ['OUT/IBIS_S1/mrro.nc'])
        self.assertEqual(sorted(j.out for j in self.plan(
            vars=['evspsbl', 'gpp']).jobs),
            ['OUT/CLM5.0/gpp.nc', 'OUT/CLM5.0_S2/evspsbl.nc'])
        self.assertEqual(len(self.plan(models=['IBIS']).jobs), 2)

    def test_time_limits(self):
        opts = tp.Options(timeout=300, timeout_per_gb=600)
        self.assertEqual(tp.time_limit(opts, 0), 300)
        self.assertEqual(tp.time_limit(opts, tp.GIB), 900)
        self.assertEqual(tp.time_limit(opts, 3 * tp.GIB // 2), 1200)
        self.assertEqual(tp.time_limit(tp.Options(timeout=0), tp.GIB), 0)
        p = self.plan(timeout=10, timeout_per_gb=0)
        self.assertEqual({j.timeout for j in p.jobs}, {10})


class Collisions(Archive):
    files = {'M/S3/M_S3_gpp.nc': 1, 'M/S3/M6_S3_gpp.nc': 1}

    def test_two_inputs_one_output(self):
        with self.assertRaises(tp.GenerateError) as cm:
            self.plan()
        self.assertIn('both map to OUT/M/gpp.nc', str(cm.exception))


class Shards(Archive):
    files = {'M%d/S%d/M%d_S%d_%s.nc' % (m, s, m, s, v): (m + 1) * 1000 + s
             for m in range(3) for s in range(4)
             for v in ('gpp', 'npp', 'lai')}

    def test_disjoint_and_complete(self):
        whole = sorted(j.out for j in self.plan().jobs)
        self.assertEqual(len(whole), 36)
        for by in ('bytes', 'count'):
            for n in (1, 2, 5):
                union = []
                for i in range(n):
                    p = self.plan(shard=(i, n), shard_by=by)
                    self.assertTrue(all(j.shard == i for j in p.jobs))
                    union += [j.out for j in p.jobs]
                self.assertEqual(sorted(union), whole, (by, n))

    def test_bytes_balance(self):
        # 36 inputs of about 1-3 kB over 3 shards: LPT keeps every shard
        # within one largest input (3003 bytes) of the mean.
        sizes = [sum(j.size for j in self.plan(shard=(i, 3)).jobs)
                 for i in range(3)]
        self.assertLessEqual(max(sizes) - min(sizes), 3003)
        table = self.plan(shard=(0, 3)).shard_table
        self.assertTrue(table.startswith('# shards=3 by=bytes\n'
                                         'shard\tbytes\toutput\n'))
        self.assertEqual(len(table.splitlines()), 38)


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(
        sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(
        suite)
    failed = len(result.failures) + len(result.errors)
    print('%d passed, %d failed' % (result.testsRun - failed, failed))
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
