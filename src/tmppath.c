/* Temporary names unique to their process, and the removal of stale ones
 * (see tmppath.h). */
#include "tmppath.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t2i.h"

int tmppath_name(char *buf, size_t size, const char *path, char *err, size_t errlen)
{
    int n = snprintf(buf, size, "%s.tmp.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= size) {
        if (size)
            buf[0] = '\0';
        return t2i_fail(T2I_EUSAGE, err, errlen, "path '%.64s...' is too long", path);
    }
    return T2I_OK;
}

int tmppath_parse(const char *name, const char *base, long *pid)
{
    size_t n = strlen(base);
    if (strncmp(name, base, n) != 0 || strncmp(name + n, ".tmp", 4) != 0)
        return 0;
    const char *tail = name + n + 4;
    *pid = 0;
    if (*tail == '\0')
        return 1;
    if (*tail != '.' || tail[1] == '\0' || strlen(tail + 1) > 10)
        return 0;
    long v = 0;
    for (const char *c = tail + 1; *c; c++) {
        if (*c < '0' || *c > '9')
            return 0;
        v = v * 10 + (*c - '0');
    }
    if (v <= 0)
        return 0;
    *pid = v;
    return 1;
}

/* A process that exists, even one we may not signal, is alive. */
static int alive(long pid)
{
    if (pid <= 0 || pid > (long)0x7fffffff)
        return 0;
    return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

int tmppath_sweep(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else if ((size_t)(slash - path) < sizeof dir)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int removed = 0;
    long me = (long)getpid(), pid;
    for (struct dirent *e; (e = readdir(d));) {
        /* Our own pid's name is stale too: we have not created it yet (a
         * dead process had our pid), or we are failing and removing it. */
        if (!tmppath_parse(e->d_name, base, &pid) || (pid && pid != me && alive(pid)))
            continue;
        if (unlinkat(dirfd(d), e->d_name, 0) == 0)
            removed++;
    }
    closedir(d);
    return removed;
}

int tmppath_begin(char *buf, size_t size, const char *path, char *err, size_t errlen)
{
    int st = tmppath_name(buf, size, path, err, errlen);
    if (st == T2I_OK)
        tmppath_sweep(path);
    return st;
}

int tmppath_commit(const char *tmp, const char *path, char *err, size_t errlen)
{
    if (rename(tmp, path) == 0)
        return T2I_OK;
    int st = t2i_fail(T2I_ESYS, err, errlen, "cannot rename '%s' to '%s': %s", tmp, path,
                      strerror(errno));
    unlink(tmp);
    return st;
}
