/* libFuzzer harness: units_normalise on arbitrary unit text against every
 * CMIP6 target of the variables table. Input: the unit text. One input in
 * FUZZ_PLAN_EVERY (by a hash of its bytes, which mutations scatter, so the
 * fuzzer cannot learn to hit it) also goes through units_plan against the
 * target its last byte picks: units_plan loads the udunits2 database, about
 * 150 ms under ASan, so more would starve the normaliser. Built and run by
 * tests/fuzz_test.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <udunits2.h>

#include "t2i.h"
#include "units.h"

/* One input in this many (by hash) also goes through units_plan. */
#define FUZZ_PLAN_EVERY 4096u

/* FNV-1a hash of the input bytes. */
static uint32_t fnv1a(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    return h;
}

/* The targets of tables/variables.tsv. */
static const char *const FUZZ_TARGETS[] = {"kg m-2 s-1", "kg m-2", "1", "%", "K", "W m-2"};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* udunits2 prints every parse error and database note to stderr. */
    ut_set_error_message_handler(ut_ignore);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), out[160], err[T2I_ERRLEN];
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t ntargets = sizeof FUZZ_TARGETS / sizeof FUZZ_TARGETS[0];
    for (size_t i = 0; i < ntargets; i++) {
        t2i_per per;
        (void)units_normalise(text, FUZZ_TARGETS[i], out, sizeof out, &per, err, sizeof err);
    }
    if (size > 0 && fnv1a(data, size) % FUZZ_PLAN_EVERY == 0) {
        t2i_units_conv conv;
        (void)units_plan(text, FUZZ_TARGETS[data[size - 1] % ntargets], &conv, err, sizeof err);
    }
    free(text);
    return 0;
}
