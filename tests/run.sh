#!/usr/bin/env bash
# The test command of the README and CI. Writes build/tests.ninja for the
# bundled sample (so a build.ninja made for a real archive is left alone),
# builds every test program with sanitizers (`ninja tests`), runs each
# build/san/tests/*_test and each executable tests/*_test.sh, and ends with
# one line "N passed, M failed, K skipped" summed over all of them (a skipped
# check could not run here and is never counted as a pass; a tally without
# the skipped part counts none). A program that exits non-zero without
# printing a tally counts as one failure, named. Exit status is non-zero if
# anything failed.
#
# Shell tests get T2I_BIN (the sanitizer converter, absolute path) and
# T2I_ROOT (the repository root) in their environment.
set -u
cd "$(dirname "$0")/.." || exit 3
root=$(pwd)

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=print_suppressions=0
export T2I_BIN="$root/build/san/trendy2ilamb"
export T2I_ROOT="$root"
# Seconds one test program may run before it counts as failed.
TEST_TIMEOUT=300

passed=0
failed=0
skipped=0
failures=()

# Adds the tally of one program's output (file $2) to the totals; a run
# without a tally, or one that exits non-zero with no failure in its tally,
# counts as one failure named $1.
tally() {
    local name=$1 log=$2 rc=$3 line p f s=0
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        failed=$((failed + 1))
        failures+=("$name (exit $rc, no tally)")
        return
    fi
    p=${line%% passed*}
    f=${line#*passed, }
    f=${f%% failed*}
    case $line in *skipped) s=${line##*failed, } && s=${s%% skipped} ;; esac
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
    if [ "$f" -gt 0 ]; then
        failures+=("$name ($f failed)")
    elif [ "$rc" -ne 0 ]; then
        failed=$((failed + 1))
        failures+=("$name (exit $rc after its tally)")
    fi
}

# Runs one step that prints no tally: only a failure is counted.
step() {
    local name=$1
    shift
    if ! "$@"; then
        failed=$((failed + 1))
        failures+=("$name")
    fi
}

logs=$(mktemp -d) || exit 3
trap 'rm -rf "$logs"' EXIT

step "generate.py" ./generate.py -o build/tests.ninja --out build/tests-out
step "ninja tests" ninja -f build/tests.ninja tests

for t in build/san/tests/*_test tests/*_test.sh tests/*_test.py; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    echo "== $t"
    log="$logs/$(basename "$t").log"
    timeout "$TEST_TIMEOUT" "./$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    tally "$t" "$log" "$rc"
done

for f in "${failures[@]}"; do
    echo "failed: $f"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
