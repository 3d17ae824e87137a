/* engine/main.c — the command line: rglit render | check | --version | --help,
 * option parsing, exit codes (DESIGN.md), and writing the report atomically
 * (a temporary file renamed into place, so a failed render leaves nothing). */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "doc.h"
#include "fmt.h"
#include "host.h"
#include "par.h"
#include "report.h"
#include "value.h"

#define MAX_STUDY_BYTES (64u << 20)

static const char usage_text[] =
    "usage: rglit render STUDY.md [options]   run a study and write its HTML report\n"
    "       rglit check STUDY.md [options]    parse and validate a study, run nothing\n"
    "       rglit --version                   print the engine and library versions\n"
    "       rglit --help                      print this help\n"
    "\n"
    "options:\n"
    "  -o, --output OUT.html   where to write the report (default: STUDY.html)\n"
    "  -P key=value            override a front-matter param (value typed as YAML)\n"
    "  --seed N                override the front matter's seed (integer >= 0)\n"
    "  --timeout S             fail the render after S seconds of running Lua\n"
    "  --max-memory MB         fail the render when Lua and its buffers pass MB\n"
    "  --allow-read DIR        also allow reading files below DIR (repeatable)\n"
    "  --threads N             threads for numerical work (default: all cores);\n"
    "                          the report is the same for any N\n"
    "  --quiet                 print nothing but errors\n"
    "\n"
    "exit codes: 0 ok, 1 the study failed, 2 usage error, 3 input data error,\n"
    "            4 verify found differences\n";

typedef struct {
    const char *cmd;
    const char *study;
    const char *out;
    const char **sets;
    size_t nsets;
    const char **allow;
    size_t nallow;
    int has_seed;
    uint64_t seed;
    double timeout;
    size_t max_memory;
    int threads;
    int quiet;
} cli;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "rglit: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'rglit --help'.\n");
    return RG_EXIT_USAGE;
}

/* Parse a whole number in [0, max]; 0 on success. */
static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    if (!*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, cli *c)
{
    c->sets = calloc((size_t)argc, sizeof *c->sets);
    c->allow = calloc((size_t)argc, sizeof *c->allow);
    if (!c->sets || !c->allow)
        return usage_error("%s", "out of memory");
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        char name[32] = "";
        if (a[0] == '-' && a[1] != '\0') {
            const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
            size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
            if (nlen >= sizeof name)
                return usage_error("unknown option '%s'", a);
            memcpy(name, a, nlen);
            name[nlen] = '\0';
            if (strcmp(name, "--quiet") == 0) {
                if (eq)
                    return usage_error("%s takes no value", name);
                c->quiet = 1;
                continue;
            }
            static const char *const with_value[] = {
                "-o", "--output", "-P", "--seed", "--timeout", "--max-memory",
                "--allow-read", "--threads", NULL};
            int known = 0;
            for (int k = 0; with_value[k]; k++)
                known |= strcmp(name, with_value[k]) == 0;
            if (!known)
                return usage_error("unknown option '%s'", a);
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                return usage_error("%s needs a value", name);
        } else {
            if (c->study)
                return usage_error("one study at a time (got '%s' too)", a);
            c->study = a;
            continue;
        }
        if (strcmp(name, "-o") == 0 || strcmp(name, "--output") == 0) {
            if (!*val)
                return usage_error("%s", "-o needs a file name");
            c->out = val;
        } else if (strcmp(name, "-P") == 0) {
            c->sets[c->nsets++] = val;
        } else if (strcmp(name, "--seed") == 0) {
            if (parse_uint(val, (uint64_t)INT64_MAX, &c->seed) != 0)
                return usage_error("--seed must be an integer from 0 to 2^63-1, got '%s'", val);
            c->has_seed = 1;
        } else if (strcmp(name, "--timeout") == 0) {
            char *end;
            errno = 0;
            double t = strtod(val, &end);
            if (errno || *end || !(t > 0 && t < 1e9))
                return usage_error("--timeout must be a number of seconds > 0, got '%s'", val);
            c->timeout = t;
        } else if (strcmp(name, "--max-memory") == 0) {
            uint64_t mb;
            if (parse_uint(val, 1u << 24, &mb) != 0 || mb == 0)
                return usage_error("--max-memory must be a whole number of MB > 0, got '%s'", val);
            c->max_memory = (size_t)mb << 20;
        } else if (strcmp(name, "--allow-read") == 0) {
            c->allow[c->nallow++] = val;
        } else if (strcmp(name, "--threads") == 0) {
            uint64_t t;
            if (parse_uint(val, 64, &t) != 0 || t == 0)
                return usage_error("--threads must be a whole number from 1 to 64, got '%s'",
                                   val);
            c->threads = (int)t;
        }
    }
    if (!c->study)
        return usage_error("%s needs a study file", c->cmd);
    if (strcmp(c->cmd, "check") == 0 && (c->out || c->nallow || c->timeout > 0 || c->threads ||
                                         c->max_memory))
        return usage_error("%s", "check takes only -P and --seed");
    return RG_EXIT_OK;
}

static char *read_file(const char *path, size_t *len, int *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        *err = EISDIR;
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = errno;
        return NULL;
    }
    rg_buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0 && b.len <= MAX_STUDY_BYTES)
        buf_put(&b, tmp, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.failed || b.len > MAX_STUDY_BYTES) {
        *err = bad ? EIO : EFBIG;
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    if (!b.data)
        return strdup("");
    return buf_take(&b);
}

/* A shell word: as is when safe, else in single quotes. */
static void shell_word(rg_buf *b, const char *s)
{
    int safe = *s != '\0';
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                    "_-.,/=+:@%", *p))
            safe = 0;
    if (safe) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            buf_puts(b, "'\\''");
        else
            buf_putc(b, *p);
    }
    buf_putc(b, '\'');
}

/* A value as YAML flow text that -P reads back to the same value. */
static void yaml_flow(rg_buf *b, const rg_value *v)
{
    switch (v->type) {
    case RG_NULL:
        buf_puts(b, "null");
        break;
    case RG_BOOL:
        buf_puts(b, v->u.b ? "true" : "false");
        break;
    case RG_INT:
        buf_printf(b, "%lld", (long long)v->u.i);
        break;
    case RG_NUM:
        if (v->u.n != v->u.n)
            buf_puts(b, ".nan");
        else if (v->u.n > 1e308 || v->u.n < -1e308)
            buf_puts(b, v->u.n > 0 ? ".inf" : "-.inf");
        else {
            size_t start = b->len;
            fmt_shortest(b, v->u.n);
            if (!b->failed && !strpbrk(b->data + start, ".eEn"))
                buf_puts(b, ".0"); /* stays a float when read back */
        }
        break;
    case RG_STR: {
        rg_value *back = value_from_plain_scalar(v->u.s, v->len);
        int plain = back && back->type == RG_STR && !strpbrk(v->u.s, ":#[]{},&*!|>'\"%@`") &&
                    v->u.s[0] != ' ' && v->u.s[0] != '-' && v->u.s[0] != '?' &&
                    (v->len == 0 || v->u.s[v->len - 1] != ' ');
        value_free(back);
        if (plain && v->len) {
            buf_put(b, v->u.s, v->len);
        } else {
            buf_putc(b, '"');
            for (size_t i = 0; i < v->len; i++) {
                unsigned char c = (unsigned char)v->u.s[i];
                if (c == '"' || c == '\\')
                    buf_printf(b, "\\%c", c);
                else if (c < 0x20)
                    buf_printf(b, "\\x%02x", c);
                else
                    buf_putc(b, (char)c);
            }
            buf_putc(b, '"');
        }
        break;
    }
    case RG_LIST:
    case RG_MAP:
        buf_putc(b, v->type == RG_LIST ? '[' : '{');
        for (size_t i = 0; i < v->len; i++) {
            if (i)
                buf_puts(b, ", ");
            if (v->type == RG_MAP)
                buf_printf(b, "%s: ", v->keys[i]);
            yaml_flow(b, v->items[i]);
        }
        buf_putc(b, v->type == RG_LIST ? ']' : '}');
        break;
    }
}

static char *reproduce_command(const rg_doc *doc, const cli *c, const char *study_dir)
{
    rg_buf b = {0};
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde) /* it changes the report (the Rendered row): part of the command */
        buf_printf(&b, "SOURCE_DATE_EPOCH=%s ", sde);
    buf_puts(&b, "rglit render ");
    shell_word(&b, doc->name);
    if (doc->seed_overridden)
        buf_printf(&b, " --seed %llu", (unsigned long long)doc->seed);
    for (size_t i = 0; i < doc->overridden->len; i++) {
        const char *key = doc->overridden->items[i]->u.s;
        rg_buf kv = {0};
        buf_printf(&kv, "%s=", key);
        yaml_flow(&kv, value_get(doc->params, key));
        buf_puts(&b, " -P ");
        shell_word(&b, buf_cstr(&kv) ? kv.data : "");
        buf_free(&kv);
    }
    char *sd = realpath(study_dir, NULL);
    for (size_t i = 0; i < c->nallow && sd; i++) {
        char *real = realpath(c->allow[i], NULL);
        char *rel = real ? path_relative(real, sd) : NULL;
        buf_puts(&b, " --allow-read ");
        shell_word(&b, rel ? rel : c->allow[i]);
        free(rel);
        free(real);
    }
    free(sd);
    return buf_take(&b);
}

/* SOURCE_DATE_EPOCH as a UTC date, or NULL when unset; -1 when invalid. */
static int source_date(char *out, size_t n)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s)
        return 0;
    uint64_t t;
    if (parse_uint(s, (uint64_t)253402300799u, &t) != 0)
        return -1;
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        return -1;
    strftime(out, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return 1;
}

/* The study or an input the report at out would replace, or NULL. */
static const char *overwrites_input(const char *out, const char *study,
                                    const char *study_dir, const rg_host *h)
{
    char *o = realpath(out, NULL);
    if (!o)
        return NULL; /* a new file */
    const char *hit = NULL;
    char *s = realpath(study, NULL);
    if (s && strcmp(o, s) == 0)
        hit = "the study";
    free(s);
    char *dir = realpath(study_dir, NULL);
    size_t n;
    const rg_input *ins = host_inputs(h, &n);
    for (size_t i = 0; !hit && dir && i < n; i++) {
        rg_buf p = {0};
        buf_printf(&p, "%s/%s", dir, ins[i].path);
        char *r = p.failed ? NULL : realpath(p.data, NULL);
        if (r && strcmp(r, o) == 0)
            hit = strcmp(ins[i].kind, "module") == 0 ? "a module of the study"
                                                     : "an input file of the study";
        free(r);
        buf_free(&p);
    }
    free(dir);
    free(o);
    return hit;
}

static int write_atomically(const char *path, const char *data, size_t len)
{
    rg_buf tmpl = {0};
    char *pc = strdup(path);
    if (!pc)
        return -1;
    char *dir = dirname(pc);
    buf_printf(&tmpl, "%s/.rglit-XXXXXX", dir);
    free(pc);
    if (tmpl.failed)
        return -1;
    int fd = mkstemp(tmpl.data);
    if (fd < 0) {
        buf_free(&tmpl);
        return -1;
    }
    mode_t um = umask(0);
    umask(um);
    int ok = fchmod(fd, 0666 & ~um) == 0;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        ok = 0;
    } else {
        ok = ok && fwrite(data, 1, len, f) == len;
        ok = (fclose(f) == 0) && ok;
    }
    ok = ok && rename(tmpl.data, path) == 0;
    int e = errno;
    if (!ok)
        unlink(tmpl.data);
    buf_free(&tmpl);
    errno = e;
    return ok ? 0 : -1;
}

/* Print an error. Lua code runs under the study's file name (so reports do
 * not depend on the folder rglit was started from); on the terminal the
 * study is named as the user named it. */
static void print_error(const rg_doc *doc, const char *msg)
{
    size_t n = strlen(doc->name);
    if (strcmp(doc->name, doc->path) != 0 && strncmp(msg, doc->name, n) == 0 &&
        msg[n] == ':')
        fprintf(stderr, "%s%s\n", doc->path, msg + n);
    else
        fprintf(stderr, "%s\n", msg);
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static int run(cli *c)
{
    int render = strcmp(c->cmd, "render") == 0;
    size_t len = 0;
    int ferr = 0;
    char *text = read_file(c->study, &len, &ferr);
    if (!text) {
        fprintf(stderr, "rglit: cannot read study '%s': %s\n", c->study, strerror(ferr));
        return RG_EXIT_USAGE;
    }
    rg_doc doc;
    char *err = NULL;
    int rc = RG_EXIT_OK;
    if (doc_parse(&doc, c->study, text, len, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        free(text);
        return RG_EXIT_STUDY;
    }
    free(text);
    for (size_t i = 0; i < c->nsets; i++)
        if (doc_override_param(&doc, c->sets[i], &err) != 0) {
            fprintf(stderr, "rglit: %s\n", err);
            free(err);
            doc_free(&doc);
            return RG_EXIT_USAGE;
        }
    if (c->has_seed) {
        doc.seed = c->seed;
        doc.seed_overridden = 1;
    }
    char *pc = strdup(c->study);
    char *study_dir = pc ? strdup(dirname(pc)) : NULL;
    free(pc);
    rg_host_opts ho = {c->timeout, c->max_memory, c->allow, c->nallow,
                       c->threads ? c->threads : par_default_threads(), !c->quiet && isatty(2)};
    int code = RG_EXIT_STUDY;
    rg_host *h = study_dir ? host_new(&doc, study_dir, &ho, &err, &code) : NULL;
    if (!h) {
        fprintf(stderr, "rglit: %s\n", err ? err : "out of memory");
        free(err);
        free(study_dir);
        doc_free(&doc);
        return code;
    }
    if (!render) {
        rc = host_check_syntax(h, &err);
        if (rc == RG_EXIT_OK)
            printf("%s: ok (%zu %s, %zu inline %s, %zu %s)\n", c->study, doc.nchunks,
                   plural(doc.nchunks, "chunk", "chunks"), doc.ninlines,
                   plural(doc.ninlines, "expression", "expressions"), doc.params->len,
                   plural(doc.params->len, "param", "params"));
        else
            print_error(&doc, err);
        free(err);
        host_free(h);
        free(study_dir);
        doc_free(&doc);
        return rc;
    }

    /* the output path, known before anything runs */
    char *def = NULL;
    const char *out = c->out;
    if (!out) {
        size_t n = strlen(c->study);
        def = malloc(n + 6);
        if (def) {
            memcpy(def, c->study, n + 1);
            if (n > 3 && strcmp(def + n - 3, ".md") == 0)
                def[n - 3] = '\0';
            strcat(def, ".html");
        }
        out = def;
    }
    rg_chunk_result *res = calloc(doc.nchunks ? doc.nchunks : 1, sizeof *res);
    char **inl = calloc(doc.ninlines ? doc.ninlines : 1, sizeof *inl);
    char *command = reproduce_command(&doc, c, study_dir);
    char date[64];
    int sd = source_date(date, sizeof date);
    if (sd < 0) {
        fprintf(stderr, "rglit: SOURCE_DATE_EPOCH must be a number of seconds since "
                        "1970, got '%s'\n", getenv("SOURCE_DATE_EPOCH"));
        rc = RG_EXIT_USAGE;
    } else if (!res || !inl || !command || !out) {
        fprintf(stderr, "rglit: out of memory\n");
        rc = RG_EXIT_STUDY;
    } else if (overwrites_input(out, c->study, study_dir, h)) {
        fprintf(stderr, "rglit: -o %s would overwrite the study; choose another file\n",
                out);
        rc = RG_EXIT_USAGE;
    }
    for (size_t i = 0; rc == RG_EXIT_OK && i < doc.nitems; i++) {
        const rg_item *it = &doc.items[i];
        if (it->kind == RG_ITEM_CHUNK) {
            const rg_chunk *ch = &doc.chunks[it->index];
            if (ch->opts.eval)
                rc = host_run_chunk(h, ch, &res[it->index], &err);
        } else {
            rc = host_eval_inline(h, &doc.inlines[it->index], &inl[it->index], &err);
        }
        if (rc != RG_EXIT_OK) {
            print_error(&doc, err ? err : "error");
            free(err);
        }
    }
    if (rc == RG_EXIT_OK) {
        rg_report_input ri = {&doc, res, inl, h, command, sd > 0 ? date : NULL};
        rg_buf html = {0};
        const char *clobbered = overwrites_input(out, c->study, study_dir, h);
        if (clobbered) {
            fprintf(stderr, "rglit: -o %s would overwrite %s; choose another file\n", out,
                    clobbered);
            rc = RG_EXIT_USAGE;
        } else if (report_render(&html, &ri, &err) != 0) {
            fprintf(stderr, "rglit: %s\n", err ? err : "out of memory");
            free(err);
            rc = RG_EXIT_STUDY;
        } else if (write_atomically(out, html.data, html.len) != 0) {
            fprintf(stderr, "rglit: cannot write '%s': %s\n", out, strerror(errno));
            rc = RG_EXIT_USAGE;
        } else if (!c->quiet && isatty(2)) {
            fprintf(stderr, "rglit: wrote %s (%zu chunks, %zu bytes)\n", out, doc.nchunks,
                    html.len);
        }
        buf_free(&html);
    }
    free(def);
    for (size_t i = 0; res && i < doc.nchunks; i++)
        host_result_free(&res[i]);
    for (size_t i = 0; inl && i < doc.ninlines; i++)
        free(inl[i]);
    free(res);
    free(inl);
    free(command);
    host_free(h);
    free(study_dir);
    doc_free(&doc);
    return rc;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    par_init();
    if (argc < 2)
        return usage_error("%s", "no command given");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return RG_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        char *v = report_versions();
        fputs(v ? v : "rglit\n", stdout);
        free(v);
        return RG_EXIT_OK;
    }
    if (strcmp(cmd, "render") != 0 && strcmp(cmd, "check") != 0)
        return usage_error("unknown command '%s' (render, check, --version, --help)", cmd);
    cli c = {.cmd = cmd};
    int rc = parse_args(argc, argv, &c);
    if (rc == RG_EXIT_OK)
        rc = run(&c);
    free(c.sets);
    free(c.allow);
    return rc;
}
