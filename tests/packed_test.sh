#!/usr/bin/env bash
# Compressed archive files through the graph (rules convert_packed and
# verify_packed, pool inflate): a .nc.gz, a .nc.bz2 and a .nc.tar.gz made
# here from the sample's CDL, and the sample's own .nc.gz and .nc.tar.gz,
# each convert byte for byte (cmp) to the output of the uncompressed original
# converted by hand with the same flags and --source (the edge's converter
# command, recovered from the output's history, which must name the archive
# file and never the scratch copy); a conversion failing after
# decompression names the archive file; a truncated .nc.gz fails with one
# line and no output; no scratch copy is left after success, failure, or a
# kill -9 in the middle of a decompression followed by a rerun. Nothing
# binary is committed.
# Prints one "ok"/"FAIL" line per check and "N passed, M failed".
. "$(dirname "$0")/lib.sh"
bin=${T2I_BIN:-$root/build/san/trendy2ilamb}
tools=${bin%/*}
cdl=$root/sample/CLM5.0/S3/CLM6.0_S3_gpp.cdl

# arch NAME FILE: an archive $tmp/NAME/M/S3/FILE (one model, one file).
mkdir -p "$tmp/src"
ncgen -k nc4 -o "$tmp/src/M_S3_gpp.nc" "$cdl" || { bad "ncgen"; tally; exit; }
arch() { mkdir -p "$tmp/$1/M/S3"; echo "$tmp/$1/M/S3/$2"; }
cp "$tmp/src/M_S3_gpp.nc" "$(arch plain M_S3_gpp.nc)"
gzip -c "$tmp/src/M_S3_gpp.nc" >"$(arch gz M_S3_gpp.nc.gz)"
bzip2 -c "$tmp/src/M_S3_gpp.nc" >"$(arch bz2 M_S3_gpp.nc.bz2)"
# The member's own name is never used: the scratch name is the output's.
mkdir -p "$tmp/member/sub" && cp "$tmp/src/M_S3_gpp.nc" "$tmp/member/sub/other.nc"
tar -C "$tmp/member" -czf "$(arch tar M_S3_gpp.nc.tar.gz)" sub/other.nc
gzip -c "$tmp/src/M_S3_gpp.nc" >"$tmp/src/whole.gz"
# A whole container whose netCDF lacks the variable its name promises.
gzip -c "$tmp/src/M_S3_gpp.nc" >"$(arch novar M_S3_nbp.nc.gz)"
head -c "$(($(stat -c %s "$tmp/src/whole.gz") / 2))" "$tmp/src/whole.gz" >"$(arch cut M_S3_gpp.nc.gz)"

# gen NAME [OPTIONS]: the graph of archive NAME, outputs in $tmp/out-NAME.
gen() {
    local name=$1
    shift
    "$root/generate.py" --input "$tmp/$name" --out "$tmp/out-$name" --prebuilt \
        --converter "$bin" --verifier "$tools/t2i-verify" --inflater "$tools/t2i-inflate" \
        --area-tool "$tools/t2i-area" \
        --builddir "$tmp/b-$name" -o "$tmp/$name.ninja" "$@" >/dev/null
}
n() { local name=$1; shift; (cd "$root" && ninja -f "$tmp/$name.ninja" "$@"); }
scratch() { find "$root/build/scratch/abs$tmp" -type f 2>/dev/null; }
# attr FILE NAME: a global text attribute of FILE (ncdump's \' and \" undone).
attr() { ncdump -h "$1" | sed -n "s/^\t\t:$2 = \"\(.*\)\" ;\$/\1/p" | sed "s/\\\\\(['\"]\)/\1/g"; }
export -f attr
# same OUTPUT ORIGINAL: OUTPUT, made by a convert_packed edge from the
# archive file its source_file names, is byte for byte what the converter
# makes of ORIGINAL (that archive file uncompressed) given the same command
# line plus --source: its history is that command line as if the archive
# file had been converted, so it is replayed with the archive file replaced
# by `--source ARCHIVE ORIGINAL`, into the same OUTPUT and stats paths.
same() {
    local out=$1 orig=$2 src hist words=() replay=() w
    src=$(attr "$out" source_file)
    hist=$(attr "$out" history)
    eval "words=($hist)"
    for w in "${words[@]}"; do
        if [ "$w" = "$src" ]; then replay+=(--source "$src" "$orig"); else replay+=("$w"); fi
    done
    mv "$out" "$out.packed"
    (cd "$root" && "${replay[@]}") && cmp "$out.packed" "$out"
}

for a in plain gz bz2 tar cut novar; do gen "$a"; done
check "a compressed input gets one convert_packed edge in pool inflate (depth 2)" \
    bash -c "grep -A1 '^pool inflate' '$tmp/gz.ninja' | grep -q 'depth = 2' &&
        [ \"\$(grep -c ': convert_packed ' '$tmp/gz.ninja')\" = 1 ] &&
        grep -A6 ': convert_packed ' '$tmp/gz.ninja' | grep -q '^  pool = inflate' &&
        ! grep -q ': convert_packed ' '$tmp/plain.ninja'"
check "--inflate-jobs sets the pool's depth" \
    bash -c "'$root/generate.py' --input '$tmp/gz' --out '$tmp/o' --prebuilt --inflate-jobs 5 \
        -o '$tmp/x.ninja' >/dev/null && grep -A1 '^pool inflate' '$tmp/x.ninja' | grep -q 'depth = 5'"
for a in plain gz bz2 tar; do
    n "$a" convert >"$tmp/$a.log" 2>&1 || sed -n '1,8s/^/     /p' "$tmp/$a.log"
done
check "the plain file converts" test -s "$tmp/out-plain/M/gpp.nc"
for a in gz bz2 tar; do
    check "the .$a output is byte for byte that of the uncompressed original" \
        same "$tmp/out-$a/M/gpp.nc" "$tmp/src/M_S3_gpp.nc"
done
check "source_file and history name the archive file, not the scratch copy" \
    bash -c "[ \"\$(attr '$tmp/out-gz/M/gpp.nc' source_file)\" = '$tmp/gz/M/S3/M_S3_gpp.nc.gz' ] &&
        [ \"\$(attr '$tmp/out-gz/M/gpp.nc' history)\" = '${bin#"$root"/} --table tables/variables.tsv --model M --sim S3 --out-var gpp --var gpp --area-basis cell --stats $tmp/out-gz/stats/M/gpp.json $tmp/gz/M/S3/M_S3_gpp.nc.gz $tmp/out-gz/M/gpp.nc' ]"
check "... and so do the stats' input" \
    grep -qF "\"input\": \"$tmp/gz/M/S3/M_S3_gpp.nc.gz\"" "$tmp/out-gz/stats/M/gpp.json"
check "no scratch copy is left after the conversions" test -z "$(scratch)"
n tar check >"$tmp/check.log" 2>&1
check "the check of a compressed input decompresses its own copy and passes" \
    bash -c "grep -q '\"status\": \"ok\"' '$tmp/out-tar/check/M/gpp.json' && [ -z \"\$(find '$root/build/scratch/abs$tmp' -type f)\" ]"
check "... and its result names the archive file as the input" \
    grep -qF "\"input\": \"$tmp/tar/M/S3/M_S3_gpp.nc.tar.gz\"" "$tmp/out-tar/check/M/gpp.json"
[ -s "$tmp/out-tar/check/M/gpp.json" ] || sed -n '1,8s/^/     /p' "$tmp/check.log"

# The sample's compressed inputs, packed here as rules pack_gz and
# pack_tar.gz pack them (outside build/sample/, which the sample graph owns),
# their uncompressed originals kept beside the archive.
for f in VISIT/S3/VISIT_S3_gpp.nc.gz iMAPLE/S3/iMAPLE_S3_Annual_cSoil.nc.tar.gz; do
    c=$root/sample/$f.cdl o=$tmp/orig/${f%%.nc.*}.nc
    mkdir -p "${o%/*}" "$tmp/sample/${f%/*}"
    ncgen -k "$(sed -n '1s|^// ncgen -k ||p' "$c")" -o "$o" "$c" || bad "ncgen $c"
    case $f in
    *.tar.gz) tar -C "${o%/*}" -czf "$tmp/sample/$f" "${o##*/}" ;;
    *) gzip -n -c "$o" >"$tmp/sample/$f" ;;
    esac
done
gen sample
n sample convert >"$tmp/sample.log" 2>&1 || sed -n '1,8s/^/     /p' "$tmp/sample.log"
check "the sample's .nc.gz (VISIT) converts byte for byte like its original" \
    same "$tmp/out-sample/VISIT/gpp.nc" "$tmp/orig/VISIT/S3/VISIT_S3_gpp.nc"
check "the sample's .nc.tar.gz (iMAPLE) converts byte for byte like its original" \
    same "$tmp/out-sample/iMAPLE/cSoil.nc" "$tmp/orig/iMAPLE/S3/iMAPLE_S3_Annual_cSoil.nc"

n cut -k 0 convert >"$tmp/cut.log" 2>&1
rc=$?
check "a truncated .nc.gz fails: one t2i-inflate line naming the file, no output, no scratch" \
    bash -c "[ $rc != 0 ] && [ \"\$(grep -c '^t2i-inflate: .*M_S3_gpp.nc.gz' '$tmp/cut.log')\" = 1 ] &&
        [ ! -e '$tmp/out-cut/M/gpp.nc' ] && [ -z \"\$(find '$root/build/scratch/abs$tmp' -type f)\" ]"
check "... and its stats say it could not be decompressed" \
    grep -q '"error": "cannot decompress' "$tmp/out-cut/stats/M/gpp.json"

# By hand: --source=PATH too; a value that reads "--source" stays (it is
# --model's); a path with a space is quoted as join_args quotes any word.
"$bin" --model --source --var gpp --source="$tmp/x y/M_S3_gpp.nc.gz" --deflate 0 \
    "$tmp/src/M_S3_gpp.nc" "$tmp/direct.nc" 2>"$tmp/direct.log"
check "history leaves --source=PATH out and puts PATH (quoted) in INPUT's place" \
    bash -c "[ \"\$(attr '$tmp/direct.nc' history)\" = \"$bin --model --source --var gpp --deflate 0 '$tmp/x y/M_S3_gpp.nc.gz' $tmp/direct.nc\" ] &&
        [ \"\$(attr '$tmp/direct.nc' source_file)\" = '$tmp/x y/M_S3_gpp.nc.gz' ]"

n novar -k 0 convert >"$tmp/novar.log" 2>&1
check "a conversion failing after decompression names the archive file, not the scratch copy" \
    bash -c "grep -q '^trendy2ilamb: $tmp/novar/M/S3/M_S3_nbp.nc.gz: ' '$tmp/novar.log' &&
        ! grep '^trendy2ilamb: ' '$tmp/novar.log' | grep -q scratch"

# kill -9 while decompressing: a stand-in inflater writes part of the
# scratch copy and its .tmp, then waits; ninja and everything it started
# (one process group, made by setsid) are killed with SIGKILL.
cat >"$tmp/slow-inflate" <<SH
#!/bin/sh
# ... [--max-bytes N --keep-free N] IN OUT: the last two words.
for a; do in=\$out; out=\$a; done
head -c 1000 "\$in" >"\$out.tmp.\$\$"
head -c 1000 "\$in" >"\$out"
echo started >"$tmp/slow.started"
exec sleep 60
SH
chmod +x "$tmp/slow-inflate"
"$root/generate.py" --input "$tmp/gz" --out "$tmp/out-kill" --prebuilt --converter "$bin" \
    --inflater "$tmp/slow-inflate" --builddir "$tmp/b-kill" -o "$tmp/kill.ninja" >/dev/null
(cd "$root" && exec setsid ninja -f "$tmp/kill.ninja" convert >"$tmp/kill.log" 2>&1) &
for _ in $(seq 100); do [ -e "$tmp/slow.started" ] && break; sleep 0.1; done
pgid=$(ps -o pgid= -p "$(pgrep -f -n "ninja -f $tmp/kill.ninja")" 2>/dev/null | tr -d ' ')
[ -n "$pgid" ] && kill -KILL -- "-$pgid"
wait 2>/dev/null
check "a kill -9 during decompression leaves the scratch copy (the case to clean)" \
    test -n "$(scratch)"
"$root/generate.py" --input "$tmp/gz" --out "$tmp/out-kill" --prebuilt --converter "$bin" \
    --inflater "$tools/t2i-inflate" --builddir "$tmp/b-kill" -o "$tmp/kill.ninja" >/dev/null
n kill convert >"$tmp/rerun.log" 2>&1
check "the rerun converts and removes it: no scratch file is left" \
    bash -c "[ -s '$tmp/out-kill/M/gpp.nc' ] && [ -z \"\$(find '$root/build/scratch/abs$tmp' -type f)\" ]"
rm -rf "$root/build/scratch/abs$tmp"

tally
