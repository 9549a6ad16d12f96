"""Run by tests/ilamb_setup_test.py with ILAMB 2 on sys.path: reads a
simulation's models.yaml and models.txt with ILAMB 2's own --model_setup
parser (the functions ParseModelSetup and _parse_model_yaml, taken as source
text from ILAMB's bin/ilamb-run at run time, not copied here), then loads
every non-fixed row of models.csv through the resulting ModelResult
(extractTimeSeries). Prints one JSON object on stdout.

    python3 ilamb_harness.py ILAMB_RUN SETUP_DIR CACHE_DIR
"""

import ast
import inspect
import json
import logging
import os
import pickle
import sys

import matplotlib.colors as clr
import numpy as np
import yaml

from ILAMB import ilamblib as il
from ILAMB.ModelResult import ModelResult

WANTED = ('ParseModelSetup', '_parse_model_yaml')


class _Comm:
    """ilamb-run's MPI.COMM_WORLD, for one process that never aborts."""

    def Barrier(self):
        pass

    def Abort(self, code):
        raise SystemExit('ILAMB aborted: no model results found')


def parsers(ilamb_run):
    with open(ilamb_run, encoding='utf-8') as f:
        tree = ast.parse(f.read(), ilamb_run)
    funcs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and
             n.name in WANTED]
    if len(funcs) != len(WANTED):
        raise SystemExit('%s: no %s' % (ilamb_run, ' and '.join(WANTED)))
    scope = {'os': os, 'pickle': pickle, 'yaml': yaml, 'inspect': inspect,
             'clr': clr, 'il': il, 'ModelResult': ModelResult,
             'ModelPointResult': None, 'E3SMResult': None, 'rank': 0,
             'comm': _Comm(), 'logger': logging.getLogger('harness')}
    exec(compile(ast.Module(body=funcs, type_ignores=[]), ilamb_run, 'exec'),
         scope)
    return scope['ParseModelSetup']


def describe(models):
    return {m.name: {'path': m.path, 'group': m.group,
                     'color': [float(c) for c in m.color],
                     'variables': sorted(m.variables)} for m in models}


def load(models, csv_path):
    by_path = {}
    for m in models:
        by_path[os.path.realpath(m.path)] = m
    loads = []
    with open(csv_path, encoding='utf-8') as f:
        rows = [line.rstrip('\n').split(',') for line in f][1:]
    for source, _, _, _, var, freq, path in rows:
        m = by_path[os.path.realpath(os.path.dirname(path))]
        if freq == 'fx':
            loads.append({'path': path, 'var': var, 'fx': True,
                          'area': m.cell_areas is not None})
            continue
        v = m.extractTimeSeries(var)
        item = {'path': path, 'var': var, 'unit': v.unit,
                'shape': list(v.data.shape), 'temporal': bool(v.temporal),
                'spatial': bool(v.spatial), 'layered': bool(v.layered),
                'time0': float(v.time[0]), 'tb0': [float(x) for x in
                                                   v.time_bnds[0]]}
        if v.layered:
            item['depth'] = [float(x) for x in v.depth]
            item['depth_bnds'] = np.asarray(v.depth_bnds).tolist()
        loads.append(item)
    return loads


def main(ilamb_run, setup_dir, cache):
    parse = parsers(ilamb_run)
    out = {}
    for form in ('models.yaml', 'models.txt'):
        os.makedirs(os.path.join(cache, form), exist_ok=True)
        out[form] = describe(parse(os.path.join(setup_dir, form),
                                   models_path=os.path.join(cache, form)))
    models = parse(os.path.join(setup_dir, 'models.yaml'),
                   models_path=os.path.join(cache, 'models.yaml'))
    out['loads'] = load(models, os.path.join(setup_dir, 'models.csv'))
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main(*sys.argv[1:4])
