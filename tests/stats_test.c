/* Tests of src/stats.c: JSON string escaping and its size limit, and the
 * --stats file: valid JSON (checked by python3 -m json.tool), the fields a
 * report reads, no temporary left behind, and the failure message. */
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "t2i.h"

/* Room for the temporary directory's name and for a path in it, in bytes. */
#define DIR_LEN 64
#define PATH_LEN 256

/* Room for a whole stats file read back, in bytes (the writer's limit). */
#define FILE_LEN 16384


typedef struct {
    char dir[DIR_LEN];
} scratch;

static const char *in_dir(const scratch *s, const char *name, char *path)
{
    snprintf(path, PATH_LEN, "%s/%s", s->dir, name);
    return path;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* Reads a whole (small) file into buf; "" when unreadable. */
static const char *read_file(const char *path, char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return buf;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static t2i_options sample_options(const char *input, const char *output)
{
    t2i_options o;
    memset(&o, 0, sizeof o);
    o.input = input;
    o.output = output;
    o.model = "CLM5.0";
    o.sim = "S3";
    o.var = "gpp";
    o.table_var = "gpp";
    return o;
}

static t2i_result sample_result(void)
{
    t2i_result r;
    memset(&r, 0, sizeof r);
    snprintf(r.out_var, sizeof r.out_var, "gpp");
    snprintf(r.units_from, sizeof r.units_from, "gC m-2 day-1");
    snprintf(r.units_to, sizeof r.units_to, "kg m-2 s-1");
    snprintf(r.calendar, sizeof r.calendar, "noleap");
    r.freq = T2I_FREQ_MONTH;
    r.ntime = 3;
    r.nlat = 2;
    r.nlon = 4;
    r.first_year = 1700;
    r.first_month = 1;
    r.last_year = 1700;
    r.last_month = 3;
    r.slab_steps = 1;
    T2I_QUIRK(&r.notes, "variable 'GPP' matched 'gpp' ignoring case");
    T2I_QUIRK(&r.notes, "a \"quoted\" note");
    return r;
}

static int json_valid(const char *path)
{
    char cmd[PATH_LEN + 64];
    snprintf(cmd, sizeof cmd, "python3 -m json.tool '%s' > /dev/null", path);
    return system(cmd) == 0;
}

/* JSON validity needs python3 (a Debian default); without it the check is
 * skipped, not passed. */
static void check_json(t2i_tally *t, const char *path, const char *desc)
{
    if (system("command -v python3 > /dev/null 2>&1") != 0)
        SKIP(t, desc);
    else
        CHECK(t, json_valid(path), desc);
}

/* A failed run: 10-byte input, error text with a quote and a newline. */
static void test_write_failed_run(t2i_tally *t, const scratch *s)
{
    char input[PATH_LEN], json[PATH_LEN], tmp[PATH_LEN], text[FILE_LEN];
    in_dir(s, "input.nc", input);
    in_dir(s, "stats.json", json);
    in_dir(s, "stats.json.tmp", tmp);
    add_pid(tmp, sizeof tmp);
    write_file(input, "0123456789");
    write_file(tmp, "stale");
    t2i_options o = sample_options(input, "/nonexistent/out.nc");
    t2i_result r = sample_result();
    t2i_clock clock;
    stats_start(&clock);
    char err[T2I_ERRLEN] = "";
    int st = stats_write(json, &o, &r, T2I_EINPUT, "bad \"units\"\nsecond line", &clock, err,
                         sizeof err);
    CHECK(t, st == T2I_OK, "the stats of a failed run are written");
    CHECK(t, exists(json) && !exists(tmp), "the stats file is in place and no .tmp is left");
    check_json(t, json, "the stats file is valid JSON (python3 -m json.tool)");
    read_file(json, text, sizeof text);
    CHECK(t, strstr(text, "\"status\": \"failed\",") && strstr(text, "\"exit_code\": 1,"),
          "a failed run has status 'failed' and its exit code");
    CHECK(t, strstr(text, "\"error\": \"bad \\\"units\\\"\\u000asecond line\","),
          "the error text is escaped into one JSON string");
    CHECK(t, strstr(text, "\"input_bytes\": 10,"), "input_bytes is the input file's size");
    CHECK(t, strstr(text, "\"output_bytes\": -1,"), "a failed run has no output bytes (-1)");
    CHECK(t, strstr(text, "\"time_span\": \"1700-01/1700-03\","),
          "the time span runs from the first to the last month");
    CHECK(t, strstr(text, "\"frequency\": \"mon\","), "monthly data is reported as 'mon'");
    CHECK(t, strstr(text, "\"quirks\": \"variable 'GPP' matched 'gpp' ignoring case; "
                          "a \\\"quoted\\\" note\","),
          "the quirks are reported, joined by '; ' and escaped");
    CHECK(t, text[0] == '{' && strstr(text, "\n}\n") && !strstr(text, ",\n}"),
          "the object closes without a trailing comma");
}

/* A successful run with a 5-byte output. */
static void test_write_ok_run(t2i_tally *t, const scratch *s)
{
    char input[PATH_LEN], output[PATH_LEN], json[PATH_LEN], text[FILE_LEN];
    in_dir(s, "input.nc", input);
    in_dir(s, "out.nc", output);
    in_dir(s, "ok.json", json);
    write_file(output, "12345");
    t2i_options o = sample_options(input, output);
    t2i_result r = sample_result();
    t2i_clock clock;
    stats_start(&clock);
    char err[T2I_ERRLEN] = "";
    int st = stats_write(json, &o, &r, T2I_OK, "", &clock, err, sizeof err);
    read_file(json, text, sizeof text);
    CHECK(t, st == T2I_OK, "the stats of a successful run are written");
    check_json(t, json, "the stats of a successful run are valid JSON");
    CHECK(t, strstr(text, "\"status\": \"ok\",") && strstr(text, "\"exit_code\": 0,"),
          "a successful run has status 'ok' and exit code 0");
    CHECK(t, strstr(text, "\"output_bytes\": 5,"), "output_bytes is the output file's size");
    CHECK(t, strstr(text, "\"model\": \"CLM5.0\",") && strstr(text, "\"simulation\": \"S3\","),
          "model and simulation are reported");
}

/* Notes of 2047 control characters each escape to 6 x 2047 bytes: two of
 * them cannot fit the 16384-byte object. */
static void test_write_too_big(t2i_tally *t, const scratch *s)
{
    char input[PATH_LEN], json[PATH_LEN], tmp[PATH_LEN];
    in_dir(s, "input.nc", input);
    in_dir(s, "big.json", json);
    in_dir(s, "big.json.tmp", tmp);
    add_pid(tmp, sizeof tmp);
    t2i_options o = sample_options(input, "");
    t2i_result r = sample_result();
    memset(r.notes.quirks, 1, sizeof r.notes.quirks - 1);
    r.notes.quirks[sizeof r.notes.quirks - 1] = '\0';
    memset(r.notes.warnings, 1, sizeof r.notes.warnings - 1);
    r.notes.warnings[sizeof r.notes.warnings - 1] = '\0';
    t2i_clock clock;
    stats_start(&clock);
    char err[T2I_ERRLEN] = "";
    int st = stats_write(json, &o, &r, T2I_OK, "", &clock, err, sizeof err);
    CHECK(t, st == T2I_ESYS, "statistics too large for the object are a system error");
    CHECK_STR(t, err, "statistics do not fit 16384 bytes", "the too-large message gives the limit");
    CHECK(t, !exists(json) && !exists(tmp), "statistics too large leave no file and no .tmp");
}

static void test_write_no_dir(t2i_tally *t, const scratch *s)
{
    char json[PATH_LEN], want[T2I_ERRLEN];
    in_dir(s, "no-such-dir/stats.json", json);
    snprintf(want, sizeof want, "cannot write '%s.tmp.%ld': No such file or directory", json, (long)getpid());
    t2i_options o = sample_options("", "");
    t2i_result r = sample_result();
    t2i_clock clock;
    stats_start(&clock);
    char err[T2I_ERRLEN] = "";
    int st = stats_write(json, &o, &r, T2I_OK, "", &clock, err, sizeof err);
    CHECK(t, st == T2I_ESYS, "a stats path in a missing directory is a system error");
    CHECK_STR(t, err, want, "the message names the temporary file and the system's reason");
}

static void cleanup(const scratch *s)
{
    static const char *const names[] = {"input.nc", "out.nc", "stats.json", "ok.json",
                                        "big.json", "stats.json.tmp", "big.json.tmp"};
    char path[PATH_LEN];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        unlink(in_dir(s, names[i], path));
    rmdir(s->dir);
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    scratch s;
    snprintf(s.dir, sizeof s.dir, "/tmp/stats_test.XXXXXX");
    if (!mkdtemp(s.dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_write_failed_run(&t, &s);
    test_write_ok_run(&t, &s);
    test_write_too_big(&t, &s);
    test_write_no_dir(&t, &s);
    cleanup(&s);
    return CHECK_SUMMARY(&t);
}
