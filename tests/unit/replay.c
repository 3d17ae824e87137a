/* tests/unit/replay.c — replaying fuzz regression inputs (unit.h): every
 * regular file of a folder through a fuzz target's checks. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "unit.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *s = malloc(cap);
    while (s && (got = fread(s + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *t = realloc(s, 2 * cap);
            if (!t)
                free(s);
            s = t;
            cap *= 2;
        }
    }
    fclose(f);
    *len = n;
    return s;
}

void unit_replay(const char *dir,
                 const char *(*target)(const uint8_t *data, size_t len, const char *path))
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: %s (run from the repository root)\n", dir, strerror(errno));
        unit_failures++;
        return;
    }
    int files = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        size_t len;
        char *text = slurp(path, &len);
        if (!text) {
            fprintf(stderr, "%s: cannot read\n", path);
            unit_failures++;
            continue;
        }
        files++;
        const char *broken = target((const uint8_t *)text, len, path);
        if (broken) {
            fprintf(stderr, "%s: %s\n", path, broken);
            unit_failures++;
        }
        free(text);
    }
    closedir(d);
    if (files == 0) {
        fprintf(stderr, "%s: no files to replay\n", dir);
        unit_failures++;
    }
}
