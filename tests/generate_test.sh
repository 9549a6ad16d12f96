#!/usr/bin/env bash
# Tests of generate.py and the Ninja graph it writes. Each check prints one
# line, "ok   <what>" or "FAIL <what>"; the last line is the tally. Everything
# runs in copies of the repository under a temporary directory.
#
# Checks that run conversions need the real converter: the copy builds its
# own build/trendy2ilamb from src/ through the graph, as a fresh clone does.
. "$(dirname "$0")/lib.sh"

# check DESCRIPTION COMMAND...: the command's exit status decides.
# contains FILE TEXT: FILE holds TEXT as a fixed string.

# copy_repo DIR: what a fresh clone holds (no build/, out/, build.ninja).
copy_repo() {
    mkdir -p "$1"
    (cd "$root" && cp -r generate.py t2i_plan.py t2i_land.py t2i_totals.py report.py t2i_pictures.py build.ninja.in rules models tables \
        sample src include tests "$1/")
}

# closure NINJAFILE TARGET [STOP]: every node TARGET depends on, one a line,
# walking `ninja -t query` one level at a time; nodes matching the regular
# expression STOP are listed but not walked further.
closure() {
    local f=$1 stop=${3:-'^$'} level=("$2") seen=$'\n' next n
    while [ ${#level[@]} -gt 0 ]; do
        next=()
        while IFS= read -r n; do
            case $seen in *$'\n'"$n"$'\n'*) continue ;; esac
            seen+="$n"$'\n'
            echo "$n"
            [[ $n =~ $stop ]] || next+=("$n")
        done < <(ninja -f "$f" -t query "${level[@]}" | awk '/^[^ ]/ {on = 0}
            /^  input:/ {on = 1; next} /^  outputs:/ {on = 0}
            on {sub(/^ +/, ""); sub(/^\|\|? /, ""); print}')
        level=("${next[@]}")
    done
}
# targets NINJAFILE TARGET: the conversion outputs (out/<dir>/<var>.nc)
# TARGET builds, one a line; aggregates list output directories. The land
# area files of each directory (areacella.nc, sftlf.nc) are not conversions.
targets() {
    closure "$1" "$2" '\.nc$' | grep '^out/[^/]*/[^/]*\.nc$' |
        grep -v -e '/areacella\.nc$' -e '/sftlf\.nc$' | LC_ALL=C sort
}
export -f closure

# ------------------------------------------------------------ the sample graph
repo=$tmp/repo
copy_repo "$repo"
cd "$repo" || exit 3

check "generate.py writes build.ninja for the bundled sample" ./generate.py
check "build.ninja is written from build.ninja.in and rules/*.ninja" \
    bash -c 'contains() { grep -qF -- "$2" "$1"; }
        contains build.ninja "ninja_required_version" &&
        contains build.ninja "# ---- rules/c.ninja" &&
        contains build.ninja "# ---- rules/convert.ninja"'

cat >"$tmp/expected" <<'EOF'
out/CABLE-POP/cVeg.nc
out/CABLE-POP/mrsol.nc
out/CABLE-POP/mrsos.nc
out/CARDAMOM/gpp.nc
out/CARDAMOM/lai.nc
out/CLASSIC/gpp.nc
out/CLM5.0/cVeg.nc
out/CLM5.0/gpp.nc
out/CLM5.0/npp.nc
out/CLM5.0/tsl.nc
out/CLM5.0_S2/gpp.nc
out/DLEM/npp.nc
out/ELM/cSoil.nc
out/ELM/gpp.nc
out/IBIS/mrro.nc
out/ISAM/lai.nc
out/ISBA-CTRIP/tas.nc
out/JULES/evspsbl.nc
out/LPJ-GUESS/cVeg.nc
out/LPX-Bern/gpp.nc
out/ORCHIDEE/fBNF.nc
out/ORCHIDEE/lai.nc
out/SDGVM/nbp.nc
out/SDGVM/npp.nc
out/VISIT-UT/cSoil.nc
out/VISIT/gpp.nc
out/iMAPLE/cSoil.nc
out/iMAPLE/rh.nc
EOF
targets build.ninja convert >"$tmp/got"
check "the sample gives one output per file: S3 in out/<MODEL>, S2 in out/<MODEL>_S2, evapotrans as evspsbl, a .nc.gz and a .nc.tar.gz" \
    diff "$tmp/expected" "$tmp/got"
check "phony model-, var- and sim- targets group the outputs" \
    bash -c "[ \"\$(cd '$repo' && closure build.ninja model-CLM5.0 | grep -v -e areacella -e sftlf | grep -c '^out/.*\.nc$')\" = 5 ] &&
        closure build.ninja var-gpp | grep -qx out/LPX-Bern/gpp.nc &&
        closure build.ninja sim-S2 | grep -qx out/CLM5.0_S2/gpp.nc &&
        ! closure build.ninja sim-S2 | grep -qx out/CLM5.0/gpp.nc &&
        ninja -t query all | grep -q '    convert'"
check "each output directory is a target (ninja out/CARDAMOM: one ILAMB model)" \
    bash -c "[ \"\$(closure build.ninja out/CARDAMOM '\.nc$' | grep '^out/CARDAMOM/' | LC_ALL=C sort | tr '\n' ' ')\" = 'out/CARDAMOM/areacella.nc out/CARDAMOM/gpp.nc out/CARDAMOM/lai.nc ' ]"
check "land: areacella of every output directory, sftlf where models/ has a land rule" \
    bash -c "[ \"\$(closure build.ninja land '\.nc$' | grep -c '/areacella\.nc$')\" = 18 ] &&
        [ \"\$(closure build.ninja land '\.nc$' | grep '/sftlf\.nc$' | LC_ALL=C sort | tr '\n' ' ')\" = 'out/CABLE-POP/sftlf.nc out/CLM5.0/sftlf.nc out/CLM5.0_S2/sftlf.nc out/ELM/sftlf.nc out/IBIS/sftlf.nc ' ] &&
        ninja -t query all | grep -q '    land'"
check "an area edge reads the land-area file (per land) or the first output (per cell), never every variable" \
    bash -c "ninja -t query out/IBIS/areacella.nc | grep -q 'build/sample/IBIS/S3/IBIS_S3_oceanCoverFrac.nc' &&
        ninja -t query out/CLM5.0_S2/sftlf.nc | grep -q 'build/sample/CLM5.0/S3/CLM6.0_S3_oceanCoverFrac.nc' &&
        ninja -t query out/CARDAMOM/areacella.nc | grep -q '    out/CARDAMOM/gpp.nc' &&
        ! ninja -t query out/CARDAMOM/areacella.nc | grep -q 'lai.nc'"
check "a check reads its directory's areacella and sftlf" \
    bash -c "ninja -t commands out/check/IBIS/mrro.json | tail -n 1 | grep -qF -- '--area-basis land --areacella out/IBIS/areacella.nc --sftlf out/IBIS/sftlf.nc' &&
        ninja -t commands out/check/JULES/evspsbl.json | tail -n 1 | grep -qF -- '--area-basis cell --areacella out/JULES/areacella.nc ' &&
        ! ninja -t commands out/check/JULES/evspsbl.json | tail -n 1 | grep -q sftlf"
check "all is the default target" contains build.ninja "default all"
check "the CLM edge reads the ncgen'd copy" \
    bash -c "ninja -t query out/CLM5.0/gpp.nc | grep -q 'build/sample/CLM5.0/S3/CLM6.0_S3_gpp.nc'"
cmd() { ninja -t commands "$1" | tail -n 1; }
cmd out/CLM5.0_S2/gpp.nc >"$tmp/cmd"
check "a conversion passes --model, --sim, --var and --stats" \
    bash -c "grep -qF -- '--model CLM5.0 --sim S2' '$tmp/cmd' &&
        grep -qF -- '--var gpp' '$tmp/cmd' &&
        grep -qF -- '--stats \"out/stats/CLM5.0_S2/gpp.json\" build/sample/CLM5.0/S2/CLM6.0_S2_gpp.nc out/CLM5.0_S2/gpp.nc' '$tmp/cmd'"
cmd out/CARDAMOM/gpp.nc >"$tmp/cmd"
check "models/CARDAMOM.toml becomes --time-var and a quoted --time-units" \
    contains "$tmp/cmd" "--time-var Time --time-units 'days since 2003-01-01 00:00:00'"
cmd out/DLEM/npp.nc >"$tmp/cmd"
check "a [var.npp] var overrides --var" \
    bash -c "grep -qF -- '--var NPP' '$tmp/cmd' && ! grep -qF -- '--var npp' '$tmp/cmd'"
check "reduce and missing lists become repeated flags" \
    bash -c "ninja -t commands out/SDGVM/npp.nc | tail -n 1 | grep -qF -- '--reduce PFT=sum' &&
        ninja -t commands out/VISIT-UT/cSoil.nc | tail -n 1 | grep -qF -- '--missing -9999.0'"
check "ncgen -k follows the CDL's first line (nc4, nc6, nc7, default nc3)" \
    bash -c "ninja -t commands build/sample/ELM/S3/E3SM_S3_cSoil.nc | tail -n 1 | grep -q 'ncgen -k nc4' &&
        ninja -t commands build/sample/JULES/S3/JULES_S3_evapotrans.nc | tail -n 1 | grep -q 'ncgen -k nc6' &&
        ninja -t commands build/sample/IBIS/S3/IBIS_S3_mrro.nc | tail -n 1 | grep -q 'ncgen -k nc7' &&
        ninja -t commands build/sample/CLM5.0/S3/CLM6.0_S3_gpp.nc | tail -n 1 | grep -q 'ncgen -k nc3'"
check "a model with a toml depends on it; one without works with defaults" \
    bash -c "closure build.ninja out/SDGVM/npp.nc | grep -qx models/SDGVM.toml &&
        ! closure build.ninja out/JULES/evspsbl.nc | grep -q models/ &&
        closure build.ninja out/check/SDGVM/npp.json | grep -qx models/SDGVM.toml"
check "every conversion depends on the converter and the variables table" \
    bash -c "closure build.ninja out/IBIS/mrro.nc | grep -qx build/trendy2ilamb &&
        closure build.ninja out/IBIS/mrro.nc | grep -qx tables/variables.tsv &&
        closure build.ninja out/check/IBIS/mrro.json | grep -qx build/t2i-verify"
check "the description names the output (CONVERT out/<dir>/<var>.nc, CHECK out/check/...)" \
    bash -c "ninja -n out/CLM5.0_S2/gpp.nc | grep -q 'CONVERT out/CLM5.0_S2/gpp.nc\$' &&
        ninja -n out/check/CLM5.0/gpp.json | grep -q 'CHECK out/check/CLM5.0/gpp.json\$'"
check "skipped files are listed with the reason in out/skipped.tsv" \
    bash -c "grep -q \"CARDAMOM_S3_FLOSS_FRAC.cdl.*'FLOSS_FRAC' is not in\" out/skipped.tsv &&
        grep -q 'LPX-Bern_S3_snowdepth.nc.*models/LPX-Bern.toml: corrupt' out/skipped.tsv"
# The first conversion edge in the file has the biggest input.
first=$(grep -m1 -A1 ': convert' build.ninja | grep -o 'sample/[^ ]*' | head -n 1)
biggest=$(find sample -name '*_S3_*' -o -name '*_S2_*' | grep -v -e FLOSS -e snowdepth |
    xargs ls -S | head -n 1)
check "edges are written biggest input first ($first)" \
    [ "build/${biggest%.cdl}.nc" = "build/$first" ]
./generate.py --big-bytes 20000 >/dev/null 2>&1
nbig=$(find sample -name '*.cdl' -size +20000c | grep -vc FLOSS)
check "inputs above --big-bytes run in pool big ($nbig of them)" \
    [ "$(grep -c '^  pool = big' build.ninja)" = "$nbig" ]
./generate.py --big-jobs 3 >/dev/null 2>&1
check "--big-jobs sets the depth of pool big" \
    bash -c "grep -A1 '^pool big' build.ninja | grep -q 'depth = 3'"
./generate.py --launcher 'srun -n1' >/dev/null 2>&1
check "--launcher goes into the wrapper every conversion runs through" \
    bash -c "ninja -t commands out/IBIS/mrro.nc | tail -n 1 | grep -q ' && { ./build.ninja.launch \"out/stats/IBIS/mrro.json\" build/sample/IBIS/S3/IBIS_S3_mrro.nc -- build/trendy2ilamb ' &&
        [ -x build.ninja.launch ] && grep -qx 'srun -n1 timeout --foreground -k 10 \"\$limit\" \"\$@\"' build.ninja.launch"
./generate.py --prebuilt -o "$tmp/pre.ninja" >/dev/null 2>&1
check "--prebuilt: the converter and checker are inputs the graph does not build" \
    bash -c "! ninja -f '$tmp/pre.ninja' -t query build/trendy2ilamb | grep -q '  input:' &&
        ! ninja -f '$tmp/pre.ninja' -t query build/t2i-verify | grep -q '  input:' &&
        ninja -f '$tmp/pre.ninja' -t query uses-convert | grep -q build/trendy2ilamb &&
        ! grep -q '^build build/obj/' '$tmp/pre.ninja'"
./generate.py --models CLM5.0,IBIS --sims S3 >/dev/null 2>&1
check "--models and --sims select what is converted" \
    [ "$(targets build.ninja convert | tr '\n' ' ')" = "out/CLM5.0/cVeg.nc out/CLM5.0/gpp.nc out/CLM5.0/npp.nc out/CLM5.0/tsl.nc out/IBIS/mrro.nc " ]
./generate.py --vars evapotrans,cVeg >/dev/null 2>&1
check "--vars takes TRENDY or output names" \
    [ "$(targets build.ninja convert | wc -l)" = 4 ]
./generate.py --vars evspsbl >/dev/null 2>&1
check "--vars evspsbl selects JULES's evapotrans" \
    [ "$(targets build.ninja convert | tr '\n' ' ')" = "out/JULES/evspsbl.nc " ]
./generate.py >/dev/null 2>&1

# ------------------------------------------------------------ C build graph
check "every src/*.c but the entry files is a library object" \
    bash -c 'for f in src/*.c; do b=$(basename "$f" .c);
        case $b in main|*_main) continue;; esac
        ninja -t query build/trendy2ilamb | grep -q "build/obj/$b.o" || exit 1
        ninja -t query build/san/trendy2ilamb | grep -q "build/san/obj/$b.o" || exit 1
      done'
check "a new src/<x>_main.c becomes build/t2i-<x> after regeneration" \
    bash -c 'printf "int main(void) { return 0; }\n" >src/zz_main.c &&
        ./generate.py >/dev/null && ninja -t query build/t2i-zz | grep -q build/obj/zz_main.o &&
        ninja -t query tests | grep -q build/san/t2i-zz &&
        rm src/zz_main.c && ./generate.py >/dev/null'
check "each tests/<x>_test.c links into build/san/tests/<x>_test" \
    bash -c 'for f in tests/*_test.c; do b=$(basename "$f" .c);
        ninja -t query tests | grep -q "build/san/tests/$b" || exit 1; done'
check "compile rules use gcc depfiles" \
    bash -c 'grep -A3 "^rule cc$" build.ninja | grep -q "deps = gcc" &&
        grep -A1 "^rule cc$" build.ninja | grep -q -- "-MD -MF \$out.d"'

# ------------------------------------------------------------ writer
check "escape_path escapes space, colon and '\$ '; escape doubles '\$'" \
    python3 -c "
import sys; sys.path.insert(0, '.'); import generate as g
assert g.escape_path('a b:c') == 'a\$ b\$:c'
assert g.escape_path('x\$ y') == 'x\$\$\$ y'
assert g.escape('a\$b') == 'a\$\$b'
try:
    g.escape('a\nb'); sys.exit(1)
except g.GenerateError: pass"
check "lines wrap at 78 columns at unescaped spaces only" \
    python3 -c "
import io, sys; sys.path.insert(0, '.'); import generate as g
f = io.StringIO(); w = g.Writer(f)
paths = ['dir with spaces/file number %d.nc' % i for i in range(12)]
w.build('out', 'phony', paths)
lines = f.getvalue().splitlines()
assert len(lines) > 3, lines
for l in lines:
    assert len(l) <= 78, l
    if l.endswith(' \$'):
        body = l[:-2]
        n = len(body) - len(body.rstrip('\$'))
        assert n % 2 == 0, l
joined = ''.join(l[:-1] if l.endswith('\$') else l + '\n' for l in lines)
assert all(g.escape_path(p) in f.getvalue().replace(' \$\n      ', ' ') for p in paths)"
check "no line of the sample build.ninja exceeds 78 columns where a break was possible" \
    bash -c "! sed -n '/^# ---- generated by/,\$p' build.ninja | awk 'length > 78 && !/^#/' | grep -q ."

# ------------------------------------------------------------ refusals
arch() { rm -rf "$tmp/arch"; mkdir -p "$tmp/arch/$1"; : >"$tmp/arch/$1/$2"; }
gen_err() { ./generate.py --input "$tmp/arch" -o "$tmp/x.ninja" --out "$tmp/xout" 2>"$tmp/err"; }
# An entry the graph cannot carry is skipped alone, with its reason, and
# the rest is planned (issue 20; tests/hostile_test.sh has the full set).
arch 'M/S3' $'M_S3_gpp\nx.nc'
: >"$tmp/arch/M/S3/M_S3_npp.nc"
gen_err
check "a newline in an archive path skips that file alone" \
    bash -c "[ $? = 0 ] && grep -qF 'M_S3_gpp\\nx.nc	the path holds a line break' '$tmp/xout/skipped.tsv' &&
        grep -q 'convert .*M_S3_npp.nc' '$tmp/x.ninja'"
arch 'M/S3' 'M_S3_$gpp.nc'
: >"$tmp/arch/M/S3/M\$_S3_npp.nc"
gen_err
check "a '\$' in a variable token skips the file; in a prefix it is escaped and planned" \
    bash -c "[ $? = 0 ] && grep -qF \"variable name '\\\$gpp' contains '\\\$'\" '$tmp/xout/skipped.tsv' &&
        grep -qF 'M\$\$_S3_npp.nc' '$tmp/x.ninja' && ninja -f '$tmp/x.ninja' -n >/dev/null"
arch 'M/S3' 'M_S3_...nc'
gen_err
check "a variable name '..' skips the file" \
    bash -c "[ $? = 0 ] && grep -qF \"variable name '..' starts with '.'\" '$tmp/xout/skipped.tsv'"
arch $'B\001d/S3' 'B_S3_gpp.nc'
gen_err
check "a control character in a model name skips its files, shown as \\x01" \
    bash -c "[ $? = 0 ] && grep -qF 'model name '\\''B\\x01d'\\'' contains a control character' '$tmp/xout/skipped.tsv'"
arch 'M/S3' 'M_S3_gpp.nc'
mkdir -p "$tmp/arch/.snapshot/S3" && : >"$tmp/arch/.snapshot/S3/x_S3_gpp.nc"
check "hidden directories are not scanned" \
    bash -c "./generate.py --input '$tmp/arch' -o '$tmp/x.ninja' --out '$tmp/xout' >/dev/null &&
        ! grep -q snapshot '$tmp/x.ninja'"
: >"$tmp/arch/M/S3/M6_S3_gpp.nc"
gen_err
check "two inputs for one output: one edge, the other skipped naming the winner and the rule" \
    bash -c "[ $? = 0 ] && [ \"\$(grep -c ': convert ' '$tmp/x.ninja')\" = 1 ] &&
        grep -q ': convert [^ ]*/M_S3_gpp.nc' '$tmp/x.ninja' &&
        grep -qF 'M6_S3_gpp.nc	same output as $tmp/arch/M/S3/M_S3_gpp.nc, which is converted: the name whose prefix is the model directory wins' '$tmp/xout/skipped.tsv'"
rm "$tmp/arch/M/S3/M6_S3_gpp.nc"
printf '[var.gpp]\nunits = "kg m-2 s-1"\nbogus = 1\n' >models/M.toml
gen_err
check "an unknown models/ key is an error naming file and key" \
    bash -c "[ $? = 1 ] && grep -qF \"models/M.toml: var.gpp: unknown key 'bogus'\" '$tmp/err'"
printf '[defaults]\nmissing = "x"\n' >models/M.toml
gen_err
check "a models/ value of the wrong type is an error" \
    bash -c "[ $? = 1 ] && grep -qF 'models/M.toml: missing: expected a list' '$tmp/err'"
rm models/M.toml
mkdir -p "$tmp/sp/A b:c/S3" && : >"$tmp/sp/A b:c/S3/A_S3_gpp.nc"
check "paths with spaces and colons are escaped and ninja reads them" \
    bash -c "./generate.py --input '$tmp/sp' -o '$tmp/sp.ninja' --out '$tmp/spout' >/dev/null &&
        ninja -f '$tmp/sp.ninja' -t query '$tmp/spout/A b:c/gpp.nc' | grep -qF '$tmp/sp/A b:c/S3/A_S3_gpp.nc'"
cat >"$tmp/touch-converter" <<'SH'
#!/bin/sh
# Creates OUTPUT and the --stats file, converts nothing.
while [ $# -gt 2 ]; do
    case $1 in --stats) : >"$2"; shift 2 ;; --*) shift 2 ;; *) break ;; esac
done
: >"$2"
SH
chmod +x "$tmp/touch-converter"
check "with spaces and colons in the roots and the model, the stats path is right" \
    bash -c "mkdir -p '$tmp/sp out' && ./generate.py --input '$tmp/sp' -o '$tmp/sp.ninja' --out '$tmp/sp out' \
        --converter '$tmp/touch-converter' --builddir '$tmp/spb' >/dev/null &&
        ninja -f '$tmp/sp.ninja' convert >/dev/null && [ -f '$tmp/sp out/A b:c/gpp.nc' ] &&
        [ -f '$tmp/sp out/stats/A b:c/gpp.json' ] && ninja -f '$tmp/sp.ninja' convert | grep -q 'no work to do'"
check "--shard I/N with I >= N is a usage error" \
    bash -c "./generate.py --shard 3/3 2>/dev/null; [ \$? = 2 ]"

# ------------------------------------------------------------ shards
rm -rf "$tmp/arch"
for m in Alpha Beta Gamma; do
    for s in S0 S1 S2 S3; do
        mkdir -p "$tmp/arch/$m/$s"
        for v in gpp npp nbp ra rh lai cVeg; do : >"$tmp/arch/$m/$s/${m}_${s}_$v.nc"; done
    done
done
./generate.py --input "$tmp/arch" -o "$tmp/all.ninja" --out out >/dev/null 2>&1
targets "$tmp/all.ninja" convert >"$tmp/all"
shards_ok=1
for n in 1 2 3 4 5; do
    : >"$tmp/union"
    for ((i = 0; i < n; i++)); do
        ./generate.py --input "$tmp/arch" --shard "$i/$n" -o "$tmp/s.ninja" --out out >/dev/null 2>&1
        targets "$tmp/s.ninja" convert >>"$tmp/union"
    done
    sort "$tmp/union" | cmp -s - "$tmp/all" || shards_ok=0
done
check "shards N=1..5 are disjoint and together cover all $(wc -l <"$tmp/all") inputs" \
    [ "$shards_ok" = 1 -a "$(wc -l <"$tmp/all")" = 84 ]
check "empty inputs are dealt round-robin by the byte split (28 per shard of 3)" \
    bash -c "for i in 0 1 2; do ./generate.py --input '$tmp/arch' --shard \$i/3 -o '$tmp/s.ninja' --out out >/dev/null &&
        [ \"\$(ninja -f '$tmp/s.ninja' -t targets rule convert | grep -c '^out/.*\.nc\$')\" = 28 ] || exit 1; done"
# --shard-by count: every N-th input in path order, from the I-th.
find "$tmp/arch" -name '*.nc' | sort | awk 'NR % 4 == 2' |
    sed 's|.*/\([^/]*\)/\(S[0-3]\)/[^_]*_S[0-3]_\(.*\)\.nc|\1 \2 \3|' |
    awk '{print "out/" ($2 == "S3" ? $1 : $1 "_" $2) "/" $3 ".nc"}' | sort >"$tmp/want"
./generate.py --input "$tmp/arch" --shard 1/4 --shard-by count -o "$tmp/s.ninja" --out out >/dev/null 2>&1
targets "$tmp/s.ninja" convert >"$tmp/got"
check "--shard-by count keeps every N-th input of the sorted paths (21 of 84)" \
    bash -c "[ \"\$(wc -l <'$tmp/want')\" = 21 ] && diff '$tmp/want' '$tmp/got'"
# --shard-by bytes: biggest first into the lightest shard.
rm -rf "$tmp/sized"
mkdir -p "$tmp/sized/M/S3"
size_of() { case $1 in gpp) echo 900;; npp) echo 800;; nbp) echo 500;; ra) echo 400;;
    rh) echo 300;; lai) echo 200;; cVeg) echo 100;; cSoil) echo 100;; esac; }
for v in gpp npp nbp ra rh lai cVeg cSoil; do truncate -s "$(size_of $v)" "$tmp/sized/M/S3/M_S3_$v.nc"; done
: >"$tmp/split"
for i in 0 1; do
    ./generate.py --input "$tmp/sized" --shard "$i/2" -o "$tmp/s.ninja" --out out >/dev/null 2>&1
    echo "$i $(targets "$tmp/s.ninja" convert | sed 's|out/M/||; s|\.nc||' | tr '\n' ' ')" >>"$tmp/split"
done
# gpp 900 -> 0; npp 800 -> 1; nbp 500 -> 1 (1300); ra 400 -> 0 (1300); rh 300
# -> 0 (tie in bytes and files: lowest index, 1600); lai 200 -> 1 (1500);
# cSoil 100 -> 1 (1600); cVeg 100 -> 0 (tie in bytes, fewer files).
check "--shard-by bytes (the default) puts the biggest input first into the lightest shard" \
    bash -c "cat '$tmp/split'; [ \"\$(cat '$tmp/split' | tr '\n' '|')\" = '0 cVeg gpp ra rh |1 cSoil lai nbp npp |' ]"
check "a sharded graph writes out/shards.tsv: shard, bytes, output for the whole archive" \
    bash -c "grep -q '^# shards=2 by=bytes' out/shards.tsv && [ \"\$(grep -c '^[01]	' out/shards.tsv)\" = 8 ] &&
        grep -qx '0	900	out/M/gpp.nc' out/shards.tsv"
rm -f out/shards.tsv

# ------------------------------------------------------------ regeneration
./generate.py >/dev/null 2>&1
ninja build.ninja >/dev/null 2>&1
mkdir -p sample/NEW/S3
cp sample/IBIS/S3/IBIS_S3_mrro.cdl sample/NEW/S3/NEW_S3_mrro.cdl
ninja no-such-target >"$tmp/regen.log" 2>&1
check "adding an archive file makes ninja rerun generate.py" \
    bash -c "grep -q 'GENERATE build.ninja' '$tmp/regen.log' &&
        closure build.ninja model-NEW | grep -qx out/NEW/mrro.nc"
rm -r sample/NEW
ninja no-such-target >/dev/null 2>&1

# ------------------------------------------------------------ conversions
# From here on the graph builds the real converter from the copied src/.
if [ ! -f src/main.c ]; then
    echo "note: src/main.c does not exist yet; the checks below fail until it does"
fi
ninja out/CLM5.0/gpp.nc >"$tmp/one.log" 2>&1
check "ninja out/CLM5.0/gpp.nc builds the converter and converts that one file" \
    bash -c "[ -s out/CLM5.0/gpp.nc ] && [ -s out/stats/CLM5.0/gpp.json ] &&
        [ \"\$(grep -c ' CONVERT ' '$tmp/one.log')\" = 1 ] &&
        [ \"\$(find out -name '*.nc' | wc -l)\" = 1 ]"
[ -s out/CLM5.0/gpp.nc ] || sed -n '1,20s/^/     /p' "$tmp/one.log"
ninja >"$tmp/all.log" 2>&1
rc=$?
check "./generate.py && ninja converts the whole sample" \
    bash -c "[ $rc = 0 ] && [ \"\$(find out -name '*.nc' ! -name areacella.nc ! -name sftlf.nc | wc -l)\" = 28 ] &&
        [ \"\$(find out -name areacella.nc | wc -l)\" = 18 ] && [ \"\$(find out -name sftlf.nc | wc -l)\" = 5 ]"
[ "$rc" = 0 ] || grep -B1 -A3 '^FAILED' "$tmp/all.log" | sed -n '1,40s/^/     /p'
# The sample's fluxes share one pattern in kg m-2 s-1 whatever their units,
# PFTs, packing or calendar: the first land value must agree.
first_land() { ncdump -v "$2" "$1" | sed -n "/^ $2 =/,\$p" | tr -d ' ,;' |
    grep -v -e '^_*$' -e '=' | head -n 1 | sed 's/_*\([0-9.e+-]*\).*/\1/'; }
check "the sample's gpp and npp files (kgC s-1, gC day-1 per PFT, gC month-1) agree after conversion" \
    bash -c "[ \"\$(printf '%s\n' '$(first_land out/CLM5.0/gpp.nc gpp)' '$(first_land out/SDGVM/npp.nc npp)' \
        '$(first_land out/DLEM/npp.nc npp)' '$(first_land out/CARDAMOM/gpp.nc gpp)' | cut -c1-5 | sort -u | wc -l)\" = 1 ]"
check "a second ninja has no work to do" \
    bash -c "ninja | grep -q 'no work to do'"
./generate.py --launcher 'env T2I_LAUNCHED=1' >/dev/null 2>&1
check "switching --launcher on reconverts nothing (ninja -n: no work)" \
    bash -c "ninja -n all check | grep -c CONVERT | grep -qx 0"
ninja -n out/IBIS/mrro.nc >/dev/null
rm out/IBIS/mrro.nc
check "the launcher runs the converter (a removed output is remade through it)" \
    bash -c "ninja out/IBIS/mrro.nc >/dev/null && [ -s out/IBIS/mrro.nc ]"
./generate.py >/dev/null 2>&1
check "switching it off again reconverts nothing either" \
    bash -c "ninja -n | grep -q 'no work to do'"
touch generate.py
ninja >/dev/null 2>&1
check "after a regeneration that leaves the wrapper untouched, ninja is a no-op (restat)" \
    bash -c "ninja | grep -q 'no work to do'"
touch models/SDGVM.toml
ninja build.ninja >/dev/null 2>&1
ninja -n convert >"$tmp/dirty.log" 2>&1
check "touching models/SDGVM.toml dirties only SDGVM's outputs" \
    bash -c "[ \"\$(grep -c ' CONVERT ' '$tmp/dirty.log')\" = 2 ] &&
        grep -q 'CONVERT out/SDGVM/npp.nc' '$tmp/dirty.log' &&
        grep -q 'CONVERT out/SDGVM/nbp.nc' '$tmp/dirty.log'"
touch tables/variables.tsv
ninja build.ninja >/dev/null 2>&1
check "touching the variables table dirties every output" \
    [ "$(ninja -n convert 2>&1 | grep -c ' CONVERT ')" = 28 ]
ninja >/dev/null 2>&1

# A failing input: ninja -k 0 converts every other file.
mkdir -p sample/BROKEN/S3
printf 'not netCDF\n' >sample/BROKEN/S3/BROKEN_S3_gpp.nc
./generate.py >/dev/null 2>&1
rm -rf out
ninja -k 0 >"$tmp/k.log" 2>&1
rc=$?
check "ninja -k 0 converts everything else when one file fails" \
    bash -c "[ $rc != 0 ] && [ ! -e out/BROKEN/gpp.nc ] &&
        [ \"\$(find out -name '*.nc' ! -name areacella.nc ! -name sftlf.nc | wc -l)\" = 28 ] &&
        grep -q 'FAILED: out/BROKEN/gpp.nc' '$tmp/k.log'"
check "the failing file leaves no output and no temporary file" \
    bash -c "[ -z \"\$(find out -name '*.tmp*')\" ] && { [ ! -e out/BROKEN ] || [ -z \"\$(ls -A out/BROKEN 2>/dev/null | grep -v '^\\..*\\.lock\$')\" ]; }"
rm -r sample/BROKEN
./generate.py >/dev/null 2>&1

# Interrupt a one-job run mid-way (a slow launcher makes the window), then
# resume: finished files are not converted again.
./generate.py --out slow --launcher 'sleep 0.5;' >/dev/null 2>&1
ninja -j1 convert >"$tmp/first.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
    [ "$(find slow -name '*.nc' 2>/dev/null | wc -l)" -ge 4 ] && break
    sleep 0.2
done
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
find slow -name '*.nc' | sort >"$tmp/done"
ninja -j4 convert >"$tmp/second.log" 2>&1
rc=$?
grep -o 'CONVERT [^ ]*' "$tmp/second.log" | sed 's|CONVERT ||' | sort >"$tmp/redo"
check "an interrupted ninja resumes without redoing finished files ($(wc -l <"$tmp/done") done before)" \
    bash -c "[ $rc = 0 ] && [ -s '$tmp/done' ] && [ -s '$tmp/redo' ] &&
        [ -z \"\$(comm -12 '$tmp/done' '$tmp/redo')\" ] &&
        [ \"\$(cat '$tmp/done' '$tmp/redo' | sort -u | wc -l)\" = 28 ]"

tally
