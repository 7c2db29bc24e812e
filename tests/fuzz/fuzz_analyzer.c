/* fuzz_analyzer.c — arbitrary bytes as text for the analyzer, in every
 * language and with and without accent folding: token spans must stay
 * inside the text, in order, with sane positions and terms. */
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "fuzz.h"

static qa_analyzer *an[2];
static qa_tokens toks;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    if (!an[0]) {
        an[0] = qa_new(0, "en", err, sizeof err);
        an[1] = qa_new(1, "en", err, sizeof err);
        if (!an[0] || !an[1])
            abort();
    }
    if (size < 2)
        return 0;
    const char *lang = fuzz_lang(data[0]);
    qa_analyzer *a = an[data[1] & 1];
    const char *text = (const char *)data + 2;
    size_t len = size - 2;
    qa_tokens_reset(&toks);
    uint32_t next = 0;
    if (qa_run(a, text, len, lang, 7, &toks, &next, err, sizeof err) != 0)
        return 0; /* out of memory or an ICU failure: reported, not a crash */
    uint32_t prev_pos = 7, prev_start = 0;
    for (size_t i = 0; i < toks.n; i++) {
        const qa_token *k = &toks.v[i];
        if (k->start > k->end || k->end > len || k->start < prev_start || k->pos < prev_pos)
            abort();
        if (strlen(qa_term(&toks, k)) != k->term_len || strlen(qa_stem(&toks, k)) != k->stem_len)
            abort();
        prev_pos = k->pos;
        prev_start = k->start;
    }
    if (toks.n && next <= toks.v[toks.n - 1].pos)
        abort();
    return 0;
}
