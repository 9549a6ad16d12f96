/* The one error line every program prints: "PROGRAM: SUBJECT: REASON".
 * Subjects and reasons may quote a file's attributes (units, calendar) or
 * its name, which a careless or hostile archive fills with anything: each
 * part is shown with control characters escaped (\n, \t, \r, \xNN), bytes
 * that are not UTF-8 as \xNN, and cut at MESSAGE_MAX bytes, so one failure
 * is one line, never a forged "FAILED:" line or a terminal escape. */
#ifndef T2I_MESSAGE_H
#define T2I_MESSAGE_H

#include <stddef.h>
#include <stdio.h>

/* Longest part shown, in bytes of input; longer ones end in "...". */
#define MESSAGE_MAX 1024

/* Writes text into out (size bytes, always terminated) as one line of
 * printable UTF-8. Returns out. */
char *message_clean(char *out, size_t size, const char *text);

/* Prints "program: subject: reason\n" (or "program: reason\n" when
 * subject is NULL), each part cleaned, to f. */
void message_print(FILE *f, const char *program, const char *subject, const char *reason);

#endif
