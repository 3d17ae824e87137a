/* engine/resources.h — files embedded in the binary at build time: the Lua
 * library (the .lua files of lua/) and the report templates. The table is
 * generated into build/resources.c by engine/embed.c, so an installed rglit
 * works from any folder. */
#ifndef RG_RESOURCES_H
#define RG_RESOURCES_H

#include <stddef.h>

typedef struct {
    const char *name; /* path relative to the repository, e.g. "lua/x.lua" */
    const unsigned char *data; /* NUL-terminated */
    size_t len;
} rg_resource;

/* The resource called name, or NULL. */
const rg_resource *resource_find(const char *name);

#endif
