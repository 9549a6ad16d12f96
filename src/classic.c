/* Walking a netCDF classic header with bounded reads (see classic.h).
 * Every count read from the file is checked against the bytes left before
 * it is used, so a hostile header costs at most one pass over the file and
 * a few kilobytes of memory. Sizes are bytes throughout. */
#include "classic.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "t2i.h"

/* List tags of the header (classic format specification). */
enum { TAG_ABSENT = 0, TAG_DIMENSION = 10, TAG_VARIABLE = 11, TAG_ATTRIBUTE = 12 };

/* Longest name netCDF accepts (NC_MAX_NAME), in bytes. */
#define CLASSIC_MAX_NAME 256

/* Dimensions of one variable (NC_MAX_VAR_DIMS) and of one file: more is
 * damage, not a model file. */
#define CLASSIC_MAX_VAR_DIMS 1024
#define CLASSIC_MAX_DIMS 65536

typedef struct {
    FILE *f;
    uint64_t size;  /* file size */
    uint64_t pos;   /* bytes consumed */
    uint64_t field; /* offset of the field read last, for messages */
    int version;    /* 1, 2 or 5 */
    char *err;
    size_t errlen;
} reader;

typedef struct {
    char name[CLASSIC_MAX_NAME + 1];
    uint64_t begin; /* offset of the data */
    uint64_t bytes; /* data bytes (of one record for a record variable) */
    int record;
} var_span;

static int damaged(reader *r, const char *what)
{
    return t2i_fail(T2I_EINPUT, r->err, r->errlen,
                    "damaged netCDF classic header: %s at byte %llu", what,
                    (unsigned long long)r->field);
}

static uint64_t left(const reader *r) { return r->size - r->pos; }

/* The file ended before the header did (cut short, or a count ran away). */
static int ends_early(reader *r, const char *what)
{
    return t2i_fail(T2I_EINPUT, r->err, r->errlen,
                    "truncated netCDF classic header: the file ends in the %s at byte %llu",
                    what, (unsigned long long)r->field);
}

/* Reads n <= 8 bytes as a big-endian unsigned number. */
static int read_be(reader *r, int n, uint64_t *v, const char *what)
{
    unsigned char b[8];
    *v = 0;
    r->field = r->pos;
    if ((uint64_t)n > left(r) || fread(b, 1, (size_t)n, r->f) != (size_t)n)
        return ends_early(r, what);
    r->pos += (uint64_t)n;
    for (int i = 0; i < n; i++)
        *v = *v << 8 | b[i];
    return T2I_OK;
}

/* A count (NON_NEG): 4 bytes, 8 in CDF-5; CDF-1/2 counts are signed. */
static int read_count(reader *r, uint64_t *v, const char *what)
{
    int st = read_be(r, r->version == 5 ? 8 : 4, v, what);
    if (st == T2I_OK && r->version != 5 && *v > INT32_MAX && *v != UINT32_MAX)
        return damaged(r, what);
    if (st == T2I_OK && r->version == 5 && *v > INT64_MAX && *v != UINT64_MAX)
        return damaged(r, what);
    return st;
}

static int skip(reader *r, uint64_t n, const char *what)
{
    r->field = r->pos;
    if (n > left(r) || fseek(r->f, (long)n, SEEK_CUR) != 0)
        return ends_early(r, what);
    r->pos += n;
    return T2I_OK;
}

static uint64_t pad4(uint64_t n) { return (n + 3) & ~(uint64_t)3; }

/* A name: count, then the text padded to 4 bytes; kept in buf. */
static int read_name(reader *r, char *buf)
{
    uint64_t n;
    int st = read_count(r, &n, "name length");
    if (st)
        return st;
    if (n == 0 || n > CLASSIC_MAX_NAME || pad4(n) > left(r))
        return damaged(r, "name length");
    if (fread(buf, 1, (size_t)n, r->f) != (size_t)n)
        return damaged(r, "name");
    buf[n] = '\0';
    r->pos += n;
    return skip(r, pad4(n) - n, "name padding");
}

/* External bytes of one value of a classic type; 0 for an unknown type. */
static uint64_t type_bytes(uint64_t type, int version)
{
    static const uint64_t bytes[] = {0, 1, 1, 2, 4, 4, 8, 1, 2, 4, 8, 8};
    if (type == 0 || type > (version == 5 ? 11u : 6u))
        return 0;
    return bytes[type];
}

/* A list header: its tag (or ABSENT) and the number of entries, each at
 * least `min_entry` bytes long. */
static int read_list(reader *r, uint64_t tag, uint64_t min_entry, uint64_t *n,
                     const char *what)
{
    uint64_t t = 0;
    int st;
    if ((st = read_be(r, 4, &t, what)) || (st = read_count(r, n, what)))
        return st;
    if ((t == TAG_ABSENT && *n == 0) || (t == tag && *n <= left(r) / min_entry))
        return T2I_OK;
    return damaged(r, what);
}

static int skip_atts(reader *r)
{
    uint64_t n = 0, type = 0, count = 0, size;
    char name[CLASSIC_MAX_NAME + 1];
    int st = read_list(r, TAG_ATTRIBUTE, 12, &n, "attribute list");
    for (uint64_t i = 0; st == T2I_OK && i < n; i++) {
        if ((st = read_name(r, name)) || (st = read_be(r, 4, &type, "attribute type")) ||
            (st = read_count(r, &count, "attribute length")))
            break;
        if ((size = type_bytes(type, r->version)) == 0)
            return damaged(r, "attribute type");
        if (count > left(r) / size)
            return damaged(r, "attribute length");
        st = skip(r, pad4(count * size), "attribute values");
    }
    return st;
}

/* The dimension list: lengths into *dims (allocated), record dim 0. */
static int read_dims(reader *r, uint64_t **dims, uint64_t *ndims)
{
    char name[CLASSIC_MAX_NAME + 1];
    int st = read_list(r, TAG_DIMENSION, 8, ndims, "dimension list");
    if (st)
        return st;
    if (*ndims > CLASSIC_MAX_DIMS)
        return damaged(r, "dimension count");
    *dims = calloc(*ndims ? *ndims : 1, sizeof **dims);
    if (!*dims)
        return t2i_fail(T2I_ESYS, r->err, r->errlen, "out of memory reading a header");
    for (uint64_t i = 0; st == T2I_OK && i < *ndims; i++)
        if ((st = read_name(r, name)) == T2I_OK)
            st = read_count(r, &(*dims)[i], "dimension length");
    return st;
}

/* Multiplies *total by k, or fails when the product passes UINT64_MAX. */
static int mul_fits(uint64_t *total, uint64_t k)
{
    if (k && *total > UINT64_MAX / k)
        return 0;
    *total *= k;
    return 1;
}

/* One variable's entry: its data span from dimension lengths and type. */
static int read_var(reader *r, const uint64_t *dims, uint64_t ndims, var_span *v)
{
    uint64_t nd = 0, id = 0, type = 0, vsize = 0;
    int st, idbytes = r->version == 5 ? 8 : 4;
    if ((st = read_name(r, v->name)) || (st = read_count(r, &nd, "dimension count")))
        return st;
    if (nd > CLASSIC_MAX_VAR_DIMS || nd > left(r) / (uint64_t)idbytes)
        return damaged(r, "dimension count");
    v->bytes = 1;
    v->record = 0;
    for (uint64_t i = 0; i < nd; i++) {
        if ((st = read_be(r, idbytes, &id, "dimension id")))
            return st;
        if (id >= ndims)
            return damaged(r, "dimension id");
        if (dims[id] == 0 && i > 0)
            return damaged(r, "record dimension not first");
        v->record |= dims[id] == 0;
        if (dims[id] != 0 && !mul_fits(&v->bytes, dims[id]))
            v->bytes = UINT64_MAX;
    }
    if ((st = skip_atts(r)) || (st = read_be(r, 4, &type, "variable type")) ||
        (st = read_count(r, &vsize, "variable size")) ||
        (st = read_be(r, r->version == 1 ? 4 : 8, &v->begin, "variable begin")))
        return st;
    if (type_bytes(type, r->version) == 0)
        return damaged(r, "variable type");
    if (!mul_fits(&v->bytes, type_bytes(type, r->version)))
        v->bytes = UINT64_MAX;
    return T2I_OK;
}

/* a + b, or UINT64_MAX when that does not fit. */
static uint64_t add_sat(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

/* The offset just past a variable's data (UINT64_MAX if beyond any file),
 * or 0 when it has no data to check (no records yet). numrecs all ones
 * (the format's "streaming" marker) is taken literally, as netCDF 4.9 does
 * (it reports 4294967295 records and reads them as zeros), so such a file
 * is refused as truncated. */
static uint64_t var_end(const var_span *v, uint64_t numrecs, uint64_t recsize)
{
    uint64_t end = v->begin;
    if (v->record) {
        if (numrecs == 0)
            return 0;
        uint64_t skip_bytes = numrecs - 1;
        if (!mul_fits(&skip_bytes, recsize))
            return UINT64_MAX;
        end = add_sat(end, skip_bytes);
    }
    return add_sat(end, v->bytes);
}

/* Checks that every variable's data lies after the header, inside the file.
 * A single record variable is stored unpadded (the classic format's special
 * case); several share records of padded parts. */
/* Bytes of one record: the padded parts of every record variable, except
 * that a single record variable is stored unpadded (the format's special
 * case). */
static uint64_t record_bytes(const var_span *v, uint64_t nvars)
{
    uint64_t recsize = 0, nrec = 0, last = 0;
    for (uint64_t i = 0; i < nvars; i++)
        if (v[i].record) {
            recsize = add_sat(recsize, add_sat(v[i].bytes, 3) & ~(uint64_t)3);
            last = v[i].bytes;
            nrec++;
        }
    return nrec == 1 ? last : recsize;
}

/* Checks that every variable's data lies after the header, inside the file. */
static int check_spans(reader *r, const var_span *v, uint64_t nvars, uint64_t numrecs)
{
    uint64_t recsize = record_bytes(v, nvars);
    for (uint64_t i = 0; i < nvars; i++) {
        uint64_t end = var_end(&v[i], numrecs, recsize);
        if (end == 0)
            continue;
        if (v[i].begin < r->pos)
            return t2i_fail(T2I_EINPUT, r->err, r->errlen,
                            "damaged netCDF classic header: data of '%s' begins at byte %llu, "
                            "inside the %llu-byte header", v[i].name,
                            (unsigned long long)v[i].begin, (unsigned long long)r->pos);
        if (end > r->size)
            return t2i_fail(T2I_EINPUT, r->err, r->errlen,
                            "truncated: data of '%s' runs to byte %llu but the file has %llu "
                            "bytes", v[i].name, (unsigned long long)end,
                            (unsigned long long)r->size);
    }
    return T2I_OK;
}

static int read_vars(reader *r, const uint64_t *dims, uint64_t ndims, uint64_t numrecs)
{
    uint64_t nvars;
    /* A variable entry is at least 28 bytes (name, counts, type, begin). */
    int st = read_list(r, TAG_VARIABLE, 28, &nvars, "variable list");
    if (st)
        return st;
    var_span *v = calloc(nvars ? nvars : 1, sizeof *v);
    if (!v)
        return t2i_fail(T2I_ESYS, r->err, r->errlen, "out of memory reading a header");
    for (uint64_t i = 0; st == T2I_OK && i < nvars; i++)
        st = read_var(r, dims, ndims, &v[i]);
    if (st == T2I_OK)
        st = check_spans(r, v, nvars, numrecs);
    free(v);
    return st;
}

int classic_check_stream(FILE *f, unsigned long long size, char *err, size_t errlen)
{
    reader r = {.f = f, .size = size, .err = err, .errlen = errlen};
    unsigned char magic[4];
    if (size < 4 || fread(magic, 1, 4, f) != 4 || memcmp(magic, "CDF", 3) != 0 ||
        (magic[3] != 1 && magic[3] != 2 && magic[3] != 5))
        return T2I_OK;
    r.pos = 4;
    r.version = magic[3];
    uint64_t numrecs, ndims, *dims = NULL;
    int st = read_count(&r, &numrecs, "number of records");
    if (st == T2I_OK)
        st = read_dims(&r, &dims, &ndims);
    if (st == T2I_OK)
        st = skip_atts(&r);
    if (st == T2I_OK)
        st = read_vars(&r, dims, ndims, numrecs);
    free(dims);
    return st;
}

int classic_check(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f)
        return T2I_OK;
    int st = T2I_OK;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode))
        st = classic_check_stream(f, (unsigned long long)sb.st_size, err, errlen);
    fclose(f);
    return st;
}
