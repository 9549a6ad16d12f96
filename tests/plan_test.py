#!/usr/bin/env python3
"""Unit tests of the plan (t2i_plan.py): names, models/ files, the Job's
paths, skips and shards, on small archives of empty or sparse
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
    """The file-name grammar (tables/names.tsv) on names from the v13/v14
    listing and doc/quirks.md#R-02, #R-03, #R-08, each expected value written here."""

    def setUp(self):
        self.g = tp.read_grammar(os.path.join(ROOT, tp.NAMES))
        table = tp.read_table(os.path.join(ROOT, tp.TABLE))
        self.lower = {k.lower(): k for k in table}

    def name(self, sim, name, tokens=None):
        n = tp.parse_name(self.g, self.lower, sim, name, 'here', tokens)
        return (n.var, n.kind, n.freq, n.decorated)

    def refused(self, sim, name, tokens=None):
        with self.assertRaises(tp.NotConverted, msg=name) as cm:
            tp.parse_name(self.g, self.lower, sim, name, 'here', tokens)
        return cm.exception.kind, cm.exception.reason

    def test_plain(self):
        self.assertEqual(self.name('S3', 'CLM6.0_S3_gpp.nc'),
                         ('gpp', 'nc', None, False))
        self.assertEqual(self.name('S2', 'A_S2_cVeg.cdl'),
                         ('cVeg', 'cdl', None, False))
        # The last _<SIM>_ wins: a prefix holding the simulation.
        self.assertEqual(self.name('S3', 'X_S3_Y_S3_lai.nc'),
                         ('lai', 'nc', None, False))

    def test_containers(self):
        self.assertEqual(self.name('S3', 'VISIT_S3_gpp.nc.gz')[:2],
                         ('gpp', 'gz'))
        self.assertEqual(self.name('S3', 'JULES_S3_npp.nc.bz2')[:2],
                         ('npp', 'bz2'))
        self.assertEqual(self.name('S3', 'iMAPLE_S3_rh.nc.tar.gz')[:2],
                         ('rh', 'tar.gz'))

    def test_decorations(self):
        cases = {
            'SDGVM_S3_nbpAnnual.nc': ('nbp', 'nc', 'yr', True),
            'SDGVM_S3_nbp_Annual.nc': ('nbp', 'nc', 'yr', True),
            'JULES_S3_gpp_annual.nc': ('gpp', 'nc', 'yr', True),
            'iMAPLE_S3_Annual_cSoil.nc.tar.gz': ('cSoil', 'tar.gz', 'yr',
                                                 True),
            'YIBs_S3_Monthly_nbp.nc': ('nbp', 'nc', 'mon', True),
            'CLASS-CTEM_S3_monthly_gpp.nc': ('gpp', 'nc', 'mon', True),
            'CARDAMOM_S3_mean_annual_fLuc.nc': ('fLuc', 'nc', 'yr', True),
            'ISAM_S3_LAI.nc': ('lai', 'nc', None, True),
            'CABLE-POP_S3_fLUC.nc': ('fLuc', 'nc', None, True),
            # Shapes no listed round has, which the grammar reads anyway.
            'X_S3_gpp_1700-2024.nc': ('gpp', 'nc', None, True),
            'X_S3_nbp_annual_1700-2024.nc.gz': ('nbp', 'gz', 'yr', True),
            'X_S3_Monthly_tas_2000.nc': ('tas', 'nc', 'mon', True),
            'X_S3_pr_mon.nc': ('pr', 'nc', 'mon', True),
        }
        for name, want in cases.items():
            self.assertEqual(self.name('S3', name), want, name)

    def test_variants_are_other_variables(self):
        for name, var in (('CLM_S3_laipft.nc', 'lai'),
                          ('X_S3_gpp_perpft_lu.nc', 'gpp'),
                          ('X_S3_lai_PFT01.nc', 'lai'),
                          ('X_S3_lai_PFT_01.nc', 'lai'),
                          ('X_S3_npppft_PFT77.nc', 'npp'),
                          ('JULES_S3_lai_tile.nc', 'lai'),
                          ('CLM_S3_nbppft_lu.nc', 'nbp'),
                          ('X_S3_gppLut.nc', 'gpp'),
                          ('X_S3_raGrass.nc', 'ra'),
                          ('LPJmL_S3_cSoilpools.nc', 'cSoil'),
                          ('JULES_S3_npp_nlim.nc', 'npp'),
                          ('X_S3_laipft_1700-2024.nc', 'lai')):
            kind, reason = self.refused('S3', name)
            self.assertEqual(kind, 'variant', name)
            self.assertIn('variant of %s' % var, reason, name)
        # models/ [token] says a variant is the variable.
        self.assertEqual(self.name('S3', 'JULES_S3_npp_nlim.nc',
                                   {'npp_nlim': 'npp'}),
                         ('npp', 'nc', None, True))

    def test_not_the_table(self):
        for name in ('ISBA-CTRIP_S3_mrsos.nc', 'E3SM_S3_prsn.nc',
                     'CARDAMOM_S3_GPP_OBS.nc', 'X_S3_snowdepth.nc'):
            self.assertEqual(self.refused('S3', name)[0], 'other-var', name)
        self.assertEqual(self.refused('S3', 'A_S2_gpp.nc')[0], 'name')
        self.assertEqual(self.refused('S3', '_S3_gpp.nc')[0], 'name')
        self.assertEqual(self.refused('S3', 'X_S3_gpp.grb')[0], 'name')

    def test_not_output(self):
        for rel, name in (((), 'README'), (('S3',), 'README.txt'),
                          (('S3',), 'CABLE-POP_zonalNBP_S3.txt'),
                          (('S3',), 'X_S3_nbp.csv'), ((), 'nbp_zonal.py'),
                          (('S3',), '.keep'), ((), 'GCP2024_x_md5.log'),
                          ((), 'LAND_AREA_DLEM.nc'), ((), 'visit_area.nc'),
                          (('S2',), 'OCN_S2_area.nc'),
                          (('S3',), 'CLM6.0_S3_gridArea.nc'),
                          (('S3',), 'TEM_S3_oceanCoverFrac.nc'),
                          (('S3', 'OLDs'), 'VISIT-UT_S3_gpp.nc'),
                          (('S0', 'OLD'), 'VISIT-UT_S0_gpp.nc'),
                          (('climate',), 'crujra.tmp.nc'),
                          (('Ancillary',), 'x.nc')):
            with self.assertRaises(tp.NotConverted, msg=name) as cm:
                tp.not_output(self.g, rel, name)
            self.assertEqual(cm.exception.kind, 'not-output', name)
        tp.not_output(self.g, ('S3',), 'X_S3_burntArea.nc')

    def test_output_dir(self):
        self.assertEqual(tp.output_dir('CLM5.0', 'S3'), 'CLM5.0')
        self.assertEqual(tp.output_dir('CLM5.0', 'S0'), 'CLM5.0_S0')

    def test_check_name(self):
        for bad in ('', '..', '.x', 'a/b', 'a\\b', 'a\x01', 'a$b', 'a"b',
                    "a'b", 'a|b', 'a\udcffb'):
            self.assertIsNotNone(tp.name_problem('model', bad), repr(bad))
            with self.assertRaises(tp.NotConverted, msg=repr(bad)):
                tp.check_name('variable', bad, 'here')
        for reserved in ('stats', 'check', 'report', 'ilamb', 'logs', 'Stats'):
            self.assertIn("tool's own trees", tp.name_problem('model', reserved))
        self.assertIsNone(tp.name_problem('variable', 'stats'))
        self.assertIsNone(tp.name_problem('model', 'CLM5.0 (v2)'))

    def test_path_problem(self):
        """What Ninja cannot carry is a reason to skip one file; everything
        else (spaces, ':', '$', quotes, tabs) is escaped."""
        for bad, why in (('a\nb', 'line break'), ('a\rb', 'line break'),
                         ('a|b', "'|'"), ('a\udcffb', 'not UTF-8')):
            self.assertIn(why, tp.path_problem(bad), repr(bad))
            with self.assertRaises(tp.GenerateError, msg=repr(bad)):
                tp.check_path(bad)
        for good in ('dir with spaces/a:b.nc', 'a$b', 'a`b', 'a"b', "a'b",
                     'a\tb', 'a#b;c&d'):
            self.assertIsNone(tp.path_problem(good), repr(good))
            tp.check_path(good)

    def test_picture_names(self):
        """Two outputs never share a picture (issue 20): names safe() maps
        alike get a hash; the same output keeps its name."""
        import t2i_pictures as tpic
        used = {}
        a = tpic.unique_stem(used, ('A+B', 'gpp'), tpic.safe('A+B_gpp'))
        b = tpic.unique_stem(used, ('A_B', 'gpp'), tpic.safe('A_B_gpp'))
        c = tpic.unique_stem(used, ('A_gpp', 'x'), tpic.safe('A_gpp_x'))
        d = tpic.unique_stem(used, ('A', 'gpp_x'), tpic.safe('A_gpp_x'))
        self.assertEqual((a, c), ('A_B_gpp', 'A_gpp_x'))
        self.assertEqual(len({a, b, c, d}), 4)
        self.assertEqual(tpic.unique_stem(used, ('A+B', 'gpp'), 'A_B_gpp'), a)

    def test_printable(self):
        self.assertEqual(tp.printable('a\tb\nc\x1bd'), 'a\\tb\\nc\\x1bd')
        self.assertEqual(tp.printable('bad\udcffname'), 'bad\\xffname')
        self.assertEqual(tp.printable('caf\u00e9 \u2103'), 'caf\u00e9 \u2103')

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
        self.assertEqual(m.flags('gpp'), ['--var', 'gpp', '--area-basis',
                                          'cell'])

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
            '--reduce', 'PFT=sum', '--area-basis', 'cell'])
        self.assertEqual(m.flags('gpp'), [
            '--var', 'gpp', '--time-units', 'days since 2003-01-01',
            '--missing', '-9999.0', '--missing', '1e+20',
            '--area-basis', 'cell'])

    def test_land_rule(self):
        # A land rule makes every variable per m2 of land.
        m = tp.read_model(self.toml('land_rule = "ocean_cover_frac"\n'
                                    'land_file = "S3/M_S3_oceanCoverFrac.nc"\n'))
        self.assertEqual(m.land, {'land_rule': 'ocean_cover_frac',
                                  'land_file': 'S3/M_S3_oceanCoverFrac.nc'})
        self.assertEqual(m.flags('gpp')[-2:], ['--area-basis', 'land'])
        cases = [('land_rule = "ocean"\nland_file = "x.nc"\n',
                  'land_rule: expected one of'),
                 ('land_rule = "sftlf"\n', 'land_rule and land_file go '
                  'together'),
                 ('land_rule = "land_area"\nland_file = "a.nc"\n',
                  'needs land_var'),
                 ('land_rule = "sftlf"\nland_file = "../x.nc"\n',
                  "a path below the model's archive directory")]
        for text, words in cases:
            with self.assertRaises(tp.GenerateError, msg=text) as cm:
                tp.read_model(self.toml(text))
            self.assertIn(words, str(cm.exception))

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
             'IBIS/S1/IBIS_S1_mrro.nc': 0,
             'IBIS/FS4/IBIS_FS4_mrro.nc': 0}

    def test_land_jobs(self):
        # One area job per output directory; this archive has no
        # oceanCoverFrac file for CLM5.0 or IBIS (their models/ name one):
        # 'missing', so no edge and the report says it.
        p = self.plan()
        land = {lj.odir: lj for lj in p.land}
        self.assertEqual(sorted(land), ['CLM5.0', 'CLM5.0_S2', 'IBIS',
                                        'IBIS_S1'])
        lj = land['CLM5.0_S2']
        self.assertEqual((lj.rule, lj.kind, lj.areacella, lj.sftlf),
                         ('ocean_cover_frac', 'missing',
                          'OUT/CLM5.0_S2/areacella.nc',
                          'OUT/CLM5.0_S2/sftlf.nc'))
        self.assertEqual(lj.input, os.path.join(
            self.arch, 'CLM5.0/S3/CLM6.0_S3_oceanCoverFrac.nc'))

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
        # models/CLM5.0.toml has a land rule: values per m2 of land.
        self.assertEqual(j.toml, 'models/CLM5.0.toml')
        self.assertEqual(j.flags, ['--var', 'evapotrans', '--area-basis',
                                   'land'])
        # A CDL input is converted from its ncgen'd copy under build/.
        c = by_out['OUT/IBIS/mrro.nc']
        self.assertEqual(c.kind, 'cdl')
        self.assertEqual(c.src, 'build/sample/IBIS/S3/IBIS_S3_mrro.nc')

    def test_order_and_skips(self):
        p = self.plan()
        self.assertEqual([j.size for j in p.jobs], [7000, 5000, 100, 0])
        reasons = {os.path.basename(s.path): s.reason for s in p.skipped}
        self.assertEqual(reasons['notes.txt'],
                         'a text file (zonal table or notes)')
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


class Choice(Archive):
    """One output per model/simulation/variable: the stated rules, each
    loser skipped naming the winner."""
    files = {'M/S3/M_S3_gpp.nc': 1, 'M/S3/M6_S3_gpp.nc': 1,
             'M/S3/M_S3_nbp.nc': 9, 'M/S3/M_S3_nbpAnnual.nc': 9,
             'M/S3/M_S3_Monthly_nbp.nc': 9,
             'M/S3/M_S3_lai.nc.gz': 5, 'M/S3/M_S3_LAI.nc': 5,
             'M/S3/M_S3_tas.nc.gz': 5, 'M/S3/M_S3_tas.nc': 5,
             'M/S3/M_S3_cVeg_annual.nc': 2}

    def test_rules(self):
        p = self.plan()
        got = {j.out: os.path.basename(j.input) for j in p.jobs}
        self.assertEqual(got, {'OUT/M/gpp.nc': 'M_S3_gpp.nc',
                               'OUT/M/nbp.nc': 'M_S3_nbp.nc',
                               'OUT/M/lai.nc': 'M_S3_lai.nc.gz',
                               'OUT/M/tas.nc': 'M_S3_tas.nc',
                               'OUT/M/cVeg.nc': 'M_S3_cVeg_annual.nc'})
        why = {os.path.basename(s.path): s.reason for s in p.skipped}
        self.assertEqual(len(why), 5)
        a = os.path.join(self.arch, 'M/S3/')
        self.assertEqual(why['M6_S3_gpp.nc'], 'same output as %sM_S3_gpp.nc, '
                         'which is converted: the name whose prefix is the '
                         'model directory wins' % a)
        self.assertIn('M_S3_nbp.nc, which is converted: monthly wins over '
                      'annual', why['M_S3_nbpAnnual.nc'])
        self.assertIn('M_S3_nbp.nc, which is converted: the plain name wins',
                      why['M_S3_Monthly_nbp.nc'])
        self.assertIn('M_S3_lai.nc.gz, which is converted: the plain name',
                      why['M_S3_LAI.nc'])
        self.assertIn('M_S3_tas.nc, which is converted: an uncompressed',
                      why['M_S3_tas.nc.gz'])
        self.assertTrue(all(s.kind == 'superseded' for s in p.skipped))


class Layout(Archive):
    """models/ [layout]: nested and superseding directories, OLD copies,
    extra simulations."""
    files = {'L/S0/L_S0_gpp.nc': 1, 'L/S0/L_S0_npp.nc': 1,
             'L/update/L_S0_gpp.nc': 2, 'L/update/L_S2_lai.nc': 2,
             'L/S3/OLDs/L_S3_gpp.nc': 3, 'L/S3/L_S3_gpp.nc': 3,
             'L/S3/N/L_S3_npp.nc': 4, 'L/S3/X/L_S3_rh.nc': 4,
             'L/FS4/L_FS4_gpp.nc': 5, 'L/junk/L_S3_ra.nc': 6,
             'L/README': 7}
    toml = ('[layout]\nnested = ["S3/N"]\n'
            'supersede = { "update" = ["S0", "S1", "S2", "S3"] }\n')

    def setUp(self):
        super().setUp()
        self.models = os.path.join(ROOT, tp.MODELS, 'L.toml')
        self.assertFalse(os.path.exists(self.models))
        with open(self.models, 'w') as f:
            f.write(self.toml)

    def tearDown(self):
        os.remove(self.models)
        super().tearDown()

    def test_layout(self):
        p = self.plan()
        got = {j.out: os.path.relpath(j.input, self.arch) for j in p.jobs}
        self.assertEqual(got, {'OUT/L_S0/gpp.nc': 'L/update/L_S0_gpp.nc',
                               'OUT/L_S0/npp.nc': 'L/S0/L_S0_npp.nc',
                               'OUT/L_S2/lai.nc': 'L/update/L_S2_lai.nc',
                               'OUT/L/gpp.nc': 'L/S3/L_S3_gpp.nc',
                               'OUT/L/npp.nc': 'L/S3/N/L_S3_npp.nc'})
        kinds = {os.path.relpath(s.path, self.arch): s.kind
                 for s in p.skipped}
        self.assertEqual(kinds, {'L/S0/L_S0_gpp.nc': 'superseded',
                                 'L/S3/OLDs/L_S3_gpp.nc': 'not-output',
                                 'L/S3/X/L_S3_rh.nc': 'layout',
                                 'L/junk/L_S3_ra.nc': 'layout',
                                 'L/README': 'not-output'})
        (cov,) = p.coverage
        self.assertEqual((cov.seen, cov.unselected, cov.relevant,
                          cov.planned), (11, 1, 6, 5))
        # FS4 converts when asked for.
        self.assertEqual([j.out for j in self.plan(sims=['FS4']).jobs],
                         ['OUT/L_FS4/gpp.nc'])

    def test_packed_scratch(self):
        make_archive(self.arch, {'L/S3/L_S3_ra.nc.tar.gz': 10})
        (j,) = [j for j in self.plan().jobs if j.outvar == 'ra']
        self.assertEqual((j.kind, j.scratch, j.check_scratch, j.src),
                         ('tar.gz', 'build/scratch/OUT/L/ra.nc',
                          'build/scratch/OUT/L/ra.check.nc', j.input))


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
