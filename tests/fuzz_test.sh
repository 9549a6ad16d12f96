#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz/ with clang
# (-fsanitize=fuzzer,address,undefined) and runs each for T2I_FUZZ_SECONDS
# (default 20) from its seed corpus tests/fuzz/corpus/<harness>/ (which
# also replays every regression input first). Any crash, leak, sanitizer
# report or timeout fails the check; the crashing input is kept under
# build/fuzz/crashes/ to become a corpus file. New inputs found go to a
# temporary directory, so the repository's corpus only grows by hand.
# Prints one "ok"/"FAIL" line per harness with its number of executions,
# and a final "N passed, M failed".
. "$(dirname "$0")/lib.sh"
seconds=${T2I_FUZZ_SECONDS:-20}
cc=${T2I_FUZZ_CC:-clang}
crashes=$root/build/fuzz/crashes
# udunits2 2.2.28's lexer strdup()s an identifier that its parser drops on a
# syntax error (5 bytes, found by fuzz_units; the input is kept in the
# corpus as 37-udunits-lexer-leak.txt): theirs, not ours.
printf 'leak:utlex\n' >"$tmp/lsan.supp"
export LSAN_OPTIONS="suppressions=$tmp/lsan.supp:print_suppressions=0"

# harness NAME SOURCES...: builds tests/fuzz/NAME.c with the module sources.
build() {
    local name=$1
    shift
    "$cc" -std=c17 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -g -O1 \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -iquote "$root/include" "$root/tests/fuzz/$name.c" "$@" \
        -o "$tmp/$name" -ludunits2 -lisal -lbz2 -lm >"$tmp/$name.build" 2>&1
}

# run NAME: fuzzes for $seconds; prints the executions on success.
run() {
    local name=$1 corpus=$tmp/corpus/$1 rc runs
    mkdir -p "$corpus" "$tmp/artifacts/$name"
    # -timeout: seconds one input may take (units_plan loads a database).
    (cd "$tmp" && ASAN_OPTIONS=detect_leaks=1 "./$name" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$tmp/artifacts/$name/" \
        "$corpus" "$root/tests/fuzz/corpus/$name" $([ -d "$tmp/seeds-$name" ] && echo "$tmp/seeds-$name")) \
        >"$tmp/$name.log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$name.log")
    if [ "$rc" = 0 ] && [ -n "$runs" ]; then
        ok "$name: $runs executions in $seconds s, no crash"
        return
    fi
    bad "$name: exit $rc after ${runs:-?} executions"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$tmp/$name.log" | head -n 8 |
        sed 's/^/     /'
    mkdir -p "$crashes"
    cp "$tmp/artifacts/$name/"* "$crashes/" 2>/dev/null &&
        echo "     crashing input kept in $crashes"
}

if ! command -v "$cc" >/dev/null; then
    bad "clang is needed to build the fuzzers (apt-get install clang libclang-rt-14-dev)"
    tally
    exit 1
fi

# Seeds of fuzz_classic: netCDF-3 files in all three classic formats, made
# from sample CDL (binaries are not kept in the repository).
mkdir -p "$tmp/seeds-fuzz_classic"
for cdl in "$root"/sample/CLM5.0/S3/*.cdl "$root"/sample/ORCHIDEE/S3/*.cdl; do
    for k in classic 64-bit-offset cdf5; do
        ncgen -k "$k" -o "$tmp/seeds-fuzz_classic/$(basename "$cdl" .cdl)_$k.nc" "$cdl" 2>/dev/null
    done
done
# Seeds of fuzz_tar: uncompressed tar archives (the harness gzips them) in
# the gnu, pax and ustar formats, with a long name, a directory and a readme.
mkdir -p "$tmp/seeds-fuzz_tar" "$tmp/tarsrc/d"
long=$(printf 'p%.0s' $(seq 1 80))/$(printf 'n%.0s' $(seq 1 60)).nc
mkdir -p "$tmp/tarsrc/${long%/*}"
for cdl in "$root"/sample/CLM5.0/S3/*.cdl; do
    ncgen -k classic -o "$tmp/tarsrc/a.nc" "$cdl" && break
done
cp "$tmp/tarsrc/a.nc" "$tmp/tarsrc/$long"
echo readme >"$tmp/tarsrc/d/README"
for fmt in gnu pax ustar; do
    (cd "$tmp/tarsrc" && tar --format=$fmt -cf "$tmp/seeds-fuzz_tar/$fmt.tar" d a.nc &&
        tar --format=$fmt -cf "$tmp/seeds-fuzz_tar/${fmt}_long.tar" "$long")
done

# NAME:SOURCE[+SOURCE...]: time.c decodes with calendar.c's day counts.
for h in fuzz_time_units:src/time.c+src/calendar.c fuzz_decimal:src/time.c+src/calendar.c \
    fuzz_units:src/units.c fuzz_classic:src/classic.c fuzz_tar:src/inflate.c+src/tmppath.c+src/regular.c; do
    name=${h%%:*}
    IFS=+ read -ra srcs <<<"${h#*:}"
    if build "$name" "${srcs[@]/#/$root/}"; then
        ok "$name builds with -fsanitize=fuzzer,address,undefined"
        run "$name"
    else
        bad "$name does not build"
        sed -n '1,10s/^/     /p' "$tmp/$name.build"
    fi
done

tally
