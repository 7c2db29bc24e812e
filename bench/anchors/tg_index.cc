// tg_index.cc — the reference indexer for the benchmarks: what a minimal
// Xapian program does with TermGenerator (English stemming, STEM_SOME, so
// exact words with positions plus Z stems), one document per JSON line.
// It stores no text (--data stores the body as document data, the title
// in value slot 0 and the id in slot 1, what tg_search needs for results
// and snippets) and does not compact unless --compact DIR is given.
//
// Usage: tg_index [--data] [--compact DIR] DB FILE.jsonl...
#include <jansson.h>
#include <xapian.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

int main(int argc, char **argv)
{
    bool data = false;
    const char *compact = nullptr;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!std::strcmp(argv[i], "--data"))
            data = true;
        else if (!std::strcmp(argv[i], "--compact") && i + 1 < argc)
            compact = argv[++i];
    }
    if (argc - i < 2) {
        std::cerr << "usage: tg_index [--data] [--compact DIR] DB FILE.jsonl...\n";
        return 2;
    }
    try {
        Xapian::WritableDatabase db(argv[i++], Xapian::DB_CREATE_OR_OVERWRITE);
        Xapian::TermGenerator tg;
        tg.set_stemmer(Xapian::Stem("english"));
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        unsigned n = 0;
        for (; i < argc; i++) {
            FILE *f = std::fopen(argv[i], "r");
            if (!f) {
                std::perror(argv[i]);
                return 1;
            }
            char *line = nullptr;
            size_t cap = 0;
            ssize_t len;
            while ((len = getline(&line, &cap, f)) > 0) {
                json_error_t je;
                json_t *o = json_loadb(line, (size_t)len, 0, &je);
                if (!o)
                    continue;
                const char *id = json_string_value(json_object_get(o, "id"));
                const char *title = json_string_value(json_object_get(o, "title"));
                const char *body = json_string_value(json_object_get(o, "body"));
                Xapian::Document doc;
                tg.set_document(doc);
                if (title) {
                    tg.index_text(title, 1, "S");
                    tg.index_text(title);
                    tg.increase_termpos();
                }
                if (body)
                    tg.index_text(body);
                std::string ext = id ? id : std::to_string(n);
                if (data) {
                    doc.set_data(body ? body : "");
                    doc.add_value(0, title ? title : "");
                    doc.add_value(1, ext);
                }
                std::string q = "Q" + ext;
                doc.add_boolean_term(q);
                db.replace_document(q, doc);
                json_decref(o);
                if (++n % 10000 == 0)
                    db.commit();
            }
            std::free(line);
            std::fclose(f);
        }
        db.commit();
        if (compact)
            db.compact(compact);
        std::cout << n << " documents\n";
    } catch (const Xapian::Error &e) {
        std::cerr << e.get_description() << "\n";
        return 1;
    }
    return 0;
}
