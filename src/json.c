/* One JSON document in memory (see json.h). */
#include "json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void json_init(t2i_json *j, size_t max)
{
    memset(j, 0, sizeof *j);
    j->max = max;
}

void json_free(t2i_json *j)
{
    free(j->buf);
    j->buf = NULL;
    j->len = j->cap = 0;
}

/* Room for n more bytes and the NUL; 0 when the document is full. */
static int reserve(t2i_json *j, size_t n)
{
    if (j->full)
        return 0;
    if (n > j->max || j->len + n + 1 > j->max) {
        j->full = 1;
        return 0;
    }
    if (j->len + n + 1 <= j->cap)
        return 1;
    size_t cap = j->cap ? j->cap : 1024;
    while (cap < j->len + n + 1)
        cap *= 2;
    if (cap > j->max)
        cap = j->max;
    char *b = realloc(j->buf, cap);
    if (!b) {
        j->full = 2;
        return 0;
    }
    j->buf = b;
    j->cap = cap;
    return 1;
}

void json_printf(t2i_json *j, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(j, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(j->buf + j->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    j->len += (size_t)n;
}

void json_string(t2i_json *j, const char *s)
{
    json_printf(j, "\"");
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            json_printf(j, "\\%c", *p);
        else if (*p < 0x20)
            json_printf(j, "\\u%04x", *p);
        else
            json_printf(j, "%c", *p);
    }
    json_printf(j, "\"");
}

void json_number(t2i_json *j, const char *fmt, double v)
{
    if (isfinite(v))
        json_printf(j, fmt, v);
    else
        json_printf(j, "null");
}
