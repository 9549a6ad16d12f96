/* The one rule for temporary names, shared by every writer (plainfile.c,
 * cfout.c, cffixed.c, inflate.c and convert.c's failure path).
 *
 * A file PATH is written as PATH.tmp.<pid> and renamed to PATH when whole:
 * two runs of one edge (a rerun started while the orphans of a killed
 * Ninja still write, or two ninja processes on one graph) never share a
 * temporary, so neither can rename the other's half-written file over
 * PATH. A temporary whose process is gone is stale: the next writer of
 * PATH removes it (tmppath_sweep), never one of a live process. Pids are
 * this machine's; a temporary left on a shared file system by another
 * node's process is removed by the rule that holds the edge's lock
 * (the rules), which no live run of that edge can be without. */
#ifndef T2I_TMPPATH_H
#define T2I_TMPPATH_H

#include <stddef.h>

/* Bytes a temporary name adds to PATH: ".tmp." and a pid. */
#define TMPPATH_EXTRA 16

/* Writes PATH.tmp.<this pid> into buf. T2I_EUSAGE when it does not fit. */
int tmppath_name(char *buf, size_t size, const char *path, char *err, size_t errlen);

/* What every writer does first: names PATH's temporary (tmppath_name)
 * and removes the stale ones (tmppath_sweep). */
int tmppath_begin(char *buf, size_t size, const char *path, char *err, size_t errlen);

/* Removes PATH.tmp (the name of earlier versions) and every PATH.tmp.<pid>
 * whose process no longer exists (this process's own included: called
 * before it creates one, or to remove it on failure); never another live
 * process's. unlink removes
 * a symlink planted there, never its target. Returns how many it removed;
 * an unreadable directory removes nothing (the writer's own create then
 * says why). */
int tmppath_sweep(const char *path);

/* 1 when name (a directory entry) is PATH's temporary of process pid
 * (*pid = 0 for the bare PATH.tmp), else 0; base is PATH's last component. */
int tmppath_parse(const char *name, const char *base, long *pid);

/* Renames tmp to path; on failure removes tmp and says why. */
int tmppath_commit(const char *tmp, const char *path, char *err, size_t errlen);

#endif
