#!/usr/bin/env bash
# Bounded memory: the release converter streams an input more than ten times
# larger than its --memory budget, and its peak RSS (the stats JSON's
# peak_rss_kib, from getrusage) stays under the budget plus what netCDF,
# HDF5 and udunits2 take for themselves. The input is the benchmark file of
# bench/make_bench_file.c (720 x 360, 48 monthly steps, 50 MB).
. "$(dirname "$0")/lib.sh"
bin=$root/build/trendy2ilamb
BUDGET=4194304
# netCDF + HDF5 + udunits2 (its XML database) take about 17 MiB before the
# first slab (a 1-step file peaks at 17.3 MiB); 24 MiB leaves room for
# their caches without letting the slab grow with the input.
LIBRARY_KIB=24576
bound=$((BUDGET / 1024 + LIBRARY_KIB))

if ! command -v gcc >/dev/null; then
    skip "gcc is needed to build bench/make_bench_file.c"
    tally
    exit 0
fi
ninjafile=$root/build/tests.ninja
[ -f "$ninjafile" ] || ninjafile=$root/build.ninja
check "the release converter builds" ninja -C "$root" -f "$ninjafile" build/trendy2ilamb
check "bench/make_bench_file.c builds" gcc -std=c17 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror \
    "$root/bench/make_bench_file.c" -o "$tmp/make_bench_file" -lnetcdf -lm
mkdir -p "$tmp/M/S3"
in=$tmp/M/S3/M_S3_gpp.nc
check "a 48-step 720 x 360 input is written" "$tmp/make_bench_file" "$in" 48
size=$(stat -c %s "$in" 2>/dev/null || echo 0)
[ "$size" -gt $((10 * BUDGET)) ] && ok "the input ($size bytes) is over 10 times the budget" ||
    bad "the input ($size bytes) is over 10 times the budget"
check "it converts with --memory $BUDGET" "$bin" --table "$root/tables/variables.tsv" \
    --memory "$BUDGET" --stats "$tmp/s.json" "$in" "$tmp/out.nc"
rss=$(sed -n 's/^  "peak_rss_kib": \([0-9]*\),$/\1/p' "$tmp/s.json" 2>/dev/null)
if [ -n "$rss" ] && [ "$rss" -lt "$bound" ]; then
    ok "peak RSS $rss KiB stays under $bound KiB (budget + libraries)"
else
    bad "peak RSS ${rss:-unknown} KiB stays under $bound KiB (budget + libraries)"
fi
tally
