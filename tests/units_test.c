/* Tests of src/units.c: every spelling of doc/quirks.md section U against
 * factors worked out by hand, the normalised strings udunits2 is given, and
 * every error message word for word. */
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <udunits2.h>

#include "check.h"
#include "t2i.h"

/* Hand-computed truth, independent of udunits2. */
#define KG_PER_G 1.0e-3            /* kilograms in a gram */
#define M_PER_MM 1.0e-3            /* metres in a millimetre */
#define S_PER_DAY 86400.0          /* seconds in a day ("day", "d") */
#define S_PER_FORTNIGHT 1209600.0  /* 14 days of 86400 s */
#define PERCENT_PER_ONE 100.0      /* a fraction of 1 is 100 % */
#define K_AT_ZERO_CELSIUS 273.15   /* kelvin at 0 degrees Celsius */

/* Relative tolerance on factors udunits2 builds through its own chain of
 * products: a few units in the last place of a double. */
#define FACTOR_RTOL 1.0e-15

/* A description buffer for CHECK lines, in bytes. */
#define DESC_LEN 320

typedef struct {
    const char *from;
    const char *to;
    double scale;
    double offset;
    t2i_per per;
} plan_case;

typedef struct {
    const char *from;
    const char *to;
    const char *want; /* normalised text */
    t2i_per per;
} norm_case;

typedef struct {
    const char *from;
    const char *to;
    const char *want; /* error message */
} fail_case;

static const char *per_name(t2i_per per)
{
    return per == T2I_PER_MONTH ? "month"
           : per == T2I_PER_YEAR ? "year"
                                 : "none";
}

static int near_rel(double got, double want)
{
    return fabs(got - want) <= FACTOR_RTOL * fabs(want);
}

/* Section 4's table, line by line, then the other spellings the module
 * promises. */
static const plan_case PLANS[] = {
    /* fluxes as is */
    {"kg m-2 s-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"kg/m2/s", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"kg m^-2 s^-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"kg.m-2.s-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"kg m**-2 s**-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    /* carbon mass */
    {"kgC m-2 s-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"kg C m-2 s-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"kgC/m2/s", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    /* CLASSIC (section 9): "m2.s" after "/" is per m2 per second. */
    {"KgC/m2.s", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"gC/m2.day", "kg m-2 s-1", KG_PER_G / S_PER_DAY, 0.0, T2I_PER_NONE},
    {"KgC/m2", "kg m-2", 1.0, 0.0, T2I_PER_NONE},
    {"None", "1", 1.0, 0.0, T2I_PER_NONE},
    {"KgC m-2 s-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"Kg m-2 s-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"kg[C] m-2 s-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"kg_C m-2 s-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"gC m-2 day-1", "kg m-2 s-1", KG_PER_G / S_PER_DAY, 0.0, T2I_PER_NONE},
    {"g C m-2 d-1", "kg m-2 s-1", KG_PER_G / S_PER_DAY, 0.0, T2I_PER_NONE},
    {"gC/m2/day", "kg m-2 s-1", KG_PER_G / S_PER_DAY, 0.0, T2I_PER_NONE},
    {"GC m-2 d-1", "kg m-2 s-1", KG_PER_G / S_PER_DAY, 0.0, T2I_PER_NONE},
    {"gC/m2/fortnight", "kg m-2 s-1", KG_PER_G / S_PER_FORTNIGHT, 0.0,
     T2I_PER_NONE},
    /* per calendar year */
    {"gC m-2 yr-1", "kg m-2 s-1", KG_PER_G, 0.0, T2I_PER_YEAR},
    {"g C m-2 year-1", "kg m-2 s-1", KG_PER_G, 0.0, T2I_PER_YEAR},
    {"gC/m2/yr", "kg m-2 s-1", KG_PER_G, 0.0, T2I_PER_YEAR},
    {"gC/m2/year", "kg m-2 s-1", KG_PER_G, 0.0, T2I_PER_YEAR},
    {"gC m-2 a-1", "kg m-2 s-1", KG_PER_G, 0.0, T2I_PER_YEAR},
    {"kgC m-2 yr-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_YEAR},
    /* per calendar month */
    {"kg m-2 month-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_MONTH},
    {"gC m-2 month-1", "kg m-2 s-1", KG_PER_G, 0.0, T2I_PER_MONTH},
    {"kg/m2/month", "kg m-2 s-1", 1.0, 0.0, T2I_PER_MONTH},
    {"gC m-2 mon-1", "kg m-2 s-1", KG_PER_G, 0.0, T2I_PER_MONTH},
    /* fBNF: nitrogen mass, as carbon */
    {"kgN m-2 s-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"gN m-2 day-1", "kg m-2 s-1", KG_PER_G / S_PER_DAY, 0.0, T2I_PER_NONE},
    {"g N m-2 yr-1", "kg m-2 s-1", KG_PER_G, 0.0, T2I_PER_YEAR},
    {"gN/m2/day", "kg m-2 s-1", KG_PER_G / S_PER_DAY, 0.0, T2I_PER_NONE},
    /* pools */
    {"kgC m-2", "kg m-2", 1.0, 0.0, T2I_PER_NONE},
    {"gC/m2", "kg m-2", KG_PER_G, 0.0, T2I_PER_NONE},
    {"gC m-2", "kg m-2", KG_PER_G, 0.0, T2I_PER_NONE},
    {"g C/m2", "kg m-2", KG_PER_G, 0.0, T2I_PER_NONE},
    {"kg m-2", "kg m-2", 1.0, 0.0, T2I_PER_NONE},
    /* water depth */
    {"mm/day", "kg m-2 s-1", 1.0 / S_PER_DAY, 0.0, T2I_PER_NONE},
    {"mm d-1", "kg m-2 s-1", 1.0 / S_PER_DAY, 0.0, T2I_PER_NONE},
    {"mm s-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"mm/s", "kg m-2 s-1", 1.0, 0.0, T2I_PER_NONE},
    {"mm month-1", "kg m-2 s-1", 1.0, 0.0, T2I_PER_MONTH},
    {"mm/month", "kg m-2 s-1", 1.0, 0.0, T2I_PER_MONTH},
    {"mm", "kg m-2", 1.0, 0.0, T2I_PER_NONE},
    /* a length target keeps mm a length */
    {"mm/day", "m s-1", M_PER_MM / S_PER_DAY, 0.0, T2I_PER_NONE},
    /* burntArea */
    {"fraction", "%", PERCENT_PER_ONE, 0.0, T2I_PER_NONE},
    {"1", "%", PERCENT_PER_ONE, 0.0, T2I_PER_NONE},
    {"-", "%", PERCENT_PER_ONE, 0.0, T2I_PER_NONE},
    {"%", "%", 1.0, 0.0, T2I_PER_NONE},
    /* lai */
    {"m2/m2", "1", 1.0, 0.0, T2I_PER_NONE},
    {"m2 m-2", "1", 1.0, 0.0, T2I_PER_NONE},
    {"m2.m-2", "1", 1.0, 0.0, T2I_PER_NONE},
    {"1", "1", 1.0, 0.0, T2I_PER_NONE},
    {"", "1", 1.0, 0.0, T2I_PER_NONE},
    {"  ", "1", 1.0, 0.0, T2I_PER_NONE},
    /* tas */
    {"degC", "K", 1.0, K_AT_ZERO_CELSIUS, T2I_PER_NONE},
    {"degrees C", "K", 1.0, K_AT_ZERO_CELSIUS, T2I_PER_NONE},
    {"deg C", "K", 1.0, K_AT_ZERO_CELSIUS, T2I_PER_NONE},
    {"degrees_C", "K", 1.0, K_AT_ZERO_CELSIUS, T2I_PER_NONE},
    {"Celsius", "K", 1.0, K_AT_ZERO_CELSIUS, T2I_PER_NONE},
    {"degrees Celsius", "K", 1.0, K_AT_ZERO_CELSIUS, T2I_PER_NONE},
    {"K", "K", 1.0, 0.0, T2I_PER_NONE},
    /* rsds */
    {"W/m2", "W m-2", 1.0, 0.0, T2I_PER_NONE},
    {"W m-2", "W m-2", 1.0, 0.0, T2I_PER_NONE},
    /* blanks around either string */
    {"  gC m-2 day-1 ", " kg m-2 s-1 ", KG_PER_G / S_PER_DAY, 0.0,
     T2I_PER_NONE},
};

static void check_plan(t2i_tally *t, const plan_case *c)
{
    t2i_units_conv conv;
    char err[T2I_ERRLEN] = "", desc[DESC_LEN];
    int status = units_plan(c->from, c->to, &conv, err, sizeof err);
    int ok = status == T2I_OK && near_rel(conv.scale, c->scale) &&
             near_rel(conv.offset, c->offset) && conv.per == c->per;
    snprintf(desc, sizeof desc, "'%s' -> '%s' is x %.17g + %.17g per %s",
             c->from, c->to, c->scale, c->offset, per_name(c->per));
    CHECK(t, ok, desc);
    if (!ok)
        printf("     got status %d '%s': x %.17g + %.17g per %s\n", status,
               err, conv.scale, conv.offset, per_name(conv.per));
}

static const norm_case NORMS[] = {
    {"gC m-2 day-1", "kg m-2 s-1", "g m-2 day-1", T2I_PER_NONE},
    {"g C m-2 d-1", "kg m-2 s-1", "g m-2 d-1", T2I_PER_NONE},
    {"g C/m2", "kg m-2", "g/m2", T2I_PER_NONE},
    {"KgC/m2/s", "kg m-2 s-1", "kg/m2/s", T2I_PER_NONE},
    {"kg m^-2 s^-1", "kg m-2 s-1", "kg m^-2 s^-1", T2I_PER_NONE},
    {"gC m-2 yr-1", "kg m-2 s-1", "g m-2", T2I_PER_YEAR},
    {"gC/m2/year", "kg m-2 s-1", "g/m2", T2I_PER_YEAR},
    {"kg/m2/month", "kg m-2 s-1", "kg/m2", T2I_PER_MONTH},
    {"kg m-2 month-1", "kg m-2 s-1", "kg m-2", T2I_PER_MONTH},
    {"month-1 kg m-2", "kg m-2 s-1", "kg m-2", T2I_PER_MONTH},
    {"mm/day", "kg m-2 s-1", "kg m-2/day", T2I_PER_NONE},
    {"mm", "kg m-2", "kg m-2", T2I_PER_NONE},
    {"mm/day", "K", "mm/day", T2I_PER_NONE},
    {"mm/day", "m s-1", "mm/day", T2I_PER_NONE},
    {"degrees C", "K", "degC", T2I_PER_NONE},
    {"deg C", "K", "degC", T2I_PER_NONE},
    {"fraction", "%", "1", T2I_PER_NONE},
    {"-", "%", "1", T2I_PER_NONE},
    {"", "1", "1", T2I_PER_NONE},
    {"  kg m-2  ", "kg m-2", "kg m-2", T2I_PER_NONE},
    {"kg/(m2 s)", "kg m-2 s-1", "kg/(m2 s)", T2I_PER_NONE},
    {"C", "K", "C", T2I_PER_NONE},
    {"A-1", "K", "A-1", T2I_PER_NONE},
};

static void check_norm(t2i_tally *t, const norm_case *c)
{
    char out[160] = "", err[T2I_ERRLEN] = "", desc[DESC_LEN];
    t2i_per per = T2I_PER_NONE;
    int status = units_normalise(c->from, c->to, out, sizeof out, &per, err,
                                 sizeof err);
    snprintf(desc, sizeof desc, "'%s' (to '%s') normalises to '%s' per %s",
             c->from, c->to, c->want, per_name(c->per));
    CHECK_STR(t, status == T2I_OK && per == c->per ? out : err, c->want,
              desc);
}

static const fail_case FAILS[] = {
    {"days sinse", "kg m-2 s-1",
     "units 'days sinse' not understood by udunits2 (normalised 'days "
     "sinse')"},
    {"banana", "kg m-2",
     "units 'banana' not understood by udunits2 (normalised 'banana')"},
    {"gC/m2/fortnite", "kg m-2 s-1",
     "units 'gC/m2/fortnite' not understood by udunits2 (normalised "
     "'g/m2/fortnite')"},
    {" banana ", "kg m-2",
     "units 'banana' not understood by udunits2 (normalised 'banana')"},
    {"K", "kg m-2 s-1", "cannot convert units 'K' to 'kg m-2 s-1'"},
    {"mm", "K", "cannot convert units 'mm' to 'K'"},
    {"", "kg m-2", "empty units cannot be converted to 'kg m-2'"},
    {"", "%", "empty units cannot be converted to '%'"},
    {"-", "kg m-2", "cannot convert units '-' to 'kg m-2'"},
    {"gC m-2 yr-1", "kg m-2", "cannot convert units 'gC m-2 yr-1' to 'kg m-2'"},
    {"kg m-2 month-1", "kg m-2",
     "cannot convert units 'kg m-2 month-1' to 'kg m-2'"},
    {"gC m-2", "kg m-2 s-1", "cannot convert units 'gC m-2' to 'kg m-2 s-1'"},
    {"kg m-2 month-1 yr-1", "kg m-2 s-1",
     "units 'kg m-2 month-1 yr-1' hold a month or year that is not a single "
     "rate"},
    {"kg m-2 month", "kg m-2 s-1",
     "units 'kg m-2 month' hold a month or year that is not a single rate"},
    {"kg m-2/month-1", "kg m-2 s-1",
     "units 'kg m-2/month-1' hold a month or year that is not a single rate"},
    {"kg/(m2 month)", "kg m-2 s-1",
     "units 'kg/(m2 month)' hold a month or year that is not a single rate"},
    {"kg m-2 s-1", "banana", "units 'banana' not understood by udunits2"},
};

static void check_fail(t2i_tally *t, const fail_case *c)
{
    t2i_units_conv conv;
    char err[T2I_ERRLEN] = "", desc[DESC_LEN];
    int status = units_plan(c->from, c->to, &conv, err, sizeof err);
    snprintf(desc, sizeof desc, "'%s' -> '%s' fails with its message",
             c->from, c->to);
    CHECK_STR(t, status == T2I_EINPUT ? err : "(no input error)", c->want,
              desc);
}

static void check_summaries(t2i_tally *t)
{
    t2i_units_conv conv;
    char err[T2I_ERRLEN] = "";
    units_plan("gC m-2 day-1", "kg m-2 s-1", &conv, err, sizeof err);
    CHECK_STR(t, conv.summary,
              "gC m-2 day-1 -> kg m-2 s-1 (x 1.1574074074074074e-08)",
              "summary of a plain scale gives the factor to 17 digits");
    CHECK_STR(t, conv.normalised, "g m-2 day-1",
              "plan records what udunits2 was given");
    units_plan("kg m-2 month-1", "kg m-2 s-1", &conv, err, sizeof err);
    CHECK_STR(t, conv.summary,
              "kg m-2 month-1 -> kg m-2 s-1 (x 1, / seconds of each month)",
              "summary of a per-month rate names the month division");
    units_plan("gC m-2 yr-1", "kg m-2 s-1", &conv, err, sizeof err);
    CHECK_STR(t, conv.summary,
              "gC m-2 yr-1 -> kg m-2 s-1 (x 0.001, / seconds of each year)",
              "summary of a per-year rate names the year division");
    units_plan("degC", "K", &conv, err, sizeof err);
    CHECK_STR(t, conv.summary, "degC -> K (x 1, + 273.14999999999998)",
              "summary of a temperature gives the offset");
    units_plan("", "1", &conv, err, sizeof err);
    CHECK_STR(t, conv.summary, "'' -> 1 (x 1)",
              "summary of an empty unit shows it as ''");
}

static void check_lengths(t2i_tally *t)
{
    char out[16], err[T2I_ERRLEN] = "";
    t2i_per per;
    int status = units_normalise("kg m-2 s-1", "kg m-2 s-1", out, 11, &per,
                                 err, sizeof err);
    CHECK(t, status == T2I_OK && strcmp(out, "kg m-2 s-1") == 0,
          "a result that exactly fits with its NUL is accepted");
    status = units_normalise("kg m-2 s-1", "kg m-2 s-1", out, 10, &per, err,
                             sizeof err);
    CHECK_STR(t, status == T2I_EINPUT ? err : "(no input error)",
              "normalised units of 'kg m-2 s-1' do not fit in 10 bytes",
              "a result one byte too long is refused");
    status = units_normalise("mm", "kg m-2", out, 5, &per, err, sizeof err);
    CHECK_STR(t, status == T2I_EINPUT ? err : "(no input error)",
              "normalised units of 'mm' do not fit in 5 bytes",
              "a rewrite that grows past outlen is refused");
    status = units_normalise("1", "1", out, 0, &per, err, sizeof err);
    CHECK_STR(t, status == T2I_EINPUT ? err : "(no input error)",
              "normalised units of '1' do not fit in 0 bytes",
              "outlen 0 is refused without writing");
}

/* A string of 60 terms "m m-1 ...", 359 bytes: more than conv->normalised. */
static void check_overlong_plan(t2i_tally *t)
{
    char from[400] = "", want[T2I_ERRLEN], err[T2I_ERRLEN] = "";
    t2i_units_conv conv;
    for (int i = 0; i < 30; i++)
        strcat(from, i ? " m m-1" : "m m-1");
    snprintf(want, sizeof want,
             "normalised units of '%s' do not fit in 160 bytes", from);
    int status = units_plan(from, "1", &conv, err, sizeof err);
    CHECK_STR(t, status == T2I_EINPUT ? err : "(no input error)", want,
              "an overlong unit string is refused by units_plan");
}

/* A missing units attribute reaches the planner as NULL: the same as "". */
static void check_null(t2i_tally *t)
{
    t2i_units_conv conv;
    char out[16] = "", err[T2I_ERRLEN] = "";
    t2i_per per;
    int status = units_normalise(NULL, "1", out, sizeof out, &per, err,
                                 sizeof err);
    CHECK(t, status == T2I_OK && strcmp(out, "1") == 0,
          "a NULL unit normalises to '1'");
    status = units_plan(NULL, "1", &conv, err, sizeof err);
    CHECK(t, status == T2I_OK && conv.scale == 1.0 && conv.offset == 0.0,
          "a NULL unit converts to '1' as x 1");
    status = units_plan(NULL, "kg m-2", &conv, err, sizeof err);
    CHECK_STR(t, status == T2I_EINPUT ? err : "(no input error)",
              "empty units cannot be converted to 'kg m-2'",
              "a NULL unit is refused for a dimensional target");
}

/* units_plan silences udunits2 while it works and gives the caller's
 * message handler back afterwards. */
static void check_handler(t2i_tally *t)
{
    t2i_units_conv conv;
    char err[T2I_ERRLEN] = "";
    ut_error_message_handler before =
        ut_set_error_message_handler(ut_write_to_stderr);
    units_plan("banana", "kg m-2", &conv, err, sizeof err);
    ut_error_message_handler after = ut_set_error_message_handler(before);
    CHECK(t, after == ut_write_to_stderr,
          "units_plan restores the caller's udunits2 message handler");
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    for (size_t i = 0; i < sizeof PLANS / sizeof *PLANS; i++)
        check_plan(&t, &PLANS[i]);
    for (size_t i = 0; i < sizeof NORMS / sizeof *NORMS; i++)
        check_norm(&t, &NORMS[i]);
    for (size_t i = 0; i < sizeof FAILS / sizeof *FAILS; i++)
        check_fail(&t, &FAILS[i]);
    check_summaries(&t);
    check_lengths(&t);
    check_overlong_plan(&t);
    check_null(&t);
    check_handler(&t);
    return CHECK_SUMMARY(&t);
}
