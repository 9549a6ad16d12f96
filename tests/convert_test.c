/* Tests of src/convert.c at the C level: one conversion that succeeds (so
 * the fixture is known good), then every way convert_run can fail, each
 * with its status (T2I_EINPUT for the input, T2I_ESYS for the system), its
 * message, and neither the output nor its .tmp left behind. End-to-end
 * runs of the command line are tests/convert_test.sh. */
#include "convert.h"

#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "t2i.h"

/* Room for the temporary directory's name and for a path in it, in bytes. */
#define DIR_LEN 64
#define PATH_LEN 128

/* The committed variables table, relative to the repository root. */
#define TABLE_PATH "tables/variables.tsv"

/* Output cells of the fixture: 2 months x 2 rows x 3 columns. */
#define NCELLS 12

typedef struct {
    char dir[DIR_LEN];
    char input[PATH_LEN];  /* the good fixture */
    char huge[PATH_LEN];   /* a value that overflows float at step 1 */
    char annual[PATH_LEN]; /* annual steps in a per-month unit */
} scratch;

/* A noleap January and February of 1850, rows north to south (45, -45),
 * columns 0, 120, 240 (to be rolled), one missing cell, double values. */
#define FIXTURE_HEAD                                                                   \
    "netcdf f {\ndimensions:\n time = UNLIMITED ; lat = 2 ; lon = 3 ;\nvariables:\n"   \
    " double time(time) ; time:units = \"days since 1850-01-01\" ;\n"                  \
    "   time:calendar = \"noleap\" ;\n"                                                \
    " float lat(lat) ; lat:units = \"degrees_north\" ;\n"                              \
    " float lon(lon) ; lon:units = \"degrees_east\" ;\n"                               \
    " double gpp(time, lat, lon) ; gpp:_FillValue = -99999. ;\n"

static const char GOOD[] = FIXTURE_HEAD "   gpp:units = \"kg m-2 s-1\" ;\n"
                                        "data:\n time = 15.5, 45 ;\n lat = 45, -45 ;\n"
                                        " lon = 0, 120, 240 ;\n"
                                        " gpp = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, _, 12 ;\n}\n";

/* 1e300 at step 1, input row 0 (45 N: output row 1), input column 0
 * (0 E: output column 1). */
static const char HUGE[] = FIXTURE_HEAD "   gpp:units = \"kg m-2 s-1\" ;\n"
                                        "data:\n time = 15.5, 45 ;\n lat = 45, -45 ;\n"
                                        " lon = 0, 120, 240 ;\n"
                                        " gpp = 1, 2, 3, 4, 5, 6, 1e300, 8, 9, 10, 11, 12 ;\n}\n";

/* Mid-1850 and mid-1851 of a noleap calendar: an annual axis. */
static const char ANNUAL[] = FIXTURE_HEAD "   gpp:units = \"kg m-2 month-1\" ;\n"
                                          "data:\n time = 182.5, 547.5 ;\n lat = 45, -45 ;\n"
                                          " lon = 0, 120, 240 ;\n}\n";

static int make_nc(const scratch *s, const char *name, const char *cdl, char *path)
{
    char cdl_path[PATH_LEN], cmd[3 * PATH_LEN];
    snprintf(cdl_path, sizeof cdl_path, "%s/%s.cdl", s->dir, name);
    snprintf(path, PATH_LEN, "%s/%s.nc", s->dir, name);
    FILE *f = fopen(cdl_path, "w");
    if (!f)
        return -1;
    fputs(cdl, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "ncgen -k classic -o '%s' '%s'", path, cdl_path);
    return system(cmd);
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

static const char *in_dir(const scratch *s, const char *name, char *path)
{
    snprintf(path, PATH_LEN, "%s/%s", s->dir, name);
    return path;
}

static t2i_options options(const char *input, const char *output)
{
    t2i_options o;
    memset(&o, 0, sizeof o);
    o.input = input;
    o.output = output;
    o.var = "gpp";
    o.table_var = "gpp";
    o.model = "M";
    o.sim = "S3";
    o.table = TABLE_PATH;
    o.command_line = "convert_test";
    o.deflate = 1;
    o.memory_bytes = CONVERT_MEMORY_BYTES;
    o.stamp = T2I_STAMP_START;
    o.freq = T2I_FREQ_UNKNOWN;
    o.scale = 1.0;
    return o;
}

/* Output rows are south to north, columns -120 (input 240), 0, 120:
 * step 0: row 0 = input row 1 {4, 5, 6} -> {6, 4, 5}; row 1 = input row 0
 * {1, 2, 3} -> {3, 1, 2}; step 1 likewise from {10, _, 12} and {7, 8, 9}. */
static const float GOOD_OUT[NCELLS] = {6, 4, 5, 3, 1, 2, 12, 10, T2I_FILL, 9, 7, 8};

static void test_success(t2i_tally *t, const scratch *s)
{
    char out[PATH_LEN], tmp[PATH_LEN], err[T2I_ERRLEN] = "";
    in_dir(s, "gpp.nc", out);
    in_dir(s, "gpp.nc.tmp", tmp);
    add_pid(tmp, sizeof tmp);
    t2i_options o = options(s->input, out);
    t2i_result r;
    int st = convert_run(&o, &r, err, sizeof err);
    CHECK(t, st == T2I_OK && exists(out) && !exists(tmp),
          "the fixture converts, leaving the output and no .tmp");
    if (st != T2I_OK) {
        printf("     %s\n", err);
        return;
    }
    CHECK(t, r.ntime == 2 && r.nlat == 2 && r.nlon == 3 && r.first_year == 1850 &&
                 r.first_month == 1 && r.last_year == 1850 && r.last_month == 2 &&
                 strcmp(r.out_var, "gpp") == 0 && strcmp(r.calendar, "noleap") == 0,
          "the result reports 2 months of 1850 on a 2 x 3 grid, noleap");
    int ncid, varid;
    float got[NCELLS];
    int ok = nc_open(out, NC_NOWRITE, &ncid) == NC_NOERR;
    ok = ok && nc_inq_varid(ncid, "gpp", &varid) == NC_NOERR &&
         nc_get_var_float(ncid, varid, got) == NC_NOERR;
    if (ok)
        nc_close(ncid);
    CHECK(t, ok && memcmp(got, GOOD_OUT, sizeof got) == 0,
          "the output is flipped, rolled and masked as worked out by hand");
    unlink(out);
}

/* Runs o; checks status, exact message (or only its start when `prefix`:
 * the rest is units.c's, tested in units_test.c), and that neither
 * o->output nor its .tmp exists afterwards. */
static void check_fails(t2i_tally *t, const t2i_options *o, int want_st, const char *want,
                        int prefix, const char *desc)
{
    char tmp[PATH_LEN + 8], err[T2I_ERRLEN] = "", line[T2I_ERRLEN + 64];
    snprintf(tmp, sizeof tmp, "%s.tmp", o->output);
    add_pid(tmp, sizeof tmp);
    t2i_result r;
    int st = convert_run(o, &r, err, sizeof err);
    snprintf(line, sizeof line, "%s fails with status %d", desc, want_st);
    CHECK(t, st == want_st, line);
    if (st != want_st)
        printf("     got status %d\n", st);
    snprintf(line, sizeof line, "%s leaves no output and no .tmp", desc);
    CHECK(t, !exists(o->output) && !exists(tmp), line);
    snprintf(line, sizeof line, "%s is explained word for word", desc);
    if (prefix) {
        CHECK(t, strncmp(err, want, strlen(want)) == 0, line);
        if (strncmp(err, want, strlen(want)) != 0)
            printf("     got  '%s'\n     want '%s...'\n", err, want);
    } else {
        CHECK_STR(t, err, want, line);
    }
}

static void test_table_errors(t2i_tally *t, const scratch *s)
{
    char out[PATH_LEN], table[PATH_LEN], want[T2I_ERRLEN];
    in_dir(s, "gpp.nc", out);
    in_dir(s, "no-such-table.tsv", table);
    t2i_options o = options(s->input, out);
    o.table = table;
    snprintf(want, sizeof want, "cannot read variables table '%s': No such file or directory",
             table);
    check_fails(t, &o, T2I_ESYS, want, 0, "a variables table that does not exist");
    o = options(s->input, out);
    o.table_var = "xyz";
    check_fails(t, &o, T2I_EINPUT,
                "variable 'xyz' is not in the variables table '" TABLE_PATH "'", 0,
                "a variable the table does not know");
}

static void test_input_errors(t2i_tally *t, const scratch *s)
{
    char out[PATH_LEN], missing[PATH_LEN];
    in_dir(s, "gpp.nc", out);
    in_dir(s, "no-such-input.nc", missing);
    t2i_options o = options(missing, out);
    check_fails(t, &o, T2I_EINPUT, "cannot open: No such file or directory", 0,
                "an input file that does not exist");
    o = options(s->input, out);
    o.var = "npp";
    o.table_var = "npp";
    check_fails(t, &o, T2I_EINPUT,
                "variable 'npp' not found (file has 'time'; 'lat'; 'lon'; 'gpp')", 0,
                "a variable the input does not hold");
    o = options(s->input, out);
    o.calendar = "xyz";
    check_fails(t, &o, T2I_EINPUT, "unknown calendar 'xyz'", 0, "an unknown calendar");
    o = options(s->input, out);
    o.units = "m";
    check_fails(t, &o, T2I_EINPUT, "'gpp': ", 1, "units that cannot become kg m-2 s-1");
    o = options(s->annual, out);
    check_fails(t, &o, T2I_EINPUT,
                "'gpp': units 'kg m-2 month-1' are per month but the time axis is annual", 0,
                "a per-month unit on an annual axis");
    /* one step: 6 doubles in (48 bytes) + 6 floats out (24 bytes) */
    o = options(s->input, out);
    o.memory_bytes = 71;
    check_fails(t, &o, T2I_EINPUT,
                "'gpp': one time step needs 72 bytes, more than the memory budget of 71 bytes "
                "(--memory)",
                0, "a memory budget one byte short of a time step");
}

/* Fails after the header and step 0 are written: the .tmp must go. */
static void test_stream_error(t2i_tally *t, const scratch *s)
{
    char out[PATH_LEN];
    in_dir(s, "gpp.nc", out);
    t2i_options o = options(s->huge, out);
    check_fails(t, &o, T2I_EINPUT,
                "'gpp': value 1e+300 at step 0, row 1, column 1 does not fit a float "
                "(time step 1 onwards)",
                0, "a value beyond float range at step 1, after step 0 was written");
}

static void test_output_errors(t2i_tally *t, const scratch *s)
{
    char out[PATH_LEN], want[T2I_ERRLEN];
    in_dir(s, "no-such-dir/gpp.nc", out);
    snprintf(want, sizeof want, "cannot create '%s.tmp.%ld': No such file or directory", out, (long)getpid());
    t2i_options o = options(s->input, out);
    check_fails(t, &o, T2I_ESYS, want, 0, "a missing output directory");
    if (geteuid() != 0) {
        in_dir(s, "read-only/gpp.nc", out);
    } else {
        /* root ignores directory modes; sysfs refuses new files even to root */
        snprintf(out, sizeof out, "/sys/t2i_convert_test.nc");
    }
    snprintf(want, sizeof want, "cannot create '%s.tmp.%ld': Permission denied", out, (long)getpid());
    o = options(s->input, out);
    check_fails(t, &o, T2I_ESYS, want, 0, "an unwritable output directory");
    char taken[PATH_LEN], inner[PATH_LEN], tmp[PATH_LEN], err[T2I_ERRLEN] = "";
    in_dir(s, "taken.nc", taken);
    in_dir(s, "taken.nc/keep", inner);
    in_dir(s, "taken.nc.tmp", tmp);
    add_pid(tmp, sizeof tmp);
    mkdir(taken, 0755);
    mkdir(inner, 0755);
    o = options(s->input, taken);
    t2i_result r;
    int st = convert_run(&o, &r, err, sizeof err);
    CHECK(t, st == T2I_ESYS && !exists(tmp) && exists(inner),
          "an output name taken by a directory fails at the rename, leaves no .tmp and keeps "
          "the directory");
    snprintf(want, sizeof want, "cannot rename '%s' to '%s': Is a directory", tmp, taken);
    CHECK_STR(t, err, want, "the rename failure names both paths");
    rmdir(inner);
    rmdir(taken);
}

static void cleanup(const scratch *s)
{
    char cmd[2 * DIR_LEN];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
    if (system(cmd) != 0)
        printf("     could not remove %s\n", s->dir);
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    scratch s;
    char path[PATH_LEN];
    snprintf(s.dir, sizeof s.dir, "/tmp/convert_test.XXXXXX");
    if (!mkdtemp(s.dir)) {
        perror("mkdtemp");
        return 1;
    }
    mkdir(in_dir(&s, "read-only", path), 0555);
    if (make_nc(&s, "input", GOOD, s.input) || make_nc(&s, "huge", HUGE, s.huge) ||
        make_nc(&s, "annual", ANNUAL, s.annual)) {
        CHECK(&t, 0, "ncgen writes the fixtures");
        cleanup(&s);
        return CHECK_SUMMARY(&t);
    }
    test_success(&t, &s);
    test_table_errors(&t, &s);
    test_input_errors(&t, &s);
    test_stream_error(&t, &s);
    test_output_errors(&t, &s);
    cleanup(&s);
    return CHECK_SUMMARY(&t);
}
