#!/usr/bin/env bash
# On paper, past this machine (issue 8): the make-span of a whole archive on
# 1, 2, 4 and 8 nodes of 48 cores, from a measured run.
#
#   bench/cluster_sim.sh [--cores 48] [--nodes "1 2 4 8"] [--bandwidth MB/s]
#                        [--sizes FILE] (--cost "A B" | OUT NINJA_LOG)
#
# The cost of a file is seconds = A + B * GB of input: given with --cost
# (e.g. the CPU seconds per GB bench/convert_bench.sh measures), or fitted
# by least squares to a measured run, OUT/stats/*/*.json giving each
# converted file's input bytes and NINJA_LOG its seconds (end - start of its
# edge, last run wins). The archive simulated is FILE ("bytes<TAB>path"
# lines, '#' comments; default: bench/v14-relevant-sizes.tsv, the 1465 files
# of the real TRENDY v14 archive the converter takes, 1.4 TB;
# bench/trendy_sizes.sh prints a shaped one). Each node reads at most --bandwidth MB/s
# (default 2000) shared by its running conversions: a file wants
# bytes / seconds while it runs alone; when a node's running files want more
# than the cap, all of them slow down by the same factor.
#
# Two ways are simulated, both biggest file first (as the graph orders its
# edges): "array" = one shard per node, split by bytes as generate.py
# --shard does, each node running its own list; "srun" = one Ninja and the
# srun launcher, every core of every node taking the next file. "ideal" is
# the larger of total seconds / cores, total bytes / bandwidth and the
# longest file; "read floor" is total bytes / (nodes x bandwidth) alone.
# Pool 'big' (--big-jobs) is not modelled: with the launcher, raise it to a
# few per node.
#
# A measured run to feed it, with two 720x360 monthly files of 250 and 500
# time steps made by bench/make_bench_file.c:
#   gcc -std=c17 -O2 bench/make_bench_file.c -o /tmp/mbf -lnetcdf -lm
#   mkdir -p /tmp/arch/BENCH/S3 /tmp/arch/BENCH/S2
#   /tmp/mbf /tmp/arch/BENCH/S3/BENCH_S3_gpp.nc 500
#   /tmp/mbf /tmp/arch/BENCH/S2/BENCH_S2_gpp.nc 250
#   ./generate.py --input /tmp/arch --out /tmp/bout -o /tmp/b.ninja --builddir /tmp/bb
#   ninja -f /tmp/b.ninja -j1 && bench/cluster_sim.sh /tmp/bout /tmp/bb/.ninja_log
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cores=48
nodes="1 2 4 8"
bandwidth=2000
sizes=$root/bench/v14-relevant-sizes.tsv
cost=
while [ $# -gt 0 ] && [ "${1#--}" != "$1" ]; do
    [ $# -ge 2 ] || { sed -n '5,6p' "$0" >&2; exit 2; }
    case $1 in
    --cores) cores=$2 ;; --nodes) nodes=$2 ;; --bandwidth) bandwidth=$2 ;;
    --sizes) sizes=$2 ;; --cost) cost=$2 ;;
    *) echo "cluster_sim.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
    shift 2
done
if [ -n "$cost" ]; then [ $# -eq 0 ]; else [ $# -eq 2 ]; fi || { sed -n '5,6p' "$0" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/measured"
: >"$tmp/log"
if [ -z "$cost" ]; then
    # "output<TAB>input bytes" of the measured run, from its stats files.
    find "$1/stats" -name '*.json' -exec awk '
        function flush() { if (ok && o != "") print o "\t" b; o = ""; b = ""; ok = 0 }
        FNR == 1 {flush()}
        /"output":/ {o = $0; sub(/.*"output": *"/, "", o); sub(/".*/, "", o)}
        /"input_bytes":/ {b = $0; gsub(/[^0-9]/, "", b)}
        /"status": *"ok"/ {ok = 1}
        END {flush()}' {} + >"$tmp/measured"
    cp "$2" "$tmp/log"
fi
grep -v '^#' "$sizes" >"$tmp/sizes" || true

awk -F '\t' -v cores="$cores" -v nodelist="$nodes" -v bw_mb="$bandwidth" -v cost="$cost" '
FILENAME == ARGV[1] { bytes_of[$1] = $2; next }
FILENAME == ARGV[2] {
    if ($0 ~ /^#/ || NF < 5) next
    if ($4 in bytes_of) secs_of[$4] = ($2 - $1) / 1000.0
    next
}
{ n++; size[n] = $1 + 0; name[n] = $2 }
END {
    if (cost != "") { split(cost, cw, " "); a = cw[1] + 0; b = cw[2] / 1e9; m = 0 }
    else fit()
    if (n == 0) { print "cluster_sim.sh: empty size list" > "/dev/stderr"; exit 1 }
    order()
    bw = bw_mb * 1e6
    total_s = 0; total_b = 0; longest = 0
    for (i = 1; i <= n; i++) {
        dur[i] = a + b * size[i]
        if (dur[i] < 0.001) dur[i] = 0.001
        total_s += dur[i]; total_b += size[i]
        if (dur[i] > longest) longest = dur[i]
    }
    if (cost != "") printf "cost = %.3f s + %.3f s/GB (given)\n", a, b * 1e9
    else printf "measured: %d files; cost = %.3f s + %.3f s/GB (least squares)\n", m, a, b * 1e9
    printf "archive:  %d files, %.0f GB, %.1f core-hours; per-node read cap %d MB/s, %d cores a node\n\n", \
        n, total_b / 1e9, total_s / 3600, bw_mb, cores
    printf "%6s %7s %10s %10s %10s %10s %10s %10s\n", "nodes", "cores", "read floor", "ideal min", "array min", "srun min", "array eff", "srun eff"
    k = split(nodelist, nl, " ")
    for (q = 1; q <= k; q++) {
        N = nl[q] + 0
        ideal = total_s / (N * cores)
        if (total_b / (N * bw) > ideal) ideal = total_b / (N * bw)
        if (longest > ideal) ideal = longest
        arr = simulate(N, "array"); srn = simulate(N, "srun")
        printf "%6d %7d %10.1f %10.1f %10.1f %10.1f %9.0f%% %9.0f%%\n", N, N * cores, \
            total_b / (N * bw) / 60, ideal / 60, \
            arr / 60, srn / 60, 100 * ideal / arr, 100 * ideal / srn
    }
}
# Least squares seconds = a + b * bytes over the measured files.
function fit(   o, x, y, sx, sy, sxx, sxy) {
    m = 0
    for (o in secs_of) {
        x = bytes_of[o]; y = secs_of[o]; m++
        sx += x; sy += y; sxx += x * x; sxy += x * y
    }
    if (m == 0) { print "cluster_sim.sh: no converted file of the stats is in the Ninja log" > "/dev/stderr"; exit 1 }
    if (m * sxx - sx * sx > 0) {
        b = (m * sxy - sx * sy) / (m * sxx - sx * sx); a = (sy - b * sx) / m
    }
    if (m * sxx - sx * sx <= 0 || b <= 0) { a = 0; b = sx > 0 ? sy / sx : 0 }
    if (a < 0) { a = 0; b = sy / sx }
}
# idx[1..n]: biggest first, ties by path (insertion sort is enough here).
function order(   i, j, t) {
    for (i = 1; i <= n; i++) idx[i] = i
    for (i = 2; i <= n; i++) {
        t = idx[i]
        for (j = i - 1; j >= 1 && before(t, idx[j]); j--) idx[j + 1] = idx[j]
        idx[j + 1] = t
    }
}
function before(x, y) {
    return size[x] > size[y] || (size[x] == size[y] && name[x] < name[y])
}
# Make-span in seconds of the archive on N nodes, "array" or "srun".
function simulate(N, mode,   i, j, v, t, load, files, best, nq, head, qn, node, free,
                  run_n, rem, want, f, dt, running, left, demand) {
    for (v = 0; v < N; v++) { load[v] = 0; files[v] = 0; nq[v] = 0; head[v] = 1; free[v] = cores }
    if (mode == "array") {
        for (i = 1; i <= n; i++) {
            j = idx[i]; best = 0
            for (v = 1; v < N; v++)
                if (load[v] < load[best] || (load[v] == load[best] && files[v] < files[best])) best = v
            load[best] += size[j]; files[best]++
            qn[best, ++nq[best]] = j
        }
    } else {
        for (i = 1; i <= n; i++) qn[0, i] = idx[i]
        nq[0] = n
    }
    t = 0; running = 0; left = n
    while (left > 0) {
        # Start what fits: every free core of every node takes its next file.
        for (v = 0; v < N; v++) {
            while (free[v] > 0) {
                if (mode == "array") { if (head[v] > nq[v]) break; j = qn[v, head[v]++] }
                else { if (head[0] > nq[0]) break; j = qn[0, head[0]++] }
                running++; rn[running] = j; rnode[running] = v; rem[running] = dur[j]
                free[v]--
            }
        }
        # Speed of each node: 1, or the bandwidth cap over what its files want.
        for (v = 0; v < N; v++) demand[v] = 0
        for (i = 1; i <= running; i++) demand[rnode[i]] += size[rn[i]] / dur[rn[i]]
        for (v = 0; v < N; v++) speed[v] = demand[v] > bw ? bw / demand[v] : 1
        dt = -1
        for (i = 1; i <= running; i++) {
            f = rem[i] / speed[rnode[i]]
            if (dt < 0 || f < dt) dt = f
        }
        t += dt
        for (i = 1; i <= running; i++) rem[i] -= dt * speed[rnode[i]]
        # Drop the finished ones.
        j = 0
        for (i = 1; i <= running; i++) {
            if (rem[i] <= 1e-9) { free[rnode[i]]++; left--; continue }
            j++; rn[j] = rn[i]; rnode[j] = rnode[i]; rem[j] = rem[i]
        }
        running = j
    }
    return t
}' "$tmp/measured" "$tmp/log" "$tmp/sizes"
