/* libFuzzer harness: decimal dates ("year as %Y.%f", "month as %Y%m.%f",
 * "day as %Y%m%d.%f") through time_decode, and the decoded stamps through
 * time_plan_axis. Input text: a kind letter (y, m or d), a calendar letter
 * (s standard, p proleptic_gregorian, n noleap, a all_leap, 3 360_day,
 * j julian; other bytes pick one by value), then up to FUZZ_MAX_STEPS
 * numbers separated by spaces, e.g. "m3 190101.5 190102.5". Built and run
 * by tests/fuzz_test.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "t2i.h"
#include "timeaxis.h"

/* Stamps planned as one axis at most. */
#define FUZZ_MAX_STEPS 64

static t2i_time_kind pick_kind(uint8_t c)
{
    if (c == 'y')
        return T2I_TU_DECIMAL_YEAR;
    if (c == 'm')
        return T2I_TU_YYYYMM;
    if (c == 'd')
        return T2I_TU_YYYYMMDD;
    return (t2i_time_kind)(T2I_TU_DECIMAL_YEAR + c % 3);
}

static t2i_calendar pick_calendar(uint8_t c)
{
    static const char letters[] = "spna3j";
    const char *at = memchr(letters, c, 6);
    return (t2i_calendar)(at ? at - letters : c % 6);
}

/* Parses up to FUZZ_MAX_STEPS numbers from text; returns how many. */
static size_t parse_values(const char *text, double *values)
{
    size_t n = 0;
    char *end;
    while (n < FUZZ_MAX_STEPS && *text) {
        double v = strtod(text, &end);
        if (end == text) {
            text++;
            continue;
        }
        values[n++] = v;
        text = end;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    char *text = malloc(size - 1), err[T2I_ERRLEN];
    if (!text)
        return 0;
    memcpy(text, data + 2, size - 2);
    text[size - 2] = '\0';
    t2i_time_units tu = {.kind = pick_kind(data[0])};
    t2i_calendar cal = pick_calendar(data[1]);
    double values[FUZZ_MAX_STEPS], days[FUZZ_MAX_STEPS];
    size_t n = parse_values(text, values), ok = 0;
    for (size_t i = 0; i < n; i++)
        if (time_decode(&tu, cal, values[i], &days[ok], err, sizeof err) == T2I_OK)
            ok++;
    t2i_time_axis axis = {0};
    for (int stamp = T2I_STAMP_START; ok > 0 && stamp <= T2I_STAMP_END; stamp++) {
        if (time_plan_axis(days, NULL, ok, cal, (t2i_stamp)stamp, T2I_FREQ_UNKNOWN, &axis, err,
                           sizeof err) == T2I_OK)
            time_axis_free(&axis);
    }
    free(text);
    return 0;
}
