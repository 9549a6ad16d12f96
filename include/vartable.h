/* The variables table (tables/variables.tsv): each TRENDY variable's CMIP6
 * output name, units, standard_name, long_name and cell_methods, as data
 * taken from Debian's cmor-tables rather than C code. */
#ifndef T2I_VARTABLE_H
#define T2I_VARTABLE_H

#include <stddef.h>

typedef struct {
    char trendy[64];
    char out[64];
    char units[64];
    char standard_name[192];
    char long_name[192];
    char cell_methods[128];
    /* Eighth column, optional: "" (a (time, lat, lon) field), "depth" (soil
     * layers kept: (time, depth, lat, lon)) or "top=M" (the layers summed
     * over the top M metres, each by its overlap fraction). */
    char layers[32];
} t2i_varinfo;

/* Finds `name` (a TRENDY name, or an output name) in the table at `path`:
 * the first line naming it (an output name is unique to its line; a TRENDY
 * name may have several, e.g. msl gives mrsol and mrsos, and the first is
 * its default output).
 * Lines starting with '#' and blank lines are ignored. Fills err when the
 * table cannot be read, a line is malformed, or the name is absent. */
int vartable_lookup(const char *path, const char *name, t2i_varinfo *info, char *err,
                    size_t errlen);

#endif
