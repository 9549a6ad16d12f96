#!/usr/bin/env bash
# Scale benchmark of the build graph (not a timed test): a synthetic archive
# of 10 000 sparse files (125 models x S0-S3 x the 20 table variables), then
#   1. generate.py wall time (target < 2 s), and
#   2. a no-op `ninja` once every output is up to date (target < 0.2 s).
# Outputs are made up to date by building the graph once with a trivial
# converter given through `--converter` (a shell script that only creates
# the output and stats files), so ninja's log holds every command. That
# script lives in the temporary directory; the real converter is untouched.
# Ninja's log goes to the temporary directory too (--builddir).
#
#   bench/generate_scale.sh [FILES]      FILES defaults to 10000
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT


vars=$(grep -v '^#' tables/variables.tsv | cut -f1)
nvars=$(echo "$vars" | wc -l)
nmodels=$(( (files + 4 * nvars - 1) / (4 * nvars) ))
made=0
for ((m = 0; m < nmodels; m++)); do
    model=$(printf 'Model%03d' "$m")
    for s in S0 S1 S2 S3; do
        mkdir -p "$tmp/archive/$model/$s"
        names=()
        for v in $vars; do
            [ "$made" -lt "$files" ] || break
            names+=("$tmp/archive/$model/$s/${model}_${s}_$v.nc")
            made=$((made + 1))
        done
        # Sparse files of a size per model (1 MiB to about 4 GiB, no disk
        # used): per-edge time limits and pool big as on a real archive.
        [ "${#names[@]}" -eq 0 ] || truncate -s "$((m * 37 + 1))M" "${names[@]}"
    done
done
cat >"$tmp/touch-converter" <<'SH'
#!/bin/sh
# Bench only: creates OUTPUT and the --stats file, converts nothing.
while [ $# -gt 2 ]; do
    case $1 in --stats) : >"$2"; shift 2 ;; --*) shift 2 ;; *) break ;; esac
done
: >"$2"
SH
chmod +x "$tmp/touch-converter"

gen() {
    ./generate.py --input "$tmp/archive" --out "$tmp/out" \
        --converter "$tmp/touch-converter" --builddir "$tmp/ninja" \
        -o "$tmp/build.ninja" >/dev/null
}
# measure CMD...: "wall user+sys" seconds of the best (lowest wall) of 3 runs.
# CPU time is printed too: the machine may be busy with other work.
measure() {
    local best= cpu= r u s
    for _ in 1 2 3; do
        read -r r u s < <({ TIMEFORMAT='%R %U %S'; time "$@" >/dev/null; } 2>&1 | tail -n 1)
        if [ -z "$best" ] || [ "${r/./}" -lt "${best/./}" ]; then
            best=$r
            cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }')
        fi
    done
    echo "$best $cpu"
}
gen    # warm the page cache once
read -r gen_s gen_cpu < <(measure gen)
ninja -f "$tmp/build.ninja" -j "$(nproc)" convert >/dev/null
ninja -f "$tmp/build.ninja" >/dev/null    # the C programs of target all
out=$(ninja -f "$tmp/build.ninja")
[ "$out" = "ninja: no work to do." ] || { echo "not a no-op: $out" >&2; exit 1; }
read -r best ninja_cpu < <(measure ninja -f "$tmp/build.ninja")
edges=$(ninja -f "$tmp/build.ninja" -t targets rule convert | grep -c '\.nc$')
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "archive: $files files ($nmodels models x 4 simulations), $edges conversion edges"
echo "generate.py: ${gen_s} s wall, ${gen_cpu} s CPU, best of 3 (target < 2 s)"
echo "no-op ninja: ${best} s wall, ${ninja_cpu} s CPU, best of 3 (target < 0.2 s)"
echo "build.ninja: $(wc -c <"$tmp/build.ninja") bytes"
