"""Search as a reader meets it, timed in Chromium: from disk (file://) and served over http.

    .venv/bin/python bench/search_bench.py SITE_DIR [--query "two words" ...]

For each query, on a freshly opened page, it types the query key by key into the
search box (and, for the first two, pastes it whole, so nothing it needs is loaded yet) and prints: the milliseconds from the last keystroke until the results
for the whole query are on screen (shards loaded, ranked, drawn); the longest
main-thread task while the page loaded and while the query was typed and ran
(PerformanceObserver "longtask"), apart; the JavaScript heap in use afterwards (after a garbage collection);
and the bytes of index the page loaded (the manifest, shards and document-table
files it added as scripts). It also prints the index's total size on disk. A query
whose result never shows stops it with an error. It asserts nothing about speed:
issue 11's goals are 300 ms, 100 ms, 50 MB and 2 MB.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import threading
from pathlib import Path
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
REPEATS = 3  # each query on a fresh page this many times; the median is printed

# Installed before any page script: long tasks from the start, and the time of each keystroke.
WATCH = """
window.__bench = {tasks: [], firstKey: 0, lastKey: 0, shown: 0, want: null};
new PerformanceObserver(list => {
  for (const e of list.getEntries()) __bench.tasks.push([e.startTime, e.duration]);
}).observe({type: "longtask", buffered: true});
document.addEventListener("keydown", () => {
  __bench.lastKey = performance.now();
  __bench.firstKey = __bench.firstKey || __bench.lastKey;
}, true);
new MutationObserver(() => {
  const b = window.__bench;
  if (!b.want || b.shown) return;
  const link = document.querySelector(".md-search-result__link");
  if (link && link.getAttribute("href").endsWith("?h=" + b.want)) b.shown = performance.now();
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


def index_size(site: Path) -> tuple[int, int]:
    files = [p for p in (site / "search").rglob("*.js")]
    return sum(p.stat().st_size for p in files), len(files)


def _serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _one(browser, url: str, site: Path, query: str, pasted: bool = False) -> dict:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context()
    try:
        context.add_init_script(WATCH)
        page = context.new_page()
        page.goto(url + "index.html")
        page.wait_for_load_state("load")
        box = page.locator(".md-search__input")
        if not box.is_visible():
            page.locator("label.md-header__button[for=__search]").click()
        box.click()
        page.evaluate("q => { __bench.want = q; }", quote(query, safe=""))
        if pasted:  # all at once, nothing loaded yet: the slowest a query can be
            page.evaluate("() => { __bench.firstKey = __bench.lastKey = performance.now(); }")
            box.fill(query)
        else:
            for key in query:
                page.keyboard.type(key)
        # The results of the whole query, not "No matching" shown for a word still being typed ("pr").
        try:
            page.wait_for_function("() => __bench.shown > 0", timeout=30_000)
        except PlaywrightTimeout:
            pass  # reported as no result below
        bench = page.evaluate("() => __bench")
        cdp = context.new_cdp_session(page)
        cdp.send("HeapProfiler.collectGarbage")
        heap = cdp.send("Runtime.getHeapUsage")["usedSize"]
        loaded = page.evaluate("() => [...document.querySelectorAll('script[src]')].map(s => s.src)"
                               ".filter(src => src.includes('/search/'))")
        size = sum((site / "search" / src.split("/search/", 1)[1].split("?")[0]).stat().st_size for src in loaded)
        load = [d for start, d in bench["tasks"] if start < bench["firstKey"]]
        typing = [d for start, d in bench["tasks"] if start >= bench["firstKey"]]
        return {"ms": bench["shown"] - bench["lastKey"] if bench["shown"] else None,
                "load_task": max(load, default=0.0), "query_task": max(typing, default=0.0), "heap_mb": heap / 1e6,
                "loaded_kb": size / 1e3, "files": len(loaded)}
    finally:
        context.close()


def measure(site: Path, queries: list[str], repeats: int = REPEATS) -> dict:
    """{(way, query): median figures}; way is "disk" or "served"."""
    from playwright.sync_api import sync_playwright

    server, served = _serve(site)
    results: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for way, url in (("disk", site.resolve().as_uri() + "/"), ("served", served)):
                for query, pasted in [(q, False) for q in queries] + [(q, True) for q in queries[:2]]:
                    runs = [_one(browser, url, site, query, pasted) for _ in range(repeats)]
                    name = query + (" (pasted)" if pasted else "")
                    if any(r["ms"] is None for r in runs):
                        raise RuntimeError(f"search in Chromium ({way}): no result for '{name}' "
                                           f"in {sum(r['ms'] is None for r in runs)} of {repeats} runs")
                    results[(way, name)] = {
                        "ms": statistics.median(r["ms"] for r in runs),
                        "load_task": statistics.median(r["load_task"] for r in runs),
                        "query_task": statistics.median(r["query_task"] for r in runs),
                        "heap_mb": statistics.median(r["heap_mb"] for r in runs),
                        "loaded_kb": statistics.median(r["loaded_kb"] for r in runs),
                        "files": runs[0]["files"],
                    }
            browser.close()
    finally:
        server.shutdown()
    return results


def report(site: Path, queries: list[str], repeats: int = REPEATS) -> None:
    total, files = index_size(site)
    print(f"  search index on disk: {total / 1e6:.1f} MB in {files} files")
    print(f"  {'query':<24} {'way':<7} {'first result ms':>16} {'longest task ms: load':>22} {'query':>6} "
          f"{'heap MB':>8} {'index loaded KB':>16}")
    for (way, query), r in measure(site, queries, repeats).items():
        print(f"  {query[:24]:<24} {way:<7} {r['ms']:16.0f} {r['load_task']:22.0f} {r['query_task']:6.0f} "
              f"{r['heap_mb']:8.1f} {r['loaded_kb']:12.0f} ({r['files']})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", action="append", help="what to type; repeat for several")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args()
    report(args.site, args.query or ["letter", "president summit"], args.repeats)


if __name__ == "__main__":
    main()
