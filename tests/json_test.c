/* Tests of the one JSON writer (json.h): escaping, null for non-finite
 * numbers, and a document too large marked incomplete rather than cut. */
#include "json.h"

#include <math.h>
#include <string.h>

#include "check.h"

/* s as one JSON string, in a document of at most max bytes. */
static const char *esc(char *out, size_t outlen, size_t max, const char *before, const char *s,
                       int *full)
{
    t2i_json j;
    json_init(&j, max);
    json_printf(&j, "%s", before);
    json_string(&j, s);
    *full = j.full;
    snprintf(out, outlen, "%s", j.buf ? j.buf : "");
    json_free(&j);
    return out;
}

static void test_escaping(t2i_tally *t)
{
    char b[256];
    int full;
    CHECK_STR(t, esc(b, sizeof b, 256, "", "plain", &full), "\"plain\"", "plain text is quoted");
    CHECK_STR(t, esc(b, sizeof b, 256, "k: ", "v", &full), "k: \"v\"", "appended after raw text");
    CHECK_STR(t, esc(b, sizeof b, 256, "", "say \"hi\"", &full), "\"say \\\"hi\\\"\"",
              "double quotes are escaped with a backslash");
    CHECK_STR(t, esc(b, sizeof b, 256, "", "C:\\dir\\", &full), "\"C:\\\\dir\\\\\"",
              "backslashes are doubled");
    CHECK_STR(t, esc(b, sizeof b, 256, "", "a\nb\tc\x01" "d\x1f", &full),
              "\"a\\u000ab\\u0009c\\u0001d\\u001f\"", "control characters become \\u00XX");
    CHECK_STR(t, esc(b, sizeof b, 256, "", "kg m\xc2\xb5 \x7f", &full), "\"kg m\xc2\xb5 \x7f\"",
              "UTF-8 bytes and DEL pass through unchanged");
    CHECK_STR(t, esc(b, sizeof b, 256, "", NULL, &full), "\"\"", "NULL is the empty string");
}

/* "ab" as JSON is 4 bytes plus the NUL: 5 bytes. */
static void test_limits(t2i_tally *t)
{
    char b[256];
    int full;
    esc(b, sizeof b, 5, "", "ab", &full);
    CHECK(t, !full && !strcmp(b, "\"ab\""), "a document that fits exactly is whole");
    esc(b, sizeof b, 4, "", "ab", &full);
    CHECK(t, full == 1, "one byte too many marks the document incomplete");
    t2i_json j;
    json_init(&j, 1 << 20);
    for (int i = 0; i < 10000; i++)
        json_printf(&j, "%d,", i % 10);
    CHECK(t, !j.full && j.len == 20000 && j.buf[19999] == ',', "the buffer grows as needed");
    json_free(&j);
}

static void test_numbers(t2i_tally *t)
{
    t2i_json j;
    json_init(&j, 256);
    json_number(&j, "%.6g", 1.5);
    json_printf(&j, ",");
    json_number(&j, "%.6g", NAN);
    json_printf(&j, ",");
    json_number(&j, "%.6g", -INFINITY);
    CHECK_STR(t, j.buf, "1.5,null,null", "NaN and infinities are null");
    json_free(&j);
}

int main(void)
{
    t2i_tally tally = {0, 0, 0}, *t = &tally;
    test_escaping(t);
    test_limits(t);
    test_numbers(t);
    return CHECK_SUMMARY(t);
}
