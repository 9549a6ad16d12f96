/* Unit tests of the checker's coordinate checks and cell matching
 * (verify_grid.h). */
#include "verify_grid.h"

#include <math.h>
#include <string.h>

#include "check.h"

static int has_problem(const verify_problems *p, const char *text)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->text[i], text) == 0)
            return 1;
    return 0;
}

static void test_axes(t2i_tally *t)
{
    double lat[2] = {45, -45}, lon[4] = {-135, -45, 45, 135};
    double lon_b[8] = {-180, -90, -90, 0, 0, 90, 90, 180};
    verify_problems p = {0};
    verify_axis("lat", lat, NULL, 2, -90, 90, 1, &p);
    CHECK(t, has_problem(&p, "lat is descending"), "descending latitude is named");
    memset(&p, 0, sizeof p);
    verify_axis("lon", lon, lon_b, 4, -180, 180, 0, &p);
    CHECK(t, p.total == 0, "a -180..180 longitude with contiguous bounds passes");
    lon_b[3] = 1;
    verify_axis("lon", lon, lon_b, 4, -180, 180, 0, &p);
    CHECK(t, has_problem(&p, "lon_bnds are not contiguous between rows 1 and 2"),
          "a gap between longitude bounds is named");
    double east[2] = {90, 270};
    CHECK(t, verify_match(east, 2, -90, 1e-3, 1) == 1, "lon -90 matches 270 modulo 360");
    CHECK(t, verify_match(east, 2, -90, 1e-3, 0) == -1, "latitudes are not periodic");
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    test_axes(&t);
    return CHECK_SUMMARY(&t);
}
