/* Tests of src/time.c (time units, decoding, axis planning; the calendar
 * itself is tested in calendar_test.c). Every expected value is worked out by hand in the
 * comments (day counts from leap-year rules and Julian Day Numbers), never
 * taken from the code's own output. */
#include "timeaxis.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "t2i.h"

/* Tolerance for decoded days (days): well below a second. */
#define DAY_TOL 1e-9

static int is_date(t2i_calendar cal, double days, int y, int m, int d,
                   double second)
{
    t2i_date got;
    if (time_days_to_date(cal, days, &got, NULL, 0) != T2I_OK)
        return 0;
    return got.year == y && got.month == m && got.day == d &&
           fabs(got.second - second) < 1e-3;
}

static double decode(const char *units, t2i_calendar cal, double value)
{
    t2i_time_units tu;
    double days = NAN;
    if (time_parse_units(units, &tu, NULL, 0) != T2I_OK ||
        time_decode(&tu, cal, value, &days, NULL, 0) != T2I_OK)
        return NAN;
    return days;
}

static const char *decode_error(const char *units, t2i_calendar cal,
                                double value, char *err)
{
    t2i_time_units tu;
    double days;
    err[0] = '\0';
    if (time_parse_units(units, &tu, err, T2I_ERRLEN) == T2I_OK)
        time_decode(&tu, cal, value, &days, err, T2I_ERRLEN);
    return err;
}

static const char *units_error(const char *units, char *err)
{
    t2i_time_units tu;
    err[0] = '\0';
    if (time_parse_units(units, &tu, err, T2I_ERRLEN) == T2I_OK)
        strcpy(err, "(accepted)");
    return err;
}

static const char *plan_error(const double *days, const double *bnds,
                              size_t n, t2i_freq forced, char *err)
{
    t2i_time_axis axis;
    err[0] = '\0';
    if (time_plan_axis(days, bnds, n, T2I_CAL_NOLEAP, T2I_STAMP_START, forced,
                       &axis, err, T2I_ERRLEN) == T2I_OK) {
        strcpy(err, "(accepted)");
        time_axis_free(&axis);
    } else if (axis.mid || axis.bnds || axis.year || axis.month) {
        strcpy(err, "(arrays left allocated after an error)");
    }
    return err;
}


typedef struct {
    const char *text;
    t2i_time_kind kind;
    int year, month, day;
    double second;
} units_case;

static const units_case units_cases[] = {
    {"days since 1700-01-01 00:00:00", T2I_TU_DAYS, 1700, 1, 1, 0.0},
    {"days since 1700-01-01", T2I_TU_DAYS, 1700, 1, 1, 0.0},
    {"days since 1700-1-1", T2I_TU_DAYS, 1700, 1, 1, 0.0},
    {"days since 0001-01-01", T2I_TU_DAYS, 1, 1, 1, 0.0},
    {"days since 1699-12-31", T2I_TU_DAYS, 1699, 12, 31, 0.0},
    {"hours since 1701-01-16", T2I_TU_HOURS, 1701, 1, 16, 0.0},
    {"hours since 1700-01-01 00:00:00 (double)", T2I_TU_HOURS, 1700, 1, 1,
     0.0},
    {"days since 1860-01-01 00:00:00 (double)", T2I_TU_DAYS, 1860, 1, 1,
     0.0},
    {"seconds since 1970-01-01 00:00:00", T2I_TU_SECONDS, 1970, 1, 1, 0.0},
    {"minutes since 1850-01-01 06:30", T2I_TU_MINUTES, 1850, 1, 1, 23400.0},
    {"months since 1700-01-16", T2I_TU_MONTHS, 1700, 1, 16, 0.0},
    {"months since 1900-01-15 00:00:00", T2I_TU_MONTHS, 1900, 1, 15, 0.0},
    {"years since 1700-6-15 12:00:00", T2I_TU_YEARS, 1700, 6, 15, 43200.0},
    {"years since 0000-01-01", T2I_TU_YEARS, 0, 1, 1, 0.0},
    {"years since AD 1700-Jan-1st", T2I_TU_YEARS, 1700, 1, 1, 0.0},
    {"years since 1700-June-2nd", T2I_TU_YEARS, 1700, 6, 2, 0.0},
    {"days since 1850-01-01T06:00:00Z", T2I_TU_DAYS, 1850, 1, 1, 21600.0},
    {"days since 1850-01-01 00:00:00 +00:00", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"days since 1850-01-01 00:00:00Z", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"days since 1850-01-01 00:00:00 UTC", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"days since 1850-01-01 00:00 -0000", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"days since 1850-01-01 12:30:15.25", T2I_TU_DAYS, 1850, 1, 1, 45015.25},
    {"days since 1850-01-01 0:0:0", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"  days   since   1850-01-01  ", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"DAYS SINCE 1850-01-01", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"Days since 1850-01-01", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"day since 1850-01-01", T2I_TU_DAYS, 1850, 1, 1, 0.0},
    {"d since 2003-01-01", T2I_TU_DAYS, 2003, 1, 1, 0.0},
    {"hour since 1850-01-01", T2I_TU_HOURS, 1850, 1, 1, 0.0},
    {"hr since 1850-01-01", T2I_TU_HOURS, 1850, 1, 1, 0.0},
    {"h since 1850-01-01", T2I_TU_HOURS, 1850, 1, 1, 0.0},
    {"second since 1850-01-01", T2I_TU_SECONDS, 1850, 1, 1, 0.0},
    {"sec since 1850-01-01", T2I_TU_SECONDS, 1850, 1, 1, 0.0},
    {"s since 1850-01-01", T2I_TU_SECONDS, 1850, 1, 1, 0.0},
    {"minute since 1850-01-01", T2I_TU_MINUTES, 1850, 1, 1, 0.0},
    {"min since 1850-01-01", T2I_TU_MINUTES, 1850, 1, 1, 0.0},
    {"month since 1850-01-01", T2I_TU_MONTHS, 1850, 1, 1, 0.0},
    {"Months since 1700-1-1", T2I_TU_MONTHS, 1700, 1, 1, 0.0},
    {"year since 1850-01-01", T2I_TU_YEARS, 1850, 1, 1, 0.0},
    {"yr since 1850-01-01", T2I_TU_YEARS, 1850, 1, 1, 0.0},
};

/* Decoding across the standard calendar's switch (JDN 2299161 is
 * 1582-10-15, JDN 2396759 is 1850-01-01). */
static void test_decode_switch_1582(t2i_tally *t)
{
    CHECK_NEAR(t, decode("hours since 1582-10-04", T2I_CAL_STANDARD, 24.0),
               2299161.0 - 2396759.0, DAY_TOL,
               "24 hours after 1582-10-04 decode to 1582-10-15.");
}

static void test_parse_units(t2i_tally *t)
{
    char desc[256], err[T2I_ERRLEN];
    t2i_time_units tu;
    size_t i;
    for (i = 0; i < sizeof units_cases / sizeof units_cases[0]; i++) {
        const units_case *c = &units_cases[i];
        int ok = time_parse_units(c->text, &tu, err, sizeof err) == T2I_OK &&
                 tu.kind == c->kind && tu.ref.year == c->year &&
                 tu.ref.month == c->month && tu.ref.day == c->day &&
                 fabs(tu.ref.second - c->second) < 1e-9;
        snprintf(desc, sizeof desc, "Units '%s' parse to their unit and "
                                    "reference date.", c->text);
        CHECK(t, ok, desc);
    }
    CHECK(t, time_parse_units("year as %Y.%f", &tu, err, sizeof err) == 0 &&
                 tu.kind == T2I_TU_DECIMAL_YEAR,
          "'year as %Y.%f' is a decimal year.");
    CHECK(t, time_parse_units("month as %Y%m.%f", &tu, err, sizeof err) ==
                     0 && tu.kind == T2I_TU_YYYYMM,
          "'month as %Y%m.%f' is a packed year and month.");
    CHECK(t, time_parse_units("day as %Y%m%d.%f", &tu, err, sizeof err) ==
                     0 && tu.kind == T2I_TU_YYYYMMDD,
          "'day as %Y%m%d.%f' is a packed date.");
}

static void test_parse_errors(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    CHECK_STR(t, units_error("yr", err),
              "time units 'yr' have no reference date: set 'time_units' in "
              "models/",
              "Bare 'yr' asks models/ for the reference date.");
    CHECK_STR(t, units_error("years", err),
              "time units 'years' have no reference date: set 'time_units' "
              "in models/",
              "Bare 'years' asks models/ for the reference date.");
    CHECK_STR(t, units_error("", err),
              "time units '' have no reference date: set 'time_units' in "
              "models/",
              "Empty units ask models/ for the reference date.");
    CHECK_STR(t, units_error(NULL, err),
              "time units '' have no reference date: set 'time_units' in "
              "models/",
              "Absent units ask models/ for the reference date.");
}

static void test_parse_garbage(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    CHECK_STR(t, units_error("days sinse 1700-01-01", err),
              "time units 'days sinse 1700-01-01' not understood",
              "A misspelt 'since' is refused with the string quoted.");
    CHECK_STR(t, units_error("days since 1700-13-01", err),
              "time units 'days since 1700-13-01' not understood",
              "Month 13 in the reference is refused.");
    CHECK_STR(t, units_error("days since 1700-01-32", err),
              "time units 'days since 1700-01-32' not understood",
              "Day 32 in the reference is refused.");
    CHECK_STR(t, units_error("days since banana", err),
              "time units 'days since banana' not understood",
              "A reference that is no date is refused.");
    CHECK_STR(t, units_error("fortnights since 1700-01-01", err),
              "time units 'fortnights since 1700-01-01' not understood",
              "An unknown unit word is refused.");
    CHECK_STR(t, units_error("days since 1700-01-01 25:00", err),
              "time units 'days since 1700-01-01 25:00' not understood",
              "Hour 25 in the reference is refused.");
    CHECK_STR(t, units_error("days since 1700-01-01 00:00:00 junk", err),
              "time units 'days since 1700-01-01 00:00:00 junk' not "
              "understood",
              "Trailing words after the reference are refused.");
    CHECK_STR(t, units_error("days since 1700-01-01 00:00:00 +05:00", err),
              "time zone of time units 'days since 1700-01-01 00:00:00 "
              "+05:00' is not utc",
              "A non-zero time zone is refused.");
    CHECK_STR(t, units_error("days since 1700-01-01 00:00 +0530", err),
              "time zone of time units 'days since 1700-01-01 00:00 +0530' "
              "is not utc",
              "A non-zero compact time zone is refused.");
    CHECK_STR(t, units_error("hours as %Y.%f", err),
              "time units 'hours as %Y.%f' not understood",
              "An 'as' format that does not match its unit is refused.");
    CHECK_STR(t, units_error("1700", err),
              "time units '1700' not understood",
              "A bare number is not a unit.");
}

static void test_decode_since(t2i_tally *t)
{
    double days = decode("days since 1700-01-01", T2I_CAL_NOLEAP, 15.5);
    CHECK_NEAR(t, days, -54750.0 + 15.5, DAY_TOL,
               "Noleap day 15.5 after 1700-01-01 is -54734.5.");
    CHECK(t, is_date(T2I_CAL_NOLEAP, days, 1700, 1, 16, 43200.0),
          "Noleap day 15.5 after 1700-01-01 is 1700-01-16 12:00.");
    /* Noleap 1701-01-16 = -149 * 365 + 15 = -54370; + 372 h = 15.5 days. */
    days = decode("hours since 1701-01-16", T2I_CAL_NOLEAP, 372.0);
    CHECK_NEAR(t, days, -54354.5, DAY_TOL,
               "372 hours after noleap 1701-01-16 are day -54354.5.");
    CHECK(t, is_date(T2I_CAL_NOLEAP, days, 1701, 1, 31, 43200.0),
          "372 hours after 1701-01-16 are 1701-01-31 12:00.");
    /* Standard 1701..1849: 37 multiples of 4 minus 1800 = 36 leap days. */
    CHECK_NEAR(t, decode("hours since 1701-01-16", T2I_CAL_STANDARD, 0.0),
               -(149.0 * 365 + 36) + 15, DAY_TOL,
               "Standard 1701-01-16 is -(149 * 365 + 36) + 15.");
    CHECK_NEAR(t,
               decode("seconds since 1970-01-01 00:00:00", T2I_CAL_PROLEPTIC,
                      86400.0),
               43830.0, DAY_TOL,
               "86400 seconds after 1970-01-01 is day 43829 + 1.");
    /* 06:30 plus 90 minutes is 08:00, a third of a day. */
    CHECK_NEAR(t,
               decode("minutes since 1850-01-01 06:30", T2I_CAL_NOLEAP, 90.0),
               1.0 / 3.0, DAY_TOL, "Minutes add to the reference time.");
    CHECK_NEAR(t,
               decode("days since 1850-01-01 00:00:00 (double)",
                      T2I_CAL_STANDARD, -1.0),
               -1.0, DAY_TOL, "Negative days decode before the epoch.");
    /* JDN 2396759 (Gregorian 1850-01-01) - 1721424 (Julian 0001-01-01). */
    CHECK_NEAR(t, decode("days since 0001-01-01", T2I_CAL_STANDARD, 675335.0),
               0.0, DAY_TOL,
               "Days since standard 0001-01-01 count Julian days until 1582.");
    CHECK_NEAR(t,
               decode("days since 0000-01-01", T2I_CAL_PROLEPTIC, 366.0),
               1721426.0 - 2396759.0, DAY_TOL,
               "366 days after proleptic 0000-01-01 is JDN 1721426 (year 1).");
}

static void test_decode_calendar_counts(t2i_tally *t)
{
    CHECK_NEAR(t, decode("months since 1700-01-16", T2I_CAL_NOLEAP, 12.0),
               -54370.0, DAY_TOL,
               "12 months after 1700-01-16 is 1701-01-16 (-149*365 + 15).");
    CHECK_NEAR(t,
               decode("months since 1700-01-16", T2I_CAL_NOLEAP,
                      12.0 - 1e-10),
               -54370.0, 1e-6,
               "Float noise just below 12 months still means 12 months.");
    CHECK_NEAR(t, decode("months since 1700-01-31", T2I_CAL_NOLEAP, 1.0),
               -54750.0 + 31 + 27, DAY_TOL,
               "One month after 1700-01-31 clamps to 1700-02-28.");
    CHECK_NEAR(t, decode("months since 1700-1-1", T2I_CAL_NOLEAP, 0.5),
               -54750.0 + 15.5, DAY_TOL,
               "Half a month from 1700-01-01 is half of January's 31 days.");
    /* 360_day: 1700-02-16 = -54000 + 30 + 15; half of a 30-day month. */
    CHECK_NEAR(t, decode("months since 1700-01-16", T2I_CAL_360, 1.5),
               -53940.0, DAY_TOL,
               "1.5 months after 360_day 1700-01-16 is -53955 + 15.");
    CHECK_NEAR(t, decode("months since 1582-09-10", T2I_CAL_STANDARD, 1.0),
               2299161.0 - 2396759.0, DAY_TOL,
               "A month after 1582-09-10 lands on 1582-10-15, the next real "
               "day.");
}

static void test_decode_years(t2i_tally *t)
{
    /* Noleap 1901-01-01 = 51 * 365 = 18615. */
    CHECK_NEAR(t, decode("years since 0000-01-01", T2I_CAL_NOLEAP, 1901.0),
               18615.0, DAY_TOL,
               "Value 1901 in years since 0000-01-01 is noleap 1901-01-01.");
    /* Standard: 1850..1900 has 12 leap days (1852..1896, not 1900). */
    CHECK_NEAR(t,
               decode("years since 0000-01-01", T2I_CAL_STANDARD, 1901.0),
               51.0 * 365 + 12, DAY_TOL,
               "Years since year 0 count calendar years even in standard.");
    /* 1701-06-15 12:00 noleap = -54385 + 151 + 14 + 0.5; + 0.5 * 365. */
    CHECK_NEAR(t,
               decode("years since 1700-6-15 12:00:00", T2I_CAL_NOLEAP, 1.5),
               -54037.0, DAY_TOL,
               "1.5 years after 1700-06-15 12:00 spreads half of 365 days.");
    /* Proleptic 2001-01-01: 151 * 365 + 37 = 55152; Feb 28 is + 31 + 27. */
    CHECK_NEAR(t, decode("years since 2000-02-29", T2I_CAL_PROLEPTIC, 1.0),
               55210.0, DAY_TOL,
               "A year after 2000-02-29 clamps to 2001-02-28.");
    CHECK_NEAR(t,
               decode("years since AD 1700-Jan-1st", T2I_CAL_NOLEAP, 150.0),
               0.0, DAY_TOL, "VISIT's 150 years since AD 1700 is 1850.");
}

static void test_decode_packed(t2i_tally *t)
{
    double days = decode("year as %Y.%f", T2I_CAL_NOLEAP, 1901.0417);
    CHECK_NEAR(t, days, 18615.0 + 0.0417 * 365, 1e-6,
               "Decimal year 1901.0417 is 1901-01-01 + 0.0417 * 365 days.");
    CHECK(t, is_date(T2I_CAL_NOLEAP, days, 1901, 1, 16, 0.2205 * 86400),
          "Decimal year 1901.0417 falls in mid-January 1901.");
    CHECK_NEAR(t, decode("month as %Y%m.%f", T2I_CAL_NOLEAP, 190101.5),
               18615.0 + 15.5, DAY_TOL,
               "190101.5 is the middle of January 1901.");
    days = decode("day as %Y%m%d.%f", T2I_CAL_NOLEAP, 19010116.5);
    CHECK_NEAR(t, days, 18615.0 + 15.5, DAY_TOL,
               "19010116.5 is noleap day 18615 + 15.5.");
    CHECK(t, is_date(T2I_CAL_NOLEAP, days, 1901, 1, 16, 43200.0),
          "19010116.5 is 1901-01-16 12:00.");
}

static void test_decode_errors(t2i_tally *t)
{
    char err[T2I_ERRLEN];
    CHECK_STR(t, decode_error("days since 0000-01-01", T2I_CAL_STANDARD, 5.0,
                              err),
              "date '0000-01-01' does not exist in the 'standard' calendar",
              "Days since year 0 are refused in the standard calendar.");
    CHECK_STR(t, decode_error("hours since 0000-01-01", T2I_CAL_JULIAN, 5.0,
                              err),
              "date '0000-01-01' does not exist in the 'julian' calendar",
              "Hours since year 0 are refused in the Julian calendar.");
    CHECK_STR(t, decode_error("days since 1850-01-31", T2I_CAL_360, 0.0, err),
              "date '1850-01-31' does not exist in the '360_day' calendar",
              "A reference on day 31 is refused in 360_day.");
    CHECK_STR(t, decode_error("days since 1850-01-01", T2I_CAL_NOLEAP,
                              INFINITY, err),
              "time value 'inf' is not finite",
              "An infinite time value is refused.");
    CHECK_STR(t, decode_error("days since 1850-01-01", T2I_CAL_NOLEAP, 1e9,
                              err),
              "time value '1000000000' gives an absurd offset: more than "
              "100000 years from 1850",
              "A billion days is an absurd offset.");
    CHECK_STR(t, decode_error("months since 1850-01-01", T2I_CAL_NOLEAP,
                              1e30, err),
              "time value '1e+30' gives an absurd offset: more than 100000 "
              "years from 1850",
              "A huge month count is refused before it can overflow.");
    CHECK_STR(t, decode_error("month as %Y%m.%f", T2I_CAL_NOLEAP, 190113.0,
                              err),
              "time value '190113' is not a valid 'month as %Y%m.%f' date",
              "Month 13 of a packed year-month is refused.");
    CHECK_STR(t, decode_error("day as %Y%m%d.%f", T2I_CAL_NOLEAP, 19010230.0,
                              err),
              "time value '19010230' is not a valid 'day as %Y%m%d.%f' date "
              "in the 'noleap' calendar",
              "February 30 of a packed date is refused in noleap.");
}

/* Noleap month starts of 1850 (days): cumulative 31, 28, 31, 30, ... */
static const double noleap_starts[13] = {0,   31,  59,  90,  120, 151, 181,
                                         212, 243, 273, 304, 334, 365};

static int axis_months(const t2i_time_axis *a, int year, int first_month)
{
    size_t i;
    for (i = 0; i < a->n; i++)
        if (a->year[i] != year || a->month[i] != first_month + (int)i)
            return 0;
    return 1;
}

static int plan(const double *days, const double *bnds, size_t n,
                t2i_calendar cal, t2i_stamp stamp, t2i_freq forced,
                t2i_time_axis *axis)
{
    return time_plan_axis(days, bnds, n, cal, stamp, forced, axis, NULL, 0) ==
           T2I_OK;
}

static void test_plan_stamp_positions(t2i_tally *t)
{
    static const double starts[] = {0, 31, 59};
    static const double middles[] = {15.5, 45, 74.5};
    static const double last_days[] = {30, 58, 89};
    t2i_time_axis a;
    int ok = plan(starts, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_START,
                  T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && a.freq == T2I_FREQ_MONTH && axis_months(&a, 1850, 1) &&
                 a.on_boundary == 3 && !a.from_bounds,
          "Month-start stamps read as start open January to March.");
    CHECK(t, ok && a.bnds[0] == 0 && a.bnds[1] == 31 && a.bnds[2] == 31 &&
                 a.bnds[3] == 59 && a.bnds[4] == 59 && a.bnds[5] == 90,
          "January to March bounds are [0,31], [31,59], [59,90].");
    CHECK(t, ok && a.mid[0] == 15.5 && a.mid[1] == 45 && a.mid[2] == 74.5,
          "Output stamps are the midpoints of the bounds.");
    time_axis_free(&a);
    ok = plan(middles, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && axis_months(&a, 1850, 1) && a.on_boundary == 0,
          "Mid-month stamps mean their own months, none on a boundary.");
    time_axis_free(&a);
    ok = plan(last_days, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && axis_months(&a, 1850, 1) && a.on_boundary == 0,
          "Last-day stamps mean their own months.");
    time_axis_free(&a);
}

static void test_plan_boundary_stamps(t2i_tally *t)
{
    static const double ends[] = {31, 59, 90};
    static const double noisy_ends[] = {30.99, 58.999, 89.98};
    static const double noisy_starts[] = {0.01, 31.02, 59.03};
    t2i_time_axis a;
    int ok;
    ok = plan(ends, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_END, T2I_FREQ_UNKNOWN,
              &a);
    CHECK(t, ok && axis_months(&a, 1850, 1) && a.on_boundary == 3,
          "00:00 of the next month read as end closes January to March.");
    time_axis_free(&a);
    ok = plan(ends, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && axis_months(&a, 1850, 2) && a.on_boundary == 3,
          "The same stamps read as start open February to April.");
    time_axis_free(&a);
    ok = plan(noisy_ends, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && axis_months(&a, 1850, 2) && a.on_boundary == 3,
          "Stamps a little before a boundary count as on it.");
    time_axis_free(&a);
    ok = plan(noisy_starts, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_END,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && a.year[0] == 1849 && a.month[0] == 12 &&
                 a.year[2] == 1850 && a.month[2] == 2 && a.on_boundary == 3,
          "Stamps a little after a boundary read as end close the month "
          "before.");
    time_axis_free(&a);
}

static int contiguous(const t2i_time_axis *a)
{
    size_t i;
    for (i = 1; i < a->n; i++)
        if (a->bnds[2 * i] != a->bnds[2 * i - 1])
            return 0;
    return 1;
}

static void test_plan_lengths(t2i_tally *t)
{
    static const int lengths[12] = {31, 28, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
    double stamps[12];
    t2i_time_axis a;
    int ok, good = 1;
    size_t i;
    for (i = 0; i < 12; i++)
        stamps[i] = noleap_starts[i] + 14.0;
    ok = plan(stamps, NULL, 12, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    for (i = 0; ok && i < 12; i++)
        good = good && a.bnds[2 * i + 1] - a.bnds[2 * i] == lengths[i];
    CHECK(t, ok && good && contiguous(&a) && a.bnds[23] == 365.0,
          "Noleap months are 31, 28, 31, ... days, contiguous, ending at 365.");
    time_axis_free(&a);
    for (i = 0; i < 12; i++)
        stamps[i] = 30.0 * (double)i + 15.0;
    ok = plan(stamps, NULL, 12, T2I_CAL_360, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    for (i = 0, good = 1; ok && i < 12; i++)
        good = good && a.bnds[2 * i + 1] - a.bnds[2 * i] == 30.0;
    CHECK(t, ok && good && contiguous(&a) && a.bnds[23] == 360.0,
          "360_day months are all 30 days, contiguous, ending at 360.");
    time_axis_free(&a);
    /* Proleptic 2000-01-01 = 54786; Jan 31, Feb 29 (leap 2000), Mar 31. */
    stamps[0] = 54786 + 15;
    stamps[1] = 54817 + 14;
    stamps[2] = 54846 + 15;
    ok = plan(stamps, NULL, 3, T2I_CAL_PROLEPTIC, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && axis_months(&a, 2000, 1) && a.bnds[2] == 54817.0 &&
                 a.bnds[3] == 54846.0 && contiguous(&a),
          "February 2000 has bounds [54817, 54846], 29 days, in proleptic.");
    time_axis_free(&a);
}

static void test_plan_october_1582(t2i_tally *t)
{
    /* Standard: 1582-10-15 = 2299161 - 2396759 = -97598, so Oct 4 = -97599,
     * Oct 1 = -97602, Sep 1 = -97632 (30 days), Nov 1 = -97598 + 17 =
     * -97581 and Dec 1 = -97551. Stamps: Sep 16, Oct 2 and Nov 16. */
    static const double stamps[] = {-97617, -97600, -97566};
    t2i_time_axis a;
    int ok = plan(stamps, NULL, 3, T2I_CAL_STANDARD, T2I_STAMP_START,
                  T2I_FREQ_MONTH, &a);
    CHECK(t, ok && axis_months(&a, 1582, 9) && a.bnds[0] == -97632.0 &&
                 a.bnds[2] == -97602.0 && a.bnds[3] == -97581.0 &&
                 a.bnds[5] == -97551.0 && contiguous(&a),
          "October 1582 of the standard calendar is a 21-day period.");
    time_axis_free(&a);
}

static void test_plan_annual(t2i_tally *t)
{
    static const double mid_years[] = {182.5, 547.5, 912.5};
    /* Standard 1900-01-01 = 50 * 365 + 12 = 18262; 1901: 18627; 1902:
     * 18992 (neither 1900 nor 1901 is leap). */
    static const double std_years[] = {18444.5, 18809.5};
    t2i_time_axis a;
    int ok = plan(mid_years, NULL, 3, T2I_CAL_NOLEAP, T2I_STAMP_START,
                  T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && a.freq == T2I_FREQ_YEAR && a.year[0] == 1850 &&
                 a.year[2] == 1852 && a.month[0] == 0 && a.bnds[0] == 0 &&
                 a.bnds[1] == 365 && a.bnds[5] == 1095,
          "Annual noleap stamps give years 1850..1852 of 365 days.");
    time_axis_free(&a);
    ok = plan(std_years, NULL, 2, T2I_CAL_STANDARD, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && a.year[0] == 1900 && a.bnds[0] == 18262.0 &&
                 a.bnds[1] == 18627.0 && a.bnds[3] == 18992.0,
          "Standard years 1900 and 1901 have bounds 18262, 18627, 18992.");
    time_axis_free(&a);
}

static void test_plan_bounds_and_forced(t2i_tally *t)
{
    static const double starts[] = {0, 31};
    static const double bnds[] = {0, 31, 31, 59};
    static const double year_bnds[] = {0, 365};
    static const double one[] = {182.5};
    t2i_time_axis a;
    int ok;
    ok = plan(starts, bnds, 2, T2I_CAL_NOLEAP, T2I_STAMP_END,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && axis_months(&a, 1850, 1) && a.from_bounds &&
                 a.on_boundary == 0,
          "Input bounds decide the month over the stamp mode.");
    time_axis_free(&a);
    ok = plan(one, year_bnds, 1, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && a.freq == T2I_FREQ_YEAR && a.year[0] == 1850,
          "One step with 365-day bounds is annual.");
    time_axis_free(&a);
    ok = plan(one, bnds, 1, T2I_CAL_NOLEAP, T2I_STAMP_START,
              T2I_FREQ_UNKNOWN, &a);
    CHECK(t, ok && a.freq == T2I_FREQ_MONTH && axis_months(&a, 1850, 1),
          "One step with 31-day bounds is monthly.");
    time_axis_free(&a);
    ok = plan(one, NULL, 1, T2I_CAL_NOLEAP, T2I_STAMP_START, T2I_FREQ_MONTH,
              &a);
    CHECK(t, ok && a.n == 1 && axis_months(&a, 1850, 7),
          "A forced monthly frequency plans a single stamp (July 2).");
    time_axis_free(&a);
    time_axis_free(&a);
    CHECK(t, a.mid == NULL && a.n == 0, "Freeing an axis twice is safe.");
}

static void test_plan_order_errors(t2i_tally *t)
{
    static const double dup[] = {15.5, 45, 45, 74.5, 105.5};
    static const double back[] = {15.5, 45, 74.5, 45, 105.5, 135.5};
    static const double twice[] = {15.5, 45, 74.5, 80, 105.5, 135.5};
    static const double gap[] = {15.5, 45, 105.5, 135.5};
    char err[T2I_ERRLEN];
    CHECK_STR(t, plan_error(dup, NULL, 5, T2I_FREQ_UNKNOWN, err),
              "time step 2 (1850-02-15) duplicates step 1",
              "A duplicated stamp is refused with both indices.");
    CHECK_STR(t, plan_error(back, NULL, 6, T2I_FREQ_UNKNOWN, err),
              "time steps are not increasing at step 3 (1850-02-15 after "
              "1850-03-16)",
              "A decreasing stamp is refused with both dates.");
    static const double short_back[] = {74.5, 45, 15.5};
    CHECK_STR(t, plan_error(short_back, NULL, 3, T2I_FREQ_UNKNOWN, err),
              "time steps are not increasing at step 1 (1850-02-15 after "
              "1850-03-16)",
              "A short axis running backwards is named as such, not as an odd spacing.");
    CHECK_STR(t, plan_error(twice, NULL, 6, T2I_FREQ_UNKNOWN, err),
              "time step 3 (1850-03) repeats the month of step 2",
              "Two stamps in one month are refused.");
    CHECK_STR(t, plan_error(gap, NULL, 4, T2I_FREQ_UNKNOWN, err),
              "time axis has a gap between step 1 (1850-02) and step 2 "
              "(1850-04)",
              "A missing month is refused as a gap.");
}

static void test_plan_frequency_errors(t2i_tally *t)
{
    static const double daily[] = {0.5, 10.5, 20.5};
    static const double years[] = {182.5, 200};
    static const double year_gap[] = {182.5, 912.5};
    static const double short_bnds[] = {0, 10, 10, 20};
    const double nan_stamp[] = {15.5, NAN};
    char err[T2I_ERRLEN];
    CHECK_STR(t, plan_error(daily, NULL, 3, T2I_FREQ_UNKNOWN, err),
              "time spacing of 10 days is neither monthly nor annual",
              "A 10-day spacing is neither monthly nor annual.");
    CHECK_STR(t, plan_error(years, NULL, 1, T2I_FREQ_UNKNOWN, err),
              "a single time step without bounds shows no frequency: set "
              "'frequency' in models/",
              "One bare stamp asks models/ for the frequency.");
    CHECK_STR(t, plan_error(years, NULL, 2, T2I_FREQ_YEAR, err),
              "time step 1 (1850) repeats the year of step 0",
              "Two stamps in one year are refused.");
    CHECK_STR(t, plan_error(year_gap, NULL, 2, T2I_FREQ_YEAR, err),
              "time axis has a gap between step 0 (1850) and step 1 (1852)",
              "A missing year is refused as a gap.");
    CHECK_STR(t, plan_error(daily, short_bnds, 2, T2I_FREQ_UNKNOWN, err),
              "time bounds of 10 days are neither monthly nor annual",
              "10-day input bounds are neither monthly nor annual.");
    CHECK_STR(t, plan_error(daily, NULL, 0, T2I_FREQ_UNKNOWN, err),
              "time axis is empty", "An empty time axis is refused.");
    CHECK_STR(t, plan_error(nan_stamp, NULL, 2, T2I_FREQ_MONTH, err),
              "time step 1 is not a finite number",
              "A NaN stamp is refused with its index.");
}

/* Section 9: a reference read from the values when the units give none. */
static void test_units_from_values(t2i_tally *t)
{
    t2i_time_units tu;
    char note[256], err[T2I_ERRLEN];
    double years[] = {1700, 1701, 1702};
    CHECK(t, time_units_from_values("yr", years, NULL, 3, &tu, note, sizeof note, err,
                                    sizeof err) == T2I_OK && tu.kind == T2I_TU_DECIMAL_YEAR,
          "'yr' with values 1700-1702 are calendar year numbers");
    double fates[] = {1701.0, 1701.0833f, 1701.1667f}, bnds[] = {1701.0, 1701.0833f,
                                                                 1701.0833f, 1701.1667f,
                                                                 1701.1667f, 1701.25};
    CHECK(t, time_units_from_values("", fates, bnds, 3, &tu, note, sizeof note, err,
                                    sizeof err) == T2I_OK && tu.kind == T2I_TU_MONTHS &&
                 tu.ref.year == 1701 && tu.ref.month == 1 && fates[1] == 1.0 &&
                 fates[2] == 2.0 && bnds[5] == 3.0,
          "no units, 1/12 steps: whole months since January 1701, bounds too");
    double annual[] = {1850.5, 1851.5};
    CHECK(t, time_units_from_values("", annual, NULL, 2, &tu, note, sizeof note, err,
                                    sizeof err) == T2I_OK && tu.kind == T2I_TU_DECIMAL_YEAR,
          "no units, one-year steps: decimal years");
    double counts[] = {0, 1, 2};
    CHECK(t, time_units_from_values("yr", counts, NULL, 3, &tu, note, sizeof note, err,
                                    sizeof err) == T2I_EINPUT && strstr(err, "time_units"),
          "'yr' with values 0, 1, 2 (outside 1500-2500) still needs models/ time_units");
    double uneven[] = {1701, 1701.5, 1703};
    CHECK(t, time_units_from_values("", uneven, NULL, 3, &tu, note, sizeof note, err,
                                    sizeof err) == T2I_EINPUT && strstr(err, "time_units"),
          "no units, steps neither a year nor a month: refused naming time_units");
    double one[] = {1701};
    CHECK(t, time_units_from_values("", one, NULL, 1, &tu, note, sizeof note, err,
                                    sizeof err) == T2I_EINPUT,
          "no units, one value: no step to tell year numbers from a count");
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    test_parse_units(&t);
    test_parse_errors(&t);
    test_parse_garbage(&t);
    test_units_from_values(&t);
    test_decode_since(&t);
    test_decode_switch_1582(&t);
    test_decode_calendar_counts(&t);
    test_decode_years(&t);
    test_decode_packed(&t);
    test_decode_errors(&t);
    test_plan_stamp_positions(&t);
    test_plan_boundary_stamps(&t);
    test_plan_lengths(&t);
    test_plan_october_1582(&t);
    test_plan_annual(&t);
    test_plan_bounds_and_forced(&t);
    test_plan_order_errors(&t);
    test_plan_frequency_errors(&t);
    return CHECK_SUMMARY(&t);
}
