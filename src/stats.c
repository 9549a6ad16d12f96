/* Run statistics as JSON (see stats.h). */
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

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

size_t stats_json_string(char *buf, size_t len, size_t size, const char *s)
{
    if (len + 1 >= size)
        return size;
    size_t n = len;
    buf[n++] = '"';
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        int w; /* bytes written, without the NUL */
        if (*p == '"' || *p == '\\')
            w = snprintf(buf + n, size - n, "\\%c", *p);
        else if (*p < 0x20)
            w = snprintf(buf + n, size - n, "\\u%04x", *p);
        else
            w = snprintf(buf + n, size - n, "%c", *p);
        if (w < 0 || (size_t)w >= size - n)
            return size; /* never cut: a cut text would read as the whole */
        n += (size_t)w;
    }
    if (n + 2 > size) /* closing quote and NUL */
        return size;
    buf[n++] = '"';
    buf[n] = '\0';
    return n;
}

static long long file_bytes(const char *path)
{
    struct stat sb;
    return path && stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

/* Appends `"key": "value", ` */
static size_t put_str(char *buf, size_t n, const char *key, const char *value)
{
    if (n >= STATS_JSON_BYTES)
        return n;
    n += (size_t)snprintf(buf + n, STATS_JSON_BYTES - n, "  \"%s\": ", key);
    n = stats_json_string(buf, n < STATS_JSON_BYTES ? n : STATS_JSON_BYTES, STATS_JSON_BYTES, value);
    if (n < STATS_JSON_BYTES)
        n += (size_t)snprintf(buf + n, STATS_JSON_BYTES - n, ",\n");
    return n;
}

static size_t put_num(char *buf, size_t n, const char *key, double value)
{
    if (n >= STATS_JSON_BYTES)
        return n;
    return n + (size_t)snprintf(buf + n, STATS_JSON_BYTES - n, "  \"%s\": %.17g,\n", key, value);
}

static const char *freq_name(t2i_freq f)
{
    return f == T2I_FREQ_MONTH ? "mon" : f == T2I_FREQ_YEAR ? "yr" : "";
}

static size_t put_result(char *buf, size_t n, const t2i_result *r)
{
    char span[64] = "";
    if (r->ntime && r->freq == T2I_FREQ_YEAR)
        snprintf(span, sizeof span, "%04d/%04d", r->first_year, r->last_year);
    else if (r->ntime)
        snprintf(span, sizeof span, "%04d-%02d/%04d-%02d", r->first_year, r->first_month,
                 r->last_year, r->last_month);
    n = put_str(buf, n, "out_variable", r->out_var);
    n = put_str(buf, n, "units_from", r->units_from);
    n = put_str(buf, n, "units_to", r->units_to);
    n = put_str(buf, n, "conversion", r->conversion);
    n = put_str(buf, n, "calendar", r->calendar);
    n = put_str(buf, n, "frequency", freq_name(r->freq));
    n = put_str(buf, n, "time_span", span);
    n = put_num(buf, n, "ntime", (double)r->ntime);
    n = put_num(buf, n, "nlat", (double)r->nlat);
    n = put_num(buf, n, "nlon", (double)r->nlon);
    n = put_num(buf, n, "slab_steps", (double)r->slab_steps);
    n = put_str(buf, n, "quirks", r->notes.quirks);
    return put_str(buf, n, "warnings", r->notes.warnings);
}

static size_t put_run(char *buf, size_t n, const t2i_options *o, int status, const char *error,
                      const t2i_clock *clock)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
                 ru.ru_stime.tv_usec / 1e6;
    n = put_str(buf, n, "status", status == T2I_OK ? "ok" : "failed");
    n = put_num(buf, n, "exit_code", status);
    n = put_str(buf, n, "error", error);
    n = put_str(buf, n, "input", o->input);
    n = put_str(buf, n, "output", o->output);
    n = put_str(buf, n, "model", o->model);
    n = put_str(buf, n, "simulation", o->sim);
    n = put_str(buf, n, "variable", o->table_var);
    n = put_num(buf, n, "input_bytes", (double)file_bytes(o->input));
    n = put_num(buf, n, "output_bytes", (double)(status == T2I_OK ? file_bytes(o->output) : -1));
    n = put_num(buf, n, "wall_seconds", now_seconds() - clock->wall_start);
    n = put_num(buf, n, "cpu_seconds", cpu);
    return put_num(buf, n, "peak_rss_kib", (double)ru.ru_maxrss);
}

int stats_write(const char *path, const t2i_options *o, const t2i_result *res, int status,
                const char *error, const t2i_clock *clock, char *err, size_t errlen)
{
    static const char prefix[] = "{\n";
    char buf[STATS_JSON_BYTES], tmp[4096];
    memcpy(buf, prefix, sizeof prefix);
    size_t n = put_run(buf, sizeof prefix - 1, o, status, error, clock);
    n = put_result(buf, n, res);
    if (n >= STATS_JSON_BYTES - 4)
        return t2i_fail(T2I_ESYS, err, errlen, "statistics do not fit %d bytes", STATS_JSON_BYTES);
    snprintf(buf + n - 2, STATS_JSON_BYTES - n + 2, "\n}\n"); /* drop the last comma */
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return t2i_fail(T2I_EUSAGE, err, errlen, "stats path is too long");
    remove(tmp);
    FILE *f = fopen(tmp, "wx");
    if (!f)
        return t2i_fail(T2I_ESYS, err, errlen, "cannot write '%s': %s", tmp, strerror(errno));
    int bad = fputs(buf, f) == EOF;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        return t2i_fail(T2I_ESYS, err, errlen, "cannot write '%s'", path);
    }
    return T2I_OK;
}
