/* Tests of regular_file (regular.h): a FIFO, a directory and a device are
 * refused without being opened; a file, a symlink to one and a missing path
 * (left to the open that follows) pass. */
#include "regular.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "t2i.h"

int main(void)
{
    t2i_tally tally = {0, 0, 0}, *t = &tally;
    char dir[] = "/tmp/t2i-regular-XXXXXX", fifo[256], file[256], link[256], err[T2I_ERRLEN];
    if (!mkdtemp(dir))
        return 3;
    snprintf(fifo, sizeof fifo, "%s/M_S3_gpp.nc", dir);
    snprintf(file, sizeof file, "%s/f.nc", dir);
    snprintf(link, sizeof link, "%s/l.nc", dir);
    FILE *f = fopen(file, "w");
    if (f)
        fclose(f);
    if (mkfifo(fifo, 0600) != 0 || symlink(file, link) != 0)
        perror("setup");
    CHECK(t, regular_file(fifo, err, sizeof err) == T2I_EINPUT &&
                 strcmp(err, "not a regular file (a FIFO)") == 0,
          "a FIFO is refused at once, never opened (the test would block)");
    CHECK(t, regular_file(dir, err, sizeof err) == T2I_EINPUT && strstr(err, "a directory"),
          "a directory is refused");
    CHECK(t, regular_file("/dev/null", err, sizeof err) == T2I_EINPUT &&
                 strstr(err, "a character device"),
          "a device is refused");
    CHECK(t, regular_file(file, err, sizeof err) == T2I_OK, "a regular file passes");
    CHECK(t, regular_file(link, err, sizeof err) == T2I_OK, "a symlink to one passes");
    CHECK(t, regular_file("/nonexistent-t2i", err, sizeof err) == T2I_OK,
          "a missing path is left to the open that follows");
    unlink(fifo);
    unlink(link);
    unlink(file);
    rmdir(dir);
    return CHECK_SUMMARY(t);
}
