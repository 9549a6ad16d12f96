#!/usr/bin/env bash
# Every C file compiles with no warning under both gcc and clang at -O2
# (some warnings, like -Wmaybe-uninitialized, appear only when optimising),
# with the flags of build.ninja.in ($cflags and $optflags, read from it so
# the two can never differ). One check per file and compiler.
. "$(dirname "$0")/lib.sh"
cd "$root" || exit 3

# ninja_var NAME: the value of a top-level variable of build.ninja.in, its
# "$"-continued lines joined (Ninja's own line continuation).
ninja_var() {
    awk -v name="$1" '
        { line = held $0; held = "" }
        line ~ /\$$/ { held = substr(line, 1, length(line) - 1); next }
        index(line, name " = ") == 1 { sub(/^[^=]*= */, "", line); gsub(/  +/, " ", line); print line; exit }
    ' build.ninja.in
}
cflags=$(ninja_var cflags)
optflags=$(ninja_var optflags)
if [ -z "$cflags" ] || [ -z "$optflags" ]; then
    bad "build.ninja.in defines cflags and optflags"
    tally
    exit 1
fi
echo "flags from build.ninja.in: $cflags $optflags"
for cc in gcc clang; do
    if ! command -v "$cc" >/dev/null; then
        bad "$cc is not installed"
        continue
    fi
    for f in src/*.c tests/*_test.c; do
        # shellcheck disable=SC2086 # the flags are words
        if out=$("$cc" $cflags $optflags -c "$f" -o /dev/null 2>&1); then
            ok "$cc compiles $f without a warning"
        else
            bad "$cc warns on $f"
            echo "$out" | head -20
        fi
    done
done
tally
