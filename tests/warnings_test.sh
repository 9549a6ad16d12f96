#!/usr/bin/env bash
# Every C file compiles with no warning under both gcc and clang at -O2
# (some warnings, like -Wmaybe-uninitialized, appear only when optimising),
# with the flags of build.ninja.in. One check per file and compiler.
set -u
root=${T2I_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 3
flags="-std=c17 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -iquote include -I/usr/include/hdf5/serial -O2"
passed=0
failed=0
for cc in gcc clang; do
    if ! command -v "$cc" >/dev/null; then
        echo "FAIL $cc is not installed"
        failed=$((failed + 1))
        continue
    fi
    for f in src/*.c tests/*_test.c; do
        if out=$("$cc" $flags -c "$f" -o /dev/null 2>&1); then
            echo "ok   $cc compiles $f without a warning"
            passed=$((passed + 1))
        else
            echo "FAIL $cc warns on $f"
            echo "$out" | head -20
            failed=$((failed + 1))
        fi
    done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
