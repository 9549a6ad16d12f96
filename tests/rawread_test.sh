#!/usr/bin/env bash
# The raw chunk path (issue 21, src/rawchunk.c) writes what netCDF-C's path
# writes. Every "ok" case of tests/cases.tsv whose input is netCDF-4 is
# converted from its input as ncgen makes it and (every fourth case) from
# three deflated copies (nccopy: one time step of the grid per chunk with shuffle; tiles
# of 1 x 2 x 3 with partial edge chunks; three time steps per chunk, deflate
# only), each once through the raw path (the default) and once with
# --raw-chunks 0: the two outputs must hold the same header, coordinates
# and values (ncdump -p 9,17, float values printed exactly; only the
# command in `history` may differ), and the stats must name the path taken.
# The sample's netCDF-4 float files get the same. A damaged chunk in a
# deflated file is refused with exit 1 and one line naming the chunk.
. "$(dirname "$0")/lib.sh"
bin=${T2I_BIN:-build/san/trendy2ilamb}
[[ $bin == /* ]] || bin=$root/$bin
cd "$root" || exit 3
table=$root/tables/variables.tsv
fixtures=$root/tests/fixtures

# dump FILE: FILE as text, exact for floats, without its name and history.
dump() { ncdump -p 9,17 "$1" | sed '1d; /:history = /d'; }
# path_of STATS: the stats' read_path.
path_of() { sed -n 's/^  "read_path": "\(.*\)",$/\1/p' "$1"; }

raw=0 declined=0 compared=0 differ=""
# both ID IN FLAGS...: converts IN through both paths and compares.
both() {
    local id=$1 in=$2
    shift 2
    "$bin" --table "$table" "$@" --stats "$tmp/s1.json" "$in" "$tmp/o1.nc" 2>"$tmp/e1" || {
        differ+=" $id(raw path: $(head -c 200 "$tmp/e1"))"
        return
    }
    "$bin" --table "$table" "$@" --raw-chunks 0 --stats "$tmp/s0.json" "$in" "$tmp/o0.nc" \
        2>"$tmp/e0" || {
        differ+=" $id(netCDF path: $(head -c 200 "$tmp/e0"))"
        return
    }
    compared=$((compared + 1))
    case $(path_of "$tmp/s1.json") in
    "raw chunks"*) raw=$((raw + 1)) ;;
    netcdf:*) declined=$((declined + 1)) ;;
    *) differ+=" $id(no read_path in the stats)" ;;
    esac
    [ "$(path_of "$tmp/s0.json")" = "netcdf: --raw-chunks 0" ] ||
        differ+=" $id(--raw-chunks 0 says '$(path_of "$tmp/s0.json")')"
    cmp -s <(dump "$tmp/o1.nc") <(dump "$tmp/o0.nc") || differ+=" $id"
    rm -f "$tmp/o1.nc" "$tmp/o0.nc"
}

# variants IN N: IN and, for every fourth case N, its deflated copies, one
# path per line.
variants() {
    local in=$1 t la lo
    echo "$in"
    [ $(($2 % 4)) = 0 ] || return 0
    t=$(ncdump -h "$in" | sed -n 's/^\t\(time\|t\|time_counter\|Time\) = \([A-Z]* \/\/ (\)\{0,1\}\([0-9]*\).*/\3/p' | head -1)
    nccopy -d1 -s "$in" "$in.d1s.nc" 2>/dev/null && echo "$in.d1s.nc"
    # Tiles: the first two non-time dimensions of the data in 2 x 3 blocks.
    la=$(ncdump -h "$in" | sed -n 's/^\t\(lat\|latitude\|y\|nj\) = \([0-9]*\).*/\1/p' | head -1)
    lo=$(ncdump -h "$in" | sed -n 's/^\t\(lon\|longitude\|x\|ni\) = \([0-9]*\).*/\1/p' | head -1)
    if [ -n "$la" ] && [ -n "$lo" ]; then
        nccopy -d1 -s -c "$la/2,$lo/3" "$in" "$in.tiles.nc" 2>/dev/null && echo "$in.tiles.nc"
    fi
    if [ -n "$t" ]; then
        nccopy -d1 -c "time/3" "$in" "$in.t3.nc" 2>/dev/null && echo "$in.t3.nc"
    fi
}

n=0
while IFS=$'\t' read -r fixture var kind units flags outcome _; do
    case $fixture in '#'* | '') continue ;; esac
    n=$((n + 1))
    [ "$outcome" = ok ] || continue
    case $kind in nc4 | netCDF-4 | nc7 | netCDF-4-classic) ;; *) continue ;; esac
    d=$tmp/c$n
    mkdir -p "$d"
    in=$d/M_S3_$var.nc
    cdl=$fixtures/$fixture.cdl
    if [ "$units" != - ]; then
        sed "s|@VAR@|$var|g; s|@UNITS@|${units%=*}|g; s|@V@|${units##*=}|g" "$cdl" >"$d/case.cdl"
        cdl=$d/case.cdl
    fi
    ncgen -k "$kind" -o "$in" "$cdl" 2>/dev/null || { bad "case $n ($fixture): ncgen"; continue; }
    [ "$flags" = - ] && flags=
    eval "args=($flags)"
    while read -r f; do
        # A copy takes the case's name, so the converter's defaults hold.
        [ "$f" = "$in" ] || { mkdir -p "$f.d/M/S3" && mv "$f" "$f.d/M/S3/M_S3_$var.nc" && f=$f.d/M/S3/M_S3_$var.nc; }
        # Nothing stored in chunks: netCDF-C reads it, nothing to compare.
        ncdump -hs "$f" | grep -q '_Storage = "chunked"' || { declined=$((declined + 1)) && continue; }
        both "case $n ($fixture ${f##*/$d/})" "$f" "${args[@]}"
    done < <(variants "$in" "$n")
    rm -rf "$d"
done <tests/cases.tsv
[ -z "$differ" ] &&
    ok "$compared conversions of the netCDF-4 cases and their deflated copies: the raw path ($raw) and netCDF-C's agree, value for value (netCDF-C read $declined itself, not compared when unchunked)" ||
    bad "the two read paths disagree:$differ"
[ "$raw" -gt 50 ] && ok "$raw of them took the raw path" || bad "only $raw took the raw path"

# The sample's netCDF-4 float files, with the flags generate.py gives them.
./generate.py -o "$tmp/s.ninja" --out "$tmp/s-out" >/dev/null 2>&1
ninja -f "$tmp/s.ninja" $(ninja -f "$tmp/s.ninja" -t targets all | grep -o '^build/sample/[^:]*\.nc' | sort -u) >/dev/null 2>&1
raw=0 compared=0 differ=""
while read -r line; do
    cmd=${line#*build/trendy2ilamb }
    cmd=${cmd%% || *}
    eval "set -- $cmd"
    words=("$@")
    in=${words[-2]}
    [[ $in == build/sample/* ]] || continue
    kind=$(ncdump -k "$in" 2>/dev/null)
    case $kind in netCDF-4*) ;; *) continue ;; esac
    flags=()
    for ((k = 0; k < ${#words[@]} - 2; k++)); do
        case ${words[k]} in
        --stats | --table) k=$((k + 1)) ;;
        *) flags+=("${words[k]}") ;;
        esac
    done
    both "sample ${in##*/}" "$in" "${flags[@]}"
    mkdir -p "$tmp/sd"
    nccopy -d1 -s "$in" "$tmp/sd/${in##*/}" && both "sample ${in##*/} (nccopy -d1 -s)" "$tmp/sd/${in##*/}" "${flags[@]}"
done < <(ninja -f "$tmp/s.ninja" -t commands convert 2>/dev/null | grep ' -- build/trendy2ilamb ' | grep -v -- '--source')
[ -z "$differ" ] && ok "$compared conversions of the sample's netCDF-4 files (as made and deflated): both paths agree ($raw raw)" ||
    bad "the sample's read paths disagree:$differ"

# A damaged chunk: one byte of the deflated data changed.
mkdir -p "$tmp/dmg/M/S3"
ncgen -k nc4 -o "$tmp/dmg/plain.nc" "$fixtures/time_days_1700.cdl"
nccopy -d1 -s "$tmp/dmg/plain.nc" "$tmp/dmg/M/S3/M_S3_gpp.nc"
f=$tmp/dmg/M/S3/M_S3_gpp.nc
# A chunk starts with zlib's header for level 1 (78 01); a byte of its
# stream a little after is changed.
at=$(grep -obUaP '\x78\x01' "$f" | tail -1 | cut -d: -f1)
printf '\x55' | dd of="$f" bs=1 seek=$((at + 12)) conv=notrunc 2>/dev/null
"$bin" --table "$table" "$f" "$tmp/dmg/out.nc" 2>"$tmp/dmg/err"
rc=$?
[ "$rc" = 1 ] && [ "$(wc -l <"$tmp/dmg/err")" = 1 ] && grep -q "the chunk of 'gpp' at (.*) is damaged" "$tmp/dmg/err" &&
    [ ! -e "$tmp/dmg/out.nc" ] &&
    ok "a damaged deflated chunk is refused: exit 1, one line naming the chunk, no output" ||
    bad "a damaged chunk (exit $rc): $(head -2 "$tmp/dmg/err")"
tally
