/* Conventions shared by every module of trendy2ilamb: status codes, the
 * output fill value and the error-message helper.
 *
 * Every fallible function returns an int status (T2I_OK on success) and takes
 * `char *err, size_t errlen` last; on failure it writes one lower-case line
 * without a trailing full stop into err (names in single quotes). Callers
 * that only pass a failure upward return the status without touching err. */
#ifndef T2I_H
#define T2I_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Status codes double as the converter's exit codes (see main.h). */
enum {
    T2I_OK = 0,
    T2I_EINPUT = 1, /* bad or unsupported input */
    T2I_EUSAGE = 2, /* wrong command line */
    T2I_ESYS = 3    /* I/O or system failure: disk full, permissions, memory */
};

/* Missing-value marker of every output variable (CMIP/ILAMB convention). */
#define T2I_FILL 1.0e20f

/* Longest error message we build, in bytes. */
#define T2I_ERRLEN 512

/* Writes a formatted message into err and returns status, so a failure
 * reads `return t2i_fail(T2I_EINPUT, err, errlen, "...", ...);`. */
static inline int t2i_fail(int status, char *err, size_t errlen,
                           const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline int t2i_fail(int status, char *err, size_t errlen,
                           const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return status;
}


/* A run's notes: the quirks detected and the warnings raised, each a short
 * phrase, joined by "; ". They go to the output's global attributes and to
 * the --stats JSON, so a scientist can see every decision the converter made
 * about a file. Overflowing text is cut, never an error. */
typedef struct {
    char quirks[2048];
    char warnings[2048];
} t2i_notes;

static inline void t2i_note(char *list, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void t2i_note(char *list, size_t size, const char *fmt, ...)
{
    size_t used = strlen(list);
    if (used + 3 >= size)
        return;
    if (used) {
        memcpy(list + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(list + used, size - used, fmt, ap);
    va_end(ap);
}

#define T2I_QUIRK(notes, ...) t2i_note((notes)->quirks, sizeof (notes)->quirks, __VA_ARGS__)
#define T2I_WARN(notes, ...) t2i_note((notes)->warnings, sizeof (notes)->warnings, __VA_ARGS__)

#endif
