/* fuzz_snippet.c — a random query and a random text: the query is parsed
 * and built as for a search (what to highlight), then the best passage of
 * the text is cut and highlighted, in a language picked by the input.
 * Input: byte 0 language, byte 1 length; query up to the first newline;
 * the rest is the text. Spans must lie inside the snippet, in order. */
#include "fuzz_common.h"
#include "fuzz.h"

#include "analyzer.h"
#include "config.h"
#include "query_build.h"
#include "query_parse.h"
#include "snippet.h"
#include "xapian_shim.h"

static qa_analyzer *an;
static snippeter *sn;
static qx_db *db;
static qconfig cfg;

static void setup(void)
{
    char err[256];
    qx_err e;
    qconfig_defaults(&cfg);
    if (!(an = qa_new(0, "en", err, sizeof err)) || !(sn = snippeter_new(an)) ||
        !(db = qx_db_open_read(fuzz_index(), &e)))
        abort();
}

static void check_spans(const char *text, const quire_span *sp, size_t n)
{
    size_t len = strlen(text), prev = 0;
    for (size_t i = 0; i < n; i++) {
        if (sp[i].start > sp[i].end || sp[i].end > len || sp[i].start < prev)
            abort();
        prev = sp[i].end;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!an)
        setup();
    if (size < 2)
        return 0;
    const char *lang = fuzz_lang(data[0]);
    size_t chars = 10 + data[1];
    char *in = fuzz_cstr(data + 2, size - 2);
    char *nl = memchr(in, '\n', size - 2);
    const char *body = nl ? nl + 1 : "";
    size_t body_len = nl ? size - 2 - (size_t)(nl + 1 - in) : 0;
    if (nl)
        *nl = '\0';
    qparse_limits lim = {4096, 50, 500};
    qparse_error perr;
    qnode *tree = qparse(in, &lim, &perr);
    if (tree) {
        const char *langs[2] = {"en", lang ? lang : "en"};
        qbuild_ctx ctx = {db, an, &cfg, langs, 2, QUIRE_OP_OR, 100, 1, NULL};
        qbuild qb;
        if (qbuild_run(&ctx, tree, &qb, &perr) == QUIRE_OK) {
            snippet s;
            if (snippet_make(sn, body, body_len, lang, qb.hl, qb.nhl, data[1] & 1, chars, &s) == 0) {
                check_spans(s.text, s.spans, s.nspans);
                snippet_free(&s);
            }
            quire_span *ts;
            size_t nts;
            if (snippet_title_spans(sn, body, lang, qb.hl, qb.nhl, 0, &ts, &nts) == 0) {
                check_spans(body, ts, nts);
                free(ts);
            }
            qbuild_free(&qb);
        }
        qnode_free(tree);
    }
    free(in);
    return 0;
}
