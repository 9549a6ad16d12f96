/* Tests of the shared command-line table (cli.h): both spellings of a
 * value, every refusal, the limits, the help layout and the one way both
 * programs read a file name. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "t2i.h"

typedef struct {
    const char *name;
    int level;
    size_t budget;
    t2i_overrides models;
} target;

static const cli_option table[] = {
    {CLI_TEXT, "name", "TEXT", offsetof(target, name), 0, 0, "a name"},
    {CLI_INT, "level", "N", offsetof(target, level), 0, 9, "0..9\nsecond line"},
    {CLI_SIZE, "budget", "BYTES", offsetof(target, budget), 1024, 1e15, "bytes"},
    CLI_MODEL_OPTIONS(target, models),
    {CLI_END, NULL, NULL, 0, 0, 0, NULL},
};

/* Parses a NULL-terminated argument list into *t; returns the status. */
static int parse(target *t, char *err, const char *const *args)
{
    char *argv[64];
    int argc = 0;
    argv[argc++] = "prog";
    while (*args)
        argv[argc++] = (char *)*args++;
    const char *pos[2];
    int help;
    memset(t, 0, sizeof *t);
    cli_overrides_init(&t->models);
    err[0] = '\0';
    return cli_parse(table, t, argc, argv, pos, 2, &help, err, T2I_ERRLEN);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_values(t2i_tally *tl)
{
    target t;
    char err[T2I_ERRLEN];
    CHECK(tl, parse(&t, err, ARGS("--name", "a b", "--level=3", "in", "out")) == T2I_OK &&
                  !strcmp(t.name, "a b") && t.level == 3, "'--x v' and '--x=v' both set a value");
    CHECK(tl, parse(&t, err, ARGS("in", "--budget", "2048.5", "out")) == T2I_OK && t.budget == 2048,
          "options may follow positional arguments; a size drops its fraction");
    CHECK(tl, parse(&t, err, ARGS("--time-stamp=end", "--frequency", "yr", "--scale", "-1",
                                  "--reduce", "PFT=sum", "--reduce=layer=2", "in", "out")) ==
                      T2I_OK && t.models.stamp_end && t.models.freq == 'y' &&
                  t.models.scale == -1 && t.models.nreduce == 2 && t.models.reduce[0].op == 's' &&
                  t.models.reduce[1].op == 'i' && t.models.reduce[1].index == 2 &&
                  !strcmp(t.models.reduce[1].dim, "layer"),
          "models/ overrides fill the shared struct");
    CHECK(tl, parse(&t, err, ARGS("in", "out")) == T2I_OK && t.models.scale == 1.0 &&
                  !t.models.stamp_end && t.models.freq == 0, "defaults: scale 1, start, unknown");
}

static void test_refusals(t2i_tally *tl)
{
    target t;
    char err[T2I_ERRLEN];
    CHECK(tl, parse(&t, err, ARGS("--s", "x", "in", "out")) == T2I_EUSAGE, "--s is refused");
    CHECK_STR(tl, err, "unknown option '--s'", "as unknown, not as a bad value");
    parse(&t, err, ARGS("--bogus=1", "in", "out"));
    CHECK_STR(tl, err, "unknown option '--bogus'", "an unknown --x=v is named without its value");
    parse(&t, err, ARGS("--level", "10", "in", "out"));
    CHECK_STR(tl, err, "bad value '10' for option '--level'", "a value out of range");
    parse(&t, err, ARGS("--level", "1.5", "in", "out"));
    CHECK_STR(tl, err, "bad value '1.5' for option '--level'", "a fraction for a whole number");
    parse(&t, err, ARGS("--scale", "0", "in", "out"));
    CHECK_STR(tl, err, "bad value '0' for option '--scale'", "a zero factor");
    parse(&t, err, ARGS("--missing", "1e999", "in", "out"));
    CHECK_STR(tl, err, "bad value '1e999' for option '--missing'", "an overflowing number");
    parse(&t, err, ARGS("--reduce", "PFT", "in", "out"));
    CHECK_STR(tl, err, "bad value 'PFT' for option '--reduce'", "a reduction without =OP");
    parse(&t, err, ARGS("in", "out", "--name"));
    CHECK_STR(tl, err, "option '--name' needs a value", "a last option without its value");
    parse(&t, err, ARGS("in"));
    CHECK_STR(tl, err, "need INPUT and OUTPUT", "one positional argument");
    parse(&t, err, ARGS("in", "out", "x"));
    CHECK_STR(tl, err, "unexpected argument 'x'", "three positional arguments");
}

static void test_limits(t2i_tally *tl)
{
    target t;
    char err[T2I_ERRLEN];
    const char *args[2 * CLI_MAX_MISSING + 8];
    int n = 0;
    for (int i = 0; i <= CLI_MAX_MISSING; i++) {
        args[n++] = "--missing";
        args[n++] = "-9999";
    }
    args[n++] = "in";
    args[n++] = "out";
    args[n] = NULL;
    CHECK(tl, parse(&t, err, args) == T2I_EUSAGE, "a 17th --missing is refused, not dropped");
    CHECK_STR(tl, err, "more than 16 '--missing' options", "with the limit in the message");
    args[2 * CLI_MAX_MISSING] = "in";
    args[2 * CLI_MAX_MISSING + 1] = "out";
    args[2 * CLI_MAX_MISSING + 2] = NULL;
    CHECK(tl, parse(&t, err, args) == T2I_OK && t.models.nmissing == 16, "16 are kept");
}

static void test_help(t2i_tally *tl)
{
    char buf[4096] = "";
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    if (!f)
        return;
    cli_help(table, f);
    fclose(f);
    CHECK(tl, strstr(buf, "  --name TEXT         a name\n") != NULL, "help at column 22");
    CHECK(tl, strstr(buf, "  --level N           0..9\n                      second line\n"),
          "continuation lines are indented");
    CHECK(tl, strstr(buf, "  --time-stamp start|end  stamps") != NULL,
          "a long option name keeps two spaces");
    CHECK(tl, strstr(buf, "Overrides for what a file lacks") != NULL, "headings are printed");
}

static void test_names(t2i_tally *tl)
{
    char sim[64], var[64], model[64];
    cli_names_from_path("a/CARDAMOM/S3/CARDAMOM_S3_FLOSS_FRAC.nc", sim, var, model, 64);
    CHECK(tl, !strcmp(sim, "S3") && !strcmp(var, "FLOSS_FRAC") && !strcmp(model, "CARDAMOM"),
          "CARDAMOM_S3_FLOSS_FRAC.nc: S3, FLOSS_FRAC, CARDAMOM");
    cli_names_from_path("CLM5.0/S2/CLM6.0_S2_gpp.nc", sim, var, model, 64);
    CHECK(tl, !strcmp(sim, "S2") && !strcmp(var, "gpp") && !strcmp(model, "CLM5.0"),
          "the model is the directory, not the prefix");
    cli_names_from_path("/x/ISBA_SURFEX_S3_tas.nc", sim, var, model, 64);
    CHECK(tl, !strcmp(sim, "S3") && !strcmp(var, "tas") && !model[0],
          "a prefix holding _S and no <SIM>/ directory");
    cli_names_from_path("v/VISIT/S3/VISIT_S3_gpp.nc.gz", sim, var, model, 64);
    CHECK(tl, !strcmp(sim, "S3") && !strcmp(var, "gpp") && !strcmp(model, "VISIT"),
          "VISIT_S3_gpp.nc.gz: S3, gpp, VISIT");
    cli_names_from_path("/x/M_S0_cVeg.nc.tar.gz", sim, var, model, 64);
    CHECK(tl, !strcmp(sim, "S0") && !strcmp(var, "cVeg"), "a .nc.tar.gz says S0 and cVeg");
    cli_names_from_path("/x/M_S3_gpp.gz", sim, var, model, 64);
    CHECK(tl, !sim[0] && !var[0], "a .gz that is not .nc.gz says nothing");
    cli_names_from_path("/x/gpp.nc", sim, var, model, 64);
    CHECK(tl, !sim[0] && !var[0] && !model[0], "a name without _<SIM>_ says nothing");
}

int main(void)
{
    t2i_tally tally = {0, 0, 0}, *t = &tally;
    test_values(t);
    test_refusals(t);
    test_limits(t);
    test_help(t);
    test_names(t);
    return CHECK_SUMMARY(t);
}
