/* The checker's unit factors (see verify_units.h).
 * Shares no code with the converter (see verify.h). */
#include "verify_units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <udunits2.h>

#include "t2i.h"

/* Copies src into dst replacing every `from` by `to`. */
static void replace_all(char *dst, size_t size, const char *src, const char *from, const char *to)
{
    size_t n = 0, lf = strlen(from), lt = strlen(to);
    while (*src && n + 1 < size) {
        if (strncmp(src, from, lf) == 0 && n + lt + 1 < size) {
            memcpy(dst + n, to, lt);
            n += lt;
            src += lf;
        } else {
            dst[n++] = *src++;
        }
    }
    dst[n] = '\0';
}

/* Whether s[i] starts a unit token (string start or after a separator). */
static int token_start(const char *s, size_t i)
{
    return i == 0 || strchr(" /.*(", s[i - 1]) != NULL;
}

static int token_end(char c)
{
    return c == '\0' || strchr(" /.*)^-0123456789", c) != NULL;
}

/* Drops the carbon or nitrogen marker of "gC", "kgC", "KgC", "g C",
 * "kg_C", "kg[C]", fBNF's "gN", "kg N" (an element's mass is reported as
 * plain mass); leaves "degC" alone. */
static void drop_carbon(char *s)
{
    static const char *const markers[] = {"[C]", " C", "_C", "C", "[N]", " N", "_N", "N"};
    for (size_t i = 0; s[i]; i++) {
        size_t g = (s[i] == 'k' || s[i] == 'K') && s[i + 1] == 'g' ? i + 1 : i;
        if (s[g] != 'g' || !token_start(s, i))
            continue;
        for (size_t m = 0; m < sizeof markers / sizeof markers[0]; m++) {
            size_t lm = strlen(markers[m]);
            if (strncmp(s + g + 1, markers[m], lm) == 0 && token_end(s[g + 1 + lm])) {
                memmove(s + g + 1, s + g + 1 + lm, strlen(s + g + 1 + lm) + 1);
                break;
            }
        }
        if (s[i] == 'K')
            s[i] = 'k'; /* udunits2 has no "Kg" */
    }
}

/* Whole-string spellings of degrees Celsius: udunits2 reads "degrees C"
 * as nothing it knows and "degrees Celsius" as an angle times Celsius. */
static int is_celsius(const char *s)
{
    static const char *const names[] = {"degC", "deg C", "deg_C", "degree C", "degrees C",
                                        "degree_C", "degrees_C", "degree Celsius",
                                        "degrees Celsius", "Celsius", "C", NULL};
    for (const char *const *n = names; *n; n++)
        if (strcasecmp(s, *n) == 0)
            return 1;
    return 0;
}

/* Removes a per-month or per-year denominator ("month-1", "/yr", ...),
 * returning which one: those periods have no fixed length in seconds. */
static verify_per drop_period(char *s)
{
    static const struct {
        const char *text;
        verify_per per;
    } periods[] = {
        {" month-1", VERIFY_PER_MONTH}, {"/month", VERIFY_PER_MONTH}, {" mon-1", VERIFY_PER_MONTH},
        {"/mon", VERIFY_PER_MONTH},     {".month-1", VERIFY_PER_MONTH},
        {" yr-1", VERIFY_PER_YEAR},     {"/yr", VERIFY_PER_YEAR}, {" year-1", VERIFY_PER_YEAR},
        {"/year", VERIFY_PER_YEAR},     {".yr-1", VERIFY_PER_YEAR}, {" a-1", VERIFY_PER_YEAR},
    };
    for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
        size_t ls = strlen(s), lp = strlen(periods[i].text);
        if (ls >= lp && strcmp(s + ls - lp, periods[i].text) == 0) {
            s[ls - lp] = '\0';
            return periods[i].per;
        }
    }
    return VERIFY_PER_NONE;
}

/* "Kg" and "KG" at a token start are kilograms (CLASSIC "KgC/m2.s"). */
static void lower_kilo(char *s)
{
    for (size_t i = 0; s[i] && s[i + 1]; i++)
        if (s[i] == 'K' && (s[i + 1] == 'g' || s[i + 1] == 'G') && token_start(s, i)) {
            s[i] = 'k';
            s[i + 1] = 'g';
        }
}

/* In "a/b.c" the writer means a per b per c (CLASSIC "KgC/m2.s"); udunits2
 * reads b times c. A '.' inside a divided run, before a term without an
 * exponent, becomes '/' ("kg/m2.s-1" stays as udunits2 reads it). */
static void divide_dotted(char *s)
{
    int divided = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '/')
            divided = 1;
        else if (s[i] == ' ' || s[i] == '(' || s[i] == ')')
            divided = 0;
        else if (s[i] == '.' && divided && isalpha((unsigned char)s[i + 1])) {
            size_t e = i + 1;
            while (isalpha((unsigned char)s[e]))
                e++;
            if (s[e] == '\0' || s[e] == '/' || s[e] == '.' || s[e] == ' ')
                s[i] = '/';
        }
    }
}

/* TRENDY spelling -> text udunits2 parses, plus the per-period part. */
static verify_per normalise_units(const char *from, const char *to, char *out, size_t size)
{
    char a[256], b[256];
    snprintf(a, sizeof a, "%s", from ? from : "");
    char *s = a;
    while (isspace((unsigned char)*s))
        s++;
    memmove(a, s, strlen(s) + 1);
    for (size_t n = strlen(a); n && isspace((unsigned char)a[n - 1]); n--)
        a[n - 1] = '\0';
    if (!a[0] || strcmp(a, "-") == 0 || strcasecmp(a, "fraction") == 0 ||
        strcasecmp(a, "none") == 0)
        snprintf(a, sizeof a, "1");
    if (is_celsius(a))
        snprintf(a, sizeof a, "degC");
    lower_kilo(a);
    divide_dotted(a);
    drop_carbon(a);
    verify_per per = drop_period(a);
    /* A depth of water: 1 mm over 1 m2 weighs 1 kg. */
    if (strstr(to, "kg") && strncmp(a, "mm", 2) == 0 && token_end(a[2])) {
        replace_all(b, sizeof b, a, "mm", "kg m-2");
        snprintf(a, sizeof a, "%s", b);
    }
    snprintf(out, size, "%s", a);
    return per;
}

/* udunits2 wants its unit system; loaded per call (a few ms per file) so
 * no global state is kept. */
static int udunits_convert(const char *from, const char *to, verify_factor *f, char *why,
                           size_t whylen)
{
    ut_set_error_message_handler(ut_ignore);
    ut_system *sys = ut_read_xml(NULL);
    if (!sys)
        return t2i_fail(-1, why, whylen, "cannot read the udunits2 database");
    ut_unit *a = ut_parse(sys, from, UT_ASCII), *b = ut_parse(sys, to, UT_ASCII);
    cv_converter *cv = a && b ? ut_get_converter(a, b) : NULL;
    int st = 0;
    if (!a || !b)
        st = t2i_fail(-1, why, whylen, "udunits2 cannot parse '%s'", !a ? from : to);
    else if (!cv)
        st = t2i_fail(-1, why, whylen, "'%s' cannot be converted to '%s'", from, to);
    else {
        f->offset = cv_convert_double(cv, 0.0);
        f->factor = cv_convert_double(cv, 1.0) - f->offset;
    }
    cv_free(cv);
    ut_free(a);
    ut_free(b);
    ut_free_system(sys);
    return st;
}

int verify_units(const char *from, const char *to, verify_factor *f, char *why, size_t whylen)
{
    char src[256], dst[256];
    f->per = normalise_units(from, to, src, sizeof src);
    /* A per-period amount converts to the target rate times seconds. */
    snprintf(dst, sizeof dst, f->per == VERIFY_PER_NONE ? "%s" : "(%s) s", to);
    return udunits_convert(src, dst, f, why, whylen);
}
