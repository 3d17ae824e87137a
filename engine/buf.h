/* engine/buf.h — growable byte buffers for building text and HTML.
 *
 * Out of memory sets buf->failed and turns later appends into no-ops, so
 * callers append freely and check once at the end. */
#ifndef RG_BUF_H
#define RG_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *data; /* NUL-terminated when len > 0 or after buf_cstr */
    size_t len;
    size_t cap;
    int failed;
} rg_buf;

void buf_put(rg_buf *b, const char *s, size_t n);
void buf_puts(rg_buf *b, const char *s);
void buf_putc(rg_buf *b, char c);
void buf_printf(rg_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(rg_buf *b, const char *fmt, va_list ap);
/* Append s[0..n) escaped for HTML text and attribute values (& < > " '). */
void buf_put_html(rg_buf *b, const char *s, size_t n);
void buf_puts_html(rg_buf *b, const char *s);

/* Append a data: URL of s[0..n) with media type `mime` ("image/svg+xml"),
 * percent-encoded (RFC 3986 unreserved characters and a few safe ones kept),
 * so that it can stand in an HTML attribute as it is. */
void buf_put_data_url(rg_buf *b, const char *mime, const char *s, size_t n);
/* Is s[0..n) valid UTF-8 (no overlong forms, surrogates or code points
 * above U+10FFFF)? Returns 1, or 0 with *bad (if not NULL) the offset of the
 * first byte of the bad sequence. */
int utf8_valid(const char *s, size_t n, size_t *bad);

/* The length of s[0..n) cut to at most max bytes without splitting a UTF-8
 * sequence. */
size_t utf8_cut(const char *s, size_t n, size_t max);

/* The contents as a C string (never NULL unless failed); borrowed. */
const char *buf_cstr(rg_buf *b);
/* Hand the storage to the caller (caller frees) and reset b. */
char *buf_take(rg_buf *b);
void buf_free(rg_buf *b);

#endif
