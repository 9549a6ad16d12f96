#!/usr/bin/env bash
# Issue 20: one odd name never stops the plan, and every file name Ninja
# can carry is converted. An archive made here holds, beside good files:
# a '|' in a directory and in a file name, '$', a backquote, quotes, a tab,
# a space and a ':' in names, a name that is not UTF-8, a FIFO and a broken
# symlink named like outputs, a model directory X_S2 beside model X's S2,
# two model directories that differ only in case, a model named like the
# tool's own trees (stats), a lower-case s3/ and a file whose conversion
# fails under a name with a tab. Then:
#   - generate.py exits 0 and Ninja parses the graph;
#   - every odd file is skipped alone, with its reason, in a skipped.tsv of
#     exactly four columns a line;
#   - every name Ninja can carry is converted, its error line one line;
#   - one claim per output directory, the winner named.
# Prints one "ok"/"FAIL" line per check and "N passed, M failed".
. "$(dirname "$0")/lib.sh"
cd "$root" || exit 3
a=$tmp/arch
fix=$root/tests/fixtures/time_days_1700.cdl
mk() { mkdir -p "$(dirname "$1")" && ncgen -k nc4 -o "$1" "$fix"; }
mk "$a/GOOD/S3/GOOD_S3_gpp.nc"
mk "$a/GOOD/S3/GOOD_S3_n\$pp.nc"                 # '$': a variable name, skipped
mk "$a/DOLLAR/S3/DOL\$LAR_S3_gpp.nc"              # '$' in a prefix: converted
mk "$a/QUOTES/S3/QU\"O'T\`ES_S3_gpp.nc"           # quotes, backquote: converted
mk "$a/SPACE/S3/SP ACE:x_S3_gpp.nc"               # space, colon: converted
mk "$a/TAB/S3/TA	B_S3_gpp.nc"                       # a tab: converted
mk "$a/PIPE/S3/PI|PE_S3_gpp.nc"                   # '|': skipped
mkdir -p "$a/GOOD/OLD|2019" "$a/GOOD/S3/x|y"      # empty: nothing to say
mk "$a/BYTES/S3/$(printf 'BY\xffTES')_S3_gpp.nc"  # not UTF-8: skipped
mkfifo "$a/GOOD/S3/GOOD_S3_npp.nc"                # a FIFO: skipped, never opened
ln -s "$tmp/nowhere" "$a/GOOD/S3/GOOD_S3_nbp.nc"  # a broken symlink: skipped
mk "$a/X/S2/X_S2_gpp.nc"                          # model X's S2: out/X_S2/
mk "$a/X_S2/S3/Y_S3_gpp.nc"                       # model X_S2's S3: out/X_S2/ too
mk "$a/Case/S3/Case_S3_gpp.nc"
mk "$a/case/S3/case_S3_npp.nc"                    # case-folds onto Case
mk "$a/stats/S3/stats_S3_gpp.nc"                  # a reserved name
mk "$a/LOWER/s3/LOWER_S3_gpp.nc"                  # lower-case s3/
mkdir -p "$a/BIG/S3" && truncate -s 10485760 "$a/BIG/S3/BIG_S3_gpp.nc.gz"  # 10 MiB, sparse
mkdir -p "$a/DAMAGED/S3" && ncgen -k nc4 -o "$tmp/d.nc" "$fix" && gzip -c "$tmp/d.nc" >"$a/DAMAGED/S3/DAMAGED_S3_gpp.nc.gz" &&
    printf '\x00\x00\x00\x00' | dd of="$a/DAMAGED/S3/DAMAGED_S3_gpp.nc.gz" bs=1 \
        seek=$(($(stat -c %s "$a/DAMAGED/S3/DAMAGED_S3_gpp.nc.gz") - 8)) conv=notrunc 2>/dev/null
mkdir -p "$a/FAILS/S3" && printf 'not netCDF\n' >"$a/FAILS/S3/FA	ILS_S3_gpp.nc"

out=$tmp/out
./generate.py --input "$a" --out "$out" -o "$tmp/b.ninja" --builddir "$tmp/b" >"$tmp/gen.log" 2>&1
rc=$?
[ "$rc" = 0 ] && ok "generate.py plans an archive of odd names (exit 0)" ||
    bad "generate.py (exit $rc): $(tail -2 "$tmp/gen.log")"
ninja -f "$tmp/b.ninja" -n >"$tmp/n.log" 2>&1 && ok "Ninja parses the graph it wrote" ||
    bad "Ninja cannot parse the graph: $(grep error "$tmp/n.log" | head -2)"
skips=$out/skipped.tsv
awk -F'\t' 'NF != 4 { bad = 1 } END { exit bad }' "$skips" &&
    ok "skipped.tsv has four columns on every line (a tab in a name is \\t)" ||
    bad "skipped.tsv has lines of other widths: $(awk -F'\t' 'NF != 4' "$skips" | head -2)"
# reason FILE-PATTERN TEXT: skipped.tsv says TEXT for the file.
reason() { grep -F -- "$1" "$skips" | grep -qF -- "$2"; }
check "a '|' in a file name skips that file alone" reason 'PI|PE_S3_gpp.nc' "'|'"
check "a name that is not UTF-8 is skipped, shown as \\xff" reason 'BY\xffTES_S3_gpp.nc' 'not UTF-8'
check "a '\$' in a variable name skips that file alone" reason 'GOOD_S3_n$pp.nc' "contains '\$'"
check "a FIFO named like an output is skipped, never opened" reason 'GOOD_S3_npp.nc' 'not a regular file'
check "a broken symlink is skipped" reason 'GOOD_S3_nbp.nc' 'not a regular file'
check "a model named like the tool's trees is skipped" reason 'stats_S3_gpp.nc' "tool's own trees"
check "a model directory X_S2 loses out/X_S2/ to model X's S2, named" \
    reason 'Y_S3_gpp.nc' 'also claimed by model X, simulation S2'
check "of two model directories differing in case, the second loses, named" \
    reason 'case_S3_npp.nc' 'also claimed by model Case, simulation S3'

# A symlink planted at a stats path: the failure result written there
# replaces the link, never its target.
echo precious >"$tmp/victim"
mkdir -p "$out/stats/DAMAGED" && ln -s "$tmp/victim" "$out/stats/DAMAGED/gpp.json"
ninja -f "$tmp/b.ninja" -k 0 >"$tmp/run.log" 2>&1
for o in GOOD/gpp DOLLAR/gpp QUOTES/gpp SPACE/gpp TAB/gpp X_S2/gpp Case/gpp LOWER/gpp; do
    [ -f "$out/$o.nc" ] || missing+=" $o"
done
[ -z "${missing:-}" ] && ok "names with '\$', quotes, a backquote, a space, ':', a tab, and s3/ all convert" ||
    bad "not converted:$missing ($(grep -A2 FAILED "$tmp/run.log" | head -6 | tr '\n' ' '))"
[ ! -e "$out/PIPE" ] && [ ! -e "$out/stats/S3" ] && [ ! -e "$out/case" ] &&
    ok "no output for what was skipped" || bad "outputs of skipped files exist"
line=$(grep -c "^trendy2ilamb: .*FA\\\\tILS_S3_gpp.nc: cannot open" "$tmp/run.log")
[ "$line" = 1 ] &&
    ok "the failing file's error is one line, its tab shown as \\t" ||
    bad "the failing file's error line: $(grep -A1 'FAILED.*FAILS' "$tmp/run.log" | head -3)"
grep -q '"error": "cannot decompress: t2i-inflate: .*DAMAGED_S3_gpp.nc.gz: .*CRC' "$out/stats/DAMAGED/gpp.json" &&
    ok "a damaged .nc.gz: its stats (and so the report) give t2i-inflate's reason" ||
    bad "a damaged .nc.gz's stats: $(head -c 300 "$out/stats/DAMAGED/gpp.json")"
[ "$(cat "$tmp/victim")" = precious ] && [ ! -L "$out/stats/DAMAGED/gpp.json" ] &&
    ok "a symlink planted at a stats path is replaced, its target untouched" ||
    bad "the planted stats symlink: victim '$(cat "$tmp/victim")'"
# Decompression is bounded by the input's own size (200x, at least 1 GiB),
# and keeps 256 MiB free: a bomb stops at its limit, with one line.
cmd=$(ninja -f "$tmp/b.ninja" -t commands "$out/BIG/gpp.nc" | tail -n 1)
case $cmd in
*"t2i-inflate --max-bytes 2097152000 --keep-free 268435456 "*)
    ok "a 10 MiB .nc.gz may inflate to 200x its size (--max-bytes 2097152000), keeping 256 MiB free" ;;
*) bad "the graph's decompression limits: ${cmd:0:300}" ;;
esac
./generate.py --input "$a" --out "$out" -o "$tmp/c.ninja" --builddir "$tmp/b" \
    --inflate-ratio 50 --inflate-keep-free 1000 >/dev/null 2>&1
cmd=$(ninja -f "$tmp/c.ninja" -t commands "$out/check/BIG/gpp.json" | tail -n 1)
case $cmd in
*"t2i-inflate --max-bytes 1073741824 --keep-free 1000 "*)
    ok "--inflate-ratio and --inflate-keep-free reach the check's decompression too (floor 1 GiB)" ;;
*) bad "the check's decompression limits: ${cmd:0:300}" ;;
esac

# A header declaring two billion time steps (an 8 KB netCDF-4 file): the
# converter and the checker refuse it at once, allocating nothing for it.
cat >"$tmp/huge.cdl" <<'CDL'
netcdf huge {
dimensions:
	time = 2000000000 ;
	lat = 2 ;
	lon = 2 ;
variables:
	double time(time) ;
		time:units = "days since 1700-01-01" ;
	float lat(lat) ;
	float lon(lon) ;
	float gpp(time, lat, lon) ;
		gpp:units = "kg m-2 s-1" ;
data:
 lat = 1, 2 ;
 lon = 1, 2 ;
}
CDL
mkdir -p "$tmp/huge"
ncgen -k nc4 -o "$tmp/huge/M_S3_gpp.nc" "$tmp/huge.cdl"
/usr/bin/time -f '%e %M' -o "$tmp/huge.time" timeout 60 "$root/build/trendy2ilamb" \
    "$tmp/huge/M_S3_gpp.nc" "$tmp/huge/out.nc" 2>"$tmp/huge.err"
rc=$?
read -r secs kib < <(tail -n 1 "$tmp/huge.time")
[ "$rc" = 1 ] && [ "$kib" -lt 102400 ] && grep -q 'declares 2000000000 time steps' "$tmp/huge.err" &&
    ok "a header declaring 2e9 time steps is refused at once ($secs s, $((kib / 1024)) MiB)" ||
    bad "2e9 declared steps: exit $rc, $secs s, $kib KiB: $(head -c 200 "$tmp/huge.err")"
ncgen -k nc4 -o "$tmp/huge/good.nc" "$fix" &&
    "$root/build/trendy2ilamb" --var gpp "$tmp/huge/good.nc" "$tmp/huge/out.nc" 2>/dev/null
/usr/bin/time -f '%e %M' -o "$tmp/huge.time" timeout 60 "$root/build/t2i-verify" --var gpp \
    "$tmp/huge/M_S3_gpp.nc" "$tmp/huge/out.nc" >/dev/null 2>"$tmp/huge.err"
rc=$?
read -r secs kib < <(tail -n 1 "$tmp/huge.time")
[ "$rc" = 1 ] && [ "$kib" -lt 102400 ] && grep -q 'declares 2000000000 time steps' "$tmp/huge.err" &&
    ok "... and so does the checker given it as an input ($secs s, $((kib / 1024)) MiB)" ||
    bad "the checker on 2e9 declared steps: exit $rc, $secs s, $kib KiB: $(head -c 200 "$tmp/huge.err")"

# The history attribute is a valid shell command: words with quotes, '$'
# or spaces are single-quoted, a quote written '\''.
"$root/build/trendy2ilamb" --var gpp --model "it's a \$model \`x\`" "$tmp/huge/good.nc" "$tmp/huge/h.nc"
python3 - "$tmp/huge/h.nc" "$root/build/trendy2ilamb" "$tmp/huge/good.nc" <<'PY' &&
import codecs, shlex, subprocess, sys
head = subprocess.run(['ncdump', '-h', sys.argv[1]], capture_output=True, text=True).stdout
line = [l for l in head.splitlines() if l.strip().startswith(':history = ')][0]
text = codecs.decode(line.split('= "', 1)[1].rsplit('" ;', 1)[0], 'unicode_escape')
want = [sys.argv[2], '--var', 'gpp', '--model', "it's a $model `x`", sys.argv[3], sys.argv[1]]
sys.exit(0 if shlex.split(text) == want else print(text) or 1)
PY
    ok "history is a valid shell command that gives back every word" ||
    bad "history does not split back into the command's words"

# A FIFO given to any program is refused at once, never opened.
mkfifo "$tmp/M_S3_gpp.nc"
for p in trendy2ilamb t2i-verify t2i-inflate; do
    timeout 10 "$root/build/$p" "$tmp/M_S3_gpp.nc" "$tmp/M_S3_gpp.nc" >/dev/null 2>"$tmp/fifo.err"
    rc=$?
    [ "$rc" = 1 ] || [ "$rc" = 2 ] && ! grep -q . <(grep -v 'regular file\|container' "$tmp/fifo.err") ||
        fifo_bad+=" $p(exit $rc: $(head -c 120 "$tmp/fifo.err"))"
done
[ -z "${fifo_bad:-}" ] && ok "a FIFO given to the converter, the checker or t2i-inflate is refused at once" ||
    bad "a FIFO given directly:$fifo_bad"
tally
