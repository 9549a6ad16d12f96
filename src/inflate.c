/* Decompression of compressed TRENDY inputs to a scratch netCDF file: see
 * include/inflate.h for the contract. One pass, one thread: read IN in
 * large blocks, decode (ISA-L or libbz2), feed the bytes either straight to
 * the sink (OUT.tmp) or through a tar reader that passes on the one '.nc'
 * member. Memory: the two buffers below plus ~170 KiB of decoder and tar
 * state (libbz2 adds ~3.5 MiB for a 900k block). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <bzlib.h>
#include <isa-l/igzip_lib.h>

#include "inflate.h"
#include "tmppath.h"
#include "t2i.h"
#include "regular.h"

/* Bytes read from IN at a time: large reads keep the syscall cost well
 * under 1 % of ISA-L's decode time. */
#define IN_BUF_BYTES (1u << 20)
/* Decoded bytes per decode call, written with one write(). */
#define OUT_BUF_BYTES (4u << 20)
#define TAR_BLOCK 512
/* Longest member name kept from a GNU 'L' or pax 'path' record (bytes). */
#define TAR_NAME_MAX 4096
/* Largest pax extended header accepted (bytes); real ones hold a few
 * records of tens of bytes. */
#define TAR_PAX_MAX 65536
/* Bytes of member names quoted in a refusal (fits T2I_ERRLEN). */
#define TAR_NAMES_MAX 300
/* Bytes of the decoded stream kept to check its signature. */
#define HEAD_BYTES (4096 + 8)

/* ------------------------------------------------------------ names */

/* Endings are matched ignoring case, as tables/names.tsv matches them
 * when the plan reads the archive: M_S3_gpp.nc.GZ is planned as gzip, so it
 * must be read as gzip. */
static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int inflate_container_from_name(const char *path, inflate_container *c,
                                char *err, size_t errlen)
{
    static const struct {
        const char *suffix;
        inflate_codec codec;
        int tar;
    } table[] = {
        {".tar.gz", INFLATE_GZIP, 1},   {".tgz", INFLATE_GZIP, 1},
        {".tar.bz2", INFLATE_BZIP2, 1}, {".tbz2", INFLATE_BZIP2, 1},
        {".gz", INFLATE_GZIP, 0},       {".bz2", INFLATE_BZIP2, 0},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (ends_with(path, table[i].suffix)) {
            c->codec = table[i].codec;
            c->tar = table[i].tar;
            return T2I_OK;
        }
    return t2i_fail(T2I_EINPUT, err, errlen,
                    "unknown container: the name must end in .gz, .bz2, "
                    ".tar.gz, .tgz, .tar.bz2 or .tbz2");
}

inflate_codec inflate_codec_from_magic(const unsigned char *buf, size_t n)
{
    if (n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
        return INFLATE_GZIP;
    if (n >= 4 && memcmp(buf, "BZh", 3) == 0 && buf[3] >= '1' && buf[3] <= '9')
        return INFLATE_BZIP2;
    return INFLATE_NONE;
}

int inflate_is_netcdf(const unsigned char *buf, size_t n)
{
    if (n < 4)
        return 0;
    if (memcmp(buf, "CDF", 3) == 0)
        return buf[3] == 1 || buf[3] == 2 || buf[3] == 5;
    /* HDF5's superblock sits at 0, or after a user block of 512, 1024,
     * 2048 or 4096 bytes (netCDF-C looks there too). */
    for (size_t off = 0; off <= 4096; off = off ? 2 * off : 512)
        if (n >= off + 8 && memcmp(buf + off, "\211HDF\r\n\032\n", 8) == 0)
            return 1;
    return n < 8 && memcmp(buf, "\211HDF", 4) == 0;
}

static const char *codec_name(inflate_codec c)
{
    return c == INFLATE_GZIP ? "gzip" : c == INFLATE_BZIP2 ? "bzip2" : "unknown";
}

/* ------------------------------------------------------------ tar headers */

int inflate_tar_is_zero(const unsigned char *block)
{
    for (int i = 0; i < TAR_BLOCK; i++)
        if (block[i])
            return 0;
    return 1;
}

/* An octal field (NUL- or space-terminated, leading spaces allowed) or,
 * for sizes of 8 GiB and more, GNU's base-256 form (high bit of byte 0). */
static int tar_number(const unsigned char *f, size_t len, unsigned long long *v)
{
    *v = 0;
    if (f[0] & 0x80) {
        if (f[0] != 0x80)
            return -1; /* negative, or more than 64 bits */
        for (size_t i = 1; i < len; i++) {
            if (*v >> 56)
                return -1;
            *v = *v << 8 | f[i];
        }
        return 0;
    }
    size_t i = 0;
    while (i < len && f[i] == ' ')
        i++;
    size_t digits = 0;
    for (; i < len && f[i] >= '0' && f[i] <= '7'; i++, digits++) {
        if (*v >> 61)
            return -1;
        *v = *v << 3 | (unsigned)(f[i] - '0');
    }
    if (i < len && f[i] != ' ' && f[i] != '\0')
        return -1;
    return digits ? 0 : -1;
}

/* The header checksum: byte sum with the checksum field read as spaces.
 * Old writers summed signed chars; both are accepted, as GNU tar does. */
static int tar_checksum_ok(const unsigned char *b)
{
    unsigned long long want;
    if (tar_number(b + 148, 8, &want))
        return 0;
    long u = 0, s = 0;
    for (int i = 0; i < TAR_BLOCK; i++) {
        int c = i >= 148 && i < 156 ? ' ' : b[i];
        u += c;
        s += i >= 148 && i < 156 ? ' ' : (signed char)b[i];
    }
    return (unsigned long long)u == want || (long long)s == (long long)want;
}

static size_t field_len(const unsigned char *f, size_t max)
{
    size_t n = 0;
    while (n < max && f[n])
        n++;
    return n;
}

int inflate_tar_parse_header(const unsigned char *b, inflate_tar_header *h,
                             char *err, size_t errlen)
{
    if (!tar_checksum_ok(b))
        return t2i_fail(T2I_EINPUT, err, errlen, "bad tar header checksum");
    if (tar_number(b + 124, 12, &h->size))
        return t2i_fail(T2I_EINPUT, err, errlen, "bad tar header size field");
    h->type = b[156] == '\0' || b[156] == '7' ? '0' : (char)b[156];
    size_t np = memcmp(b + 257, "ustar", 5) == 0 ? field_len(b + 345, 155) : 0;
    size_t nn = field_len(b, 100);
    memcpy(h->name, b + 345, np);
    if (np)
        h->name[np++] = '/';
    memcpy(h->name + np, b, nn);
    h->name[np + nn] = '\0';
    return T2I_OK;
}

/* ------------------------------------------------------------ the sink */

/* OUT.tmp.<pid> being written, with what the checks need. */
typedef struct {
    int fd;
    char *tmp, *out;
    unsigned long long written;    /* bytes */
    unsigned long long next_check; /* written at which free space is checked */
    unsigned long long keep_free;  /* bytes */
    unsigned char head[HEAD_BYTES];
    size_t nhead; /* bytes in head */
    int checked;  /* 1: head's signature was accepted */
} sink;

static int sink_open(sink *s, const char *out, unsigned long long keep_free,
                     char *err, size_t errlen)
{
    s->fd = -1;
    s->keep_free = keep_free;
    s->out = strdup(out);
    size_t n = strlen(out) + TMPPATH_EXTRA;
    s->tmp = malloc(n);
    if (!s->out || !s->tmp)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory");
    /* A run killed with -9 leaves OUT.tmp.<pid> behind (tmppath.h). */
    int st = tmppath_begin(s->tmp, n, out, err, errlen);
    if (st != T2I_OK)
        return st;
    s->fd = open(s->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (s->fd < 0)
        return t2i_fail(T2I_ESYS, err, errlen, "create '%s': %s", s->tmp,
                        strerror(errno));
    return T2I_OK;
}

/* Refuses to write past the point where the file system would keep less
 * than keep_free bytes; checked every INFLATE_CHECK_BYTES, before they are
 * written. */
static int sink_check_space(sink *s, size_t n, char *err, size_t errlen)
{
    if (s->written + n < s->next_check)
        return T2I_OK;
    struct statvfs v;
    if (fstatvfs(s->fd, &v) != 0)
        return t2i_fail(T2I_ESYS, err, errlen, "statvfs '%s': %s", s->tmp,
                        strerror(errno));
    unsigned long long avail = (unsigned long long)v.f_bavail * v.f_frsize;
    unsigned long long need = s->keep_free + INFLATE_CHECK_BYTES + n;
    if (need < s->keep_free) /* --keep-free near 2^64 */
        need = ~0ULL;
    if (avail < need)
        return t2i_fail(T2I_ESYS, err, errlen,
                        "stopped after %llu bytes: only %llu bytes free on the "
                        "file system of '%s', keeping %llu free (--keep-free)",
                        s->written, avail, s->tmp, s->keep_free);
    s->next_check = s->written + n + INFLATE_CHECK_BYTES;
    return T2I_OK;
}

static int sink_check_head(sink *s, char *err, size_t errlen)
{
    if (inflate_is_netcdf(s->head, s->nhead)) {
        s->checked = 1;
        return T2I_OK;
    }
    int tar = s->nhead >= 262 && memcmp(s->head + 257, "ustar", 5) == 0;
    return t2i_fail(T2I_EINPUT, err, errlen,
                    "decompressed data is not netCDF (no CDF or HDF5 "
                    "signature)%s",
                    tar ? ": it is a tar archive, expected a name ending in "
                          ".tar.gz or .tgz" : "");
}

static int sink_write(sink *s, const unsigned char *b, size_t n, char *err,
                      size_t errlen)
{
    if (s->nhead < HEAD_BYTES) {
        size_t k = n < HEAD_BYTES - s->nhead ? n : HEAD_BYTES - s->nhead;
        memcpy(s->head + s->nhead, b, k);
        s->nhead += k;
        if (s->nhead == HEAD_BYTES && sink_check_head(s, err, errlen))
            return T2I_EINPUT;
    }
    if (sink_check_space(s, n, err, errlen))
        return T2I_ESYS;
    while (n) {
        ssize_t w = write(s->fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return t2i_fail(T2I_ESYS, err, errlen, "write '%s': %s", s->tmp,
                            strerror(errno));
        b += w;
        n -= (size_t)w;
        s->written += (size_t)w;
    }
    return T2I_OK;
}

/* Checks the signature of a short stream, closes and renames. */
static int sink_commit(sink *s, int do_fsync, char *err, size_t errlen)
{
    if (!s->checked && sink_check_head(s, err, errlen))
        return T2I_EINPUT;
    if (do_fsync && fsync(s->fd) != 0)
        return t2i_fail(T2I_ESYS, err, errlen, "fsync '%s': %s", s->tmp,
                        strerror(errno));
    int fd = s->fd;
    s->fd = -1;
    if (close(fd) != 0)
        return t2i_fail(T2I_ESYS, err, errlen, "close '%s': %s", s->tmp,
                        strerror(errno));
    int st = tmppath_commit(s->tmp, s->out, err, errlen);
    if (st != T2I_OK)
        return st;
    free(s->tmp);
    s->tmp = NULL;
    return T2I_OK;
}

/* Closes and removes OUT.tmp.<pid> if it is still there (failure paths). */
static void sink_abort(sink *s)
{
    if (s->fd >= 0)
        close(s->fd);
    if (s->tmp)
        unlink(s->tmp);
    free(s->tmp);
    free(s->out);
    s->fd = -1;
    s->tmp = s->out = NULL;
}

/* ------------------------------------------------------------ tar reader */

enum { TAR_HEADER, TAR_MEMBER, TAR_SKIP, TAR_LONGNAME, TAR_PAX, TAR_END };

typedef struct {
    int what;                      /* TAR_* */
    unsigned char hdr[TAR_BLOCK];  /* header being collected */
    size_t nhdr;                   /* bytes in hdr */
    unsigned long long left;       /* data bytes of this member still due */
    unsigned long long pad;        /* padding bytes after them */
    unsigned long long offset;     /* bytes of the tar stream seen */
    int zeros;                     /* consecutive zero blocks */
    char next[TAR_NAME_MAX];       /* name from an 'L' or pax record */
    int have_next;                 /* 1: next applies to the next header */
    unsigned long long next_size;  /* pax size record, if have_size */
    int have_size;
    size_t nrec;                   /* bytes of 'L' or pax data collected */
    char rec[TAR_PAX_MAX];         /* 'L' or pax data */
    int nnc;                       /* regular '.nc' members seen */
    char names[TAR_NAMES_MAX];     /* "'a', 'b'" of every member so far */
    int members;
} tar_reader;

/* Copies name into clean (TAR_NAME_MAX bytes) with control characters as
 * '?', so a hostile member name cannot break the one-line error. */
static void tar_clean_name(const char *name, char *clean)
{
    size_t i = 0;
    for (; name[i] && i + 1 < TAR_NAME_MAX; i++)
        clean[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7f ? '?' : name[i];
    clean[i] = '\0';
}

/* Appends 'name' to r->names, "..." once they no longer fit. */
static void tar_note_name(tar_reader *r, const char *name)
{
    size_t n = strlen(r->names);
    r->members++;
    if (n + 8 >= sizeof r->names)
        return;
    int w = snprintf(r->names + n, sizeof r->names - n, "%s'%s'", n ? ", " : "", name);
    if (w < 0 || (size_t)w >= sizeof r->names - n)
        strcpy(r->names + sizeof r->names - 4, "...");
}

/* The 'path' and 'size' records of a pax extended header ("LEN key=value\n"
 * each); other keys (times, owners, xattrs) do not matter here. */
static int tar_parse_pax(tar_reader *r, char *err, size_t errlen)
{
    size_t i = 0;
    r->rec[r->nrec] = '\0'; /* nrec < TAR_PAX_MAX: strtoul stops here */
    while (i < r->nrec) {
        char *end;
        unsigned long len = strtoul(r->rec + i, &end, 10);
        char *key = end + 1;
        if (end == r->rec + i || *end != ' ' || len == 0 || len > r->nrec - i ||
            r->rec[i + len - 1] != '\n')
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "damaged pax header at tar offset %llu", r->offset);
        r->rec[i + len - 1] = '\0';
        if (strncmp(key, "path=", 5) == 0) {
            snprintf(r->next, sizeof r->next, "%s", key + 5);
            r->have_next = 1;
        } else if (strncmp(key, "size=", 5) == 0) {
            r->next_size = strtoull(key + 5, &end, 10);
            r->have_size = 1;
        }
        i += len;
    }
    return T2I_OK;
}

/* A regular member: the first '.nc' one goes to the sink, a second one is
 * refused at once (no reason to inflate further), others are skipped. */
static int tar_regular(tar_reader *r, const char *name, unsigned long long max,
                       char *err, size_t errlen)
{
    r->what = TAR_SKIP;
    if (!ends_with(name, ".nc"))
        return T2I_OK;
    if (++r->nnc > 1)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "tar archive holds more than one '.nc' member (%s), "
                        "expected exactly one", r->names);
    if (r->left > max)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "tar member '%s' holds %llu bytes, more than %llu "
                        "(--max-bytes)", name, r->left, max);
    r->what = TAR_MEMBER;
    return T2I_OK;
}

/* Decodes the header in r->hdr and sets what its data is for. */
static int tar_header(tar_reader *r, unsigned long long max, char *err,
                      size_t errlen)
{
    if (inflate_tar_is_zero(r->hdr)) {
        r->what = ++r->zeros == 2 ? TAR_END : TAR_HEADER;
        return T2I_OK;
    }
    r->zeros = 0;
    inflate_tar_header h;
    char why[128];
    if (inflate_tar_parse_header(r->hdr, &h, why, sizeof why))
        return r->offset == TAR_BLOCK && !r->members
                   ? t2i_fail(T2I_EINPUT, err, errlen,
                              "decompressed data is not a tar archive (%s)%s", why,
                              inflate_is_netcdf(r->hdr, TAR_BLOCK)
                                  ? ": it is netCDF, expected a name ending in "
                                    ".nc.gz or .nc.bz2" : "")
                   : t2i_fail(T2I_EINPUT, err, errlen,
                              "damaged tar header at tar offset %llu: %s",
                              r->offset - TAR_BLOCK, why);
    /* A pax size belongs to the member, not to the metadata records that
     * may come between them (GNU 'L' and 'K', pax 'x' and 'g'). */
    int meta = h.type == 'x' || h.type == 'L' || h.type == 'K' || h.type == 'g';
    r->left = r->have_size && !meta ? r->next_size : h.size;
    r->pad = (TAR_BLOCK - r->left % TAR_BLOCK) % TAR_BLOCK;
    r->nrec = 0;
    if (h.type == 'L' || h.type == 'x') {
        if (r->left >= (h.type == 'L' ? TAR_NAME_MAX : TAR_PAX_MAX))
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "tar %s record of %llu bytes is too long",
                            h.type == 'L' ? "long-name" : "pax", r->left);
        r->what = h.type == 'L' ? TAR_LONGNAME : TAR_PAX;
        return T2I_OK;
    }
    if (h.type == 'K' || h.type == 'g') { /* long link name, global pax */
        r->what = TAR_SKIP;
        return T2I_OK;
    }
    char name[TAR_NAME_MAX];
    tar_clean_name(r->have_next ? r->next : h.name, name);
    r->have_next = r->have_size = 0;
    tar_note_name(r, name);
    if (h.type == '0')
        return tar_regular(r, name, max, err, errlen);
    if (ends_with(name, ".nc"))
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "tar member '%s' is not a regular file (type '%c')",
                        name, h.type < ' ' || h.type > '~' ? '?' : h.type);
    r->what = TAR_SKIP;
    return T2I_OK;
}

/* The end of one member's data (padding included). */
static int tar_member_done(tar_reader *r, char *err, size_t errlen)
{
    int st = T2I_OK;
    if (r->what == TAR_LONGNAME) {
        memcpy(r->next, r->rec, r->nrec);
        r->next[r->nrec] = '\0';
        r->have_next = 1;
    } else if (r->what == TAR_PAX) {
        st = tar_parse_pax(r, err, errlen);
    }
    r->what = TAR_HEADER;
    return st;
}

/* Takes up to n bytes of member data (and then padding) from b. */
static size_t tar_data(tar_reader *r, sink *s, const unsigned char *b, size_t n,
                       int *st, char *err, size_t errlen)
{
    size_t k = r->left < n ? (size_t)r->left : n;
    if (r->what == TAR_MEMBER)
        *st = sink_write(s, b, k, err, errlen);
    else if (r->what == TAR_LONGNAME || r->what == TAR_PAX) {
        memcpy(r->rec + r->nrec, b, k);
        r->nrec += k;
    }
    r->left -= k;
    if (!r->left) {
        size_t p = r->pad < n - k ? (size_t)r->pad : n - k;
        r->pad -= p;
        k += p;
    }
    if (!*st && !r->left && !r->pad)
        *st = tar_member_done(r, err, errlen);
    return k;
}

/* Takes up to n bytes of a header from b; decodes it once whole. */
static size_t tar_header_bytes(tar_reader *r, unsigned long long max,
                               const unsigned char *b, size_t n, int *st,
                               char *err, size_t errlen)
{
    size_t k = TAR_BLOCK - r->nhdr < n ? TAR_BLOCK - r->nhdr : n;
    memcpy(r->hdr + r->nhdr, b, k);
    r->nhdr += k;
    if (r->nhdr < TAR_BLOCK)
        return k;
    r->nhdr = 0;
    r->offset += TAR_BLOCK;
    *st = tar_header(r, max, err, errlen);
    if (!*st && r->what != TAR_HEADER && r->what != TAR_END && !r->left && !r->pad)
        *st = tar_member_done(r, err, errlen);
    return k;
}

static int tar_feed(tar_reader *r, sink *s, unsigned long long max,
                    const unsigned char *b, size_t n, char *err, size_t errlen)
{
    int st = T2I_OK;
    while (n && !st) {
        size_t k;
        if (r->what == TAR_END) /* the rest is the record's zero padding */
            return T2I_OK;
        if (r->what == TAR_HEADER)
            k = tar_header_bytes(r, max, b, n, &st, err, errlen);
        else {
            k = tar_data(r, s, b, n, &st, err, errlen);
            r->offset += k;
        }
        b += k;
        n -= k;
    }
    return st;
}

/* The decoded stream has ended: was the archive whole, with one member? */
static int tar_finish(tar_reader *r, char *err, size_t errlen)
{
    if (r->what != TAR_END && (r->what != TAR_HEADER || r->nhdr))
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "truncated tar archive: it ends inside %s",
                        r->what == TAR_HEADER ? "a header" : "a member");
    if (r->nnc == 0)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "tar archive holds no '.nc' regular file (%s%s), "
                        "expected exactly one",
                        r->members ? "members: " : "no members", r->names);
    return T2I_OK;
}

/* ------------------------------------------------------------ decoders */

typedef struct {
    int in;                        /* IN's descriptor */
    int eof;                       /* 1: read() returned 0 */
    const inflate_options *o;
    int tar;                       /* 1: feed the tar reader */
    unsigned long long total;      /* decoded bytes */
    unsigned char *inbuf, *outbuf; /* IN_BUF_BYTES, OUT_BUF_BYTES */
    sink out;
    tar_reader tr;
    struct inflate_state isal;
} pipeline;

/* Moves the *avail unread bytes at *next to the start of inbuf and reads
 * more after them (one read; p->eof set when IN has no more). */
static int refill(pipeline *p, unsigned char **next, size_t *avail, char *err,
                  size_t errlen)
{
    if (*avail)
        memmove(p->inbuf, *next, *avail);
    *next = p->inbuf;
    if (*avail == IN_BUF_BYTES)
        return t2i_fail(T2I_EINPUT, err, errlen, "decoder made no progress");
    ssize_t r;
    do
        r = read(p->in, p->inbuf + *avail, IN_BUF_BYTES - *avail);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return t2i_fail(T2I_ESYS, err, errlen, "read: %s", strerror(errno));
    p->eof = r == 0;
    *avail += (size_t)r;
    return T2I_OK;
}

static int refill_isal(pipeline *p, char *err, size_t errlen)
{
    unsigned char *next = p->isal.next_in;
    size_t avail = p->isal.avail_in;
    int st = refill(p, &next, &avail, err, errlen);
    p->isal.next_in = next;
    p->isal.avail_in = (uint32_t)avail;
    return st;
}

/* Passes n decoded bytes on, refusing a stream past --max-bytes once the
 * bytes up to the limit are passed (so a tar header within it is read and
 * can name the member that is too large). */
static int consume(pipeline *p, const unsigned char *b, size_t n, char *err,
                   size_t errlen)
{
    unsigned long long room = p->o->max_bytes - p->total;
    size_t k = n > room ? (size_t)room : n;
    int st = p->tar ? tar_feed(&p->tr, &p->out, p->o->max_bytes, b, k, err, errlen)
                    : sink_write(&p->out, b, k, err, errlen);
    p->total += k;
    if (!st && k < n)
        st = t2i_fail(T2I_EINPUT, err, errlen,
                      "stopped: inflates past %llu bytes (--max-bytes)",
                      p->o->max_bytes);
    return st;
}

static int isal_error(int ret, int member, char *err, size_t errlen)
{
    const char *why = ret == ISAL_INCORRECT_CHECKSUM ? "CRC or length mismatch"
                      : ret == ISAL_INVALID_WRAPPER  ? "bad gzip header"
                      : ret == ISAL_UNSUPPORTED_METHOD ? "unsupported gzip method"
                      : ret == ISAL_NEED_DICT ? "needs a preset dictionary"
                                              : "invalid deflate data";
    return t2i_fail(T2I_EINPUT, err, errlen, "damaged gzip data in member %d: %s",
                    member, why);
}

/* After a finished member: sets *done at a clean end of IN, else resets
 * the decoder for the member that follows. */
static int gzip_next_member(pipeline *p, int member, int *done, char *err,
                            size_t errlen)
{
    struct inflate_state *s = &p->isal;
    if (s->avail_in == 0 && !p->eof && refill_isal(p, err, errlen))
        return T2I_ESYS;
    if (s->avail_in == 0) {
        *done = 1;
        return T2I_OK;
    }
    if (s->next_in[0] != 0x1f)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "data after gzip member %d is not gzip", member);
    uint8_t *next = s->next_in;
    uint32_t avail = s->avail_in;
    isal_inflate_reset(s);
    s->next_in = next;
    s->avail_in = avail;
    s->crc_flag = ISAL_GZIP;
    return T2I_OK;
}

static int run_gzip(pipeline *p, size_t n, char *err, size_t errlen)
{
    struct inflate_state *s = &p->isal;
    isal_inflate_init(s);
    s->crc_flag = ISAL_GZIP;
    s->next_in = p->inbuf;
    s->avail_in = (uint32_t)n;
    for (int member = 1;;) {
        if (s->block_state == ISAL_BLOCK_FINISH) {
            int done = 0;
            int st = gzip_next_member(p, member++, &done, err, errlen);
            if (st || done)
                return st;
            continue;
        }
        if (s->avail_in == 0 && !p->eof && refill_isal(p, err, errlen))
            return T2I_ESYS;
        uint32_t before = s->avail_in;
        s->next_out = p->outbuf;
        s->avail_out = OUT_BUF_BYTES;
        int ret = isal_inflate(s);
        if (ret < 0 || ret == ISAL_NEED_DICT)
            return isal_error(ret, member, err, errlen);
        size_t got = OUT_BUF_BYTES - s->avail_out;
        int st = got ? consume(p, p->outbuf, got, err, errlen) : T2I_OK;
        if (st)
            return st;
        if (got || s->avail_in != before || s->block_state == ISAL_BLOCK_FINISH)
            continue;
        if (p->eof)
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "truncated gzip data: it ends inside member %d", member);
        if (refill_isal(p, err, errlen))
            return T2I_ESYS;
    }
}

static int bz_error(int ret, int stream, char *err, size_t errlen)
{
    if (ret == BZ_MEM_ERROR)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory in libbz2");
    return t2i_fail(T2I_EINPUT, err, errlen,
                    "damaged bzip2 data in stream %d: %s", stream,
                    ret == BZ_DATA_ERROR_MAGIC ? "bad signature"
                    : ret == BZ_DATA_ERROR ? "CRC mismatch or invalid data"
                                           : "libbz2 error");
}

static int refill_bz(pipeline *p, bz_stream *bz, char *err, size_t errlen)
{
    unsigned char *next = (unsigned char *)bz->next_in;
    size_t avail = bz->avail_in;
    int st = refill(p, &next, &avail, err, errlen);
    bz->next_in = (char *)next;
    bz->avail_in = (unsigned)avail;
    return st;
}

/* Decodes one bzip2 stream, from bz's current input to its end mark. */
static int bz_stream_run(pipeline *p, bz_stream *bz, int stream, char *err,
                         size_t errlen)
{
    for (;;) {
        if (bz->avail_in == 0 && !p->eof && refill_bz(p, bz, err, errlen))
            return T2I_ESYS;
        unsigned before = bz->avail_in;
        bz->next_out = (char *)p->outbuf;
        bz->avail_out = OUT_BUF_BYTES;
        int ret = BZ2_bzDecompress(bz);
        if (ret != BZ_OK && ret != BZ_STREAM_END)
            return bz_error(ret, stream, err, errlen);
        size_t got = OUT_BUF_BYTES - bz->avail_out;
        int st = got ? consume(p, p->outbuf, got, err, errlen) : T2I_OK;
        if (st || ret == BZ_STREAM_END)
            return st;
        if (got || bz->avail_in != before)
            continue;
        if (p->eof)
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "truncated bzip2 data: it ends inside stream %d", stream);
        if (refill_bz(p, bz, err, errlen))
            return T2I_ESYS;
    }
}

/* Concatenated streams (pbzip2, cat a.bz2 b.bz2) decode as one, as with
 * bzip2 -d. */
static int run_bzip2(pipeline *p, size_t n, char *err, size_t errlen)
{
    bz_stream bz;
    memset(&bz, 0, sizeof bz);
    bz.next_in = (char *)p->inbuf;
    bz.avail_in = (unsigned)n;
    for (int stream = 1;; stream++) {
        char *next = bz.next_in;
        unsigned avail = bz.avail_in;
        if (BZ2_bzDecompressInit(&bz, 0, 0) != BZ_OK)
            return t2i_fail(T2I_ESYS, err, errlen, "out of memory in libbz2");
        bz.next_in = next;
        bz.avail_in = avail;
        int st = bz_stream_run(p, &bz, stream, err, errlen);
        BZ2_bzDecompressEnd(&bz);
        if (st)
            return st;
        while (bz.avail_in < 4 && !p->eof)
            if (refill_bz(p, &bz, err, errlen))
                return T2I_ESYS;
        if (bz.avail_in == 0)
            return T2I_OK;
        if (inflate_codec_from_magic((unsigned char *)bz.next_in, bz.avail_in) !=
            INFLATE_BZIP2)
            return t2i_fail(T2I_EINPUT, err, errlen,
                            "data after bzip2 stream %d is not bzip2", stream);
    }
}

/* ------------------------------------------------------------ the whole */

static int check_magic(const inflate_container *c, const unsigned char *b,
                       size_t n, char *err, size_t errlen)
{
    inflate_codec got = inflate_codec_from_magic(b, n);
    if (got == c->codec)
        return T2I_OK;
    if (n == 0)
        return t2i_fail(T2I_EINPUT, err, errlen, "empty file, expected %s data",
                        codec_name(c->codec));
    if (got != INFLATE_NONE)
        return t2i_fail(T2I_EINPUT, err, errlen,
                        "named as %s but holds %s data", codec_name(c->codec),
                        codec_name(got));
    return t2i_fail(T2I_EINPUT, err, errlen,
                    "not %s data (first bytes %02x %02x)%s", codec_name(c->codec),
                    b[0], n > 1 ? b[1] : 0,
                    inflate_is_netcdf(b, n) ? ": it is an uncompressed netCDF file" : "");
}

static int run(pipeline *p, const inflate_container *c, const char *out,
               char *err, size_t errlen)
{
    unsigned char *next = p->inbuf;
    size_t n = 0;
    while (n < 4 && !p->eof) /* a pipe may deliver a few bytes at first */
        if (refill(p, &next, &n, err, errlen))
            return T2I_ESYS;
    if (check_magic(c, p->inbuf, n, err, errlen))
        return T2I_EINPUT;
    if (sink_open(&p->out, out, p->o->keep_free, err, errlen))
        return T2I_ESYS;
    int st = c->codec == INFLATE_GZIP ? run_gzip(p, n, err, errlen)
                                      : run_bzip2(p, n, err, errlen);
    if (!st && p->tar)
        st = tar_finish(&p->tr, err, errlen);
    if (!st)
        st = sink_commit(&p->out, p->o->fsync, err, errlen);
    return st;
}

int inflate_file(const char *in, const char *out, const inflate_options *o,
                 char *err, size_t errlen)
{
    inflate_container c;
    if (inflate_container_from_name(in, &c, err, errlen))
        return T2I_EINPUT;
    pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return t2i_fail(T2I_ESYS, err, errlen, "out of memory");
    p->o = o;
    p->tar = c.tar;
    p->tr.what = TAR_HEADER;
    p->out.fd = -1;
    p->inbuf = malloc(IN_BUF_BYTES);
    p->outbuf = malloc(OUT_BUF_BYTES);
    int st = regular_file(in, err, errlen);
    p->in = st == T2I_OK ? open(in, O_RDONLY | O_CLOEXEC) : -1;
    if (st != T2I_OK)
        ;
    else if (!p->inbuf || !p->outbuf)
        st = t2i_fail(T2I_ESYS, err, errlen, "out of memory");
    else if (p->in < 0)
        st = t2i_fail(T2I_ESYS, err, errlen, "open: %s", strerror(errno));
    else {
        /* advisory only: on a pipe it fails and changes nothing */
        (void)posix_fadvise(p->in, 0, 0, POSIX_FADV_SEQUENTIAL);
        st = run(p, &c, out, err, errlen);
    }
    if (p->in >= 0)
        close(p->in);
    sink_abort(&p->out);
    free(p->inbuf);
    free(p->outbuf);
    free(p);
    return st;
}
