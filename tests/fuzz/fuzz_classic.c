/* libFuzzer harness: classic_check_stream on arbitrary bytes as a whole
 * file (fmemopen), the walk that stands between a hostile netCDF-3 header
 * and nc_open. Seeds are made by tests/fuzz_test.sh with ncgen (classic,
 * 64-bit offset and CDF-5 files of the sample), never stored as binaries.
 * Built and run by tests/fuzz_test.sh. */
#include <stdint.h>
#include <stdio.h>

#include "classic.h"
#include "t2i.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[T2I_ERRLEN];
    if (size == 0)
        return 0;
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return 0;
    (void)classic_check_stream(f, size, err, sizeof err);
    fclose(f);
    return 0;
}
