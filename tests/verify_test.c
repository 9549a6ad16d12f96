/* Unit tests of the checker's own calendar, stamp decoding, coordinate
 * checks, cell matching and unit factors (verify.h), without files. */
#include "verify.h"

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

static void test_calendar(t2i_tally *t)
{
    verify_cal c;
    CHECK(t, verify_calendar("NoLeap", &c) == 0 && c == VERIFY_CAL_365, "noleap in any case");
    CHECK(t, verify_calendar(NULL, &c) == 0 && c == VERIFY_CAL_MIXED, "no calendar is standard");
    CHECK(t, verify_calendar("lunar", &c) == -1, "an unknown calendar is refused");
    CHECK(t, verify_month_days(VERIFY_CAL_MIXED, 1900, 2) == 28, "1900 is not leap (Gregorian)");
    CHECK(t, verify_month_days(VERIFY_CAL_JULIAN, 1900, 2) == 29, "1900 is leap (Julian)");
    CHECK(t, verify_month_days(VERIFY_CAL_MIXED, 1500, 2) == 29, "1500 is leap in standard");
    CHECK(t, verify_month_days(VERIFY_CAL_PROLEPTIC, 1500, 2) == 28, "1500 not leap, proleptic");
    CHECK(t, verify_month_days(VERIFY_CAL_MIXED, 1582, 10) == 21, "October 1582 has 21 days");
    CHECK(t, verify_year_days(VERIFY_CAL_360, 2001) == 360, "360_day years");
    CHECK(t, verify_year_days(VERIFY_CAL_366, 2001) == 366, "all_leap years");
    CHECK_NEAR(t, verify_months_apart_days(VERIFY_CAL_365, 1850, 1, 1700, 1), -150 * 365.0, 0,
               "150 noleap years back, month by month");
    CHECK_NEAR(t, verify_months_apart_days(VERIFY_CAL_MIXED, 1850, 1, 1900, 1), 18262, 0,
               "1850 to 1900 in standard is 18262 days");
}

static void test_dates(t2i_tally *t)
{
    verify_date d;
    CHECK(t, verify_parse_date("1700-1-1", &d) == 0 && d.year == 1700 && d.day == 1,
          "unpadded date");
    CHECK(t, verify_parse_date("1850-01-01T12:00:00Z", &d) == 0 && d.day_fraction == 0.5,
          "T separator, Z, noon");
    CHECK(t, verify_parse_date("AD 1700-Jan-1st", &d) == -1, "VISIT's spelling is not a date");
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

static void test_units(t2i_tally *t)
{
    verify_factor f;
    char why[256];
    CHECK(t, verify_units("gC m-2 day-1", "kg m-2 s-1", &f, why, sizeof why) == 0 &&
                 fabs(f.factor - 1e-3 / 86400) < 1e-18 && f.per == VERIFY_PER_NONE,
          "gC m-2 day-1 is 1e-3/86400 kg m-2 s-1");
    CHECK(t, verify_units("gC m-2 month-1", "kg m-2 s-1", &f, why, sizeof why) == 0 &&
                 fabs(f.factor - 1e-3) < 1e-15 && f.per == VERIFY_PER_MONTH,
          "per month: x 1e-3, then / seconds of the month");
    CHECK(t, verify_units("mm/day", "kg m-2 s-1", &f, why, sizeof why) == 0 &&
                 fabs(f.factor - 1 / 86400.0) < 1e-15, "mm/day of water");
    CHECK(t, verify_units("degC", "K", &f, why, sizeof why) == 0 && f.factor == 1 &&
                 fabs(f.offset - 273.15) < 1e-9, "degC keeps its C and gains 273.15");
    CHECK(t, verify_units("fraction", "%", &f, why, sizeof why) == 0 &&
                 fabs(f.factor - 100) < 1e-12, "fraction is x100 percent");
    CHECK(t, verify_units("kg.m-2.s-1", "kg m-2 s-1", &f, why, sizeof why) == 0 &&
                 fabs(f.factor - 1) < 1e-15, "CARDAMOM's dotted spelling");
    CHECK(t, verify_units("kg C m-2", "kg m-2", &f, why, sizeof why) == 0 &&
                 fabs(f.factor - 1) < 1e-15, "kg C m-2 drops the carbon marker");
    CHECK(t, verify_units("furlongs", "kg m-2", &f, why, sizeof why) == -1,
          "unconvertible units are refused");
}

int main(void)
{
    t2i_tally t = {0, 0};
    test_calendar(&t);
    test_dates(&t);
    test_stamps(&t);
    test_time_axis(&t);
    test_axes(&t);
    test_units(&t);
    return CHECK_SUMMARY(&t);
}
