/* Checking a netCDF classic-format file (CDF-1 classic, CDF-2 64-bit
 * offset, CDF-5 64-bit data) before the netCDF library opens it.
 *
 * netCDF-C trusts the counts of a classic header: one damaged count or name
 * length in an 800-byte file makes nc_open allocate or copy gigabytes for
 * many seconds (found by tests/damage_test.sh). This walks the header with
 * bounded reads, refuses every count or length the file is too small to
 * hold, and checks that each variable's data, from its `begin` offset, lies
 * inside the file: netCDF-3 reads the bytes of a truncated file as zeros,
 * without an error. Layout: "NetCDF Classic Format Specification". */
#ifndef T2I_CLASSIC_H
#define T2I_CLASSIC_H

#include <stddef.h>
#include <stdio.h>

/* Walks the classic header read from `f` (positioned at the file's first
 * byte), a file of `size` bytes. A stream that does not start with "CDF"
 * and version byte 1, 2 or 5 is not classic: T2I_OK, nc_open judges it.
 * Fills err (T2I_EINPUT) naming the damage and its byte offset, or the
 * variable whose data runs past the end of the file. */
int classic_check_stream(FILE *f, unsigned long long size, char *err,
                         size_t errlen);

/* classic_check_stream on the file at `path`. A file that cannot be opened
 * returns T2I_OK: nc_open reports that with netCDF's own words. */
int classic_check(const char *path, char *err, size_t errlen);

#endif
