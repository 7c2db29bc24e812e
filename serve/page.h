/*
 * page.h — GET /: the search page, rendered on the server (no script): a
 * search form, the hits as quire-query --format html shows them, paging
 * links, and a malformed query's message with a caret under the spot.
 * Served with a Content-Security-Policy that allows nothing but its own
 * stylesheet (/quire.css, page_css.c) and icon (/favicon.svg, page_icon.c).
 */
#ifndef QUIRE_SERVE_PAGE_H
#define QUIRE_SERVE_PAGE_H

#include "pool.h"

void page_search(worker *w, request *req);

/* GET /quire.css */
void page_css(request *req);

/* GET /favicon.svg (and /favicon.ico, which browsers ask for unprompted) */
void page_icon(request *req);

#endif
