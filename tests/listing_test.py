#!/usr/bin/env python3
"""The plan on the real archive's names: TRENDY v13 and v14 rebuilt as
sparse files of the listed sizes from tests/data/trendy-v13-v14-listing.tsv
(public file index; nothing is read from the files).

The truth is written here, independently of t2i_plan's grammar: a plain
regular expression over the listing, the decorations doc/quirks.md#R-02
names, and the layout facts a reader of the listing finds (CARDAMOM's v13
nesting, LPX/update/, CLASSIC/correctedS2/, LPJ-GUESS's arh). A file is
relevant when it holds a variable of tables/variables.tsv for S0-S3. The
test checks that every relevant model/simulation/variable triple gets
exactly one conversion, of the right file; that superseded and non-output
files get none; that the graph loads in Ninja (ninja -n); and prints the
coverage per round (with what a plain *_<SIM>_<var>.nc scan would plan).

Run from anywhere; the last line is the tally "N passed, M failed".
"""

import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import t2i_plan as tp  # noqa: E402

LISTING = os.path.join(ROOT, 'tests', 'data', 'trendy-v13-v14-listing.tsv')
SIMS = ('S0', 'S1', 'S2', 'S3')
NAME = re.compile(r'(?P<prefix>.+)_(?P<sim>S[0-3])_(?P<rest>.+?)'
                  r'(?P<ext>\.nc(?:\.gz|\.bz2|\.tar\.gz)?)')
# Decorations of doc/quirks.md#R-02 (and the listing's CARDAMOM
# mean_annual_): (pattern, annual?).
DECORATIONS = [(re.compile(r'(?i)mean_annual_(.+)'), True),
               (re.compile(r'(?i)annual_(.+)'), True),
               (re.compile(r'(?i)monthly_(.+)'), False),
               (re.compile(r'(?i)(.+?)_?annual'), True),
               (re.compile(r'(?i)(.+?)_?monthly'), False)]
NEVER = {'old', 'olds', 'orig', 'climate', 'ancillary'}
# Layout facts read from the listing (and models/, which must agree).
NESTED = {('CARDAMOM', 'S3/CARDAMOM'), ('CARDAMOM', 'S2/CARDAMOM')}
CORRECTIONS = {('LPX', 'update'), ('CLASSIC', 'correctedS2')}
# Tokens that are a table variable although no decoration says so.
TOKENS = {('LPJ-GUESS', 'arh'): 'rh'}


def read_listing():
    rounds = {}
    with open(LISTING, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or line.startswith('round\t'):
                continue
            rnd, path, size, _ = line.rstrip('\n').split('\t')
            rounds.setdefault(rnd, []).append((path, int(size)))
    return rounds


def truth(files, table):
    """{(model, sim, outvar): (winner path, [loser paths])} for one round."""
    lower = {k.lower(): k for k in table}
    claims = {}
    for path, _ in files:
        parts = path.split('/')
        model, dirs, name = parts[0], parts[1:-1], parts[-1]
        if not dirs or any(d.lower() in NEVER for d in dirs):
            continue
        m = NAME.fullmatch(name)
        if not m:
            continue
        where = '/'.join(dirs)
        correction = (model, where) in CORRECTIONS
        if not correction and not (len(dirs) == 1 and dirs[0] in SIMS) \
                and (model, where) not in NESTED:
            continue
        if not correction and m['sim'] != dirs[0]:
            continue
        rest, annual, decorated = m['rest'], False, False
        var = TOKENS.get((model, rest)) or lower.get(rest.lower())
        if var is not None:
            decorated = rest != var
        else:
            for pattern, is_annual in DECORATIONS:
                d = pattern.fullmatch(rest)
                if d and d[1].lower() in lower:
                    var, annual, decorated = lower[d[1].lower()], is_annual, \
                        True
                    break
        if var is None:
            continue
        # Preference: the correction, then monthly, then the plain name,
        # then uncompressed.
        key = (not correction, annual, decorated, m['ext'] != '.nc', path)
        # A variable with two table lines (msl: mrsol and mrsos) is two
        # outputs of the same file.
        for out in [table[var]] + getattr(table, 'extra', {}).get(var, []):
            claims.setdefault((model, m['sim'], out), []).append((key, path))
    return {k: (sorted(v)[0][1], [p for _, p in sorted(v)[1:]])
            for k, v in claims.items()}


def plain_scan(files, table):
    """Triples a plain <MODEL>/<SIM>/*_<SIM>_<var>.nc scan finds (the
    scanner before issue 11), for the comparison table."""
    out = set()
    for path, _ in files:
        parts = path.split('/')
        if len(parts) != 3 or parts[1] not in SIMS:
            continue
        mark = '_%s_' % parts[1]
        name = parts[2]
        if not name.endswith('.nc') or mark not in name:
            continue
        var = name[name.rfind(mark) + len(mark):-3]
        if var in table:
            out.add((parts[0], parts[1], table[var]))
    return out


class Listing(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.table = tp.read_table(os.path.join(ROOT, tp.TABLE))
        cls.rounds = read_listing()
        cls.plans, cls.seconds = {}, {}
        os.chdir(ROOT)
        for rnd, files in cls.rounds.items():
            for path, size in files:
                full = os.path.join(cls.tmp.name, rnd, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, 'wb') as f:
                    f.truncate(size)
            start = time.monotonic()
            cls.plans[rnd] = tp.plan(tp.Options(
                input=os.path.join(cls.tmp.name, rnd), out='OUT'), cls.table)
            cls.seconds[rnd] = time.monotonic() - start

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def rel(self, rnd, path):
        return os.path.relpath(path, os.path.join(self.tmp.name, rnd))

    def test_rounds_listed(self):
        self.assertEqual({r: len(f) for r, f in self.rounds.items()},
                         {'v13': 6678, 'v14': 6199})

    def test_every_relevant_triple_once_from_the_right_file(self):
        for rnd, files in sorted(self.rounds.items()):
            want = truth(files, self.table)
            jobs = self.plans[rnd].jobs
            got = {}
            for j in jobs:
                key = (j.model, j.sim, j.outvar)
                self.assertNotIn(key, got, 'two edges for %s %s' % (rnd, key))
                got[key] = self.rel(rnd, j.input)
            self.assertEqual(sorted(set(want) - set(got)), [],
                             '%s: relevant triples not planned' % rnd)
            self.assertEqual(sorted(set(got) - set(want)), [],
                             '%s: planned triples that are not relevant'
                             % rnd)
            wrong = {k: (got[k], want[k][0]) for k in want
                     if got[k] != want[k][0]}
            self.assertEqual(wrong, {}, '%s: (planned, right) file' % rnd)
            outs = {j.out for j in jobs}
            self.assertEqual(len(outs), len(jobs))

    def test_superseded_and_non_output_files_get_no_edge(self):
        for rnd, files in sorted(self.rounds.items()):
            want = truth(files, self.table)
            planned = {self.rel(rnd, j.input) for j in self.plans[rnd].jobs}
            losers = {p for _, ls in want.values() for p in ls}
            self.assertEqual(planned & losers, set())
            for p in planned:
                self.assertFalse(
                    set(p.lower().split('/')[:-1]) & NEVER, p)
            # Every loser is skipped as superseded, naming the file kept.
            skipped = {self.rel(rnd, s.path): s for s in
                       self.plans[rnd].skipped}
            for key, (winner, ls) in want.items():
                for p in ls:
                    self.assertEqual(skipped[p].kind, 'superseded', p)
                    self.assertIn(winner, skipped[p].reason, p)
            # The corrections the groups uploaded win (issue 11: 4 in v13,
            # 17 in v14; and CLASSIC's correctedS2 fBNF, msl, tsl since
            # issue 14).
            fixed = [p for p in planned if p.split('/')[1] in
                     ('update', 'correctedS2')]
            self.assertEqual(len(fixed), {'v13': 4, 'v14': 20}[rnd])

    def test_every_file_accounted_for(self):
        for rnd, files in sorted(self.rounds.items()):
            p = self.plans[rnd]
            seen = sum(c.seen for c in p.coverage)
            self.assertEqual(seen, len(files))
            self.assertEqual(len({j.input for j in p.jobs}) + len(p.skipped) +
                             sum(c.unselected for c in p.coverage),
                             len(files))

    def test_graph_loads_in_ninja(self):
        for rnd in sorted(self.rounds):
            graph = os.path.join(self.tmp.name, rnd + '.ninja')
            start = time.monotonic()
            subprocess.run(
                [sys.executable, os.path.join(ROOT, 'generate.py'),
                 '--input', os.path.join(self.tmp.name, rnd),
                 '--out', os.path.join(self.tmp.name, 'out-' + rnd),
                 '--builddir', os.path.join(self.tmp.name, 'b-' + rnd),
                 '-o', graph], check=True, stdout=subprocess.DEVNULL)
            self.seconds['generate.py ' + rnd] = time.monotonic() - start
            r = subprocess.run(['ninja', '-f', graph, '-n', 'convert',
                                'check'], cwd=ROOT, capture_output=True,
                               text=True)
            self.assertEqual(r.returncode, 0, r.stderr[-2000:])
            self.assertIn('CONVERT', r.stdout)

    def test_zz_coverage_table(self):
        print('\nround  relevant  planned  coverage  plain-scan  '
              'compressed  plan s')
        for rnd, files in sorted(self.rounds.items()):
            want = truth(files, self.table)
            jobs = self.plans[rnd].jobs
            ok = sum(1 for j in jobs if (j.model, j.sim, j.outvar) in want)
            old = len(plain_scan(files, self.table) & set(want))
            print('%-5s  %8d  %7d  %7.1f%%  %9.1f%%  %10d  %6.2f' % (
                rnd, len(want), ok, 100.0 * ok / len(want),
                100.0 * old / len(want), sum(j.packed for j in jobs),
                self.seconds[rnd]))
        for k, v in sorted(self.seconds.items()):
            if k.startswith('generate.py'):
                print('%s: %.2f s wall' % (k, v))


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
