/* engine/report.h — assembling the HTML report from a run.
 *
 * Takes the document's AST with the run's results (chunk outputs, inline
 * values, records, notes, inputs) and writes one self-contained HTML file
 * from templates/report.html and templates/report.css (embedded): title
 * block, table of contents, the document, notes, the "Reproducibility"
 * appendix and the JSON manifest. Everything written is a function of the
 * inputs: no time (unless given), no absolute paths, no environment. */
#ifndef RG_REPORT_H
#define RG_REPORT_H

#include "buf.h"
#include "doc.h"
#include "host.h"

typedef struct {
    rg_doc *doc;                  /* its AST is rewritten in place */
    const rg_chunk_result *results; /* doc->nchunks entries */
    char *const *inline_text;     /* doc->ninlines entries (plain text) */
    const rg_host *host;          /* records, notes, inputs */
    const char *command;          /* the command line that reproduces it */
    const char *render_date;      /* from SOURCE_DATE_EPOCH, or NULL */
} rg_report_input;

/* Append the report to out. Returns 0, or -1 with *err set (caller frees). */
int report_render(rg_buf *out, const rg_report_input *in, char **err);

/* Engine and library versions, one "name version" line each, as written in
 * reports (for --version). Caller frees. */
char *report_versions(void);

#endif
