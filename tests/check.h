/* A twenty-line test harness in the spirit of netCDF's err_macros.h:
 * each CHECK prints one line (ok/FAIL, file:line, description), SKIP one
 * "skip" line for a check that cannot run here (counted apart, never as a
 * pass), and CHECK_SUMMARY prints the tally "N passed, M failed, K skipped"
 * and returns the exit status for main. The counters live in main's frame
 * (no globals): every test function takes a `t2i_tally *`. */
#ifndef T2I_CHECK_H
#define T2I_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Appends ".<this pid>": PATH.tmp becomes this process's temporary name
 * (tmppath.h). */
static inline void add_pid(char *buf, size_t size)
{
    size_t n = strlen(buf);
    if (n < size)
        snprintf(buf + n, size - n, ".%ld", (long)getpid());
}

typedef struct {
    int passed;
    int failed;
    int skipped;
} t2i_tally;

#define CHECK(t, cond, desc)                                                   \
    do {                                                                       \
        if (cond) {                                                            \
            (t)->passed++;                                                     \
            printf("ok   %s\n", (desc));                                       \
        } else {                                                               \
            (t)->failed++;                                                     \
            printf("FAIL %s:%d: %s (%s)\n", __FILE__, __LINE__, (desc),        \
                   #cond);                                                     \
        }                                                                      \
    } while (0)

#define CHECK_STR(t, got, want, desc)                                          \
    do {                                                                       \
        const char *g_ = (got), *w_ = (want);                                  \
        int same_ = g_ && w_ && strcmp(g_, w_) == 0;                           \
        CHECK(t, same_, desc);                                                 \
        if (!same_)                                                            \
            printf("     got  '%s'\n     want '%s'\n", g_ ? g_ : "(null)",   \
                   w_ ? w_ : "(null)");                                        \
    } while (0)

#define CHECK_NEAR(t, got, want, tol, desc)                                    \
    do {                                                                       \
        double g_ = (got), w_ = (want);                                        \
        int near_ = fabs(g_ - w_) <= (tol);                                    \
        CHECK(t, near_, desc);                                                 \
        if (!near_)                                                            \
            printf("     got  %.17g\n     want %.17g\n", g_, w_);              \
    } while (0)

#define SKIP(t, why)                                                           \
    do {                                                                       \
        (t)->skipped++;                                                        \
        printf("skip %s\n", (why));                                            \
    } while (0)

#define CHECK_SUMMARY(t)                                                       \
    (printf("%d passed, %d failed, %d skipped\n", (t)->passed, (t)->failed,    \
            (t)->skipped),                                                     \
     (t)->failed ? 1 : 0)

#endif
