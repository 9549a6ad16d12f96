/* Tests of the checker's run (verify.h): problems collected and counted
 * past the kept ones, and a whole run over a good fixture pair. */
#include "verify.h"

#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "verify_fixture.h"

static void test_problems(t2i_tally *t)
{
    verify_problems p = {0};
    for (int i = 0; i < VERIFY_MAX_PROBLEMS + 3; i++)
        verify_problem(&p, "problem %d", i);
    CHECK(t, p.n == VERIFY_MAX_PROBLEMS && p.total == VERIFY_MAX_PROBLEMS + 3,
          "problems past the kept ones are counted");
    CHECK_STR(t, p.text[1], "problem 1", "problems are kept verbatim, in order");
}

static void test_run(t2i_tally *t)
{
    char dir[] = "/tmp/t2i-verify-run-XXXXXX", in[512], out[512], err[T2I_ERRLEN];
    verify_options o;
    verify_problems p;
    verify_summary s;
    if (!mkdtemp(dir))
        return;
    snprintf(in, sizeof in, "%s/in.nc", dir);
    snprintf(out, sizeof out, "%s/out.nc", dir);
    fix_write_input(in);
    fix_write_output(out, FIX_GOOD);
    fix_options(&o, in, out);
    CHECK(t, verify_run(&o, &p, &s, err, sizeof err) == T2I_OK && p.total == 0,
          "a good pair passes the whole run");
    CHECK(t, s.ntime == 2 && s.monthly == 1 && !strcmp(s.calendar, "noleap"),
          "the summary holds its shape, frequency and calendar");
    verify_summary_free(&s);
    fix_write_output(out, FIX_LAT_DESCENDING);
    CHECK(t, verify_run(&o, &p, &s, err, sizeof err) == T2I_OK && p.total > 0,
          "a broken output is a problem, not an error");
    verify_summary_free(&s);
    o.output = "/nonexistent/out.nc";
    CHECK(t, verify_run(&o, &p, &s, err, sizeof err) == T2I_OK &&
                 fix_has(&p, "cannot open the output"), "an unreadable output is named");
    verify_summary_free(&s);
    remove(in);
    remove(out);
    rmdir(dir);
}

int main(void)
{
    t2i_tally tally = {0, 0, 0}, *t = &tally;
    test_problems(t);
    test_run(t);
    return CHECK_SUMMARY(t);
}
