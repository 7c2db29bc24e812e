/* page_css.c — the search page's stylesheet, served as /quire.css (a file
 * of its own so the Content-Security-Policy can forbid inline styles).
 * Readable on a laptop and a phone: one column, at most ~46em wide,
 * system fonts, long words and URLs wrap instead of widening the page. */

#include "page.h"
#include "respond.h"

static const char css[] =
    ":root{color-scheme:light dark;--fg:#1d1d1f;--muted:#5f6368;--line:#d9dce1;--accent:#1a56b8;"
    "--mark:#fde68a;--bg:#fff;--err:#a1261a}\n"
    "@media (prefers-color-scheme:dark){:root{--fg:#e8e8ea;--muted:#a0a4ab;--line:#3a3d42;"
    "--accent:#8ab4f8;--mark:#6b5310;--bg:#17181a;--err:#f28b82}}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0 auto;max-width:46em;padding:1rem 1rem 2rem;background:var(--bg);color:var(--fg);"
    "font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",sans-serif;"
    "overflow-wrap:anywhere}\n"
    "header{border-bottom:1px solid var(--line);padding-bottom:.75rem;margin-bottom:1rem}\n"
    ".box{display:flex;gap:.5rem}\n"
    ".box input{flex:1;min-width:0;font:inherit;padding:.5rem .75rem;border:1px solid var(--line);"
    "border-radius:.5rem;background:var(--bg);color:var(--fg)}\n"
    ".box button{font:inherit;padding:.5rem 1rem;border:0;border-radius:.5rem;background:var(--accent);"
    "color:var(--bg);cursor:pointer}\n"
    ".options{margin-top:.5rem;color:var(--muted);font-size:.9rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem}\n"
    ".options select{font:inherit}\n"
    ".summary{color:var(--muted);font-size:.9rem;margin:.5rem 0 1rem}\n"
    ".quire-results{list-style:none;padding:0;margin:0}\n"
    ".quire-results li{margin:0 0 1.25rem}\n"
    ".quire-results .title{display:block;font-size:1.1rem;font-weight:600;line-height:1.35}\n"
    ".quire-results a.title{color:var(--accent);text-decoration:none}\n"
    ".quire-results a.title:hover{text-decoration:underline}\n"
    ".quire-results .date,.quire-results .author,.quire-results .source{color:var(--muted);font-size:.85rem}\n"
    ".quire-results .date+.author::before,.quire-results .date+.source::before,"
    ".quire-results .author+.source::before{content:\"\\00b7\\00a0\"}\n"
    /* The id and the score are for programs (the JSON has them). */
    ".quire-results .id,.quire-results .score{display:none}\n"
    ".snippet{margin:.2rem 0 0}\n"
    "mark{background:var(--mark);color:inherit;border-radius:.15em;padding:0 .1em}\n"
    ".pages{display:flex;justify-content:space-between;gap:1rem;margin:1.5rem 0}\n"
    ".pages a{color:var(--accent)}\n"
    ".pages a[rel=next]{margin-left:auto}\n"
    ".error{border-left:4px solid var(--err);padding:.25rem 1rem;margin:1rem 0}\n"
    ".error p{color:var(--err);margin:.5rem 0}\n"
    ".error pre{overflow-x:auto;margin:.5rem 0;font-size:.95rem}\n"
    ".warning{color:var(--err);font-size:.9rem}\n"
    ".suggestion{margin:.5rem 0 1rem}\n"
    ".suggestion a{color:var(--accent);font-weight:600}\n"
    ".facets{display:flex;flex-wrap:wrap;gap:.5rem 2rem;border-top:1px solid var(--line);padding-top:.5rem;"
    "font-size:.9rem}\n"
    ".facets h2{font-size:.9rem;margin:.5rem 0 .25rem;color:var(--muted)}\n"
    ".facets ul{list-style:none;padding:0;margin:0}\n"
    ".facets a{color:var(--accent);text-decoration:none}\n"
    ".facets .count{color:var(--muted)}\n"
    ".help{color:var(--muted)}\n"
    "code{font-size:.95em}\n"
    "footer{margin-top:2rem;color:var(--muted);font-size:.8rem}\n";

void page_css(request *req)
{
    resp_static(&req->resp, CTYPE_CSS, css, sizeof css - 1);
}
