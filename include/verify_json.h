/* The checker's result file. */
#ifndef T2I_VERIFY_JSON_H
#define T2I_VERIFY_JSON_H

#include <stddef.h>

#include "verify.h"

/* Writes the result JSON (status, problems, quicklook numbers) to `path`
 * through a temporary file. */
int verify_write_json(const char *path, const verify_options *o, const verify_problems *p,
                      const verify_summary *s, double wall_seconds, char *err, size_t errlen);

#endif
