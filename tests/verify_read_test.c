/* Tests of the checker's reading of both files (verify_read.h), on a pair
 * written with the netCDF API (verify_fixture.h). */
#include "verify_read.h"

#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "verify_fixture.h"

static void test_output(t2i_tally *t, const char *dir)
{
    char in[512], out[512];
    verify_options o;
    verify_problems p = {0};
    verify_out f;
    snprintf(in, sizeof in, "%s/in.nc", dir);
    snprintf(out, sizeof out, "%s/out.nc", dir);
    CHECK(t, fix_write_input(in) == 0 && fix_write_output(out, FIX_GOOD) == 0, "fixture written");
    fix_options(&o, in, out);
    CHECK(t, verify_out_open(&f, &o, &p) == 0 && p.total == 0, "a good output opens, no problem");
    CHECK(t, f.nt == 2 && f.ny == 2 && f.nx == 2 && f.steps.monthly && f.steps.month[1] == 2,
          "its shape and months are read: 2 steps, Jan and Feb");
    verify_out_close(&f);

    fix_write_output(out, FIX_LAT_DESCENDING);
    memset(&p, 0, sizeof p);
    verify_out_open(&f, &o, &p);
    CHECK(t, fix_has(&p, "lat is descending"), "a descending latitude is named");
    verify_out_close(&f);

    fix_write_output(out, FIX_NO_LAT_BNDS);
    memset(&p, 0, sizeof p);
    verify_out_open(&f, &o, &p);
    CHECK(t, fix_has(&p, "lat_bnds missing"), "missing latitude bounds are named");
    verify_out_close(&f);

    o.out_var = "nbp";
    memset(&p, 0, sizeof p);
    CHECK(t, verify_out_open(&f, &o, &p) == -1 && fix_has(&p, "variable 'nbp' missing"),
          "a missing output variable stops the check");
    verify_out_close(&f);
    remove(in);
    remove(out);
}

static void test_input(t2i_tally *t, const char *dir)
{
    char in[512];
    verify_options o;
    verify_problems p = {0};
    verify_in f;
    snprintf(in, sizeof in, "%s/in.nc", dir);
    fix_write_input(in);
    fix_options(&o, in, "unused");
    CHECK(t, verify_in_open(&f, &o, &p) == 0 && p.total == 0, "a good input opens");
    CHECK(t, f.tpos == 0 && f.ypos == 1 && f.xpos == 2, "its axes are time, lat, lon");
    int fill = 0;
    for (int i = 0; i < f.nsentinel; i++)
        fill |= f.sentinel[i] == -9999.0;
    CHECK(t, fill, "its _FillValue -9999 is a sentinel");
    CHECK(t, !strcmp(f.units, "kg m-2 s-1") && !strcmp(f.time_units, "days since 1850-01-01"),
          "units and time units are read");
    verify_in_close(&f);
    fix_write_input_as(in, 1);
    memset(&p, 0, sizeof p);
    CHECK(t, verify_in_open(&f, &o, &p) == 0 && !strcmp(f.units, "kg m-2 s-1"),
          "string-typed (NC_STRING) units are read");
    verify_in_close(&f);
    o.var = "npp";
    memset(&p, 0, sizeof p);
    CHECK(t, verify_in_open(&f, &o, &p) == -1 && fix_has(&p, "input variable 'npp' missing"),
          "a missing input variable is named");
    verify_in_close(&f);
    remove(in);
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    char dir[] = "/tmp/t2i-verify-read-XXXXXX";
    if (!mkdtemp(dir))
        return 3;
    test_output(&t, dir);
    test_input(&t, dir);
    rmdir(dir);
    return CHECK_SUMMARY(&t);
}
