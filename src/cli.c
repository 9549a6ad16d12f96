/* The command-line table of both programs (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "t2i.h"

/* Column where an option's help starts, as in the hand-written help it
 * replaced. */
#define CLI_HELP_COLUMN 22

void cli_overrides_init(t2i_overrides *ov)
{
    memset(ov, 0, sizeof *ov);
    ov->scale = 1.0;
    ov->area_basis = -1;
}

/* A whole string as a double; ERANGE (1e999) is refused, not clamped. */
static int parse_double(const char *text, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(text, &end);
    return errno == 0 && end != text && *end == '\0';
}

static int parse_reduce(const char *text, cli_reduce *r)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || (size_t)(eq - text) >= sizeof r->dim)
        return 0;
    snprintf(r->dim, sizeof r->dim, "%.*s", (int)(eq - text), text);
    const char *op = eq + 1;
    char *end;
    if (strcmp(op, "sum") == 0 || strcmp(op, "mean") == 0) {
        r->op = op[0];
        return 1;
    }
    errno = 0;
    unsigned long long i = strtoull(op, &end, 10);
    if (end == op || *end || op[0] == '-' || errno)
        return 0;
    r->op = 'i';
    r->index = (size_t)i;
    return 1;
}

static const cli_option *find(const cli_option *table, const char *name)
{
    for (const cli_option *o = table; o->kind != CLI_END; o++)
        if (o->kind != CLI_HEADING && strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

/* Stores one value; returns 1, 0 for a bad value, -1 for one repeat too
 * many (the message names the limit). */
static int store(const cli_option *o, void *target, const char *v)
{
    char *at = (char *)target + o->offset;
    t2i_overrides *ov = (t2i_overrides *)at;
    double d;
    switch (o->kind) {
    case CLI_TEXT: *(const char **)at = v; return 1;
    case CLI_IGNORED: return 1;
    case CLI_INT:
        if (!parse_double(v, &d) || d < o->min || d > o->max || d != (int)d)
            return 0;
        *(int *)at = (int)d;
        return 1;
    case CLI_SIZE:
        if (!parse_double(v, &d) || !(d >= o->min && d < o->max))
            return 0;
        *(size_t *)at = (size_t)d;
        return 1;
    case CLI_FACTOR:
        if (!parse_double(v, &d) || d != d || d == 0)
            return 0;
        *(double *)at = d;
        return 1;
    case CLI_DOUBLE:
        if (!parse_double(v, &d) || !(d >= o->min && d < o->max))
            return 0;
        *(double *)at = d;
        return 1;
    case CLI_MISSING:
        if (!parse_double(v, &d))
            return 0;
        if (ov->nmissing >= CLI_MAX_MISSING)
            return -1;
        ov->missing[ov->nmissing++] = d;
        return 1;
    case CLI_LAYER_BOUND:
        if (!parse_double(v, &d))
            return 0;
        if (ov->nlayer_bounds >= CLI_MAX_LAYER_BOUNDS)
            return -1;
        ov->layer_bounds[ov->nlayer_bounds++] = d;
        return 1;
    case CLI_REDUCE:
        if (ov->nreduce >= CLI_MAX_REDUCE)
            return parse_reduce(v, &(cli_reduce){{0}, 0, 0}) ? -1 : 0;
        if (!parse_reduce(v, &ov->reduce[ov->nreduce]))
            return 0;
        ov->nreduce++;
        return 1;
    case CLI_STAMP:
        if (strcmp(v, "start") && strcmp(v, "end"))
            return 0;
        *(int *)at = strcmp(v, "end") == 0;
        return 1;
    case CLI_FREQ:
        if (strcmp(v, "mon") && strcmp(v, "yr"))
            return 0;
        *(char *)at = v[0] == 'm' ? 'm' : 'y';
        return 1;
    case CLI_BASIS:
        if (strcmp(v, "land") && strcmp(v, "cell"))
            return 0;
        *(int *)at = strcmp(v, "land") == 0;
        return 1;
    case CLI_END:
    case CLI_HEADING: break;
    }
    return 0;
}

int cli_parse(const cli_option *table, void *target, int argc, char **argv, const char **pos,
              int npos, int *help, char *err, size_t errlen)
{
    int got = 0;
    *help = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            *help = 1;
            return T2I_OK;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (got == npos)
                return t2i_fail(T2I_EUSAGE, err, errlen, "unexpected argument '%s'", a);
            pos[got++] = a;
            continue;
        }
        char name[64];
        const char *eq = strchr(a, '=');
        size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        const cli_option *o = NULL;
        if (len < sizeof name) {
            snprintf(name, sizeof name, "%.*s", (int)len, a + 2);
            o = find(table, name);
        }
        if (!o)
            return t2i_fail(T2I_EUSAGE, err, errlen, "unknown option '%.*s'",
                            (int)(eq ? (size_t)(eq - a) : strlen(a)), a);
        const char *value;
        if (eq)
            value = eq + 1;
        else if (i + 1 < argc)
            value = argv[++i];
        else
            return t2i_fail(T2I_EUSAGE, err, errlen, "option '--%s' needs a value", name);
        int st = store(o, target, value);
        if (st == 0)
            return t2i_fail(T2I_EUSAGE, err, errlen, "bad value '%s' for option '--%s'", value,
                            name);
        if (st < 0)
            return t2i_fail(T2I_EUSAGE, err, errlen, "more than %d '--%s' options",
                            o->kind == CLI_MISSING ? CLI_MAX_MISSING
                            : o->kind == CLI_LAYER_BOUND ? CLI_MAX_LAYER_BOUNDS
                                                         : CLI_MAX_REDUCE,
                            name);
    }
    if (got != npos)
        return t2i_fail(T2I_EUSAGE, err, errlen, "need INPUT and OUTPUT");
    return T2I_OK;
}

void cli_help(const cli_option *table, FILE *out)
{
    for (const cli_option *o = table; o->kind != CLI_END; o++) {
        if (o->kind == CLI_HEADING) {
            fprintf(out, "%s\n", o->help);
            continue;
        }
        int n = fprintf(out, "  --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(out, "%*s", n < CLI_HELP_COLUMN - 1 ? CLI_HELP_COLUMN - n : 2, "");
        for (const char *h = o->help; *h;) {
            size_t line = strcspn(h, "\n");
            fprintf(out, "%.*s\n", (int)line, h);
            h += line;
            if (*h == '\n' && *++h)
                fprintf(out, "%*s", CLI_HELP_COLUMN, "");
        }
    }
}

/* Length of the ending of `name` that says netCDF (a --source archive
 * file may be compressed, README "Compressed inputs"; the containers of
 * tables/names.tsv, ignoring case as the plan does); 0 for none. */
static size_t container_suffix(const char *name)
{
    static const char *const endings[] = {".nc.tar.gz", ".nc.tar.bz2", ".nc.tgz", ".nc.tbz2",
                                          ".nc.gz",     ".nc.bz2",     ".nc"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
        size_t e = strlen(endings[i]);
        if (n >= e && strcasecmp(name + n - e, endings[i]) == 0)
            return e;
    }
    return 0;
}

void cli_names_from_path(const char *input, char *sim, char *var, char *model, size_t size)
{
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    sim[0] = var[0] = model[0] = '\0';
    for (const char *p = strstr(base, "_S"); p; p = strstr(p + 1, "_S")) {
        size_t digits = strspn(p + 2, "0123456789");
        const char *v = p + 2 + digits;
        size_t vlen = strlen(v), suffix = container_suffix(v);
        if (digits == 0 || *v != '_' || suffix == 0 || vlen < suffix + 2)
            continue;
        snprintf(sim, size, "%.*s", (int)(digits + 1), p + 1);
        snprintf(var, size, "%.*s", (int)(vlen - suffix - 1), v + 1);
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
