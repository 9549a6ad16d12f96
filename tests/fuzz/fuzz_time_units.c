/* libFuzzer harness: time_parse_units on arbitrary text, then the parsed
 * units through time_decode and back through time_days_to_date in every
 * calendar. Input: the units text; its last 8 bytes (when there are more
 * than 8) also give a raw double to decode, so values and texts vary
 * together. Built and run by tests/fuzz_test.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "t2i.h"
#include "timeaxis.h"

/* Values decoded for every parsed unit: ordinary, fractional, negative,
 * huge and at the edge of the +-100000-year limit. */
static const double FUZZ_VALUES[] = {0.0, 0.5, 1.0, 11.999, 12.0, 15.5, -1.0, 365.0,
                                     1e5, 3.6e7, -3.6e7, 1e300, 190101.5, 19010116.5};

/* Decodes `value` in `cal` and turns the result back into a date. */
static void decode_one(const t2i_time_units *tu, t2i_calendar cal, double value)
{
    char err[T2I_ERRLEN];
    double days;
    t2i_date date;
    if (time_decode(tu, cal, value, &days, err, sizeof err) == T2I_OK)
        (void)time_days_to_date(cal, days, &date, err, sizeof err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), err[T2I_ERRLEN];
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    t2i_time_units tu;
    t2i_calendar cal;
    (void)time_parse_calendar(text, &cal, err, sizeof err);
    if (time_parse_units(text, &tu, err, sizeof err) == T2I_OK) {
        double raw = 0.0;
        if (size > 8)
            memcpy(&raw, data + size - 8, sizeof raw);
        for (int c = T2I_CAL_STANDARD; c <= T2I_CAL_JULIAN; c++) {
            for (size_t i = 0; i < sizeof FUZZ_VALUES / sizeof FUZZ_VALUES[0]; i++)
                decode_one(&tu, (t2i_calendar)c, FUZZ_VALUES[i]);
            decode_one(&tu, (t2i_calendar)c, raw);
        }
    }
    free(text);
    return 0;
}
