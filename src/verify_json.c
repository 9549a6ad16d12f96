/* The checker's result file (see verify_json.h), through the shared
 * JSON and plain-file writers. */
#include "verify_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "plainfile.h"
#include "t2i.h"

/* A result holds at most a 144 x 72 map and one number per step: far
 * below this, which only bounds a runaway. */
#define VERIFY_JSON_MAX (64u << 20)

/* JSON has no NaN: missing numbers are null. */
static void numbers(t2i_json *j, const double *v, size_t n)
{
    json_printf(j, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            json_printf(j, ",");
        json_number(j, "%.6g", v[i]);
    }
    json_printf(j, "]");
}

static void body(t2i_json *j, const verify_options *o, const verify_problems *p,
                 const verify_summary *s, double wall)
{
    json_printf(j, "{\n  \"status\": \"%s\",\n  \"output\": ", p->total ? "failed" : "ok");
    json_string(j, o->output);
    json_printf(j, ",\n  \"input\": ");
    json_string(j, o->source ? o->source : o->input);
    json_printf(j, ",\n  \"problem_count\": %d,\n  \"problems\": [", p->total);
    for (int i = 0; i < p->n; i++) {
        json_printf(j, i ? ",\n    " : "\n    ");
        json_string(j, p->text[i]);
    }
    json_printf(j, "],\n  \"note\": ");
    json_string(j, s->note);
    json_printf(j, ",\n  \"calendar\": ");
    json_string(j, s->calendar);
    json_printf(j, ",\n  \"frequency\": \"%s\",\n  \"ntime\": %zu,\n  \"nlat\": %zu,\n"
                "  \"nlon\": %zu,\n  \"steps_compared\": %zu,\n  \"cells_compared\": %zu,\n"
                "  \"wall_seconds\": %.6f,\n  \"when\": ",
                s->monthly == 1 ? "mon" : s->monthly == 0 ? "yr" : "", s->ntime, s->nlat, s->nlon,
                s->steps_compared, s->cells_compared, wall);
    numbers(j, s->when, s->series ? s->ntime : 0);
    json_printf(j, ",\n  \"series\": ");
    numbers(j, s->series, s->series ? s->ntime : 0);
    json_printf(j, ",\n  \"map_nlat\": %zu,\n  \"map_nlon\": %zu,\n  \"map\": ", s->map_nlat,
                s->map_nlon);
    numbers(j, s->map, s->map ? s->map_nlat * s->map_nlon : 0);
    json_printf(j, "\n}\n");
}

int verify_write_json(const char *path, const verify_options *o, const verify_problems *p,
                      const verify_summary *s, double wall_seconds, char *err, size_t errlen)
{
    t2i_json j;
    json_init(&j, VERIFY_JSON_MAX);
    body(&j, o, p, s, wall_seconds);
    int st = j.full ? t2i_fail(T2I_ESYS, err, errlen, "out of memory for the result")
                    : plainfile_write_all(path, j.buf, j.len, err, errlen);
    json_free(&j);
    return st;
}
