#!/usr/bin/env python3
"""browser.py — the search page in a real browser: headless Chromium driven
over the DevTools protocol on a pipe (--remote-debugging-pipe; standard
library only). Used by tests/cli/test_serve_browser.sh.

Usage: browser.py CHROMIUM BASE_URL OUTDIR

Fills in and submits the search form, checks that hits and <mark> render
with the stylesheet applied and nothing blocked by the Content-Security-
Policy, follows the "next" link, shows a malformed query's caret, and
takes a screenshot at a laptop and a phone size (no sideways scrolling on
the phone). Prints "ok - NAME" / "FAIL - NAME: why" lines, like the
shell suites, and keeps the screenshots in OUTDIR.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

SUITE = "serve_browser"


class Chromium:
    """One headless Chromium with one page, over fds 3 and 4."""

    def __init__(self, exe):
        self.profile = tempfile.mkdtemp(prefix="quire-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Park the child's ends on fixed high numbers first, so that the
        # dup2 onto 3 and 4 in the child cannot clobber one with the other.
        os.dup2(to_chrome_r, 100)
        os.dup2(from_chrome_w, 101)
        os.close(to_chrome_r)
        os.close(from_chrome_w)

        def child_fds():
            os.dup2(100, 3)
            os.dup2(101, 4)

        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + self.profile, "--remote-debugging-pipe", "about:blank"]
        self.proc = subprocess.Popen(args, pass_fds=(3, 4, 100, 101), preexec_fn=child_fds,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(100)
        os.close(101)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.errors = []  # kept across navigations, unlike events
        page = None
        for _ in range(300):  # the first tab may not exist yet at launch
            targets = self.call("Target.getTargets")["targetInfos"]
            page = next((t for t in targets if t["type"] == "page"), None)
            if page:
                break
            time.sleep(0.1)
        if not page:
            raise RuntimeError("chromium opened no page")
        self.session = self.call("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(domain + ".enable", session=True)

    def send(self, method, params=None, session=False):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def read(self, timeout=30):
        deadline = time.monotonic() + timeout
        while b"\0" not in self.buf:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        m = json.loads(raw)
        self.note_error(m)
        return m

    def note_error(self, m):
        """Keep what the page reports as an error (a CSP violation, a failed
        load, an uncaught exception) whichever page it came from."""
        method, params = m.get("method"), m.get("params", {})
        if method == "Log.entryAdded" and params["entry"]["level"] == "error":
            e = params["entry"]
            self.errors.append(e["text"] + (" (%s)" % e["url"] if e.get("url") else ""))
        elif method == "Runtime.exceptionThrown":
            self.errors.append(params["exceptionDetails"].get("text", "exception"))

    def call(self, method, params=None, session=False):
        want = self.send(method, params, session)
        while True:
            m = self.read()
            if m.get("id") == want:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, name):
        for i, m in enumerate(self.events):
            if m.get("method") == name:
                del self.events[:i + 1]
                return m
        while True:
            m = self.read()
            if m.get("method") == name:
                return m
            self.events.append(m)

    def page(self, method, params=None):
        return self.call(method, params, session=True)

    def eval(self, expr):
        r = self.page("Runtime.evaluate", {"expression": expr, "returnByValue": True, "userGesture": True})
        if "exceptionDetails" in r:
            raise RuntimeError("evaluating %s: %s" % (expr, r["exceptionDetails"].get("text")))
        return r["result"].get("value")

    def size(self, width, height, mobile):
        self.page("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def goto(self, url):
        self.events.clear()
        self.page("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def navigation(self, expr):
        """Run expr (which navigates, e.g. a click) and wait for the new page."""
        self.events.clear()
        self.eval(expr)
        self.wait_event("Page.loadEventFired")

    def screenshot(self, path):
        data = self.page("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def problems(self):
        """Errors every page visited so far reported."""
        return list(self.errors)

    def close(self):
        try:
            self.call("Browser.close")
        except (OSError, EOFError, RuntimeError, TimeoutError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def check(name, cond, why=""):
    print(("ok - %s/%s" % (SUITE, name)) if cond else ("FAIL - %s/%s: %s" % (SUITE, name, why)), flush=True)


def main():
    exe, base, out = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    b = Chromium(exe)
    try:
        b.size(1280, 800, False)
        b.goto(base + "/")
        check("home_has_form", b.eval("!!document.querySelector('form.search input[name=q]')"))
        check("stylesheet_applied", b.eval("getComputedStyle(document.querySelector('.box')).display") == "flex",
              "the stylesheet did not load (blocked?)")

        # The form, as a person uses it: type, choose, press the button.
        b.eval("document.querySelector('input[name=q]').value = 'korea OR seoul';"
               "document.querySelector('select[name=sort]').value = '-date'")
        b.navigation("document.querySelector('form.search button').click()")
        search = b.eval("location.search")
        check("form_submits_query", "q=korea+OR+seoul" in search and "sort=-date" in search, search)
        hits = b.eval("document.querySelectorAll('ol.quire-results > li').length")
        check("results_render", hits == 5, "%s hits" % hits)
        marks = b.eval("[...document.querySelectorAll('ol.quire-results mark')].map(m => m.textContent)")
        check("marks_render", bool(marks) and all(m.lower() in ("korea", "seoul") for m in marks), repr(marks))
        bg = b.eval("getComputedStyle(document.querySelector('mark')).backgroundColor")
        check("marks_highlighted", bg not in ("rgba(0, 0, 0, 0)", "transparent"), bg)
        dates = b.eval("[...document.querySelectorAll('ol.quire-results time.date')].map(t => t.textContent)")
        check("sort_newest_first", dates == sorted(dates, reverse=True) and len(dates) == 5, repr(dates))
        check("form_keeps_query", b.eval("document.querySelector('input[name=q]').value") == "korea OR seoul")
        b.screenshot(os.path.join(out, "search-laptop.png"))
        laptop_wide = b.eval("document.documentElement.scrollWidth <= window.innerWidth")
        check("laptop_no_sideways_scroll", laptop_wide)

        # Paging: follow the "next" link like a click.
        b.goto(base + "/?q=the&any=on&limit=3")
        first = b.eval("document.querySelector('.summary').textContent")
        b.navigation("document.querySelector('a[rel=next]').click()")
        summary = b.eval("document.querySelector('.summary').textContent")
        check("next_link_pages", summary.startswith("Results 4\u20136 of"), "%r then %r" % (first, summary))
        check("next_keeps_options", "any=on" in b.eval("location.search") and
              b.eval("document.querySelector('input[name=any]').checked"))
        check("prev_link_shown", b.eval("!!document.querySelector('a[rel=prev]')"))

        # On a phone.
        b.size(390, 844, True)
        b.goto(base + "/?q=korea+OR+seoul&limit=3")
        check("phone_no_sideways_scroll", b.eval("document.documentElement.scrollWidth <= window.innerWidth"),
              "page is %s px wide" % b.eval("document.documentElement.scrollWidth"))
        check("phone_readable_text", b.eval("parseFloat(getComputedStyle(document.querySelector('.snippet')).fontSize)") >= 14)
        b.screenshot(os.path.join(out, "search-phone.png"))

        # Of every page so far, not only the last one.
        problems = b.problems()
        check("no_console_errors", not problems, "; ".join(problems)[:500])

        # A malformed query: the message and the caret under the quote.
        b.size(1280, 800, False)
        b.goto(base + "/?q=north+%22korea")
        pre = b.eval("document.querySelector('.error pre').textContent")
        check("error_caret", pre == 'north "korea\n      ^', repr(pre))
        b.screenshot(os.path.join(out, "error-laptop.png"))
        # The page comes with status 400, which Chromium logs as an error of
        # the document itself; anything else would be a fault.
        extra = b.problems()[len(problems):]
        check("error_page_no_other_errors", len(extra) == 1 and "status of 400" in extra[0] and
              "/?q=north+%22korea" in extra[0], "; ".join(extra)[:500])
    finally:
        b.close()
    for f in ("search-laptop.png", "search-phone.png"):
        p = os.path.join(out, f)
        check("screenshot_" + f.split(".")[0], os.path.exists(p) and os.path.getsize(p) > 10000, p)


if __name__ == "__main__":
    main()
