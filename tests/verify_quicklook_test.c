/* Tests of the checker's quicklook numbers (verify_quicklook.h) on the
 * fixture output (verify_fixture.h). By hand: output step 0 holds 4, 3, 2,
 * 1 (rows south to north, equal cos(45) weights), mean 2.5; step 1 holds 5,
 * 4, fill, 2, mean 11/3. The cell (lat 45, lon -90) holds 2 then the fill:
 * its time mean is 2. */
#include "verify_quicklook.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "verify_fixture.h"

int main(void)
{
    t2i_tally tally = {0, 0, 0}, *t = &tally;
    char dir[] = "/tmp/t2i-verify-ql-XXXXXX", out[512];
    verify_options o;
    verify_problems p = {0};
    verify_summary s = {0};
    verify_out f;
    if (!mkdtemp(dir))
        return 3;
    snprintf(out, sizeof out, "%s/out.nc", dir);
    CHECK(t, fix_write_output(out, FIX_GOOD) == 0, "fixture written");
    fix_options(&o, "unused", out);
    CHECK(t, verify_out_open(&f, &o, &p) == 0, "the output opens");
    CHECK(t, verify_quicklook(&f, &s, &p) == 0 && p.total == 0, "the quicklook is made");
    CHECK_NEAR(t, s.series[0], 2.5, 1e-12, "global mean of step 0");
    CHECK_NEAR(t, s.series[1], 11.0 / 3.0, 1e-6, "global mean of step 1 skips the fill");
    CHECK_NEAR(t, s.when[0], 1850 + 0.5 / 12, 1e-12, "step 0 sits mid-January 1850");
    CHECK(t, s.map_nlat == 2 && s.map_nlon == 2, "a 2x2 grid is its own map");
    CHECK_NEAR(t, s.map[1 * 2 + 0], 2.0, 1e-12, "time mean of a cell skips the fill");
    verify_summary_free(&s);
    verify_out_close(&f);
    remove(out);
    rmdir(dir);
    return CHECK_SUMMARY(t);
}
