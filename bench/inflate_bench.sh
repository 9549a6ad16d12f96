#!/usr/bin/env bash
# Decompression benchmark (issue 11, issue 15): t2i-inflate against
# `igzip -dc` and `gzip -dc` on the TRENDY-shaped file of
# bench/make_bench_file.c (720x360, NTIME monthly steps; 960 steps is 1 GB)
# compressed with gzip -1. Each round runs the three in turn, all writing a
# file in WORKDIR, so they see the same machine noise; prints each run
# (wall, user+sys CPU, peak RSS) and the median per-round wall ratios.
#   bench/inflate_bench.sh [NTIME (960)] [ROUNDS (5)] [WORKDIR (mktemp)]
# Needs the release build: ./generate.py && ninja build/t2i-inflate
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ntime=${1:-960}
rounds=${2:-5}
work=${3:-$(mktemp -d)}
mkdir -p "$work"
bin=$root/build/t2i-inflate
[ -x "$bin" ] || { echo "bench: build build/t2i-inflate first" >&2; exit 2; }
gcc -std=c17 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror "$root/bench/make_bench_file.c" \
    -o "$work/make_bench_file" -lnetcdf -lm
in=$work/BENCH_S3_gpp.nc
"$work/make_bench_file" "$in" "$ntime"
gzip -1 -c "$in" >"$in.gz"
echo "input: $in.gz, $(stat -c %s "$in.gz") bytes, inflating to $(stat -c %s "$in")"
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
: >"$work/igzip.ratio"
: >"$work/gzip.ratio"
for r in $(seq "$rounds"); do
    rm -f "$work/out.nc"
    /usr/bin/time -f "%e %U %S %M" -o "$work/t1" "$bin" "$in.gz" "$work/out.nc"
    /usr/bin/time -f "%e %U %S %M" -o "$work/t2" sh -c 'igzip -dc "$1" >"$2"' sh \
        "$in.gz" "$work/out2.nc"
    /usr/bin/time -f "%e %U %S %M" -o "$work/t3" sh -c 'gzip -dc "$1" >"$2"' sh \
        "$in.gz" "$work/out3.nc"
    cmp "$work/out.nc" "$in" && cmp "$work/out2.nc" "$in" && cmp "$work/out3.nc" "$in"
    for t in t1 t2 t3; do
        read -r e u s m <"$work/$t"
        printf '%s %s %s %s\n' "$e" "$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')" \
            "$m" "$t"
    done | awk -v r="$r" '{n = $4 == "t1" ? "t2i-inflate" : $4 == "t2" ? "igzip -dc" : "gzip -dc"
        printf "round %s: %-11s %6.2fs wall %6.2fs cpu %7d KiB\n", r, n, $1, $2, $3}'
    w1=$(cut -d' ' -f1 "$work/t1") w2=$(cut -d' ' -f1 "$work/t2") w3=$(cut -d' ' -f1 "$work/t3")
    awk -v a="$w1" -v b="$w2" 'BEGIN {print a / b}' >>"$work/igzip.ratio"
    awk -v a="$w1" -v b="$w3" 'BEGIN {print a / b}' >>"$work/gzip.ratio"
done
rm -f "$work/out.nc" "$work/out2.nc" "$work/out3.nc"
echo "median wall ratio t2i-inflate / igzip -dc: $(median <"$work/igzip.ratio")"
echo "median wall ratio t2i-inflate / gzip -dc:  $(median <"$work/gzip.ratio")"
