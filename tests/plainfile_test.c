/* Tests of the plain-file writer (plainfile.h): a planted symlink or stale
 * file at PATH.tmp is never written through, failures leave nothing, and
 * PATH changes only on commit. */
#include "plainfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "t2i.h"

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static const char *get(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    buf[0] = '\0';
    if (f) {
        buf[fread(buf, 1, size - 1, f)] = '\0';
        fclose(f);
    }
    return buf;
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

int main(void)
{
    t2i_tally tally = {0, 0, 0}, *t = &tally;
    char dir[] = "/tmp/t2i-plainfile-XXXXXX", path[512], tmp[700], victim[512], buf[256];
    char err[T2I_ERRLEN];
    if (!mkdtemp(dir))
        return 3;
    snprintf(path, sizeof path, "%s/r.json", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    add_pid(tmp, sizeof tmp);
    snprintf(victim, sizeof victim, "%s/victim", dir);

    CHECK(t, plainfile_write_all(path, "one\n", 4, err, sizeof err) == T2I_OK &&
                 !strcmp(get(path, buf, sizeof buf), "one\n") && !exists(tmp),
          "a file is written whole, no .tmp left");

    put(victim, "victim");
    if (symlink(victim, tmp) != 0)
        perror("symlink");
    CHECK(t, plainfile_write_all(path, "two\n", 4, err, sizeof err) == T2I_OK &&
                 !strcmp(get(victim, buf, sizeof buf), "victim") &&
                 !strcmp(get(path, buf, sizeof buf), "two\n"),
          "a planted PATH.tmp symlink is removed, its target untouched");

    t2i_plainfile f;
    CHECK(t, plainfile_begin(&f, path, err, sizeof err) == T2I_OK &&
                 plainfile_write(&f, "three\n", 6, err, sizeof err) == T2I_OK &&
                 plainfile_finish(&f, err, sizeof err) == T2I_OK,
          "a file can be finished without being committed");
    CHECK(t, !strcmp(get(path, buf, sizeof buf), "two\n") && exists(tmp),
          "until the commit, PATH keeps the old text");
    plainfile_abort(&f);
    CHECK(t, !exists(tmp) && !strcmp(get(path, buf, sizeof buf), "two\n"),
          "an abort removes PATH.tmp and leaves PATH");
    plainfile_abort(&f);
    CHECK(t, 1, "an abort may be repeated");

    char deep[600];
    snprintf(deep, sizeof deep, "%s/no/such/r.json", dir);
    CHECK(t, plainfile_write_all(deep, "x", 1, err, sizeof err) == T2I_ESYS &&
                 strstr(err, "cannot write") && strstr(err, "No such file or directory"),
          "a missing directory is a system error with the reason");

    char dpath[600];
    snprintf(dpath, sizeof dpath, "%s/taken", dir);
    mkdir(dpath, 0755);
    snprintf(tmp, sizeof tmp, "%s.tmp", dpath);
    add_pid(tmp, sizeof tmp);
    CHECK(t, plainfile_write_all(dpath, "x", 1, err, sizeof err) == T2I_ESYS &&
                 strstr(err, "cannot rename") && !exists(tmp),
          "a failed rename removes PATH.tmp");

    char huge[PLAINFILE_PATH_MAX + 10];
    memset(huge, 'a', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    CHECK(t, plainfile_write_all(huge, "x", 1, err, sizeof err) == T2I_EUSAGE,
          "a path too long is refused");

    rmdir(dpath);
    remove(path);
    remove(victim);
    rmdir(dir);
    return CHECK_SUMMARY(t);
}
