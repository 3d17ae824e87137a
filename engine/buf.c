/* engine/buf.c — growable byte buffers (buf.h). */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(rg_buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (extra > (size_t)-1 / 2 - b->len) {
        b->failed = 1;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) {
        b->failed = 1;
        return -1;
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

void buf_put(rg_buf *b, const char *s, size_t n)
{
    if (reserve(b, n) != 0)
        return;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(rg_buf *b, const char *s) { buf_put(b, s, strlen(s)); }

void buf_putc(rg_buf *b, char c) { buf_put(b, &c, 1); }

void buf_vprintf(rg_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || reserve(b, (size_t)n) != 0)
        return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(rg_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_put_html(rg_buf *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (rep) {
            buf_put(b, s + start, i - start);
            buf_puts(b, rep);
            start = i + 1;
        }
    }
    buf_put(b, s + start, n - start);
}

void buf_puts_html(rg_buf *b, const char *s) { buf_put_html(b, s, strlen(s)); }

int utf8_valid(const char *str, size_t n, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], min, cp;
        size_t len;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4, min = 0x10000;
        } else {
            goto no;
        }
        if (i + len > n)
            goto no;
        cp = c & (0x7Fu >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto no;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto no;
        i += len;
    }
    return 1;
no:
    if (bad)
        *bad = i;
    return 0;
}

size_t utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t k = max;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--; /* s[k] starts a sequence: keep what is before it */
    return k;
}

const char *buf_cstr(rg_buf *b)
{
    if (reserve(b, 0) != 0)
        return NULL;
    b->data[b->len] = '\0';
    return b->data;
}

char *buf_take(rg_buf *b)
{
    char *d = b->failed ? NULL : (char *)buf_cstr(b);
    if (!d)
        free(b->data);
    memset(b, 0, sizeof *b);
    return d;
}

void buf_free(rg_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void buf_put_data_url(rg_buf *b, const char *mime, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    buf_puts(b, "data:");
    buf_puts(b, mime);
    buf_puts(b, ";charset=utf-8,");
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   (c && strchr("-._~!$()*+,;=:@/?", c));
        if (keep)
            continue;
        buf_put(b, s + start, i - start);
        char e[3] = {'%', hex[c >> 4], hex[c & 15]};
        buf_put(b, e, 3);
        start = i + 1;
    }
    buf_put(b, s + start, n - start);
}
