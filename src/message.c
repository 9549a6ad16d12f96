/* Error lines cleaned of control characters and invalid UTF-8 (see
 * message.h). */
#include "message.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
                        : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0 || (n == 2 && c < 0xc2) || (n == 4 && c > 0xf4))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    /* Overlong three-byte forms and UTF-16 surrogates are not UTF-8. */
    if (n == 3 && ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0)))
        return 0;
    if (n == 4 && ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90)))
        return 0;
    return n;
}

char *message_clean(char *out, size_t size, const char *text)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0, i = 0;
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    if (size == 0)
        return out;
    while (s[i] && i < MESSAGE_MAX) {
        char esc[5] = "";
        size_t n = utf8_len(s + i), take = 1;
        if (s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
            esc[0] = '\\';
            esc[1] = s[i] == '\n' ? 'n' : s[i] == '\t' ? 't' : 'r';
        } else if (n == 0 || s[i] < 0x20 || s[i] == 0x7f) {
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hex[s[i] >> 4];
            esc[3] = hex[s[i] & 15];
        } else {
            take = n;
        }
        size_t len = esc[0] ? strlen(esc) : take;
        if (o + len + 4 >= size)
            break;
        memcpy(out + o, esc[0] ? esc : (const char *)s + i, len);
        o += len;
        i += take;
    }
    if (s[i] && o + 4 <= size) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

void message_print(FILE *f, const char *program, const char *subject, const char *reason)
{
    /* Every byte of a part may become four: \xNN. */
    char a[4 * MESSAGE_MAX + 8], b[4 * MESSAGE_MAX + 8];
    if (subject)
        fprintf(f, "%s: %s: %s\n", program, message_clean(a, sizeof a, subject),
                message_clean(b, sizeof b, reason));
    else
        fprintf(f, "%s: %s\n", program, message_clean(b, sizeof b, reason));
}
