/* Unit tests of the checker's stamp decoding and time-axis checks
 * (verify_time.h), without files. */
#include "verify_time.h"

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

static void test_stamps(t2i_tally *t)
{
    long y;
    int m, b;
    CHECK(t, verify_decode_stamp(VERIFY_CAL_365, "days since 1700-01-01 00:00:00", 15.5, &y, &m,
                                 &b) == 0 && y == 1700 && m == 1 && !b, "mid-January in days");
    CHECK(t, verify_decode_stamp(VERIFY_CAL_365, "days since 1700-01-01", 31.000001, &y, &m,
                                 &b) == 0 && y == 1700 && m == 2 && b,
          "31.000001 days is the February boundary (float noise)");
    CHECK(t, verify_decode_stamp(VERIFY_CAL_365, "hours since 1701-01-16", 24 * 31, &y, &m, &b) ==
                 0 && y == 1701 && m == 2, "hours since a mid-month reference");
    CHECK(t, verify_decode_stamp(VERIFY_CAL_MIXED, "months since 1900-01-15 00:00:00", 13, &y, &m,
                                 &b) == 0 && y == 1901 && m == 2, "calendar months since");
    CHECK(t, verify_decode_stamp(VERIFY_CAL_MIXED, "years since 1700-6-15 12:00:00", 2, &y, &m,
                                 &b) == 0 && y == 1702, "calendar years since");
    CHECK(t, verify_decode_stamp(VERIFY_CAL_MIXED, "month as %Y%m.%f", 190112.5, &y, &m, &b) ==
                 0 && y == 1901 && m == 12, "month as %Y%m.%f");
    CHECK(t, verify_decode_stamp(VERIFY_CAL_MIXED, "day as %Y%m%d.%f", 19010116.5, &y, &m, &b) ==
                 0 && y == 1901 && m == 1, "day as %Y%m%d.%f");
    CHECK(t, verify_decode_stamp(VERIFY_CAL_365, "year as %Y.%f", 1901.0417, &y, &m, &b) == 0 &&
                 y == 1901 && m == 1, "year as %Y.%f");
    CHECK(t, verify_decode_stamp(VERIFY_CAL_MIXED, "years since AD 1700-Jan-1st", 1.5, &y, &m,
                                 &b) == 0 && y == 1701 && m == 7, "VISIT's AD 1700-Jan-1st");
    CHECK(t, verify_decode_stamp(VERIFY_CAL_365, "yr", 3, &y, &m, &b) == -1,
          "years with no reference are not decoded");
}

static void test_time_axis(t2i_tally *t)
{
    verify_date ref = {1850, 1, 1, 0};
    double mid[3] = {15.5, 45, 74.5}, good[6] = {0, 31, 31, 59, 59, 90};
    double bad[6] = {0, 31, 31, 59, 59, 89};
    verify_problems p = {0};
    verify_steps s;
    CHECK(t, verify_time_axis(VERIFY_CAL_365, &ref, mid, good, 3, &s, &p) == 0 && p.total == 0 &&
                 s.monthly && s.year[2] == 1850 && s.month[2] == 3, "three noleap months pass");
    verify_steps_free(&s);
    verify_time_axis(VERIFY_CAL_365, &ref, mid, bad, 3, &s, &p);
    CHECK(t, has_problem(&p, "time bounds of step 2 are 30 days, 1850-03 has 31"),
          "a 30-day March is named");
    verify_steps_free(&s);
    double off[6] = {1, 32, 32, 60, 60, 91};
    memset(&p, 0, sizeof p);
    CHECK(t, verify_time_axis(VERIFY_CAL_365, &ref, mid, off, 3, &s, &p) == -1 &&
                 has_problem(&p, "time bounds of step 0 start at day 1, not on the first of a month"),
          "bounds off the month start are refused");
    double year_mid[2] = {182.5, 547.5}, year_b[4] = {0, 365, 365, 730};
    memset(&p, 0, sizeof p);
    CHECK(t, verify_time_axis(VERIFY_CAL_365, &ref, year_mid, year_b, 2, &s, &p) == 0 &&
                 !s.monthly && p.total == 0 && s.year[1] == 1851, "two noleap years pass");
    verify_steps_free(&s);
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    test_stamps(&t);
    test_time_axis(&t);
    return CHECK_SUMMARY(&t);
}
