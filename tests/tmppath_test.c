/* Tests of the temporary names (tmppath.h): PATH.tmp.<pid>, and the sweep
 * that removes the temporaries of dead processes but never a live one's,
 * another file's, or a symlink's target. */
#include "tmppath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "t2i.h"

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int exists(const char *dir, const char *name)
{
    char path[512];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return lstat(path, &sb) == 0;
}

/* A pid that no process has: a child that has exited and been reaped. */
static long dead_pid(void)
{
    pid_t p = fork();
    if (p == 0)
        _exit(0);
    if (p > 0)
        waitpid(p, NULL, 0);
    return (long)p;
}

static void test_parse(t2i_tally *t)
{
    long pid = -1;
    CHECK(t, tmppath_parse("gpp.nc.tmp.123", "gpp.nc", &pid) && pid == 123,
          "gpp.nc.tmp.123 is gpp.nc's temporary of pid 123");
    CHECK(t, tmppath_parse("gpp.nc.tmp", "gpp.nc", &pid) && pid == 0,
          "the bare gpp.nc.tmp (earlier versions) is gpp.nc's, of no pid");
    CHECK(t, !tmppath_parse("gpp.nc.tmp.12a", "gpp.nc", &pid), "a pid with a letter is not");
    CHECK(t, !tmppath_parse("gpp.nc.tmp.", "gpp.nc", &pid), "an empty pid is not");
    CHECK(t, !tmppath_parse("gpp.nc.tmp.0", "gpp.nc", &pid), "pid 0 is not");
    CHECK(t, !tmppath_parse("gpp.nc.tmp.12345678901", "gpp.nc", &pid), "an 11-digit pid is not");
    CHECK(t, !tmppath_parse("gpp.nc.tmpx", "gpp.nc", &pid), "gpp.nc.tmpx is not");
    CHECK(t, !tmppath_parse("gpp.nc", "gpp.nc", &pid), "the final name is not");
    CHECK(t, !tmppath_parse("npp.nc.tmp.5", "gpp.nc", &pid), "another file's is not");
    CHECK(t, !tmppath_parse("xgpp.nc.tmp.5", "gpp.nc", &pid), "a longer name's is not");
}

static void test_name(t2i_tally *t)
{
    char buf[64], want[64], err[T2I_ERRLEN] = "";
    snprintf(want, sizeof want, "out/X/gpp.nc.tmp.%ld", (long)getpid());
    CHECK(t, tmppath_name(buf, sizeof buf, "out/X/gpp.nc", err, sizeof err) == T2I_OK &&
                 strcmp(buf, want) == 0,
          "the temporary name is PATH.tmp.<this pid>");
    CHECK(t, tmppath_name(buf, 12, "out/X/gpp.nc", err, sizeof err) == T2I_EUSAGE && !buf[0],
          "a name that does not fit is a usage error, the buffer left empty");
}

static void test_sweep(t2i_tally *t, const char *dir)
{
    char path[512], name[64], victim[512], link[512];
    snprintf(path, sizeof path, "%s/gpp.nc", dir);
    long dead = dead_pid();
    char dead_name[64], mine[64];
    snprintf(dead_name, sizeof dead_name, "gpp.nc.tmp.%ld", dead);
    snprintf(mine, sizeof mine, "gpp.nc.tmp.%ld", (long)getpid());
    put(dir, "gpp.nc", "final");
    put(dir, "gpp.nc.tmp", "left by an earlier version");
    put(dir, dead_name, "left by a killed run");
    put(dir, "gpp.nc.tmp.1", "pid 1 (init) is alive");
    put(dir, mine, "a dead process had our pid");
    put(dir, "npp.nc.tmp.999999999", "another output's");
    put(dir, "gpp.nc.tmp.x", "not a temporary name");
    snprintf(victim, sizeof victim, "%s/victim", dir);
    put(dir, "victim", "precious");
    snprintf(name, sizeof name, "gpp.nc.tmp.%ld", dead_pid());
    snprintf(link, sizeof link, "%s/%s", dir, name);
    if (symlink(victim, link) != 0)
        perror("symlink");
    int n = tmppath_sweep(path);
    CHECK(t, n == 4, "the sweep removes four temporaries");
    CHECK(t, !exists(dir, dead_name), "a dead process's temporary is removed");
    CHECK(t, !exists(dir, "gpp.nc.tmp"), "the bare .tmp of earlier versions is removed");
    CHECK(t, !exists(dir, mine), "one under our own pid (not ours yet) is removed");
    CHECK(t, !exists(dir, name) && exists(dir, "victim"),
          "a symlink is removed, its target kept");
    CHECK(t, exists(dir, "gpp.nc.tmp.1"), "a live process's temporary is kept");
    CHECK(t, exists(dir, "gpp.nc") && exists(dir, "npp.nc.tmp.999999999") &&
                 exists(dir, "gpp.nc.tmp.x"),
          "the final file, another output's temporary and other names are kept");
    CHECK(t, tmppath_sweep("/nonexistent-t2i/gpp.nc") == 0, "a missing directory removes nothing");
    char cwd_name[64];
    snprintf(cwd_name, sizeof cwd_name, "%s/gpp.nc", dir);
    CHECK(t, chdir(dir) == 0 && (put(".", dead_name, "x"), tmppath_sweep("gpp.nc")) == 1 &&
                 !exists(".", dead_name),
          "a bare file name sweeps the current directory");
}

static void test_commit(t2i_tally *t, const char *dir)
{
    char tmp[512], path[512], err[T2I_ERRLEN] = "";
    snprintf(path, sizeof path, "%s/sub", dir);
    mkdir(path, 0777);
    put(dir, "c.nc.tmp.7", "whole");
    snprintf(tmp, sizeof tmp, "%s/c.nc.tmp.7", dir);
    int st = tmppath_commit(tmp, path, err, sizeof err);
    CHECK(t, st == T2I_ESYS && strstr(err, "cannot rename") && !exists(dir, "c.nc.tmp.7"),
          "a failed rename is a system error and removes the temporary");
    snprintf(path, sizeof path, "%s/c.nc", dir);
    put(dir, "c.nc.tmp.7", "whole");
    CHECK(t, tmppath_commit(tmp, path, err, sizeof err) == T2I_OK && exists(dir, "c.nc") &&
                 !exists(dir, "c.nc.tmp.7"),
          "commit renames the temporary to the final name");
}

int main(void)
{
    t2i_tally tally = {0, 0, 0}, *t = &tally;
    char dir[] = "/tmp/t2i-tmppath-XXXXXX";
    if (!mkdtemp(dir))
        return 3;
    test_parse(t);
    test_name(t);
    test_commit(t, dir);
    test_sweep(t, dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        perror("rm");
    return CHECK_SUMMARY(t);
}
