/* Tests of the checker's result file (verify_json.h): what it holds, JSON
 * escaping of problem text, null for missing numbers, no temporary left. */
#include "verify_json.h"

#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "t2i.h"

static int slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return 0;
}

int main(void)
{
    t2i_tally tally = {0, 0, 0}, *t = &tally;
    char dir[] = "/tmp/t2i-verify-json-XXXXXX", path[512], tmp[600], buf[8192];
    char err[T2I_ERRLEN];
    if (!mkdtemp(dir))
        return 3;
    snprintf(path, sizeof path, "%s/r.json", dir);
    verify_options o = {.input = "in \"q\".nc", .output = "out.nc"};
    verify_problems p = {0};
    verify_problem(&p, "lat is %s", "descending");
    verify_problem(&p, "tab\there");
    double when[2] = {1850.5, NAN}, series[2] = {1.5, NAN};
    verify_summary s = {.ntime = 2, .nlat = 1, .nlon = 1, .monthly = 0, .when = when,
                        .series = series};
    snprintf(s.calendar, sizeof s.calendar, "noleap");
    CHECK(t, verify_write_json(path, &o, &p, &s, 0.25, err, sizeof err) == T2I_OK,
          "the result is written");
    CHECK(t, slurp(path, buf, sizeof buf) == 0, "and can be read back");
    CHECK(t, strstr(buf, "\"status\": \"failed\"") != NULL, "status failed with problems");
    CHECK(t, strstr(buf, "\"input\": \"in \\\"q\\\".nc\"") != NULL, "quotes are escaped");
    CHECK(t, strstr(buf, "\"tab\\u0009here\"") != NULL, "control characters are escaped");
    CHECK(t, strstr(buf, "\"problem_count\": 2") != NULL, "both problems counted");
    CHECK(t, strstr(buf, "\"series\": [1.5,null]") != NULL, "NaN is written as null");
    CHECK(t, strstr(buf, "\"frequency\": \"yr\"") != NULL, "annual steps are 'yr'");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    add_pid(tmp, sizeof tmp);
    CHECK(t, access(tmp, F_OK) != 0, "no temporary file is left");
    snprintf(tmp, sizeof tmp, "%s/no/such/dir/r.json", dir);
    CHECK(t, verify_write_json(tmp, &o, &p, &s, 0, err, sizeof err) == T2I_ESYS,
          "an unwritable path is a system error");
    remove(path);
    rmdir(dir);
    return CHECK_SUMMARY(t);
}
