#!/usr/bin/env bash
# Tests of `ninja check` and `ninja report` (issue 6) on a small temporary
# archive, in a copy of the repository: two models that convert, an S2 file,
# a file whose time units are misspelt (the conversion fails), a variable
# the table does not know (skipped), and an output broken after conversion
# (its check fails). The report's table.tsv must say exactly that, and the
# page must stand alone (no script, every picture present).
#
# Each check prints "ok   <what>" or "FAIL <what>"; the last line is the
# tally "N passed, M failed". Environment: T2I_ROOT (repository root).
. "$(dirname "$0")/lib.sh"

# row SIM MODEL VAR STATE CHECK: table.tsv has that line (reason aside).
row() {
    awk -F '\t' -v s="$1" -v m="$2" -v v="$3" -v st="$4" -v c="$5" \
        '$1 == s && $2 == m && $3 == v && $4 == st && $5 == c {found = 1}
         END {exit !found}' "$tmp/out/report/table.tsv"
}

repo=$tmp/repo
mkdir -p "$repo"
(cd "$root" && cp -r generate.py t2i_plan.py report.py t2i_pictures.py build.ninja.in rules models tables src include "$repo/")
arch=$tmp/archive
mkdir -p "$arch/CLM5.0/S3" "$arch/CLM5.0/S2" "$arch/DLEM/S3" "$arch/BROKEN/S3" \
    "$arch/CARDAMOM/S3"
cp "$root/sample/CLM5.0/S3/CLM6.0_S3_gpp.cdl" "$arch/CLM5.0/S3/"
cp "$root/sample/CLM5.0/S2/CLM6.0_S2_gpp.cdl" "$arch/CLM5.0/S2/"
cp "$root/sample/DLEM/S3/DLEM_S3_npp.cdl" "$arch/DLEM/S3/"
cp "$root/sample/CARDAMOM/S3/CARDAMOM_S3_FLOSS_FRAC.cdl" "$arch/CARDAMOM/S3/"
sed 's/days since 1700-01-01 00:00:00/days sinse 1700-01-01/' \
    "$root/sample/CLM5.0/S3/CLM6.0_S3_gpp.cdl" >"$arch/BROKEN/S3/BROKEN_S3_gpp.cdl"

cd "$repo" || exit 3
ninja_() { ninja -f "$tmp/build.ninja" "$@"; }
check "generate.py plans the temporary archive" \
    ./generate.py --input "$arch" --out "$tmp/out" -o "$tmp/build.ninja" --builddir "$tmp/b"
ninja_ -k 0 check >"$tmp/check1.log" 2>&1
check "ninja -k 0 check fails (one conversion fails)" test $? -ne 0
check "ninja -k 0 check still checks the other outputs" \
    test -f "$tmp/out/check/CLM5.0/gpp.json" -a -f "$tmp/out/check/DLEM/npp.json" \
    -a -f "$tmp/out/check/CLM5.0_S2/gpp.json"

# Break one output after conversion: its check reruns and fails.
ncdump "$tmp/out/DLEM/npp.nc" | sed 's/^ lat = -67.5, -22.5, 22.5, 67.5 ;/ lat = 67.5, 22.5, -22.5, -67.5 ;/' \
    >"$tmp/dlem.cdl" && ncgen -k nc7 -o "$tmp/out/DLEM/npp.nc" "$tmp/dlem.cdl"
ninja_ -k 0 check >"$tmp/check2.log" 2>&1
check "the broken output's check fails, naming the problem" \
    grep -qF "out/DLEM/npp.nc: lat is descending" "$tmp/check2.log"
check "ninja report builds after the failures" ninja_ report

t=$tmp/out/report/table.tsv
check "table: CLM5.0 S3 gpp converted, check ok" row S3 CLM5.0 gpp converted "check ok"
check "table: CLM5.0 S2 gpp converted, check ok" row S2 CLM5.0 gpp converted "check ok"
check "table: DLEM npp converted, check failed" row S3 DLEM npp converted "check failed"
check "table: BROKEN gpp FAILED with the converter's reason" \
    bash -c "awk -F '\t' '\$2 == \"BROKEN\" && \$3 == \"gpp\" && \$4 == \"FAILED\" && \$6 ~ /sinse/ {f = 1} END {exit !f}' '$t'"
check "table: CARDAMOM FLOSS_FRAC skipped with the reason" \
    bash -c "awk -F '\t' '\$3 == \"FLOSS_FRAC\" && \$4 == \"skipped\" && \$6 ~ /not in/ {f = 1} END {exit !f}' '$t'"
check "table: DLEM gpp (no file) is missing" row S3 DLEM gpp missing ""
check "table: nothing else converted or failed" \
    test "$(awk -F '\t' '$4 == "converted" || $4 == "FAILED"' "$t" | wc -l)" -eq 4
check "report.json totals: 3 converted, 1 failed, 1 skipped" \
    bash -c "grep -q '\"converted\": 3,' '$tmp/out/report/report.json' &&
        grep -q '\"failed\": 1,' '$tmp/out/report/report.json' &&
        grep -q '\"skipped\": 1,' '$tmp/out/report/report.json'"
html=$tmp/out/report/index.html
check "the page has no script and names the failure" \
    bash -c "! grep -qi '<script' '$html' && grep -q 'FAILED' '$html' && grep -q 'sinse' '$html'"
check "every picture the page names exists" bash -c "cd '$tmp/out/report' &&
    grep -o 'src=\"[^\"]*\"' index.html | cut -d'\"' -f2 | sort -u >'$tmp/imgs' &&
    test -s '$tmp/imgs' && xargs ls <'$tmp/imgs' >/dev/null"
check "the page lists the ninja timing of conversions and checks" \
    bash -c "grep -q '<td>convert</td>' '$html' && grep -q '<td>check</td>' '$html'"

tally
