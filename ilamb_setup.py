#!/usr/bin/env python3
"""ILAMB setup files for one simulation's outputs (ninja ilamb).

    ./ilamb_setup.py --sim S3 --dest out/ilamb/S3 [--config ILAMB_CFG]
                     OUTPUT.nc ...

OUTPUT is <out>/<dir>/<var>.nc as the plan names it (<dir> = MODEL for S3,
MODEL_SIM otherwise). Writes into --dest:

  models.yaml   ILAMB 2 --model_setup, YAML form: one entry per output
                directory with modelname (without it ILAMB 2 names every
                model "unamed"), absolute path, a colour fixed by the model's
                name, group TRENDY-<SIM>
  models.txt    the same as ILAMB 2's text form, "name, path" lines: no
                blank line (ILAMB 2 crashes on one), absolute paths (a
                relative one is read against $ILAMB_ROOT)
  models.csv    ilamb3's model database (--model-db): one row per output file
                with source_id <MODEL>-<SIM> (ilamb3 opens the rows of one
                source_id together, so each simulation needs its own),
                member_id, grid_label, experiment_id, variable_id, frequency
                (mon|yr, fx for areacella/sftlf) and the absolute path
  run.sh        deletes <build_dir>/*.pkl (ILAMB 2 reuses a cached model
                after a reconversion otherwise) and runs ilamb-run with
                --clean, then ilamb3 with --no-cache when it is installed

Each file is rewritten only when its text changes (the Ninja edge has
restat), so a reconversion that leaves the set of outputs alone touches
nothing. The variable and frequency of each output are read from its
header (ncdump -h: the variable of the file's name must be there, and the
converter's global attribute `frequency`); an output directory's
areacella.nc and sftlf.nc are listed when present.
"""

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import zlib

from t2i_plan import write_file

# Land-area files ILAMB reads from a model directory (trendy-quirks.md 10).
FIXED = ('areacella', 'sftlf')
MEMBER_ID = 'r1i1p1f1'      # TRENDY runs one member per simulation
GRID_LABEL = 'gn'           # the model's native grid (ILAMB regrids)
CSV_COLUMNS = ('source_id', 'member_id', 'grid_label', 'experiment_id',
               'variable_id', 'frequency', 'path')
# 20 distinct colours (matplotlib's tab20 order); a model's colour is its
# name's CRC-32 modulo this list, the same in every simulation and run.
PALETTE = ('#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b',
           '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#aec7e8', '#ffbb78',
           '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#f7b6d2', '#c7c7c7',
           '#dbdb8d', '#9edae5')


class SetupError(Exception):
    pass


def colour(model):
    return PALETTE[zlib.crc32(model.encode('utf-8')) % len(PALETTE)]


def model_of(odir, sim):
    """Inverse of t2i_plan.output_dir."""
    suffix = '_' + sim
    if sim != 'S3' and odir.endswith(suffix):
        return odir[:-len(suffix)]
    return odir


def header(path):
    """(variable names, global attributes) of a netCDF file, from
    ncdump -h."""
    try:
        text = subprocess.run(['ncdump', '-h', path], check=True,
                              capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SetupError('%s: ncdump -h failed: %s' % (
            path, getattr(e, 'stderr', '') or e))
    names = set(re.findall(r'^\t\w+ (\S+?)\(', text, re.M))
    names |= set(re.findall(r'^\t\w+ (\S+?) ;', text, re.M))
    attrs = dict(re.findall(r'^\t\t:(\w+) = "([^"]*)"', text, re.M))
    return names, attrs


def frequency(path, var, attrs):
    if var in FIXED:
        return 'fx'
    freq = attrs.get('frequency')
    if freq in ('mon', 'yr'):
        return freq
    raise SetupError("%s: no global attribute frequency = \"mon\" or "
                     "\"yr\" (convert it again)" % path)


def check_setup_path(path):
    # ILAMB 2's text form splits lines at commas; a newline ends the line.
    if ',' in path or '\n' in path or '\r' in path:
        raise SetupError('%r: a comma or newline in a model path cannot be '
                         'written in ILAMB 2\'s text form' % path)


def collect(sim, outputs):
    """{odir: {'model', 'path', 'files': [(var, freq, path)]}} from the
    output paths and the land-area files beside them."""
    dirs = {}
    for out in outputs:
        full = os.path.abspath(out)
        folder, name = os.path.split(full)
        odir = os.path.basename(folder)
        if not name.endswith('.nc'):
            raise SetupError('%s: not a .nc output' % out)
        check_setup_path(folder)
        d = dirs.setdefault(odir, {'model': model_of(odir, sim),
                                   'path': folder, 'files': {}})
        d['files'][full] = name[:-3]
    for d in dirs.values():
        for var in FIXED:
            path = os.path.join(d['path'], var + '.nc')
            if os.path.exists(path):
                d['files'].setdefault(path, var)
    for odir, d in dirs.items():
        rows = []
        for path, var in sorted(d['files'].items()):
            names, attrs = header(path)
            if var not in names:
                raise SetupError("%s: no variable '%s'" % (path, var))
            rows.append((var, frequency(path, var, attrs), path))
        d['files'] = rows
    return dict(sorted(dirs.items()))


def yaml_str(text):
    # A JSON string is a YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def models_yaml(sim, dirs):
    lines = ['# ILAMB 2 --model_setup for TRENDY %s (written by '
             'ilamb_setup.py)' % sim]
    for odir, d in dirs.items():
        lines += ['%s:' % yaml_str(odir),
                  '  modelname: %s' % yaml_str(odir),
                  '  path: %s' % yaml_str(d['path']),
                  '  color: %s' % yaml_str(colour(d['model'])),
                  '  group: %s' % yaml_str('TRENDY-' + sim)]
    return '\n'.join(lines) + '\n'


def models_txt(sim, dirs):
    # No comment line either: the file is nothing but "name, path" lines.
    return ''.join('%s, %s\n' % (odir, d['path']) for odir, d in dirs.items())


def models_csv(sim, dirs):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\n')
    w.writerow(CSV_COLUMNS)
    for d in dirs.values():
        for var, freq, path in d['files']:
            w.writerow(('%s-%s' % (d['model'], sim), MEMBER_ID, GRID_LABEL,
                        sim, var, freq, path))
    return buf.getvalue()


RUN_SH = r'''#!/bin/sh
# Runs ILAMB on the TRENDY @SIM@ outputs (written by ilamb_setup.py).
#   run.sh [ILAMB_CFG [ILAMB3_STUDY]]
# ILAMB_CFG: default @CONFIG@.
# $ILAMB_ROOT must hold ILAMB's reference data (ilamb-fetch). Results go to
# $ILAMB_BUILD_DIR (default: _build beside this file); ilamb3 runs when it is
# installed, on ILAMB3_STUDY or ilamb3's own study file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${ILAMB_BUILD_DIR:-$here/_build}
config=${1:-@CONFIGARG@}
if [ -z "$config" ]; then
    config=$(python3 -c 'import importlib.util, os; s = importlib.util.find_spec("ILAMB"); print(os.path.join(s.submodule_search_locations[0], "data", "ilamb.cfg") if s else "")')
fi
if [ -z "$config" ] || [ ! -f "$config" ]; then
    echo "run.sh: ILAMB 2 is not installed (no ILAMB/data/ilamb.cfg); give ILAMB_CFG" >&2
    exit 2
fi
: "${ILAMB_ROOT:?run.sh: set ILAMB_ROOT to ILAMB's reference data}"
mkdir -p "$build"
# ILAMB 2 reuses <build_dir>/<model>.pkl even when the files changed.
rm -f "$build"/*.pkl
ilamb-run --config "$config" --model_setup "$here/models.yaml" \
    --build_dir "$build" --regions global --clean
if command -v ilamb >/dev/null 2>&1 && python3 -c 'import ilamb3' 2>/dev/null; then
    study=${2:-$(python3 -c 'import importlib.util, os; s = importlib.util.find_spec("ilamb3"); p = os.path.join(s.submodule_search_locations[0], "configure", "ilamb.yaml"); print(p if os.path.exists(p) else "")')}
    if [ -n "$study" ]; then
        mkdir -p "$build/ilamb3"
        cd "$build/ilamb3"
        ilamb run "$study" --model-db "$here/models.csv" --no-cache
    else
        echo "run.sh: ilamb3 is installed but no study file was found; give ILAMB3_STUDY" >&2
    fi
fi
'''


def run_sh(sim, config):
    default = config or "ILAMB's own data/ilamb.cfg of the installed package"
    return (RUN_SH.replace('@SIM@', sim).replace('@CONFIG@', default)
            .replace('@CONFIGARG@', shell_quote(config) if config else ''))


def shell_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def setup(sim, dest, outputs, config=None):
    """Writes the four files into dest; returns their paths."""
    dirs = collect(sim, outputs)
    files = {'models.yaml': models_yaml(sim, dirs),
             'models.txt': models_txt(sim, dirs),
             'models.csv': models_csv(sim, dirs)}
    paths = []
    for name, text in files.items():
        paths.append(os.path.join(dest, name))
        write_file(paths[-1], text, keep_same=True)
    paths.append(os.path.join(dest, 'run.sh'))
    write_file(paths[-1], run_sh(sim, config), keep_same=True, mode=0o755)
    return paths


def main(argv):
    p = argparse.ArgumentParser(prog='ilamb_setup.py',
                                description='Write ILAMB setup files for '
                                'one simulation.')
    p.add_argument('--sim', required=True)
    p.add_argument('--dest', required=True)
    p.add_argument('--config', help="ILAMB 2 configure file for run.sh "
                   "(default: ILAMB's own ilamb.cfg, found when run.sh runs)")
    p.add_argument('outputs', nargs='+')
    args = p.parse_args(argv)
    config = os.path.abspath(args.config) if args.config else None
    try:
        setup(args.sim, args.dest, args.outputs, config)
    except (SetupError, OSError) as e:
        print('ilamb_setup.py: %s' % e, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
