/* Reading the variables table (see vartable.h). */
#include "vartable.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "t2i.h"

/* Longest table line we accept, in bytes. */
#define VARTABLE_LINE_MAX 1024
#define VARTABLE_COLUMNS 6

/* Copies tab-separated field `src` (up to the next tab or line end). */
static const char *take_field(const char *src, char *dst, size_t size, int *ok)
{
    size_t n = strcspn(src, "\t\r\n");
    if (n >= size)
        *ok = 0;
    snprintf(dst, size, "%.*s", (int)n, src);
    return src[n] == '\t' ? src + n + 1 : NULL;
}

static int parse_line(const char *line, t2i_varinfo *v)
{
    char *fields[VARTABLE_COLUMNS] = {v->trendy, v->out, v->units, v->standard_name,
                                      v->long_name, v->cell_methods};
    const size_t sizes[VARTABLE_COLUMNS] = {sizeof v->trendy, sizeof v->out, sizeof v->units,
                                            sizeof v->standard_name, sizeof v->long_name,
                                            sizeof v->cell_methods};
    int ok = 1;
    const char *p = line;
    for (int i = 0; i < VARTABLE_COLUMNS; i++) {
        if (!p)
            return 0;
        p = take_field(p, fields[i], sizes[i], &ok);
    }
    /* Column 7 (the CMIP6 source) is for readers; column 8 is optional. */
    char source[128];
    v->layers[0] = '\0';
    if (p)
        p = take_field(p, source, sizeof source, &(int){1});
    if (p)
        take_field(p, v->layers, sizeof v->layers, &ok);
    return ok && v->trendy[0] && v->out[0];
}

/* Drops what fgets left of a line longer than the buffer, so it is not
 * read as a line of its own. Only a long comment or a long ignored last
 * column gets this far: the six columns fit the buffer with room to spare,
 * and a longer one is malformed anyway. */
static void skip_rest(const char *line, FILE *f)
{
    size_t len = strlen(line);
    int c;
    if (len == 0 || line[len - 1] == '\n')
        return;
    while ((c = fgetc(f)) != EOF && c != '\n')
        ;
}

int vartable_lookup(const char *path, const char *name, t2i_varinfo *info, char *err,
                    size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return t2i_fail(T2I_ESYS, err, errlen, "cannot read variables table '%s': %s", path,
                        strerror(errno));
    char line[VARTABLE_LINE_MAX];
    int lineno = 0, status = -1;
    while (status < 0 && fgets(line, sizeof line, f)) {
        lineno++;
        skip_rest(line, f);
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (!parse_line(line, info))
            status = t2i_fail(T2I_ESYS, err, errlen, "%s:%d: malformed variables table line",
                              path, lineno);
        else if (strcmp(info->trendy, name) == 0 || strcmp(info->out, name) == 0)
            status = T2I_OK;
    }
    fclose(f);
    if (status < 0)
        status = t2i_fail(T2I_EINPUT, err, errlen, "variable '%s' is not in the variables table '%s'",
                          name, path);
    return status;
}
