/* Unit tests of the checker's own unit factors (verify_units.h). */
#include "verify_units.h"

#include <math.h>
#include <string.h>

#include "check.h"

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
    CHECK(t, verify_units("gN m-2 day-1", "kg m-2 s-1", &f, why, sizeof why) == 0 &&
                 fabs(f.factor - 1e-3 / 86400) < 1e-18, "fBNF's gN drops the nitrogen marker");
    CHECK(t, verify_units("kg N m-2 s-1", "kg m-2 s-1", &f, why, sizeof why) == 0 &&
                 fabs(f.factor - 1) < 1e-15, "kg N m-2 s-1: N after a mass is nitrogen");
    CHECK(t, verify_units("degrees C", "K", &f, why, sizeof why) == 0 && f.factor == 1 &&
                 fabs(f.offset - 273.15) < 1e-9, "'degrees C' is degC");
    CHECK(t, verify_units("degrees Celsius", "K", &f, why, sizeof why) == 0 && f.factor == 1 &&
                 fabs(f.offset - 273.15) < 1e-9, "'degrees Celsius' is degC, not an angle");
    static const char *const carbon[] = {"KgC m-2 s-1", "kg[C] m-2 s-1", "kg_C m-2 s-1",
                                         "kgC/m2/s"};
    for (int i = 0; i < 4; i++)
        CHECK(t, verify_units(carbon[i], "kg m-2 s-1", &f, why, sizeof why) == 0 &&
                     fabs(f.factor - 1) < 1e-15, carbon[i]);
    CHECK(t, verify_units("KgC/m2.s", "kg m-2 s-1", &f, why, sizeof why) == 0 &&
                 fabs(f.factor - 1) < 1e-15, "CLASSIC's KgC/m2.s is per m2 per second");
    CHECK(t, verify_units("kg/m2.s-1", "kg m-2 s-1", &f, why, sizeof why) == 0 &&
                 fabs(f.factor - 1) < 1e-15,
          "a '.' before a term with its own exponent multiplies, as udunits2 reads it");
    CHECK(t, verify_units("None", "1", &f, why, sizeof why) == 0 && f.factor == 1,
          "lai 'None' is the number 1");
    CHECK(t, verify_units("furlongs", "kg m-2", &f, why, sizeof why) == -1,
          "unconvertible units are refused");
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    test_units(&t);
    return CHECK_SUMMARY(&t);
}
