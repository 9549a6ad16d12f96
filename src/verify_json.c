/* The checker's result file (see verify_json.h). */
#include "verify_json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t2i.h"

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}

/* JSON has no NaN: missing numbers are null. */
static void json_numbers(FILE *out, const double *v, size_t n)
{
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', out);
        if (isfinite(v[i]))
            fprintf(out, "%.6g", v[i]);
        else
            fputs("null", out);
    }
    fputc(']', out);
}

static void json_body(FILE *out, const verify_options *o, const verify_problems *p,
                      const verify_summary *s, double wall)
{
    fprintf(out, "{\n  \"status\": \"%s\",\n  \"output\": ", p->total ? "failed" : "ok");
    json_string(out, o->output);
    fputs(",\n  \"input\": ", out);
    json_string(out, o->input);
    fprintf(out, ",\n  \"problem_count\": %d,\n  \"problems\": [", p->total);
    for (int i = 0; i < p->n; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        json_string(out, p->text[i]);
    }
    fputs("],\n  \"note\": ", out);
    json_string(out, s->note);
    fputs(",\n  \"calendar\": ", out);
    json_string(out, s->calendar);
    fprintf(out, ",\n  \"frequency\": \"%s\",\n  \"ntime\": %zu,\n  \"nlat\": %zu,\n"
            "  \"nlon\": %zu,\n  \"steps_compared\": %zu,\n  \"cells_compared\": %zu,\n"
            "  \"wall_seconds\": %.6f,\n  \"when\": ",
            s->monthly == 1 ? "mon" : s->monthly == 0 ? "yr" : "", s->ntime, s->nlat, s->nlon,
            s->steps_compared, s->cells_compared, wall);
    json_numbers(out, s->when, s->series ? s->ntime : 0);
    fputs(",\n  \"series\": ", out);
    json_numbers(out, s->series, s->series ? s->ntime : 0);
    fprintf(out, ",\n  \"map_nlat\": %zu,\n  \"map_nlon\": %zu,\n  \"map\": ", s->map_nlat,
            s->map_nlon);
    json_numbers(out, s->map, s->map ? s->map_nlat * s->map_nlon : 0);
    fputs("\n}\n", out);
}

int verify_write_json(const char *path, const verify_options *o, const verify_problems *p,
                      const verify_summary *s, double wall_seconds, char *err, size_t errlen)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return t2i_fail(T2I_EUSAGE, err, errlen, "result path is too long");
    FILE *out = fopen(tmp, "w");
    if (!out)
        return t2i_fail(T2I_ESYS, err, errlen, "cannot write '%s': %s", tmp, strerror(errno));
    json_body(out, o, p, s, wall_seconds);
    int bad = ferror(out);
    bad |= fclose(out) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        return t2i_fail(T2I_ESYS, err, errlen, "cannot write '%s'", path);
    }
    return T2I_OK;
}
