/* Run statistics as JSON (see stats.h). */
#include "stats.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "json.h"
#include "t2i.h"

/* Room for one stats object, in bytes: notes dominate (2 x 2 KiB). */
#define STATS_JSON_BYTES 16384

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void stats_start(t2i_clock *clock)
{
    clock->wall_start = now_seconds();
}

static long long file_bytes(const char *path)
{
    struct stat sb;
    return path && stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

/* Appends one `"key": value` member; members are separated by ",\n". */
static void key(t2i_json *j, const char *name)
{
    json_printf(j, "%s  \"%s\": ", j->len > 2 ? ",\n" : "", name);
}

static void put_str(t2i_json *j, const char *name, const char *value)
{
    key(j, name);
    json_string(j, value);
}

static void put_num(t2i_json *j, const char *name, double value)
{
    key(j, name);
    json_printf(j, "%.17g", value);
}

static const char *freq_name(t2i_freq f)
{
    return f == T2I_FREQ_MONTH ? "mon" : f == T2I_FREQ_YEAR ? "yr" : "";
}

static void put_result(t2i_json *j, const t2i_result *r)
{
    char span[64] = "";
    if (r->ntime && r->freq == T2I_FREQ_YEAR)
        snprintf(span, sizeof span, "%04d/%04d", r->first_year, r->last_year);
    else if (r->ntime)
        snprintf(span, sizeof span, "%04d-%02d/%04d-%02d", r->first_year, r->first_month,
                 r->last_year, r->last_month);
    put_str(j, "out_variable", r->out_var);
    put_str(j, "units_from", r->units_from);
    put_str(j, "units_to", r->units_to);
    put_str(j, "conversion", r->conversion);
    put_str(j, "calendar", r->calendar);
    put_str(j, "frequency", freq_name(r->freq));
    put_str(j, "time_span", span);
    put_num(j, "ntime", (double)r->ntime);
    put_num(j, "nlat", (double)r->nlat);
    put_num(j, "nlon", (double)r->nlon);
    put_num(j, "slab_steps", (double)r->slab_steps);
    put_str(j, "read_path", r->read_path);
    put_str(j, "quirks", r->notes.quirks);
    put_str(j, "warnings", r->notes.warnings);
}

static void put_run(t2i_json *j, const t2i_options *o, int status, const char *error,
                    const char *output_file, const t2i_clock *clock)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
                 ru.ru_stime.tv_usec / 1e6;
    put_str(j, "status", status == T2I_OK ? "ok" : "failed");
    put_num(j, "exit_code", status);
    put_str(j, "error", error);
    /* input_bytes stays the size read: what the throughput measures. */
    put_str(j, "input", o->source ? o->source : o->input);
    put_str(j, "output", o->output);
    put_str(j, "model", o->model);
    put_str(j, "simulation", o->sim);
    put_str(j, "variable", o->table_var);
    put_num(j, "input_bytes", (double)file_bytes(o->input));
    put_num(j, "output_bytes", (double)(status == T2I_OK ? file_bytes(output_file) : -1));
    put_num(j, "wall_seconds", now_seconds() - clock->wall_start);
    put_num(j, "cpu_seconds", cpu);
    put_num(j, "peak_rss_kib", (double)ru.ru_maxrss);
}

int stats_prepare(t2i_plainfile *f, const char *path, const t2i_options *o,
                  const t2i_result *res, int status, const char *error, const char *output_file,
                  const t2i_clock *clock, char *err, size_t errlen)
{
    t2i_json j;
    f->fd = -1;
    f->tmp[0] = '\0';
    json_init(&j, STATS_JSON_BYTES);
    json_printf(&j, "{\n");
    put_run(&j, o, status, error, output_file, clock);
    put_result(&j, res);
    json_printf(&j, "\n}\n");
    int st = j.full == 1 ? t2i_fail(T2I_ESYS, err, errlen, "statistics do not fit %d bytes",
                                    STATS_JSON_BYTES)
             : j.full ? t2i_fail(T2I_ESYS, err, errlen, "out of memory for the statistics")
                      : plainfile_begin(f, path, err, errlen);
    if (st == T2I_OK)
        st = plainfile_write(f, j.buf, j.len, err, errlen);
    if (st == T2I_OK)
        st = plainfile_finish(f, err, errlen);
    json_free(&j);
    return st;
}

int stats_write(const char *path, const t2i_options *o, const t2i_result *res, int status,
                const char *error, const t2i_clock *clock, char *err, size_t errlen)
{
    t2i_plainfile f;
    int st = stats_prepare(&f, path, o, res, status, error, o->output, clock, err, errlen);
    return st == T2I_OK ? plainfile_commit(&f, err, errlen) : st;
}
