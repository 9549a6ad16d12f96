#!/usr/bin/env bash
# Writes bench/v14-relevant-sizes.tsv from the public listing of the TRENDY
# archives ("round<TAB>path<TAB>bytes<TAB>mtime" lines): the v14 files the
# converter takes, S0-S3 named <anything>_<SIM>_<var>.nc (as generate.py's
# parse_name reads them) or .nc.gz, with <var> in tables/variables.tsv.
# The sizes of .nc.gz files are compressed bytes, so their work is
# underestimated. Run once when the listing changes; cluster_sim.sh reads
# the committed result.
#   bench/v14_sizes.sh LISTING > bench/v14-relevant-sizes.tsv
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 1 ] || { sed -n '9p' "$0" >&2; exit 2; }
echo "# TRENDY v14 (GCB2025) files trendy2ilamb converts: S0-S3, variables of tables/variables.tsv"
echo "# (.nc.gz sizes are compressed bytes). Made by bench/v14_sizes.sh from the public listing"
echo "# (Global Carbon Budget bucket index, mdosullivan/GCB fileIndex_merged_v4.json, 369389c)."
echo "# bytes<TAB>MODEL/SIM/file"
awk -F '\t' 'FNR == NR { if ($0 !~ /^#/ && NF > 1) want[$1] = 1; next }
$1 == "v14" {
    if (split($2, p, "/") != 3 || p[2] !~ /^S[0-3]$/) next
    f = p[3]
    if (f ~ /\.nc$/) stem = substr(f, 1, length(f) - 3)
    else if (f ~ /\.nc\.gz$/) stem = substr(f, 1, length(f) - 6)
    else next
    # The last "_<SIM>_" splits the name, not at its first character.
    mark = "_" p[2] "_"; at = 0; s = stem
    while ((i = index(s, mark)) > 0) { at += i; s = substr(s, i + 1) }
    if (at > 1 && substr(stem, at + length(mark)) in want) printf "%s\t%s\n", $3, $2
}' "$root/tables/variables.tsv" "$1" | LC_ALL=C sort -t "$(printf '\t')" -k2,2
