#!/usr/bin/env bash
# generate.py never plans a write outside the output directory: names that
# would escape it ('.', '..', a backslash) or that cannot be written into
# build.ninja (bytes that are not UTF-8) are refused with one line, and for
# odd but legal names (spaces, colons, a leading dash, 'a..b', accents) and
# symlinked model directories every output of every edge, normalised, lies
# under --out or build/. (Newlines, '$', control characters and a variable
# '..' are tested in generate_test.sh.) Archives are empty files: nothing is
# converted. Prints one "ok"/"FAIL" line per check and "N passed, M failed".
. "$(dirname "$0")/lib.sh"


# arch DIR FILE...: a fresh archive $tmp/arch holding empty files DIR/FILE.
arch() {
    local d=$1
    shift
    rm -rf "$tmp/arch" && mkdir -p "$tmp/arch/$d"
    for f in "$@"; do : >"$tmp/arch/$d/$f"; done
}
gen() { "$root/generate.py" --input "$tmp/arch" --out "$tmp/out" -o "$tmp/b.ninja" >"$tmp/log" 2>&1; }

# refused DESC PATTERN: generate.py exits 1 with one line matching PATTERN.
# refused DESC PATTERN: the archive's one file gets no edge and a
# skipped.tsv line (four columns, one line) whose reason matches PATTERN;
# the plan goes on (issue 20: one odd name never stops it).
refused() {
    gen
    local rc=$?
    if [ "$rc" = 0 ] && ! grep -q ': convert' "$tmp/b.ninja" &&
        [ "$(wc -l <"$tmp/out/skipped.tsv")" = 2 ] &&
        awk -F'\t' 'NR > 1 && NF == 4' "$tmp/out/skipped.tsv" | grep -qE -- "$2"; then
        ok "$1"
    else
        bad "$1 (exit $rc)"
        sed -n '1,4s/^/     /p' "$tmp/log" "$tmp/out/skipped.tsv"
    fi
}

# contained DESC: generate.py succeeds and every output of a non-phony edge
# (but the build file itself and its launcher, -o FILE*) normalises to a
# path under build/ or $tmp/out.
contained() {
    if ! gen; then
        bad "$1 (generate.py failed)"
        sed -n '1,4s/^/     /p' "$tmp/log"
        return
    fi
    ninja -f "$tmp/b.ninja" -t targets all | grep -v ': phony$' | sed 's/: [^:]*$//' |
        grep -v "^$tmp/b\.ninja" |
        python3 -c '
import os, sys
out, root = sys.argv[1], sys.argv[2]
bad = [p for p in sys.stdin.read().splitlines()
       if not os.path.normpath(os.path.join(root, p)).startswith(
           (os.path.join(root, "build") + os.sep, out + os.sep))]
print("\n".join(bad))
sys.exit(1 if bad else 0)' "$tmp/out" "$root" >"$tmp/escaped"
    if [ $? = 0 ]; then
        ok "$1 ($(grep -o '[0-9]* conversions' "$tmp/log"), every output under --out)"
    else
        bad "$1: outputs outside --out: $(head -n 3 "$tmp/escaped" | tr '\n' ' ')"
    fi
}

arch M/S3 'M_S3_..nc'
refused "a variable named '.' is skipped alone" "variable name '\.' starts with '\.'"
arch M/S3 'M_S3_a\b.nc'
refused "a backslash in a variable name is skipped alone" "variable name 'a.*b' contains"
arch M/S3 $'M_S3_g\xffpp.nc'
refused "a file name that is not UTF-8 is skipped alone, in one line" "not UTF-8"
arch $'M\xff/S3' 'M_S3_gpp.nc'
refused "a model name that is not UTF-8 is skipped alone, in one line" "not UTF-8"

arch 'A b:c/S3' 'A b_S3_gpp.nc'
mkdir -p "$tmp/arch/-rf/S3" "$tmp/arch/a..b/S1" "$tmp/arch/Modèle/S3"
: >"$tmp/arch/-rf/S3/-rf_S3_npp.nc"
: >"$tmp/arch/a..b/S1/a..b_S1_gpp.nc"
: >"$tmp/arch/Modèle/S3/Modèle_S3_lai.nc"
contained "spaces, a colon, a leading dash, 'a..b' and an accent stay under --out"

arch M/S3 'M_S3_gpp.nc'
mkdir -p "$tmp/elsewhere/S3" && : >"$tmp/elsewhere/S3/X_S3_npp.nc"
ln -s "$tmp/elsewhere" "$tmp/arch/Linked"
ln -s .. "$tmp/arch/M/S2"
contained "a symlinked model directory and a sim directory linking to '..' stay under --out"

tally
