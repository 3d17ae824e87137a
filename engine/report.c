/* engine/report.c — the HTML report (report.h): the document with chunk
 * outputs and inline values spliced into its AST, heading ids and a table of
 * contents, notes, the Reproducibility appendix and the JSON manifest, poured
 * into templates/report.html. */
#include "report.h"

#include <cJSON.h>
#include <cblas.h>
#include <gsl/gsl_version.h>
#include <lua.h>
#include <math.h>
#include <nettle/sha2.h>
#include <nettle/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "fmt.h"
#include "resources.h"
#include "table.h"

#ifndef RGLIT_VERSION
#define RGLIT_VERSION "0.0.0"
#endif
#ifndef RGLIT_COMMIT
#define RGLIT_COMMIT "unknown"
#endif
#ifndef RGLIT_PLATFORM
#define RGLIT_PLATFORM "unknown"
#endif

/* ---- versions ------------------------------------------------------------------ */

typedef struct {
    const char *name;
    char version[64];
} libver;

/* The libraries whose code computes or renders a report's content. */
static size_t library_versions(libver *v)
{
    size_t n = 0;
    snprintf(v[n].version, sizeof v[n].version, "%s", LUA_RELEASE + 4);
    v[n++].name = "Lua";
    snprintf(v[n].version, sizeof v[n].version, "%s", gsl_version);
    v[n++].name = "GSL";
    /* "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Haswell": the version only, since the
     * kernel chosen for this CPU would make reports differ between machines */
    char cfg[64] = "";
    const char *c = openblas_get_config();
    if (c && strncmp(c, "OpenBLAS ", 9) == 0)
        sscanf(c + 9, "%63s", cfg);
    snprintf(v[n].version, sizeof v[n].version, "%s", cfg[0] ? cfg : "unknown");
    v[n++].name = "OpenBLAS";
    snprintf(v[n].version, sizeof v[n].version, "%s", cmark_version_string());
    v[n++].name = "cmark";
    snprintf(v[n].version, sizeof v[n].version, "%s", yaml_get_version_string());
    v[n++].name = "libyaml";
    snprintf(v[n].version, sizeof v[n].version, "%s", cJSON_Version());
    v[n++].name = "cJSON";
    snprintf(v[n].version, sizeof v[n].version, "%d.%d", nettle_version_major(),
             nettle_version_minor());
    v[n++].name = "nettle";
    return n;
}

char *report_versions(void)
{
    libver v[16];
    size_t n = library_versions(v);
    rg_buf b = {0};
    buf_printf(&b, "rglit %s (commit %s, %s)\n", RGLIT_VERSION, RGLIT_COMMIT,
               RGLIT_PLATFORM);
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s %s\n", v[i].name, v[i].version);
    return buf_take(&b);
}

/* ---- small helpers ------------------------------------------------------------- */

static void sha256_hex(const void *data, size_t len, char out[65])
{
    uint8_t d[32];
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, len, data);
    sha256_digest(&c, sizeof d, d);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Replace node by a raw HTML node (block or inline) holding html. */
static int replace_with_html(cmark_node *node, const char *html, int block)
{
    cmark_node *h = cmark_node_new(block ? CMARK_NODE_HTML_BLOCK : CMARK_NODE_HTML_INLINE);
    if (!h || !cmark_node_set_literal(h, html) || !cmark_node_replace(node, h)) {
        if (h)
            cmark_node_free(h);
        return -1;
    }
    cmark_node_free(node);
    return 0;
}

/* A value tree as compact text for the appendix: scalars as the report shows
 * them, lists and maps as YAML flow. */
static void value_text(rg_buf *b, const rg_value *v, int digits)
{
    switch (v->type) {
    case RG_LIST:
        buf_putc(b, '[');
        for (size_t i = 0; i < v->len; i++) {
            if (i)
                buf_puts(b, ", ");
            value_text(b, v->items[i], digits);
        }
        buf_putc(b, ']');
        break;
    case RG_MAP:
        buf_putc(b, '{');
        for (size_t i = 0; i < v->len; i++) {
            buf_printf(b, "%s%s: ", i ? ", " : "", v->keys[i]);
            value_text(b, v->items[i], digits);
        }
        buf_putc(b, '}');
        break;
    case RG_NULL:
        buf_puts(b, "null");
        break;
    case RG_NUM:
        if (digits >= 17) {
            fmt_shortest(b, v->u.n);
            break;
        }
        table_cell_text(b, v, digits);
        break;
    default:
        table_cell_text(b, v, digits);
    }
}

/* ---- chunks ----------------------------------------------------------------------- */

/* The id of a chunk's <div>: its label, or "chunk-" + label when the label
 * names figures or tables ("fig-...", "tbl-..."), whose ids those are. */
static void chunk_anchor(rg_buf *b, const char *label)
{
    if (strncmp(label, "fig-", 4) == 0 || strncmp(label, "tbl-", 4) == 0)
        buf_puts(b, "chunk-");
    buf_puts(b, label);
}


/* The HTML of a chunk's output (what its hash in the manifest covers). */
static void chunk_output_html(rg_buf *b, const rg_chunk *c, const rg_chunk_result *r)
{
    if (c->opts.output != RG_OUTPUT_FALSE) {
        for (size_t i = 0; i < r->nout; i++) {
            const rg_out *o = &r->out[i];
            if (o->kind == RG_OUT_HTML) {
                buf_put(b, o->buf.data, o->buf.len);
            } else if (c->opts.output == RG_OUTPUT_ASIS) {
                /* printed Markdown, rendered without raw HTML */
                char *h = cmark_markdown_to_html(o->buf.data, o->buf.len, CMARK_OPT_DEFAULT);
                if (!h) {
                    b->failed = 1;
                    return;
                }
                buf_puts(b, h);
                free(h);
            } else {
                buf_puts(b, "<pre class=\"rg-output\">");
                buf_put_html(b, o->buf.data, o->buf.len);
                buf_puts(b, "</pre>\n");
            }
        }
    }
    if (r->error) {
        buf_puts(b, "<pre class=\"rg-error\">");
        buf_puts_html(b, r->error);
        buf_puts(b, "</pre>\n");
    }
}

static void chunk_html(rg_buf *b, const rg_doc *doc, const rg_chunk *c,
                       const rg_chunk_result *r, const char *out_html)
{
    rg_buf a = {0};
    chunk_anchor(&a, c->opts.label);
    buf_puts(b, "<div class=\"rg-chunk\" id=\"");
    buf_puts_html(b, buf_cstr(&a) ? a.data : "");
    buf_puts(b, "\">\n");
    if (a.failed)
        b->failed = 1;
    buf_free(&a);
    if (c->opts.echo) {
        size_t len;
        const char *code = doc_chunk_display(c, &len);
        buf_printf(b, "<details class=\"rg-code\"><summary>Code <span class=\"rg-label\">");
        buf_puts_html(b, c->opts.label);
        buf_printf(b, "</span> <span class=\"rg-where\">");
        buf_puts_html(b, doc->name);
        buf_printf(b, ":%d</span>%s</summary>\n<pre><code class=\"language-lua\">",
                   c->line, c->opts.eval ? "" : " <span class=\"rg-noeval\">not run (eval: false)</span>");
        buf_put_html(b, code, len);
        buf_puts(b, "</code></pre></details>\n");
    }
    if (r->ran)
        buf_puts(b, out_html);
    buf_puts(b, "</div>\n");
}

/* ---- headings and contents ------------------------------------------------------------ */

typedef struct {
    char **ids;
    size_t n;
} idset;

static int id_taken(const idset *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->ids[i], id) == 0)
            return 1;
    return 0;
}

static int id_add(idset *s, const char *id)
{
    char **ids = realloc(s->ids, (s->n + 1) * sizeof *ids);
    if (!ids)
        return -1;
    s->ids = ids;
    if (!(s->ids[s->n] = strdup(id)))
        return -1;
    s->n++;
    return 0;
}

static void idset_free(idset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->ids[i]);
    free(s->ids);
}

/* Text of rendered inline HTML: tags dropped, the five basic entities decoded. */
static void strip_tags(rg_buf *out, const char *html)
{
    static const char *const ent[][2] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
    int in_tag = 0;
    for (const char *p = html; *p; p++) {
        if (*p == '<')
            in_tag = 1;
        else if (*p == '>' && in_tag)
            in_tag = 0;
        else if (!in_tag && *p == '&') {
            size_t k;
            for (k = 0; k < 5; k++)
                if (strncmp(p, ent[k][0], strlen(ent[k][0])) == 0)
                    break;
            if (k < 5) {
                buf_puts(out, ent[k][1]);
                p += strlen(ent[k][0]) - 1;
            } else {
                buf_putc(out, '&');
            }
        } else if (!in_tag && *p != '\n')
            buf_putc(out, *p);
    }
}

/* GitHub-like slug: lower-case letters and digits kept (and other UTF-8 bytes),
 * runs of anything else become one '-'. */
static void slugify(rg_buf *out, const char *text)
{
    int dash = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            if (dash && out->len)
                buf_putc(out, '-');
            dash = 0;
            buf_putc(out, (char)c);
        } else if (c >= 'A' && c <= 'Z') {
            if (dash && out->len)
                buf_putc(out, '-');
            dash = 0;
            buf_putc(out, (char)(c - 'A' + 'a'));
        } else if (c == '_' || c == '-') {
            if (dash && out->len)
                buf_putc(out, '-');
            dash = 0;
            buf_putc(out, (char)c);
        } else {
            dash = 1;
        }
    }
    if (!out->len)
        buf_puts(out, "section");
}

/* Give every heading an id and collect the contents; the report's own
 * sections (Notes when there are any, Reproducibility) close the list. */
static int headings(cmark_node *root, idset *ids, rg_buf *toc, int has_notes)
{
    cmark_node **hs = NULL;
    size_t nh = 0;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    int rc = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING) {
            cmark_node **t = realloc(hs, (nh + 1) * sizeof *t);
            if (!t) {
                rc = -1;
                break;
            }
            hs = t;
            hs[nh++] = n;
        }
    }
    cmark_iter_free(it);
    int top = 0, depth = 0, first = 1;
    for (size_t i = 0; rc == 0 && i < nh; i++) {
        int level = cmark_node_get_heading_level(hs[i]);
        char *html = cmark_render_html(hs[i], CMARK_OPT_UNSAFE);
        if (!html) {
            rc = -1;
            break;
        }
        /* inner HTML: between "<hN>" and "</hN>\n" */
        char *inner = html + 4;
        size_t ilen = strlen(inner);
        if (ilen >= 6)
            inner[ilen - 6] = '\0';
        rg_buf text = {0}, slug = {0}, h = {0};
        strip_tags(&text, inner);
        slugify(&slug, buf_cstr(&text) ? text.data : "");
        const char *base = buf_cstr(&slug);
        rg_buf id = {0};
        buf_puts(&id, base ? base : "section");
        for (int k = 1; id_taken(ids, buf_cstr(&id)); k++) {
            id.len = 0;
            buf_printf(&id, "%s-%d", base, k);
        }
        if (id.failed || id_add(ids, id.data) != 0)
            rc = -1;
        buf_printf(&h, "<h%d id=\"%s\">%s</h%d>\n", level, id.data ? id.data : "",
                   inner, level);
        if (level <= 3) {
            /* nested lists: each <li> stays open until the next entry, a
             * deeper heading opens a list inside it */
            if (first) {
                buf_puts(toc, "<ul>\n<li>");
                top = level;
                depth = 0;
                first = 0;
            } else {
                int want = level > top ? level - top : 0;
                if (want > depth) {
                    while (depth < want) {
                        buf_puts(toc, "\n<ul>\n<li>");
                        depth++;
                    }
                } else {
                    while (depth > want) {
                        buf_puts(toc, "</li>\n</ul>");
                        depth--;
                    }
                    buf_puts(toc, "</li>\n<li>");
                }
            }
            buf_printf(toc, "<a href=\"#%s\">", id.data ? id.data : "");
            buf_puts_html(toc, text.data ? text.data : "");
            buf_puts(toc, "</a>");
        }
        if (rc == 0 && (h.failed || replace_with_html(hs[i], h.data, 1) != 0))
            rc = -1;
        buf_free(&text);
        buf_free(&slug);
        buf_free(&id);
        buf_free(&h);
        free(html);
    }
    if (first)
        buf_puts(toc, "<ul>\n");
    else {
        for (; depth > 0; depth--)
            buf_puts(toc, "</li>\n</ul>");
        buf_puts(toc, "</li>\n");
    }
    if (has_notes)
        buf_puts(toc, "<li><a href=\"#notes\">Notes</a></li>\n");
    buf_puts(toc, "<li><a href=\"#reproducibility\">Reproducibility</a></li>\n</ul>\n");
    free(hs);
    return rc;
}

/* ---- the document ------------------------------------------------------------------------- */

/* Notes the report itself adds (omitted HTML, ignored options), shaped as
 * the run's notes. */
typedef struct {
    rg_note *v;
    size_t n;
} notes;

static void add_report_note(notes *ns, const char *file, int line, const char *text)
{
    rg_buf b = {0};
    buf_printf(&b, "%s:%d", file, line);
    char *where = buf_take(&b);
    if (where && ns->n && strcmp(ns->v[ns->n - 1].where, where) == 0 &&
        strcmp(ns->v[ns->n - 1].text, text) == 0) {
        free(where); /* the same note for the same line once */
        return;
    }
    char *t = strdup(text);
    rg_note *v = where && t ? realloc(ns->v, (ns->n + 1) * sizeof *v) : NULL;
    if (!v) {
        free(where);
        free(t);
        return;
    }
    ns->v = v;
    ns->v[ns->n].where = where;
    ns->v[ns->n].text = t;
    ns->v[ns->n].chunk = NULL;
    ns->n++;
}

static void notes_free(notes *ns)
{
    for (size_t i = 0; i < ns->n; i++) {
        free(ns->v[i].where);
        free(ns->v[i].text);
    }
    free(ns->v);
}

/* Notes as <li> items (the report's own first, then the run's), linked to
 * the chunk that raised them. */
static void notes_items(rg_buf *b, const rg_note *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, "<li>");
        if (v[i].chunk) {
            rg_buf a = {0};
            chunk_anchor(&a, v[i].chunk);
            buf_puts(b, "<a class=\"rg-where\" href=\"#");
            buf_puts_html(b, buf_cstr(&a) ? a.data : "");
            buf_puts(b, "\">");
            if (a.failed)
                b->failed = 1;
            buf_free(&a);
        } else {
            buf_puts(b, "<span class=\"rg-where\">");
        }
        buf_puts_html(b, v[i].where);
        buf_puts(b, v[i].chunk ? "</a>: " : "</span>: ");
        buf_puts_html(b, v[i].text);
        buf_puts(b, "</li>\n");
    }
}

/* Author raw HTML is not passed through: a report holds only markup rglit
 * generates (no scripts, no external resources). Images that would be
 * fetched are replaced by their alt text. */
static int neutralise_raw_html(cmark_node *root, const rg_doc *doc, notes *ns)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    int rc = 0;
    cmark_node **images = NULL;
    size_t nimages = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) {
            if (!cmark_node_set_literal(n, "<!-- raw HTML omitted -->"))
                rc = -1;
            int line = cmark_node_get_start_line(n);
            if (!line && cmark_node_parent(n))
                line = cmark_node_get_start_line(cmark_node_parent(n));
            add_report_note(ns, doc->name, line,
                            "raw HTML in the study is not copied into the report");
        } else if (t == CMARK_NODE_IMAGE) {
            const char *url = cmark_node_get_url(n);
            if (url && strncmp(url, "data:", 5) != 0) {
                /* an image would be fetched: its alt text stands in (after
                 * the walk: the tree must not change under the iterator) */
                cmark_node **grown = realloc(images, (nimages + 1) * sizeof *grown);
                if (!grown) {
                    rc = -1;
                    break;
                }
                images = grown;
                images[nimages++] = n;
                add_report_note(ns, doc->name, cmark_node_get_start_line(n),
                                "images are not fetched into the report; use a figure "
                                "from a chunk or a data: URL");
            }
        }
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < nimages; i++) {
        cmark_node *img = images[i], *c;
        while ((c = cmark_node_first_child(img)) != NULL)
            if (!cmark_node_insert_before(img, c)) { /* moves c out of img */
                rc = -1;
                break;
            }
        cmark_node_free(img);
    }
    free(images);
    return rc;
}

/* ---- cross-references ------------------------------------------------------------------- */

/* The length of the reference at s ("@fig-km" or "@tbl-cox-2": '@', the
 * prefix, then letters, digits, '_' and '-', not ending in '-'), or 0. */
static size_t ref_len(const char *s)
{
    if (s[0] != '@' || (strncmp(s + 1, "fig-", 4) != 0 && strncmp(s + 1, "tbl-", 4) != 0))
        return 0;
    size_t n = 5;
    while (s[n] == '_' || s[n] == '-' || (s[n] >= 'a' && s[n] <= 'z') ||
           (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9'))
        n++;
    while (n > 5 && s[n - 1] == '-')
        n--;
    return n > 5 ? n : 0;
}

static const rg_xref *find_xref(const rg_xref *x, size_t nx, const char *id, size_t len)
{
    for (size_t i = 0; i < nx; i++)
        if (strlen(x[i].id) == len && strncmp(x[i].id, id, len) == 0)
            return &x[i];
    return NULL;
}

static int inside_link(cmark_node *n)
{
    for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p))
        if (cmark_node_get_type(p) == CMARK_NODE_LINK)
            return 1;
    return 0;
}

/* Put node (new, of type t, with literal text[0..len)) before `before`. */
static int insert_piece(cmark_node *before, cmark_node_type t, const char *text, size_t len)
{
    if (!len)
        return 0;
    char *lit = malloc(len + 1);
    cmark_node *n = lit ? cmark_node_new(t) : NULL;
    int ok = 0;
    if (n) {
        memcpy(lit, text, len);
        lit[len] = '\0';
        ok = cmark_node_set_literal(n, lit) && cmark_node_insert_before(before, n);
    }
    free(lit);
    if (!ok && n)
        cmark_node_free(n);
    return ok ? 0 : -1;
}

/* "@fig-LABEL" and "@tbl-LABEL" in the prose become links "Figure N" and
 * "Table N" to the figure or table of that id; an unknown one stays as
 * written, with a note. */
static int cross_references(const rg_doc *doc, const rg_xref *xr, size_t nx, notes *ns)
{
    cmark_node **texts = NULL;
    size_t nt = 0;
    int rc = 0;
    cmark_iter *it = cmark_iter_new(doc->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        const char *lit;
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_TEXT ||
            !(lit = cmark_node_get_literal(n)) ||
            (!strstr(lit, "@fig-") && !strstr(lit, "@tbl-")) || inside_link(n))
            continue;
        cmark_node **grown = realloc(texts, (nt + 1) * sizeof *grown);
        if (!grown) {
            rc = -1;
            break;
        }
        texts = grown;
        texts[nt++] = n;
    }
    cmark_iter_free(it);
    rg_buf link = {0};
    for (size_t k = 0; rc == 0 && k < nt; k++) {
        cmark_node *n = texts[k];
        const char *lit = cmark_node_get_literal(n);
        int line = cmark_node_get_start_line(cmark_node_parent(n));
        size_t from = 0, i = 0, len = strlen(lit);
        int changed = 0;
        while (rc == 0 && i < len) {
            size_t r = ref_len(lit + i);
            if (!r) {
                i++;
                continue;
            }
            const rg_xref *x = find_xref(xr, nx, lit + i + 1, r - 1);
            if (!x) {
                rg_buf msg = {0};
                buf_printf(&msg, "%.*s refers to no figure or table (ids come from chunk "
                                 "labels: fig-LABEL, tbl-LABEL)",
                           (int)r, lit + i);
                add_report_note(ns, doc->name, line, buf_cstr(&msg) ? msg.data : "");
                buf_free(&msg);
                i += r;
                continue;
            }
            link.len = 0;
            buf_printf(&link, "<a class=\"rg-xref\" href=\"#%s\">%s %d</a>", x->id,
                       x->kind == 'f' ? "Figure" : "Table", x->number);
            if (link.failed || insert_piece(n, CMARK_NODE_TEXT, lit + from, i - from) != 0 ||
                insert_piece(n, CMARK_NODE_HTML_INLINE, link.data, link.len) != 0)
                rc = -1;
            i += r;
            from = i;
            changed = 1;
        }
        if (rc == 0 && changed) {
            if (insert_piece(n, CMARK_NODE_TEXT, lit + from, len - from) != 0)
                rc = -1;
            else
                cmark_node_free(n); /* unlinks it */
        }
    }
    buf_free(&link);
    free(texts);
    return rc;
}

/* ---- the appendix ------------------------------------------------------------------------------ */

static void kv_row(rg_buf *b, const char *k, const char *v)
{
    buf_puts(b, "<tr><th>");
    buf_puts_html(b, k);
    buf_puts(b, "</th><td>");
    buf_puts_html(b, v);
    buf_puts(b, "</td></tr>\n");
}

static void appendix(rg_buf *b, const rg_report_input *in, const char *study_sha)
{
    const rg_doc *doc = in->doc;
    libver v[16];
    size_t nv = library_versions(v);
    rg_buf t = {0};
    buf_puts(b, "<section class=\"rg-appendix\" id=\"reproducibility\">\n"
                "<h2>Reproducibility</h2>\n<table class=\"rg-kv\">\n");
    buf_printf(&t, "rglit %s (commit %s)", RGLIT_VERSION, RGLIT_COMMIT);
    kv_row(b, "Engine", t.data);
    t.len = 0;
    for (size_t i = 0; i < nv; i++)
        buf_printf(&t, "%s%s %s", i ? ", " : "", v[i].name, v[i].version);
    kv_row(b, "Libraries", t.data);
    kv_row(b, "Platform", RGLIT_PLATFORM);
    t.len = 0;
    buf_printf(&t, "%s (%zu bytes, SHA-256 %s)", doc->name, doc->bytes, study_sha);
    kv_row(b, "Study", t.data);
    t.len = 0;
    buf_printf(&t, "%llu%s", (unsigned long long)doc->seed,
               doc->seed_overridden ? " (set with --seed)" : "");
    kv_row(b, "Seed", t.data);
    if (in->render_date)
        kv_row(b, "Rendered", in->render_date);
    kv_row(b, "Command", in->command);
    buf_puts(b, "</table>\n");

    buf_puts(b, "<h3 id=\"params\">Parameters</h3>\n");
    if (doc->params->len == 0) {
        buf_puts(b, "<p>The study has no parameters.</p>\n");
    } else {
        buf_puts(b, "<div class=\"rg-table\"><table>\n<thead><tr><th>name</th><th>value"
                    "</th><th>set by</th></tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < doc->params->len; i++) {
            int over = 0;
            for (size_t k = 0; k < doc->overridden->len; k++)
                over |= strcmp(doc->overridden->items[k]->u.s, doc->params->keys[i]) == 0;
            t.len = 0;
            value_text(&t, doc->params->items[i], 17);
            buf_puts(b, over ? "<tr class=\"rg-overridden\"><td>" : "<tr><td>");
            buf_puts_html(b, doc->params->keys[i]);
            buf_puts(b, "</td><td>");
            buf_puts_html(b, t.data ? t.data : "");
            buf_printf(b, "</td><td>%s</td></tr>\n", over ? "-P (command line)" : "front matter");
        }
        buf_puts(b, "</tbody></table></div>\n");
    }

    size_t nin;
    const rg_input *ins = host_inputs(in->host, &nin);
    buf_puts(b, "<h3 id=\"inputs\">Input files</h3>\n");
    if (nin == 0) {
        buf_puts(b, "<p>The study read no files.</p>\n");
    } else {
        buf_puts(b, "<div class=\"rg-table\"><table>\n<thead><tr><th>path</th><th>kind</th>"
                    "<th class=\"num\">bytes</th><th>rows &times; columns</th>"
                    "<th>SHA-256</th></tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < nin; i++) {
            buf_puts(b, "<tr><td>");
            buf_puts_html(b, ins[i].path);
            buf_printf(b, "</td><td>%s</td><td class=\"num\">%zu</td><td>", ins[i].kind,
                       ins[i].bytes);
            if (ins[i].rows >= 0)
                buf_printf(b, "%ld &times; %ld", ins[i].rows, ins[i].cols);
            buf_printf(b, "</td><td><code>%s</code></td></tr>\n", ins[i].sha256);
        }
        buf_puts(b, "</tbody></table></div>\n");
        for (size_t i = 0; i < nin; i++) {
            if (!ins[i].source)
                continue;
            buf_puts(b, "<details class=\"rg-code\"><summary>Module ");
            buf_puts_html(b, ins[i].path);
            buf_puts(b, "</summary>\n<pre><code class=\"language-lua\">");
            buf_puts_html(b, ins[i].source);
            buf_puts(b, "</code></pre></details>\n");
        }
    }

    const rg_value *rec = host_records(in->host);
    buf_puts(b, "<h3 id=\"records\">Recorded results</h3>\n");
    if (rec->len == 0) {
        buf_puts(b, "<p>The study recorded no results (<code>rg.record</code>).</p>\n");
    } else {
        buf_puts(b, "<p>Full precision in the manifest; compared by "
                    "<code>rglit verify</code>.</p>\n<div class=\"rg-table\"><table>\n"
                    "<thead><tr><th>name</th><th>value</th></tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < rec->len; i++) {
            t.len = 0;
            value_text(&t, rec->items[i], RG_FMT_DIGITS_VALUE);
            if (t.len > 300) {
                t.len = 297;
                buf_puts(&t, "...");
            }
            buf_puts(b, "<tr><td>");
            buf_puts_html(b, rec->keys[i]);
            buf_puts(b, "</td><td>");
            buf_puts_html(b, t.data ? t.data : "");
            buf_puts(b, "</td></tr>\n");
        }
        buf_puts(b, "</tbody></table></div>\n");
    }
    buf_puts(b, "</section>\n");
    if (t.failed)
        b->failed = 1;
    buf_free(&t);
}

/* ---- the manifest --------------------------------------------------------------------------- */

/* Numbers are written raw: cJSON's own printing goes through a double
 * (losing integers above 2^53) and accepts 15 digits when they read back
 * within a tolerance (0.1 + 0.2 would come out as 0.3). */
static cJSON *json_number(double x, int64_t i, int is_int)
{
    char s[40];
    if (is_int) {
        snprintf(s, sizeof s, "%lld", (long long)i);
    } else {
        rg_buf b = {0};
        fmt_shortest(&b, x);
        snprintf(s, sizeof s, "%s", b.data ? b.data : "null");
        buf_free(&b);
    }
    return cJSON_CreateRaw(s);
}

static cJSON *json_of(const rg_value *v)
{
    cJSON *j = NULL;
    switch (v->type) {
    case RG_NULL:
        return cJSON_CreateNull();
    case RG_BOOL:
        return cJSON_CreateBool(v->u.b);
    case RG_INT:
        return json_number(0, v->u.i, 1);
    case RG_NUM:
        if (isnan(v->u.n))
            return cJSON_CreateString("NaN");
        if (isinf(v->u.n))
            return cJSON_CreateString(v->u.n > 0 ? "Infinity" : "-Infinity");
        return json_number(v->u.n, 0, 0);
    case RG_STR:
        return cJSON_CreateString(v->u.s);
    case RG_LIST:
        j = cJSON_CreateArray();
        for (size_t i = 0; j && i < v->len; i++)
            cJSON_AddItemToArray(j, json_of(v->items[i]));
        return j;
    case RG_MAP:
        j = cJSON_CreateObject();
        for (size_t i = 0; j && i < v->len; i++)
            cJSON_AddItemToObject(j, v->keys[i], json_of(v->items[i]));
        return j;
    }
    return NULL;
}

static void json_notes(cJSON *arr, const rg_note *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "where", v[i].where);
        cJSON_AddStringToObject(o, "text", v[i].text);
        cJSON_AddItemToArray(arr, o);
    }
}

static char *manifest(const rg_report_input *in, const char *study_sha,
                      char (*out_sha)[65], const notes *report_notes)
{
    const rg_doc *doc = in->doc;
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "rglit_manifest", 1);
    cJSON *e = cJSON_AddObjectToObject(m, "engine");
    cJSON_AddStringToObject(e, "name", "rglit");
    cJSON_AddStringToObject(e, "version", RGLIT_VERSION);
    cJSON_AddStringToObject(e, "commit", RGLIT_COMMIT);
    cJSON_AddStringToObject(e, "platform", RGLIT_PLATFORM);
    cJSON *libs = cJSON_AddObjectToObject(m, "libraries");
    libver v[16];
    size_t nv = library_versions(v);
    for (size_t i = 0; i < nv; i++)
        cJSON_AddStringToObject(libs, v[i].name, v[i].version);
    cJSON *s = cJSON_AddObjectToObject(m, "study");
    cJSON_AddStringToObject(s, "file", doc->name);
    cJSON_AddItemToObject(s, "bytes", json_number(0, (int64_t)doc->bytes, 1));
    cJSON_AddStringToObject(s, "sha256", study_sha);
    if (doc->title)
        cJSON_AddStringToObject(s, "title", doc->title);
    if (doc->date)
        cJSON_AddStringToObject(s, "date", doc->date);
    cJSON_AddItemToObject(m, "seed", json_number(0, (int64_t)doc->seed, 1));
    cJSON_AddBoolToObject(m, "seed_overridden", doc->seed_overridden);
    cJSON_AddItemToObject(m, "params", json_of(doc->params));
    cJSON_AddItemToObject(m, "overridden", json_of(doc->overridden));
    cJSON_AddStringToObject(m, "command", in->command);
    if (in->render_date)
        cJSON_AddStringToObject(m, "rendered", in->render_date);
    size_t nin;
    const rg_input *ins = host_inputs(in->host, &nin);
    cJSON *ia = cJSON_AddArrayToObject(m, "inputs");
    for (size_t i = 0; i < nin; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", ins[i].path);
        cJSON_AddStringToObject(o, "kind", ins[i].kind);
        cJSON_AddItemToObject(o, "bytes", json_number(0, (int64_t)ins[i].bytes, 1));
        if (ins[i].rows >= 0) {
            cJSON_AddNumberToObject(o, "rows", (double)ins[i].rows);
            cJSON_AddNumberToObject(o, "cols", (double)ins[i].cols);
        }
        cJSON_AddStringToObject(o, "sha256", ins[i].sha256);
        cJSON_AddItemToArray(ia, o);
    }
    cJSON_AddItemToObject(m, "records", json_of(host_records(in->host)));
    cJSON *ca = cJSON_AddArrayToObject(m, "chunks");
    for (size_t i = 0; i < doc->nchunks; i++) {
        const rg_chunk *c = &doc->chunks[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "label", c->opts.label);
        cJSON_AddNumberToObject(o, "line", c->line);
        cJSON_AddBoolToObject(o, "ran", in->results[i].ran);
        if (in->results[i].ran)
            cJSON_AddStringToObject(o, "output_sha256", out_sha[i]);
        else
            cJSON_AddNullToObject(o, "output_sha256");
        if (in->results[i].error)
            cJSON_AddStringToObject(o, "error", in->results[i].error);
        cJSON_AddItemToArray(ca, o);
    }
    size_t nn;
    const rg_note *ns = host_notes(in->host, &nn);
    cJSON *na = cJSON_AddArrayToObject(m, "notes");
    json_notes(na, report_notes->v, report_notes->n);
    json_notes(na, ns, nn);
    char *txt = cJSON_Print(m);
    cJSON_Delete(m);
    if (!txt)
        return NULL;
    /* inside <script>, "</script" must not appear: '<' as \u003c */
    rg_buf b = {0};
    for (const char *p = txt; *p; p++) {
        if (*p == '<')
            buf_puts(&b, "\\u003c");
        else
            buf_putc(&b, *p);
    }
    cJSON_free(txt);
    return buf_take(&b);
}

/* ---- assembling ------------------------------------------------------------------------------ */

static int fill_template(rg_buf *out, const char *tpl, const char *const *names,
                         const char *const *values, size_t n, char **err)
{
    const char *p = tpl;
    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            buf_puts(out, p);
            break;
        }
        buf_put(out, p, (size_t)(open - p));
        const char *close = strstr(open, "}}");
        if (!close) {
            *err = strdup("templates/report.html: '{{' without '}}'");
            return -1;
        }
        size_t k;
        for (k = 0; k < n; k++)
            if (strlen(names[k]) == (size_t)(close - open - 2) &&
                strncmp(open + 2, names[k], (size_t)(close - open - 2)) == 0)
                break;
        if (k == n) {
            rg_buf e = {0};
            buf_printf(&e, "templates/report.html: unknown placeholder {{%.*s}}",
                       (int)(close - open - 2), open + 2);
            *err = buf_take(&e);
            return -1;
        }
        buf_puts(out, values[k]);
        p = close + 2;
    }
    return 0;
}

int report_render(rg_buf *out, const rg_report_input *in, char **err)
{
    rg_doc *doc = in->doc;
    notes ns = {0};
    idset ids = {0};
    rg_buf toc = {0}, header = {0}, notes_html = {0}, app = {0}, tmp = {0};
    char (*out_sha)[65] = calloc(doc->nchunks ? doc->nchunks : 1, sizeof *out_sha);
    char *html = NULL, *man = NULL;
    char study_sha[65];
    int rc = -1;
    *err = NULL;
    if (!out_sha)
        goto done;
    for (int i = 0; i < 32; i++)
        snprintf(study_sha + 2 * i, 3, "%02x", doc->sha256[i]);

    if (neutralise_raw_html(doc->root, doc, &ns) != 0)
        goto done;
    for (size_t i = 0; i < doc->nchunks; i++) {
        const rg_chunk *c = &doc->chunks[i];
        tmp.len = 0;
        chunk_anchor(&tmp, c->opts.label);
        if (tmp.failed || id_add(&ids, tmp.data) != 0)
            goto done;
        if (c->opts.cache)
            add_report_note(&ns, doc->name, c->line,
                            "cache: true has no effect yet: the chunk ran");
    }
    static const char *const fixed[] = {"contents", "notes", "reproducibility", "params",
                                        "inputs", "records", "rglit-manifest", NULL};
    for (const char *const *f = fixed; *f; f++)
        if (id_add(&ids, *f) != 0)
            goto done;

    for (size_t i = 0; i < doc->nchunks; i++) {
        const rg_chunk *c = &doc->chunks[i];
        rg_buf o = {0}, ch = {0};
        chunk_output_html(&o, c, &in->results[i]);
        sha256_hex(o.data ? o.data : "", o.len, out_sha[i]);
        chunk_html(&ch, doc, c, &in->results[i], o.data ? o.data : "");
        int bad = o.failed || ch.failed ||
                  replace_with_html(c->node, ch.data, 1) != 0;
        buf_free(&o);
        buf_free(&ch);
        if (bad)
            goto done;
    }
    for (size_t i = 0; i < doc->ninlines; i++) {
        tmp.len = 0;
        buf_puts(&tmp, "<span class=\"rg-inline\">");
        buf_puts_html(&tmp, in->inline_text[i] ? in->inline_text[i] : "");
        buf_puts(&tmp, "</span>");
        if (tmp.failed || replace_with_html(doc->inlines[i].node, tmp.data, 0) != 0)
            goto done;
    }
    size_t nx;
    const rg_xref *xr = host_xrefs(in->host, &nx);
    for (size_t i = 0; i < nx; i++)
        if (id_add(&ids, xr[i].id) != 0)
            goto done;
    if (cross_references(doc, xr, nx, &ns) != 0)
        goto done;
    size_t nn;
    const rg_note *hn = host_notes(in->host, &nn);
    if (headings(doc->root, &ids, &toc, nn || ns.n) != 0)
        goto done;

    html = cmark_render_html(doc->root, CMARK_OPT_UNSAFE);
    if (!html)
        goto done;

    if (doc->title || doc->author || doc->date) {
        buf_puts(&header, "<header class=\"rg-title\">\n");
        if (doc->title) {
            buf_puts(&header, "<h1 class=\"title\">");
            buf_puts_html(&header, doc->title);
            buf_puts(&header, "</h1>\n");
        }
        if (doc->author) {
            buf_puts(&header, "<p class=\"author\">");
            buf_puts_html(&header, doc->author);
            buf_puts(&header, "</p>\n");
        }
        if (doc->date) {
            buf_puts(&header, "<p class=\"date\">");
            buf_puts_html(&header, doc->date);
            buf_puts(&header, "</p>\n");
        }
        buf_puts(&header, "</header>\n");
    }
    if (toc.len) {
        rg_buf t = {0};
        buf_puts(&t, "<nav class=\"rg-toc\" id=\"contents\">\n<h2>Contents</h2>\n");
        buf_put(&t, toc.data, toc.len);
        buf_puts(&t, "</nav>\n");
        buf_free(&toc);
        toc = t;
    }

    if (nn || ns.n) {
        buf_puts(&notes_html, "<section class=\"rg-notes\" id=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
        notes_items(&notes_html, ns.v, ns.n);
        notes_items(&notes_html, hn, nn);
        buf_puts(&notes_html, "</ul>\n</section>\n");
    }
    appendix(&app, in, study_sha);
    man = manifest(in, study_sha, out_sha, &ns);
    if (!man)
        goto done;

    const rg_resource *tpl = resource_find("templates/report.html");
    const rg_resource *css = resource_find("templates/report.css");
    const rg_resource *plotcss = resource_find("templates/plot.css");
    if (!tpl || !css || !plotcss) {
        *err = strdup("the report template is missing from this build");
        goto done;
    }
    rg_buf title = {0}, gen = {0};
    buf_puts_html(&title, doc->title ? doc->title : doc->name);
    buf_printf(&gen, "rglit %s", RGLIT_VERSION);
    const char *names[] = {"title", "generator", "css",      "plotcss", "header",
                           "toc",   "body",      "notes",    "appendix", "manifest"};
    const char *values[] = {buf_cstr(&title) ? title.data : "",
                            buf_cstr(&gen) ? gen.data : "",
                            (const char *)css->data,
                            (const char *)plotcss->data,
                            buf_cstr(&header) ? header.data : "",
                            buf_cstr(&toc) ? toc.data : "",
                            html,
                            buf_cstr(&notes_html) ? notes_html.data : "",
                            buf_cstr(&app) ? app.data : "",
                            man};
    int bad = title.failed || gen.failed || header.failed || toc.failed ||
              notes_html.failed || app.failed;
    if (!bad)
        bad = fill_template(out, (const char *)tpl->data, names, values, 10, err) != 0;
    buf_free(&title);
    buf_free(&gen);
    if (!bad && !out->failed)
        rc = 0;
done:
    if (rc != 0 && !*err)
        *err = strdup("out of memory while writing the report");
    notes_free(&ns);
    idset_free(&ids);
    buf_free(&toc);
    buf_free(&header);
    buf_free(&notes_html);
    buf_free(&app);
    buf_free(&tmp);
    free(out_sha);
    free(html);
    free(man);
    return rc;
}
