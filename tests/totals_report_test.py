#!/usr/bin/env python3
"""Unit tests of the report's global totals (t2i_totals.py): the common
window, the ensemble median and the outliers, on check results written
here. Expected numbers are worked out by hand in the comments.

Run from anywhere; the last line is the tally "N passed, M failed".
"""

import os
import sys
import unittest
from types import SimpleNamespace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import t2i_totals as tt  # noqa: E402


def row(odir, var, years, values, sim='S3', kind='flux', units='PgC yr-1'):
    return SimpleNamespace(
        state='converted', sim=sim, outvar=var,
        output='out/%s/%s.nc' % (odir, var),
        check={'annual': {'kind': kind, 'units': units, 'years': years,
                          'values': values}})


class Totals(unittest.TestCase):
    def test_factor_1000_is_an_outlier(self):
        # Medians of 120, 130, 0.125 and 110: (110 + 120) / 2 = 115;
        # 0.125 / 115 < 1/3, the others within a factor 3.
        rows = [row('A', 'gpp', [2000], [120]), row('B', 'gpp', [2000], [130]),
                row('C', 'gpp', [2000], [0.125]), row('D', 'gpp', [2000], [110])]
        tables, out = tt.totals_tables(rows)
        self.assertEqual(tables['S3']['gpp']['median'], 115)
        self.assertEqual([(o['dir'], o['variable'], o['value'], o['median'])
                          for o in out], [('C', 'gpp', 0.125, 115)])

    def test_nbp_sign(self):
        # nbp 2, 3, -2.5: median 2; -2.5 has the opposite sign.
        rows = [row('A', 'nbp', [2000], [2]), row('B', 'nbp', [2000], [3]),
                row('C', 'nbp', [2000], [-2.5])]
        tables, out = tt.totals_tables(rows)
        self.assertEqual([(o['dir'], o['reason']) for o in out],
                         [('C', 'sign opposite to the median (nbp)')])

    def test_window_last_20_common_years(self):
        # A has 1980-2020, B 1990-2024: common 1990-2020, last 20 are
        # 2001-2020; A's values are the year itself: mean 2010.5.
        a = list(range(1980, 2021))
        b = list(range(1990, 2025))
        tables, _ = tt.totals_tables([row('A', 'cVeg', a, a, kind='pool'),
                                      row('B', 'cVeg', b, [1.0] * len(b),
                                          kind='pool')])
        e = tables['S3']['cVeg']
        self.assertEqual((e['window'], e['nyears']), ([2001, 2020], 20))
        self.assertEqual(e['values']['A'], 2010.5)

    def test_no_common_year(self):
        # Disjoint spans (the sample): each output's own years, stated.
        tables, _ = tt.totals_tables([row('A', 'lai', [2000, 2001], [1, 3]),
                                      row('B', 'lai', [2003], [4])])
        e = tables['S3']['lai']
        self.assertIsNone(e['window'])
        self.assertEqual(e['values'], {'A': 2, 'B': 4})

    def test_one_model_no_outlier(self):
        _, out = tt.totals_tables([row('A', 'gpp', [2000], [1e6])])
        self.assertEqual(out, [])

    def test_simulations_apart(self):
        # S2's 1000 is not compared with S3's ones.
        rows = [row('A', 'gpp', [2000], [1]), row('B', 'gpp', [2000], [1]),
                row('A_S2', 'gpp', [2000], [1000], sim='S2')]
        tables, out = tt.totals_tables(rows)
        self.assertEqual(sorted(tables), ['S2', 'S3'])
        self.assertEqual(out, [])


if __name__ == '__main__':
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print('%d passed, %d failed' % (result.testsRun - failed, failed))
    sys.exit(1 if failed else 0)
