#!/usr/bin/env bash
# The release converter (build/trendy2ilamb, -O2, no sanitizers: what runs
# on the archive) under valgrind memcheck on a few sample files made with
# ncgen, netCDF-3 and netCDF-4, and on two refused inputs (the error paths
# free everything too). Clean = no memcheck error and no definite or
# possible leak (--error-exitcode=99); tests/valgrind.supp names the one
# leak of udunits2 itself. Slow, so kept to a handful of runs.
# Prints one "ok"/"FAIL" line per run and a final "N passed, M failed".
. "$(dirname "$0")/lib.sh"
bin=$root/build/trendy2ilamb

if ! command -v valgrind >/dev/null; then
    bad "valgrind is not installed (apt-get install valgrind)"
    tally
    exit 1
fi
# The release binary is not among the targets of `ninja tests`.
ninjafile=$root/build/tests.ninja
[ -f "$ninjafile" ] || ninjafile=$root/build.ninja
if ! (cd "$root" && ninja -f "$ninjafile" build/trendy2ilamb >"$tmp/build.log" 2>&1); then
    bad "building build/trendy2ilamb"
    sed -n '1,10s/^/     /p' "$tmp/build.log"
    tally
    exit 1
fi

# memcheck WANT_EXIT DESC INPUT: one conversion under valgrind.
memcheck() {
    local want=$1 desc=$2 in=$3
    rm -rf "$tmp/out" && mkdir "$tmp/out"
    valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,possible \
        --suppressions="$root/tests/valgrind.supp" --log-file="$tmp/vg.log" "$bin" --table "$root/tables/variables.tsv" \
        "$in" "$tmp/out/x.nc" >"$tmp/run.log" 2>&1
    local rc=$?
    local summary
    summary=$(grep -E 'ERROR SUMMARY' "$tmp/vg.log" | sed 's/^==[0-9]*== //')
    if [ "$rc" = "$want" ] && grep -q 'ERROR SUMMARY: 0 errors' "$tmp/vg.log"; then
        ok "$desc: exit $rc, $summary"
    else
        bad "$desc: exit $rc (want $want), $summary"
        grep -E 'Invalid|uninitialised|definitely|possibly|at 0x|by 0x' "$tmp/vg.log" |
            head -n 12 | sed 's/^/     /'
        sed -n '1,3s/^/     /p' "$tmp/run.log"
    fi
}

# sample MODEL SIM NAME KIND: sample/MODEL/SIM/NAME.cdl as netCDF (ncgen -k
# KIND) at $tmp/in/MODEL/SIM/NAME.nc; prints the path.
sample() {
    mkdir -p "$tmp/in/$1/$2"
    ncgen -k "$4" -o "$tmp/in/$1/$2/$3.nc" "$root/sample/$1/$2/$3.cdl" && echo "$tmp/in/$1/$2/$3.nc"
}

memcheck 0 "CLM5.0 gpp (netCDF-3, time bounds, noleap, 0..360)" \
    "$(sample CLM5.0 S3 CLM6.0_S3_gpp nc3)"
memcheck 0 "CLM5.0 gpp as netCDF-4" "$(sample CLM5.0 S2 CLM6.0_S2_gpp nc4)"
memcheck 0 "ISBA-CTRIP tas" "$(sample ISBA-CTRIP S3 ISBA-CTRIP_S3_tas nc4)"
f=$(sample JULES S3 JULES_S3_evapotrans nc3)
head -c 1000 "$f" >"$tmp/in/JULES/S3/cut_S3_evapotrans.nc"
memcheck 1 "a truncated netCDF-3 file (refused)" "$tmp/in/JULES/S3/cut_S3_evapotrans.nc"
f=$(sample iMAPLE S3 iMAPLE_S3_rh nc4)
sed 's/calendar = "[^"]*"/calendar = "mayan"/' "$root/sample/iMAPLE/S3/iMAPLE_S3_rh.cdl" >"$tmp/in/iMAPLE/S3/bad_S3_rh.cdl"
ncgen -k nc4 -o "$tmp/in/iMAPLE/S3/bad_S3_rh.nc" "$tmp/in/iMAPLE/S3/bad_S3_rh.cdl"
memcheck 1 "an unknown calendar after a full open (refused)" "$tmp/in/iMAPLE/S3/bad_S3_rh.nc"

tally
