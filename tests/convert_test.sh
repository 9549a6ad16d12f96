#!/usr/bin/env bash
# End-to-end tests of the converter, one CDL fixture per quirk class of
# doc/quirks.md sections T, G, U, M and F (tests/fixtures/*.cdl). Each
# fixture is made into NetCDF with ncgen in a temporary directory, converted,
# and the output dumped with ncdump and compared with truth written here by
# hand: dates and bounds as `ncdump -t` prints them, values worked out from
# the input (the arithmetic is in the comments), never the converter's own
# output. Bad inputs must exit 1 with one exact line on stderr and leave no
# output and no .tmp; usage errors exit 2.
#
# Each check prints "ok   <what>" or "FAIL <what>" (then got/want); the last
# line is the tally "N passed, M failed"; the exit status is non-zero if any
# check failed. Environment: T2I_ROOT (repository root, default: the parent
# of this directory) and T2I_BIN (converter, default
# build/san/trendy2ilamb, relative to T2I_ROOT unless absolute).
. "$(dirname "$0")/lib.sh"
bin=${T2I_BIN:-build/san/trendy2ilamb}
[[ $bin == /* ]] || bin=$root/$bin
fixtures=$root/tests/fixtures
table=$root/tables/variables.tsv
# Relative tolerance of value comparisons: float32 output carries ~6e-8.
TOL=1e-6
# The float 1e20 as `ncdump -p 9,17` prints it (nine significant digits).
FILL_TEXT=1.00000002e+20f

# bad DESCRIPTION [DETAIL...]: a failure, each detail on its own line
# (lib.sh's bad, with details).
bad() {
    failed=$((failed + 1))
    echo "FAIL $1"
    shift
    local line
    for line in "$@"; do printf '     %s\n' "$line"; done
}

# The checker, run on every section 9 output: it must accept them all.
verify=${T2I_VERIFY:-$(dirname "$bin")/t2i-verify}

# A private copy: a rebuild in the same tree must not swap the binary mid-run
# (the table is passed with --table, so the copy's location does not matter).
if ! cp "$bin" "$tmp/trendy2ilamb" 2>/dev/null; then
    bad "converter binary '$bin' exists (build it: ninja build/san/trendy2ilamb)"
    tally
    exit 1
fi
bin=$tmp/trendy2ilamb

# ------------------------------------------------------------------ running

# make_input ID CDL VAR [KIND]: ncgen CDL (a fixture name, or a path) into
# $tmp/ID/M/S3/M_S3_VAR.nc (so the converter derives var and sim from the
# name). Sets $in and $out for the checks that follow.
make_input() {
    local id=$1 cdl=$2 var=$3 kind=${4:-nc4}
    [[ $cdl == */* ]] || cdl=$fixtures/$cdl.cdl
    dir=$tmp/$id
    mkdir -p "$dir/M/S3"
    in=$dir/M/S3/M_S3_$var.nc
    out=$dir/out.nc
    if ! ncgen -k "$kind" -o "$in" "$cdl" 2>"$dir/ncgen.log"; then
        bad "$id: ncgen -k $kind makes the input from $(basename "$cdl")" \
            "$(head -3 "$dir/ncgen.log")"
        return 1
    fi
}

# run OPTIONS...: converts $in to $out; sets $rc, stderr in $dir/stderr.
run() {
    rm -f "$out".dump* "$out".dates*
    "$bin" --table "$table" "$@" "$in" "$out" >"$dir/stdout" 2>"$dir/stderr"
    rc=$?
}

# expect_ok ID: the last run succeeded silently and left only the output.
expect_ok() {
    local id=$1
    if [ "$rc" -eq 0 ] && [ -f "$out" ] && no_tmp "$out" && [ ! -s "$dir/stderr" ]; then
        ok "$id: converts (exit 0, nothing on stderr, output present, no .tmp)"
        return 0
    fi
    bad "$id: converts (exit 0, nothing on stderr, output present, no .tmp)" \
        "exit $rc; output $( [ -f "$out" ] && echo present || echo absent);" \
        "stderr: $(head -c 600 "$dir/stderr")"
    return 1
}

# convert ID FIXTURE VAR [OPTIONS...]: make_input (netCDF-4) + run +
# expect_ok; non-zero when the conversion failed (value checks then
# report their own failures).
convert() {
    local id=$1 fixture=$2 var=$3
    shift 3
    make_input "$id" "$fixture" "$var" || return 1
    run "$@"
    expect_ok "$id"
}

# expect_fail ID STATUS MESSAGE: the last run exited STATUS with exactly one
# line "trendy2ilamb: <input>: MESSAGE" and left no output and no .tmp.
expect_fail() {
    local id=$1 want_rc=$2 msg=$3
    local want="trendy2ilamb: $in: $msg" got
    got=$(cat "$dir/stderr")
    if [ "$rc" -eq "$want_rc" ] && [ "$got" == "$want" ] && [ ! -e "$out" ] &&
        no_tmp "$out"; then
        ok "$id: refused (exit $want_rc, one exact line, no output, no .tmp)"
    else
        bad "$id: refused (exit $want_rc, one exact line, no output, no .tmp)" \
            "exit: got $rc, want $want_rc; output $( [ -e "$out" ] && echo present || echo absent); .tmp $(no_tmp "$out" && echo absent || echo present)" \
            "got:  $got" "want: $want"
    fi
}

# ------------------------------------------------------------------ reading

# An awk program's first part: collects data[NAME] (the values of each
# variable, trimmed, joined by ", ") from an ncdump text.
AWK_DATA='
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    function keep(buf,   n, a, i, r) {
        sub(/;[ \t]*$/, "", buf)
        n = split(buf, a, ",")
        for (i = 1; i <= n; i++) {
            a[i] = trim(a[i]); gsub(/"/, "", a[i])
            if (a[i] != "") r = r (r == "" ? "" : ", ") a[i]
        }
        return r
    }
    /^data:/ { indata = 1; next }
    indata && !on && /^ [^ ]+ =( |$)/ { name = $1; on = 1; buf = ""; sub(/^[^=]*=/, "") }
    on { buf = buf " " $0; if ($0 ~ /;[ \t]*$/) { data[name] = keep(buf); on = 0 } }
'

# dump FILE [-t]: the path of FILE's ncdump text (-p 9,17; -t prints dates),
# made once and cached beside FILE (run removes it).
dump() {
    local cache="$1.dump${2:-}"
    [ -s "$cache" ] || ncdump -p 9,17 ${2:-} "$1" >"$cache" 2>/dev/null
    echo "$cache"
}

# values FILE VAR [-t]: VAR's data as ncdump prints it, joined by ", "
# ("_" is a fill value).
values() { awk -v v="$2" "$AWK_DATA"' END { print data[v] }' "$(dump "$1" "${3:-}")"; }

# dates FILE VAR: time or time_bnds as dates. ncdump 4.9.0 decodes time_bnds
# only when time is the one variable with a `bounds` attribute, so a copy
# holding time and time_bnds alone is dumped.
dates() {
    local copy="$1.dates.nc"
    if [ ! -s "$copy" ]; then
        awk "$AWK_DATA"'
            /^netcdf / { print "netcdf dates {" }
            /^dimensions:/ { head = 1 }
            /^\t[a-z]/ { keepvar = $0 ~ /[ \t]time(_bnds)?\(/ }
            head && (!/^\t/ || /^\t[a-z ]+ = / || keepvar) && !/^\/\// && !/^}/ && !/^netcdf/
            /^\/\/ global|^data:/ { head = 0 }
            END {
                print "data:"
                print " time = " data["time"] " ;"
                print " time_bnds = " data["time_bnds"] " ;"
                print "}"
            }' "$(dump "$1")" >"$1.dates.cdl"
        ncgen -k nc4 -o "$copy" "$1.dates.cdl"
    fi
    values "$copy" "$2" -t
}

# same DESCRIPTION GOT WANT: exact text.
same() {
    if [ "$2" == "$3" ]; then ok "$1"; else bad "$1" "got:  $2" "want: $3"; fi
}

# near DESCRIPTION GOT WANT: whitespace- or comma-separated lists of numbers
# (or "_" for a fill value) equal within TOL (relative) or ABS (absolute,
# default 1e-12, for values near 0).
near() {
    local verdict
    verdict=$(awk -v g="$2" -v w="$3" -v tol="$TOL" -v abs="${ABS:-1e-12}" 'BEGIN {
        gsub(/,/, " ", g); gsub(/,/, " ", w)
        ng = split(g, a, " "); nw = split(w, b, " ")
        if (ng != nw) { print "count " ng " != " nw; exit }
        for (i = 1; i <= ng; i++) {
            if (a[i] == "_" || b[i] == "_") {
                if (a[i] != b[i]) { print "value " i; exit }
                continue
            }
            d = a[i] - b[i]; if (d < 0) d = -d
            m = b[i] < 0 ? -b[i] : b[i]
            if (d > tol * m && d > abs) { print "value " i; exit }
        }
        print "same" }')
    if [ "$verdict" == same ]; then ok "$1"; else
        bad "$1" "got:  $(echo $2)" "want: $(echo $3)" "($verdict)"
    fi
}

# want_data DESCRIPTION VAR WANT: the output variable's values.
want_data() { near "$1" "$(values "$out" "$2")" "$3"; }

# want_time ID STAMPS BOUNDS: output time and time_bnds as dates.
want_time() {
    same "$1: time stamps are mid-period" "$(dates "$out" time)" "$2"
    same "$1: time bounds are the exact calendar periods" "$(dates "$out" time_bnds)" "$3"
}

# want_grid ID LAT LAT_BNDS LON LON_BNDS: output coordinates and bounds.
want_grid() {
    near "$1: lat" "$(values "$out" lat)" "$2"
    near "$1: lat_bnds rows (lower, upper)" "$(values "$out" lat_bnds)" "$3"
    near "$1: lon" "$(values "$out" lon)" "$4"
    near "$1: lon_bnds rows (lower, upper)" "$(values "$out" lon_bnds)" "$5"
}

# want_cf ID VAR UNITS CALENDAR NTIME NLAT NLON: what ILAMB's loader needs
# (doc/quirks.md section I): dimensions exactly (time, lat, lon); fill and
# missing_value 1e20; units; time units and calendar; bounds variables named
# time_bnds, lat_bnds and lon_bnds; lat ascending, lon ascending in
# [-180, 180), every bounds row (lower, upper), contiguous and holding its
# centre.
want_cf() {
    local id=$1 var=$2 units=$3 cal=$4 nt=$5 ny=$6 nx=$7 missing
    [ -f "$out" ] || { bad "$id: CF header and axes (no output to check)"; return; }
    missing=$(printf '%s\n' "time = $nt ;" "lat = $ny ;" "lon = $nx ;" \
        "float $var(time, lat, lon) ;" "$var:_FillValue = $FILL_TEXT ;" \
        "$var:missing_value = $FILL_TEXT ;" "$var:units = \"$units\" ;" \
        'time:units = "days since 1850-01-01 00:00:00" ;' "time:calendar = \"$cal\" ;" \
        'time:bounds = "time_bnds" ;' "double time_bnds(time, bnds) ;" "double lat(lat) ;" \
        "double lon(lon) ;" "double lat_bnds(lat, bnds) ;" "double lon_bnds(lon, bnds) ;" |
        awk 'NR == FNR { want[$0]; next }
             /^data:/ { exit }
             { sub(/^[ \t]+/, ""); delete want[$0] }
             END { for (w in want) printf " [%s]", w }' - "$(dump "$out")")
    if [ -z "$missing" ]; then
        ok "$id: header: $var(time, lat, lon), 1e20 fill, '$units', calendar '$cal'"
    else
        bad "$id: header: $var(time, lat, lon), 1e20 fill, '$units', calendar '$cal'" \
            "missing:$missing"
    fi
    local verdict
    verdict=$(awk "$AWK_DATA"'
        function axis(name, lo, hi,   n, i, v, e) {
            n = split(data[name], v, ", "); split(data[name "_bnds"], e, ", ")
            if (n == 0) return name ": empty"
            for (i = 1; i <= n; i++) {
                if (lo != "" && (v[i] < lo || v[i] >= hi)) return name " " v[i] " outside [" lo ", " hi ")"
                if (i > 1 && v[i] <= v[i - 1]) return name " not ascending at " i
                if (!(e[2 * i - 1] < e[2 * i])) return name " bounds row " i " not (lower, upper)"
                if (v[i] < e[2 * i - 1] || v[i] > e[2 * i]) return name " " i " outside its bounds"
                if (i > 1 && e[2 * i - 1] != e[2 * i - 2]) return name " bounds not contiguous at " i
            }
            return ""
        }
        END {
            r = axis("lat", -90, 90.000001)
            if (r == "") r = axis("lon", -180, 180)
            if (r == "") r = axis("time", "", "")
            print r == "" ? "good" : r
        }' "$(dump "$out")")
    if [ "$verdict" == good ]; then
        ok "$id: lat, lon and time ascending with contiguous (lower, upper) bounds"
    else
        bad "$id: lat, lon and time ascending with contiguous (lower, upper) bounds" "$verdict"
    fi
}

# want_attr ID ATTRIBUTE TEXT: a global attribute holds TEXT.
want_attr() {
    local got
    got=$(grep -m1 -F ":$2 = " "$(dump "$out")" | sed "s/\\\\'/'/g")
    if grep -qF -- "$3" <<<"$got"; then ok "$1: :$2 mentions '$3'"; else
        bad "$1: :$2 mentions '$3'" "got: $got"
    fi
}

# ================================================== section 2: time encodings
# Expected dates: each month's bounds are its first instants, the stamp half
# way between (January 15.5 days in: "01-16 12"; 28-day February 14 days:
# "02-15"; 29-day February 14.5 days: "02-15 12"; 30-day month 15 days:
# "-16"). Years: 182.5 days in a 365-day year ("07-02 12"), 183 in a 366-day
# one ("07-02").

jfm() { # YEAR [FEB-DAYS]: January-March stamps and bounds of YEAR
    local y=$1 feb=${2:-28}
    if [ "$feb" == 29 ]; then stamps="$y-01-16 12, $y-02-15 12, $y-03-16 12"
    elif [ "$feb" == 30 ]; then stamps="$y-01-16, $y-02-16, $y-03-16"
    else stamps="$y-01-16 12, $y-02-15, $y-03-16 12"; fi
    bounds="$y-01-01, $y-02-01, $y-02-01, $y-03-01, $y-03-01, $y-04-01"
}

# time_case ID FIXTURE CALENDAR YEAR [FEB-DAYS] [-- OPTIONS]: a January-March
# gpp fixture (tests/fixtures/time_*.cdl share one grid and data).
time_case() {
    local id=$1 fixture=$2 cal=$3 year=$4 feb=${5:-28}
    shift 5 2>/dev/null || shift $#
    convert "$id" "$fixture" gpp "$@"
    want_cf "$id" gpp "kg m-2 s-1" "$cal" 3 2 2
    jfm "$year" "$feb"
    want_time "$id" "$stamps" "$bounds"
}

time_case "days since 1700-01-01 00:00:00" time_days_1700 noleap 1700
# Values pass through unchanged (kg m-2 s-1), the -99999 cell is missing.
want_data "days since 1700-01-01 00:00:00: values and missing cell" gpp \
    "1 2 3 4 5 6 7 8 9 10 11 _"
time_case "days since 1700-1-1, calendar gregorian" time_days_unpadded standard 1700
time_case "days since 0001-01-01 standard across 1582" time_days_0001_standard standard 1901
time_case "days since 1699-12-31, no calendar" time_days_1699_12_31 standard 1700
want_attr "days since 1699-12-31, no calendar" trendy2ilamb_quirks "no calendar attribute"
time_case "days since 1860-01-01, calendar 365_day" time_days_1860_365day noleap 1860
time_case "days since 1980-01-01, leap February" time_days_1980 standard 1980 29
time_case "hours since 1700-01-01 00:00:00" time_hours_1700 noleap 1700
time_case "hours since 1701-01-16" time_hours_1701_01_16 noleap 1701
# 360_day: July-September 1701, stamps on each first day (read as starts).
convert "hours since 1701-07-01, 360_day" time_hours_1701_07_01 gpp
want_cf "hours since 1701-07-01, 360_day" gpp "kg m-2 s-1" 360_day 3 2 2
want_time "hours since 1701-07-01, 360_day" "1701-07-16, 1701-08-16, 1701-09-16" \
    "1701-07-01, 1701-08-01, 1701-08-01, 1701-09-01, 1701-09-01, 1701-10-01"
time_case "hours since 1900-01-01 00:00:00.0 +00:00, float time" time_hours_1900_float standard 1900
time_case "trailing ' (double)'" time_double_suffix noleap 1700
time_case "seconds since 1970-01-01, proleptic_gregorian" time_seconds_1970 proleptic_gregorian 1970
time_case "minutes since 2000-01-01T00:00:00Z" time_minutes_tz standard 2000 29
# months since 1700-01-16: 10, 11, 12 calendar months = Nov, Dec 1700, Jan 1701.
convert "months since 1700-01-16" time_months_1700_01_16 gpp
want_cf "months since 1700-01-16" gpp "kg m-2 s-1" noleap 3 2 2
want_time "months since 1700-01-16" "1700-11-16, 1700-12-16 12, 1701-01-16 12" \
    "1700-11-01, 1700-12-01, 1700-12-01, 1701-01-01, 1701-01-01, 1701-02-01"
time_case "months since 1700-1-1, int time" time_months_1700_1_1 noleap 1700
time_case "months since 1900-01-15 00:00:00 (DLEM)" time_months_dlem standard 1900
time_case "year as %Y.%f" time_year_as standard 1901
time_case "month as %Y%m.%f" time_month_as standard 1901
time_case "day as %Y%m%d.%f" time_day_as standard 1901

# CARDAMOM: month indices in 'time', the axis in 'Time' (days since 2003).
time_case "CARDAMOM Time with --time-var/--time-units" time_cardamom standard 2003 28 \
    --time-var Time --time-units "days since 2003-01-01 00:00:00"
want_data "CARDAMOM: kg.m-2.s-1 values, -9999 fill" gpp \
    "1e-8 2e-8 _ 4e-8 5e-8 6e-8 _ 8e-8 9e-8 1e-7 _ 1.2e-7"
want_attr "CARDAMOM Time with --time-var/--time-units" trendy2ilamb_quirks "time read from variable 'Time'"
make_input "CARDAMOM without overrides" time_cardamom gpp && run
expect_fail "CARDAMOM without overrides" 1 \
    "time units '' have no reference date: set 'time_units' in models/"

# Bare 'yr': annual values 0, 1, 2 counted from models/' start.
convert "bare yr with --time-units" time_yr_bare gpp --time-units "years since 1700-01-01"
want_cf "bare yr with --time-units" gpp "kg m-2 s-1" noleap 3 2 2
want_time "bare yr with --time-units" "1700-07-02 12, 1701-07-02 12, 1702-07-02 12" \
    "1700-01-01, 1701-01-01, 1701-01-01, 1702-01-01, 1702-01-01, 1703-01-01"
make_input "bare yr without --time-units" time_yr_bare gpp && run
expect_fail "bare yr without --time-units" 1 \
    "time units 'yr' have no reference date: set 'time_units' in models/"

# Annual: years since ... (cVeg pools, kg m-2 unchanged; third cell missing).
pool_values="1.5 2.5 _ 4 1.5 2.5 _ 4 1.5 2.5 _ 4"
annual_case() { # ID FIXTURE CALENDAR STAMPS BOUNDS
    convert "$1" "$2" cVeg
    want_cf "$1" cVeg "kg m-2" "$3" 3 2 2
    want_time "$1" "$4" "$5"
}
annual_case "years since 1700-06-15" time_years_1700_06_15 noleap \
    "1700-07-02 12, 1701-07-02 12, 1702-07-02 12" \
    "1700-01-01, 1701-01-01, 1701-01-01, 1702-01-01, 1702-01-01, 1703-01-01"
want_data "years since 1700-06-15: pool values unchanged" cVeg "$pool_values"
annual_case "years since 1700-6-15 12:00:00 (CABLE-POP)" time_years_cable standard \
    "1703-07-02 12, 1704-07-02, 1705-07-02 12" \
    "1703-01-01, 1704-01-01, 1704-01-01, 1705-01-01, 1705-01-01, 1706-01-01"
annual_case "years since 0000-01-01" time_years_0000 noleap \
    "1700-07-02 12, 1701-07-02 12, 1702-07-02 12" \
    "1700-01-01, 1701-01-01, 1701-01-01, 1702-01-01, 1702-01-01, 1703-01-01"
annual_case "years since AD 1700-Jan-1st (VISIT)" time_years_ad noleap \
    "1700-07-02 12, 1701-07-02 12, 1702-07-02 12" \
    "1700-01-01, 1701-01-01, 1701-01-01, 1702-01-01, 1702-01-01, 1703-01-01"

# ------------------------------------------------------------- calendars
# 360_day: 86.4 kg m-2 month-1 / (30 x 86400 s) = 3.3333333e-5 every month.
convert "calendar 360_day" time_cal_360_day mrro
want_cf "calendar 360_day" mrro "kg m-2 s-1" 360_day 3 2 2
jfm 1700 30
want_time "calendar 360_day" "$stamps" "$bounds"
want_data "calendar 360_day: per-month rate / (30 x 86400 s)" mrro \
    "3.33333333e-5 3.33333333e-5 _ 0 3.33333333e-5 3.33333333e-5 _ 0 3.33333333e-5 3.33333333e-5 _ 0"
# julian: February 1900 has 29 days: 86.4 / (29 x 86400) = 3.44827586e-5;
# January and March 86.4 / (31 x 86400) = 3.22580645e-5.
convert "calendar julian" time_cal_julian mrro
want_cf "calendar julian" mrro "kg m-2 s-1" julian 3 2 2
jfm 1900 29
want_time "calendar julian" "$stamps" "$bounds"
want_data "calendar julian: per-month rate / its own 31, 29, 31 days" mrro \
    "3.22580645e-5 3.22580645e-5 _ 0 3.44827586e-5 3.44827586e-5 _ 0 3.22580645e-5 3.22580645e-5 _ 0"
time_case "calendar all_leap" time_cal_all_leap all_leap 1901 29
time_case "calendar 366_day" time_cal_366_day all_leap 1901 29
time_case "calendar NOLEAP (upper case)" time_cal_upper noleap 1700

# ------------------------------------------------------------- stamp positions
time_case "stamps at the start of each month, int time" time_stamp_start noleap 1700
want_attr "stamps at the start of each month, int time" trendy2ilamb_quirks \
    "3 time stamps on period boundaries read as period starts"
time_case "stamps on the last day of each month" time_stamp_last_day noleap 1700
time_case "stamps at 00:00 of the next month, --time-stamp end" time_stamp_next_month \
    noleap 1700 28 --time-stamp end
want_attr "stamps at 00:00 of the next month, --time-stamp end" trendy2ilamb_quirks \
    "3 time stamps on period boundaries read as period ends"
# The same stamps in the default mode open February to April.
convert "stamps at 00:00 of the next month, default start" time_stamp_next_month gpp
want_time "stamps at 00:00 of the next month, default start" \
    "1700-02-15, 1700-03-16 12, 1700-04-16" \
    "1700-02-01, 1700-03-01, 1700-03-01, 1700-04-01, 1700-04-01, 1700-05-01"
time_case "input time_bnds (bounds attribute) decide" time_bounds_attr noleap 1700
time_case "input time_bounds (no attribute) decide over --time-stamp end" \
    time_bounds_named noleap 1700 28 --time-stamp end
time_case "float time with noise at month boundaries" time_float_noise noleap 1700

# ------------------------------------------------------------- annual vs monthly
annual_case "annual pool from days since (spacing 365)" pool_annual noleap \
    "1700-07-02 12, 1701-07-02 12, 1702-07-02 12" \
    "1700-01-01, 1701-01-01, 1701-01-01, 1702-01-01, 1702-01-01, 1703-01-01"
want_data "annual pool: values unchanged" cVeg "$pool_values"
convert "monthly pool in gC m-2 (ELM)" pool_monthly cVeg
want_cf "monthly pool in gC m-2 (ELM)" cVeg "kg m-2" noleap 3 2 2
jfm 1700
want_time "monthly pool in gC m-2 (ELM)" "$stamps" "$bounds"
want_data "monthly pool: gC m-2 x 1e-3" cVeg "$pool_values"

# ================================================== section 3: grid
# latitude/longitude, float, north->south, 0..360 from 0.0, no bounds.
# Input rows 60, 0, -60; columns 0, 90, 180, 270. Output rows -60, 0, 60;
# columns -180 (input 180), -90 (270), 0, 90: row -60 = 23 _ 21 22.
grid_values="23 _ 21 22 13 14 11 12 3 4 1 2 123 124 121 122 113 114 111 112 103 104 101 102"
convert "latitude/longitude, descending, 0..360 from 0.0" grid_latitude_desc_0360 gpp
want_cf "latitude/longitude, descending, 0..360 from 0.0" gpp "kg m-2 s-1" noleap 2 3 4
want_grid "latitude/longitude, descending, 0..360 from 0.0" "-60 0 60" "-90 -30 -30 30 30 90" \
    "-180 -90 0 90" "-225 -135 -135 -45 -45 45 45 135"
want_data "latitude/longitude, descending, 0..360 from 0.0: values flipped and rolled" gpp \
    "$grid_values"
want_attr "latitude/longitude, descending, 0..360 from 0.0" trendy2ilamb_quirks "latitude north to south (flipped)"
want_attr "latitude/longitude, descending, 0..360 from 0.0" trendy2ilamb_quirks "longitude beyond [-180, 180) (rolled)"

# Bounds by attribute; lat rows (upper, lower) north->south; lon 45..315.
# Output lon -135 (input 225), -45 (315), 45, 135; row -45 = 7 8 5 6.
convert "bounds named by attribute, (upper, lower) rows" grid_bounds_attr gpp
want_cf "bounds named by attribute, (upper, lower) rows" gpp "kg m-2 s-1" noleap 2 2 4
want_grid "bounds named by attribute, (upper, lower) rows" "-45 45" "-90 0 0 90" \
    "-135 -45 45 135" "-180 -90 -90 0 0 90 90 180"
want_data "bounds named by attribute: values flipped and rolled" gpp \
    "7 8 5 6 3 4 1 2 17 18 15 16 13 14 11 12"

convert "bounds_lat/bounds_lon without attribute" grid_bounds_named gpp
want_cf "bounds_lat/bounds_lon without attribute" gpp "kg m-2 s-1" noleap 2 2 4
want_grid "bounds_lat/bounds_lon without attribute" "-30 30" "-90 0 0 90" \
    "-150 -30 30 150" "-180 -90 -90 0 0 90 90 180"
want_data "bounds_lat/bounds_lon without attribute: values unchanged" gpp \
    "1 2 3 4 5 6 7 8 11 12 13 14 15 16 17 18"

# Computed edges: -112.5 and 112.5 clamped to the poles.
convert "lat_bnds/lon_bnds without attribute" grid_lat_bnds gpp
want_cf "lat_bnds/lon_bnds without attribute" gpp "kg m-2 s-1" noleap 2 2 4
want_grid "lat_bnds/lon_bnds without attribute" "-30 30" "-90 0 0 90" \
    "-150 -30 30 150" "-180 -90 -90 0 0 90 90 180"
want_data "lat_bnds/lon_bnds without attribute: values unchanged" gpp \
    "1 2 3 4 5 6 7 8 11 12 13 14 15 16 17 18"

convert "absent bounds clamped at the poles, coordinate noise" grid_clamp gpp
want_cf "absent bounds clamped at the poles, coordinate noise" gpp "kg m-2 s-1" noleap 2 3 2
want_grid "absent bounds clamped at the poles, coordinate noise" "-75 0 75" \
    "-90 -37.5 -37.5 37.5 37.5 90" "-90 90" "-180 0 0 180"

# y/x by CF attributes: y 45, -45; x 0, 180. Output row -45 = 4 3.
convert "y/x with CF attributes" grid_yx_cf gpp
want_cf "y/x with CF attributes" gpp "kg m-2 s-1" noleap 2 2 2
want_grid "y/x with CF attributes" "-45 45" "-90 0 0 90" "-180 0" "-270 -90 -90 90"
want_data "y/x with CF attributes: values flipped and rolled" gpp "4 3 2 1 14 13 12 11"

convert "row/col found by attributes only" grid_cf_attrs_only gpp
want_cf "row/col found by attributes only" gpp "kg m-2 s-1" noleap 2 2 2
want_data "row/col found by attributes only: values unchanged" gpp "1 2 3 4 11 12 13 14"

# (time, lon, lat): input [lon][lat] 1 2 / 3 4 / 5 _ -> [lat][lon] 1 3 5 / 2 4 _.
convert "(time, lon, lat) transposed" grid_transposed gpp
want_cf "(time, lon, lat) transposed" gpp "kg m-2 s-1" noleap 2 2 3
want_grid "(time, lon, lat) transposed" "-45 45" "-90 0 0 90" "-120 0 120" \
    "-180 -60 -60 60 60 180"
want_data "(time, lon, lat) transposed: values" gpp "1 3 5 2 4 _ 11 13 15 12 14 16"

# PFT: cells (PFT members) = (1 2 4), (_ 8 _), (_ _ _), (1 2 4); x10 in step 2.
convert "PFT reduced by sum" grid_pft npp --reduce PFT=sum
want_cf "PFT reduced by sum" npp "kg m-2 s-1" noleap 2 2 2
want_data "PFT reduced by sum: missing members skipped" npp "7 8 _ 7 70 80 _ 70"
convert "PFT reduced by mean" grid_pft npp --reduce PFT=mean
want_data "PFT reduced by mean: 7/3, 8" npp \
    "2.33333333 8 _ 2.33333333 23.3333333 80 _ 23.3333333"
convert "PFT reduced by index 1" grid_pft npp --reduce PFT=1
want_data "PFT reduced by index 1 (the second member)" npp "2 8 _ 2 20 80 _ 20"
make_input "PFT without --reduce" grid_pft npp && run
expect_fail "PFT without --reduce" 1 \
    "'npp' has an extra dimension 'PFT' of size 3: set reduce in models/ (sum, mean or an index)"

convert "singleton extra dimension dropped" grid_singleton mrso
want_cf "singleton extra dimension dropped" mrso "kg m-2" noleap 2 2 2
want_data "singleton extra dimension dropped: values" mrso "100 200 _ 400 110 210 _ 410"

# ================================================== section 4: units
# units_case VAR UNITS INPUT OUTPUT-JAN OUTPUT-FEB OUTPUT-MAR [OUT-VAR]:
# the template fixture with one unit spelling; January-March noleap.
units_case() {
    local var=$1 units=$2 v=$3 jan=$4 feb=$5 mar=$6 outvar=${7:-$1} target
    local id="units '$units' ($var)"
    [ "${NO_UNITS:-}" != 1 ] || id="no units attribute ($var)"
    dir=$tmp/units
    mkdir -p "$dir"
    sed "s|@VAR@|$var|g; s|@UNITS@|$units|g; s|@V@|$v|g" "$fixtures/units_spelling.cdl" \
        >"$dir/units.cdl"
    # NO_UNITS=1: no units attribute at all rather than an empty one.
    [ "${NO_UNITS:-}" != 1 ] || sed -i "/$var:units = /d" "$dir/units.cdl"
    convert "$id" "$dir/units.cdl" "$var" || return
    target=$(awk -F'\t' -v v="$var" '$1 == v { print $3 }' "$table")
    want_cf "$id" "$outvar" "$target" noleap 3 1 2
    want_data "$id: x the exact factor" "$outvar" "$jan _ $feb _ $mar _"
}
# Fluxes to kg m-2 s-1.
for u in "kg m-2 s-1" "kg/m2/s" "kg m^-2 s^-1" "kg.m-2.s-1" "kgC m-2 s-1" "kg C m-2 s-1" \
    "kgC/m2/s"; do
    units_case gpp "$u" 1.5e-8 1.5e-8 1.5e-8 1.5e-8
done
# 86.4 g day-1 = 0.0864 kg / 86400 s = 1e-6.
for u in "gC m-2 day-1" "g C m-2 d-1" "gC/m2/day"; do
    units_case gpp "$u" 86.4 1e-6 1e-6 1e-6
done
# 31536 g yr-1 = 31.536 kg / (365 x 86400 s) = 1e-6 (noleap year).
units_case gpp "gC m-2 yr-1" 31536 1e-6 1e-6 1e-6
# Per month: 86.4 kg / (31 or 28 days x 86400 s) = 3.22580645e-5, 3.57142857e-5.
units_case mrro "kg m-2 month-1" 86.4 3.22580645e-5 3.57142857e-5 3.22580645e-5
units_case gpp "gC m-2 month-1" 86400 3.22580645e-5 3.57142857e-5 3.22580645e-5
units_case mrro "mm month-1" 86.4 3.22580645e-5 3.57142857e-5 3.22580645e-5
# Pools to kg m-2.
units_case cVeg "kgC m-2" 1.5 1.5 1.5 1.5
units_case cSoil "gC/m2" 1500 1.5 1.5 1.5
units_case cLitter "gC m-2" 1500 1.5 1.5 1.5
units_case mrso "mm" 300 300 300 300
# Water depth: 1 mm = 1 kg m-2; 86.4 mm/day = 1e-3 kg m-2 s-1.
units_case mrro "mm/day" 86.4 1e-3 1e-3 1e-3
units_case mrros "mm s-1" 1e-3 1e-3 1e-3 1e-3
units_case pr "mm/s" 1e-3 1e-3 1e-3 1e-3
# evapotrans is written as evspsbl (the CMIP6 name ILAMB's et looks for).
units_case evapotrans "mm/day" 86.4 1e-3 1e-3 1e-3 evspsbl
# burntArea to %: a fraction x 100.
units_case burntArea "fraction" 0.25 25 25 25
units_case burntArea "1" 0.25 25 25 25
units_case burntArea "-" 0.25 25 25 25
units_case burntArea "%" 25 25 25 25
# lai to 1.
for u in "m2/m2" "m2 m-2" "m2.m-2" "1" ""; do
    units_case lai "$u" 2.5 2.5 2.5 2.5
done
NO_UNITS=1 units_case lai "" 2.5 2.5 2.5 2.5
# tas to K: 20 degC = 293.15 K.
units_case tas "degC" 20 293.15 293.15 293.15
units_case tas "degrees C" 20 293.15 293.15 293.15
units_case tas "K" 293.15 293.15 293.15 293.15
units_case rsds "W/m2" 200 200 200 200
units_case rsds "W m-2" 200 200 200 200
# Issue 14's variables: nitrogen fixation in kgN/gN (86.4 gN day-1 = 1e-6
# kg m-2 s-1), heat fluxes (CLM's sh is hfss), snow (CLM's swe is snw),
# a single-layer soil temperature in degC.
units_case fBNF "gN m-2 day-1" 86.4 1e-6 1e-6 1e-6
units_case fBNF "kgN m-2 s-1" 1e-6 1e-6 1e-6 1e-6
units_case hfls "W/m2" 80 80 80 80
units_case hfss "W m-2" 30 30 30 30
units_case sh "W/m2" 30 30 30 30 hfss
units_case swe "mm" 12 12 12 12 snw

# A per-year rate in a leap year: 31.536 kg / (366 x 86400 s) = 9.97267760e-7.
convert "gC m-2 yr-1 across a leap year" units_per_year_leap gpp
want_cf "gC m-2 yr-1 across a leap year" gpp "kg m-2 s-1" standard 3 2 2
want_time "gC m-2 yr-1 across a leap year" "1903-07-02 12, 1904-07-02, 1905-07-02 12" \
    "1903-01-01, 1904-01-01, 1904-01-01, 1905-01-01, 1905-01-01, 1906-01-01"
want_data "gC m-2 yr-1 across a leap year: / each year's own seconds" gpp \
    "1e-6 1e-6 _ 0 9.97267760e-7 9.97267760e-7 _ 0 1e-6 1e-6 _ 0"

# --scale -1 (a sign convention fixed in models/): after the conversion.
convert "--scale -1" time_days_1700 gpp --scale -1
want_data "--scale -1: values negated, fill kept" gpp "-1 -2 -3 -4 -5 -6 -7 -8 -9 -10 -11 _"

# ================================================== section 5: missing values
missing_case() { # ID FIXTURE VAR WANT [OPTIONS...]
    local id=$1 fixture=$2 var=$3 want=$4
    shift 4
    convert "$id" "$fixture" "$var" "$@"
    want_cf "$id" "$var" "$(awk -F'\t' -v v="$var" '$1 == v { print $3 }' "$table")" noleap 2 2 2
    want_data "$id: values and mask" "$var" "$want"
}
missing_case "_FillValue -99999" missing_fill_99999 gpp "1 _ 3 4 5 6 _ 8"
missing_case "_FillValue -9.969209968386869e36" missing_fill_neg_9e36 gpp "1 _ 3 4 5 6 _ 8"
missing_case "_FillValue 1e20" missing_fill_1e20 gpp "1 _ 3 4 5 6 _ 8"
missing_case "_FillValue NaN" missing_nan gpp "1 _ 3 4 5 6 _ 8"
missing_case "no fill declared (VISIT), default fill cells" missing_none_visit gpp "1 _ 3 4 5 6 _ 8"
want_attr "no fill declared (VISIT), default fill cells" trendy2ilamb_quirks \
    "no _FillValue or missing_value declared"
missing_case "missing_value only" missing_value_only gpp "1 _ 3 4 5 6 _ 8"
missing_case "missing_value besides a different _FillValue" missing_value_and_fill gpp \
    "1 _ 3 4 5 6 _ 8"
missing_case "missing_value double on a float variable" missing_double_on_float gpp \
    "1 _ 3 4 5 6 _ 8"
missing_case "valid_range [0, 100]" missing_valid_range gpp "_ 50 _ 100 0 _ 3 _"
missing_case "valid_min and valid_max" missing_valid_min_max gpp "_ 50 _ 100 0 _ 3 7"
missing_case "--missing -9999" missing_flag lai "1.5 _ 2.5 3.5 _ 0 2 1" --missing -9999
missing_case "undeclared -9999 without --missing passes" missing_flag lai \
    "1.5 -9999 2.5 3.5 -9999 0 2 1"
# x 0.01 + 1: 0 -> 1, 150 -> 2.5, 32000 -> 321, 100 -> 2, -100 -> 0, 7 -> 1.07.
# scale_factor is the float 0.01f (0.0099999998), so -100 unpacks to 2.2e-8:
# zero to float precision of the data, hence an absolute tolerance here.
ABS=1e-7 missing_case "int16 packed, fill in packed units" missing_packed_int16 lai \
    "1 2.5 _ 321 2 0 1.07 _"
missing_case "float64 data" missing_float64 gpp "1.5e-8 _ 3.25e-8 4e-8 5e-8 6e-8 _ 1.23456789e-7"

# ================================================== soil layers (issue 14)
# want_layered ID VAR NDEPTH: the header of a (time, depth, lat, lon) output
# as ILAMB and ilamb3 read a layered variable (doc/quirks.md G-09).
want_layered() {
    local id=$1 var=$2 nz=$3 missing
    missing=$(printf '%s\n' "depth = $nz ;" "float $var(time, depth, lat, lon) ;" \
        "double depth(depth) ;" 'depth:units = "m" ;' 'depth:positive = "down" ;' \
        'depth:axis = "Z" ;' 'depth:bounds = "depth_bnds" ;' "double depth_bnds(depth, bnds) ;" |
        awk 'NR == FNR { want[$0]; next }
             /^data:/ { exit }
             { sub(/^[ \t]+/, ""); delete want[$0] }
             END { for (w in want) printf " [%s]", w }' - "$(dump "$out")")
    if [ -z "$missing" ]; then ok "$id: header: $var(time, depth, lat, lon), depth in m, down, Z, bounds"
    else bad "$id: header: $var(time, depth, lat, lon), depth in m, down, Z, bounds" "missing:$missing"; fi
}
# CABLE's thicknesses (layer_depths_m): interfaces 0 0.022 0.08 0.234 0.643
# 1.728 8.6, depths their midpoints.
convert "msl -> mrsol (CABLE layer_depths_m)" layers_cable_msl msl --out-var mrsol
want_layered "msl -> mrsol (CABLE layer_depths_m)" mrsol 6
want_data "msl -> mrsol: depths are the layers' middles" depth \
    "0.011 0.051 0.157 0.4385 1.1855 5.164"
want_data "msl -> mrsol: depth_bnds are the summed thicknesses" depth_bnds \
    "0 0.022 0.022 0.08 0.08 0.234 0.234 0.643 0.643 1.728 1.728 8.6"
want_data "msl -> mrsol: kg m-2 per layer, each cell's own mask" mrsol \
    "2.2 1 5.8 1 15.4 7.7 40.9 9 108.5 9 687.2 _ 4.4 2 11.6 2 30.8 15.4 81.8 18 217 18 1374.4 _"
# The fixture's comment works mrsos out by hand: 10, 3; then 20, 6.
convert "msl -> mrsos (top 0.1 m)" layers_cable_msl msl --out-var mrsos
want_cf "msl -> mrsos (top 0.1 m)" mrsos "kg m-2" noleap 2 1 2
want_data "msl -> mrsos: layers 1-2 whole + 0.02/0.154 of layer 3 (a missing deep layer does not count)" \
    mrsos "10 3 20 6"
# Centres in cm, no bounds: edges halfway, from the surface; degC -> K.
convert "tsl on a cm coordinate (levgrnd last)" layers_coord_cm tsl
want_layered "tsl on a cm coordinate (levgrnd last)" tsl 3
want_data "tsl on a cm coordinate: depths in m" depth "0.05 0.2 0.5"
want_data "tsl on a cm coordinate: bounds halfway between centres" depth_bnds \
    "0 0.125 0.125 0.35 0.35 0.65"
want_data "tsl on a cm coordinate: (time, depth, lat, lon), K" tsl \
    "283.15 _ 282.15 _ 281.15 _ 284.15 293.15 283.15 292.15 282.15 291.15"
# The memory budget counts every layer of a step: 10 layers x 2 x 8 cells
# are 160 values, 160 x (8 + 4) = 1920 bytes a step (2-D it would be 192).
# Its one chunk spans both steps: read at once by default, one by one in
# 2000 bytes.
awk 'BEGIN {
    print "netcdf deep {\ndimensions:\n\ttime = 2 ;\n\tsoil = 10 ;\n\tlat = 2 ;\n\tlon = 8 ;"
    print "variables:\n\tdouble time(time) ;\n\t\ttime:units = \"days since 1700-01-01\" ;"
    print "\t\ttime:calendar = \"noleap\" ;\n\tfloat lat(lat) ;\n\t\tlat:units = \"degrees_north\" ;"
    print "\tfloat lon(lon) ;\n\t\tlon:units = \"degrees_east\" ;\n\tfloat msl(time, soil, lat, lon) ;"
    print "\t\tmsl:units = \"kg m-2\" ;\n\t\tmsl:layer_depths_m = \"0.1 0.1 0.1 0.1 0.1 0.1 0.1 0.1 0.1 0.1\" ;"
    print "\t\tmsl:_ChunkSizes = 2, 10, 2, 8 ;"
    printf "data:\n time = 15.5, 45 ;\n lat = -45, 45 ;\n lon = -157.5, -112.5, -67.5, -22.5, 22.5, 67.5, 112.5, 157.5 ;\n msl = "
    for (i = 0; i < 320; i++) printf "%s%d", (i ? ", " : ""), i % 7
    print " ;\n}" }' >"$tmp/deep.cdl"
make_input "a layered step over the budget" "$tmp/deep.cdl" msl && run --out-var mrsol --memory 1024
expect_fail "a layered step over the budget" 1 \
    "'msl': one time step needs 1920 bytes, more than the memory budget of 1024 bytes (--memory)"
run --out-var mrsol --memory 2000
expect_ok "a layered step within the budget (one step per slab)"
cp "$out" "$tmp/deep_one.nc"
run --out-var mrsol
expect_ok "a layered file in one slab"
same "one step per slab or both at once: the same levels" "$(values "$out" mrsol)" \
    "$(values "$tmp/deep_one.nc" mrsol)"
make_input "layers without depths" layers_none msl && run
expect_fail "layers without depths" 1 \
    "'msl': the layers of 'smlayer' have no depths (a coordinate in m, layer_depths_m): set layer_bounds in models/"
# models/ layer_bounds 0, 0.05, 0.2: the top 0.1 m is layer 1 and a third
# of layer 2: 5 + 30/3 = 15, 6 + 60/3 = 26; 10 + 20 = 30, 12 + 40 = 52.
convert "layer_bounds from models/" layers_none msl --out-var mrsos \
    --layer-bounds 0 --layer-bounds 0.05 --layer-bounds 0.2
want_data "layer_bounds from models/: mrsos" mrsos "15 26 30 52"
make_input "layer_bounds of the wrong length" layers_none msl
run --layer-bounds 0 --layer-bounds 0.05
expect_fail "layer_bounds of the wrong length" 1 \
    "'msl': 2 layer bounds from models/ for 2 layers in 'smlayer' (want 3)"

# ================================================== section 6: formats
for kind in 1 2 3 4; do
    id="format ncgen -k $kind"
    make_input "$id" grid_latitude_desc_0360 gpp "$kind" || continue
    got=$(ncdump -k "$in")
    same "$id: input really is $kind" "$got" \
        "$(case $kind in 1) echo classic ;; 2) echo 64-bit offset ;;
           3) echo netCDF-4 ;; 4) echo netCDF-4 classic model ;; esac)"
    run
    expect_ok "$id"
    want_cf "$id" gpp "kg m-2 s-1" noleap 2 3 4
    want_data "$id: values flipped and rolled" gpp "$grid_values"
done
# Chunked (2 steps), deflated, string units: 86.4 gC m-2 day-1 = 1e-6.
convert "netCDF-4 chunked, deflated, string attribute" format_chunked gpp
want_cf "netCDF-4 chunked, deflated, string attribute" gpp "kg m-2 s-1" noleap 4 2 2
want_data "netCDF-4 chunked, deflated, string attribute: values" gpp \
    "1e-6 2e-6 _ 0 1e-6 2e-6 _ 0 1e-6 2e-6 _ 0 1e-6 2e-6 _ 1e-5"
# The smallest memory budget (1024 bytes) must give the same numbers.
cp "$out" "$tmp/chunked_default.nc"
run --memory 1024
expect_ok "netCDF-4 chunked, --memory 1024"
want_data "netCDF-4 chunked, --memory 1024: same values" gpp \
    "$(values "$tmp/chunked_default.nc" gpp)"

# ================================================== refusals (exit 1)
refuse() { # ID FIXTURE VAR MESSAGE [OPTIONS...]
    local id=$1 fixture=$2 var=$3 msg=$4
    shift 4
    make_input "$id" "$fixture" "$var" || return
    run "$@"
    expect_fail "$id" 1 "$msg"
}

# ================================================== section 9: the real archive
# Encodings real groups write (doc/quirks.md section R, "Inside the
# files", R-09 to R-23). Each output is also given to t2i-verify with the same options,
# which must accept it: no false failure on a real encoding.

# checked ID [OPTIONS...]: t2i-verify passes the last output (exit 0).
checked() {
    local id=$1
    shift
    "$verify" --table "$table" "$@" "$in" "$out" >"$dir/verify.out" 2>&1
    local vrc=$?
    if [ "$vrc" -eq 0 ]; then ok "$id: t2i-verify accepts the output"; else
        bad "$id: t2i-verify accepts the output" "exit $vrc" "$(head -5 "$dir/verify.out")"
    fi
}

# caught ID FIXTURE SED WANT: the checker, given the last output against the
# fixture edited by SED (a time axis shifted the way a misreading would
# shift it), fails (exit 1) with a line holding WANT: it reads the encoding
# itself rather than trusting the converter.
caught() {
    sed "$3" "$fixtures/$2.cdl" >"$dir/doctored.cdl"
    ncgen -k nc4 -o "$dir/doctored.nc" "$dir/doctored.cdl"
    "$verify" --table "$table" "$dir/doctored.nc" "$out" --var "$(basename "${in%.nc}" | sed 's/.*_//')" \
        >"$dir/caught.out" 2>&1
    local vrc=$?
    if [ "$vrc" -eq 1 ] && grep -qF -- "$4" "$dir/caught.out"; then
        ok "$1: t2i-verify catches a shifted reading ('$4')"
    else
        bad "$1: t2i-verify catches a shifted reading ('$4')" "exit $vrc" "$(head -3 "$dir/caught.out")"
    fi
}

# enc_case ID FIXTURE VAR [OPTIONS...]: convert, check it, keep $in/$out.
enc_case() {
    local id=$1 fixture=$2 var=$3
    shift 3
    convert "$id" "$fixture" "$var" "$@" && checked "$id" "$@"
}

# A January-March 1700 noleap axis (mid-month stamps or month starts).
jfm 1700
jfm1700_stamps=$stamps jfm1700_bounds=$bounds

# 'Units' with a capital, beside the decoy CLM_orig_attr_units = kgC/m^2/s:
# g C m-2 s-1 -> kg m-2 s-1 is x 1e-3 (the decoy would give x 1).
enc_case "CLM 'Units' with a decoy" enc_units_capital gpp
want_cf "CLM 'Units' with a decoy" gpp "kg m-2 s-1" noleap 3 2 2
want_data "CLM 'Units' with a decoy: g C -> kg, decoy ignored" gpp \
    "1e-3 2e-3 3e-3 4e-3 5e-3 6e-3 7e-3 8e-3 9e-3 1e-2 1.1e-2 _"
want_attr "CLM 'Units' with a decoy" trendy2ilamb_quirks "units read from attribute 'Units'"

# time:bounds naming 'time_bounds', which is not there: the stamps decide.
enc_case "dangling time:bounds" enc_bounds_dangling gpp
want_time "dangling time:bounds" "$jfm1700_stamps" "$jfm1700_bounds"
want_attr "dangling time:bounds" trendy2ilamb_quirks \
    "'time' names bounds 'time_bounds', which the file does not have: ignored"

# 'yr' holding the year itself (1700, 1701, 1702), time with a _FillValue.
annual1700="1700-07-02 12, 1701-07-02 12, 1702-07-02 12"
annual1700_bnds="1700-01-01, 1701-01-01, 1701-01-01, 1702-01-01, 1702-01-01, 1703-01-01"
enc_case "CLM6.0 'yr' year numbers" enc_time_yr_numbers cVeg
want_cf "CLM6.0 'yr' year numbers" cVeg "kg m-2" noleap 3 2 2
want_time "CLM6.0 'yr' year numbers" "$annual1700" "$annual1700_bnds"
want_data "CLM6.0 'yr' year numbers: pools unchanged" cVeg "$pool_values"
want_attr "CLM6.0 'yr' year numbers" trendy2ilamb_quirks \
    "time units 'yr' with values 1700-1702 read as calendar years"
caught "CLM6.0 'yr' year numbers" enc_time_yr_numbers \
    's/time = 1700, 1701, 1702/time = 1701, 1702, 1703/' "step 0 covers year 1700"

# No units, only long_name = "years since 1700"; values 0, 1, 2.
enc_case "CLM6.0 long_name 'years since 1700'" enc_time_long_name cVeg
want_time "CLM6.0 long_name 'years since 1700'" "$annual1700" "$annual1700_bnds"
want_attr "CLM6.0 long_name 'years since 1700'" trendy2ilamb_quirks \
    "its long_name 'years since 1700' read as the units"

# ELM-FATES: no units, 1701.0, 1701.0833, 1701.1667 = January-March 1701.
jfm 1701
enc_case "ELM-FATES decimal years without units" enc_time_nounits_months gpp
want_time "ELM-FATES decimal years without units" "$stamps" "$bounds"
want_attr "ELM-FATES decimal years without units" trendy2ilamb_quirks \
    "stepping by 1/12 read as decimal years"
caught "ELM-FATES decimal years without units" enc_time_nounits_months \
    's/time = 1701, 1701.0833, 1701.1667/time = 1701.0833, 1701.1667, 1701.25/' \
    "step 0 covers 1701-01"
refuse "no units, values neither yearly nor monthly" bad_nounits_irregular gpp \
    "time units '' have no reference date: set 'time_units' in models/"

# In-file variable: ISAM 'LAI' (with units 'None'); SDGVM 'nbpAnnual'.
enc_case "ISAM 'LAI' in a lai file, units 'None'" enc_var_case lai
want_cf "ISAM 'LAI' in a lai file, units 'None'" lai 1 noleap 3 2 2
want_data "ISAM 'LAI': values unchanged" lai "1 2 3 4 5 6 7 8 9 10 11 _"
want_attr "ISAM 'LAI' in a lai file, units 'None'" trendy2ilamb_quirks \
    "variable 'LAI' matched 'lai' ignoring case"
enc_case "SDGVM 'nbpAnnual' in an nbp file" enc_var_prefix nbp
want_cf "SDGVM 'nbpAnnual' in an nbp file" nbp "kg m-2 s-1" noleap 3 2 2
want_time "SDGVM 'nbpAnnual' in an nbp file" "$annual1700" "$annual1700_bnds"
want_data "SDGVM 'nbpAnnual': values unchanged" nbp "1 2 3 4 5 6 7 8 9 10 11 _"
want_attr "SDGVM 'nbpAnnual' in an nbp file" trendy2ilamb_quirks \
    "variable 'nbpAnnual' taken for 'nbp': the one data variable whose name starts with it"
# (generate.py gives the checker --out-var, the variables table's key.)
convert "models/ var still names the variable" enc_var_prefix nbp --var nbpAnnual &&
    checked "models/ var still names the variable" --var nbpAnnual --out-var nbp
refuse "two variables start with the token" bad_var_two_prefixes npp \
    "variable 'npp' not found, and more than one variable starts with it ('npp_nlim'; 'npp_lu'): set var in models/ (file has 'time'; 'lat'; 'lon'; 'npp_nlim'; 'npp_lu')"

# Unit spellings, each swapped into enc_units_classic (all mean kg m-2 s-1,
# values unchanged), and lai's spellings of 1 into enc_var_case.
spelled() { # ID FIXTURE VAR FROM TO
    sed "s|\"$4\"|\"$5\"|" "$fixtures/$2.cdl" >"$tmp/spelled.cdl"
    convert "$1" "$tmp/spelled.cdl" "$3" && checked "$1"
}
for u in "KgC/m2.s" "kgC/m2/s"; do
    spelled "gpp units '$u'" enc_units_classic gpp "KgC/m2.s" "$u"
    want_data "gpp units '$u': values unchanged" gpp "1 2 3 4 5 6 7 8 9 10 11 _"
done
for u in "KgC/m2" "kg C m-2"; do
    spelled "cVeg units '$u'" enc_time_yr_numbers cVeg "kg m-2" "$u"
    want_data "cVeg units '$u': values unchanged" cVeg "$pool_values"
done
for u in "None" "" "1" "m2/m2"; do
    spelled "lai units '$u'" enc_var_case lai "None" "$u"
    want_data "lai units '$u': values unchanged" lai "1 2 3 4 5 6 7 8 9 10 11 _"
done

# evapotrans in W m-2: refused without a declared latent heat; with
# 2.5e6 J kg-1, 25 W m-2 / 2.5e6 = 1e-5 kg m-2 s-1.
refuse "evapotrans in W m-2 without latent_heat" enc_evapotrans_wm2 evapotrans \
    "'evapotrans': units 'W m-2' are an energy flux: set latent_heat (J kg-1) in models/ to read them as 'kg m-2 s-1'"
convert "evapotrans in W m-2 with --latent-heat" enc_evapotrans_wm2 evapotrans --latent-heat 2.5e6 &&
    checked "evapotrans in W m-2 with --latent-heat" --latent-heat 2.5e6
want_data "evapotrans in W m-2: / 2.5e6 J kg-1" evspsbl \
    "1e-5 2e-5 3e-5 4e-5 5e-5 6e-5 7e-5 8e-5 9e-5 1e-4 1.1e-4 _"
want_attr "evapotrans in W m-2 with --latent-heat" trendy2ilamb_quirks "divided by 2500000 J kg-1"

# Grids.
refuse "latitude above 90 (CABLE-POP)" bad_lat_above_90 gpp \
    "latitude 93.5 at index 1 is outside [-90, 90]"
# 0, 90, -180, -90 -> -180, -90, 0, 90; columns move with their centres.
enc_case "rotated longitudes" enc_lon_rotated gpp
want_grid "rotated longitudes" "0" "-0.5 0.5" "-180 -90 0 90" \
    "-225 -135 -135 -45 -45 45 45 135"
want_data "rotated longitudes: columns rolled" gpp "3 4 1 2 7 8 5 6"
want_attr "rotated longitudes" trendy2ilamb_quirks "longitude stored in rotated order"
# CLM f09 pattern: poles as centres, coordinates with _FillValue, int days
# at month starts; lon 0, 120, 240 -> -120, 0, 120 (240 moved first);
# gC/m^2/s x 1e-3; 1e36 fill missing.
enc_case "CLM f09: poles, coordinate fills, int month starts" enc_clm_f09 gpp
want_time "CLM f09: poles, coordinate fills, int month starts" "1700-01-16 12, 1700-02-15" \
    "1700-01-01, 1700-02-01, 1700-02-01, 1700-03-01"
want_grid "CLM f09: poles, coordinate fills, int month starts" "-90 0 90" \
    "-90 -45 -45 45 45 90" "-120 0 120" "-180 -60 -60 60 60 180"
want_data "CLM f09: rolled rows, x 1e-3, fill" gpp \
    "3e-3 1e-3 2e-3 6e-3 4e-3 5e-3 9e-3 7e-3 8e-3 1.3e-2 1.1e-2 1.2e-2 1.6e-2 1.4e-2 1.5e-2 _ 1.7e-2 1.8e-2"
want_attr "CLM f09: poles, coordinate fills, int month starts" trendy2ilamb_quirks \
    "a pole is a grid point"
# E3SM lat(nj), lon(ni); latitude 45, -45 flipped to ascending.
enc_case "E3SM non-dimension lat/lon" enc_coord_e3sm gpp
want_grid "E3SM non-dimension lat/lon" "-45 45" "-90 0 0 90" "-90 90" "-180 0 0 180"
want_data "E3SM non-dimension lat/lon: rows flipped" gpp "3 4 1 2 7 8 5 6"
want_attr "E3SM non-dimension lat/lon" trendy2ilamb_quirks "coordinates of dimension 'nj' read from 'lat'"
# CABLE x(x), y(y) index variables beside latitude(y), longitude(x).
enc_case "CABLE x/y beside latitude/longitude" enc_coord_cable gpp
want_grid "CABLE x/y beside latitude/longitude" "-45 45" "-90 0 0 90" "-90 90" "-180 0 0 180"
want_data "CABLE x/y: values in place" gpp "1 2 3 4 5 6 7 8"
# ISBA-CTRIP lat_FULL/lon_FULL with *_bnds, time_counter months since 1850.
enc_case "ISBA-CTRIP lat_FULL, lon_FULL, time_counter" enc_isba_full gpp
want_cf "ISBA-CTRIP lat_FULL, lon_FULL, time_counter" gpp "kg m-2 s-1" standard 2 2 2
want_time "ISBA-CTRIP lat_FULL, lon_FULL, time_counter" "1850-01-16 12, 1850-02-15" \
    "1850-01-01, 1850-02-01, 1850-02-01, 1850-03-01"
want_grid "ISBA-CTRIP lat_FULL, lon_FULL, time_counter" "-45 45" "-90 0 0 90" "-90 90" \
    "-180 0 0 180"

refuse "non-monotonic time" bad_nonmonotonic gpp \
    "time steps are not increasing at step 1 (1700-01-16 after 1700-02-15)"
refuse "duplicated stamps" bad_duplicate gpp "time step 2 (1700-02-15) duplicates step 1"
refuse "a units attribute of two strings (issue 20)" bad_units_two_strings gpp \
    "attribute 'units' holds 2 strings, expected one (models/ can give the value)"
refuse "a reversed valid_range (issue 20)" bad_valid_range_reversed gpp \
    "'gpp': its valid range 1 .. 0 is reversed, so no value could be valid (models/ missing can replace it)"
# Every value NaN: converted, all missing, said in the stats (issue 20).
if convert "all values NaN" enc_all_nan gpp --stats "$tmp/nan.json"; then
    same "all values NaN: every output value is missing" "$(values "$out" gpp)" \
        "_, _, _, _, _, _, _, _, _, _, _, _"
    same "all values NaN: the stats warn" \
        "$(grep -c 'no valid value: every value of the output is missing' "$tmp/nan.json")" 1
    "$T2I_ROOT/build/san/t2i-verify" --table "$table" --json "$tmp/nan-check.json" "$in" "$out" \
        >/dev/null 2>&1
    same "all values NaN: the check passes and its note says so" \
        "$? $(grep -c '"note": ".*no valid value in the 3 steps compared' "$tmp/nan-check.json")" "0 1"
fi
refuse "two stamps in one month" bad_two_in_month gpp \
    "time step 2 (1700-02) repeats the month of step 1"
refuse "a gap in the time axis" bad_gap gpp \
    "time axis has a gap between step 2 (1700-03) and step 3 (1700-05)"
refuse "unknown calendar" bad_calendar gpp "unknown calendar 'lunar'"
refuse "time zone other than UTC" bad_time_zone gpp \
    "time zone of time units 'days since 1700-01-01 00:00:00 +05:30' is not utc"
refuse "bare 'years' without --time-units" bad_years_bare gpp \
    "time units 'years' have no reference date: set 'time_units' in models/"
refuse "days sinse 1700-01-01" bad_time_units gpp \
    "time units 'days sinse 1700-01-01' not understood"
refuse "absurd time offset" bad_absurd_offset gpp \
    "time value 1000000000000 at step 2: time value '1000000000000' gives an absurd offset: more than 100000 years from 1850"
refuse "unknown units 'banana'" bad_units gpp \
    "'gpp': units 'banana' not understood by udunits2 (normalised 'banana')"
refuse "missing variable" bad_missing_var gpp \
    "variable 'gpp' not found (file has 'time'; 'lat'; 'lon'; 'npp')"
refuse "per-month units on an annual axis" bad_per_month_annual mrro \
    "'mrro': units 'kg m-2 month-1' are per month but the time axis is annual"

# Damaged files: empty, not NetCDF, truncated.
damaged() { # ID MESSAGE: $in has been replaced by the damaged file
    run
    expect_fail "$1" 1 "$2"
}
dir=$tmp/damaged
mkdir -p "$dir/M/S3"
in=$dir/M/S3/M_S3_gpp.nc
out=$dir/out.nc
: >"$in"
damaged "zero-length file" "cannot open: NetCDF: Unknown file format"
printf 'gpp,lat,lon\n1,2,3\n' >"$in"
damaged "not a NetCDF file" "cannot open: NetCDF: Unknown file format"
ncgen -k nc4 -o "$dir/whole.nc" "$fixtures/format_chunked.cdl"
head -c "$(($(stat -c %s "$dir/whole.nc") / 2))" "$dir/whole.nc" >"$in"
damaged "truncated netCDF-4 file" "cannot open: NetCDF: HDF error"
ncgen -k classic -o "$dir/whole.nc" "$fixtures/grid_latitude_desc_0360.cdl"
head -c "$(($(stat -c %s "$dir/whole.nc") / 2))" "$dir/whole.nc" >"$in"
damaged "classic file truncated in its header" \
    "truncated netCDF classic header: the file ends in the attribute list at byte 296"
# Cut inside the data: netCDF-3 reads the missing bytes as zeros, silently.
head -c "$(($(stat -c %s "$dir/whole.nc") - 40))" "$dir/whole.nc" >"$in"
damaged "classic file truncated in its data" \
    "truncated: data of 'gpp' runs to byte 592 but the file has 552 bytes"

# A failure leaves an existing output untouched.
make_input "failure keeps an old output" bad_gap gpp
echo "old" >"$out"
run
same "failure keeps an old output: exit 1, old output untouched, no .tmp" \
    "$rc $(cat "$out") $(no_tmp "$out" || echo tmp)" "1 old "

# ================================================== usage errors (exit 2)
usage() { # DESCRIPTION MESSAGE ARGS...: exit 2, one exact line
    local desc=$1 msg=$2 got
    shift 2
    "$bin" "$@" >"$tmp/usage.out" 2>"$tmp/usage.err"
    rc=$?
    got=$(cat "$tmp/usage.err")
    if [ "$rc" -eq 2 ] && [ "$got" == "trendy2ilamb: $msg" ]; then ok "usage: $desc (exit 2)"; else
        bad "usage: $desc (exit 2)" "exit $rc" "got:  $got" "want: trendy2ilamb: $msg"
    fi
}
make_input usage time_days_1700 gpp
usage "no arguments" "need INPUT and OUTPUT (see --help)"
usage "one argument" "need INPUT and OUTPUT (see --help)" "$in"
usage "three arguments" "unexpected argument 'x' (see --help)" "$in" "$out" x
usage "unknown option" "unknown option '--bogus' (see --help)" --bogus 1 "$in" "$out"
usage "an option named by a prefix is unknown" "unknown option '--s' (see --help)" --s x "$in" "$out"
usage "a 17th --missing is refused" "more than 16 '--missing' options (see --help)" \
    $(for i in $(seq 17); do echo --missing -$i; done) "$in" "$out"
usage "bad --time-stamp" "bad value 'middle' for option '--time-stamp' (see --help)" \
    --time-stamp middle "$in" "$out"
usage "bad --reduce" "bad value 'PFT' for option '--reduce' (see --help)" --reduce PFT "$in" "$out"
usage "option without a value" "option '--units' needs a value (see --help)" "$in" "$out" --units
cp "$in" "$tmp/unnamed.nc"
usage "file name without _<SIM>_<var>.nc and no --var" \
    "$tmp/unnamed.nc: file name is not *_<SIM>_<var>.nc; give --var" "$tmp/unnamed.nc" "$out"
same "usage errors leave no output" "$([ -e "$out" ] && echo present)" ""

tally
