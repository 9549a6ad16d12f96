#!/usr/bin/env bash
# Tests of t2i-verify (issue 6). A good output is made from a small CDL
# input with the converter; broken outputs are made from it the way real
# bugs would look: ncdump -> edit the CDL with sed -> ncgen (flipped
# latitude, lost mask, missing bounds), or by converting a doctored input and
# checking the result against the true input (shifted months, wrong unit
# factor). Each broken output must fail (exit 1) with a line naming the
# problem; the good one must pass. Then a run report on a small temporary
# archive with one bad file: its table must say what converted and what
# failed.
#
# Each check prints "ok   <what>" or "FAIL <what>"; the last line is the
# tally "N passed, M failed". Environment: T2I_ROOT (repository root),
# T2I_BIN (converter; default build/san/trendy2ilamb), T2I_VERIFY (checker;
# default build/san/t2i-verify).
. "$(dirname "$0")/lib.sh"
bin=${T2I_BIN:-build/san/trendy2ilamb}
verify=${T2I_VERIFY:-build/san/t2i-verify}
[[ $bin == /* ]] || bin=$root/$bin
[[ $verify == /* ]] || verify=$root/$verify
table=$root/tables/variables.tsv


# The input: 14 months of noleap gpp in gC m-2 day-1, latitude north to
# south, longitude 0..360, fill -99999 over three "ocean" cells.
write_input() { # FILE FIRST_MONTH_INDEX UNITS
    awk -v first="$2" -v units="$3" 'BEGIN {
        split("31 28 31 30 31 30 31 31 30 31 30 31", len, " ")
        print "netcdf T_S3_gpp {\ndimensions:\n\ttime = 14 ;\n\tlat = 4 ;\n\tlon = 8 ;"
        print "variables:\n\tdouble time(time) ;"
        print "\t\ttime:units = \"days since 1850-01-01 00:00:00\" ;"
        print "\t\ttime:calendar = \"noleap\" ;"
        print "\tfloat lat(lat) ;\n\t\tlat:units = \"degrees_north\" ;"
        print "\tfloat lon(lon) ;\n\t\tlon:units = \"degrees_east\" ;"
        print "\tfloat gpp(time, lat, lon) ;"
        printf "\t\tgpp:units = \"%s\" ;\n\t\tgpp:_FillValue = -99999.f ;\n", units
        printf "data:\n time = "
        start = 0
        for (m = 0; m < first + 14; m++) {
            l = len[m % 12 + 1]
            if (m >= first) printf "%s%g", (m > first ? ", " : ""), start + l / 2
            start += l
        }
        print " ;\n lat = 67.5, 22.5, -22.5, -67.5 ;"
        print " lon = 22.5, 67.5, 112.5, 157.5, 202.5, 247.5, 292.5, 337.5 ;"
        printf " gpp = "
        for (t = 0; t < 14; t++) for (y = 0; y < 4; y++) for (x = 0; x < 8; x++) {
            v = (y == 0 && x < 3) ? -99999 : (t + 1) * (y + 1) + x / 2
            printf "%s%g", (t + y + x ? ", " : ""), v
        }
        print " ;\n}"
    }' >"$1.cdl" && ncgen -k nc3 -o "$1" "$1.cdl"
}

convert() { "$bin" --var gpp --table "$table" "$1" "$2" 2>"$tmp/convert.err"; }
# run_check OUTPUT [INPUT]: the checker's exit status; its stderr in check.err.
run_check() {
    "$verify" --var gpp --table "$table" --json "$tmp/result.json" \
        "${2:-$tmp/T_S3_gpp.nc}" "$1" 2>"$tmp/check.err"
}
# expect_fail DESCRIPTION OUTPUT TEXT [INPUT]: exit 1 and TEXT on stderr.
expect_fail() {
    run_check "$2" "${4:-}"
    local rc=$?
    if [ "$rc" -eq 1 ] && grep -qF -- "$3" "$tmp/check.err" &&
        grep -q '"status": "failed"' "$tmp/result.json"; then
        ok "$1"
    else
        bad "$1 (exit $rc, want 1 and '$3')"
        sed 's/^/     /' "$tmp/check.err"
    fi
}
# edit NAME SED-SCRIPT: a copy of the good output edited as CDL.
edit() {
    ncdump "$tmp/good.nc" | sed -e "$2" >"$tmp/$1.cdl" &&
        ncgen -k nc7 -o "$tmp/$1.nc" "$tmp/$1.cdl"
}

# ------------------------------------------------------------ per-file checks
write_input "$tmp/T_S3_gpp.nc" 0 "gC m-2 day-1" || exit 3
if convert "$tmp/T_S3_gpp.nc" "$tmp/good.nc"; then ok "the fixture converts"; else
    bad "the fixture converts"; sed 's/^/     /' "$tmp/convert.err"; fi

if run_check "$tmp/good.nc" && grep -q '"status": "ok"' "$tmp/result.json"; then
    ok "a good output passes, status ok in the JSON"
else
    bad "a good output passes"; sed 's/^/     /' "$tmp/check.err"
fi
grep -q '"steps_compared": 12' "$tmp/result.json" &&
    ok "12 sampled steps were compared with the input" ||
    bad "12 sampled steps were compared with the input"
grep -q '"map_nlat": 4' "$tmp/result.json" && grep -q '"series": \[' "$tmp/result.json" &&
    ok "the JSON carries the quicklook series and map" ||
    bad "the JSON carries the quicklook series and map"

edit same 's/^netcdf good/netcdf same/'
if run_check "$tmp/same.nc"; then ok "an ncdump/ncgen round trip still passes (edits below are what fail)"
else bad "an ncdump/ncgen round trip still passes"; sed 's/^/     /' "$tmp/check.err"; fi

edit flipped 's/^ lat = -67.5, -22.5, 22.5, 67.5 ;/ lat = 67.5, 22.5, -22.5, -67.5 ;/'
expect_fail "flipped latitude fails: 'lat is descending'" "$tmp/flipped.nc" "lat is descending"

edit nobounds '/lat_bnds(lat, bnds)/d; /lat:bounds = /d; /^ lat_bnds =/,/;$/d'
expect_fail "missing bounds fail: 'lat_bnds missing'" "$tmp/nobounds.nc" "lat_bnds missing"

# ilamb3 needs float64 time (ILAMB#95: an integer time axis failed).
edit floattime 's/^\tdouble time(time) ;/\tfloat time(time) ;/'
expect_fail "float32 time fails: 'time is not float64'" "$tmp/floattime.nc" "time is not float64"
edit floatbnds 's/^\tdouble time_bnds(time, bnds) ;/\tfloat time_bnds(time, bnds) ;/'
expect_fail "float32 time_bnds fails: 'time_bnds is not float64'" "$tmp/floatbnds.nc" \
    "time_bnds is not float64"

# ncdump writes a fill value as "_": turning those into 0 loses the mask.
edit nomask '/^ gpp =/,/;$/{s/\(^\|[ ,]\)_\([,; ]\)/\10\2/g; s/\(^\|[ ,]\)_\([,; ]\)/\10\2/g}'
expect_fail "lost mask fails: 'missing mask differs'" "$tmp/nomask.nc" "missing mask differs at 3 cells of step 0"

edit wrongunits 's/gpp:units = "kg m-2 s-1"/gpp:units = "g m-2 s-1"/'
expect_fail "a wrong units attribute fails, naming both" "$tmp/wrongunits.nc" "units are 'g m-2 s-1', not 'kg m-2 s-1'"

edit badmonth '/^ time_bnds =/,/;$/s/^  59, 90,$/  59, 89,/'
expect_fail "a 30-day March fails: 'time bounds of step 2 are 30 days, 1850-03 has 31'" \
    "$tmp/badmonth.nc" "time bounds of step 2 are 30 days, 1850-03 has 31"

# The converter reading the stamps a month late: every bound is a clean
# calendar month, so only the input's own stamps can tell.
write_input "$tmp/late.nc" 1 "gC m-2 day-1" && convert "$tmp/late.nc" "$tmp/shifted.nc"
expect_fail "shifted months fail: 'step 0 covers 1850-02 ... in 1850-01'" "$tmp/shifted.nc" \
    "step 0 covers 1850-02, but the input stamp 15.5 'days since 1850-01-01 00:00:00' is in 1850-01"

# The converter taking the values as per month: a wrong factor.
write_input "$tmp/month.nc" 0 "gC m-2 month-1" && convert "$tmp/month.nc" "$tmp/factor.nc"
expect_fail "a wrong unit factor fails: 'value at (step 0, lat -67.5, lon -157.5)'" \
    "$tmp/factor.nc" "value at (step 0, lat -67.5, lon -157.5) is"

# ------------------------------------------------------------ soil layers
# CABLE's msl (tests/fixtures/layers_cable_msl.cdl): mrsol keeps the six
# layers, mrsos sums the top 0.1 m; the checker works both out on its own.
ncgen -k nc4 -o "$tmp/C_S3_msl.nc" "$root/tests/fixtures/layers_cable_msl.cdl" || exit 3
layered() { # OUT-VAR OUTPUT [INPUT]: the checker on a layered output
    "$verify" --var msl --out-var "$1" --table "$table" --json "$tmp/result.json" \
        "${3:-$tmp/C_S3_msl.nc}" "$2" 2>"$tmp/check.err"
}
for v in mrsol mrsos; do
    "$bin" --var msl --out-var $v --table "$table" "$tmp/C_S3_msl.nc" "$tmp/$v.nc" \
        2>"$tmp/convert.err" || { bad "msl converts to $v"; sed 's/^/     /' "$tmp/convert.err"; }
    if layered $v "$tmp/$v.nc" && grep -q '"status": "ok"' "$tmp/result.json"; then
        ok "a good $v passes"
    else bad "a good $v passes"; sed 's/^/     /' "$tmp/check.err"; fi
done
# expect_layered DESCRIPTION OUT-VAR OUTPUT TEXT: exit 1 and TEXT on stderr.
expect_layered() {
    layered "$2" "$3"
    local rc=$?
    if [ "$rc" -eq 1 ] && grep -qF -- "$4" "$tmp/check.err"; then ok "$1"; else
        bad "$1 (exit $rc, want 1 and '$4')"; sed 's/^/     /' "$tmp/check.err"; fi
}
edit_layer() { # NAME FROM SED-SCRIPT: a copy of output FROM edited as CDL
    ncdump "$tmp/$2.nc" | sed -e "$3" >"$tmp/$1.cdl" && ncgen -k nc7 -o "$tmp/$1.nc" "$tmp/$1.cdl"
}
edit_layer deepbnds mrsol '/^ depth_bnds =/,/;$/s/0.08, 0.234,/0.08, 0.3,/'
expect_layered "a depth bound off the input's layers fails" mrsol "$tmp/deepbnds.nc" \
    "depth_bnds of level 2 are [0.08, 0.3], the input's layer is [0.08, 0.234] m"
edit_layer uppositive mrsol 's/depth:positive = "down"/depth:positive = "up"/'
expect_layered "depth positive up fails" mrsol "$tmp/uppositive.nc" "depth positive is not 'down'"
# mrsos cell 1 of month 1 is 10 by hand; 10.5 would be layer 3 taken by
# 0.0525 / 0.154 (a wrong top).
edit_layer wrongtop mrsos '/^ mrsos =/,/;$/s/^  10, 3,$/  10.5, 3,/'
expect_layered "a wrong top-of-soil sum fails" mrsos "$tmp/wrongtop.nc" \
    "value at (step 0, lat 0, lon -90) is 10.5, input converted gives 10"
edit_layer flat mrsol '/^ depth_bnds =/,/;$/d; /depth_bnds(depth, bnds)/d; /depth:bounds/d'
expect_layered "a depth axis without bounds fails: 'depth_bnds missing'" mrsol "$tmp/flat.nc" \
    "depth_bnds missing"

"$verify" --table "$table" "$tmp/T_S3_gpp.nc" 2>/dev/null
[ $? -eq 2 ] && ok "one positional argument is a usage error (exit 2)" ||
    bad "one positional argument is a usage error (exit 2)"

tally
