/* libFuzzer harness: arbitrary bytes as the tar archive inside a .tar.gz,
 * through inflate_file (tar reader, long names, pax records, sink and
 * signature checks). The bytes are wrapped as gzip in memory with ISA-L;
 * the archive and its output are files in the working directory, which
 * tests/fuzz_test.sh makes a temporary one. Seeds (archives made with tar)
 * are made by tests/fuzz_test.sh, never stored as binaries. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <isa-l/igzip_lib.h>

#include "inflate.h"
#include "t2i.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cap = 2 * size + 1024; /* room for incompressible stored blocks */
    uint8_t *gz = malloc(cap);
    if (!gz)
        return 0;
    struct isal_zstream z;
    isal_deflate_stateless_init(&z);
    z.next_in = (uint8_t *)data;
    z.avail_in = (uint32_t)size;
    z.next_out = gz;
    z.avail_out = (uint32_t)cap;
    z.gzip_flag = IGZIP_GZIP;
    z.end_of_stream = 1;
    FILE *f = NULL;
    if (isal_deflate_stateless(&z) == COMP_OK && (f = fopen("fuzz.tar.gz", "wb"))) {
        size_t n = cap - z.avail_out;
        int ok = fwrite(gz, 1, n, f) == n;
        if (fclose(f) == 0 && ok) {
            inflate_options o = {.max_bytes = 1 << 24, .keep_free = 0};
            char err[T2I_ERRLEN];
            (void)inflate_file("fuzz.tar.gz", "fuzz.nc", &o, err, sizeof err);
            unlink("fuzz.nc");
        }
    }
    free(gz);
    return 0;
}
