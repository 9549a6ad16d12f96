/* Tests of the checker's comparison (verify_compare.h) on a pair written
 * with the netCDF API (verify_fixture.h): the good output passes, and each
 * broken one is caught with a line naming what is wrong. */
#include "verify_compare.h"

#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "verify_fixture.h"

/* Compares out (written with `mutation`) against the fixture input. */
static int run(const char *dir, int mutation, verify_problems *p, verify_summary *s)
{
    char in[512], out[512];
    verify_options o;
    verify_out f;
    verify_in i;
    snprintf(in, sizeof in, "%s/in.nc", dir);
    snprintf(out, sizeof out, "%s/out.nc", dir);
    if (fix_write_input(in) || fix_write_output(out, mutation))
        return -2;
    fix_options(&o, in, out);
    memset(p, 0, sizeof *p);
    memset(s, 0, sizeof *s);
    int st = -3;
    if (verify_out_open(&f, &o, p) == 0 && verify_in_open(&i, &o, p) == 0)
        st = verify_compare(&f, &i, &o, s, p);
    verify_in_close(&i);
    verify_out_close(&f);
    remove(in);
    remove(out);
    return st;
}

int main(void)
{
    t2i_tally tally = {0, 0, 0}, *t = &tally;
    verify_problems p;
    verify_summary s;
    char dir[] = "/tmp/t2i-verify-compare-XXXXXX";
    if (!mkdtemp(dir))
        return 3;
    CHECK(t, run(dir, FIX_GOOD, &p, &s) == 0 && p.total == 0, "the good output has no problem");
    CHECK(t, s.steps_compared == 2 && s.cells_compared == 8, "both steps, all 8 cells compared");
    CHECK(t, run(dir, FIX_WRONG_VALUE, &p, &s) == 0 &&
                 fix_has(&p, "value at (step 0, lat -45, lon -90) is 5, input converted gives 4"),
          "a wrong value is named with its cell");
    CHECK(t, run(dir, FIX_LOST_MASK, &p, &s) == 0 &&
                 fix_has(&p, "missing mask differs at 1 cells of step 1"),
          "a lost mask is caught");
    CHECK(t, run(dir, FIX_SHIFTED_TIME, &p, &s) == 0 &&
                 fix_has(&p, "step 0 covers 1850-02, but the input stamp 15.5"),
          "a month shift is caught by the stamps");
    rmdir(dir);
    return CHECK_SUMMARY(t);
}
