#!/usr/bin/env bash
# Issue 23: a killed Ninja's orphans never race a rerun, and two ninja
# processes on one graph never race each other. Ninja starts each command
# in a process group of its own, so `kill -9` of Ninja's group leaves its
# conversions, checks and decompressions running; a rerun started at once
# runs the same edges beside them. In a copy of the repository with the
# sample plus a bulk model (T2I_KILL_BULK files of 240 steps on a 1-degree
# grid, a third of them gzipped, so kills land mid-conversion, mid-check
# and mid-decompression):
#   - a reference run of `ninja all check`;
#   - T2I_KILL_ROUNDS rounds from an empty out/: `ninja -j2 all check` in a
#     process group of its own, kill -9 of that group (Ninja alone) at a
#     random moment, a rerun at once with no wait, to completion;
#   - T2I_CONCURRENT_ROUNDS rounds from an empty out/: two `ninja -j2 all
#     check` on the same graph at once, both to completion.
# After every round every output is byte-identical to the reference (the
# stats and check results too, but for their timing fields), no temporary
# is left anywhere, and the killed build's orphans are gone within a few
# seconds (the launcher's watchdog). T2I_KILL_SEED fixes the kill moments;
# T2I_KILL_KEEP=DIR keeps what a failing round left.
# Prints one "ok"/"FAIL" line per check and a final "N passed, M failed".
. "$(dirname "$0")/lib.sh"
rounds=${T2I_KILL_ROUNDS:-2}
concurrent=${T2I_CONCURRENT_ROUNDS:-2}
bulk=${T2I_KILL_BULK:-9}
seed=${T2I_KILL_SEED:-$$}
RANDOM=$seed
echo "# seed $seed (T2I_KILL_SEED), $rounds kill rounds, $concurrent concurrent rounds, $bulk bulk files"

# ------------------------------------------------------------ the template
work=$tmp/work
mkdir -p "$work"
(cd "$root" && cp -r generate.py t2i_plan.py t2i_land.py t2i_totals.py report.py t2i_pictures.py \
    ilamb_setup.py build.ninja.in rules models tables sample src include tests "$work/") || exit 3
cd "$work" || exit 3
cp -r sample arch
mkdir -p arch/Bulk/S3
vars=(gpp npp nbp ra rh fFire fLuc mrro mrros pr evapotrans tas)
times=$(seq -s ', ' 15.5 30.4375 7300 | cut -d, -f1-240)
lats=$(seq -s ', ' -89.5 1 89.5)
lons=$(seq -s ', ' 0.5 1 359.5)
for ((i = 0; i < bulk && i < ${#vars[@]}; i++)); do
    v=${vars[i]}
    name=Bulk_S3_$v.cdl
    [ $((i % 3)) = 2 ] && name=Bulk_S3_$v.nc.gz.cdl
    # A field that is not all fill, so the check compares values: the
    # variable's one data value is repeated by ncgen along the record.
    cat >"arch/Bulk/S3/$name" <<CDL
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
CDL
done
if ! ./generate.py --input arch >"$tmp/gen.log" 2>&1 || ! ninja build/trendy2ilamb build/t2i-verify \
    build/t2i-inflate build/t2i-area >>"$tmp/gen.log" 2>&1; then
    bad "generate.py and the programs build in the copy"
    sed 's/^/     /' "$tmp/gen.log"
    tally
    exit 1
fi
ok "the copy builds its programs; $(grep -o '[0-9]* conversions' "$tmp/gen.log")"
# The archive's inputs, made once: every round starts from them.
ninja -j2 $(ninja -t targets all | grep -o '^build/sample/[^:]*' | sort -u) >"$tmp/inputs.log" 2>&1 ||
    bad "the sample and bulk inputs are made"

# outputs: every file under out/ and build/ that a run leaves for the user,
# relative, sorted: not Ninja's own logs, the lock files, the programs.
outputs() {
    find out build -type f ! -name '*.lock' ! -name '.ninja_*' ! -path 'build/obj/*' \
        ! -path 'build/san/*' ! -path 'build/t2i-*' ! -path 'build/trendy2ilamb' | sort
}
# normal FILE [ROOT]: ROOT/FILE without the fields that hold timings.
normal() {
    case $1 in
    out/stats/* | out/check/*) grep -vE '"(wall_seconds|cpu_seconds|peak_rss_kib)"' "${2:-.}/$1" ;;
    *) cat "${2:-.}/$1" ;;
    esac
}
# same_as_ref: every output equals the reference's; the first differences
# go to $tmp/diff.
same_as_ref() {
    local f
    : >"$tmp/diff"
    outputs | grep -v '^out/report/' >"$tmp/now.list"
    diff "$tmp/ref.list" "$tmp/now.list" >>"$tmp/diff" || return 1
    while read -r f; do
        cmp -s <(normal "$f") <(normal "$f" "$tmp/ref") || echo "differs: $f" >>"$tmp/diff"
    done <"$tmp/now.list"
    [ ! -s "$tmp/diff" ]
}
# temporaries: every temporary name anywhere in the copy.
temporaries() { find out build -name '*.tmp' -o -name '*.tmp.*' | head -5; }
# group_pids PGID: processes of that process group; orphans: the edges a
# killed Ninja left, found by the session the test gave it.
session_pids() { ps -eo pid=,sid= | awk -v s="$1" '$2 == s { print $1 }'; }
fresh() { rm -rf out build/scratch; }
# keep NAME LOG...: with T2I_KILL_KEEP=DIR, a failing round's out/, the
# reference, Ninja's log and the round's logs are kept in DIR/NAME.
keep() {
    [ -n "${T2I_KILL_KEEP:-}" ] || return 0
    local d=$T2I_KILL_KEEP/$1
    shift
    mkdir -p "$d" && cp -r out "$tmp/ref" "$tmp/diff" .ninja_log "$@" "$d/" 2>/dev/null
    echo "     kept in $d"
}

# ------------------------------------------------------------ reference
fresh
start=$(date +%s%N)
ninja -j2 all check >"$tmp/ref.log" 2>&1
rc=$?
ref_ms=$((($(date +%s%N) - start) / 1000000))
[ "$rc" = 0 ] && ok "the reference run completes ($ref_ms ms)" || {
    bad "the reference run (exit $rc)"
    tail -n 5 "$tmp/ref.log" | sed 's/^/     /'
}
outputs | grep -v '^out/report/' >"$tmp/ref.list"
mkdir -p "$tmp/ref"
while read -r f; do mkdir -p "$tmp/ref/${f%/*}" && cp "$f" "$tmp/ref/$f"; done <"$tmp/ref.list"
nref=$(grep -c '\.nc$' "$tmp/ref.list")
locks=$(find out -name '*.lock' ! -path 'out/stats/*' ! -path 'out/check/*' | head -3)
[ -z "$locks" ] && ok "lock files live in the tool's own trees, none in a model's directory (ILAMB reads those)" ||
    bad "lock files in model directories: $locks"
echo "# reference: $nref .nc files, $(wc -l <"$tmp/ref.list") files in all"

# ------------------------------------------------------------ kill rounds
bad_rounds=""
orphans_late=""
for ((k = 1; k <= rounds; k++)); do
    fresh
    # Between 10 % and 60 % of the reference run, so the kill lands while
    # conversions, checks or decompressions run.
    ms=$((ref_ms * 10 / 100 + RANDOM % (ref_ms * 50 / 100 + 1)))
    setsid ninja -j2 all check >"$tmp/kill$k.log" 2>&1 &
    pid=$!
    sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    sid=$(ps -o sid= -p "$pid" | tr -d ' ')
    kill -9 -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    live=$(session_pids "$sid" | wc -l)
    # The rerun, at once: the orphans are still running.
    ninja -j2 all check >"$tmp/rerun$k.log" 2>&1
    rc=$?
    for ((w = 0; w < 50; w++)); do
        [ -n "$sid" ] && [ -n "$(session_pids "$sid")" ] || break
        sleep 0.1
    done
    [ -z "$sid" ] || [ -z "$(session_pids "$sid")" ] || orphans_late+=" round$k"
    echo "# round $k: killed after $ms ms, $live orphans then; rerun exit $rc"
    if [ "$rc" != 0 ] || ! same_as_ref || [ -n "$(temporaries)" ]; then
        bad_rounds+=" round$k(exit $rc; $(head -3 "$tmp/diff" | tr '\n' ' ') $(temporaries | tr '\n' ' '))"
        keep "kill$k" "$tmp/kill$k.log" "$tmp/rerun$k.log"
        grep -v '^\[' "$tmp/rerun$k.log" | head -5 | sed 's/^/     /'
    fi
done
[ -z "$bad_rounds" ] &&
    ok "$rounds rounds of kill -9 of Ninja's group mid-build and an immediate rerun: every output byte-identical to the reference, no temporary left" ||
    bad "kill rounds:$bad_rounds"
[ -z "$orphans_late" ] && ok "the killed builds' orphans were gone within 5 s of the rerun's end" ||
    bad "orphans still running 5 s after the rerun:$orphans_late"

# Without a rerun to wait for them, the orphans end by themselves: the
# launcher's watchdog sees its Ninja gone within half a second and stops the
# command; the rule's shell then cleans up under the lock.
fresh
setsid ninja -j2 all check >"$tmp/alone.log" 2>&1 &
pid=$!
sleep "$((ref_ms / 4000)).$(printf '%03d' $((ref_ms / 4 % 1000)))"
sid=$(ps -o sid= -p "$pid" | tr -d ' ')
kill -9 -- "-$pid" 2>/dev/null
wait "$pid" 2>/dev/null
live=$(session_pids "$sid" | wc -l)
start=$(date +%s%N)
while [ -n "$sid" ] && [ -n "$(session_pids "$sid")" ] && [ $((($(date +%s%N) - start) / 1000000)) -lt 10000 ]; do
    sleep 0.05
done
gone=$((($(date +%s%N) - start) / 1000000))
[ "$live" -gt 0 ] && [ "$gone" -lt 3000 ] && [ -z "$(temporaries)" ] &&
    ok "with no rerun, the $live processes a killed Ninja left end within $gone ms and leave no temporary" ||
    bad "orphans of a killed Ninja: $live then, gone after $gone ms; temporaries: $(temporaries | tr '\n' ' ')"

# ------------------------------------------------------------ concurrent runs
bad_rounds=""
for ((k = 1; k <= concurrent; k++)); do
    fresh
    # Ninja's own race, not ours: two ninja that both find .ninja_log due
    # for recompaction (the kill rounds leave many stale lines) both
    # unlink it, and the second fails "opening build log". Recompact first.
    ninja -t recompact >/dev/null 2>&1
    ninja -j2 all check >"$tmp/a$k.log" 2>&1 &
    a=$!
    ninja -j2 all check >"$tmp/b$k.log" 2>&1
    rb=$?
    wait "$a"
    ra=$?
    echo "# concurrent round $k: exits $ra and $rb"
    if [ "$ra" != 0 ] || [ "$rb" != 0 ] || ! same_as_ref || [ -n "$(temporaries)" ]; then
        bad_rounds+=" round$k(exits $ra $rb; $(head -3 "$tmp/diff" | tr '\n' ' ') $(temporaries | tr '\n' ' '))"
        grep -hv '^\[' "$tmp/a$k.log" "$tmp/b$k.log" | head -5 | sed 's/^/     /'
        keep "concurrent$k" "$tmp/a$k.log" "$tmp/b$k.log"
    fi
done
[ -z "$bad_rounds" ] &&
    ok "$concurrent rounds of two concurrent ninja runs on one graph: both succeed, every output byte-identical, no temporary left" ||
    bad "concurrent rounds:$bad_rounds"

# ------------------------------------------------------------ waiting
# A second run of one edge waits for the first and says so.
fresh
ninja -j2 all >/dev/null 2>&1
f=out/Bulk/gpp.nc
rm -f "$f"
lock=out/stats/Bulk/gpp.lock
flock "$lock" sleep 2 &
holder=$!
sleep 0.3
start=$(date +%s%N)
ninja "$f" >"$tmp/wait.log" 2>&1
rc=$?
took=$((($(date +%s%N) - start) / 1000000))
wait "$holder"
[ "$rc" = 0 ] && [ "$took" -ge 1500 ] && cmp -s "$f" "$tmp/ref/$f" &&
    grep -q "another run of this edge holds its lock; waiting" "$tmp/wait.log" &&
    ok "a run of an edge whose lock is held waits for it ($took ms), says so, then converts" ||
    bad "waiting for a held lock (exit $rc, $took ms): $(grep -v '^\[' "$tmp/wait.log" | head -2)"

tally
