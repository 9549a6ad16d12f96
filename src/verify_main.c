/* t2i-verify's command line: parse, run the checks, print one line per
 * problem, write the result JSON, map the outcome to an exit code.
 *
 *   t2i-verify [options] INPUT OUTPUT
 *
 * Exit status: 0 every check passed; 1 problems found (one line each on
 * stderr, all of them in --json); 2 usage; 3 I/O or system error. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "t2i.h"
#include "vartable.h"
#include "verify.h"
#include "verify_json.h"
#include "message.h"

/* What t2i-verify's command line fills. */
typedef struct {
    verify_options opt;
    const char *table, *json;
    const char *model, *sim; /* accepted for the converter's $flags, unused */
} cli;

static const cli_option options[] = {
    {CLI_TEXT, "var", "NAME", offsetof(cli, opt.var), 0, 0,
     "input variable (default: <var> of *_<SIM>_<var>.nc)"},
    {CLI_TEXT, "out-var", "NAME", offsetof(cli, opt.out_var), 0, 0,
     "output variable (default: from the variables table)"},
    {CLI_TEXT, "model", "NAME", offsetof(cli, model), 0, 0, "accepted and ignored"},
    {CLI_TEXT, "sim", "NAME", offsetof(cli, sim), 0, 0, "accepted and ignored"},
    {CLI_TEXT, "table", "FILE", offsetof(cli, table), 0, 0,
     "variables table (default tables/variables.tsv)"},
    {CLI_TEXT, "json", "FILE", offsetof(cli, json), 0, 0,
     "write the result (status, problems, quicklook) here"},
    {CLI_TEXT, "source", "PATH", offsetof(cli, opt.source), 0, 0,
     "the archive file INPUT was decompressed from; named\n"
     "in --json instead of INPUT"},
    {CLI_SIZE, "samples", "N", offsetof(cli, opt.samples), 1, 1e15,
     "time steps compared with the input (default 12)"},
    {CLI_TEXT, "areacella", "FILE", offsetof(cli, opt.areacella), 0, 0,
     "the model's areacella: must match the cell bounds"},
    {CLI_TEXT, "sftlf", "FILE", offsetof(cli, opt.sftlf), 0, 0,
     "the model's sftlf (%): global totals weigh cells by it"},
    CLI_MODEL_OPTIONS(cli, opt.models),
    {CLI_END, NULL, NULL, 0, 0, 0, NULL},
};

static void usage(FILE *out)
{
    fputs("usage: t2i-verify [options] INPUT OUTPUT\n"
          "Check that OUTPUT (written by trendy2ilamb from INPUT) is ILAMB-ready and\n"
          "holds INPUT's values converted, without using the converter's code.\n"
          "\n", out);
    cli_help(options, out);
    fputs("  --help              this text\n"
          "The models/ flags are read by the converter's own table, so both programs\n"
          "take the same $flags. Soil layers (the table's layers column): a (time,\n"
          "depth, lat, lon) output is checked level by level against the input's\n"
          "layers and their depths, a top-of-soil sum against the layers' overlap\n"
          "with it, both worked out here from the input.\n"
          "Exit status: 0 passed; 1 problems found; 2 usage; 3 I/O or system error.\n", out);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    cli c = {.table = "tables/variables.tsv"};
    const char *pos[2];
    char err[T2I_ERRLEN], sim[256], var[256], model[256];
    int help;
    cli_overrides_init(&c.opt.models);
    int st = cli_parse(options, &c, argc, argv, pos, 2, &help, err, sizeof err);
    if (help) {
        usage(stdout);
        return T2I_OK;
    }
    if (st) {
        fprintf(stderr, "t2i-verify: %s (see --help)\n", err);
        return T2I_EUSAGE;
    }
    c.opt.input = pos[0];
    c.opt.output = pos[1];
    const char *named = c.opt.source ? c.opt.source : c.opt.input;
    cli_names_from_path(named, sim, var, model, sizeof sim);
    if (!c.opt.var)
        c.opt.var = var;
    if (!c.opt.var[0]) {
        fprintf(stderr, "t2i-verify: %s: file name is not *_<SIM>_<var>.nc; give --var\n",
                named);
        return T2I_EUSAGE;
    }
    double start = seconds_now();
    t2i_varinfo info;
    /* The table's key is the file name's <var>, as for the converter, even
     * when --var names a differently-called variable inside the file. */
    const char *key = c.opt.out_var ? c.opt.out_var : var[0] ? var : c.opt.var;
    if (vartable_lookup(c.table, key, &info, err, sizeof err) != T2I_OK) {
        message_print(stderr, "t2i-verify", c.opt.output, err);
        return T2I_EUSAGE;
    }
    c.opt.out_var = c.opt.out_var ? c.opt.out_var : info.out;
    c.opt.target_units = info.units;
    c.opt.standard_name = info.standard_name;
    c.opt.layers = info.layers;
    verify_problems problems; /* 16 KiB */
    verify_summary summary;
    st = verify_run(&c.opt, &problems, &summary, err, sizeof err);
    if (st == T2I_OK && c.json)
        st = verify_write_json(c.json, &c.opt, &problems, &summary, seconds_now() - start, err,
                               sizeof err);
    verify_summary_free(&summary);
    if (st != T2I_OK) {
        message_print(stderr, "t2i-verify", c.opt.output, err);
        return st;
    }
    for (int i = 0; i < problems.n; i++)
        message_print(stderr, "t2i-verify", c.opt.output, problems.text[i]);
    if (problems.total > problems.n)
        fprintf(stderr, "t2i-verify: %s: %d more problems in the result\n", c.opt.output,
                problems.total - problems.n);
    return problems.total ? T2I_EINPUT : T2I_OK;
}
