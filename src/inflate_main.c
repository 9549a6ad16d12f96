/* t2i-inflate's command line: parse, decompress, print one line on
 * failure, map the status to an exit code (see include/inflate.h).
 *
 *   t2i-inflate [--max-bytes N] [--keep-free N] [--fsync] IN OUT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inflate.h"
#include "t2i.h"
#include "message.h"

static const char usage_text[] =
    "usage: t2i-inflate [--max-bytes N] [--keep-free N] [--fsync] IN OUT\n"
    "Decompress IN (.nc.gz, .nc.bz2, .nc.tar.gz/.tgz, .nc.tar.bz2/.tbz2; the\n"
    "container is checked against IN's first bytes) into the netCDF file OUT,\n"
    "through OUT.tmp.<pid> renamed when complete (endings in any case). A tar\n"
    "archive must hold exactly one regular '.nc' member; it is written to OUT,\n"
    "never under its own name.\n"
    "\n"
    "  --max-bytes N   refuse IN once it inflates past N bytes (default 64G)\n"
    "  --keep-free N   stop when OUT's file system would keep less than N\n"
    "                  bytes free (default 256M)\n"
    "  --fsync         fsync OUT before the rename\n"
    "Sizes take a K, M, G or T suffix (powers of 1024).\n"
    "Exit status: 0 done; 1 bad input (damaged, truncated, wrong container or\n"
    "member count, not netCDF, too large); 2 usage; 3 I/O or system error.\n";

/* A byte count with an optional binary suffix; -1 when malformed. */
static int parse_size(const char *text, unsigned long long *v)
{
    char *end;
    if (text[0] < '0' || text[0] > '9')
        return -1;
    unsigned long long n = strtoull(text, &end, 10);
    const char *units = "KMGT";
    const char *u = *end ? strchr(units, *end) : NULL;
    if (*end && (!u || end[1]))
        return -1;
    int shift = u ? 10 * (int)(u - units + 1) : 0;
    if (shift && n > (~0ULL >> shift))
        return -1;
    *v = n << shift;
    return 0;
}

static int parse_args(int argc, char **argv, inflate_options *o, const char **pos)
{
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            exit(0);
        } else if (!strcmp(a, "--fsync")) {
            o->fsync = 1;
        } else if (!strcmp(a, "--max-bytes") || !strcmp(a, "--keep-free")) {
            unsigned long long *v = a[2] == 'm' ? &o->max_bytes : &o->keep_free;
            if (i + 1 >= argc || parse_size(argv[++i], v)) {
                fprintf(stderr, "t2i-inflate: bad option '%s'\n%s", a, usage_text);
                return -1;
            }
        } else if (!strncmp(a, "--", 2) || npos == 2) {
            fprintf(stderr, "t2i-inflate: unexpected argument '%s'\n%s", a, usage_text);
            return -1;
        } else {
            pos[npos++] = a;
        }
    }
    if (npos != 2) {
        fputs(usage_text, stderr);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    inflate_options o = {.max_bytes = INFLATE_MAX_BYTES_DEFAULT,
                         .keep_free = INFLATE_KEEP_FREE_DEFAULT};
    const char *pos[2];
    if (parse_args(argc, argv, &o, pos))
        return T2I_EUSAGE;
    char err[T2I_ERRLEN];
    int st = inflate_file(pos[0], pos[1], &o, err, sizeof err);
    if (st != T2I_OK)
        message_print(stderr, "t2i-inflate", pos[0], err);
    return st;
}
