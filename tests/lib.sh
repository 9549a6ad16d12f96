# Shared by the shell tests (sourced, not run): the tally, a temporary
# directory removed on exit, and the one-line check helpers. Each check
# prints "ok   <what>", "FAIL <what>" or "skip <what>" (a check that cannot
# run here: it is counted apart and never as a pass); `tally` prints the
# closing "N passed, M failed, K skipped" line tests/run.sh sums, and sets
# the exit status.
set -u
root=${T2I_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
passed=0
failed=0
skipped=0
tmp=$(mktemp -d) || exit 3
trap 'rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
skip() { skipped=$((skipped + 1)); echo "skip $1"; }
# check DESCRIPTION COMMAND...: the command's exit status decides; on failure
# the first lines of its output are shown.
check() {
    local desc=$1
    shift
    if "$@" >"$tmp/check.log" 2>&1; then ok "$desc"; else
        bad "$desc"
        sed -n '1,15s/^/     /p' "$tmp/check.log"
    fi
}
# no_tmp PATH: no temporary of PATH (PATH.tmp, PATH.tmp.<pid>) exists.
no_tmp() { ! compgen -G "$1.tmp*" >/dev/null; }
# contains FILE TEXT / lacks FILE TEXT: FILE holds (or not) TEXT verbatim.
contains() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }
tally() {
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
}
