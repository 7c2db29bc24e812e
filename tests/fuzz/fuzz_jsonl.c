/* fuzz_jsonl.c — arbitrary bytes as a JSON-lines file (gzip'd when the
 * bytes say so) through the public reader: every record is a document or
 * a reported skip, and every field handed out is valid UTF-8 without NULs
 * of a sane size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "quire.h"
#include "utf8.h"

static char path[64];

static void unlink_file(void)
{
    unlink(path);
}

static void check_field(const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    if (utf8_valid_prefix(s, len, 1) != len || len > 2 * 1024 * 1024)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/quire-fuzz-%ld.jsonl", (long)getpid());
        atexit(unlink_file);
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    quire_reader_options o = QUIRE_READER_OPTIONS_INIT;
    o.format = QUIRE_FORMAT_JSONL;
    o.max_doc_bytes = 1024 * 1024;
    const char *src[1] = {path};
    quire_reader *r;
    if (quire_reader_open(src, 1, &o, &r) != QUIRE_OK)
        abort();
    const quire_document *d;
    quire_status st;
    while ((st = quire_reader_next(r, &d)) == QUIRE_OK || st == QUIRE_EINPUT) {
        if (st != QUIRE_OK)
            continue;
        if (!d->id || !*d->id)
            abort();
        check_field(d->id);
        check_field(d->title);
        check_field(d->body);
        check_field(d->date);
        check_field(d->author);
        check_field(d->source);
        check_field(d->url);
        check_field(d->lang);
    }
    if (st != QUIRE_DONE && !*quire_reader_errmsg(r))
        abort();
    quire_reader_close(r);
    return 0;
}
