/* fuzz_textfile.c — arbitrary bytes as a plain-text article file: the
 * decoder (BOMs, UTF-16, invalid UTF-8, NULs, line ends, binary verdict)
 * and the header reader after it. Decoded text must be clean UTF-8 and
 * every field must come out valid and inside its buffers. */
#include <stdlib.h>
#include <string.h>

#include "article_text.h"
#include "fuzz.h"
#include "textdecode.h"
#include "utf8.h"

static void check(const char *s)
{
    size_t len = strlen(s);
    if (utf8_valid_prefix(s, len, 1) != len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    text_decoded td;
    if (text_decode((const char *)data, size, &td) != 0)
        return 0;
    if (td.binary) {
        free(td.text);
        return 0;
    }
    if (!td.text || strlen(td.text) != td.len || strchr(td.text, '\r'))
        abort();
    check(td.text);
    text_article a;
    if (text_article_parse(td.text, &a) == 0) {
        check(a.title);
        check(a.date);
        check(a.author);
        check(a.source);
        check(a.lang);
        check(a.url);
        check(a.body);
        text_article_free(&a);
    }
    free(td.text);
    return 0;
}
