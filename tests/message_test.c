/* Tests of the error-line cleaner (message.h): attribute text with line
 * breaks, escape sequences, invalid UTF-8 or great length becomes one
 * printable line; valid UTF-8 passes unchanged. */
#include "message.h"

#include <stdio.h>
#include <string.h>

#include "check.h"

static void same(t2i_tally *t, const char *in, const char *want, const char *desc)
{
    char out[4 * MESSAGE_MAX + 8];
    CHECK_STR(t, message_clean(out, sizeof out, in), want, desc);
}

int main(void)
{
    t2i_tally tally = {0, 0, 0}, *t = &tally;
    same(t, "units 'kg m-2 s-1' not understood", "units 'kg m-2 s-1' not understood",
         "plain text passes unchanged");
    same(t, "units 'x\nFAILED: out/M/gpp.nc'", "units 'x\\nFAILED: out/M/gpp.nc'",
         "a newline is shown as \\n: no forged second line");
    same(t, "a\tb\rc", "a\\tb\\rc", "tab and carriage return are escaped");
    same(t, "red \x1b[31mtext\x1b[0m", "red \\x1b[31mtext\\x1b[0m",
         "terminal escape sequences are shown, not sent");
    same(t, "bad \xff\xfe byte", "bad \\xff\\xfe byte", "bytes that are not UTF-8 are \\xNN");
    same(t, "\xc0\xaf overlong, \xed\xa0\x80 surrogate", "\\xc0\\xaf overlong, \\xed\\xa0\\x80 surrogate",
         "overlong forms and surrogates are not UTF-8");
    same(t, "degrees \xc2\xb0" "C, \xe2\x84\x83, \xf0\x9f\x8c\x8d",
         "degrees \xc2\xb0" "C, \xe2\x84\x83, \xf0\x9f\x8c\x8d", "valid UTF-8 passes unchanged");
    same(t, "cut \xe2\x84", "cut \\xe2\\x84", "a sequence cut short is escaped");
    char big[3000], out[4 * MESSAGE_MAX + 8];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    message_clean(out, sizeof out, big);
    CHECK(t, strlen(out) == MESSAGE_MAX + 3 && strcmp(out + MESSAGE_MAX, "...") == 0,
          "a long text is cut at MESSAGE_MAX bytes and ends in ...");
    char small[8];
    CHECK_STR(t, message_clean(small, sizeof small, "\n\n\n\n"), "\\n...",
              "a small buffer holds what fits, always terminated");
    CHECK_STR(t, message_clean(out, sizeof out, NULL), "", "NULL is the empty text");
    FILE *f = tmpfile();
    char line[256] = "";
    if (f) {
        message_print(f, "prog", "in\n.nc", "why\x07");
        rewind(f);
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    }
    CHECK_STR(t, line, "prog: in\\n.nc: why\\x07\n", "message_print writes one cleaned line");
    return CHECK_SUMMARY(t);
}
