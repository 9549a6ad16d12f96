/* Tests of src/vartable.c: lookups in the committed table (by TRENDY name
 * and by output name), and on small tables written here: comments, blank
 * lines, malformed lines, a missing file and a missing name, each failure
 * with its exact message and status. */
#include "vartable.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "t2i.h"

/* The committed table, relative to the repository root (tests run there). */
#define TABLE_PATH "tables/variables.tsv"

/* Room for the temporary directory's name and for a path in it, in bytes
 * (small enough that every message built from them fits T2I_ERRLEN). */
#define DIR_LEN 64
#define PATH_LEN 256

/* Characters of filler making a line longer than vartable.c's buffer. */
#define LONG_LINE_LEN 1500

typedef struct {
    char dir[DIR_LEN];
    char path[PATH_LEN];
} scratch;

/* Writes `text` to dir/name and returns its path (in s->path). */
static const char *write_table(scratch *s, const char *name, const char *text)
{
    snprintf(s->path, sizeof s->path, "%s/%s", s->dir, name);
    FILE *f = fopen(s->path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return s->path;
}

static void test_committed_table(t2i_tally *t)
{
    t2i_varinfo v;
    char err[T2I_ERRLEN] = "";
    int st = vartable_lookup(TABLE_PATH, "evapotrans", &v, err, sizeof err);
    CHECK(t, st == T2I_OK, "the committed table knows 'evapotrans'");
    CHECK_STR(t, st == T2I_OK ? v.out : err, "evspsbl",
              "'evapotrans' is written out under its CMIP6 name 'evspsbl'");
    CHECK_STR(t, st == T2I_OK ? v.units : err, "kg m-2 s-1",
              "'evapotrans' is converted to kg m-2 s-1");
    CHECK_STR(t, st == T2I_OK ? v.standard_name : err, "water_evapotranspiration_flux",
              "'evapotrans' carries the CF standard_name of evspsbl");
    st = vartable_lookup(TABLE_PATH, "evspsbl", &v, err, sizeof err);
    CHECK_STR(t, st == T2I_OK ? v.trendy : err, "evapotrans",
              "looking up the output name 'evspsbl' finds the TRENDY name 'evapotrans'");
    st = vartable_lookup(TABLE_PATH, "gpp", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.out, "gpp") == 0 && strcmp(v.units, "kg m-2 s-1") == 0 &&
                 strcmp(v.cell_methods, "area: mean where land time: mean") == 0,
          "'gpp' keeps its name, is in kg m-2 s-1 and has the CMIP6 cell_methods");
    st = vartable_lookup(TABLE_PATH, "lai", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.units, "1") == 0, "'lai' is dimensionless ('1')");
    st = vartable_lookup(TABLE_PATH, "burntArea", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.units, "%") == 0, "'burntArea' is in percent");
    st = vartable_lookup(TABLE_PATH, "GPP", &v, err, sizeof err);
    CHECK(t, st == T2I_EINPUT, "names in the table are matched case-sensitively");
    CHECK(t, vartable_lookup(TABLE_PATH, "gpp", &v, err, sizeof err) == T2I_OK && !v.layers[0],
          "'gpp' has no layers column");
    st = vartable_lookup(TABLE_PATH, "msl", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.out, "mrsol") == 0 && strcmp(v.layers, "depth") == 0,
          "'msl' first gives 'mrsol', its layers kept as depth");
    st = vartable_lookup(TABLE_PATH, "mrsos", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.trendy, "msl") == 0 && strcmp(v.layers, "top=0.1") == 0 &&
                 strcmp(v.units, "kg m-2") == 0,
          "'mrsos' comes from 'msl', integrated over the top 0.1 m");
    st = vartable_lookup(TABLE_PATH, "tsl", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.units, "K") == 0 && strcmp(v.layers, "depth") == 0,
          "'tsl' is in K with its layers kept");
    st = vartable_lookup(TABLE_PATH, "sh", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.out, "hfss") == 0, "CLM's 'sh' is written as 'hfss'");
}

/* Two rows around comments and blank lines; the seventh column (the CMIP
 * table) is ignored. */
static const char SMALL[] =
    "# a comment line\n"
    "\n"
    "aaa\tbbb\tkg m-2\tstd_a\tLong A\tarea: mean\tCMIP6_Lmon.json:bbb\n"
    "# another\tcomment\twith tabs\n"
    "\n"
    "ccc\tccc\t1\tstd_c\tLong C\ttime: mean\n"
    "ddd\tddd\tK\tstd_d\tLong D\ttime: mean\tCMIP6_Lmon.json:ddd\tdepth\n";

static void test_small_table(t2i_tally *t, scratch *s)
{
    const char *path = write_table(s, "small.tsv", SMALL);
    t2i_varinfo v;
    char err[T2I_ERRLEN] = "";
    int st = vartable_lookup(path, "aaa", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.trendy, "aaa") == 0 && strcmp(v.out, "bbb") == 0 &&
                 strcmp(v.units, "kg m-2") == 0 && strcmp(v.standard_name, "std_a") == 0 &&
                 strcmp(v.long_name, "Long A") == 0 && strcmp(v.cell_methods, "area: mean") == 0,
          "a row is split at tabs into its six columns, the seventh ignored");
    st = vartable_lookup(path, "ccc", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.cell_methods, "time: mean") == 0,
          "comment and blank lines between rows are skipped");
    st = vartable_lookup(path, "bbb", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.trendy, "aaa") == 0,
          "a row is found by its output name as well");
    st = vartable_lookup(path, "ddd", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.layers, "depth") == 0 && strcmp(v.cell_methods, "time: mean") == 0,
          "the optional eighth column is the layers");
    st = vartable_lookup(path, "aaa", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && v.layers[0] == '\0', "a row of seven columns has no layers");
    char want[T2I_ERRLEN];
    snprintf(want, sizeof want, "variable 'zzz' is not in the variables table '%s'", path);
    st = vartable_lookup(path, "zzz", &v, err, sizeof err);
    CHECK(t, st == T2I_EINPUT, "a name absent from the table is an input error");
    CHECK_STR(t, err, want, "the absent-name message names the variable and the table");
    st = vartable_lookup(path, "comment", &v, err, sizeof err);
    CHECK(t, st == T2I_EINPUT, "the words of a comment line are never matched");
}

static void test_crlf(t2i_tally *t, scratch *s)
{
    const char *path = write_table(s, "crlf.tsv", "ddd\tddd\tK\tstd_d\tLong D\ttime: mean\r\n");
    t2i_varinfo v;
    char err[T2I_ERRLEN] = "";
    int st = vartable_lookup(path, "ddd", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.cell_methods, "time: mean") == 0,
          "a row ending in CR LF keeps no carriage return in its last column");
}

/* Lines longer than the reader's 1024-byte buffer: a long comment is still
 * one comment, and a long ignored seventh column still ends its row. */
static void test_long_lines(t2i_tally *t, scratch *s)
{
    static char text[4096];
    char filler[LONG_LINE_LEN + 1];
    memset(filler, 'x', LONG_LINE_LEN);
    filler[LONG_LINE_LEN] = '\0';
    snprintf(text, sizeof text,
             "# %s\n"
             "eee\teee\tK\tstd_e\tLong E\ttime: mean\t%s\n"
             "fff\tfff\tK\tstd_f\tLong F\ttime: mean\n",
             filler, filler);
    const char *path = write_table(s, "long.tsv", text);
    t2i_varinfo v;
    char err[T2I_ERRLEN] = "";
    int st = vartable_lookup(path, "eee", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.cell_methods, "time: mean") == 0,
          "a comment longer than the line buffer is skipped whole");
    st = vartable_lookup(path, "fff", &v, err, sizeof err);
    CHECK(t, st == T2I_OK && strcmp(v.long_name, "Long F") == 0,
          "a row with a long ignored column does not spill into the next line");
}

/* Each malformed table with the line number its message must give. */
static void check_malformed(t2i_tally *t, scratch *s, const char *text, int line,
                            const char *desc)
{
    const char *path = write_table(s, "bad.tsv", text);
    t2i_varinfo v;
    char err[T2I_ERRLEN] = "", want[T2I_ERRLEN];
    snprintf(want, sizeof want, "%s:%d: malformed variables table line", path, line);
    int st = vartable_lookup(path, "wanted", &v, err, sizeof err);
    CHECK(t, st == T2I_ESYS && strcmp(err, want) == 0, desc);
    if (strcmp(err, want) != 0)
        printf("     got  '%s'\n     want '%s'\n", err, want);
}

static void test_malformed(t2i_tally *t, scratch *s)
{
    check_malformed(t, s, "# header\nxxx\tyyy\tkg\n", 2,
                    "a row of three columns is malformed, named by file and line");
    check_malformed(t, s, "xxx\tyyy\tkg\ts\tl\tc\n\tyyy\tkg\ts\tl\tc\n", 2,
                    "a row with an empty TRENDY name is malformed");
    check_malformed(t, s, "xxx\t\tkg\ts\tl\tc\n", 1,
                    "a row with an empty output name is malformed");
    check_malformed(t, s,
                    "a_name_that_is_far_too_long_for_the_sixty_four_byte_column_of_the_struct"
                    "\tyyy\tkg\ts\tl\tc\n",
                    1, "a name longer than its column is malformed, not cut");
    check_malformed(t, s, "just one line without tabs\n", 1,
                    "a line without tabs is malformed");
}

static void test_missing_file(t2i_tally *t, scratch *s)
{
    char path[PATH_LEN], want[T2I_ERRLEN];
    snprintf(path, sizeof path, "%s/no-such-table.tsv", s->dir);
    snprintf(want, sizeof want, "cannot read variables table '%s': No such file or directory",
             path);
    t2i_varinfo v;
    char err[T2I_ERRLEN] = "";
    int st = vartable_lookup(path, "gpp", &v, err, sizeof err);
    CHECK(t, st == T2I_ESYS, "a table that does not exist is a system error");
    CHECK_STR(t, err, want, "the missing-table message names the path and the system's reason");
}

static void cleanup(scratch *s)
{
    static const char *const names[] = {"small.tsv", "crlf.tsv", "long.tsv", "bad.tsv"};
    char path[PATH_LEN];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", s->dir, names[i]);
        unlink(path);
    }
    rmdir(s->dir);
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    scratch s;
    snprintf(s.dir, sizeof s.dir, "/tmp/vartable_test.XXXXXX");
    if (!mkdtemp(s.dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_committed_table(&t);
    test_small_table(&t, &s);
    test_crlf(&t, &s);
    test_long_lines(&t, &s);
    test_malformed(&t, &s);
    test_missing_file(&t, &s);
    cleanup(&s);
    return CHECK_SUMMARY(&t);
}
