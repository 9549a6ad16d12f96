#!/usr/bin/env bash
# The converter and its checker agree (issue 12). Every case of
# tests/cases.tsv is converted; an "ok" case must then pass t2i-verify, run
# with the same flags, with zero problems, and a "fail" case must be refused
# (exit 1). The bundled sample is converted and checked the same way, with
# the flags generate.py gives each file. Then every class of damage the
# checker claims to catch (tests/verify_test.sh) is made from converted
# outputs and must be caught (exit 1): values off by a factor, flipped
# latitude, missing bounds, a wrong units attribute, a lost mask, time moved
# by a month, a 30-day March.
#
# Environment: T2I_ROOT, T2I_BIN (converter, default build/san/trendy2ilamb),
# T2I_VERIFY (checker, default build/san/t2i-verify), T2I_INFLATE
# (decompressor, default build/san/t2i-inflate).
. "$(dirname "$0")/lib.sh"
bin=${T2I_BIN:-build/san/trendy2ilamb}
verify=${T2I_VERIFY:-$(dirname "$bin")/t2i-verify}
inflate=${T2I_INFLATE:-$(dirname "$bin")/t2i-inflate}
[[ $bin == /* ]] || bin=$root/$bin
[[ $verify == /* ]] || verify=$root/$verify
[[ $inflate == /* ]] || inflate=$root/$inflate
cd "$root" || exit 3
table=$root/tables/variables.tsv
fixtures=$root/tests/fixtures
# Every MUTATE_EVERY-th good case also gets the ncdump/ncgen mutations
# (each costs an ncdump, an ncgen and a check; the factor mutation runs on
# every case).
MUTATE_EVERY=4

# make_case N FIXTURE VAR KIND UNITS: the input $tmp/N/M/S3/M_S3_VAR.nc.
make_case() {
    local d=$tmp/$1/M/S3 cdl=$fixtures/$2.cdl
    mkdir -p "$d"
    in=$d/M_S3_$3.nc
    out=$tmp/$1/out.nc
    if [ "$5" != - ]; then
        sed "s|@VAR@|$3|g; s|@UNITS@|${5%=*}|g; s|@V@|${5##*=}|g" "$cdl" >"$d/case.cdl"
        cdl=$d/case.cdl
    fi
    ncgen -k "$4" -o "$in" "$cdl" 2>"$tmp/ncgen.err"
}

# converts IN OUT FLAGS...: the converter's exit status, stderr in $tmp/err.
converts() {
    local i=$1 o=$2
    shift 2
    "$bin" --table "$table" "$@" "$i" "$o" 2>"$tmp/err"
}
# checks IN OUT FLAGS...: the checker's exit status, stderr in $tmp/check.err.
# The converter's own options (--memory N, --deflate N: how, not what, it
# writes) are not the checker's and are left out; every models/ flag goes.
checks() {
    local i=$1 o=$2 a=()
    shift 2
    while [ $# -gt 0 ]; do
        case $1 in
        --memory | --deflate) shift 2 ;;
        --memory=* | --deflate=*) shift ;;
        *) a+=("$1") && shift ;;
        esac
    done
    "$verify" --table "$table" "${a[@]}" "$i" "$o" 2>"$tmp/check.err"
}

# caught DESCRIPTION IN OUT FLAGS...: the damaged OUT fails the check.
caught() {
    local desc=$1 i=$2 o=$3
    shift 3
    checks "$i" "$o" "$@"
    local rc=$?
    if [ "$rc" = 1 ]; then ok "$desc"; else
        bad "$desc (checker exit $rc, want 1)"
        sed -n '1,5s/^/     /p' "$tmp/check.err"
    fi
}

# The data variable of an output: the one on (time, lat, lon).
# (A layered output's data variable is on (time, depth, lat, lon).)
data_var() { ncdump -h "$1" | sed -n 's/^\t[a-z]* \([A-Za-z0-9_]*\)(time, \(depth, \)\{0,1\}lat, lon) ;$/\1/p'; }

# edit_numbers NAMES MODE < CDL: the numbers of the data blocks of the
# variables matching the regex NAMES changed: "neg" negates each, "late"
# adds 31 (days), "short" sets the second number of the first block to 0.5.
edit_numbers() {
    awk -v names="$1" -v mode="$2" 'BEGIN { CONVFMT = "%.17g"; re = "^ (" names ") =" }
        $0 ~ re { inside = 1; k = 0 }
        inside { line = ""; rest = $0
            if (match(rest, re)) { line = substr(rest, 1, RLENGTH); rest = substr(rest, RLENGTH + 1) }
            while (match(rest, /-?[0-9][0-9.]*(e[-+]?[0-9]+)?/)) {
                num = substr(rest, RSTART, RLENGTH) + 0; k++
                if (mode == "neg") num = -num
                else if (mode == "late") num = num + 31
                else if (mode == "short" && k == 2 && !done) num = 0.5
                line = line substr(rest, 1, RSTART - 1) num
                rest = substr(rest, RSTART + RLENGTH) }
            print line rest
            if ($0 ~ /;/) { inside = 0; if (k) done = 1 }
            next }
        { print }'
}

# mutate CASE IN OUT FLAGS...: ncdump/ncgen damage of a good output.
mutate() {
    local id=$1 i=$2 o=$3 v m=$tmp/m.nc
    shift 3
    v=$(data_var "$o")
    ncdump "$o" >"$tmp/m.cdl" || return
    if [ "$(ncdump -h "$o" | sed -n 's/^\tlat = \([0-9]*\) ;$/\1/p')" -gt 1 ]; then
        edit_numbers lat neg <"$tmp/m.cdl" >"$tmp/e.cdl" && ncgen -k nc4 -o "$m" "$tmp/e.cdl" &&
            caught "$id: negated (descending) latitude is caught" "$i" "$m" "$@"
    else
        skip "$id: negated latitude (one latitude row)"
    fi
    sed '/lat_bnds(lat, bnds)/d; /lat:bounds = /d; /^ lat_bnds =/,/;$/d' "$tmp/m.cdl" >"$tmp/e.cdl"
    ncgen -k nc4 -o "$m" "$tmp/e.cdl" && caught "$id: missing lat_bnds are caught" "$i" "$m" "$@"
    sed "s/^\(\t\t$v:units = \)\"[^\"]*\"/\1\"furlongs\"/" "$tmp/m.cdl" >"$tmp/e.cdl"
    ncgen -k nc4 -o "$m" "$tmp/e.cdl" && caught "$id: a wrong units attribute is caught" "$i" "$m" "$@"
    # ncdump writes a fill value as "_": turning those into 0 loses the mask.
    if sed -n "/^ $v =/,/;\$/p" "$tmp/m.cdl" | grep -qE '(^|[ ,])_([,; ]|$)'; then
        sed "/^ $v =/,/;\$/{s/\(^\|[ ,]\)_\([,; ]\|\$\)/\10\2/g; s/\(^\|[ ,]\)_\([,; ]\|\$\)/\10\2/g}" \
            "$tmp/m.cdl" >"$tmp/e.cdl"
        ncgen -k nc4 -o "$m" "$tmp/e.cdl" && caught "$id: a lost mask is caught" "$i" "$m" "$@"
    else
        skip "$id: lost mask (no missing cell)"
    fi
    edit_numbers 'time|time_bnds' late <"$tmp/m.cdl" >"$tmp/e.cdl" &&
        ncgen -k nc4 -o "$m" "$tmp/e.cdl" && caught "$id: time moved by 31 days is caught" "$i" "$m" "$@"
    edit_numbers time_bnds short <"$tmp/m.cdl" >"$tmp/e.cdl" &&
        ncgen -k nc4 -o "$m" "$tmp/e.cdl" && caught "$id: a first step cut short is caught" "$i" "$m" "$@"
}

# ------------------------------------------------------------ the table
n=0
ncases=0
nfix=0
for f in "$fixtures"/*.cdl; do
    f=$(basename "$f" .cdl)
    nfix=$((nfix + 1))
    awk -F'\t' -v f="$f" '$1 == f { found = 1 } END { exit !found }' tests/cases.tsv ||
        bad "fixture $f has a row in tests/cases.tsv"
    # The values of each case are checked there against hand-computed truth.
    grep -qw -- "$f" tests/convert_test.sh || bad "fixture $f is used by tests/convert_test.sh"
done
awk -F'\t' '!/^#/ && NF { print $1 }' tests/cases.tsv | sort -u | while read -r f; do
    [ -f "$fixtures/$f.cdl" ] || echo "$f"
done >"$tmp/unknown"
[ -s "$tmp/unknown" ] && bad "every case names a fixture (not: $(tr '\n' ' ' <"$tmp/unknown"))" ||
    ok "every fixture has a case, every case a fixture, all used by convert_test.sh"
while IFS=$'\t' read -r fixture var kind units flags outcome note; do
    case $fixture in '#'* | '') continue ;; esac
    n=$((n + 1))
    ncases=$((ncases + 1))
    id="case $n ($fixture $var${units#-}${flags#-})"
    [ "$flags" = - ] && flags=
    eval "args=($flags)"
    if ! make_case "$n" "$fixture" "$var" "$kind" "$units"; then
        bad "$id: ncgen makes the input"
        continue
    fi
    converts "$in" "$out" "${args[@]}"
    rc=$?
    if [ "$outcome" = fail ]; then
        [ "$rc" = 1 ] && [ ! -e "$out" ] && ok "$id: refused by the converter (exit 1)" ||
            bad "$id: refused by the converter (exit $rc, want 1)"
        continue
    fi
    if [ "$rc" != 0 ]; then
        bad "$id: converts (exit $rc)"
        sed -n '1,3s/^/     /p' "$tmp/err"
        continue
    fi
    if checks "$in" "$out" "${args[@]}"; then ok "$id: converted output passes the checker"; else
        bad "$id: converted output passes the checker"
        sed -n '1,5s/^/     /p' "$tmp/check.err"
    fi
    # Values off by a factor (the converter's factor wrong): --scale 2 on
    # top of the case's flags, checked against the case's own flags.
    if converts "$in" "$tmp/x2.nc" "${args[@]}" --scale 2 &&
        ncdump -v "$(data_var "$tmp/x2.nc")" "$tmp/x2.nc" | sed -n '/^data:/,$p' |
        grep -qE '(^|[ ,=])-?[1-9]|(^|[ ,=])-?0\.0*[1-9]'; then
        caught "$id: values off by a factor of 2 are caught" "$in" "$tmp/x2.nc" "${args[@]}"
    else
        skip "$id: factor 2 (every value is zero or missing)"
    fi
    [ $((n % MUTATE_EVERY)) = 1 ] && mutate "$id" "$in" "$out" "${args[@]}"
done <tests/cases.tsv
echo "agreement table: $ncases cases over $nfix fixtures"

# ------------------------------------------------------------ the sample
# The flags each sample file gets, and how a compressed one is packed and
# unpacked, come from the graph generate.py writes.
./generate.py -o "$tmp/sample.ninja" --out "$tmp/sample-out" >/dev/null 2>"$tmp/gen.err" ||
    bad "generate.py writes the sample's graph ($(head -1 "$tmp/gen.err"))"
ninja -f "$tmp/sample.ninja" -t commands check 2>/dev/null |
    grep -E ' && ncgen -k | && gzip -n | && tar -C | -- build/t2i-verify ' |
    sed "s|build/sample/|$tmp/sample/|g" >"$tmp/sample.sh"
nsample=0
while read -r line; do
    case $line in
    *" -- build/t2i-verify "*) ;;
    *)
        # A sample input's edge "o=OUT && { flock 9 && ... ncgen ... }
        # 9>>LOCK" (or gzip, tar) runs as it is, in its directory.
        o=${line#*o=}
        o=${o%% *}
        eval "mkdir -p \"\$(dirname $o)\"" && eval "$line" || bad "sample input: $line"
        continue
        ;;
    esac
    case $line in
    *)
        # A compressed input's check is "set -- ARCHIVE OUT && k=SCRATCH
        # && ... -- build/t2i-inflate "$1" "$k" && ... -- build/t2i-verify
        # ... --source "$1" ... "$k" "$2"; r=$?; ...": the archive is
        # decompressed here too, and $1, $2 and $k stand for the same files
        # when the check's words are read.
        archive=
        case $line in
        'set -- '*)
            a=${line#set -- }
            eval "set -- ${a%% && *}"
            archive=$1
            k=$tmp/packed/$((nsample + 1)).nc
            mkdir -p "$tmp/packed"
            ;;
        esac
        cmd=${line##* -- build/t2i-verify }
        cmd=${cmd%%; *}
        eval "set -- $cmd"
        # The check's words: --table T FLAGS... --json J IN OUT.
        words=("$@")
        o=${words[-1]}
        i=${words[-2]}
        flags=()
        # The directory's area files (--areacella, --sftlf) are the area
        # edges' outputs, not made here: totals are tests/totals_test.sh's.
        for ((k = 2; k < ${#words[@]} - 4; k++)); do
            case ${words[k]} in
            --areacella | --sftlf) k=$((k + 1)) ;;
            *) flags+=("${words[k]}") ;;
            esac
        done
        nsample=$((nsample + 1))
        mkdir -p "$(dirname "$o")"
        if [ -n "$archive" ] && ! "$inflate" "$archive" "$i" 2>"$tmp/err"; then
            bad "sample $(basename "$archive"): t2i-inflate decompresses it"
            sed -n '1,3s/^/     /p' "$tmp/err"
        elif converts "$i" "$o" "${flags[@]}" && checks "$i" "$o" "${flags[@]}"; then
            ok "sample $(basename "$i"): converts and passes the checker"
        else
            bad "sample $(basename "$i"): converts and passes the checker"
            sed -n '1,5s/^/     /p' "$tmp/err" "$tmp/check.err"
        fi
        ;;
    esac
done <"$tmp/sample.sh"
[ "$nsample" -gt 10 ] && ok "the sample's $nsample outputs were checked" ||
    bad "the sample's outputs were checked (only $nsample)"

tally
