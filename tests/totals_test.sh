#!/usr/bin/env bash
# Global totals of t2i-verify (issue 13) against truth computed without
# its code: (1) a four-cell fixture whose totals are worked out by hand
# below; (2) every output of the bundled sample, whose annual totals are
# recomputed here in Python from ncdump text as
# sum(value x areacella x sftlf/100 x seconds of the step), with the
# areacella and sftlf files t2i-area wrote.
#
# Each check prints "ok   <what>" or "FAIL <what>"; the last line is the
# tally "N passed, M failed". Environment: T2I_ROOT, T2I_BIN (converter;
# default build/san/trendy2ilamb); t2i-area and t2i-verify are taken from
# beside it.
. "$(dirname "$0")/lib.sh"
bin=${T2I_BIN:-$root/build/san/trendy2ilamb}
dir=$(dirname "$bin")
table=$root/tables/variables.tsv
fx=$root/tests/area

# annual JSON KIND UNITS YEAR=VALUE...: the check JSON's annual block holds
# these totals within 1e-6 relative.
annual() {
    python3 - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))['annual']
want = dict(kv.split('=') for kv in sys.argv[4:])
got = dict(zip(map(str, d['years']), d['values']))
ok = d['kind'] == sys.argv[2] and d['units'] == sys.argv[3] and \
    set(got) == set(want) and all(
        abs(got[y] - float(v)) <= 1e-6 * abs(float(v)) for y, v in want.items())
print(d)
sys.exit(0 if ok else 1)
PY
}

ncgen -o "$tmp/T_S3_gpp.nc" "$fx/totals_gpp.cdl"
ncgen -o "$tmp/T_ocf.nc" "$fx/totals_ocf.cdl"
mkdir -p "$tmp/T"
check "the fixture converts" "$bin" --var gpp --table "$table" --area-basis land \
    "$tmp/T_S3_gpp.nc" "$tmp/T/gpp.nc"
check "t2i-area writes areacella and sftlf from the oceanCoverFrac file" \
    "$dir/t2i-area" --rule ocean_cover_frac "$tmp/T_ocf.nc" "$tmp/T/areacella.nc" "$tmp/T/sftlf.nc"
check "the check with areacella and sftlf passes" "$dir/t2i-verify" --var gpp --table "$table" \
    --area-basis land --areacella "$tmp/T/areacella.nc" --sftlf "$tmp/T/sftlf.nc" \
    --json "$tmp/land.json" "$tmp/T_S3_gpp.nc" "$tmp/T/gpp.nc"
# By hand. Each cell is a quarter sphere: A = pi R^2 = pi x 6371000^2
# = 1.2751611797744706e14 m2. Land shares 0, 0.5, 0.75, 1, so per second
# sum(gpp x land) = (1 x 0 + 2 x 0.5 + 3 x 0.75 + 4 x 1) e-8 = 7.25e-8 kg m-2
# s-1 per A. A noleap year is 365 x 86400 = 31536000 s:
# 2000: 7.25e-8 x 31536000 x 1.2751611797744706e14 kg = 291.547751 PgC;
# 2001 (values doubled): 583.095503 PgC.
check "per-land gpp totals: 291.547751 and 583.095503 PgC yr-1 (by hand)" \
    annual "$tmp/land.json" flux "PgC yr-1" 2000=291.547751 2001=583.095503
# Without sftlf every cell counts whole: sum = 1e-7 per A:
# 1e-7 x 31536000 x 1.2751611797744706e14 kg = 402.134830 PgC, doubled 804.269659.
check "the check without sftlf passes" "$dir/t2i-verify" --var gpp --table "$table" \
    --json "$tmp/cell.json" "$tmp/T_S3_gpp.nc" "$tmp/T/gpp.nc"
check "per-cell gpp totals: 402.134830 and 804.269659 PgC yr-1 (by hand)" \
    annual "$tmp/cell.json" flux "PgC yr-1" 2000=402.134830 2001=804.269659
# Land-weighted mean of the same numbers read as lai (units 1): (1 x 0 +
# 2 x 0.5 + 3 x 0.75 + 4 x 1) / (0 + 0.5 + 0.75 + 1) = 7.25 / 2.25 =
# 3.22222222 (x 1e-8 here, as gpp's values are); 2001 doubled.
sed 's/gpp/lai/g; s/kgC m-2 s-1/1/' "$fx/totals_gpp.cdl" >"$tmp/T_S3_lai.cdl"
ncgen -o "$tmp/T_S3_lai.nc" "$tmp/T_S3_lai.cdl"
"$bin" --var lai --table "$table" --area-basis land "$tmp/T_S3_lai.nc" "$tmp/T/lai.nc"
"$dir/t2i-verify" --var lai --table "$table" --sftlf "$tmp/T/sftlf.nc" \
    --json "$tmp/lai.json" "$tmp/T_S3_lai.nc" "$tmp/T/lai.nc" >/dev/null 2>&1
check "land-weighted mean lai: 3.22222222e-8 and 6.44444444e-8 (by hand)" \
    annual "$tmp/lai.json" mean 1 2000=3.22222222e-8 2001=6.44444444e-8
check "an areacella that disagrees with the bounds is a problem" bash -c "
    ncdump '$tmp/T/areacella.nc' | sed 's/^  1.2751[0-9.e+]*, /  1e14, /' >'$tmp/bad.cdl' &&
    ncgen -o '$tmp/bad.nc' '$tmp/bad.cdl' &&
    ! '$dir/t2i-verify' --var gpp --table '$table' --areacella '$tmp/bad.nc' \
        '$tmp/T_S3_gpp.nc' '$tmp/T/gpp.nc' 2>'$tmp/bad.err' &&
    grep -q 'areacella at lat -45, lon -90 is 1e+14 m2, the cell' '$tmp/bad.err'"
check "per-land values without 'where land' fail the check" bash -c "
    '$bin' --var gpp --table '$table' '$tmp/T_S3_gpp.nc' '$tmp/T/cellgpp.nc' &&
    ! '$dir/t2i-verify' --var gpp --table '$table' --area-basis land \
        '$tmp/T_S3_gpp.nc' '$tmp/T/cellgpp.nc' 2>'$tmp/cm.err' &&
    grep -q \"cell_methods 'area: mean time: mean' lacks 'where land'\" '$tmp/cm.err'"

# The sample, converted and checked in a graph of its own.
cd "$root" || exit 3
./generate.py -o "$tmp/build.ninja" --out "$tmp/out" --builddir "$tmp/b" >/dev/null
check "the sample converts and every check passes" ninja -f "$tmp/build.ninja" -j2 check
check "every sample output's annual totals equal sum(value x areacella x sftlf/100) from ncdump" \
    python3 - "$tmp/out" <<'PY'
import glob, json, math, os, re, subprocess, sys

def dump(path, names):
    """{name: [float or None]} from ncdump's data section."""
    text = subprocess.run(['ncdump', '-p', '9,17', '-v', ','.join(names), path],
                          capture_output=True, text=True, check=True).stdout
    data = text.split('\ndata:\n', 1)[1]
    out = {}
    for name in names:
        m = re.search(r'\n %s =\n?(.*?);' % re.escape(name), data, re.S)
        out[name] = [None if w == '_' else float(w)
                     for w in re.split(r'[\s,]+', m.group(1)) if w]
    return out

root = sys.argv[1]
bad = 0
for check in sorted(glob.glob(os.path.join(root, 'check', '*', '*.json'))):
    d = json.load(open(check))
    odir = os.path.dirname(d['output'])
    var = os.path.basename(d['output'])[:-3]
    v = dump(d['output'], [var, 'time_bnds'])
    area = dump(os.path.join(odir, 'areacella.nc'), ['areacella'])['areacella']
    sftlf = os.path.join(odir, 'sftlf.nc')
    frac = dump(sftlf, ['sftlf'])['sftlf'] if os.path.exists(sftlf) else [100.0] * len(area)
    if d['area_note']:
        # An output on another grid than its directory's area files (the
        # sample's CLM5.0 cVeg): whole cells, R^2 dlon (sin lat2 - sin lat1).
        b = dump(d['output'], ['lat_bnds', 'lon_bnds'])
        rad, r2 = math.pi / 180, 6.371e6 ** 2
        area = [r2 * (b['lon_bnds'][2 * x + 1] - b['lon_bnds'][2 * x]) * rad *
                (math.sin(b['lat_bnds'][2 * y + 1] * rad) - math.sin(b['lat_bnds'][2 * y] * rad))
                for y in range(len(b['lat_bnds']) // 2) for x in range(len(b['lon_bnds']) // 2)]
        frac = [100.0] * len(area)
    w = [a * f / 100 for a, f in zip(area, frac)]
    n, tb = len(w), v['time_bnds']
    kind = d['annual']['kind']
    years = {}
    nt = len(tb) // 2
    nz = len(v[var]) // (nt * n)     # layers of a (time, depth, lat, lon) output
    for t in range(nt):
        step = v[var][t * nz * n:(t + 1) * nz * n]
        vals = step[:n]                  # the top layer
        sw = sum(wi for x, wi in zip(vals, w) if x is not None)
        # A mean (tsl) is the top layer's; an amount (mrsol) adds every layer.
        layers = 1 if kind == 'mean' else nz
        s = sum(x * w[c % n] for c, x in enumerate(step[:layers * n]) if x is not None)
        dt = (tb[2 * t + 1] - tb[2 * t]) * 86400
        # The year of the step: the checker's own calendar gives it; here
        # it is the years listed, one per 12 (monthly) or 1 (annual) steps.
        years.setdefault(t // (12 if d['frequency'] == 'mon' else 1), []).append(
            (s / sw if kind == 'mean' else s, dt))
    want = []
    for k in sorted(years):
        steps = years[k]
        tot = sum(x * dt for x, dt in steps)
        sec = sum(dt for x, dt in steps)
        want.append(tot / 1e12 if kind == 'flux' else tot / sec / 1e12
                    if kind == 'pool' else tot / sec)
    got = d['annual']['values']
    same = len(got) == len(want) and all(abs(g - x) <= 1e-6 * abs(x) for g, x in zip(got, want))
    print('%s %s %s: %s vs %s' % ('ok  ' if same else 'BAD ', d['output'], kind, got, want))
    bad += not same
sys.exit(1 if bad else 0)
PY
tally
