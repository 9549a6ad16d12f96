#!/usr/bin/env bash
# Converter benchmark (issue 4): trendy2ilamb against `nccopy -d1 -s` on the
# same TRENDY-shaped file (720x360, lat descending, lon 0..360, noleap
# 'days since 1700-01-01', kgC m-2 s-1, fill -99999), alternating runs in one
# invocation so both see the same machine noise. Prints each run (wall
# seconds, peak RSS KiB, CPU seconds), the median wall and CPU ratios (CPU
# time is what a loaded machine disturbs least; a cluster node running one
# conversion per core is paced by it), the size ratio and both peak RSS
# figures; then the converter's peak RSS on a file 3x longer, to show memory
# does not grow with the file.
#   bench/convert_bench.sh [NTIME (1476)] [ROUNDS (3)] [WORKDIR (mktemp)]
# T2I_BENCH_ARGS adds converter options (e.g. "--threads 2").
# T2I_BENCH_INPUT picks the input's storage (issue 21): classic (default);
# deflated, the same data as `nccopy -d1 -s` writes it (netCDF-4, one time
# step per chunk, shuffle and deflate: how CLM, ELM, JULES upload); tiles,
# deflated in 1x90x90 tiles. The long-file run uses the same storage.
# Needs the release build: ./generate.py && ninja build/trendy2ilamb
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ntime=${1:-1476}
rounds=${2:-3}
work=${3:-$(mktemp -d)}
bin=$root/build/trendy2ilamb
[ -x "$bin" ] || { echo "bench: build $bin first (ninja build/trendy2ilamb)" >&2; exit 2; }
gcc -std=c17 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror "$root/bench/make_bench_file.c" \
    -o "$work/make_bench_file" -lnetcdf -lm
# make_input FILE NTIME: the benchmark file in T2I_BENCH_INPUT's storage.
make_input() {
    case ${T2I_BENCH_INPUT:-classic} in
    classic) "$work/make_bench_file" "$1" "$2" ;;
    deflated | tiles)
        "$work/make_bench_file" "$1.classic" "$2"
        if [ "$T2I_BENCH_INPUT" = tiles ]; then
            nccopy -d1 -s -c time/1,lat/90,lon/90 "$1.classic" "$1"
        else
            nccopy -d1 -s "$1.classic" "$1"
        fi
        rm -f "$1.classic" ;;
    *) echo "bench: T2I_BENCH_INPUT is classic, deflated or tiles" >&2; exit 2 ;;
    esac
}
in=$work/BENCH_S3_gpp.nc
make_input "$in" "$ntime"
echo "input: $in, $(du -h "$in" | cut -f1), $ntime steps, ${T2I_BENCH_INPUT:-classic}"

# run LABEL CMD...: prints "LABEL wall_s rss_kib cpu_s" using GNU time.
run() {
    local label=$1; shift
    /usr/bin/time -f "$label %e %M %U %S" -o "$work/time.txt" "$@" >/dev/null
    awk '{ printf "%s %s %s %.2f\n", $1, $2, $3, $4 + $5 }' "$work/time.txt"
}
: > "$work/runs.txt"
for r in $(seq "$rounds"); do
    rm -f "$work/nccopy.nc" "$work/t2i.nc"
    run nccopy nccopy -d1 -s "$in" "$work/nccopy.nc" | tee -a "$work/runs.txt"
    # shellcheck disable=SC2086 # T2I_BENCH_ARGS is words
    run trendy2ilamb "$bin" --var gpp ${T2I_BENCH_ARGS:-} "$in" "$work/t2i.nc" | tee -a "$work/runs.txt"
done
nsize=$(stat -c %s "$work/nccopy.nc")
tsize=$(stat -c %s "$work/t2i.nc")
echo "sizes: nccopy $nsize B, trendy2ilamb $tsize B (ratio $(awk -v t="$tsize" -v n="$nsize" 'BEGIN { printf "%.3f", t / n }'))"
# Ratios per round (each converter run against the nccopy run just before it);
# plain POSIX awk + sort, no gawk extensions. FIELD 2 is wall, 4 is CPU.
median_ratio() {
    awk -v f="$1" '$1 == "nccopy" { n = $f } $1 == "trendy2ilamb" { printf "%.4f\n", $f / n }' \
        "$work/runs.txt" | sort -n > "$work/ratios.txt"
    awk -v what="$2" '{ r[NR] = $1 } END {
            m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
            printf "median %s ratio trendy2ilamb/nccopy: %.3f over %d rounds\n", what, m, NR }' \
        "$work/ratios.txt"
}
median_ratio 2 wall
median_ratio 4 CPU
awk '$1 == "nccopy" && $3 > n { n = $3 } $1 == "trendy2ilamb" && $3 > t { t = $3 }
     END { printf "peak RSS: nccopy %.1f MiB, trendy2ilamb %.1f MiB\n", n / 1024, t / 1024 }' \
    "$work/runs.txt"
rm -f "$work/nccopy.nc" "$work/t2i.nc"

if [ "${T2I_BENCH_LONG:-1}" = 1 ]; then
    long=$work/LONG_S3_gpp.nc
    make_input "$long" $((3 * ntime))
    run long-file "$bin" --var gpp "$long" "$work/t2i_long.nc" |
        awk '{ printf "3x longer file (%s steps): trendy2ilamb %.1f s, peak RSS %.1f MiB\n", '"$((3 * ntime))"', $2, $3 / 1024 }'
    rm -f "$long" "$work/t2i_long.nc"
fi
rm -f "$in"
