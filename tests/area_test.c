/* Tests of src/area.c: exact spherical cell areas, every land rule and
 * trap of doc/quirks.md#L-04, the cell_methods an output carries,
 * and whole runs on ncgen'd files read back. Expected numbers are worked
 * out by hand in the comments (R = 6371000 m, R^2 = 4.0589641e13 m2). */
#include "area.h"

#include <math.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "check.h"
#include "t2i.h"

#define PATH_LEN 512
/* A quarter of the sphere, lat 0..90 and 180 degrees of longitude:
 * R^2 * pi * (sin 90 - sin 0) = 4.0589641e13 * 3.14159265358979 m2. */
#define QUARTER_M2 127516117977447.06
/* lat 0..1, lon 0..1: R^2 * (pi/180) * sin(1 degree)
 * = 4.0589641e13 * 0.0174532925199 * 0.0174524064373 m2. */
#define ONE_DEGREE_M2 12363683990.261118
/* lat 30..90, 180 degrees: R^2 * pi * (1 - 0.5) = QUARTER_M2 / 2. */
#define POLAR_CAP_HALF_M2 63758058988723.53

static void axis(t2i_axis *a, size_t n, double *v, double *b)
{
    memset(a, 0, sizeof *a);
    a->n = n;
    a->value = v;
    a->bnds = b;
}

static void test_cells(t2i_tally *t)
{
    double lat[2] = {-45, 45}, latb[4] = {-90, 0, 0, 90}, lon[2] = {-90, 90},
           lonb[4] = {-180, 0, 0, 180}, area[4];
    t2i_axis y, x;
    axis(&y, 2, lat, latb);
    axis(&x, 2, lon, lonb);
    area_cells(&y, &x, area);
    CHECK_NEAR(t, area[0], QUARTER_M2, 1e-9 * QUARTER_M2, "a quarter sphere is R^2 pi");
    CHECK_NEAR(t, area[0] + area[1] + area[2] + area[3], 4 * QUARTER_M2, 1e-9 * QUARTER_M2,
               "four quarters make the sphere, 4 pi R^2");
    double l1[1] = {0.5}, l1b[2] = {0, 1}, cap[1] = {60}, capb[2] = {30, 90};
    axis(&y, 1, l1, l1b);
    axis(&x, 1, l1, l1b);
    area_cells(&y, &x, area);
    CHECK_NEAR(t, area[0], ONE_DEGREE_M2, 1e-9 * ONE_DEGREE_M2,
               "a 1x1 degree cell at the equator is R^2 (pi/180) sin(1 degree)");
    axis(&y, 1, cap, capb);
    axis(&x, 1, lon + 1, lonb + 2);
    area_cells(&y, &x, area);
    CHECK_NEAR(t, area[0], POLAR_CAP_HALF_M2, 1e-9 * POLAR_CAP_HALF_M2,
               "lat 30..90 over 180 degrees is R^2 pi (1 - sin 30)");
}

static void test_rules(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    area_rule r;
    CHECK(t, area_parse_rule("ocean_cover_frac", &r, err, sizeof err) == T2I_OK &&
                 r == AREA_RULE_OCEAN_COVER_FRAC, "ocean_cover_frac is a rule");
    CHECK(t, area_parse_rule("ocean", &r, err, sizeof err) == T2I_EUSAGE, "'ocean' is not");
    CHECK_STR(t, err, "unknown land rule 'ocean' (none, ocean_cover_frac, land_fraction, sftlf, "
              "land_area)", "the refusal lists the rules");
    CHECK_STR(t, area_rule_var(AREA_RULE_OCEAN_COVER_FRAC), "oceanCoverFrac",
              "ocean_cover_frac reads oceanCoverFrac by default");
    CHECK(t, area_rule_var(AREA_RULE_LAND_AREA) == NULL, "land_area has no default variable");
}

static void test_units(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    double f = 0;
    CHECK(t, area_units_factor(AREA_RULE_OCEAN_COVER_FRAC, "", &f, err, sizeof err) == 0 &&
                 f == 1.0, "empty units on a fraction read as 1 (CLM's units = \"\")");
    CHECK(t, area_units_factor(AREA_RULE_SFTLF, "%", &f, err, sizeof err) == 0 && f == 0.01,
          "a fraction in % is divided by 100");
    CHECK(t, area_units_factor(AREA_RULE_LAND_AREA, "km^2", &f, err, sizeof err) == 0 &&
                 f == 1e6, "a land area in km^2 is 1e6 m2 each");
    CHECK(t, area_units_factor(AREA_RULE_LAND_AREA, "", &f, err, sizeof err) == T2I_EINPUT,
          "a land area without units is refused");
    CHECK_STR(t, err, "land area units '' are not m2 or km2", "naming the units");
    CHECK(t, area_units_factor(AREA_RULE_LAND_FRACTION, "kg", &f, err, sizeof err) == T2I_EINPUT,
          "a fraction in kg is refused");
    CHECK_STR(t, err, "fraction units 'kg' are not 1 or %", "naming the units");
}

static void test_percent(t2i_tally *t)
{
    double p = -1;
    CHECK(t, area_land_percent(AREA_RULE_OCEAN_COVER_FRAC, 0.25, 0, 1, &p) == 0 && p == 75,
          "ocean cover 0.25 is 75 % land");
    CHECK(t, area_land_percent(AREA_RULE_OCEAN_COVER_FRAC, 0.0, 1, 1, &p) == 0 && p == 100,
          "IBIS: a declared missing_value 0 on oceanCoverFrac is a value, all land");
    CHECK(t, area_land_percent(AREA_RULE_OCEAN_COVER_FRAC, 1e20, 1, 1, &p) == 0 && p == 0,
          "CLM: a fill over the ocean is 0 % land");
    CHECK(t, area_land_percent(AREA_RULE_OCEAN_COVER_FRAC, NAN, 0, 1, &p) == 0 && p == 0,
          "NaN is no land");
    CHECK(t, area_land_percent(AREA_RULE_OCEAN_COVER_FRAC, 9.96e36, 0, 1, &p) == 0 && p == 0,
          "CABLE's junk above 9e33 is no land");
    CHECK(t, area_land_percent(AREA_RULE_OCEAN_COVER_FRAC, 1.0, 0, 1, &p) == 0 && p == 0,
          "CABLE's 0/1 mask: 1 is ocean, 0 % land");
    CHECK(t, area_land_percent(AREA_RULE_OCEAN_COVER_FRAC, 1.5, 0, 1, &p) == -1,
          "an undeclared 1.5 is refused");
    CHECK(t, area_land_percent(AREA_RULE_LAND_FRACTION, 0.4, 0, 1, &p) == 0 && p == 40,
          "land_fraction 0.4 is 40 %");
    CHECK(t, area_land_percent(AREA_RULE_LAND_AREA, 0.5e10, 0, 1e10, &p) == 0 && p == 50,
          "half the cell's area is 50 %");
    CHECK(t, area_land_percent(AREA_RULE_LAND_AREA, 1.0002e10, 0, 1e10, &p) == 0 && p == 100,
          "a land area 0.02 % above the exact cell area (another radius) is clamped to 100 %");
    CHECK(t, area_land_percent(AREA_RULE_LAND_AREA, 1.2e10, 0, 1e10, &p) == -1,
          "a land area 20 % above the cell area is refused");
    CHECK(t, area_land_percent(AREA_RULE_LAND_AREA, -9999, 1, 1e10, &p) == 0 && p == 0,
          "CLM gridArea's fill -9999 is no land");
}

static void test_cell_methods(t2i_tally *t)
{
    char buf[128], err[T2I_ERRLEN];
    CHECK(t, area_cell_methods("area: mean where land time: mean", 1, buf, sizeof buf, err,
                               sizeof err) == 0, "composed");
    CHECK_STR(t, buf, "area: mean where land time: mean", "per-land values say where land");
    area_cell_methods("area: mean where land time: mean", 0, buf, sizeof buf, err, sizeof err);
    CHECK_STR(t, buf, "area: mean time: mean", "per-cell values do not");
    area_cell_methods("area: time: mean", 1, buf, sizeof buf, err, sizeof err);
    CHECK_STR(t, buf, "area: mean where land time: mean", "tas of a per-land model too");
    CHECK(t, area_cell_methods("time: mean", 1, buf, 10, err, sizeof err) == T2I_EUSAGE,
          "a short buffer is refused");
}

static int make_nc(const char *dir, const char *name, const char *cdl, char *path)
{
    char cdl_path[PATH_LEN], cmd[3 * PATH_LEN];
    snprintf(cdl_path, sizeof cdl_path, "%s/%s.cdl", dir, name);
    snprintf(path, PATH_LEN, "%s/%s.nc", dir, name);
    FILE *f = fopen(cdl_path, "w");
    if (!f)
        return -1;
    fputs(cdl, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "ncgen -k nc4 -o '%s' '%s'", path, cdl_path);
    return system(cmd) == 0 ? 0 : -1;
}

/* Reads a whole 2-D float variable; NAN-filled when it cannot. */
static void read_field(const char *path, const char *var, float *v, size_t n)
{
    int ncid, varid;
    for (size_t i = 0; i < n; i++)
        v[i] = NAN;
    if (nc_open(path, NC_NOWRITE, &ncid))
        return;
    if (!nc_inq_varid(ncid, var, &varid))
        nc_get_var_float(ncid, varid, v);
    nc_close(ncid);
}

/* ELM-FATES spelling, one time step, lat north->south, lon 0..360, IBIS's
 * missing_value = 0 and a fill over the ocean, no bounds. */
static const char ocean_cdl[] =
    "netcdf o {\ndimensions: time = 1 ; lat = 2 ; lon = 2 ;\nvariables:\n"
    " double time(time) ; time:units = \"days since 1700-01-01\" ;\n"
    " float lat(lat) ; lat:units = \"degrees_north\" ;\n"
    " float lon(lon) ; lon:units = \"degrees_east\" ;\n"
    " float oceancoverfrac(time, lat, lon) ; oceancoverfrac:units = \"\" ;\n"
    "  oceancoverfrac:_FillValue = 1e20f ; oceancoverfrac:missing_value = 0.f ;\n"
    "data:\n time = 0 ;\n lat = 45, -45 ;\n lon = 90, 270 ;\n"
    " oceancoverfrac = 0.25, 0, _, 1 ;\n}\n";

static void test_run_ocean(t2i_tally *t, const char *dir)
{
    char src[PATH_LEN], a[PATH_LEN], l[PATH_LEN], err[T2I_ERRLEN] = "";
    float area[4], land[4];
    area_result r;
    snprintf(a, sizeof a, "%s/areacella.nc", dir);
    snprintf(l, sizeof l, "%s/sftlf.nc", dir);
    CHECK(t, make_nc(dir, "ocean", ocean_cdl, src) == 0, "ncgen writes the oceancoverfrac file");
    area_options o = {.rule = AREA_RULE_OCEAN_COVER_FRAC, .source = src, .model = "M",
                      .areacella = a, .sftlf = l};
    int st = area_run(&o, &r, err, sizeof err);
    CHECK(t, st == T2I_OK, "lower-case oceancoverfrac with a time step of one is read");
    if (st)
        printf("     %s\n", err);
    read_field(a, "areacella", area, 4);
    read_field(l, "sftlf", land, 4);
    /* Edges computed between centres 45 and -45: 0, clamped to +-90; 90
     * and 270 give edges 0, 180, 360: every cell is a quarter sphere. */
    CHECK(t, fabs(area[0] - QUARTER_M2) < 1e-6 * QUARTER_M2 &&
                 fabs(area[3] - QUARTER_M2) < 1e-6 * QUARTER_M2, "each areacella is R^2 pi");
    /* Output rows lat -45, 45 (flipped); columns lon -90 (270), 90. */
    CHECK(t, land[0] == 0.0f, "lat -45, lon -90: ocean cover 1 is 0 %");
    CHECK(t, land[1] == 0.0f, "lat -45, lon 90: the fill over the ocean is 0 %");
    CHECK(t, land[2] == 100.0f, "lat 45, lon -90: IBIS's declared missing 0 is 100 % land");
    CHECK(t, land[3] == 75.0f, "lat 45, lon 90: ocean cover 0.25 is 75 %");
    CHECK_NEAR(t, r.land_m2, 1.75 * QUARTER_M2, 1e-6 * QUARTER_M2,
               "land area: 1.75 quarter spheres");
    CHECK(t, r.declared_valid == 1 && r.no_land == 1, "one declared value used, one fill");
}

/* CLM's land area: km^2, fill -9999 over the ocean, 1x1 degree cells. */
static const char clm_cdl[] =
    "netcdf c {\ndimensions: lat = 1 ; lon = 2 ; nv = 2 ;\nvariables:\n"
    " double lat(lat) ; lat:units = \"degrees_north\" ; lat:bounds = \"lat_bnds\" ;\n"
    " double lat_bnds(lat, nv) ;\n"
    " double lon(lon) ; lon:units = \"degrees_east\" ;\n"
    " float area(lat, lon) ; area:units = \"km^2\" ; area:_FillValue = -9999.f ;\n"
    "data:\n lat = 0.5 ;\n lat_bnds = 0, 1 ;\n lon = 0.5, 1.5 ;\n area = 6181.842, _ ;\n}\n";

static void test_run_land_area(t2i_tally *t, const char *dir)
{
    char src[PATH_LEN], a[PATH_LEN], l[PATH_LEN], err[T2I_ERRLEN] = "";
    float land[2];
    area_result r;
    snprintf(a, sizeof a, "%s/a2.nc", dir);
    snprintf(l, sizeof l, "%s/l2.nc", dir);
    CHECK(t, make_nc(dir, "clm", clm_cdl, src) == 0, "ncgen writes the CLM area file");
    area_options o = {.rule = AREA_RULE_LAND_AREA, .source = src, .var = "area",
                      .areacella = a, .sftlf = l};
    CHECK(t, area_run(&o, &r, err, sizeof err) == T2I_OK, "a land area in km^2 is read");
    read_field(l, "sftlf", land, 2);
    /* 6181.842 km^2 is half of ONE_DEGREE_M2 (12363.68399 km^2) to 7
     * digits: 50 %. */
    CHECK(t, fabs(land[0] - 50.0f) < 1e-4, "half the cell's area is 50 % land");
    CHECK(t, land[1] == 0.0f, "the fill over the ocean is 0 %");
    struct stat before, after;
    int got = stat(l, &before);
    /* An unchanged sftlf keeps its file and time (the area rule's restat). */
    nanosleep(&(struct timespec){0, 20000000}, NULL);
    CHECK(t, got == 0 && area_run(&o, &r, err, sizeof err) == T2I_OK && stat(l, &after) == 0 &&
                 before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
                 before.st_mtim.tv_nsec == after.st_mtim.tv_nsec &&
                 before.st_ino == after.st_ino,
          "a second run leaves the unchanged files untouched");
    o.var = NULL;
    CHECK(t, area_run(&o, &r, err, sizeof err) == T2I_EUSAGE, "land_area without --var");
    CHECK_STR(t, err, "land rule 'land_area' needs --var", "is refused, naming the option");
    o.rule = AREA_RULE_NONE;
    o.sftlf = NULL;
    CHECK(t, area_run(&o, &r, err, sizeof err) == T2I_OK && r.nlat == 1 && r.nlon == 2,
          "rule none reads only the grid");
    CHECK_NEAR(t, r.cell_m2, 2 * ONE_DEGREE_M2, 1e-6 * ONE_DEGREE_M2,
               "two 1x1 degree equatorial cells");
}

static const char bad_cdl[] =
    "netcdf b {\ndimensions: lat = 1 ; lon = 1 ;\nvariables:\n"
    " double lat(lat) ; lat:units = \"degrees_north\" ;\n"
    " double lon(lon) ; lon:units = \"degrees_east\" ;\n"
    " float land_fraction(lat, lon) ;\n"
    "data:\n lat = 10 ;\n lon = 20 ;\n land_fraction = 1.5 ;\n}\n";

static void test_run_refusals(t2i_tally *t, const char *dir)
{
    char src[PATH_LEN], a[PATH_LEN], l[PATH_LEN], err[T2I_ERRLEN] = "";
    area_result r;
    snprintf(a, sizeof a, "%s/a3.nc", dir);
    snprintf(l, sizeof l, "%s/l3.nc", dir);
    make_nc(dir, "bad", bad_cdl, src);
    area_options o = {.rule = AREA_RULE_LAND_FRACTION, .source = src, .areacella = a,
                      .sftlf = l};
    CHECK(t, area_run(&o, &r, err, sizeof err) == T2I_EINPUT, "a land fraction of 1.5");
    CHECK_STR(t, err, "value 1.5 at lat 10, lon 20 is outside the valid range and not declared "
              "missing", "is refused with its place");
    o.rule = AREA_RULE_OCEAN_COVER_FRAC;
    CHECK(t, area_run(&o, &r, err, sizeof err) == T2I_EINPUT, "a missing variable");
    CHECK_STR(t, err, "variable 'oceanCoverFrac' not found", "is named");
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    char dir[] = "/tmp/area_test.XXXXXX", cmd[64];
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_cells(&t);
    test_rules(&t);
    test_units(&t);
    test_percent(&t);
    test_cell_methods(&t);
    test_run_ocean(&t, dir);
    test_run_land_area(&t, dir);
    test_run_refusals(&t, dir);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("     could not remove %s\n", dir);
    return CHECK_SUMMARY(&t);
}
