/* Tests of src/calendar.c. Every expected value is worked out by hand in
 * the comments (day counts from leap-year rules and Julian Day Numbers),
 * never taken from the code's own output. */
#include "calendar.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "t2i.h"


static double date_days(t2i_calendar cal, int y, int m, int d, double s)
{
    t2i_date date = {y, m, d, s};
    double days = NAN;
    if (time_date_to_days(cal, date, &days, NULL, 0) != T2I_OK)
        return NAN;
    return days;
}

static const char *date_error(t2i_calendar cal, int y, int m, int d,
                              char *err)
{
    t2i_date date = {y, m, d, 0.0};
    double days;
    err[0] = '\0';
    time_date_to_days(cal, date, &days, err, T2I_ERRLEN);
    return err;
}

static int is_date(t2i_calendar cal, double days, int y, int m, int d,
                   double second)
{
    t2i_date got;
    if (time_days_to_date(cal, days, &got, NULL, 0) != T2I_OK)
        return 0;
    return got.year == y && got.month == m && got.day == d &&
           fabs(got.second - second) < 1e-3;
}


/* Steps through every date of years y0..y1 that date_to_days accepts, in
 * calendar order: day numbers must be consecutive and days_to_date must
 * return the same date. Returns the number of dates, or -1 on a mismatch. */
static long walk_years(t2i_calendar cal, int y0, int y1)
{
    double days, prev = NAN;
    long count = 0;
    int y, m, d;
    for (y = y0; y <= y1; y++)
        for (m = 1; m <= 12; m++)
            for (d = 1; d <= 31; d++) {
                t2i_date date = {y, m, d, 0.0};
                if (time_date_to_days(cal, date, &days, NULL, 0) != T2I_OK)
                    continue;
                if ((count > 0 && days != prev + 1.0) ||
                    !is_date(cal, days, y, m, d, 0.0))
                    return -1;
                prev = days;
                count++;
            }
    return count;
}

static void test_calendar_names(t2i_tally *t)
{
    t2i_calendar cal = T2I_CAL_360;
    char err[T2I_ERRLEN];
    CHECK(t, time_parse_calendar(NULL, &cal, err, sizeof err) == T2I_OK &&
                 cal == T2I_CAL_STANDARD,
          "A missing calendar attribute means the standard calendar.");
    cal = T2I_CAL_360;
    CHECK(t, time_parse_calendar("", &cal, err, sizeof err) == T2I_OK &&
                 cal == T2I_CAL_STANDARD,
          "An empty calendar attribute means the standard calendar.");
    CHECK(t, time_parse_calendar("GREGORIAN", &cal, err, sizeof err) == 0 &&
                 cal == T2I_CAL_STANDARD,
          "'GREGORIAN' in any case is the standard calendar.");
    CHECK(t, time_parse_calendar("NoLeap", &cal, err, sizeof err) == 0 &&
                 cal == T2I_CAL_NOLEAP,
          "'NoLeap' is the noleap calendar.");
    CHECK(t, time_parse_calendar("365_day", &cal, err, sizeof err) == 0 &&
                 cal == T2I_CAL_NOLEAP,
          "'365_day' is the noleap calendar.");
    CHECK(t, time_parse_calendar("366_DAY", &cal, err, sizeof err) == 0 &&
                 cal == T2I_CAL_ALL_LEAP,
          "'366_DAY' is the all_leap calendar.");
    CHECK(t, time_parse_calendar("360_day", &cal, err, sizeof err) == 0 &&
                 cal == T2I_CAL_360,
          "'360_day' is the 360_day calendar.");
    CHECK(t, time_parse_calendar("Proleptic_Gregorian", &cal, err,
                                 sizeof err) == 0 &&
                 cal == T2I_CAL_PROLEPTIC,
          "'Proleptic_Gregorian' is the proleptic Gregorian calendar.");
    CHECK(t, time_parse_calendar("julian", &cal, err, sizeof err) == 0 &&
                 cal == T2I_CAL_JULIAN,
          "'julian' is the Julian calendar.");
    CHECK(t, time_parse_calendar("xyz", &cal, err, sizeof err) ==
                 T2I_EINPUT,
          "An unknown calendar is an input error.");
    CHECK_STR(t, err, "unknown calendar 'xyz'",
              "The unknown-calendar message quotes the name.");
}

static void test_calendar_output_names(t2i_tally *t)
{
    CHECK_STR(t, time_calendar_name(T2I_CAL_STANDARD), "standard",
              "Gregorian is written out as 'standard'.");
    CHECK_STR(t, time_calendar_name(T2I_CAL_NOLEAP), "noleap",
              "365_day is written out as 'noleap'.");
    CHECK_STR(t, time_calendar_name(T2I_CAL_ALL_LEAP), "all_leap",
              "366_day is written out as 'all_leap'.");
    CHECK_STR(t, time_calendar_name(T2I_CAL_PROLEPTIC), "proleptic_gregorian",
              "The proleptic calendar keeps its CF name.");
    CHECK_STR(t, time_calendar_name(T2I_CAL_360), "360_day",
              "The 360_day calendar keeps its CF name.");
    CHECK_STR(t, time_calendar_name(T2I_CAL_JULIAN), "julian",
              "The Julian calendar keeps its CF name.");
}

static void test_leap_years(t2i_tally *t)
{
    CHECK(t, time_days_in_year(T2I_CAL_STANDARD, 1700) == 365,
          "1700 is not leap in the standard calendar (Gregorian since 1582).");
    CHECK(t, time_days_in_year(T2I_CAL_PROLEPTIC, 1700) == 365,
          "1700 is not leap in the proleptic Gregorian calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_JULIAN, 1700) == 366,
          "1700 is leap in the Julian calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_STANDARD, 1900) == 365,
          "1900 is not leap in the standard calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_PROLEPTIC, 1900) == 365,
          "1900 is not leap in the proleptic Gregorian calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_JULIAN, 1900) == 366,
          "1900 is leap in the Julian calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_STANDARD, 2000) == 366,
          "2000 is leap in the standard calendar (divisible by 400).");
    CHECK(t, time_days_in_year(T2I_CAL_PROLEPTIC, 2000) == 366,
          "2000 is leap in the proleptic Gregorian calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_JULIAN, 2000) == 366,
          "2000 is leap in the Julian calendar.");
    CHECK(t, time_days_in_year(T2I_CAL_STANDARD, 2004) == 366 &&
                 time_days_in_year(T2I_CAL_PROLEPTIC, 2004) == 366 &&
                 time_days_in_year(T2I_CAL_JULIAN, 2004) == 366,
          "2004 is leap in the standard, proleptic and Julian calendars.");
    CHECK(t, time_days_in_year(T2I_CAL_NOLEAP, 2000) == 365 &&
                 time_days_in_year(T2I_CAL_NOLEAP, 2004) == 365,
          "The noleap calendar has 365 days in 2000 and 2004.");
    CHECK(t, time_days_in_year(T2I_CAL_ALL_LEAP, 1900) == 366 &&
                 time_days_in_year(T2I_CAL_ALL_LEAP, 1901) == 366,
          "The all_leap calendar has 366 days in every year.");
    CHECK(t, time_days_in_year(T2I_CAL_360, 2000) == 360 &&
                 time_days_in_year(T2I_CAL_360, 1700) == 360,
          "The 360_day calendar has 360 days in every year.");
    CHECK(t, time_days_in_year(T2I_CAL_STANDARD, 1500) == 366 &&
                 time_days_in_year(T2I_CAL_PROLEPTIC, 1500) == 365,
          "1500 is leap under the standard calendar's Julian rule only.");
    CHECK(t, time_days_in_year(T2I_CAL_STANDARD, 1582) == 355,
          "1582 of the standard calendar lost ten days (365 - 10).");
}

static void test_month_lengths(t2i_tally *t)
{
    CHECK(t, time_days_in_month(T2I_CAL_STANDARD, 1900, 2) == 28 &&
                 time_days_in_month(T2I_CAL_STANDARD, 2000, 2) == 29,
          "February has 28 days in standard 1900 and 29 in 2000.");
    CHECK(t, time_days_in_month(T2I_CAL_PROLEPTIC, 1700, 2) == 28 &&
                 time_days_in_month(T2I_CAL_PROLEPTIC, 2004, 2) == 29,
          "February has 28 days in proleptic 1700 and 29 in 2004.");
    CHECK(t, time_days_in_month(T2I_CAL_JULIAN, 1700, 2) == 29 &&
                 time_days_in_month(T2I_CAL_JULIAN, 1701, 2) == 28,
          "February has 29 days in Julian 1700 and 28 in 1701.");
    CHECK(t, time_days_in_month(T2I_CAL_NOLEAP, 2000, 2) == 28,
          "February always has 28 days in noleap.");
    CHECK(t, time_days_in_month(T2I_CAL_ALL_LEAP, 1901, 2) == 29,
          "February always has 29 days in all_leap.");
    CHECK(t, time_days_in_month(T2I_CAL_360, 2000, 2) == 30 &&
                 time_days_in_month(T2I_CAL_360, 2000, 1) == 30,
          "Every 360_day month has 30 days, February included.");
    CHECK(t, time_days_in_month(T2I_CAL_STANDARD, 1582, 10) == 21,
          "October 1582 has 21 days in the standard calendar (4 + 17).");
    CHECK(t, time_days_in_month(T2I_CAL_PROLEPTIC, 1582, 10) == 31 &&
                 time_days_in_month(T2I_CAL_JULIAN, 1582, 10) == 31,
          "October 1582 has 31 days in the proleptic and Julian calendars.");
    CHECK(t, time_days_in_month(T2I_CAL_NOLEAP, 1850, 4) == 30 &&
                 time_days_in_month(T2I_CAL_NOLEAP, 1850, 12) == 31,
          "April has 30 days and December 31.");
    CHECK(t, time_days_in_month(T2I_CAL_NOLEAP, 1850, 13) == 0,
          "Month 13 has no days.");
}

static void test_known_dates(t2i_tally *t)
{
    static const t2i_calendar all[] = {
        T2I_CAL_STANDARD, T2I_CAL_PROLEPTIC, T2I_CAL_NOLEAP,
        T2I_CAL_ALL_LEAP, T2I_CAL_360,       T2I_CAL_JULIAN};
    int epoch_ok = 1;
    size_t i;
    for (i = 0; i < sizeof all / sizeof all[0]; i++)
        epoch_ok = epoch_ok && date_days(all[i], 1850, 1, 1, 0.0) == 0.0;
    CHECK(t, epoch_ok, "1850-01-01 00:00 is day 0 in every calendar.");
    /* 150 years of 365 days. */
    CHECK_NEAR(t, date_days(T2I_CAL_NOLEAP, 1700, 1, 1, 0.0), -54750.0, 0.0,
               "1700-01-01 in noleap is -150 * 365 = -54750.");
    CHECK_NEAR(t, date_days(T2I_CAL_ALL_LEAP, 1700, 1, 1, 0.0), -54900.0,
               0.0, "1700-01-01 in all_leap is -150 * 366 = -54900.");
    CHECK_NEAR(t, date_days(T2I_CAL_360, 1700, 1, 1, 0.0), -54000.0, 0.0,
               "1700-01-01 in 360_day is -150 * 360 = -54000.");
}

static void test_gregorian_dates(t2i_tally *t)
{
    /* Years 1700..1849: multiples of 4 are 1700, 1704, ..., 1848, that is
     * (1848 - 1700) / 4 + 1 = 38; 1700 and 1800 are not leap in Gregorian,
     * leaving 36 leap days: -(150 * 365 + 36) = -54786. Cross-check with
     * JDNs: 2396759 (1850-01-01) - 2341973 (1700-01-01) = 54786. */
    CHECK_NEAR(t, date_days(T2I_CAL_PROLEPTIC, 1700, 1, 1, 0.0), -54786.0,
               0.0, "1700-01-01 in proleptic Gregorian is -54786.");
    CHECK_NEAR(t, date_days(T2I_CAL_STANDARD, 1700, 1, 1, 0.0), -54786.0,
               0.0, "1700-01-01 in the standard calendar is -54786.");
    /* Julian: all 38 multiples of 4 are leap: -(54750 + 38). */
    CHECK_NEAR(t, date_days(T2I_CAL_JULIAN, 1700, 1, 1, 0.0), -54788.0, 0.0,
               "1700-01-01 in the Julian calendar is -54788.");
    /* JDN of Julian 0001-01-01 is 1721424, of Gregorian 1850-01-01 2396759. */
    CHECK_NEAR(t, date_days(T2I_CAL_STANDARD, 1, 1, 1, 0.0),
               1721424.0 - 2396759.0, 0.0,
               "0001-01-01 in the standard calendar counts Julian days before "
               "1582.");
    /* JDN of 1582-10-15 (first Gregorian day) is 2299161. */
    CHECK_NEAR(t, date_days(T2I_CAL_STANDARD, 1582, 10, 15, 0.0),
               2299161.0 - 2396759.0, 0.0,
               "1582-10-15 in the standard calendar is JDN 2299161.");
    /* 2000-01-01 is JDN 2451545; 1970-01-01 is JDN 2440588. */
    CHECK_NEAR(t, date_days(T2I_CAL_PROLEPTIC, 2000, 1, 1, 0.0), 54786.0, 0.0,
               "2000-01-01 in proleptic Gregorian is 2451545 - 2396759.");
    CHECK_NEAR(t, date_days(T2I_CAL_STANDARD, 1970, 1, 1, 0.0), 43829.0, 0.0,
               "1970-01-01 in the standard calendar is 2440588 - 2396759.");
    /* Proleptic Gregorian 0001-01-01 is JDN 1721426; year 0 is leap (366
     * days), so 0000-01-01 is JDN 1721060. */
    CHECK_NEAR(t, date_days(T2I_CAL_PROLEPTIC, 0, 1, 1, 0.0),
               1721060.0 - 2396759.0, 0.0,
               "Year 0 exists in proleptic Gregorian, 366 days before year 1.");
}

static void test_fixed_dates(t2i_tally *t)
{
    CHECK_NEAR(t, date_days(T2I_CAL_360, 1851, 2, 1, 0.0), 390.0, 0.0,
               "1851-02-01 in 360_day is 360 + 30 = 390.");
    CHECK_NEAR(t, date_days(T2I_CAL_NOLEAP, 1850, 3, 1, 0.0), 59.0, 0.0,
               "1850-03-01 in noleap is 31 + 28 = 59.");
    CHECK_NEAR(t, date_days(T2I_CAL_ALL_LEAP, 1850, 3, 1, 0.0), 60.0, 0.0,
               "1850-03-01 in all_leap is 31 + 29 = 60.");
    CHECK_NEAR(t, date_days(T2I_CAL_NOLEAP, 1850, 1, 2, 43200.0), 1.5, 0.0,
               "Seconds into the day add as a fraction of 86400.");
    CHECK(t, is_date(T2I_CAL_NOLEAP, -0.25, 1849, 12, 31, 64800.0),
          "Day -0.25 is 1849-12-31 18:00.");
    CHECK(t, is_date(T2I_CAL_JULIAN, 0.0, 1850, 1, 1, 0.0),
          "Day 0 of the Julian calendar is its own 1850-01-01.");
}

static void test_invalid_dates(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    CHECK_STR(t, date_error(T2I_CAL_STANDARD, 1582, 10, 10, err),
              "date '1582-10-10' does not exist in the 'standard' calendar",
              "The ten days dropped in October 1582 do not exist.");
    CHECK_STR(t, date_error(T2I_CAL_STANDARD, 0, 1, 1, err),
              "date '0000-01-01' does not exist in the 'standard' calendar",
              "Year 0 does not exist in the standard calendar.");
    CHECK_STR(t, date_error(T2I_CAL_JULIAN, 0, 6, 1, err),
              "date '0000-06-01' does not exist in the 'julian' calendar",
              "Year 0 does not exist in the Julian calendar.");
    CHECK_STR(t, date_error(T2I_CAL_PROLEPTIC, 1700, 2, 29, err),
              "date '1700-02-29' does not exist in the 'proleptic_gregorian' "
              "calendar",
              "1700-02-29 does not exist in proleptic Gregorian.");
    CHECK_NEAR(t, date_days(T2I_CAL_JULIAN, 1700, 2, 29, 0.0),
               -54788.0 + 31 + 28, 0.0,
               "1700-02-29 exists in the Julian calendar.");
    CHECK_STR(t, date_error(T2I_CAL_360, 1850, 1, 31, err),
              "date '1850-01-31' does not exist in the '360_day' calendar",
              "Day 31 does not exist in 360_day.");
    CHECK_NEAR(t, date_days(T2I_CAL_360, 1850, 2, 30, 0.0), 59.0, 0.0,
               "February 30 exists in 360_day (30 + 29).");
    CHECK_STR(t, date_error(T2I_CAL_NOLEAP, 1850, 13, 1, err),
              "date '1850-13-01' does not exist in the 'noleap' calendar",
              "Month 13 does not exist.");
}

static void test_round_trips(t2i_tally *t)
{
    /* 501 years 1600..2100: 126 multiples of 4, of which 1700, 1800, 1900,
     * 2100 are not Gregorian leap years: 501 * 365 + 122 = 182987. */
    CHECK(t, walk_years(T2I_CAL_PROLEPTIC, 1600, 2100) == 182987,
          "Proleptic 1600..2100 round-trips 182987 consecutive days.");
    CHECK(t, walk_years(T2I_CAL_STANDARD, 1600, 2100) == 182987,
          "Standard 1600..2100 round-trips 182987 consecutive days.");
    CHECK(t, walk_years(T2I_CAL_JULIAN, 1600, 2100) == 501 * 365 + 126,
          "Julian 1600..2100 round-trips 501 * 365 + 126 days.");
    CHECK(t, walk_years(T2I_CAL_NOLEAP, 1600, 2100) == 501 * 365,
          "Noleap 1600..2100 round-trips 501 * 365 days.");
    CHECK(t, walk_years(T2I_CAL_ALL_LEAP, 1600, 2100) == 501 * 366,
          "All_leap 1600..2100 round-trips 501 * 366 days.");
    CHECK(t, walk_years(T2I_CAL_360, 1600, 2100) == 501 * 360,
          "360_day 1600..2100 round-trips 501 * 360 days.");
    /* 1580 (Julian leap) 366 + 1581 365 + 1582 355 + 1583 365 + 1584
     * (Gregorian leap) 366 = 1817. */
    CHECK(t, walk_years(T2I_CAL_STANDARD, 1580, 1584) == 1817,
          "Standard 1580..1584 counts 1817 consecutive days across 1582.");
    /* No year 0: -3 (4 BC) 365, -2 365, -1 (1 BC, leap) 366, 1..3 365. */
    CHECK(t, walk_years(T2I_CAL_STANDARD, -3, 3) == 6 * 365 + 1,
          "Standard years -3..3 skip year 0 and make 1 BC leap.");
    CHECK(t, walk_years(T2I_CAL_JULIAN, -3, 3) == 6 * 365 + 1,
          "Julian years -3..3 skip year 0 and make 1 BC leap.");
    /* Years -3..3 including 0, of which only 0 is leap. */
    CHECK(t, walk_years(T2I_CAL_PROLEPTIC, -3, 3) == 7 * 365 + 1,
          "Proleptic years -3..3 include leap year 0.");
    CHECK(t, walk_years(T2I_CAL_NOLEAP, -3, 3) == 7 * 365,
          "Noleap years -3..3 include year 0.");
    CHECK(t, walk_years(T2I_CAL_360, -3, 3) == 7 * 360,
          "360_day years -3..3 include year 0.");
}

static void test_switch_1582(t2i_tally *t)
{
    double oct4 = date_days(T2I_CAL_STANDARD, 1582, 10, 4, 0.0);
    CHECK_NEAR(t, oct4, 2299160.0 - 2396759.0, 0.0,
               "1582-10-04 is the day before the first Gregorian day.");
    CHECK(t, is_date(T2I_CAL_STANDARD, oct4 + 1.0, 1582, 10, 15, 0.0),
          "1582-10-04 plus one day is 1582-10-15.");
    CHECK(t, is_date(T2I_CAL_STANDARD, oct4 + 0.5, 1582, 10, 4, 43200.0),
          "Noon of 1582-10-04 is still that day.");
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    test_calendar_names(&t);
    test_calendar_output_names(&t);
    test_leap_years(&t);
    test_month_lengths(&t);
    test_known_dates(&t);
    test_gregorian_dates(&t);
    test_fixed_dates(&t);
    test_invalid_dates(&t);
    test_round_trips(&t);
    test_switch_1582(&t);
    return CHECK_SUMMARY(&t);
}
