"""Time each builder stage, MkDocs and an edit on generated archives of N articles.

    .venv/bin/python bench/build_bench.py --articles 1000 --articles 10000   # what `make bench` runs
    .venv/bin/python bench/build_bench.py --quick                            # 200 articles, a smoke run

For each size, bench/generate.py writes an archive shaped like content/ into a
temporary folder, then this prints: each stage's seconds and µs per record (load,
validate, link, derive if the pipeline has it, the checks `archive check` adds,
render, write), MkDocs' seconds, the total, the peak memory of the builder's stages
and of MkDocs (each in a child process of its own, read from ru_maxrss), the
number of pages, the size of site/, the largest HTML page, and two edit timings:
a word changed in one article until build/docs holds it (the pipeline's
incremental entry point, in-process on a warm project), and until `archive serve`
serves it (polled over http on 127.0.0.1, bounded). It asserts nothing.

The builder is called only through `builder.pipeline` and the `archive` command;
stages it does not have are skipped, so the harness outlives a restructured pipeline.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import FOLDERS, generate  # noqa: E402

QUICK = 200
EDIT_FROM = "The letter dealt with"  # every article reporting a letter first has this sentence
EDIT_TO = "The letter concerned"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _optional(module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _edit(root: Path, word: str) -> tuple[Path, str]:
    """Change a few words of one article on disk; return it and the words to look for."""
    article = next(p for p in sorted((root / "content" / "articles").glob("*.md"))
                   if EDIT_FROM in p.read_text(encoding="utf-8"))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(EDIT_FROM, f"{EDIT_TO} {word}", 1), encoding="utf-8")
    return article, f"{EDIT_TO} {word}"


# --- In a child process: the builder's stages, then an edit regenerated in-process -------------

def _stages(root: Path) -> dict:
    import builder.pipeline as pipeline

    project = pipeline.Project(root)
    seconds: dict[str, float] = {}  # wall-clock
    cpu: dict[str, float] = {}  # this process's CPU time: steadier on a machine others share
    peak: dict[str, float] = {}
    notes: list[str] = []
    index_stats: dict = {}
    export_stats: dict = {}

    def _stage(module: str):
        """A stage's own module: the pipeline need not re-export what it calls."""
        return importlib.import_module(f"builder.{module}")

    def timed(name: str, fn, *args):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn(*args)
        seconds[name] = time.perf_counter() - start
        cpu[name] = time.process_time() - start_cpu
        peak[name] = _rss_mb()
        return result

    records = pages = problems = None
    try:
        loaded = timed("load", _stage("load").load, project.content, project.root)
        records, invalid = timed("validate", _stage("validate").validate, loaded.sources)
        by_key = {(s.kind, s.id): s for s in loaded.sources}
        archive, unlinked = timed("link", _stage("graph").link, records, by_key, loaded.present)
        found = loaded.problems + invalid + unlinked
        split, unverified = _stage("errors").split, _stage("quotations").unverified
        uncited, review = _stage("provenance").uncited, _stage("checks").review

        def checks():  # what check() adds after link, as it does it
            more = found if split(found)[0] else (found + unverified(archive, by_key) + uncited(archive, by_key))
            return sorted(set(review(loaded.sources, archive, more)))
        problems = timed("checks", checks)
        rendered_from = archive
        derive = getattr(pipeline, "derive", None) or getattr(_optional("builder.derive.derive"), "derive", None)
        if derive is not None:
            try:
                derived = timed("derive", derive, archive)
            except TypeError:
                derived = timed("derive", derive, archive, by_key)
            rendered_from = derived if derived is not None else archive
        try:
            pages = timed("render", _stage("render").render, rendered_from)
        except Exception:  # noqa: BLE001 - a render that now wants something else: fall back to the archive
            if rendered_from is archive:
                raise
            notes.append("render did not take derive's result; rendered from the linked archive")
            pages = timed("render", _stage("render").render, archive)
        search = _optional("builder.outputs.search")
        if search is not None and rendered_from is not archive:
            files = timed("index", lambda: search.index_files(rendered_from)[1])
            shards = [len(text) for path, text in files.items() if "/terms/" in path]
            index_stats = {"bytes": sum(len(t) for t in files.values()), "files": len(files),
                           "largest_shard": max(shards, default=0), "shards": len(shards),
                           "pages_bytes": sum(len(t.encode("utf-8")) for t in pages.values())}
            pages = {**pages, **files}
        outputs = _optional("builder.outputs.files")
        if outputs is not None and rendered_from is not archive:
            made = timed("outputs", lambda: outputs.whole_archive_files(
                rendered_from, archive, pages.keys(), outputs.settings(project.config)))
            export_stats = {path: len(text.encode("utf-8")) for path, text in made.items()}
            pages = {**pages, **made}
        with _stage("write").staged(project.docs, project.staging) as docs:
            timed("write", _stage("write").write_pages, pages, docs)
    except Exception as err:  # noqa: BLE001 - the pipeline changed under us: time what still works
        notes.append(f"stage by stage failed ({type(err).__name__}: {err}); timed check + build instead")
        for table in (seconds, cpu, peak):
            table.clear()
        pages = problems = None
    if problems is None:
        # `archive check` loads, validates and links again, then runs the contributor checks:
        # their cost is its time less those three stages'.
        _, problems = timed("check", pipeline.check, project)
        if all(k in seconds for k in ("load", "validate", "link")):
            for table in (seconds, cpu):
                table["checks"] = max(0.0, table["check"] - table["load"] - table["validate"] - table["link"])
            peak["checks"] = peak["check"]
    errors = [str(p) for p in problems if not p.warning]
    if pages is None:  # the coarse fallback: a whole build with MkDocs
        report = timed("build", pipeline.build, project)
        pages_count = sum(report.pages.values())
    else:
        pages_count = len(pages)

    # (a) A saved edit until build/docs holds it, on a warm project (modules loaded, pages on disk).
    regenerate, how = _incremental(pipeline)
    edit: dict = {"entry": how}
    try:
        path, words = _edit(root, "quietly")
        start = time.perf_counter()
        _call(regenerate, project, [path])
        edit["seconds"] = time.perf_counter() - start
        page = project.docs / "articles" / (path.stem + ".md")
        edit["shown"] = page.exists() and words in page.read_text(encoding="utf-8")
    except Exception as err:  # noqa: BLE001
        edit["error"] = f"{type(err).__name__}: {err}"
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak, "records": len(records or []), "pages": pages_count,
            "warnings": sum(1 for p in problems if p.warning), "errors": errors[:5], "error_count": len(errors),
            "notes": notes, "edit": edit, "rss_mb": _rss_mb(), "index": index_stats, "exports": export_stats}


def _incremental(pipeline):
    """The incremental entry point if the builder has one, else the serve path's regenerate_docs."""
    incremental = _optional("builder.incremental")
    for owner, name in ((incremental, "regenerate_docs"), (incremental, "regenerate"), (pipeline, "regenerate"),
                        (pipeline, "regenerate_docs")):
        if owner is not None and callable(getattr(owner, name, None)):
            return getattr(owner, name), f"{owner.__name__}.{name}"
    raise SystemExit("builder.pipeline has no regenerate_docs")


def _call(fn, project, changed: list[Path]):
    try:
        return fn(project)
    except TypeError:  # an incremental entry point that is told what changed
        return fn(project, changed)


def _mkdocs(root: Path) -> dict:
    import builder.pipeline as pipeline

    project = pipeline.Project(root)
    start, start_cpu = time.perf_counter(), time.process_time()
    with pipeline.staged(project.site, project.staging) as site:
        pipeline.render_site(project.config, project.docs, site, "0")
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - start_cpu, "rss_mb": _rss_mb()}


def _child(mode: str, root: Path, timeout: float | None = None) -> dict:
    """Run a measurement in a fresh interpreter, so its peak memory is its own."""
    done = subprocess.run([sys.executable, __file__, mode, str(root)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"failed": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(lines[-1])


# --- (b) A saved edit until the preview serves it ----------------------------------------------

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return None


def _serve_edit(root: Path, start_timeout: float, edit_timeout: float) -> dict:
    port = _free_port()
    log = open(root / "serve.log", "w", encoding="utf-8")
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "archive"), "serve", "--root", str(root),
                               "--dev-addr", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True, cwd=root)
    out: dict = {}
    try:
        started = time.perf_counter()
        while _get(f"http://127.0.0.1:{port}/") is None:
            if server.poll() is not None:
                return {"error": f"archive serve exited with {server.returncode} (see {root / 'serve.log'})"}
            if time.perf_counter() - started > start_timeout:
                return {"error": f"not serving within {start_timeout:.0f} s", "startup": None}
            time.sleep(0.5)
        out["startup"] = time.perf_counter() - started
        time.sleep(1.5)  # let the watcher take its first snapshot of content/
        path, words = _edit(root, "plainly")
        url = f"http://127.0.0.1:{port}/articles/{path.stem}.html"
        edited = time.perf_counter()
        while True:
            page = _get(url)
            if page is not None and words in page:
                out["seconds"] = time.perf_counter() - edited
                return out
            if time.perf_counter() - edited > edit_timeout:
                out["seconds"] = None
                return out
            time.sleep(0.25)
    finally:
        os.killpg(server.pid, signal.SIGINT)  # the server's own process group, started above
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


# --- One size, and the table -------------------------------------------------------------------

def _site_stats(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html"]
    largest = max(html, key=lambda p: p.stat().st_size, default=None)
    return {"mb": sum(p.stat().st_size for p in files) / 1e6, "html": len(html),
            "largest": (largest.relative_to(site).as_posix(), largest.stat().st_size / 1024) if largest else None}


def bench(articles: int, seed: int, args) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    try:
        start = time.perf_counter()
        counts = generate(tmp, articles, seed)
        generated = time.perf_counter() - start
        shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
        shutil.copytree(ROOT / "overrides", tmp / "overrides")
        records = sum(v for k, v in counts.items())
        print(f"\n== {articles} articles: {records} records ("
              + ", ".join(f"{counts.get(f, 0)} {f}" for f in FOLDERS) + f"), generated in {generated:.1f} s", flush=True)

        stages = _child("--_stages", tmp)
        if "failed" in stages:
            print(f"  the builder's stages failed: {stages['failed']}")
            return
        mkdocs = {} if args.no_mkdocs else _child("--_mkdocs", tmp)
        serve = {} if args.no_serve or args.no_mkdocs else _serve_edit(tmp, args.serve_start_timeout,
                                                                          args.edit_timeout)
        _table(articles, records, stages, mkdocs, serve, _site_stats(tmp / "site") if mkdocs else None, args)
        if not args.no_search:
            _search(tmp, bool(mkdocs.get("seconds")))
    finally:
        if args.keep:
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _search(root: Path, built: bool) -> None:
    """Search in Chromium on the built site; without one, on a one-page site holding the whole index."""
    import yaml

    import search_bench

    site = root / "site"
    if not built:
        site = _search_shell(root)
    people = sorted((root / "content" / "people").glob("*.md"))
    summits = sorted((root / "content" / "summits").glob("*.md"))
    front = [yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1]) for p in (people[0], summits[0])]
    print(f"  search in Chromium ({'the built site' if built else 'a one-page site with the whole index'}):")
    search_bench.report(site, [front[0]["name"], front[1]["title"], "letter", "president summit", "pre"])


def _search_shell(root: Path) -> Path:
    """A home page with Material's header and our search, and build/docs/search/ beside it."""
    import builder.pipeline as pipeline
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs, site = root / "build" / "shell", root / "shell-site"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Search\n\nThe whole archive's search index, on one page.\n", encoding="utf-8")
    shutil.copytree(pipeline.Project(root).docs / "search", docs / "search", dirs_exist_ok=True)
    build(load_config(str(root / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site), strict=False,
                      nav=[{"Home": "index.md"}], not_in_nav=None))
    return site


def _table(articles, records, stages, mkdocs, serve, site, args) -> None:
    seconds, cpu, peak = stages["seconds"], stages["cpu"], stages["peak_mb"]
    rows = [(name, seconds[name], cpu[name], peak[name]) for name in
            ("load", "validate", "link", "derive", "checks", "render", "index", "outputs", "write", "check", "build") if name in seconds]
    if mkdocs.get("seconds") is not None:
        rows.append(("mkdocs", mkdocs["seconds"], mkdocs["cpu"], mkdocs["rss_mb"]))
    print(f"  {'stage':<10} {'wall s':>9} {'CPU s':>9} {'CPU µs/record':>14} {'peak MB':>8}")
    for name, wall, used, mb in rows:
        print(f"  {name:<10} {wall:9.2f} {used:9.2f} {used / records * 1e6:14.0f} {mb:8.0f}")
    # A build: every stage and MkDocs (`check` is only there when `checks` is not timed on its own).
    counted = [r for r in rows if not (r[0] == "check" and "checks" in seconds)]
    total_wall, total_cpu = sum(r[1] for r in counted), sum(r[2] for r in counted)
    print(f"  {'total':<10} {total_wall:9.2f} {total_cpu:9.2f} {total_cpu / records * 1e6:14.0f}")
    if mkdocs and mkdocs.get("seconds") is None:
        print(f"  mkdocs failed: {mkdocs.get('failed')}")
    print(f"  peak memory (RSS): builder stages {max(peak.values(), default=0):.0f} MB"
          + (f", MkDocs {mkdocs['rss_mb']:.0f} MB" if mkdocs.get("rss_mb") else ""))
    print(f"  pages: {stages['pages']} Markdown pages; check: {stages['error_count']} errors, "
          f"{stages['warnings']} warnings")
    for error in stages["errors"]:
        print(f"    {error}")
    if site:
        path, kb = site["largest"] or ("-", 0)
        print(f"  site/: {site['mb']:.1f} MB, {site['html']} HTML files; largest page {path} ({kb:.0f} KB)")
    if stages.get("index"):
        ix = stages["index"]
        print(f"  search index: {ix['bytes'] / 1e6:.1f} MB in {ix['files']} files ({ix['shards']} shards, "
              f"largest {ix['largest_shard'] / 1e3:.0f} KB), {ix['bytes'] / ix['pages_bytes']:.0%} of the "
              f"pages' Markdown ({ix['pages_bytes'] / 1e6:.1f} MB)")
    if stages.get("exports"):
        sizes = stages["exports"]
        big = sorted(sizes.items(), key=lambda item: -item[1])[:6]
        print(f"  downloads, Data page, feed, redirects ('outputs'): {sum(sizes.values()) / 1e6:.1f} MB in "
              f"{len(sizes)} files; " + ", ".join(f"{path} {size / 1e6:.1f} MB" for path, size in big))
    edit = stages["edit"]
    if "error" in edit:
        print(f"  edit -> build/docs: failed ({edit['error']})")
    else:
        print(f"  edit -> build/docs: {edit['seconds']:.2f} s with {edit['entry']} "
              f"({'page updated' if edit['shown'] else 'page NOT updated'})")
    if serve:
        if "error" in serve:
            print(f"  edit -> preview: {serve['error']}")
        elif serve["seconds"] is None:
            print(f"  edit -> preview: not within {args.edit_timeout:.0f} s (serve started in {serve['startup']:.1f} s)")
        else:
            print(f"  edit -> preview: {serve['seconds']:.2f} s (serve started in {serve['startup']:.1f} s)")
    for note in stages["notes"]:
        print(f"  note: {note}")
    sys.stdout.flush()


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] in ("--_stages", "--_mkdocs"):
        try:
            result = (_stages if sys.argv[1] == "--_stages" else _mkdocs)(Path(sys.argv[2]))
        except Exception:  # noqa: BLE001 - reported by the parent as the last line of stderr
            traceback.print_exc()
            sys.exit(1)
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, action="append", help="archive size; repeat for several")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK} articles, a smoke run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-mkdocs", action="store_true", help="stop after writing the Markdown pages")
    parser.add_argument("--no-serve", action="store_true", help="skip the edit-to-preview timing")
    parser.add_argument("--no-search", action="store_true", help="skip timing search in Chromium")
    parser.add_argument("--edit-timeout", type=float, default=300.0, help="seconds to wait for the preview")
    parser.add_argument("--serve-start-timeout", type=float, default=3600.0,
                        help="seconds to wait for `archive serve` to start serving")
    parser.add_argument("--keep", action="store_true", help="keep the generated project folders")
    args = parser.parse_args()
    sizes = args.articles or ([QUICK] if args.quick else [1000])
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
          "wall seconds depend on what else runs, CPU seconds less so")
    for articles in sizes:
        bench(articles, args.seed, args)


if __name__ == "__main__":
    main()
