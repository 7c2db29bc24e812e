#!/usr/bin/env python3
"""search.py: call libquire from Python through ctypes, with no binding
library. Prints the hits of a query with their matches in [brackets].

    LD_LIBRARY_PATH=/usr/local/lib python3 search.py news.idx 'north korea'

QUIRE_LIB may name the shared library file directly.
"""
import ctypes
import ctypes.util
import os
import sys

c_char_p, c_size_t, c_uint, c_double = ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_double


class Span(ctypes.Structure):
    _fields_ = [("start", c_size_t), ("end", c_size_t)]


class Hit(ctypes.Structure):
    """struct quire_hit from quire.h, field for field."""
    _fields_ = [("rank", c_uint), ("score", c_double),
                ("id", c_char_p), ("title", c_char_p), ("date", c_char_p),
                ("author", c_char_p), ("source", c_char_p), ("url", c_char_p),
                ("lang", c_char_p), ("snippet", c_char_p),
                ("snippet_spans", ctypes.POINTER(Span)), ("snippet_span_count", c_size_t),
                ("title_spans", ctypes.POINTER(Span)), ("title_span_count", c_size_t),
                ("snippet_marked", c_char_p), ("title_marked", c_char_p)]


def load():
    """The library, or None after saying on stderr why it cannot be had."""
    name = os.environ.get("QUIRE_LIB") or ctypes.util.find_library("quire") or "libquire.so.0"
    try:
        lib = ctypes.CDLL(name)
    except OSError as e:
        print("search.py: cannot load libquire (%s): %s" % (name, e), file=sys.stderr)
        print("search.py: install it (make install), or set LD_LIBRARY_PATH to its directory "
              "or QUIRE_LIB to the file", file=sys.stderr)
        return None
    vp = ctypes.c_void_p
    lib.quire_version.restype = c_char_p
    lib.quire_searcher_open.argtypes = [c_char_p, vp, ctypes.POINTER(vp)]
    lib.quire_searcher_errmsg.argtypes = [vp]
    lib.quire_searcher_errmsg.restype = c_char_p
    lib.quire_searcher_close.argtypes = [vp]
    lib.quire_search.argtypes = [vp, c_char_p, vp, ctypes.POINTER(vp)]
    lib.quire_results_count.argtypes = [vp]
    lib.quire_results_count.restype = c_size_t
    lib.quire_results_hit.argtypes = [vp, c_size_t]
    lib.quire_results_hit.restype = ctypes.POINTER(Hit)
    lib.quire_results_total.argtypes = [vp, ctypes.POINTER(ctypes.c_int)]
    lib.quire_results_total.restype = ctypes.c_uint64
    lib.quire_results_free.argtypes = [vp]
    return lib


def marked(text, spans, n):
    """Put [ ] around each span; spans are byte offsets into the UTF-8 text."""
    out, at = b"", 0
    for i in range(n):
        out += text[at:spans[i].start] + b"[" + text[spans[i].start:spans[i].end] + b"]"
        at = spans[i].end
    return (out + text[at:]).decode("utf-8")


def main():
    if len(sys.argv) != 3:
        print("usage: search.py INDEX QUERY", file=sys.stderr)
        return 2
    lib = load()
    if lib is None:
        return 2
    s = ctypes.c_void_p()
    if lib.quire_searcher_open(sys.argv[1].encode(), None, ctypes.byref(s)) != 0:
        print("search.py:", lib.quire_searcher_errmsg(s).decode(), file=sys.stderr)
        lib.quire_searcher_close(s)
        return 2
    res = ctypes.c_void_p()
    if lib.quire_search(s, sys.argv[2].encode(), None, ctypes.byref(res)) != 0:
        print("search.py:", lib.quire_searcher_errmsg(s).decode(), file=sys.stderr)
        lib.quire_searcher_close(s)
        return 2
    print("quire %s: %d hits" % (lib.quire_version().decode(), lib.quire_results_total(res, None)))
    for i in range(lib.quire_results_count(res)):
        h = lib.quire_results_hit(res, i).contents
        print("%d. %s (%s)" % (h.rank, marked(h.title, h.title_spans, h.title_span_count), h.id.decode()))
        print("   " + marked(h.snippet, h.snippet_spans, h.snippet_span_count))
    lib.quire_results_free(res)
    lib.quire_searcher_close(s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
