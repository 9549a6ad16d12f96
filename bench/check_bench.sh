#!/usr/bin/env bash
# Check-versus-convert benchmark (issue 6): how long t2i-verify takes on an
# output compared with the conversion that made it, on the TRENDY-shaped
# file of bench/make_bench_file.c (720x360, NTIME monthly steps). Alternates
# the two in each round so both see the same machine noise; prints each run
# and the median ratio check/convert.
#   bench/check_bench.sh [NTIME (240)] [ROUNDS (3)] [WORKDIR (mktemp)]
# Needs the release build: ./generate.py && ninja build/trendy2ilamb build/t2i-verify build/t2i-area
# The check's peak RSS must stay under 64 MiB (issue 13: totals stream too).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ntime=${1:-240}
rounds=${2:-3}
work=${3:-$(mktemp -d)}
mkdir -p "$work"
table=$root/tables/variables.tsv
for b in trendy2ilamb t2i-verify t2i-area; do
    [ -x "$root/build/$b" ] || { echo "bench: build build/$b first" >&2; exit 2; }
done
gcc -std=c17 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror "$root/bench/make_bench_file.c" \
    -o "$work/make_bench_file" -lnetcdf -lm
in=$work/BENCH_S3_gpp.nc
"$work/make_bench_file" "$in" "$ntime"
echo "input: $in, $(du -h "$in" | cut -f1), $ntime steps"
: >"$work/runs.txt"
for r in $(seq "$rounds"); do
    rm -f "$work/out.nc"
    /usr/bin/time -f "convert %e %M" -o "$work/t1" "$root/build/trendy2ilamb" --var gpp \
        --table "$table" "$in" "$work/out.nc"
    # The directory's area files, as ninja makes them: areacella from the
    # output's grid, and an sftlf (100 % here, from areacella read as a
    # land area) so the check weighs every cell with both.
    "$root/build/t2i-area" "$work/out.nc" "$work/areacella.nc"
    "$root/build/t2i-area" --rule land_area --var areacella "$work/areacella.nc" \
        "$work/a2.nc" "$work/sftlf.nc"
    /usr/bin/time -f "check %e %M" -o "$work/t2" "$root/build/t2i-verify" --var gpp \
        --table "$table" --areacella "$work/areacella.nc" --sftlf "$work/sftlf.nc" \
        --json "$work/check.json" "$in" "$work/out.nc"
    c=$(cut -d' ' -f2 "$work/t1") v=$(cut -d' ' -f2 "$work/t2")
    echo "round $r: convert ${c}s ($(cut -d' ' -f3 "$work/t1") KiB), check ${v}s" \
        "($(cut -d' ' -f3 "$work/t2") KiB)" | tee -a "$work/runs.txt"
    awk -v c="$c" -v v="$v" 'BEGIN {print v / c}' >>"$work/ratios.txt"
done
echo "median check/convert wall ratio: $(sort -g "$work/ratios.txt" | awk '{a[NR] = $1}
    END {print a[int((NR + 1) / 2)]}')"
