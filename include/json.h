/* Building one JSON document in memory (run statistics, check results):
 * strings are escaped here and nowhere else. The buffer grows up to `max`
 * bytes; past that (or out of memory) the document is marked incomplete
 * rather than cut, since a cut text would read as the whole. */
#ifndef T2I_JSON_H
#define T2I_JSON_H

#include <stddef.h>

typedef struct {
    char *buf;      /* NUL-terminated text so far */
    size_t len, cap, max;
    int full;       /* 1: more than max bytes were needed; 2: out of memory */
} t2i_json;

void json_init(t2i_json *j, size_t max);
void json_free(t2i_json *j);

/* Appends raw text (keys, punctuation, formatted numbers). */
void json_printf(t2i_json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends s as a string literal: quoted, '"' and '\' escaped with a
 * backslash, control characters as \u00XX, other bytes (UTF-8) as they
 * are. NULL is the empty string. */
void json_string(t2i_json *j, const char *s);

/* Appends v printed with fmt, or null when v is not finite (JSON has no
 * NaN or infinity). */
void json_number(t2i_json *j, const char *fmt, double v);

#endif
