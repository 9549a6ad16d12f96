#!/usr/bin/env bash
# The time limit on conversions and checks (generate.py --timeout, the
# build.ninja.launch wrapper): a converter that hangs is stopped, `ninja -k
# 0` ends and converts the rest, the failure is one line naming the input
# and the limit, the stats and the report say "timed out after N s", and no
# OUTPUT.tmp.<pid> or process is left. The converter is a fake (--converter): a
# shell script that hangs on gpp, takes 2 s on lai and writes its output
# otherwise. Limits scale with the input size (sparse files). Prints one
# "ok"/"FAIL" line per check and "N passed, M failed".
. "$(dirname "$0")/lib.sh"

mkdir -p "$tmp/arch/M/S3" "$tmp/bin"
: >"$tmp/arch/M/S3/M_S3_gpp.nc"
: >"$tmp/arch/M/S3/M_S3_npp.nc"
fake=$tmp/bin/trendy2ilamb
cat >"$fake" <<'SH'
#!/bin/sh
# Fake converter: ... --stats FILE INPUT OUTPUT. Hangs on gpp (after
# leaving OUTPUT.tmp.<pid>, as the real converter does while it writes); with
# T2I_FAKE_DEAF set it also ignores SIGTERM. Takes 2 s on lai.
while [ $# -gt 2 ]; do
    case $1 in --stats) stats=$2; shift 2 ;; --*) shift 2 ;; *) break ;; esac
done
case $1 in
*gpp*)
    : >"$2.tmp.$$"
    echo $$ >>"${stats%/*/*/*}/pids"
    [ -z "${T2I_FAKE_DEAF:-}" ] || trap '' TERM
    exec sleep 60 ;;
*lai*) sleep 2 ;;
esac
echo '{"status": "ok"}' >"$stats"
: >"$2"
SH
chmod +x "$fake"

gen() {
    "$root/generate.py" --input "$tmp/arch" --out "$tmp/out" --prebuilt \
        --converter "$fake" --builddir "$tmp/b" -o "$tmp/b.ninja" "$@" >/dev/null
}
n() { (cd "$root" && ninja -f "$tmp/b.ninja" "$@"); }

gen --timeout 1 --timeout-per-gb 0
start=$(date +%s)
timeout 60 bash -c "cd '$root' && ninja -f '$tmp/b.ninja' -k 0 convert" >"$tmp/k.log" 2>&1
rc=$?
took=$(($(date +%s) - start))
check "ninja -k 0 ends when a conversion hangs (${took} s, exit $rc)" \
    [ "$rc" -ne 0 -a "$rc" -ne 124 -a "$took" -lt 20 ]
check "the other file converts" [ -f "$tmp/out/M/npp.nc" ]
check "one line names the input and the limit" \
    grep -qx "trendy2ilamb: $tmp/arch/M/S3/M_S3_gpp.nc: timed out after 1 s" "$tmp/k.log"
check "ninja names the failed output" grep -q "^FAILED: .*$tmp/out/M/gpp.nc" "$tmp/k.log"
check "the stats say timeout" \
    grep -qF '"error": "timed out after 1 s"' "$tmp/out/stats/M/gpp.json"
check "no output and no OUTPUT.tmp.<pid> is left" \
    bash -c "[ ! -e '$tmp/out/M/gpp.nc' ] && [ -z \"\$(find '$tmp/out/M' -name 'gpp.nc.tmp*')\" ]"
sleep 0.5
check "no converter process is left" \
    bash -c "for p in \$(cat '$tmp/out/pids'); do ! kill -0 \$p 2>/dev/null || exit 1; done"
n report >/dev/null 2>&1
check "the report shows one line: FAILED, timed out after 1 s" \
    bash -c "awk -F '\t' '\$2 == \"M\" && \$3 == \"gpp\" && \$4 == \"FAILED\" && \$6 == \"timed out after 1 s\" {f = 1} END {exit !f}' '$tmp/out/report/table.tsv'"

# A converter deaf to SIGTERM is killed 10 s after the limit.
rm -f "$tmp/out/M/gpp.nc.tmp" "$tmp/out/pids"
start=$(date +%s)
T2I_FAKE_DEAF=1 timeout 60 bash -c "cd '$root' && ninja -f '$tmp/b.ninja' -k 0 convert" >"$tmp/deaf.log" 2>&1
rc=$?
took=$(($(date +%s) - start))
check "a converter ignoring SIGTERM is killed after the grace period (${took} s, exit $rc)" \
    [ "$rc" -ne 0 -a "$rc" -ne 124 -a "$took" -ge 10 -a "$took" -lt 30 ]
check "... which is one line naming the input and the KILL" \
    grep -qx "trendy2ilamb: $tmp/arch/M/S3/M_S3_gpp.nc: killed (SIGKILL): out of memory, or still running 10 s after its time limit of 1 s" "$tmp/deaf.log"
sleep 0.5
check "... and leaves no process" \
    bash -c "for p in \$(cat '$tmp/out/pids'); do ! kill -0 \$p 2>/dev/null || exit 1; done"

# Limits scale with the input: lai takes 2 s; at 1 s + 3 s per GiB it
# converts from a 1 GiB (sparse) file, not from an empty one.
rm -f "$tmp/arch/M/S3/M_S3_gpp.nc"
truncate -s 1G "$tmp/arch/M/S3/M_S3_lai.nc"
mkdir -p "$tmp/arch/E/S3" && : >"$tmp/arch/E/S3/E_S3_lai.nc"
gen --timeout 1 --timeout-per-gb 3
n -k 0 convert >"$tmp/scale.log" 2>&1
check "the limit grows with the input: 1 GiB at 1 + 3 s converts in 2 s, an empty file times out at 1 s" \
    bash -c "[ -f '$tmp/out/M/lai.nc' ] && [ ! -f '$tmp/out/E/lai.nc' ] &&
        grep -qx 'trendy2ilamb: $tmp/arch/E/S3/E_S3_lai.nc: timed out after 1 s' '$tmp/scale.log'"
gen --timeout 5 --timeout-per-gb 10
check "changing --timeout reconverts nothing (only the wrapper changes)" \
    bash -c "n() { cd '$root' && ninja -f '$tmp/b.ninja' \"\$@\"; }; n -n convert | grep -c CONVERT | grep -qx 1 &&
        n -n convert | grep -q 'CONVERT $tmp/out/E/lai.nc'"
check "the wrapper holds the limit: 5 s + 10 s per GiB" \
    grep -qx 'limit=$((5 + (10 \* bytes + 536870912) / 1073741824))' "$tmp/b.ninja.launch"
gen --timeout 0
check "--timeout 0: no limit" grep -qx 'limit=0' "$tmp/b.ninja.launch"
check "a check runs through the same wrapper, its result file first" \
    bash -c "cd '$root' && ninja -f '$tmp/b.ninja' -t commands '$tmp/out/check/M/lai.json' | tail -n 1 |
        grep -qF '$tmp/b.ninja.launch $tmp/out/check/M/lai.json $tmp/arch/M/S3/M_S3_lai.nc $tmp/out/M/lai.nc -- build/t2i-verify'"

# The real converter on the file HDF5 1.10.8 loops on inside nc_open
# (tests/damage_test.sh, T2I_DAMAGE_HANG: 4 zero bytes at byte 4160 of its
# netCDF-4 fixture, the same CDL as here): the limit ends it. Should HDF5
# stop looping, a quick refusal or a conversion passes too.
bin=${T2I_BIN:-$root/build/san/trendy2ilamb}
mkdir -p "$tmp/hang/M/S3"
cat >"$tmp/hang.cdl" <<'CDL'
netcdf M_S3_gpp {
dimensions:
	time = UNLIMITED ;
	lat = 2 ;
	lon = 3 ;
variables:
	double time(time) ;
		time:units = "days since 1700-01-01 00:00:00" ;
		time:calendar = "noleap" ;
	float lat(lat) ;
		lat:units = "degrees_north" ;
	float lon(lon) ;
		lon:units = "degrees_east" ;
	float gpp(time, lat, lon) ;
		gpp:units = "kg m-2 s-1" ;
		gpp:_FillValue = -99999.f ;

data:
 time = 15.5, 45, 74.5, 105, 135.5, 166, 196.5, 227.5, 258, 288.5, 319, 349.5 ;
 lat = -45, 45 ;
 lon = -120, 0, 120 ;

}
CDL
h=$tmp/hang/M/S3/M_S3_gpp.nc
ncgen -k nc4 -o "$h" "$tmp/hang.cdl" && printf '\x00\x00\x00\x00' | dd of="$h" bs=1 seek=4160 conv=notrunc status=none
"$root/generate.py" --input "$tmp/hang" --out "$tmp/hout" --prebuilt --converter "$bin" \
    --timeout 5 --timeout-per-gb 0 --builddir "$tmp/hb" -o "$tmp/h.ninja" >/dev/null
start=$(date +%s)
timeout 120 bash -c "cd '$root' && ninja -f '$tmp/h.ninja' -k 0 convert" >"$tmp/h.log" 2>&1
rc=$?
took=$(($(date +%s) - start))
if grep -q 'timed out after 5 s' "$tmp/h.log"; then how="timed out after 5 s"; else how="exit $rc, no hang"; fi
check "the HDF5 global-heap loop ends at the limit: ninja -k 0 returns ($how, ${took} s)" \
    bash -c "[ $rc != 124 ] && [ $took -lt 40 ] &&
        { grep -qx 'trendy2ilamb: $h: timed out after 5 s' '$tmp/h.log' || [ $rc = 0 ] ||
          [ \"\$(grep -c '^trendy2ilamb: ' '$tmp/h.log')\" = 1 ]; }"

tally
