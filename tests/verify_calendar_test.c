/* Unit tests of the checker's own calendar and dates (verify_calendar.h). */
#include "verify_calendar.h"

#include <math.h>
#include <string.h>

#include "check.h"

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

int main(void)
{
    t2i_tally t = {0, 0, 0};
    test_calendar(&t);
    test_dates(&t);
    return CHECK_SUMMARY(&t);
}
