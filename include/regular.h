/* Every program reads only regular files: a FIFO named like an input would
 * block the open for ever, a device would be read without end. */
#ifndef T2I_REGULAR_H
#define T2I_REGULAR_H

#include <stddef.h>

/* T2I_EINPUT, err "not a regular file (a FIFO)" and the like, when path
 * names something other than a regular file (after symlinks); T2I_OK
 * otherwise, and when it cannot be looked at (the open that follows says
 * why). */
int regular_file(const char *path, char *err, size_t errlen);

#endif
