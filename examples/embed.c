/*
 * embed.c — a program that embeds quire: it indexes three articles held in
 * memory, then searches them and prints the hits with their matches in
 * [brackets].
 *
 * Build against an installed quire:
 *     cc embed.c $(pkg-config --cflags --libs quire) -o embed
 * Run:
 *     ./embed /tmp/embed.idx 'ferry harbour'
 */
#include <quire.h>
#include <stdio.h>

static const struct {
    const char *id, *title, *date, *author, *body;
} articles[] = {
    {"ferry-1", "Ferry service resumes after storms", "2024-02-12", "Ana Reis",
     "The ferry between the harbour and the islands sailed again on Monday after nine days in port."},
    {"market-1", "Fish market moves to the old harbour", "2024-03-01", "Ana Reis",
     "Traders welcomed the new hall, which is closer to the boats and the ferry terminal."},
    {"rail-1", "Night trains return to the coast", "2024-03-15", "Ben Ode",
     "Sleeper trains will run to the coast twice a week from April, the railway said."},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: embed INDEX-DIR [QUERY]\n");
        return 2;
    }
    const char *path = argv[1], *query = argc > 2 ? argv[2] : "ferry harbour";
    printf("quire %s\n", quire_version());

    /* Index: open (created if missing), add or replace, finish, close. */
    quire_index *idx;
    if (quire_index_open(path, NULL, &idx) != QUIRE_OK) {
        fprintf(stderr, "embed: %s\n", quire_index_errmsg(idx));
        quire_index_close(idx);
        return 1;
    }
    for (size_t i = 0; i < sizeof articles / sizeof articles[0]; i++) {
        quire_document doc = QUIRE_DOCUMENT_INIT;
        doc.id = articles[i].id;
        doc.title = articles[i].title;
        doc.date = articles[i].date;
        doc.author = articles[i].author;
        doc.body = articles[i].body;
        if (quire_index_add(idx, &doc, NULL) != QUIRE_OK) {
            fprintf(stderr, "embed: %s: %s\n", doc.id, quire_index_errmsg(idx));
            quire_index_close(idx);
            return 1;
        }
    }
    /* Finishing commits; the handle stays for the message if it fails. */
    if (quire_index_finish(idx) != QUIRE_OK) {
        fprintf(stderr, "embed: %s\n", quire_index_errmsg(idx));
        quire_index_close(idx);
        return 1;
    }
    quire_index_close(idx);

    /* Search: the hits and everything in them belong to the results. */
    quire_searcher *s;
    if (quire_searcher_open(path, NULL, &s) != QUIRE_OK) {
        fprintf(stderr, "embed: %s\n", quire_searcher_errmsg(s));
        quire_searcher_close(s);
        return 1;
    }
    quire_search_options opts = QUIRE_SEARCH_OPTIONS_INIT;
    opts.highlight_start = "[";
    opts.highlight_end = "]";
    quire_results *res;
    if (quire_search(s, query, &opts, &res) != QUIRE_OK) {
        fprintf(stderr, "embed: %s\n", quire_searcher_errmsg(s));
        quire_searcher_close(s);
        return 1;
    }
    printf("%llu hits for '%s'\n", (unsigned long long)quire_results_total(res, NULL), query);
    for (size_t i = 0; i < quire_results_count(res); i++) {
        const quire_hit *h = quire_results_hit(res, i);
        printf("%u. %s  (%s, %s, score %.3f)\n   %s\n", h->rank, h->title_marked, h->id, h->date,
               h->score, h->snippet_marked);
    }
    quire_results_free(res);
    quire_searcher_close(s);
    return 0;
}
