/* Tests of inflate.c's pure parts: container names, signatures and tar
 * header decoding, against headers built here from the POSIX ustar layout
 * (name 0-99, size 124-135, chksum 148-155, typeflag 156, magic 257,
 * prefix 345-499). Whole files are tested in tests/inflate_test.sh. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "inflate.h"
#include "t2i.h"

/* A ustar header for name (and prefix), size given as an octal field text,
 * with its checksum: the byte sum with the checksum field as 8 spaces,
 * written as six octal digits, NUL, space (as GNU tar does). */
static void make_header(unsigned char *b, const char *prefix, const char *name,
                        const char *size_field, char type)
{
    memset(b, 0, 512);
    memcpy(b, name, strlen(name));
    memcpy(b + 100, "0000644", 7);
    memcpy(b + 124, size_field, strlen(size_field));
    b[156] = (unsigned char)type;
    memcpy(b + 257, "ustar", 6);
    memcpy(b + 263, "00", 2);
    if (prefix)
        memcpy(b + 345, prefix, strlen(prefix));
    memset(b + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += b[i];
    snprintf((char *)b + 148, 8, "%06o", sum);
    b[155] = ' ';
}

static void test_names(t2i_tally *t)
{
    inflate_container c;
    char err[T2I_ERRLEN];
    CHECK(t, !inflate_container_from_name("a/VISIT_S3_gpp.nc.gz", &c, err, sizeof err) &&
                 c.codec == INFLATE_GZIP && !c.tar, ".nc.gz is gzip without tar");
    CHECK(t, !inflate_container_from_name("x_S3_cSoil.nc.tar.gz", &c, err, sizeof err) &&
                 c.codec == INFLATE_GZIP && c.tar, ".nc.tar.gz is gzip with tar");
    CHECK(t, !inflate_container_from_name("x.tgz", &c, err, sizeof err) &&
                 c.codec == INFLATE_GZIP && c.tar, ".tgz is gzip with tar");
    CHECK(t, !inflate_container_from_name("x.nc.bz2", &c, err, sizeof err) &&
                 c.codec == INFLATE_BZIP2 && !c.tar, ".nc.bz2 is bzip2 without tar");
    CHECK(t, !inflate_container_from_name("x.tar.bz2", &c, err, sizeof err) &&
                 c.codec == INFLATE_BZIP2 && c.tar, ".tar.bz2 is bzip2 with tar");
    CHECK(t, inflate_container_from_name("x.nc", &c, err, sizeof err) == T2I_EINPUT,
          "a plain .nc is no container");
    CHECK_STR(t, err,
              "unknown container: the name must end in .gz, .bz2, .tar.gz, .tgz, "
              ".tar.bz2 or .tbz2",
              "the refusal lists the accepted suffixes");
}

static void test_magic(t2i_tally *t)
{
    CHECK(t, inflate_codec_from_magic((const unsigned char *)"\037\213\010", 3) ==
                 INFLATE_GZIP, "1f 8b is gzip (RFC 1952)");
    CHECK(t, inflate_codec_from_magic((const unsigned char *)"BZh9", 4) == INFLATE_BZIP2,
          "BZh9 is bzip2");
    CHECK(t, inflate_codec_from_magic((const unsigned char *)"BZh0", 4) == INFLATE_NONE,
          "BZh0 is no bzip2 block size");
    CHECK(t, inflate_codec_from_magic((const unsigned char *)"\037", 1) == INFLATE_NONE,
          "one byte is no signature");
    CHECK(t, inflate_is_netcdf((const unsigned char *)"CDF\001", 4), "CDF 1 is netCDF classic");
    CHECK(t, inflate_is_netcdf((const unsigned char *)"CDF\002", 4), "CDF 2 is 64-bit offset");
    CHECK(t, inflate_is_netcdf((const unsigned char *)"CDF\005", 4), "CDF 5 is CDF-5");
    CHECK(t, inflate_is_netcdf((const unsigned char *)"\211HDF\r\n\032\n", 8),
          "the HDF5 signature is netCDF-4");
    CHECK(t, !inflate_is_netcdf((const unsigned char *)"CDF\003", 4), "CDF 3 is not netCDF");
    CHECK(t, !inflate_is_netcdf((const unsigned char *)"CDF", 3), "three bytes are too few");
}

static void test_tar(t2i_tally *t)
{
    unsigned char b[512];
    inflate_tar_header h;
    char err[T2I_ERRLEN] = "";
    make_header(b, NULL, "a.nc", "00000001750", '0');
    CHECK(t, inflate_tar_parse_header(b, &h, err, sizeof err) == T2I_OK,
          "a ustar header with a right checksum decodes");
    CHECK_STR(t, h.name, "a.nc", "its name");
    CHECK(t, h.size == 1000, "octal 1750 is 1000 bytes");
    CHECK(t, h.type == '0', "its type");
    make_header(b, "dir/sub", "b.nc", " 1750 ", '\0');
    CHECK(t, inflate_tar_parse_header(b, &h, err, sizeof err) == T2I_OK && h.size == 1000,
          "an octal field padded with spaces decodes");
    CHECK_STR(t, h.name, "dir/sub/b.nc", "the ustar prefix joins the name with '/'");
    CHECK(t, h.type == '0', "typeflag NUL is a regular file");
    make_header(b, NULL, "big.nc", "", '0');
    b[124] = 0x80;
    b[131] = 0x02; /* bytes 124..135 = 80 00 .. 02 00 00 00 00 = 2^33 */
    memset(b + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += b[i];
    snprintf((char *)b + 148, 8, "%06o", sum);
    CHECK(t, inflate_tar_parse_header(b, &h, err, sizeof err) == T2I_OK &&
                 h.size == 8589934592ULL, "a base-256 size field (GNU, >= 8 GiB) decodes");
    make_header(b, NULL, "a.nc", "00000001750", '0');
    b[0] = 'c';
    CHECK(t, inflate_tar_parse_header(b, &h, err, sizeof err) == T2I_EINPUT,
          "a changed byte fails the checksum");
    CHECK_STR(t, err, "bad tar header checksum", "the checksum refusal");
    make_header(b, NULL, "a.nc", "0000000175x", '0');
    CHECK(t, inflate_tar_parse_header(b, &h, err, sizeof err) == T2I_EINPUT,
          "a non-octal size is refused");
    CHECK_STR(t, err, "bad tar header size field", "the size refusal");
    memset(b, 0, sizeof b);
    CHECK(t, inflate_tar_is_zero(b), "a zero block is an end mark half");
    b[511] = 1;
    CHECK(t, !inflate_tar_is_zero(b), "one non-zero byte is not");
}

int main(void)
{
    t2i_tally t = {0};
    test_names(&t);
    test_magic(&t);
    test_tar(&t);
    return CHECK_SUMMARY(&t);
}
