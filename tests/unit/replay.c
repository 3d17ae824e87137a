/* tests/unit/replay.c — the harness's file helpers (unit.h): reading a
 * whole file, and replaying fuzz regression inputs through a target. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "buf.h"
#include "unit.h"

char *unit_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    rg_buf b = {0};
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_put(&b, tmp, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.failed) {
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    if (!b.data) /* empty file */
        return calloc(1, 1);
    return buf_take(&b);
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
        char *text = unit_read_file(path, &len);
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

cJSON *unit_load_json(const char *path)
{
    size_t len;
    char *text = unit_read_file(path, &len);
    if (!text) {
        fprintf(stderr, "%s: cannot read (run from the repository root)\n", path);
        return NULL;
    }
    cJSON *j = cJSON_ParseWithLength(text, len);
    free(text);
    if (!j)
        fprintf(stderr, "%s: not valid JSON\n", path);
    return j;
}

double unit_json_num(const cJSON *v)
{
    if (cJSON_IsNumber(v))
        return v->valuedouble;
    if (cJSON_IsString(v))
        return strcmp(v->valuestring, "-Infinity") == 0 ? -INFINITY : INFINITY;
    return NAN;
}

double *unit_json_nums(const cJSON *a, size_t *n)
{
    *n = (size_t)cJSON_GetArraySize(a);
    double *v = malloc((*n ? *n : 1) * sizeof *v);
    size_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, a) v[i++] = unit_json_num(e);
    return v;
}
