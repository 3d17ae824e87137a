/* engine/host.c — the sandboxed Lua state, its limits, chunk execution and
 * error locations, output capture, and the run's records, notes and inputs
 * (host.h). The Lua-visible functions are in lua_base.c, lua_rg.c and
 * lua_rng.c. */
#include "host.h"

#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <nettle/sha2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fmt.h"
#include "lua_bindings.h"

/* Instructions between two looks at the clock for --timeout. */
#define HOOK_COUNT 10000
/* call()'s status when the code finished but a limit it hit was caught by a
 * pcall of the study: the render fails all the same. */
#define LIMIT_CAUGHT (-1)

struct rg_host {
    lua_State *L;
    const rg_doc *doc;
    char *chunkname;      /* "@" + the study's file name */
    char *study_dir;      /* real path */
    char **allow;         /* real paths of --allow-read folders */
    size_t nallow;

    size_t mem_used, c_bytes, mem_limit;
    int threads;
    int progress;
    int mem_exceeded;
    int mem_line;         /* the study line running when the limit was passed */
    unsigned long nalloc, fail_at; /* RGLIT_FAIL_ALLOC: the test of failure paths */
    double timeout, deadline;
    int timed_out;

    rg_chunk_result *cur; /* output of the running chunk, NULL inline */
    const rg_chunk *cur_chunk;
    rg_rng rng;
    int data_error;

    rg_value *records;
    rg_note *notes;
    size_t nnotes;
    rg_input *inputs;
    size_t ninputs;
    rg_xref *xrefs;       /* numbered figures and tables, in the order shown */
    size_t nxrefs;
    int nfig, ntab;       /* numbers given so far */
    int pending;          /* registry ref of the running chunk's figures to place (host_pending) */
    int chunk_fig, chunk_tab; /* of them, in the running chunk */
};

rg_host *host_of(lua_State *L) { return *(rg_host **)lua_getextraspace(L); }

/* ---- limits --------------------------------------------------------------- */

static void hook(lua_State *L, lua_Debug *ar);

/* Whether Lua is running a finalizer (__gc): Lua 5.4.4 stops its collector
 * internally while it does, and lua_gc then returns -1 at once, reading one
 * flag and allocating nothing. A finalizer denied memory is dropped by Lua
 * for good (GCTM swallows the error), and what its object owned in C would
 * leak; so neither --max-memory nor an injected failure denies it. */
static int in_finalizer(const rg_host *h)
{
    return h->L && lua_gc(h->L, LUA_GCISRUNNING) < 0;
}

/* The Lua allocator, counting against --max-memory. Passing the limit sets
 * mem_exceeded and makes the hook fire at the next instruction, where the
 * error is raised with its study line; until then allocations may overshoot
 * the limit by an eighth (an allocation beyond that fails at once, as a Lua
 * memory error). */
static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    rg_host *h = ud;
    if (!ptr)
        osize = 0; /* osize is a type tag for new blocks */
    if (nsize == 0) {
        free(ptr);
        h->mem_used -= osize;
        return NULL;
    }
    if (h->mem_limit && nsize > osize) {
        size_t after = h->mem_used + h->c_bytes + (nsize - osize);
        if (after > h->mem_limit && h->L) {
            if (!h->mem_exceeded) {
                lua_sethook(h->L, hook, LUA_MASKCOUNT, 1); /* async-safe */
                /* where it happened: reading the stack allocates nothing */
                h->mem_line = host_study_line(h->L);
            }
            h->mem_exceeded = 1;
        }
        if (after > h->mem_limit + h->mem_limit / 8 && !in_finalizer(h))
            return NULL;
    }
    /* from the Nth on: one failure alone is absorbed by Lua's emergency GC */
    if (h->fail_at && nsize > osize && ++h->nalloc >= h->fail_at && !in_finalizer(h))
        return NULL;
    void *p = realloc(ptr, nsize);
    if (!p)
        return NULL;
    h->mem_used = h->mem_used - osize + nsize;
    return p;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Append the message of a limit the run has hit (timeout first); returns 0
 * when none was hit. C only: usable where Lua cannot allocate. */
static int limit_msg(rg_buf *b, const rg_host *h)
{
    if (h->timed_out) {
        buf_puts(b, "time limit of ");
        fmt_num(b, h->timeout, 6);
        buf_puts(b, " s exceeded (--timeout)");
    } else if (h->mem_exceeded) {
        buf_printf(b, "memory limit of %zu MB exceeded (--max-memory)", h->mem_limit >> 20);
    } else {
        return 0;
    }
    return 1;
}

/* Push the message of a limit the run has hit, or return NULL. */
static const char *push_limit_msg(lua_State *L, const rg_host *h)
{
    rg_buf b = {0};
    char s[128];
    if (!limit_msg(&b, h))
        return NULL;
    snprintf(s, sizeof s, "%s", b.failed ? "limit exceeded" : b.data);
    buf_free(&b); /* before pushing, which can raise */
    lua_pushstring(L, s);
    return lua_tostring(L, -1);
}

/* The instruction-count hook: every HOOK_COUNT instructions while
 * --timeout is set, and at every instruction once a limit is hit (so that no
 * pcall loop of the study escapes it). */
static void hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    rg_host *h = host_of(L);
    if (h->timeout > 0 && !h->timed_out && now() > h->deadline)
        h->timed_out = 1;
    if (h->timed_out || h->mem_exceeded) {
        lua_sethook(L, hook, LUA_MASKCOUNT, 1);
        push_limit_msg(L, h);
        lua_error(L);
    }
}

/* ---- the watchdog ------------------------------------------------------------
 * Lua code is stopped by the hook, but a single long call into C (a
 * pathological string.find, later a statistics primitive) runs no Lua
 * instruction. SIGALRM at the deadline forces the hook to fire at once; if
 * Lua has not regained control WATCHDOG_GRACE seconds later, the process
 * writes the prepared message and exits 1. Nothing is half-written then:
 * the report is only written after the last chunk. */

#define WATCHDOG_GRACE 2

static lua_State *volatile alarm_L;
static volatile sig_atomic_t alarm_stage;
static char alarm_msg[512];
static size_t alarm_len;

static void on_alarm(int sig)
{
    (void)sig;
    if (alarm_stage == 0 && alarm_L) {
        alarm_stage = 1;
        lua_sethook(alarm_L, hook, LUA_MASKCOUNT, 1); /* async-safe, as in lua.c */
        struct itimerval it = {{0, 0}, {WATCHDOG_GRACE, 0}};
        setitimer(ITIMER_REAL, &it, NULL);
        return;
    }
    ssize_t w = write(2, alarm_msg, alarm_len);
    (void)w;
    _exit(RG_EXIT_STUDY);
}

/* Arm the watchdog for the rest of the time budget before running code at
 * study line `line`; disarm with watchdog_stop. */
static void watchdog_start(rg_host *h, int line)
{
    if (h->timeout <= 0)
        return;
    double left = h->deadline - now();
    if (left < 0.001)
        left = 0.001;
    rg_buf b = {0};
    buf_printf(&b, "%s:%d: ", h->doc->name, line);
    buf_puts(&b, "time limit of ");
    fmt_num(&b, h->timeout, 6);
    buf_puts(&b, " s exceeded (--timeout) in a call that could not be interrupted\n");
    alarm_len = b.failed ? 0 : (b.len < sizeof alarm_msg ? b.len : sizeof alarm_msg);
    if (alarm_len)
        memcpy(alarm_msg, b.data, alarm_len);
    buf_free(&b);
    alarm_L = h->L;
    alarm_stage = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {(time_t)left, (suseconds_t)((left - (double)(time_t)left) * 1e6)}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void watchdog_stop(rg_host *h)
{
    if (h->timeout <= 0)
        return;
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    alarm_L = NULL;
}

void host_charge(lua_State *L, size_t bytes)
{
    rg_host *h = host_of(L);
    h->c_bytes += bytes;
    if (h->mem_limit && h->mem_used + h->c_bytes > h->mem_limit) {
        if (!h->mem_exceeded) /* named where it was passed, as the allocator does */
            h->mem_line = host_study_line(L);
        h->mem_exceeded = 1;
        lua_sethook(L, hook, LUA_MASKCOUNT, 1);
        push_limit_msg(L, h);
        lua_error(L);
    }
}

/* ---- errors --------------------------------------------------------------- */

int host_study_line(lua_State *L)
{
    rg_host *h = host_of(L);
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar))
            break;
        if (ar.currentline > 0 && strcmp(ar.source, h->chunkname) == 0)
            return ar.currentline;
    }
    return 0;
}

/* Message handler: one line, located at the innermost study line. */
static int msgh(lua_State *L)
{
    rg_host *h = host_of(L);
    /* once a limit is hit, it is the error, whatever the study did next */
    const char *msg = push_limit_msg(L, h);
    if (msg) {
        /* pushed */
    } else if (lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER) {
        msg = lua_tostring(L, 1); /* error(42) says 42, as lua.c does */
    } else if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
        msg = lua_tostring(L, -1);
    } else {
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    const char *name = h->chunkname + 1;
    size_t nlen = strlen(name);
    /* a memory limit is named where it was passed, not where the hook fired */
    int line = h->mem_exceeded && !h->timed_out && h->mem_line > 0 ? h->mem_line
                                                                    : host_study_line(L);
    if (strncmp(msg, name, nlen) == 0 && msg[nlen] == ':')
        lua_pushstring(L, msg);
    else if (line > 0)
        lua_pushfstring(L, "%s:%d: %s", name, line, msg);
    else
        lua_pushstring(L, msg);
    return 1;
}

void host_data_error(lua_State *L) { host_of(L)->data_error = 1; }

/* ---- construction ---------------------------------------------------------- */

static char *dupf(const char *fmt, const char *a)
{
    size_t n = strlen(fmt) + strlen(a) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, fmt, a);
    return s;
}

rg_host *host_new(const rg_doc *doc, const char *study_dir,
                  const rg_host_opts *opts, char **err, int *code)
{
    *code = RG_EXIT_STUDY;
    rg_host *h = calloc(1, sizeof *h);
    if (!h) {
        *err = strdup("out of memory");
        return NULL;
    }
    h->doc = doc;
    h->timeout = opts->timeout;
    h->mem_limit = opts->max_memory;
    h->threads = opts->threads > 0 ? opts->threads : 1;
    h->progress = opts->progress;
    /* Test hook (tests/cli/allocfail.sh): fail the growing allocations of the
     * Lua state from the Nth on, to prove every failure path frees what it holds. */
    const char *fa = getenv("RGLIT_FAIL_ALLOC");
    h->fail_at = fa ? strtoul(fa, NULL, 10) : 0;
    h->chunkname = dupf("@%s", doc->name);
    h->records = value_new(RG_MAP);
    h->study_dir = realpath(study_dir, NULL);
    if (!h->chunkname || !h->records || !h->study_dir) {
        *err = dupf("cannot open the study's folder '%s'", study_dir);
        host_free(h);
        return NULL;
    }
    if (opts->nallow_read) {
        h->allow = calloc(opts->nallow_read, sizeof *h->allow);
        if (!h->allow) {
            *err = strdup("out of memory");
            host_free(h);
            return NULL;
        }
    }
    for (size_t i = 0; i < opts->nallow_read; i++) {
        struct stat st;
        h->allow[h->nallow] = realpath(opts->allow_read[i], NULL);
        if (!h->allow[h->nallow] || stat(h->allow[h->nallow], &st) != 0 ||
            !S_ISDIR(st.st_mode)) {
            *err = dupf("--allow-read: '%s' is not a folder", opts->allow_read[i]);
            *code = RG_EXIT_USAGE;
            free(h->allow[h->nallow]);
            host_free(h);
            return NULL;
        }
        h->nallow++;
    }
    h->L = lua_newstate(l_alloc, h);
    if (!h->L) {
        *err = strdup("out of memory creating the Lua state");
        host_free(h);
        return NULL;
    }
    *(rg_host **)lua_getextraspace(h->L) = h;
    if (lua_bindings_open(h->L, doc) != LUA_OK) {
        *err = dupf("cannot set up the Lua state: %s", lua_tostring(h->L, -1));
        host_free(h);
        return NULL;
    }
    if (h->timeout > 0) {
        h->deadline = now() + h->timeout;
        lua_sethook(h->L, hook, LUA_MASKCOUNT, HOOK_COUNT);
    }
    return h;
}

void host_free(rg_host *h)
{
    if (!h)
        return;
    /* Closing runs the finalizers that free frames, models and scalers;
     * they need a little memory (a call frame each), so neither the injected
     * failures nor --max-memory may deny it at this point. */
    h->fail_at = 0;
    h->mem_limit = 0;
    if (h->L)
        lua_close(h->L);
    for (size_t i = 0; i < h->nallow; i++)
        free(h->allow[i]);
    free(h->allow);
    for (size_t i = 0; i < h->nnotes; i++) {
        free(h->notes[i].where);
        free(h->notes[i].text);
        free(h->notes[i].chunk);
    }
    free(h->notes);
    for (size_t i = 0; i < h->nxrefs; i++)
        free(h->xrefs[i].id);
    free(h->xrefs);
    for (size_t i = 0; i < h->ninputs; i++) {
        free(h->inputs[i].path);
        free(h->inputs[i].kind);
        free(h->inputs[i].source);
    }
    free(h->inputs);
    value_free(h->records);
    free(h->chunkname);
    free(h->study_dir);
    free(h);
}

/* ---- running code ---------------------------------------------------------- */

/* Load code so that its line 1 is study line `line`. */
static int load_at(rg_host *h, const char *prefix, const char *code, int line)
{
    rg_buf b = {0};
    for (int i = 1; i < line; i++)
        buf_putc(&b, '\n');
    buf_puts(&b, prefix);
    buf_puts(&b, code);
    if (b.failed) {
        buf_free(&b);
        return LUA_ERRMEM; /* failure() words it; nothing pushed */
    }
    int st = luaL_loadbufferx(h->L, b.data, b.len, h->chunkname, "t");
    buf_free(&b);
    return st;
}

/* Turn a failed status into the final message; returns the exit code.
 * line: the study line to name when the error carries none (memory errors,
 * which Lua raises without calling the message handler, and limits caught
 * by the study's own pcall). */
static int failure(rg_host *h, int status, int line, char **err)
{
    lua_State *L = h->L;
    /* outside any protected call: no Lua allocation from here on */
    if (status == LUA_ERRMEM || status == LIMIT_CAUGHT) {
        rg_buf b = {0};
        if (h->mem_exceeded && !h->timed_out && h->mem_line > 0)
            line = h->mem_line;
        buf_printf(&b, "%s:%d: ", h->doc->name, line);
        if (!limit_msg(&b, h))
            buf_puts(&b, "out of memory");
        *err = buf_take(&b);
    } else {
        const char *m = lua_tostring(L, -1); /* a string already: no conversion */
        *err = strdup(m ? m : "error");
    }
    lua_settop(L, 0);
    return h->data_error && !h->timed_out && !h->mem_exceeded ? RG_EXIT_DATA
                                                              : RG_EXIT_STUDY;
}

/* After running code: did it rawset into params or study? Returns the
 * error message (caller frees), or NULL. */
static char *readonly_broken(rg_host *h, int line)
{
    const char *which = luav_readonly_changed(h->L);
    if (!which)
        return NULL;
    rg_buf b = {0};
    buf_printf(&b, "%s:%d: %s was changed with rawset; it is read-only", h->doc->name,
               line, which);
    lua_settop(h->L, 0);
    return b.failed ? strdup("out of memory") : buf_take(&b);
}

/* pcall the function below its nargs arguments with the message handler. */
static int call(rg_host *h, int nargs, int nres)
{
    lua_State *L = h->L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msgh);
    lua_insert(L, base);
    int st = lua_pcall(L, nargs, nres, base);
    lua_remove(L, base);
    /* a limit hit inside a pcall the study caught still fails the render */
    if (st == LUA_OK && (h->timed_out || h->mem_exceeded))
        st = LIMIT_CAUGHT;
    return st;
}

void host_pending(lua_State *L, int idx)
{
    rg_host *h = host_of(L);
    idx = lua_absindex(L, idx);
    if (!h->cur)
        return; /* inline expressions show nothing */
    if (!h->pending) {
        lua_newtable(L);
        h->pending = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, h->pending);
    lua_pushvalue(L, idx);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    lua_pop(L, 1);
}

/* Show what the chunk created and did not show (host_pending): each
 * object's __rg_pending gives its HTML, or nil once shown. Runs as a Lua
 * function under call(), as a chunk does. */
static int show_pending(lua_State *L)
{
    rg_host *h = host_of(L);
    if (!h->pending)
        return 0;
    lua_rawgeti(L, LUA_REGISTRYINDEX, h->pending);
    int list = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, list);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, list, i);
        if (luaL_getmetafield(L, -1, "__rg_pending") != LUA_TNIL) {
            lua_pushvalue(L, -2);
            lua_call(L, 1, 1);
            size_t len;
            const char *html = lua_tolstring(L, -1, &len);
            if (html)
                host_show_html(L, html, len);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    return 0;
}

/* Empty the list of pending objects. Allocates nothing (it runs after a
 * chunk passed the memory limit too): the slots are set to nil in place. */
static void clear_pending(rg_host *h)
{
    if (!h->pending)
        return;
    lua_State *L = h->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, h->pending);
    for (lua_Integer i = (lua_Integer)lua_rawlen(L, -1); i > 0; i--) {
        lua_pushnil(L);
        lua_rawseti(L, -2, i);
    }
    lua_pop(L, 1);
}

int host_run_chunk(rg_host *h, const rg_chunk *c, rg_chunk_result *res, char **err)
{
    h->cur = res;
    h->cur_chunk = c;
    h->data_error = 0;
    h->chunk_fig = h->chunk_tab = 0;
    res->ran = 1;
    rng_init(&h->rng, c->opts.has_seed ? c->opts.seed : h->doc->seed, c->opts.label);
    clear_pending(h);
    int st = load_at(h, "", c->code, c->code_line);
    if (st == LUA_OK) {
        watchdog_start(h, c->line);
        st = call(h, 0, 0);
        if (st == LUA_OK) {
            lua_pushcfunction(h->L, show_pending);
            st = call(h, 0, 0);
        }
        watchdog_stop(h);
    }
    clear_pending(h);
    char *broken = st == LUA_OK ? readonly_broken(h, c->line) : NULL;
    int rc = RG_EXIT_OK;
    if (broken) {
        *err = broken;
        rc = RG_EXIT_STUDY;
    } else if (st != LUA_OK) {
        char *msg = NULL;
        rc = failure(h, st, c->line, &msg);
        if (c->opts.error && !h->timed_out && !h->mem_exceeded && msg) {
            res->error = msg;
            rc = RG_EXIT_OK;
        } else {
            *err = msg;
        }
    }
    lua_settop(h->L, 0);
    h->cur = NULL;
    h->cur_chunk = NULL;
    return rc;
}

int host_eval_inline(rg_host *h, const rg_inline *in, char **text, char **err)
{
    lua_State *L = h->L;
    char name[40];
    size_t idx = (size_t)(in - h->doc->inlines) + 1;
    snprintf(name, sizeof name, "inline-%zu", idx);
    h->data_error = 0;
    rng_init(&h->rng, h->doc->seed, name);
    *text = NULL;
    int st = load_at(h, "return ", in->expr, in->line);
    if (st == LUA_OK) {
        watchdog_start(h, in->line);
        st = call(h, 0, 1);
        watchdog_stop(h);
    }
    if (st != LUA_OK)
        return failure(h, st, in->line, err);
    rg_buf b = {0};
    switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, -1, &n);
        buf_put(&b, s, n);
        break;
    }
    case LUA_TNUMBER:
        if (lua_isinteger(L, -1))
            buf_printf(&b, "%lld", (long long)lua_tointeger(L, -1));
        else
            fmt_num(&b, lua_tonumber(L, -1), RG_FMT_DIGITS_VALUE);
        break;
    case LUA_TBOOLEAN:
        buf_puts(&b, lua_toboolean(L, -1) ? "true" : "false");
        break;
    default: {
        const char *tname = luaL_typename(L, -1);
        if (luaL_getmetafield(L, -1, "__tostring") != LUA_TNIL) {
            lua_pop(L, 1);
            lua_getglobal(L, "tostring");
            lua_insert(L, -2); /* tostring, value */
            watchdog_start(h, in->line);
            st = call(h, 1, 1);
            watchdog_stop(h);
            if (st != LUA_OK) {
                buf_free(&b);
                return failure(h, st, in->line, err);
            }
            if (lua_type(L, -1) == LUA_TSTRING) {
                size_t n;
                const char *s = lua_tolstring(L, -1, &n);
                buf_put(&b, s, n);
                break;
            }
        }
        b.len = 0;
        buf_printf(&b, "%s:%d: inline expression `{lua} %s` gave %s, not a string, "
                       "number or boolean", h->doc->name, in->line, in->expr, tname);
        lua_settop(L, 0);
        *err = b.failed ? strdup("out of memory") : buf_take(&b);
        buf_free(&b);
        return RG_EXIT_STUDY;
    }
    }
    lua_settop(L, 0);
    *text = buf_take(&b);
    if (!*text) {
        *err = strdup("out of memory");
        return RG_EXIT_STUDY;
    }
    return RG_EXIT_OK;
}

int host_check_syntax(rg_host *h, char **err)
{
    const rg_doc *d = h->doc;
    for (size_t i = 0; i < d->nchunks; i++) {
        if (!d->chunks[i].opts.eval)
            continue; /* never run, so never compiled (as render does) */
        if (load_at(h, "", d->chunks[i].code, d->chunks[i].code_line) != LUA_OK)
            return failure(h, LUA_ERRSYNTAX, d->chunks[i].line, err);
        lua_settop(h->L, 0);
    }
    for (size_t i = 0; i < d->ninlines; i++) {
        if (load_at(h, "return ", d->inlines[i].expr, d->inlines[i].line) != LUA_OK)
            return failure(h, LUA_ERRSYNTAX, d->inlines[i].line, err);
        lua_settop(h->L, 0);
    }
    return RG_EXIT_OK;
}

void host_result_free(rg_chunk_result *res)
{
    for (size_t i = 0; i < res->nout; i++)
        buf_free(&res->out[i].buf);
    free(res->out);
    free(res->error);
    memset(res, 0, sizeof *res);
}

/* ---- output --------------------------------------------------------------- */

static void append_out(lua_State *L, rg_out_kind kind, const char *s, size_t len)
{
    rg_host *h = host_of(L);
    rg_chunk_result *r = h->cur;
    if (!r) {
        host_note(L, kind == RG_OUT_TEXT
                         ? "print() in an inline expression is not shown"
                         : "show() in an inline expression is not shown");
        return;
    }
    host_charge(L, len);
    if (kind == RG_OUT_TEXT && r->nout && r->out[r->nout - 1].kind == RG_OUT_TEXT) {
        buf_put(&r->out[r->nout - 1].buf, s, len);
    } else {
        rg_out *o = realloc(r->out, (r->nout + 1) * sizeof *o);
        if (!o)
            luaL_error(L, "out of memory");
        r->out = o;
        memset(&o[r->nout], 0, sizeof *o);
        o[r->nout].kind = kind;
        buf_put(&o[r->nout].buf, s, len);
        r->nout++;
    }
    if (r->out[r->nout - 1].buf.failed)
        luaL_error(L, "out of memory");
}

void host_print(lua_State *L, const char *s, size_t len)
{
    append_out(L, RG_OUT_TEXT, s, len);
}

void host_show_html(lua_State *L, const char *html, size_t len)
{
    append_out(L, RG_OUT_HTML, html, len);
}

/* ---- what a run leaves ----------------------------------------------------- */

void host_note(lua_State *L, const char *text)
{
    rg_host *h = host_of(L);
    int line = host_study_line(L);
    rg_buf w = {0};
    if (line > 0)
        buf_printf(&w, "%s:%d", h->doc->name, line);
    else
        buf_puts(&w, h->doc->name);
    if (h->cur_chunk)
        buf_printf(&w, " (chunk %s)", h->cur_chunk->opts.label);
    char *where = buf_take(&w);
    char *t = strdup(text);
    char *chunk = h->cur_chunk ? strdup(h->cur_chunk->opts.label) : NULL;
    rg_note *n = where && t && (chunk || !h->cur_chunk)
                     ? realloc(h->notes, (h->nnotes + 1) * sizeof *n)
                     : NULL;
    if (!n) {
        free(where);
        free(t);
        free(chunk);
        luaL_error(L, "out of memory");
        return;
    }
    h->notes = n;
    n[h->nnotes].where = where;
    n[h->nnotes].text = t;
    n[h->nnotes].chunk = chunk;
    h->nnotes++;
}

int host_number(lua_State *L, int kind, const char **id)
{
    rg_host *h = host_of(L);
    const char *prefix = kind == 'f' ? "fig-" : "tbl-";
    const char *label = h->cur_chunk ? h->cur_chunk->opts.label : "inline";
    int *in_chunk = kind == 'f' ? &h->chunk_fig : &h->chunk_tab;
    rg_buf b = {0};
    if (strncmp(label, prefix, 4) != 0)
        buf_puts(&b, prefix);
    buf_puts(&b, label);
    if (*in_chunk > 0)
        buf_printf(&b, "-%d", *in_chunk + 1);
    char *s = buf_take(&b);
    rg_xref *x = s ? realloc(h->xrefs, (h->nxrefs + 1) * sizeof *x) : NULL;
    if (!x) {
        free(s);
        luaL_error(L, "out of memory");
        return 0;
    }
    h->xrefs = x;
    (*in_chunk)++;
    int number = kind == 'f' ? ++h->nfig : ++h->ntab;
    x[h->nxrefs++] = (rg_xref){s, kind, number};
    *id = s;
    return number;
}

const rg_xref *host_xrefs(const rg_host *h, size_t *n)
{
    *n = h->nxrefs;
    return h->xrefs;
}

const rg_chunk *host_chunk(lua_State *L) { return host_of(L)->cur_chunk; }

void host_record(lua_State *L, const char *name, rg_value *v)
{
    rg_host *h = host_of(L);
    if (value_get(h->records, name)) {
        value_free(v);
        luaL_error(L, "rg.record: '%s' was recorded before; record names must be unique",
                   name);
        return;
    }
    if (value_set(h->records, name, v) != 0)
        luaL_error(L, "out of memory");
}

static void hex32(const uint8_t *d, char *out)
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Record an input (once per path, kind and content); returns the new entry,
 * or NULL when it was recorded before. */
static rg_input *add_input(lua_State *L, const char *rel, const char *kind, size_t len,
                           const char *hex, long rows, long cols)
{
    rg_host *h = host_of(L);
    for (size_t i = 0; i < h->ninputs; i++) {
        rg_input *in = &h->inputs[i];
        if (strcmp(in->path, rel) == 0 && strcmp(in->kind, kind) == 0 &&
            strcmp(in->sha256, hex) == 0)
            return NULL; /* the same file read again */
    }
    rg_input *ins = realloc(h->inputs, (h->ninputs + 1) * sizeof *ins);
    if (!ins)
        luaL_error(L, "out of memory");
    h->inputs = ins;
    rg_input *in = &ins[h->ninputs];
    memset(in, 0, sizeof *in);
    in->path = strdup(rel);
    in->kind = strdup(kind);
    snprintf(in->sha256, sizeof in->sha256, "%s", hex);
    in->bytes = len;
    in->rows = rows;
    in->cols = cols;
    h->ninputs++;
    if (!in->path || !in->kind)
        luaL_error(L, "out of memory");
    return in;
}

void host_add_input(lua_State *L, const char *rel, const char *kind,
                    const void *data, size_t len, long rows, long cols)
{
    uint8_t d[32];
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, len, data);
    sha256_digest(&c, sizeof d, d);
    char hex[65];
    hex32(d, hex);
    rg_input *in = add_input(L, rel, kind, len, hex, rows, cols);
    if (in && strcmp(kind, "module") == 0) {
        in->source = malloc(len + 1);
        if (!in->source)
            luaL_error(L, "out of memory");
        memcpy(in->source, data, len);
        in->source[len] = '\0';
    }
}

void host_add_input_hash(lua_State *L, const char *rel, const char *kind, size_t bytes,
                         const char *sha256_hex, long rows, long cols)
{
    add_input(L, rel, kind, bytes, sha256_hex, rows, cols);
}

void host_release(lua_State *L, size_t bytes)
{
    rg_host *h = host_of(L);
    h->c_bytes -= bytes < h->c_bytes ? bytes : h->c_bytes;
}

const rg_value *host_records(const rg_host *h) { return h->records; }

const rg_note *host_notes(const rg_host *h, size_t *n)
{
    *n = h->nnotes;
    return h->notes;
}

const rg_input *host_inputs(const rg_host *h, size_t *n)
{
    *n = h->ninputs;
    return h->inputs;
}

rg_rng *host_rng(lua_State *L) { return &host_of(L)->rng; }

uint64_t host_seed(lua_State *L) { return host_of(L)->doc->seed; }

int host_threads(lua_State *L) { return host_of(L)->threads; }

int host_progress(lua_State *L) { return host_of(L)->progress; }

/* ---- reading files --------------------------------------------------------- */

static int below(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return 1;
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Path of target relative to dir (both absolute, normalised). */
char *path_relative(const char *target, const char *dir)
{
    size_t i = 0, common = 0;
    while (target[i] && target[i] == dir[i]) {
        if (target[i] == '/')
            common = i;
        i++;
    }
    if (dir[i] == '\0' && (target[i] == '/' || target[i] == '\0'))
        common = i;
    rg_buf b = {0};
    for (const char *p = dir + common; *p; p++)
        if (*p == '/')
            buf_puts(&b, "../");
    const char *rest = target + common;
    if (*rest == '/')
        rest++;
    buf_puts(&b, rest);
    return buf_take(&b);
}

/* Push the real path of the absolute path `full`, with a string relative to
 * the study's folder on top of it, owning nothing in between (the C strings
 * sit in boxes until they are Lua strings). Returns 0, or errno (nothing
 * pushed) when the path does not resolve. */
static int push_real(lua_State *L, rg_host *h, const char *full)
{
    void **real = box_new(L, free);
    *real = realpath(full, NULL);
    if (!*real) {
        int e = errno;
        lua_pop(L, 1);
        return e ? e : ENOENT;
    }
    void **rel = box_new(L, free);
    *rel = path_relative(*real, h->study_dir);
    if (!*rel)
        luaL_error(L, "out of memory");
    lua_pushstring(L, *real);
    lua_pushstring(L, *rel);
    lua_rotate(L, -4, 2); /* the strings under the boxes */
    lua_pop(L, 2);        /* the boxes: garbage, freed by the collector */
    return 0;
}

/* Push the absolute path p with ".", ".." and repeated '/' removed, without
 * looking at the file system. */
static const char *push_lexical(lua_State *L, const char *p)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    size_t *starts = lua_newuserdatauv(L, (strlen(p) / 2 + 2) * sizeof *starts, 0);
    lua_insert(L, -2); /* keep the buffer's slot on top */
    size_t depth = 0;
    while (*p) {
        while (*p == '/')
            p++;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        size_t n = (size_t)(e - p);
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* nothing */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (depth > 0)
                luaL_buffsub(&b, luaL_bufflen(&b) - starts[--depth]);
        } else {
            starts[depth++] = luaL_bufflen(&b);
            luaL_addchar(&b, '/');
            luaL_addlstring(&b, p, n);
        }
        p = e;
    }
    if (luaL_bufflen(&b) == 0)
        luaL_addchar(&b, '/');
    luaL_pushresult(&b);
    lua_remove(L, -2); /* the offsets */
    return lua_tostring(L, -1);
}

/* Is the real path below the study's folder or an --allow-read folder? */
static int readable(const rg_host *h, const char *real)
{
    int ok = below(real, h->study_dir);
    for (size_t i = 0; !ok && i < h->nallow; i++)
        ok = below(real, h->allow[i]);
    return ok;
}

static void refuse(lua_State *L, const char *path)
{
    if (path[0] == '/')
        luaL_error(L, "'%s': absolute paths outside the study's folder are "
                      "refused (use --allow-read DIR to allow a folder)", path);
    if (strstr(path, ".."))
        luaL_error(L, "'%s' leads outside the study's folder (use --allow-read "
                      "DIR to allow a folder)", path);
    luaL_error(L, "'%s' is a link to a file outside the study's folder (use "
                  "--allow-read DIR to allow a folder)", path);
}

void host_resolve_read(lua_State *L, const char *path)
{
    rg_host *h = host_of(L);
    if (!*path)
        luaL_error(L, "empty file name");
    if (path[0] == '/')
        lua_pushstring(L, path);
    else
        lua_pushfstring(L, "%s/%s", h->study_dir, path);
    int e = push_real(L, h, lua_tostring(L, -1));
    if (e) {
        /* a missing file outside the readable folders is refused like an
         * existing one: a study cannot probe what exists elsewhere */
        if (!readable(h, push_lexical(L, lua_tostring(L, -1))))
            refuse(L, path);
        host_data_error(L);
        luaL_error(L, "cannot open '%s': %s", path, strerror(e));
    }
    lua_remove(L, -3); /* the joined path */
    const char *real = lua_tostring(L, -2);
    if (!readable(h, real))
        refuse(L, path);
    struct stat st;
    if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
        host_data_error(L);
        luaL_error(L, "'%s' is not a regular file", path);
    }
}

int host_module_path(lua_State *L, const char *file)
{
    rg_host *h = host_of(L);
    lua_pushfstring(L, "%s/%s", h->study_dir, file);
    if (push_real(L, h, lua_tostring(L, -1)) != 0) {
        lua_pop(L, 1);
        return 0;
    }
    lua_remove(L, -3);
    struct stat st;
    const char *real = lua_tostring(L, -2);
    if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
        lua_pop(L, 2);
        return 0;
    }
    if (!below(real, h->study_dir))
        luaL_error(L, "require: '%s' is a link to a file outside the study's folder",
                   file);
    return 1;
}
