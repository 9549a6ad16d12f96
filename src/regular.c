/* Refusing inputs that are not regular files (see regular.h). */
#include "regular.h"

#include <sys/stat.h>

#include "t2i.h"

int regular_file(const char *path, char *err, size_t errlen)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || S_ISREG(sb.st_mode))
        return T2I_OK;
    const char *what = S_ISFIFO(sb.st_mode)  ? "a FIFO"
                       : S_ISDIR(sb.st_mode) ? "a directory"
                       : S_ISCHR(sb.st_mode) ? "a character device"
                       : S_ISBLK(sb.st_mode) ? "a block device"
                       : S_ISSOCK(sb.st_mode) ? "a socket"
                                              : "of an unknown type";
    return t2i_fail(T2I_EINPUT, err, errlen, "not a regular file (%s)", what);
}
