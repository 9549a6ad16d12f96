/* trendy2ilamb's command line: parse, run the pipeline, map the status to
 * an exit code (see main.h for the contract). No netCDF call lives here. */
#include "main.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chunk.h"
#include "cli.h"
#include "convert.h"
#include "plainfile.h"
#include "stats.h"
#include "t2i.h"
#include "message.h"

/* What trendy2ilamb's command line fills. */
typedef struct {
    t2i_options opt;
    t2i_overrides models;
    const char *stats;
} cli;

static const cli_option options[] = {
    {CLI_TEXT, "var", "NAME", offsetof(cli, opt.var), 0, 0,
     "input variable (default: <var> of *_<SIM>_<var>.nc)"},
    {CLI_TEXT, "out-var", "NAME", offsetof(cli, opt.out_var), 0, 0,
     "output variable (default: from the variables table)"},
    {CLI_TEXT, "model", "NAME", offsetof(cli, opt.model), 0, 0,
     "model, for metadata (default: directory above <SIM>/)"},
    {CLI_TEXT, "sim", "NAME", offsetof(cli, opt.sim), 0, 0,
     "simulation, for metadata (default: from the file name)"},
    {CLI_TEXT, "table", "FILE", offsetof(cli, opt.table), 0, 0,
     "variables table (default: tables/variables.tsv found\nabove the binary's directory)"},
    {CLI_INT, "deflate", "N", offsetof(cli, opt.deflate), 0, 9,
     "0 stores the data uncompressed; 1..9 shuffle and deflate\n"
     "it with ISA-L, whose levels 1, 2, 3 serve 1-3, 4-6, 7-9\n"
     "(default 1; any zlib reads the file)"},
    {CLI_INT, "threads", "N", offsetof(cli, opt.threads), 1, CHUNK_MAX_THREADS,
     "shuffle and deflate on N threads, 1..64 (default 1)"},
    {CLI_INT, "raw-chunks", "0|1", offsetof(cli, opt.raw_chunks), 0, 1,
     "1: read the chunks of a deflated netCDF-4 float variable\n"
     "directly and inflate them with ISA-L (default); 0: read\n"
     "everything through netCDF-C. The values are the same"},
    {CLI_SIZE, "memory", "BYTES", offsetof(cli, opt.memory_bytes), 1024, 1e15,
     "slab budget (default 33554432)"},
    {CLI_TEXT, "stats", "FILE", offsetof(cli, stats), 0, 0,
     "write run statistics as one JSON object"},
    {CLI_TEXT, "source", "PATH", offsetof(cli, opt.source), 0, 0,
     "the archive file INPUT was decompressed from; named\n"
     "in metadata, history, stats and messages instead of INPUT"},
    CLI_MODEL_OPTIONS(cli, models),
    {CLI_END, NULL, NULL, 0, 0, 0, NULL},
};

static void usage(FILE *out)
{
    fputs("usage: trendy2ilamb [options] INPUT OUTPUT\n"
          "Convert one TRENDY NetCDF file into one ILAMB-ready CF file (time, lat, lon;\n"
          "CMIP6 name and units; exact calendar time bounds; fill 1e20), streaming.\n"
          "\n", out);
    cli_help(options, out);
    fputs("  --help              this text\n"
          "\n"
          "Time: every TRENDY encoding (<unit> since <date>, calendar months/years\n"
          "since, year as %Y.%f, month as %Y%m.%f, day as %Y%m%d.%f) in every CF\n"
          "calendar; output 'days since 1850-01-01 00:00:00' in the input's calendar,\n"
          "stamps at mid-period, bounds the exact month or year. 'months since' counts\n"
          "calendar months (udunits' fixed 1/12 year is wrong for TRENDY files).\n"
          "Soil layers (tsl, msl: the table's layers column) are kept as depth\n"
          "(time, depth, lat, lon), or summed over the top of the soil (mrsos).\n"
          "Exit status: 0 done; 1 bad or unsupported input; 2 usage; 3 I/O or system\n"
          "error. On failure one line on stderr, and OUTPUT is not created.\n", out);
}

/* The models/ overrides in the converter's own types. */
static void apply_models(const t2i_overrides *m, t2i_options *o)
{
    _Static_assert(CLI_MAX_MISSING <= CONVERT_MAX_MISSING, "room for every --missing");
    _Static_assert(CLI_MAX_REDUCE <= CONVERT_MAX_REDUCE, "room for every --reduce");
    o->time_var = m->time_var;
    o->time_units = m->time_units;
    o->calendar = m->calendar;
    o->units = m->units;
    o->stamp = m->stamp_end ? T2I_STAMP_END : T2I_STAMP_START;
    o->freq = m->freq == 'm' ? T2I_FREQ_MONTH : m->freq == 'y' ? T2I_FREQ_YEAR : T2I_FREQ_UNKNOWN;
    o->scale = m->scale;
    o->per_land = m->area_basis == 1;
    o->latent_heat = m->latent_heat;
    o->nmissing = m->nmissing;
    memcpy(o->missing, m->missing, (size_t)m->nmissing * sizeof *o->missing);
    o->nreduce = m->nreduce;
    for (int i = 0; i < m->nreduce; i++) {
        const cli_reduce *r = &m->reduce[i];
        _Static_assert(sizeof o->reduce[i].dim == sizeof r->dim, "same dimension names");
        memcpy(o->reduce[i].dim, r->dim, sizeof r->dim);
        o->reduce[i].op = r->op == 's' ? T2I_REDUCE_SUM
                          : r->op == 'm' ? T2I_REDUCE_MEAN : T2I_REDUCE_INDEX;
        o->reduce[i].index = r->index;
    }
    _Static_assert(CLI_MAX_LAYER_BOUNDS <= CONVERT_MAX_LAYER_BOUNDS, "room for every bound");
    o->nlayer_bounds = m->nlayer_bounds;
    memcpy(o->layer_bounds, m->layer_bounds, (size_t)m->nlayer_bounds * sizeof *o->layer_bounds);
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

/* The command line as one string for the output's history attribute.
 * With --source it is the command as if the archive file had been
 * converted: the option is left out and `source` stands for INPUT, so the
 * history never names the scratch copy (whose place is the build's, not
 * the data's) and equals that of the uncompressed original converted with
 * the same --source. Every option takes a value (cli_parse), so the walk
 * below splits argv exactly as the parse did. */
/* Appends a as one shell word: as it is when it holds only characters no
 * shell treats specially, else single-quoted with each ' written '\''. */
static void append_word(char *buf, size_t size, size_t *n, const char *a)
{
    int plain = *a != '\0';
    for (const char *c = a; *c && plain; c++)
        plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                strchr("_@%+=:,./-", *c) != NULL;
    if (*n && *n < size)
        buf[(*n)++] = ' ';
    if (!plain && *n < size)
        buf[(*n)++] = '\'';
    for (const char *c = a; *c && *n < size; c++) {
        if (*c == '\'' && !plain) {
            for (const char *q = "'\\''"; *q && *n < size; q++)
                buf[(*n)++] = *q;
        } else {
            buf[(*n)++] = *c;
        }
    }
    if (!plain && *n < size)
        buf[(*n)++] = '\'';
    buf[*n < size ? *n : size - 1] = '\0';
}

static void join_args(int argc, char **argv, const char *input, const char *source, char *buf,
                      size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < argc && n < size; i++) {
        const char *a = argv[i];
        int option = i > 0 && strncmp(a, "--", 2) == 0 && a[2] != '\0';
        if (option && source && (strcmp(a, "--source") == 0 || strncmp(a, "--source=", 9) == 0)) {
            i += strchr(a, '=') == NULL;
            continue;
        }
        if (source && !option && i > 0 && a == input)
            a = source;
        append_word(buf, size, &n, a);
        if (option && !strchr(a, '=') && i + 1 < argc && n < size)
            append_word(buf, size, &n, argv[++i]);
    }
}

/* The --stats file and when it is written. On success the statistics are
 * written to STATS.tmp while the output still sits at OUTPUT.tmp, then the
 * output and the stats are renamed, in that order: if the stats cannot be
 * written, the new output is abandoned and an existing OUTPUT and STATS are
 * both left as they were (exit 3), so the pair never disagrees. On a failed
 * conversion OUTPUT is untouched and STATS records the failure. */
typedef struct {
    const char *path;
    const t2i_options *opt;
    t2i_clock clock;
    t2i_plainfile file; /* prepared at STATS.tmp, waiting for the rename */
    int prepared, failed;
} stats_job;

static int prepare_stats(void *ctx, const char *tmp_output, const t2i_result *res, char *err,
                         size_t errlen)
{
    stats_job *s = ctx;
    int st = stats_prepare(&s->file, s->path, s->opt, res, T2I_OK, "", tmp_output, &s->clock, err,
                           errlen);
    s->prepared = st == T2I_OK;
    s->failed = st != T2I_OK;
    return st;
}

/* After convert_run: renames the prepared stats, or writes those of a
 * failure. Returns the run's final status (err updated). */
static int finish_stats(stats_job *s, const t2i_result *res, int st, char *err, size_t errlen)
{
    char serr[T2I_ERRLEN];
    if (st == T2I_OK) {
        if (plainfile_commit(&s->file, serr, sizeof serr) == T2I_OK)
            return T2I_OK;
        /* Only a rename in one directory failed, after the output's: the
         * output is new and the stats are the old ones; exit 3 says so. */
        snprintf(err, errlen, "output written, but %.400s", serr);
        return T2I_ESYS;
    }
    plainfile_abort(&s->file);
    if (!s->failed) /* the stats' own failure is the reason already */
        stats_write(s->path, s->opt, res, st, err, &s->clock, serr, sizeof serr);
    return st;
}

static void set_defaults(cli *c)
{
    memset(c, 0, sizeof *c);
    c->opt.deflate = 1;
    c->opt.threads = 1;
    c->opt.memory_bytes = CONVERT_MEMORY_BYTES;
    c->opt.raw_chunks = 1;
    cli_overrides_init(&c->models);
}

int main(int argc, char **argv)
{
    cli c;
    char err[T2I_ERRLEN] = "", sim[256], var[256], model[256], table[4096], cmd[8192];
    const char *pos[2];
    int help;
    set_defaults(&c);
    int st = cli_parse(options, &c, argc, argv, pos, 2, &help, err, sizeof err);
    if (help) {
        usage(stdout);
        return T2I_OK;
    }
    if (st) {
        fprintf(stderr, "trendy2ilamb: %s (see --help)\n", err);
        return T2I_EUSAGE;
    }
    t2i_options *o = &c.opt;
    o->input = pos[0];
    o->output = pos[1];
    apply_models(&c.models, o);
    /* Messages and defaults come from the file the user has (the archive
     * file), not from the scratch copy read. */
    const char *named = o->source ? o->source : o->input;
    cli_names_from_path(named, sim, var, model, sizeof sim);
    /* The table's key as t2i-verify takes it: --out-var first, since a
     * decorated name's <var> (iMAPLE_S3_Annual_cSoil) is no table entry. */
    o->table_var = o->out_var ? o->out_var : var[0] ? var : o->var;
    if (!o->var)
        o->var = var;
    o->sim = o->sim ? o->sim : sim;
    o->model = o->model ? o->model : model;
    if (!o->var[0] || !o->table_var) {
        fprintf(stderr, "trendy2ilamb: %s: file name is not *_<SIM>_<var>.nc; give --var\n",
                named);
        return T2I_EUSAGE;
    }
    if (!o->table && find_table(table, sizeof table))
        o->table = table;
    if (!o->table)
        o->table = "tables/variables.tsv";
    join_args(argc, argv, o->input, o->source, cmd, sizeof cmd);
    o->command_line = cmd;
    stats_job sj = {.path = c.stats, .opt = o};
    t2i_result res;
    stats_start(&sj.clock);
    sj.file.fd = -1;
    sj.file.tmp[0] = '\0';
    if (c.stats) {
        o->before_commit = prepare_stats;
        o->commit_ctx = &sj;
    }
    st = convert_run(o, &res, err, sizeof err);
    if (c.stats)
        st = finish_stats(&sj, &res, st, err, sizeof err);
    if (st)
        message_print(stderr, "trendy2ilamb", named, err);
    /* After a failed write HDF5 1.10 keeps the output it could not close in
     * its tables, and its exit handler closing it again crashes (a full disk
     * gave SIGSEGV, exit 139, after the temporary file was removed). Leave
     * without exit handlers; stderr is unbuffered and the rest is closed. */
    if (st == T2I_ESYS)
        _exit(st);
    return st;
}
