/* Converting TRENDY unit strings to CMIP6 units with udunits2 (section U of
 * doc/quirks.md).
 *
 * A unit string is read as a row of terms, each a separator run, a symbol and
 * an exponent ("kg", "/m2", " s-1"). Normalising drops or replaces whole
 * terms and copies everything else verbatim, so what udunits2 is given stays
 * recognisable in messages ("gC/m2/day" becomes "g/m2/day"). */
#include "units.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <udunits2.h>

#include "t2i.h"

/* One term of a unit string, as byte offsets into the trimmed string. */
typedef struct {
    size_t sep;       /* separator run before the term: blanks / . * ( ) */
    size_t sym;       /* symbol ("kgC", "m", "%") or number ("1e-3") */
    size_t exp;       /* exponent text ("-2", "^-2", "**-2", "2"), may be empty */
    size_t end;       /* one past the exponent */
    int power;        /* exponent as written; 1 when absent */
    int divided;      /* separator holds '/': udunits2 divides by this term only */
    int dot_divided;  /* a bare "." right after a divided term: divided too */
    int plain;        /* separator is blanks only (or empty) */
    int grouped;      /* in or next to parentheses: its power is not its own */
    int mass;         /* symbol is a mass, possibly of carbon ("gC") */
    int deg;          /* symbol is "deg", "degree" or "degrees" */
    int drop;         /* leave the term (and its separator) out */
    const char *repl; /* replaces the symbol when not NULL */
} units_term;

/* Output buffer that records overflow instead of truncating silently. */
typedef struct {
    char *buf;
    size_t cap; /* bytes, terminating NUL included */
    size_t len; /* bytes written, NUL excluded */
    int full;
} units_out;

/* Mass symbols a carbon amount is written with ("PgC" in budgets). */
static const char *const UNITS_MASS[] = {"kg", "g", "mg", "Mg", "Gg", "Tg", "Pg"};

/* Suffixes marking a carbon mass ("kgC", "kg[C]", "kg_C") or a nitrogen
 * mass (fBNF's "kgN m-2 s-1", "gN/m2/day"); "" is the mass itself, listed so
 * that "Kg" and "KG" are read as kilograms too. */
static const char *const UNITS_CARBON[] = {"", "C", "[C]", "_C", "N", "[N]", "_N"};

#define UNITS_COUNT(a) (sizeof(a) / sizeof *(a))

/* Whether s[0..n) equals w, ignoring letter case if nocase. */
static int units_word(const char *s, size_t n, const char *w, int nocase)
{
    if (strlen(w) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int a = (unsigned char)s[i], b = (unsigned char)w[i];
        if (nocase) {
            a = tolower(a);
            b = tolower(b);
        }
        if (a != b)
            return 0;
    }
    return 1;
}

/* Points *s and *n at text without leading and trailing white space:
 * ut_parse refuses untrimmed strings. */
static void units_trim(const char *text, const char **s, size_t *n)
{
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)*text)) {
        text++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    *s = text;
    *n = len;
}

static int units_is_digit(char c) { return c >= '0' && c <= '9'; }

static int units_is_sep(char c)
{
    return c == ' ' || c == '\t' || c == '/' || c == '.' || c == '*' ||
           c == '(' || c == ')';
}

/* The canonical mass symbol of s[0..n) when it is a mass or a carbon mass,
 * NULL otherwise. Letter case is ignored for "kg" and "g" only ("KgC", "GC"):
 * for the other prefixes it tells milli from mega. */
static const char *units_mass(const char *s, size_t n)
{
    for (size_t m = 0; m < UNITS_COUNT(UNITS_MASS); m++) {
        size_t ml = strlen(UNITS_MASS[m]);
        int nocase = m < 2;
        if (n < ml || !units_word(s, ml, UNITS_MASS[m], nocase))
            continue;
        for (size_t c = 0; c < UNITS_COUNT(UNITS_CARBON); c++) {
            if (m == 1 && c == 0 && s[0] != 'g')
                continue; /* a lone "G" is not a gram */
            if (units_word(s + ml, n - ml, UNITS_CARBON[c], nocase))
                return UNITS_MASS[m];
        }
    }
    return NULL;
}

/* Which calendar period s[0..n) names, if any. */
static t2i_per units_period(const char *s, size_t n)
{
    static const char *const months[] = {"month", "months", "mon"};
    static const char *const years[] = {"yr", "yrs", "year", "years"};
    for (size_t i = 0; i < UNITS_COUNT(months); i++)
        if (units_word(s, n, months[i], 1))
            return T2I_PER_MONTH;
    for (size_t i = 0; i < UNITS_COUNT(years); i++)
        if (units_word(s, n, years[i], 1))
            return T2I_PER_YEAR;
    /* "a-1" is per annum; case matters: "A" is the ampere. */
    return units_word(s, n, "a", 0) ? T2I_PER_YEAR : T2I_PER_NONE;
}

/* Length of the exponent at s[i..n): optional "^" or "**", optional sign,
 * digits. 0 (and *power untouched) when there are no digits. */
static size_t units_exponent(const char *s, size_t n, size_t i, int *power)
{
    size_t j = i;
    int sign = 1, value = 0;
    if (j < n && s[j] == '^')
        j++;
    else if (j + 1 < n && s[j] == '*' && s[j + 1] == '*')
        j += 2;
    if (j < n && (s[j] == '-' || s[j] == '+'))
        sign = s[j++] == '-' ? -1 : 1;
    size_t digits = j;
    for (; j < n && units_is_digit(s[j]); j++)
        if (value < 1000) /* any bigger power is nonsense anyway */
            value = value * 10 + (s[j] - '0');
    if (j == digits)
        return 0;
    *power = sign * value;
    return j - i;
}

/* Length of the number at s[i..n) ("1", "0.001", "1e-3"), 0 if none. */
static size_t units_number(const char *s, size_t n, size_t i)
{
    size_t j = i;
    if (j < n && (s[j] == '-' || s[j] == '+'))
        j++;
    if (j >= n || !units_is_digit(s[j]))
        return 0;
    while (j < n && units_is_digit(s[j]))
        j++;
    if (j + 1 < n && s[j] == '.' && units_is_digit(s[j + 1]))
        for (j++; j < n && units_is_digit(s[j]); j++)
            ;
    if (j + 1 < n && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < n && (s[k] == '-' || s[k] == '+'))
            k++;
        if (k < n && units_is_digit(s[k]))
            for (j = k; j < n && units_is_digit(s[j]); j++)
                ;
    }
    return j - i;
}

/* Reads the separator run at *pos into t, then the term after it. Returns 0
 * when only separators remain (t then spans them: the tail), 1 otherwise.
 * *depth counts open parentheses. */
static int units_next(const char *s, size_t n, size_t *pos, int *depth,
                      units_term *t, int *after_div)
{
    size_t i = *pos;
    memset(t, 0, sizeof *t);
    t->sep = i;
    t->plain = 1;
    t->power = 1;
    for (; i < n && units_is_sep(s[i]); i++) {
        t->divided |= s[i] == '/';
        t->plain &= s[i] == ' ' || s[i] == '\t';
        if (s[i] == '(' || s[i] == ')') {
            t->grouped = 1;
            *depth += s[i] == '(' ? 1 : -1;
        }
    }
    t->sym = i;
    if (i >= n) {
        *pos = n;
        return 0;
    }
    size_t len = units_number(s, n, i);
    if (len == 0) {
        while (i + len < n && !units_is_sep(s[i + len]) &&
               !strchr("^+-0123456789", s[i + len]))
            len++;
        if (len == 0)
            len = 1; /* a stray '^' or sign becomes a one-byte symbol */
    }
    t->exp = i + len;
    t->end = t->exp + units_exponent(s, n, t->exp, &t->power);
    t->grouped |= *depth > 0;
    /* CLASSIC's "KgC/m2.s" means per square metre per second: a term joined
     * by a lone "." to a divided one, with no exponent of its own, is in the
     * denominator too (udunits2 would multiply by the second). */
    if (*after_div && t->sym == t->sep + 1 && s[t->sep] == '.' && t->exp == t->end &&
        !t->grouped) {
        t->divided = 1;
        t->dot_divided = 1;
    }
    *after_div = t->divided;
    *pos = t->end;
    return 1;
}

/* Finds the one rate per calendar month or year, to be split off. Any other
 * month or year (two of them, a positive power, inside parentheses) is an
 * error: udunits2 would silently use its average month or year. */
static int units_find_period(const char *s, size_t n, t2i_per *per,
                             size_t *at, char *err, size_t errlen)
{
    size_t pos = 0;
    int depth = 0, count = 0, after_div = 0;
    units_term t;
    *per = T2I_PER_NONE;
    *at = SIZE_MAX;
    while (units_next(s, n, &pos, &depth, &t, &after_div)) {
        t2i_per p = units_period(s + t.sym, t.exp - t.sym);
        int power = t.divided ? -t.power : t.power;
        if (p == T2I_PER_NONE)
            continue;
        if (++count > 1 || power != -1 || t.grouped)
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "units '%.*s' hold a month or year that is not "
                            "a single rate", (int)n, s);
        *per = p;
        *at = t.sym;
    }
    return T2I_OK;
}

/* Rewrites one term on its own: carbon mass and water depth. */
static void units_rewrite_term(const char *s, units_term *t, int water)
{
    const char *sym = s + t->sym;
    size_t n = t->exp - t->sym;
    const char *mass = units_mass(sym, n);
    if (mass) {
        t->mass = 1;
        t->repl = mass;
    }
    t->deg = units_word(sym, n, "deg", 1) || units_word(sym, n, "degree", 1) ||
             units_word(sym, n, "degrees", 1);
    /* 1 mm of water over 1 m2 weighs 1 kg. */
    if (water && units_word(sym, n, "mm", 0) && t->exp == t->end &&
        !t->divided && !t->grouped)
        t->repl = "kg m-2";
}

/* Rewrites a term together with the one before it: "g C" is a carbon mass,
 * "degrees C" a temperature (a lone "C" is the coulomb to udunits2). */
static void units_rewrite_pair(const char *s, units_term *prev,
                               units_term *cur)
{
    const char *sym = s + cur->sym;
    size_t n = cur->exp - cur->sym;
    if (!cur->plain || cur->exp != cur->end || prev->exp != prev->end)
        return;
    /* After a mass, "N" is nitrogen ("g N m-2"), not the newton. */
    if (prev->mass && (units_word(sym, n, "C", 0) || units_word(sym, n, "N", 0))) {
        cur->drop = 1;
    } else if (prev->deg && (units_word(sym, n, "C", 0) ||
                             units_word(sym, n, "Celsius", 1))) {
        prev->repl = "degC";
        cur->drop = 1;
    }
}

static void units_put(units_out *o, const char *p, size_t n)
{
    if (o->full || o->len + n >= o->cap) {
        o->full = 1;
        return;
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

/* Writes a term with its separator; blanks before the first output term are
 * left out (they remain when a leading term was dropped). */
static void units_emit(units_out *o, const char *s, const units_term *t)
{
    if (t->drop)
        return;
    if (t->dot_divided)
        units_put(o, "/", 1);
    else if (o->len > 0 || !t->plain)
        units_put(o, s + t->sep, t->sym - t->sep);
    if (t->repl)
        units_put(o, t->repl, strlen(t->repl));
    else
        units_put(o, s + t->sym, t->exp - t->sym);
    units_put(o, s + t->exp, t->end - t->exp);
}

/* Copies s[0..n) into o term by term, dropping the period term at split_at
 * and applying the carbon, temperature and (if water) water rewrites. Each
 * term is written only after its successor is seen, which may rewrite it. */
static void units_rewrite(const char *s, size_t n, size_t split_at, int water,
                          units_out *o)
{
    size_t pos = 0;
    int depth = 0, have = 0, after_div = 0;
    units_term prev, cur;
    while (units_next(s, n, &pos, &depth, &cur, &after_div)) {
        units_rewrite_term(s, &cur, water);
        cur.drop = cur.sym == split_at;
        if (have) {
            units_rewrite_pair(s, &prev, &cur);
            units_emit(o, s, &prev);
        }
        prev = cur;
        have = 1;
    }
    if (have)
        units_emit(o, s, &prev);
    if (o->len > 0 || !cur.plain)
        units_put(o, s + cur.sep, n - cur.sep);
}

/* Spellings of a pure number: "-" and "fraction" (burntArea), no units,
 * CLM5.0's "None" on lai. */
static int units_dimensionless(const char *s, size_t n)
{
    return n == 0 || units_word(s, n, "-", 0) || units_word(s, n, "none", 1) ||
           units_word(s, n, "fraction", 1) ||
           units_word(s, n, "unitless", 1) ||
           units_word(s, n, "dimensionless", 1);
}

/* Whether the CMIP6 target is a mass per area, where water depth applies. */
static int units_water(const char *to)
{
    const char *s;
    size_t n;
    units_trim(to, &s, &n);
    return units_word(s, n, "kg m-2", 0) || units_word(s, n, "kg m-2 s-1", 0);
}

/* Whether the target is the pure number "1", the only one an empty unit
 * may mean: for "%" it could be a fraction or a percentage. */
static int units_dimensionless_target(const char *to)
{
    const char *s;
    size_t n;
    units_trim(to, &s, &n);
    return units_word(s, n, "1", 0);
}

int units_normalise(const char *from, const char *to, char *out,
                    size_t outlen, t2i_per *per, char *err, size_t errlen)
{
    const char *s;
    size_t n, split_at;
    units_out o = {out, outlen, 0, outlen == 0};
    units_trim(from ? from : "", &s, &n);
    *per = T2I_PER_NONE;
    if (outlen > 0)
        out[0] = '\0';
    if (units_dimensionless(s, n)) {
        units_put(&o, "1", 1);
    } else {
        int status = units_find_period(s, n, per, &split_at, err, errlen);
        if (status)
            return status;
        units_rewrite(s, n, split_at, to && units_water(to), &o);
    }
    if (o.full)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "normalised units of '%.*s' do not fit in %zu bytes",
                        (int)n, s, outlen);
    return T2I_OK;
}

/* Parses the target unit; for a rate split off per month or year, the
 * amount it is compared with is the target times one second. */
static int units_parse_target(ut_system *sys, const char *to, t2i_per per,
                              ut_unit **unit, char *err, size_t errlen)
{
    char text[sizeof((t2i_units_conv *)0)->normalised];
    const char *s;
    size_t n;
    units_trim(to, &s, &n);
    if (n >= sizeof text)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "target units '%.*s' are longer than %zu bytes",
                        (int)n, s, sizeof text - 1);
    memcpy(text, s, n);
    text[n] = '\0';
    *unit = ut_parse(sys, text, UT_ASCII);
    if (!*unit)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "units '%s' not understood by udunits2", text);
    if (per == T2I_PER_NONE)
        return T2I_OK;
    ut_unit *second = ut_parse(sys, "s", UT_ASCII);
    ut_unit *amount = second ? ut_multiply(*unit, second) : NULL;
    if (second)
        ut_free(second);
    if (!amount)
        return t2i_fail(T2I_ESYS, err, errlen,
                        "ut_multiply of '%s' by 's' failed (udunits2 status "
                        "%d)", text, (int)ut_get_status());
    ut_free(*unit);
    *unit = amount;
    return T2I_OK;
}

/* Fills conv->scale and conv->offset from a converter: exact for pure
 * scales, since cv_convert_double(c, 0) is then exactly 0. */
static int units_factor(ut_unit *src, ut_unit *dst, const char *from,
                        const char *to, t2i_units_conv *conv, char *err,
                        size_t errlen)
{
    if (!ut_are_convertible(src, dst))
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "cannot convert units '%s' to '%s'", from, to);
    cv_converter *cv = ut_get_converter(src, dst);
    if (!cv)
        return t2i_fail(T2I_ESYS, err, errlen,
                        "ut_get_converter from '%s' to '%s' failed (udunits2 "
                        "status %d)", from, to, (int)ut_get_status());
    conv->offset = cv_convert_double(cv, 0.0);
    conv->scale = cv_convert_double(cv, 1.0) - conv->offset;
    cv_free(cv);
    return T2I_OK;
}

/* Loads the unit database, parses both units and fills the factors; frees
 * everything it allocated on every path. */
static int units_solve(const char *from, const char *to, t2i_units_conv *conv,
                       char *err, size_t errlen)
{
    ut_unit *src = NULL, *dst = NULL;
    int status = T2I_OK;
    ut_system *sys = ut_read_xml(NULL);
    if (!sys)
        return t2i_fail(T2I_ESYS, err, errlen,
                        "ut_read_xml could not load the udunits2 database "
                        "(udunits2 status %d)", (int)ut_get_status());
    src = ut_parse(sys, conv->normalised, UT_ASCII);
    if (!src) {
        status = t2i_fail(T2I_EINPUT, err, errlen,
                          "units '%s' not understood by udunits2 (normalised "
                          "'%s')", from, conv->normalised);
        goto done;
    }
    status = units_parse_target(sys, to, conv->per, &dst, err, errlen);
    if (status)
        goto done;
    status = units_factor(src, dst, from, to, conv, err, errlen);
done:
    if (dst)
        ut_free(dst);
    if (src)
        ut_free(src);
    ut_free_system(sys);
    return status;
}

/* "gC m-2 day-1 -> kg m-2 s-1 (x 1.1574074074074073e-08)". */
static void units_summarise(const char *from, const char *to,
                            t2i_units_conv *conv)
{
    char offset[48] = "", per[40] = "";
    if (conv->offset != 0.0)
        snprintf(offset, sizeof offset, ", + %.17g", conv->offset);
    if (conv->per != T2I_PER_NONE)
        snprintf(per, sizeof per, ", / seconds of each %s",
                 conv->per == T2I_PER_MONTH ? "month" : "year");
    int len = snprintf(conv->summary, sizeof conv->summary,
                       "%s -> %s (x %.17g%s%s)", *from ? from : "''", to,
                       conv->scale, offset, per);
    /* Only absurdly long unit strings get here; say the line is cut. */
    if (len < 0 || (size_t)len >= sizeof conv->summary)
        strcpy(conv->summary + sizeof conv->summary - sizeof "...", "...");
}

int units_plan(const char *from, const char *to, t2i_units_conv *conv,
               char *err, size_t errlen)
{
    char shown[sizeof conv->summary];
    const char *s;
    size_t n;
    memset(conv, 0, sizeof *conv);
    conv->scale = 1.0;
    units_trim(from ? from : "", &s, &n);
    snprintf(shown, sizeof shown, "%.*s", (int)n, s);
    to = to ? to : "";
    if (n == 0 && !units_dimensionless_target(to))
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "empty units cannot be converted to '%s'", to);
    int status = units_normalise(s, to, conv->normalised,
                                 sizeof conv->normalised, &conv->per, err,
                                 errlen);
    if (status)
        return status;
    /* udunits2 prints its own messages unless told not to; restore the
     * caller's handler afterwards. */
    ut_error_message_handler handler = ut_set_error_message_handler(ut_ignore);
    status = units_solve(shown, to, conv, err, errlen);
    ut_set_error_message_handler(handler);
    if (status == T2I_OK)
        units_summarise(shown, to, conv);
    return status;
}
