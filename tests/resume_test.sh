#!/usr/bin/env bash
# Crash-resume and determinism of a whole archive run. In copies of the
# repository (what a fresh clone holds) with the bundled sample plus a bulk
# model (T2I_RESUME_BULK files of 240 steps on a 1-degree grid, made by
# ncgen edges, so there is something to interrupt):
#   - a reference run with plain `ninja`;
#   - a second uninterrupted run: byte-identical outputs (determinism);
#   - a run of `ninja -j2` in its own session, killed with SIGKILL (ninja and
#     every converter and ncgen at once) at random moments T2I_RESUME_KILLS
#     times; after each kill every file under a final name is complete (equal
#     to the reference); then a rerun to completion: all outputs equal the
#     reference, no .tmp remains, and outputs ninja had recorded as finished
#     before a kill were not redone (same mtime).
# T2I_RESUME_SEED fixes the random kill moments (printed for a rerun).
# Prints one "ok"/"FAIL" line per check and a final "N passed, M failed".
. "$(dirname "$0")/lib.sh"
kills=${T2I_RESUME_KILLS:-6}
bulk=${T2I_RESUME_BULK:-10}
seed=${T2I_RESUME_SEED:-$$}
RANDOM=$seed

echo "# seed $seed (T2I_RESUME_SEED), $kills kills, $bulk bulk files"

# ------------------------------------------------------------ the template
template=$tmp/template
mkdir -p "$template"
(cd "$root" && cp -r generate.py t2i_plan.py report.py t2i_pictures.py build.ninja.in rules models tables sample src include tests \
    "$template/") || exit 3
cd "$template" || exit 3
cp -r sample arch
mkdir -p arch/Bulk/S3
vars=(gpp npp nbp ra rh fFire fLuc mrro mrros pr)
times=$(seq -s ', ' 15.5 30.4375 7300 | cut -d, -f1-240)
lats=$(seq -s ', ' -89.5 1 89.5)
lons=$(seq -s ', ' 0.5 1 359.5)
for ((i = 0; i < bulk; i++)); do
    v=${vars[i % ${#vars[@]}]}
    [ "$i" -ge "${#vars[@]}" ] && v=$v$i # beyond the table: listed as skipped
    cat >"arch/Bulk/S3/Bulk_S3_$v.cdl" <<EOF
// ncgen -k nc4
netcdf Bulk_S3_$v {
dimensions:
	time = 240 ;
	lat = 180 ;
	lon = 360 ;
variables:
	double time(time) ;
		time:units = "days since 1901-01-01" ;
		time:calendar = "noleap" ;
	float lat(lat) ;
		lat:units = "degrees_north" ;
	float lon(lon) ;
		lon:units = "degrees_east" ;
	float $v(time, lat, lon) ;
		$v:units = "kg m-2 s-1" ;
		$v:_FillValue = -99999.f ;
		$v:_ChunkSizes = 1, 180, 360 ;
data:
 time = $times ;
 lat = $lats ;
 lon = $lons ;
}
EOF
done
if ! ./generate.py --input arch >"$tmp/gen.log" 2>&1 || ! ninja build/trendy2ilamb >>"$tmp/gen.log" 2>&1; then
    bad "generate.py and the converter build in the template"
    sed 's/^/     /' "$tmp/gen.log"
    tally
    exit 1
fi
ok "the template copy builds its converter; $(grep -o '[0-9]* conversions' "$tmp/gen.log")"

# outputs DIR: every file under DIR/out except the per-run statistics
# (which hold timings), relative, sorted.
outputs() { (cd "$1" && find out -type f ! -path 'out/stats/*' | sort); }

# same_outputs A B: every output of A equals B's byte for byte, and the lists agree.
same_outputs() {
    local f
    outputs "$1" >"$tmp/a.list"
    outputs "$2" >"$tmp/b.list"
    cmp -s "$tmp/a.list" "$tmp/b.list" || return 1
    while read -r f; do cmp -s "$1/$f" "$2/$f" || return 1; done <"$tmp/a.list"
}

# ------------------------------------------------------------ reference
cp -a "$template" "$tmp/ref"
start=$(date +%s%N)
(cd "$tmp/ref" && ninja >"$tmp/ref.log" 2>&1)
rc=$?
ref_ms=$((($(date +%s%N) - start) / 1000000))
[ "$rc" = 0 ] && ok "the reference run completes ($ref_ms ms)" || {
    bad "the reference run (exit $rc)"
    tail -n 5 "$tmp/ref.log" | sed 's/^/     /'
}
nout=$(outputs "$tmp/ref" | grep -c '\.nc$')

cp -a "$template" "$tmp/again"
(cd "$tmp/again" && ninja -j2 >/dev/null 2>&1)
same_outputs "$tmp/ref" "$tmp/again" && ok "a second run gives byte-identical files ($nout .nc)" ||
    bad "a second run differs: $(diff "$tmp/a.list" "$tmp/b.list" | head -3 | tr '\n' ' ')"
rm -rf "$tmp/again"

# ------------------------------------------------------------ kills
work=$tmp/work
cp -a "$template" "$work"
cd "$work" || exit 3

# session_pids SID: every process of session SID.
session_pids() { ps -eo pid=,sid= | awk -v s="$1" '$2 == s { print $1 }'; }

# finished: out/ paths ninja's log records as built, with their mtimes.
finished() {
    awk -F'\t' '$4 ~ /^out\// && $4 !~ /^out\/stats\// { print $4 }' .ninja_log 2>/dev/null |
        sort -u | while read -r f; do
        [ -f "$f" ] && echo "$f $(stat -c %Y.%y "$f")"
    done
}

mid_run=0
partial=""
: >"$tmp/done"
for ((k = 1; k <= kills; k++)); do
    # Between 5 % and 30 % of the reference run's duration, so that the
    # default six kills mostly land before the work runs out.
    ms=$((ref_ms * 5 / 100 + RANDOM % (ref_ms * 25 / 100 + 1)))
    setsid ninja -j2 >"$tmp/kill$k.log" 2>&1 &
    pid=$!
    sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    sid=$(ps -o sid= -p "$pid" | tr -d ' ')
    if [ -n "$sid" ]; then
        # shellcheck disable=SC2046
        kill -9 $(session_pids "$sid") 2>/dev/null
        mid_run=$((mid_run + 1))
    fi
    wait "$pid" 2>/dev/null
    for ((w = 0; w < 50; w++)); do
        [ -z "$sid" ] || [ -z "$(session_pids "$sid")" ] && break
        sleep 0.1
    done
    echo "# kill $k after $ms ms: $(grep -c 'CONVERT\|NCGEN' "$tmp/kill$k.log") edges done," \
        "$(find out -name '*.tmp' 2>/dev/null | wc -l) .tmp files left"
    # Nothing visible under a final name may be partial.
    while read -r f; do
        case $f in *.nc | *.tsv) cmp -s "$f" "$tmp/ref/$f" || partial+=" kill$k:$f" ;; esac
    done < <(outputs "$work")
    finished >>"$tmp/done"
done
[ -z "$partial" ] && ok "after each of $kills kills every file under a final name is complete" ||
    bad "files under a final name differ from the reference:$partial"
# Later kills may find the work done; at least three must interrupt it.
want=$((kills < 3 ? kills : 3))
[ "$mid_run" -ge "$want" ] && ok "$mid_run of $kills kills hit a running build" ||
    bad "only $mid_run of $kills kills hit a running build (want $want)"

ninja -j2 >"$tmp/final.log" 2>&1
rc=$?
[ "$rc" = 0 ] && ok "the rerun after the kills completes" || {
    bad "the rerun after the kills (exit $rc)"
    tail -n 5 "$tmp/final.log" | sed 's/^/     /'
}
same_outputs "$tmp/ref" "$work" && ok "every output equals the uninterrupted run's ($nout .nc)" ||
    bad "outputs differ from the uninterrupted run: $(diff "$tmp/a.list" "$tmp/b.list" | head -3 | tr '\n' ' ')"
left=$(find out build/sample -name '*.tmp' | head -5)
[ -z "$left" ] && ok "no .tmp remains under out/ or build/sample/" || bad "left behind: $left"
redone=""
sort -u "$tmp/done" | while read -r f stamp; do
    [ "$(stat -c %Y.%y "$f")" = "$stamp" ] || echo "$f"
done >"$tmp/redone"
ndone=$(cut -d' ' -f1 "$tmp/done" | sort -u | wc -l)
[ ! -s "$tmp/redone" ] && ok "$ndone outputs finished before a kill were not redone" ||
    bad "redone after a kill: $(tr '\n' ' ' <"$tmp/redone")"
ninja -n 2>&1 | grep -q 'no work to do' && ok "a further ninja has no work to do" ||
    bad "a further ninja still has work: $(ninja -n | head -3 | tr '\n' ' ')"

tally
