#!/usr/bin/env python3
"""Write build.ninja: build the converter, then convert a TRENDY archive.

    ./generate.py [--input ARCHIVE] [--out DIR] [--sims S3,...] [--models A,B]
                  [--vars x,y] [--shard I/N] [--shard-by bytes|count]
                  [--big-jobs K] [--big-bytes B] [--inflate-jobs K]
                  [--launcher CMD] [--timeout S] [--timeout-per-gb S]
                  [--converter PATH] [--verifier PATH] [--inflater PATH]
                  [--area-tool PATH]
                  [--prebuilt] [--builddir DIR] [-o build.ninja]

build.ninja = build.ninja.in + every rules/*.ninja (sorted) + the edges made
here: C objects and programs found in src/ and tests/, one ncgen edge per
*.cdl file of the archive, one conversion edge per archive file, phony
aggregates and the edge that regenerates build.ninja itself. Every path is
relative to the directory of this script, where ninja must run.

What is converted, from which file, to where, is the plan (t2i_plan.py:
scan, the file-name grammar of tables/names.tsv, models/, the variables
table, one output per model/simulation/variable, shards); this file only
writes it as a graph, and prints the coverage table (<out>/coverage.tsv).
Files that are not converted are listed with the reason in
<out>/skipped.tsv and in a comment block of build.ninja. A compressed
input is one edge (rule convert_packed, pool inflate) that decompresses it
with t2i-inflate to a scratch file under build/scratch/, converts it and
removes it.

Each output also gets a t2i-verify edge (<out>/check/<dir>/<var>.json, phony
'check'), and 'ninja report' runs report.py, which plans the same archive
and writes <out>/report/ from the stats and check results.
(`generate.py --report ...` is kept as another name for report.py.)
'ninja ilamb' runs ilamb_setup.py once per simulation: <out>/ilamb/<SIM>/
with ILAMB 2's and ilamb3's setup files and run.sh.

Conversions and checks run through <-o FILE>.launch, a wrapper holding the
--launcher words (e.g. srun): switching the launcher reconverts nothing.
The wrapper also bounds each under coreutils timeout: --timeout seconds plus
--timeout-per-gb seconds per GiB of input (0: no limit), so one hanging
file cannot stop `ninja -k 0` from ending.
--shard I/N keeps one of N parts balanced by input bytes and writes
<out>/shards.tsv, from which the report gives each shard's progress
(slurm/convert.sbatch runs one shard per Slurm array task).
"""

import argparse
import os
import re
import shlex
import sys
import textwrap

import report as run_report
import t2i_land
import t2i_plan
from t2i_plan import (CONVERTER, MODELS, NAMES, TABLE, VERIFIER,
                      GenerateError, coverage_tsv, ncgen_kind, read_table,
                      skipped_tsv, write_file)

ROOT = os.path.dirname(os.path.abspath(__file__))
RULES = 'rules'
# Decompresses a .nc.gz, .nc.bz2 or .nc.tar.gz input to a scratch file
# (src/inflate_main.c): `t2i-inflate IN OUT`, exit 1 and one line on damage.
INFLATER = 'build/t2i-inflate'
# Inputs larger than this (bytes) run in pool 'big': a few multi-GB TRENDY
# files at once, not 48.
BIG_BYTES = 1 << 30
# Default time limit of one conversion or check: BASE seconds plus PER_GB
# seconds per GiB of input. A 1.5 GB file converts in about a minute on one
# core (README, Performance), so this only stops what hangs (HDF5 1.10 can
# loop for ever inside nc_open on a damaged global heap).
TIMEOUT_BASE = 300
TIMEOUT_PER_GB = 300
# Decompression limits of a compressed input (issue 20): t2i-inflate stops
# a container that inflates past max(FLOOR, RATIO x its compressed size)
# bytes (TRENDY's gzipped netCDF inflates 2-20x, an all-fill one up to a
# few hundred; a bomb far more), and keeps KEEP_FREE bytes free.
INFLATE_RATIO = 200
INFLATE_FLOOR = 1 << 30
INFLATE_KEEP_FREE = 256 << 20
# Seconds between timeout's TERM and its KILL.
TIMEOUT_GRACE = 10
GIB = 1 << 30


# ---------------------------------------------------------------- writer
# After Ninja's misc/ninja_syntax.py.

def escape_path(word):
    """Escapes a path for a build line: '$' -> '$$', ' ' -> '$ ', ':' ->
    '$:'. A '|' or a line break cannot be escaped: the plan skips such
    paths (t2i_plan.path_problem)."""
    return word.replace('$', '$$').replace(' ', '$ ').replace(':', '$:')


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
    run_report.add_plan_options(p)
    p.add_argument('--shard', help='I/N: keep the I-th of N disjoint parts '
                   'of the archive (see --shard-by)')
    p.add_argument('--shard-by', choices=('bytes', 'count'), default='bytes',
                   help='bytes (default): biggest input first into the '
                        'shard with the fewest bytes; count: every N-th '
                        'input (sorted paths) from the I-th')
    p.add_argument('--big-jobs', type=int, default=4,
                   help='depth of pool big (default 4)')
    p.add_argument('--inflate-jobs', type=int, default=2,
                   help='depth of pool inflate: compressed inputs '
                        'decompressed at once (default 2)')
    p.add_argument('--inflate-ratio', type=int, default=INFLATE_RATIO,
                   help='a compressed input may inflate to this many times '
                        'its size, at least %d bytes (default %d)'
                        % (INFLATE_FLOOR, INFLATE_RATIO))
    p.add_argument('--inflate-keep-free', type=int, default=INFLATE_KEEP_FREE,
                   help='bytes decompression leaves free on the scratch '
                        'file system (default %d)' % INFLATE_KEEP_FREE)
    p.add_argument('--big-bytes', type=int, default=BIG_BYTES,
                   help='inputs above this size go in pool big '
                        '(default %d)' % BIG_BYTES)
    p.add_argument('--launcher', default='',
                   help='command prefixed to every conversion '
                        '(e.g. srun ...)')
    p.add_argument('--converter', default=CONVERTER,
                   help='converter program (default %s, built by the '
                        'graph)' % CONVERTER)
    p.add_argument('--verifier', default=VERIFIER,
                   help='checker program (default %s, built by the graph)'
                        % VERIFIER)
    p.add_argument('--inflater', default=INFLATER,
                   help='decompressor of .nc.gz, .nc.bz2 and .nc.tar.gz '
                        'inputs (default %s, built by the graph)' % INFLATER)
    p.add_argument('--area-tool', default=t2i_land.AREA,
                   help='writer of areacella and sftlf (default %s, built by '
                        'the graph)' % t2i_land.AREA)
    p.add_argument('--prebuilt', action='store_true',
                   help='the graph does not build %s, %s and %s: they '
                        'are plain inputs, built by another graph (job '
                        'arrays: one build for every shard)'
                        % (CONVERTER, VERIFIER, INFLATER))
    p.add_argument('--timeout', type=int, default=TIMEOUT_BASE,
                   help='seconds every conversion and check may run, plus '
                        '--timeout-per-gb per GiB of input; 0: no limit '
                        '(default %d)' % TIMEOUT_BASE)
    p.add_argument('--timeout-per-gb', type=int,
                   default=TIMEOUT_PER_GB,
                   help='seconds added per GiB of input (default %d)'
                        % TIMEOUT_PER_GB)
    p.add_argument('--report', action='store_true',
                   help='write the run report instead (as report.py does; '
                        'only the selection options and --builddir count)')
    p.add_argument('-o', dest='output', default='build.ninja',
                   help='file to write (default build.ninja)')
    args = p.parse_args(argv)
    if args.inflate_ratio < 1 or args.inflate_keep_free < 0:
        p.error('--inflate-ratio must be at least 1, --inflate-keep-free '
                'at least 0')
    if args.big_jobs < 1 or args.inflate_jobs < 1:
        p.error('--big-jobs and --inflate-jobs must be at least 1')
    if args.timeout < 0 or args.timeout_per_gb < 0:
        p.error('--timeout and --timeout-per-gb must be 0 or more')
    if args.shard is not None:
        m = re.fullmatch(r'(\d+)/(\d+)', args.shard)
        if not m or int(m.group(2)) < 1 or int(m.group(1)) >= int(m.group(2)):
            p.error("--shard wants I/N with 0 <= I < N, not '%s'" % args.shard)
        args.shard = (int(m.group(1)), int(m.group(2)))
    return args


rel_to_root = run_report.rel_to_root


def plan_options(args):
    """The plan's options from the command line (paths relative to ROOT)."""
    opts = run_report.plan_options(args)
    opts.shard = args.shard
    opts.shard_by = args.shard_by
    return opts


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
    if args.inflate_jobs != 2:
        out += ['--inflate-jobs', str(args.inflate_jobs)]
    if args.big_bytes != BIG_BYTES:
        out += ['--big-bytes', str(args.big_bytes)]
    if args.inflate_ratio != INFLATE_RATIO:
        out += ['--inflate-ratio', str(args.inflate_ratio)]
    if args.inflate_keep_free != INFLATE_KEEP_FREE:
        out += ['--inflate-keep-free', str(args.inflate_keep_free)]
    if args.launcher:
        out += ['--launcher', args.launcher]
    if args.timeout != TIMEOUT_BASE:
        out += ['--timeout', str(args.timeout)]
    if args.timeout_per_gb != TIMEOUT_PER_GB:
        out += ['--timeout-per-gb', str(args.timeout_per_gb)]
    if args.converter != CONVERTER:
        out += ['--converter', args.converter]
    if args.verifier != VERIFIER:
        out += ['--verifier', args.verifier]
    if args.inflater != INFLATER:
        out += ['--inflater', args.inflater]
    if args.area_tool != t2i_land.AREA:
        out += ['--area-tool', args.area_tool]
    if args.prebuilt:
        out += ['--prebuilt']
    if args.builddir:
        out += ['--builddir', args.builddir]
    out += ['-o', args.output]
    return out


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
# are the variables $a and $o; a conversion has $flags and $stats (a
# compressed one $scratch too); the stats are not a Ninja output (10 000
# more nodes to stat and log: a no-op ninja 15 % slower; the stats are
# rewritten whenever their output is); what every conversion of a model
# depends on (converter, table, models/<MODEL>.toml) is one phony
# 'uses-convert[-<MODEL>]', and the aggregates list output directories.

def shell_words(words):
    return ' '.join(escape(shlex.quote(w)) for w in words)


def inflate_words(args, j):
    """t2i-inflate's limits for a compressed input of j.size bytes."""
    return shell_words(['--max-bytes', str(max(INFLATE_FLOOR,
                                               args.inflate_ratio * j.size)),
                        '--keep-free', str(args.inflate_keep_free)])


def under(path, root, var):
    """path, escaped for a build line, written as $var/rest when it lies
    under root."""
    if path.startswith(root + '/'):
        return '$%s/%s' % (var, escape_path(path[len(root) + 1:]))
    return escape_path(path)


def under_value(path, root, var):
    """path as a variable value (only '$' needs escaping there), written as
    $var/rest when it lies under root."""
    if path.startswith(root + '/'):
        return '$%s/%s' % (var, escape(path[len(root) + 1:]))
    return escape(path)


LAUNCHER = r"""#!/bin/sh
# Written by generate.py for %(output)s: runs one conversion or check.
#   %(name)s RESULT INPUT... -- COMMAND...
#   %(name)s --fail RESULT WHY
# The first runs COMMAND%(through)s under coreutils timeout: %(limit)s.
# Past it (exit 124), or killed (137), it prints one line naming the first
# INPUT and writes RESULT as a failed result (stats and check alike), so the
# report says why; the second writes only that result. RESULT is written as
# RESULT.tmp.<pid>, created exclusively (never through a planted link), and
# renamed. Ninja records only this file's path, not its content: changing
# --launcher or --timeout reconverts nothing.
#
# One run of an edge at a time: the rules open the edge's lock file as
# descriptor 9, and this takes it (flock) before anything else, waiting up
# to the time limit while another run holds it (the orphans of a killed
# Ninja, a second ninja on the same graph). Every process of the edge
# inherits the descriptor, so the kernel frees the lock only when the last
# of them is gone. Exit 75, and RESULT untouched, when it stays taken.
#
# Ninja starts each command in a process group of its own, so a kill -9 of
# Ninja leaves its edges running. While this runs, a watchdog checks every
# half second that the Ninja that started it still exists (same pid, same start
# time) and otherwise sends SIGTERM to COMMAND, which then ends as if
# interrupted (exit 143; no result written: the rerun redoes the edge).
LOCK_BUSY=75

# write_failed RESULT WHY: WHY may quote a program's line (JSON-escaped here).
write_failed() {
    t=$1.tmp.$$
    rm -f "$t"
    why=$(printf '%%s' "$2" | tr -d '\000-\037' | sed 's/\\/\\\\/g; s/"/\\"/g')
    if (set -C && printf '{"status": "failed", "error": "%%s", "problems": ["%%s"]}\n' \
        "$why" "$why" >"$t") 2>/dev/null && mv -fT "$t" "$1"; then
        return 0
    fi
    rm -f "$t"
    echo "%(name)s: cannot write '$1'" >&2
    return 1
}

# same_process PID START: PID exists and started at START (clock ticks).
same_process() {
    _st=
    read -r _st <"/proc/$1/stat" 2>/dev/null || return 1
    _want=$2
    # shellcheck disable=SC2086
    set -- ${_st##*") "}
    [ "${20}" = "$_want" ]
}

# ninja_of PID: "pid start" of PID's nearest ancestor that is a Ninja.
ninja_of() {
    _p=$1
    _n=0
    while [ "$_n" -lt 32 ] && [ "$_p" -gt 1 ]; do
        _st=
        read -r _st <"/proc/$_p/stat" 2>/dev/null || return 0
        _name=${_st#*"("}
        _name=${_name%%")"*}
        # shellcheck disable=SC2086
        set -- ${_st##*") "}
        case $_name in ninja | ninja-build | samu) echo "$_p ${20}" && return 0 ;; esac
        _p=$2
        _n=$((_n + 1))
    done
}

# watchdog NINJA START: ends this launcher's command once that Ninja is gone.
watchdog() {
    while sleep 0.5; do
        kill -0 "$launcher" 2>/dev/null || return 0
        same_process "$1" "$2" && continue
        pkill -TERM -P "$launcher"
        return 0
    done
}

if [ "$1" = --fail ]; then
    write_failed "$2" "$3"
    exit
fi
result=$1
shift
bytes=0
first=
while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
    [ -n "$first" ] || first=$1
    size=$(stat -L -c %%s -- "$1" 2>/dev/null) || size=0
    bytes=$((bytes + size))
    shift
done
shift
%(limit_line)s
launcher=$$
dog=
boss=$(ninja_of "$$")
if [ -n "$boss" ]; then
    # shellcheck disable=SC2086
    watchdog $boss </dev/null >/dev/null 2>&1 9>&- &
    dog=$!
fi
if { true >&9; } 2>/dev/null && ! flock -n 9; then
    echo "${1##*/}: $first: another run of this edge holds its lock; waiting (up to $limit s, 0: no limit)" >&2
    if [ "$limit" = 0 ]; then flock 9; else flock -w "$limit" 9; fi || {
        echo "${1##*/}: $first: another run of this edge still held its lock; not run" >&2
        [ -z "$dog" ] || kill "$dog" 2>/dev/null
        exit "$LOCK_BUSY"
    }
fi
%(launcher)stimeout --foreground -k %(grace)d "$limit" "$@"
rc=$?
[ -z "$dog" ] || kill "$dog" 2>/dev/null
case $rc/$limit in
124/0 | [!1]*) exit "$rc" ;;
124/*) why="timed out after $limit s" ;;
137/0) why="killed (SIGKILL), perhaps out of memory" ;;
137/*) why="killed (SIGKILL): out of memory, or still running %(grace)d s after its time limit of $limit s" ;;
*) exit "$rc" ;;
esac
echo "${1##*/}: $first: $why" >&2
write_failed "$result" "$why"
exit "$rc"
"""


def write_launcher(args):
    """Writes the fixed wrapper every conversion and check runs through
    (<-o FILE>.launch): the time limit (--timeout, --timeout-per-gb) and
    the --launcher words. Its path, not its content, is in the commands
    ninja hashes, so changing either reconverts nothing. It is written only
    when its content changes; build.ninja's regenerate edge lists it as an
    output with restat, so deleting it makes ninja rerun generate.py."""
    if args.timeout:
        limit = '%d s plus %d s per GiB of the INPUTs (--timeout, ' \
            '--timeout-per-gb)' % (args.timeout, args.timeout_per_gb)
    else:
        limit = 'none (--timeout 0)'
    text = LAUNCHER % {
        'output': args.output, 'name': os.path.basename(launcher_path(args)),
        'through': ' through "%s"' % args.launcher if args.launcher else '',
        'limit': limit, 'grace': TIMEOUT_GRACE,
        'limit_line': 'limit=$((%d + (%d * bytes + %d) / %d))' % (
            args.timeout, args.timeout_per_gb, GIB // 2, GIB)
        if args.timeout else 'limit=0',
        'launcher': args.launcher + ' ' if args.launcher else ''}
    write_file(launcher_path(args), text, keep_same=True, mode=0o755)


def launcher_path(args):
    return args.output + '.launch'


def model_uses(n, jobs, what, program):
    """Phony uses-<what> (program + table) and uses-<what>-<MODEL> (+ the
    model's toml): what each conversion or check of a model depends on."""
    n.build('uses-' + what, 'phony', [program, TABLE])
    for model, toml in sorted({(j.model, j.toml) for j in jobs if j.toml}):
        n.build('uses-%s-%s' % (what, model), 'phony', [program, TABLE, toml])


def uses(what, job):
    if job.toml:
        return 'uses-%s-%s' % (what, job.model)
    return 'uses-' + what


def write_conversions(n, args, jobs):
    """One ncgen edge per CDL input, one conversion edge per job."""
    n.comment('Conversions, biggest input first (ninja starts ready edges '
              'in file order). Inputs above %d bytes run in pool big, '
              'compressed ones in pool inflate. $a is the archive, $o the '
              'output root.' % args.big_bytes)
    n.pool('big', args.big_jobs)
    n.pool('inflate', args.inflate_jobs)
    launch = launcher_path(args)
    n.variable('launch', escape(shlex.quote(
        launch if '/' in launch else './' + launch)))
    n.variable('converter', escape(shlex.quote(args.converter)))
    n.variable('inflater', escape(shlex.quote(args.inflater)))
    n.variable('table', escape(shlex.quote(TABLE)))
    n.variable('a', escape(args.input))
    n.variable('o', escape(args.out))
    model_uses(n, jobs, 'convert', args.converter)
    n.newline()
    made = set()        # one ncgen edge per input, however many outputs
    for j in jobs:
        if j.ncgen and j.ncgen not in made:
            made.add(j.ncgen)
            n.build(j.ncgen, 'ncgen', j.input,
                    variables={'kind': shlex.quote(ncgen_kind(j.input))})
            if j.src != j.ncgen:
                n.build(j.src, 'pack_' + j.kind[len('cdl.'):], j.ncgen)
        flags = ['--model', j.model, '--sim', j.sim,
                 '--out-var', j.outvar] + j.flags
        variables = {'flags': shell_words(flags),
                     'stats': under_value(j.stats, args.out, 'o')}
        if j.packed:
            # One edge decompresses, converts and removes the copy, so no
            # scratch file outlives its conversion; pool inflate bounds how
            # many (up to several GB each) exist at once.
            variables['scratch'] = escape(j.scratch)
            variables['inflate_flags'] = inflate_words(args, j)
            n.build(under(j.out, args.out, 'o'), 'convert_packed',
                    under(j.src, args.input, 'a'),
                    implicit=[uses('convert', j), args.inflater], escaped=True,
                    pool='inflate', variables=variables)
            continue
        n.build(under(j.out, args.out, 'o'), 'convert',
                under(j.src, args.input, 'a'),
                implicit=uses('convert', j), escaped=True,
                pool='big' if j.size > args.big_bytes else None,
                variables=variables)
    n.newline()


def write_land(n, args, land):
    """One t2i-area edge per output directory (rules/area.ninja), and the
    ncgen edge of a sample's land-area CDL."""
    n.comment('Land area: areacella (and sftlf) per output directory, from '
              'the land-area file of models/<MODEL>.toml or the grid of the '
              "directory's first output.")
    n.variable('area', escape(shlex.quote(args.area_tool)))
    n.build('uses-area', 'phony', [args.area_tool])
    made = set()
    for lj in land:
        if lj.kind == 'cdl' and lj.src not in made:
            made.add(lj.src)
            n.build(lj.src, 'ncgen', lj.input,
                    variables={'kind': shlex.quote(ncgen_kind(lj.input))})
        src = under(lj.src, args.out, 'o') if lj.kind == 'out' else \
            under(lj.src, args.input, 'a')
        implicit = ['uses-area'] + ([lj.toml] if lj.toml else [])
        # $out is "AREACELLA [SFTLF]", the order t2i-area takes them in.
        outs = [under(f, args.out, 'o') for f in [lj.areacella, lj.sftlf]
                if f]
        n.build(outs, 'area', src,
                implicit=[escape_path(x) for x in implicit], escaped=True,
                variables={'flags': shell_words(t2i_land.area_words(lj)),
                           'lock': under_value(os.path.join(
                               args.out, 'stats', lj.odir, 'land.lock'),
                               args.out, 'o')})
    n.newline()


def land_outputs(land):
    """{output directory: [areacella, sftlf]}."""
    return {lj.odir: [lj.areacella] + ([lj.sftlf] if lj.sftlf else [])
            for lj in land}


def write_phony(n, args, jobs, programs, land=()):
    """all, convert, one per output directory (an ILAMB model: ninja
    out/CLM5.0, with its areacella and sftlf), model-<M>, var-<outvar>,
    sim-<S>."""
    dirs, groups = {}, {}
    for odir, files in land_outputs(land).items():
        dirs.setdefault('%s/%s' % (args.out, odir), []).extend(
            under(f, args.out, 'o') for f in files)
    for j in jobs:
        odir = '%s/%s' % (args.out, j.odir)
        dirs.setdefault(odir, []).append(under(j.out, args.out, 'o'))
        for key in ('model-' + j.model, 'sim-' + j.sim):
            groups.setdefault(key, set()).add(under(odir, args.out, 'o'))
        groups.setdefault('var-' + j.outvar, set()).add(
            under(j.out, args.out, 'o'))
    n.comment('Aggregates: all (default), convert, each output directory, '
              'model-<MODEL>, var-<output variable>, sim-<SIM>.')
    for odir in sorted(dirs):
        n.build(under(odir, args.out, 'o'), 'phony', sorted(dirs[odir]),
                escaped=True)
    # convert: the conversions only; land: every directory's areacella and
    # sftlf (an output directory's phony has both: one ILAMB model).
    n.build('convert', 'phony', sorted(under(j.out, args.out, 'o')
                                       for j in jobs), escaped=True)
    n.build('land', 'phony', sorted(under(f, args.out, 'o') for files in
                                    land_outputs(land).values()
                                    for f in files), escaped=True)
    for key in sorted(groups):
        n.build(escape_path(key), 'phony', sorted(groups[key]), escaped=True)
    n.build('all', 'phony', ['convert', 'land'] + programs)
    n.default('all')
    n.newline()


def report_args(args):
    """What report.py needs to plan the same archive: the selection and
    --builddir (never the shard: a shard's `ninja report` shows every
    shard's files)."""
    words = ['--input', args.input, '--out', args.out]
    for flag, value in (('--sims', args.sims), ('--models', args.models),
                        ('--vars', args.vars), ('--builddir', args.builddir)):
        if value:
            words += [flag, value]
    return words


def write_checks(n, args, jobs, land=()):
    """One t2i-verify edge per output, phony 'check', and the report. A
    check reads its directory's areacella and sftlf (global totals)."""
    area = {lj.odir: lj for lj in land}
    n.comment('Checks (ninja check): t2i-verify per output, given the same '
              'models/ flags as the converter. Report (ninja report): '
              'out/report/index.html from every stats and check result.')
    n.variable('verifier', escape(shlex.quote(args.verifier)))
    model_uses(n, jobs, 'verify', args.verifier)
    n.newline()
    for j in jobs:
        flags = ['--out-var', j.outvar] + j.flags
        implicit = [uses('verify', j)]
        if j.odir in area:
            flags += t2i_land.check_words(area[j.odir])
            implicit += [under(f, args.out, 'o')
                         for f in land_outputs([area[j.odir]])[j.odir]]
        variables = {'flags': shell_words(flags)}
        if j.packed:
            variables['scratch'] = escape(j.check_scratch)
            variables['inflate_flags'] = inflate_words(args, j)
            n.build(under(j.check, args.out, 'o'), 'verify_packed',
                    [under(j.src, args.input, 'a'),
                     under(j.out, args.out, 'o')],
                    implicit=implicit + [args.inflater], escaped=True,
                    pool='inflate', variables=variables)
            continue
        n.build(under(j.check, args.out, 'o'), 'verify',
                [under(j.src, args.input, 'a'), under(j.out, args.out, 'o')],
                implicit=implicit, escaped=True,
                variables=variables)
    n.build('check', 'phony', sorted(under(j.check, args.out, 'o')
                                     for j in jobs), escaped=True)
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
    deps = ['generate.py', 't2i_plan.py', 't2i_land.py',
            'build.ninja.in'] + rules + \
        tomls + [MODELS, RULES, TABLE, NAMES, 'src',
                 os.path.join(ROOT, 'tests')] + dirs
    deps = [d for d in deps if os.path.exists(d)]
    # A phony edge per dependency keeps a deleted archive directory or
    # models/ file from stopping ninja ("missing and no known rule"); a
    # missing phony output counts as dirty, so generate.py reruns.
    for d in deps:
        n.build(d, 'phony')
    n.comment('build.ninja is an output: rerun generate.py with the same '
              'arguments when it, the plan module, its templates, models/, '
              'the variables table, src/, tests/ or an archive directory '
              'changes.')
    n.build(args.output, 'regenerate', implicit=deps,
            implicit_outputs=launcher_path(args),
            variables={'args': shell_words(regenerate_args(args))})


ILAMB_FILES = ('models.yaml', 'models.txt', 'models.csv', 'run.sh')


def write_ilamb(n, args, jobs, land=()):
    """One ilamb_setup edge per simulation (<out>/ilamb/<SIM>/, phony
    'ilamb'). Its inputs are the simulation's outputs, so the command, and
    the files, change with the set of outputs; its directories' areacella
    and sftlf are implicit inputs, so their rows are never missed. A shard
    sees only its own outputs: its graph has no such edge."""
    area = land_outputs(land)
    if args.shard is not None:
        return
    sims = {}
    for j in jobs:
        sims.setdefault(j.sim, []).append(j.out)
    n.comment('ILAMB setup (ninja ilamb): <out>/ilamb/<SIM>/ per simulation.')
    targets = []
    for sim in sorted(sims):
        dest = '%s/ilamb/%s' % (args.out, sim)
        outs = ['%s/%s' % (dest, f) for f in ILAMB_FILES]
        dirs = sorted({j.odir for j in jobs if j.sim == sim})
        n.build(outs[0], 'ilamb_setup', sorted(sims[sim]),
                implicit=['ilamb_setup.py', 't2i_plan.py'] +
                [f for d in dirs for f in area.get(d, [])],
                implicit_outputs=outs[1:],
                variables={'sim': shlex.quote(sim),
                           'dest': escape(shlex.quote(dest))})
        targets.append(outs[0])
    n.build('ilamb', 'phony', targets)
    n.newline()


def write_skipped(n, skipped):
    n.comment('Skipped archive files (also in <out>/skipped.tsv, one '
              'tab-separated line each: model, simulation, file, reason):')
    for s in skipped:
        n.comment('- %s: %s' % (s.path, s.reason))
    n.newline()


class Text:
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)

    def value(self):
        return ''.join(self.parts)


def generate(args):
    """Plans the archive and writes the graph, the launcher, skipped.tsv
    and (sharded) shards.tsv; returns the plan."""
    plan = t2i_plan.plan(plan_options(args), read_table(TABLE))
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
        n.comment('--prebuilt: %s, %s and %s are inputs, built by another '
                  'graph.' % (args.converter, args.verifier, args.inflater))
        programs = []
    else:
        programs = write_c_build(n)
    write_conversions(n, args, plan.jobs)
    # A land_file the archive lacks gets no edge (the report names it).
    land = [lj for lj in plan.land if lj.kind != 'missing']
    write_land(n, args, land)
    write_phony(n, args, plan.jobs, programs, land)
    write_checks(n, args, plan.jobs, land)
    write_ilamb(n, args, plan.jobs, land)
    write_skipped(n, plan.skipped)
    write_regenerate(n, args, plan.dirs, rules)
    write_launcher(args)
    write_file(args.output, text.value())
    write_file(os.path.join(args.out, 'skipped.tsv'),
               skipped_tsv(plan.skipped), keep_same=True)
    write_file(os.path.join(args.out, 'coverage.tsv'),
               coverage_tsv(plan.coverage), keep_same=True)
    if plan.shard_table is not None:
        write_file(os.path.join(args.out, 'shards.tsv'), plan.shard_table,
                   keep_same=True)
    return plan


def print_coverage(coverage):
    """The coverage table, aligned: what will and will not be converted,
    per model (kinds of skip as in out/coverage.tsv)."""
    rows = [line.split('\t') for line in
            coverage_tsv(coverage).splitlines()]
    keep = [i for i in range(len(rows[0]))
            if i < 5 or any(r[i] != '0' for r in rows[1:])]
    rows = [[r[i] for i in keep] for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(keep))]
    for r in rows:
        print('  '.join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(r, widths))))


def main(argv):
    args = parse_args(argv)
    args.input = rel_to_root(args.input)
    args.out = rel_to_root(args.out)
    args.output = rel_to_root(args.output)
    if args.converter != CONVERTER:
        args.converter = rel_to_root(args.converter)
    if args.inflater != INFLATER:
        args.inflater = rel_to_root(args.inflater)
    if args.area_tool != t2i_land.AREA:
        args.area_tool = rel_to_root(args.area_tool)
    if args.verifier != VERIFIER:
        args.verifier = rel_to_root(args.verifier)
    if args.builddir:
        args.builddir = rel_to_root(args.builddir)
    os.chdir(ROOT)
    if args.report:
        return run_report.run(plan_options(args), args.builddir,
                              'generate.py')
    try:
        plan = generate(args)
    except (GenerateError, OSError) as e:
        if isinstance(e, OSError) and e.filename:
            e = '%s: %s' % (e.filename, e.strerror)
        print('generate.py: %s' % e, file=sys.stderr)
        return 1
    print_coverage(plan.coverage)
    print('generate.py: %s: %d conversions, %d skipped (%s, %s)'
          % (args.output, len(plan.jobs), len(plan.skipped),
             os.path.join(args.out, 'skipped.tsv'),
             os.path.join(args.out, 'coverage.tsv')))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
