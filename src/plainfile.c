/* Writing a plain file through a temporary name (see plainfile.h). */
#include "plainfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "t2i.h"

int plainfile_begin(t2i_plainfile *f, const char *path, char *err, size_t errlen)
{
    f->fd = -1;
    f->tmp[0] = '\0';
    if (snprintf(f->path, sizeof f->path, "%s", path) >= (int)sizeof f->path)
        return t2i_fail(T2I_EUSAGE, err, errlen, "path '%.64s...' is too long", path);
    if (tmppath_begin(f->tmp, sizeof f->tmp, path, err, errlen) != T2I_OK)
        return T2I_EUSAGE;
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (f->fd < 0) {
        int st = t2i_fail(T2I_ESYS, err, errlen, "cannot write '%s': %s", f->tmp,
                          strerror(errno));
        f->tmp[0] = '\0'; /* not ours: never remove what we did not create */
        return st;
    }
    return T2I_OK;
}

int plainfile_write(t2i_plainfile *f, const char *buf, size_t n, char *err, size_t errlen)
{
    while (n > 0) {
        ssize_t w = write(f->fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int st = t2i_fail(T2I_ESYS, err, errlen, "cannot write '%s': %s", f->tmp,
                              w < 0 ? strerror(errno) : "no progress");
            plainfile_abort(f);
            return st;
        }
        buf += w;
        n -= (size_t)w;
    }
    return T2I_OK;
}

int plainfile_finish(t2i_plainfile *f, char *err, size_t errlen)
{
    int rc = close(f->fd);
    f->fd = -1;
    if (rc != 0) {
        int st = t2i_fail(T2I_ESYS, err, errlen, "cannot write '%s': %s", f->tmp,
                          strerror(errno));
        plainfile_abort(f);
        return st;
    }
    return T2I_OK;
}

int plainfile_commit(t2i_plainfile *f, char *err, size_t errlen)
{
    int st = tmppath_commit(f->tmp, f->path, err, errlen);
    if (st != T2I_OK) {
        f->tmp[0] = '\0';
        plainfile_abort(f);
        return st;
    }
    f->tmp[0] = '\0';
    return T2I_OK;
}

void plainfile_abort(t2i_plainfile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (f->tmp[0])
        unlink(f->tmp);
    f->tmp[0] = '\0';
}

int plainfile_write_all(const char *path, const char *buf, size_t n, char *err, size_t errlen)
{
    t2i_plainfile f;
    int st = plainfile_begin(&f, path, err, errlen);
    if (st == T2I_OK)
        st = plainfile_write(&f, buf, n, err, errlen);
    if (st == T2I_OK)
        st = plainfile_finish(&f, err, errlen);
    if (st == T2I_OK)
        st = plainfile_commit(&f, err, errlen);
    return st;
}
