/* t2i-verify's command line: parse, run the checks, print one line per
 * problem, write the result JSON, map the outcome to an exit code.
 *
 *   t2i-verify [options] INPUT OUTPUT
 *
 * Exit status: 0 every check passed; 1 problems found (one line each on
 * stderr, all of them in --json); 2 usage; 3 I/O or system error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "t2i.h"
#include "vartable.h"
#include "verify.h"
#include "verify_json.h"

static const char usage_text[] =
    "usage: t2i-verify [options] INPUT OUTPUT\n"
    "Check that OUTPUT (written by trendy2ilamb from INPUT) is ILAMB-ready and\n"
    "holds INPUT's values converted, without using the converter's code.\n"
    "\n"
    "  --var NAME          input variable (default: <var> of *_<SIM>_<var>.nc)\n"
    "  --out-var NAME      output variable (default: from the variables table)\n"
    "  --table FILE        variables table (default tables/variables.tsv)\n"
    "  --json FILE         write the result (status, problems, quicklook) here\n"
    "  --samples N         time steps compared with the input (default 12)\n"
    "The converter's models/ flags, read the same way: --time-var, --time-units,\n"
    "--calendar, --time-stamp start|end, --units, --scale, --missing (repeatable),\n"
    "--reduce DIM=sum|mean|INDEX (repeatable), --layer-bounds (repeatable); --model,\n"
    "--sim, --frequency are accepted and ignored. Soil layers (the table's layers\n"
    "column): a (time, depth, lat, lon) output is checked level by level against\n"
    "the input's layers and their depths; a top-of-soil sum against the layers'\n"
    "overlap with it, both worked out here from the input.\n"
    "Exit status: 0 passed; 1 problems found; 2 usage; 3 I/O or system error.\n";

typedef struct {
    verify_options opt;
    const char *table, *json;
    char var_from_name[128];
} cli;

static int parse_number(const char *text, double *v)
{
    char *end;
    *v = strtod(text, &end);
    return end == text || *end ? -1 : 0;
}

static int parse_reduce(const char *text, verify_reduce *r)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || (size_t)(eq - text) >= sizeof r->dim)
        return -1;
    memcpy(r->dim, text, (size_t)(eq - text));
    r->dim[eq - text] = '\0';
    const char *op = eq + 1;
    char *end;
    if (strcmp(op, "sum") == 0 || strcmp(op, "mean") == 0) {
        r->op = op[0] == 's' ? 's' : 'm';
        return 0;
    }
    long index = strtol(op, &end, 10);
    if (end == op || *end || index < 0)
        return -1;
    r->op = 'i';
    r->index = (size_t)index;
    return 0;
}

/* Applies one option that takes a value; returns -1 when it is bad. */
static int apply_option(cli *c, const char *name, const char *value)
{
    verify_options *o = &c->opt;
    double v;
    if (!strcmp(name, "--var")) o->var = value;
    else if (!strcmp(name, "--out-var")) o->out_var = value;
    else if (!strcmp(name, "--table")) c->table = value;
    else if (!strcmp(name, "--json")) c->json = value;
    else if (!strcmp(name, "--time-var")) o->time_var = value;
    else if (!strcmp(name, "--time-units")) o->time_units = value;
    else if (!strcmp(name, "--calendar")) o->calendar = value;
    else if (!strcmp(name, "--units")) o->units = value;
    else if (!strcmp(name, "--model") || !strcmp(name, "--sim") || !strcmp(name, "--frequency"))
        return 0;
    else if (!strcmp(name, "--time-stamp")) {
        if (strcmp(value, "start") && strcmp(value, "end"))
            return -1;
        o->stamp_end = !strcmp(value, "end");
    } else if (!strcmp(name, "--scale")) {
        if (parse_number(value, &o->scale))
            return -1;
    } else if (!strcmp(name, "--samples")) {
        if (parse_number(value, &v) || v < 1)
            return -1;
        o->samples = (size_t)v;
    } else if (!strcmp(name, "--missing")) {
        if (o->nmissing >= VERIFY_MAX_MISSING || parse_number(value, &o->missing[o->nmissing]))
            return -1;
        o->nmissing++;
    } else if (!strcmp(name, "--layer-bounds")) {
        if (o->nlayer_bounds > VERIFY_MAX_LAYERS ||
            parse_number(value, &o->layer_bounds[o->nlayer_bounds]))
            return -1;
        o->nlayer_bounds++;
    } else if (!strcmp(name, "--reduce")) {
        if (o->nreduce >= VERIFY_MAX_REDUCE || parse_reduce(value, &o->reduce[o->nreduce]))
            return -1;
        o->nreduce++;
    } else
        return -1;
    return 0;
}

/* The <var> of *_<SIM>_<var>.nc: the text after the last '_'. */
static const char *var_from_name(cli *c, const char *path)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *us = strrchr(base, '_');
    snprintf(c->var_from_name, sizeof c->var_from_name, "%s", us ? us + 1 : base);
    char *dot = strrchr(c->var_from_name, '.');
    if (dot)
        *dot = '\0';
    return c->var_from_name;
}

static int parse_args(int argc, char **argv, cli *c)
{
    int npos = 0;
    const char *pos[2] = {NULL, NULL};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            fputs(usage_text, stdout);
            exit(0);
        }
        if (!strncmp(argv[i], "--", 2)) {
            if (i + 1 >= argc || apply_option(c, argv[i], argv[i + 1]) != 0) {
                fprintf(stderr, "t2i-verify: bad option '%s'\n%s", argv[i], usage_text);
                return -1;
            }
            i++;
        } else if (npos < 2) {
            pos[npos++] = argv[i];
        } else {
            npos++;
        }
    }
    if (npos != 2) {
        fputs(usage_text, stderr);
        return -1;
    }
    c->opt.input = pos[0];
    c->opt.output = pos[1];
    if (!c->opt.var)
        c->opt.var = var_from_name(c, pos[0]);
    return 0;
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    cli c = {.opt = {.scale = 1.0}, .table = "tables/variables.tsv"};
    if (parse_args(argc, argv, &c) != 0)
        return T2I_EUSAGE;
    double start = seconds_now();
    char err[T2I_ERRLEN];
    t2i_varinfo info;
    const char *key = c.opt.out_var ? c.opt.out_var : c.opt.var;
    if (vartable_lookup(c.table, key, &info, err, sizeof err) != T2I_OK) {
        fprintf(stderr, "t2i-verify: %s: %s\n", c.opt.output, err);
        return T2I_EUSAGE;
    }
    c.opt.out_var = c.opt.out_var ? c.opt.out_var : info.out;
    c.opt.target_units = info.units;
    c.opt.layers = info.layers;
    verify_problems problems; /* 16 KiB */
    verify_summary summary;
    int st = verify_run(&c.opt, &problems, &summary, err, sizeof err);
    if (st == T2I_OK && c.json)
        st = verify_write_json(c.json, &c.opt, &problems, &summary, seconds_now() - start, err,
                               sizeof err);
    verify_summary_free(&summary);
    if (st != T2I_OK) {
        fprintf(stderr, "t2i-verify: %s: %s\n", c.opt.output, err);
        return st;
    }
    for (int i = 0; i < problems.n; i++)
        fprintf(stderr, "t2i-verify: %s: %s\n", c.opt.output, problems.text[i]);
    if (problems.total > problems.n)
        fprintf(stderr, "t2i-verify: %s: %d more problems in the result\n", c.opt.output,
                problems.total - problems.n);
    return problems.total ? T2I_EINPUT : T2I_OK;
}
