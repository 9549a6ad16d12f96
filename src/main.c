/* trendy2ilamb's command line: parse, run the pipeline, map the status to
 * an exit code (see main.h for the contract). No netCDF call lives here. */
#include "main.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "convert.h"
#include "stats.h"
#include "t2i.h"

static const char usage_text[] =
    "usage: trendy2ilamb [options] INPUT OUTPUT\n"
    "Convert one TRENDY NetCDF file into one ILAMB-ready CF file (time, lat, lon;\n"
    "CMIP6 name and units; exact calendar time bounds; fill 1e20), streaming.\n"
    "\n"
    "  --var NAME          input variable (default: <var> of *_<SIM>_<var>.nc)\n"
    "  --out-var NAME      output variable (default: from the variables table)\n"
    "  --model NAME        model, for metadata (default: directory above <SIM>/)\n"
    "  --sim NAME          simulation, for metadata (default: from the file name)\n"
    "  --table FILE        variables table (default: tables/variables.tsv found\n"
    "                      above the binary's directory)\n"
    "  --deflate N         compression level 0..9 with shuffle (default 1)\n"
    "  --memory BYTES      slab budget (default 33554432)\n"
    "  --stats FILE        write run statistics as one JSON object\n"
    "Overrides for what a file lacks or gets wrong (models/<MODEL>.toml keys):\n"
    "  --time-var NAME     variable holding the time values (time_var)\n"
    "  --time-units TEXT   time units, e.g. 'days since 2003-01-01' (time_units)\n"
    "  --calendar NAME     calendar (calendar)\n"
    "  --time-stamp start|end  stamps on a month boundary open (start, default)\n"
    "                      or close (end) a period (time_stamp)\n"
    "  --frequency mon|yr  when the stamps alone cannot tell (frequency)\n"
    "  --units TEXT        the variable's units (units)\n"
    "  --scale X           extra factor after conversion, e.g. -1 (scale)\n"
    "  --missing X         one more missing-value sentinel, repeatable (missing)\n"
    "  --reduce DIM=OP     reduce an extra dimension: sum, mean or an index\n"
    "                      (reduce = [\"PFT=sum\"]), repeatable\n"
    "  --layer-bounds X    soil layer interfaces in m, surface first, one per\n"
    "                      option (layer_bounds = [0, 0.1, 0.3]); else from the\n"
    "                      layer coordinate or CABLE's layer_depths_m\n"
    "  --help              this text\n"
    "\n"
    "Time: every TRENDY encoding (<unit> since <date>, calendar months/years\n"
    "since, year as %Y.%f, month as %Y%m.%f, day as %Y%m%d.%f) in every CF\n"
    "calendar; output 'days since 1850-01-01 00:00:00' in the input's calendar,\n"
    "stamps at mid-period, bounds the exact month or year. 'months since' counts\n"
    "calendar months (udunits' fixed 1/12 year is wrong for TRENDY files).\n"
    "Soil layers (tsl, msl: layers column of the table) are kept as depth\n"
    "(time, depth, lat, lon), or summed over the top of the soil (mrsos).\n"
    "Exit status: 0 done; 1 bad or unsupported input; 2 usage; 3 I/O or system\n"
    "error. On failure one line on stderr, and OUTPUT is not created.\n";

/* Options that take a value, in the order of the help text. */
typedef struct {
    t2i_options opt;
    const char *stats;
    int help;
} cli;

static int parse_double(const char *text, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(text, &end);
    return errno == 0 && end != text && *end == '\0';
}

static int parse_reduce(const char *text, t2i_reduce *r)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || (size_t)(eq - text) >= sizeof r->dim)
        return 0;
    snprintf(r->dim, sizeof r->dim, "%.*s", (int)(eq - text), text);
    const char *op = eq + 1;
    char *end;
    if (strcmp(op, "sum") == 0)
        r->op = T2I_REDUCE_SUM;
    else if (strcmp(op, "mean") == 0)
        r->op = T2I_REDUCE_MEAN;
    else {
        unsigned long long i = strtoull(op, &end, 10);
        if (end == op || *end || op[0] == '-')
            return 0;
        r->op = T2I_REDUCE_INDEX;
        r->index = (size_t)i;
    }
    return 1;
}

/* Applies one "--name value" pair; fills err on a bad value. */
static int apply_value(cli *c, const char *name, const char *v, char *err, size_t errlen)
{
    t2i_options *o = &c->opt;
    double d;
    struct { const char *name; const char **slot; } text[] = {
        {"var", &o->var}, {"out-var", &o->out_var}, {"model", &o->model}, {"sim", &o->sim},
        {"table", &o->table}, {"stats", &c->stats}, {"time-var", &o->time_var},
        {"time-units", &o->time_units}, {"calendar", &o->calendar}, {"units", &o->units},
    };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        if (strcmp(name, text[i].name) == 0) {
            *text[i].slot = v;
            return T2I_OK;
        }
    if (strcmp(name, "deflate") == 0 && parse_double(v, &d) && d >= 0 && d <= 9 && d == (int)d)
        o->deflate = (int)d;
    else if (strcmp(name, "memory") == 0 && parse_double(v, &d) && d >= 1024 && d < 1e15)
        o->memory_bytes = (size_t)d;
    else if (strcmp(name, "scale") == 0 && parse_double(v, &d) && d == d && d != 0)
        o->scale = d;
    else if (strcmp(name, "missing") == 0 && parse_double(v, &d) && o->nmissing < CONVERT_MAX_MISSING)
        o->missing[o->nmissing++] = d;
    else if (strcmp(name, "layer-bounds") == 0 && parse_double(v, &d) &&
             o->nlayer_bounds < CONVERT_MAX_LAYER_BOUNDS)
        o->layer_bounds[o->nlayer_bounds++] = d;
    else if (strcmp(name, "reduce") == 0 && o->nreduce < CONVERT_MAX_REDUCE &&
             parse_reduce(v, &o->reduce[o->nreduce]))
        o->nreduce++;
    else if (strcmp(name, "time-stamp") == 0 && (!strcmp(v, "start") || !strcmp(v, "end")))
        o->stamp = strcmp(v, "end") == 0 ? T2I_STAMP_END : T2I_STAMP_START;
    else if (strcmp(name, "frequency") == 0 && (!strcmp(v, "mon") || !strcmp(v, "yr")))
        o->freq = strcmp(v, "mon") == 0 ? T2I_FREQ_MONTH : T2I_FREQ_YEAR;
    else
        return t2i_fail(T2I_EUSAGE, err, errlen, "bad value '%s' for option '--%s'", v, name);
    return T2I_OK;
}

static int parse_args(int argc, char **argv, cli *c, char *err, size_t errlen)
{
    const char *pos[2];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            c->help = 1;
            return T2I_OK;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (npos == 2)
                return t2i_fail(T2I_EUSAGE, err, errlen, "unexpected argument '%s'", a);
            pos[npos++] = a;
            continue;
        }
        char name[32];
        const char *eq = strchr(a, '='), *value;
        size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (len >= sizeof name)
            return t2i_fail(T2I_EUSAGE, err, errlen, "unknown option '%s'", a);
        snprintf(name, sizeof name, "%.*s", (int)len, a + 2);
        if (eq)
            value = eq + 1;
        else if (i + 1 < argc)
            value = argv[++i];
        else
            return t2i_fail(T2I_EUSAGE, err, errlen, "option '--%s' needs a value", name);
        int st = apply_value(c, name, value, err, errlen);
        if (st && strstr(err, "bad value") && !strstr(usage_text, name))
            return t2i_fail(T2I_EUSAGE, err, errlen, "unknown option '--%s'", name);
        if (st)
            return st;
    }
    if (npos != 2)
        return t2i_fail(T2I_EUSAGE, err, errlen, "need INPUT and OUTPUT");
    c->opt.input = pos[0];
    c->opt.output = pos[1];
    return T2I_OK;
}

/* Splits ".../<MODEL>/<SIM>/<prefix>_<SIM>_<var>.nc": the variable and
 * simulation come from the name (the prefix may differ from the model, e.g.
 * CLM6.0_S3_gpp.nc under CLM5.0/), the model from the directory. */
static void derive_names(const char *input, char *sim, char *var, char *model, size_t size)
{
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    sim[0] = var[0] = model[0] = '\0';
    for (const char *p = strstr(base, "_S"); p; p = strstr(p + 1, "_S")) {
        size_t digits = strspn(p + 2, "0123456789");
        const char *v = p + 2 + digits;
        size_t vlen = strlen(v);
        if (digits == 0 || *v != '_' || vlen < 5 || strcmp(v + vlen - 3, ".nc") != 0)
            continue;
        snprintf(sim, size, "%.*s", (int)(digits + 1), p + 1);
        snprintf(var, size, "%.*s", (int)(vlen - 4), v + 1);
        break;
    }
    /* The directory above <SIM>/, when the file sits in one named like it. */
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", (int)(base - input), input);
    size_t n = strlen(dir);
    while (n && dir[n - 1] == '/')
        dir[--n] = '\0';
    const char *simdir = strrchr(dir, '/');
    if (sim[0] && simdir && strcmp(simdir + 1, sim) == 0) {
        dir[simdir - dir] = '\0';
        const char *m = strrchr(dir, '/');
        if (snprintf(model, size, "%s", m ? m + 1 : dir) >= (int)size)
            model[0] = '\0';
    }
}

/* tables/variables.tsv in the first of the binary's ancestors that has it
 * (build/trendy2ilamb and build/san/trendy2ilamb both find the repo's). */
static int find_table(char *path, size_t size)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return 0;
    exe[n] = '\0';
    for (int up = 0; up < 4; up++) {
        char *slash = strrchr(exe, '/');
        if (!slash)
            return 0;
        *slash = '\0';
        if (snprintf(path, size, "%s/tables/variables.tsv", exe) < (int)size &&
            access(path, R_OK) == 0)
            return 1;
    }
    return 0;
}

/* The command line as one string for the output's history attribute. */
static void join_args(int argc, char **argv, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < argc && n < size; i++) {
        int quote = strpbrk(argv[i], " \t'\"") != NULL;
        n += (size_t)snprintf(buf + n, size - n, "%s%s%s%s", i ? " " : "", quote ? "'" : "",
                              argv[i], quote ? "'" : "");
    }
}

static void set_defaults(cli *c)
{
    memset(c, 0, sizeof *c);
    c->opt.deflate = 1;
    c->opt.memory_bytes = CONVERT_MEMORY_BYTES;
    c->opt.scale = 1.0;
    c->opt.stamp = T2I_STAMP_START;
    c->opt.freq = T2I_FREQ_UNKNOWN;
}

int main(int argc, char **argv)
{
    cli c;
    char err[T2I_ERRLEN] = "", sim[256], var[256], model[256], table[4096], cmd[8192];
    set_defaults(&c);
    int st = parse_args(argc, argv, &c, err, sizeof err);
    if (c.help) {
        fputs(usage_text, stdout);
        return T2I_OK;
    }
    if (st) {
        fprintf(stderr, "trendy2ilamb: %s (see --help)\n", err);
        return T2I_EUSAGE;
    }
    t2i_options *o = &c.opt;
    derive_names(o->input, sim, var, model, sizeof sim);
    o->table_var = var[0] ? var : o->var;
    if (!o->var)
        o->var = var;
    o->sim = o->sim ? o->sim : sim;
    o->model = o->model ? o->model : model;
    if (!o->var[0] || !o->table_var) {
        fprintf(stderr, "trendy2ilamb: %s: file name is not *_<SIM>_<var>.nc; give --var\n",
                o->input);
        return T2I_EUSAGE;
    }
    if (!o->table && find_table(table, sizeof table))
        o->table = table;
    if (!o->table)
        o->table = "tables/variables.tsv";
    join_args(argc, argv, cmd, sizeof cmd);
    o->command_line = cmd;
    t2i_clock clock;
    t2i_result res;
    stats_start(&clock);
    st = convert_run(o, &res, err, sizeof err);
    char serr[T2I_ERRLEN];
    if (c.stats && stats_write(c.stats, o, &res, st, st ? err : "", &clock, serr, sizeof serr) &&
        st == T2I_OK) {
        remove(o->output);
        snprintf(err, sizeof err, "%s", serr);
        st = T2I_ESYS;
    }
    if (st)
        fprintf(stderr, "trendy2ilamb: %s: %s\n", o->input, err);
    /* After a failed write HDF5 1.10 keeps the output it could not close in
     * its tables, and its exit handler closing it again crashes (a full disk
     * gave SIGSEGV, exit 139, after the temporary file was removed). Leave
     * without exit handlers; stderr is unbuffered and the rest is closed. */
    if (st == T2I_ESYS)
        _exit(st);
    return st;
}
