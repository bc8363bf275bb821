"""Time each builder stage, MkDocs and an edit on generated archives of N articles.

    .venv/bin/python bench/build_bench.py --articles 1000 --articles 10000   # what `make bench` runs
    .venv/bin/python bench/build_bench.py --quick                            # 200 articles, a smoke run

For each size, bench/generate.py writes an archive shaped like content/ into a
temporary folder, then this prints: each stage's seconds and µs per record (load,
validate, link, the contributor checks, derive, render, the search index, the
downloads/feed/redirects, write, MkDocs), the total, the peak memory of the builder's
stages and of the whole build with MkDocs (read from ru_maxrss in a process forked for
the build), MkDocs alone in one process and on 2 and on all cores (the build renders on
all: builder/write/shards.py), the number of pages, the size of site/, the largest HTML
page, and two edit timings: a word changed in one article until `archive build` has written and rendered
it (incremental, in-process on a warm project), and until `archive serve`
serves it (polled over http on 127.0.0.1, bounded); and serve start, until the
first page is served: warm (built, unchanged), after an edit since the build, and
cold (no build: it builds first). It asserts nothing about speed.

The stages are the build's own: `builder.pipeline.build` runs them and hands each to
the timer given it, and every stage in `builder.pipeline.STAGES` must be timed. A stage
or a measurement that cannot run stops the benchmark: it names it and exits non-zero.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
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
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_bench  # noqa: E402
from generate import FOLDERS, generate  # noqa: E402

QUICK = 200
EDIT_FROM = "The letter dealt with"  # every article reporting a letter first has this sentence
EDIT_TO = "The letter concerned"


class BenchFailed(Exception):
    """A stage or a measurement that could not run: the benchmark stops, naming it."""


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """The peak resident memory of this process (or of the largest of its children ended so far)."""
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def _peak_mb(pid: int) -> float:
    """The peak resident memory of a running process, from /proc (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise BenchFailed(f"no peak memory (VmHWM) in /proc/{pid}/status")


def _children_cpu() -> float:
    """CPU seconds of this process's ended children: MkDocs' rendering workers."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _edit(root: Path, word: str) -> tuple[Path, str]:
    """Change a few words of one article on disk; return it and the words to look for."""
    article = next(p for p in sorted((root / "content" / "articles").glob("*.md"))
                   if EDIT_FROM in p.read_text(encoding="utf-8"))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(EDIT_FROM, f"{EDIT_TO} {word}", 1), encoding="utf-8")
    return article, f"{EDIT_TO} {word}"


# --- In a forked process: the build, stage by stage, then an edit regenerated in-process -------

class _Timer:
    """A builder.pipeline.Timer: runs each stage of the build and times it (MkDocs' only if wanted)."""

    def __init__(self, stages: tuple[str, ...], mkdocs: bool) -> None:
        self.stages, self.mkdocs = stages, mkdocs
        self.seconds: dict[str, float] = {}  # wall-clock
        self.cpu: dict[str, float] = {}  # this process's CPU time: steadier on a machine others share
        self.peak: dict[str, float] = {}
        self.made: dict[str, object] = {}  # what render, index and outputs returned, measured: their sizes are printed
        self.ran: list[str] = []
        self.running: str | None = None  # the stage that raised, if one did

    def __call__(self, stage, work, /, *args, **kwargs):
        if stage not in self.stages:
            raise BenchFailed(f"the build ran a stage builder.pipeline.STAGES does not list: '{stage}'")
        if stage in self.ran:
            raise BenchFailed(f"the build ran the stage '{stage}' twice")
        self.ran.append(stage)
        if stage == "mkdocs" and not self.mkdocs:
            return None  # --no-mkdocs: site/ stays empty
        self.running = stage
        start, start_cpu = time.perf_counter(), time.process_time() + _children_cpu()
        result = work(*args, **kwargs)
        self.running = None
        self.seconds[stage] = time.perf_counter() - start
        self.cpu[stage] = time.process_time() + _children_cpu() - start_cpu
        self.peak[stage] = _rss_mb()
        if stage in _SIZES:  # measured now: holding the files themselves would add to the peak
            self.made[stage] = _SIZES[stage](result)
        return result


def _index_sizes(made) -> dict:
    _, index = made
    shards = [len(text) for path, text in index.items() if "/terms/" in path]
    return {"bytes": sum(len(t) for t in index.values()), "files": len(index), "paths": set(index),
            "largest_shard": max(shards, default=0), "shards": len(shards)}


# What the render, index and outputs stages return, as the table prints it.
_SIZES = {"render": lambda made: set(made[0]),  # the pages rendered (each written as it is made)
          "index": _index_sizes,
          "outputs": lambda files: {path: len(text.encode("utf-8")) for path, text in files.items()}}


def _build(root: Path, mkdocs: bool) -> dict:
    import builder.pipeline as pipeline

    project = pipeline.Project(root)
    timer = _Timer(pipeline.STAGES, mkdocs)
    try:
        report = pipeline.build(project, timer)
    except BenchFailed:
        raise
    except Exception as err:  # the stage it happened in, or the build around the stages
        where = f"the stage '{timer.running}'" if timer.running else "the build"
        raise BenchFailed(f"{where} failed: {type(err).__name__}: {err}") from err
    untimed = [stage for stage in pipeline.STAGES if stage not in timer.ran]
    if untimed:
        raise BenchFailed(f"builder.pipeline.build did not run the stages {', '.join(untimed)} through its timer")
    pages, index_stats, export_stats = timer.made["render"], timer.made["index"], timer.made["outputs"]
    index_stats["pages_bytes"] = sum((project.docs / path).stat().st_size for path in pages)
    index = index_stats.pop("paths")
    workers = _rss_mb(resource.RUSAGE_CHILDREN)  # MkDocs' worker processes, if it ran any
    shards = _mkdocs_alone(project, timer) if mkdocs else {}

    # A saved edit until `archive build` (incremental, from the state the build above kept) has
    # written and rendered it, in this warm process (modules loaded).
    try:
        path, words = _edit(root, "quietly")
        start = time.perf_counter()
        after = pipeline.build(project, _Timer(pipeline.STAGES, mkdocs))
        edit = {"seconds": time.perf_counter() - start, "written": len(after.written)}
        page = project.docs / "articles" / (path.stem + ".md")
        shown = page.exists() and words in page.read_text(encoding="utf-8")
    except Exception as err:
        raise BenchFailed(f"edit -> archive build failed: {type(err).__name__}: {err}") from err
    if not shown:
        raise BenchFailed(f"edit -> archive build: {page} does not hold the edit")
    return {"seconds": timer.seconds, "cpu": timer.cpu, "peak_mb": timer.peak, "stages": pipeline.STAGES,
            "pages": len({*pages, *index, *export_stats}), "warnings": len(report.warnings), "edit": edit,
            "index": index_stats, "exports": export_stats, "workers_mb": workers, "shards": shards}


def _mkdocs_alone(project, timer: _Timer) -> dict[int, tuple[float, float]]:
    """Wall and CPU seconds of MkDocs alone on the pages just built, by number of workers: the build's
    own stage for all cores (its default), and one process (MkDocs' own build) and two rendered again."""
    from builder.write.shards import default_jobs
    from builder.write.write import render_site

    seconds = {default_jobs(): (timer.seconds["mkdocs"], timer.cpu["mkdocs"])}
    for jobs in sorted({1, 2} - seconds.keys()):
        scratch = project.root / "build" / f"bench-site-{jobs}"
        start, start_cpu = time.perf_counter(), time.process_time() + _children_cpu()
        try:
            render_site(project.config, project.docs, scratch, "0", jobs=jobs)
        except Exception as err:
            raise BenchFailed(f"MkDocs alone on {jobs} worker(s) failed: {type(err).__name__}: {err}") from err
        seconds[jobs] = (time.perf_counter() - start, time.process_time() + _children_cpu() - start_cpu)
        shutil.rmtree(scratch)
    return dict(sorted(seconds.items()))


def _forked(work, *args):
    """Run work(*args) in a forked process, so its peak memory is not an earlier size's."""
    sys.stdout.flush()  # or the fork writes what is buffered again
    sys.stderr.flush()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        return pool.submit(work, *args).result()


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


@contextlib.contextmanager
def _served(root: Path, what: str, start_timeout: float) -> Iterator[dict]:
    """`archive serve` on `root` until its home page is served: its port and the seconds that took;
    its peak memory ("peak_mb") once the block is done, read before it is stopped."""
    port = _free_port()
    log = open(root / "serve.log", "w", encoding="utf-8")
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "archive"), "serve", "--root", str(root),
                               "--dev-addr", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True, cwd=root)
    try:
        started = time.perf_counter()
        while _get(f"http://127.0.0.1:{port}/") is None:
            if server.poll() is not None:
                log.flush()
                said = (root / "serve.log").read_text(encoding="utf-8").strip().splitlines()[-5:]
                raise BenchFailed(f"{what}: archive serve exited with {server.returncode}: " + " / ".join(said))
            if time.perf_counter() - started > start_timeout:
                raise BenchFailed(f"{what}: archive serve was not serving within {start_timeout:.0f} s")
            time.sleep(0.1)
        run = {"port": port, "seconds": time.perf_counter() - started}
        yield run
        run["peak_mb"] = _peak_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGINT)  # the server's own process group, started above
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def _serve_start(root: Path, what: str, start_timeout: float) -> dict:
    with _served(root, what, start_timeout) as run:
        pass
    return run


def _serve_edit(root: Path, start_timeout: float, edit_timeout: float) -> dict:
    """Serve start on the built project (warm), a saved edit until the preview serves it, then serve
    start after that edit (made since the last build) and on the project without a build (cold)."""
    out: dict = {}
    with _served(root, "edit -> preview", start_timeout) as run:
        port, out["startup"] = run["port"], run["seconds"]
        time.sleep(1.5)  # let the watcher take its first snapshot of content/
        path, words = _edit(root, "plainly")
        url = f"http://127.0.0.1:{port}/articles/{path.stem}.html"
        edited = time.perf_counter()
        while True:
            page = _get(url)
            if page is not None and words in page:
                out["seconds"] = time.perf_counter() - edited
                break
            if time.perf_counter() - edited > edit_timeout:
                raise BenchFailed(f"edit -> preview: {url} did not show the edit within {edit_timeout:.0f} s "
                                  f"(archive serve started in {out['startup']:.1f} s)")
            time.sleep(0.25)
    out["peak_mb"] = {"warm": run["peak_mb"]}  # started warm, then rebuilt the edit
    edited = _serve_start(root, "serve start, one edit since the build", start_timeout)
    shutil.rmtree(root / "build")  # as a fresh checkout: no state, no pages
    shutil.rmtree(root / "site")
    cold = _serve_start(root, "serve start, no build", start_timeout)
    out["edited"], out["cold"] = edited["seconds"], cold["seconds"]
    out["peak_mb"].update(edited=edited["peak_mb"], cold=cold["peak_mb"])
    return out


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
        phases = {"generate": generated}
        print(f"\n== {articles} articles: {records} records ("
              + ", ".join(f"{counts.get(f, 0)} {f}" for f in FOLDERS) + f"), generated in {generated:.1f} s", flush=True)

        stages = _forked(_build, tmp, not args.no_mkdocs)
        phases["build and edit"] = time.perf_counter() - start - sum(phases.values())
        site = None if args.no_mkdocs else _site_stats(tmp / "site")  # before serve cold replaces it
        serve = {} if args.no_serve or args.no_mkdocs else _serve_edit(tmp, args.serve_start_timeout,
                                                                          args.edit_timeout)
        phases["serve"] = time.perf_counter() - start - sum(phases.values())
        _table(records, stages, serve, site)
        if not args.no_search:
            _search(tmp, not args.no_mkdocs, args.search_repeats)
            phases["search"] = time.perf_counter() - start - sum(phases.values())
        print(f"  this size took {time.perf_counter() - start:.0f} s: "
              + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in phases.items()), flush=True)
    finally:
        if args.keep:
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _search(root: Path, built: bool, repeats: int) -> None:
    """Search in Chromium on the built site; without one, on a one-page site holding the whole index."""
    import yaml

    site = root / "site"
    if not built:
        site = _search_shell(root)
    people = sorted((root / "content" / "people").glob("*.md"))
    summits = sorted((root / "content" / "summits").glob("*.md"))
    front = [yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1]) for p in (people[0], summits[0])]
    print(f"  search in Chromium ({'the built site' if built else 'a one-page site with the whole index'}):")
    search_bench.report(site, [front[0]["name"], front[1]["title"], "letter", "president summit", "pre"], repeats)


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


def _table(records, stages, serve, site) -> None:
    seconds, cpu, peak = stages["seconds"], stages["cpu"], stages["peak_mb"]
    rows = [(name, seconds[name], cpu[name], peak[name]) for name in stages["stages"] if name in seconds]
    print(f"  {'stage':<10} {'wall s':>9} {'CPU s':>9} {'wall µs/record':>15} {'CPU µs/record':>14} {'peak MB':>8}")
    for name, wall, used, mb in rows:
        print(f"  {name:<10} {wall:9.2f} {used:9.2f} {wall / records * 1e6:15.0f} {used / records * 1e6:14.0f} "
              f"{mb:8.0f}")
    total_wall, total_cpu = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"  {'total':<10} {total_wall:9.2f} {total_cpu:9.2f} {total_wall / records * 1e6:15.0f} "
          f"{total_cpu / records * 1e6:14.0f}")
    before = stages["stages"][:stages["stages"].index("mkdocs")]  # peaks only grow: the builder's, then MkDocs'
    builder = max(mb for name, _, _, mb in rows if name in before)
    print(f"  peak memory (RSS): builder stages {builder:.0f} MB"
          + (f", the build with MkDocs {peak['mkdocs']:.0f} MB" if "mkdocs" in peak else "")
          + f", with saving its state {max(r[3] for r in rows):.0f} MB"
          + (f", largest child process (MkDocs workers, git) {stages['workers_mb']:.0f} MB" if stages["workers_mb"] else "")
          + "; " + ", ".join(f"archive serve {how} {mb:.0f} MB" for how, mb in serve.get("peak_mb", {}).items())
          + f"{'; ' if serve else ''}this benchmark's own process {_rss_mb():.0f} MB")
    print(f"  pages: {stages['pages']} Markdown pages; check: 0 errors, {stages['warnings']} warnings")
    if site:
        path, kb = site["largest"] or ("-", 0)
        print(f"  site/: {site['mb']:.1f} MB, {site['html']} HTML files; largest page {path} ({kb:.0f} KB)")
    ix = stages["index"]
    print(f"  search index: {ix['bytes'] / 1e6:.1f} MB in {ix['files']} files ({ix['shards']} shards, "
          f"largest {ix['largest_shard'] / 1e3:.0f} KB), {ix['bytes'] / ix['pages_bytes']:.0%} of the "
          f"pages' Markdown ({ix['pages_bytes'] / 1e6:.1f} MB)")
    sizes = stages["exports"]
    big = sorted(sizes.items(), key=lambda item: -item[1])[:6]
    print(f"  downloads, Data page, feed, redirects ('outputs'): {sum(sizes.values()) / 1e6:.1f} MB in "
          f"{len(sizes)} files; " + ", ".join(f"{path} {size / 1e6:.1f} MB" for path, size in big))
    if stages["shards"]:  # CPU seconds: of all processes; wall ones, while others share the cores, vary
        one, one_cpu = stages["shards"][1]
        print(f"  MkDocs alone: one process {one:.2f} s (CPU {one_cpu:.2f} s), " + ", ".join(
            f"{jobs} workers {took:.2f} s ({took / one:.2f} of one process; CPU {used:.2f} s)"
            for jobs, (took, used) in stages["shards"].items() if jobs > 1)
            + f"; the build renders on {max(stages['shards'])}")
    edit = stages["edit"]
    print(f"  edit -> archive build: {edit['seconds']:.2f} s ({edit['written']} pages written, page updated)")
    if serve:
        print(f"  edit -> preview: {serve['seconds']:.2f} s (serve started in {serve['startup']:.1f} s)")
        print(f"  serve start: warm {serve['startup']:.2f} s (built, unchanged), {serve['edited']:.2f} s "
              f"(one edit since the build), cold {serve['cold']:.2f} s (no build: it builds first)")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, action="append", help="archive size; repeat for several")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK} articles, a smoke run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-mkdocs", action="store_true", help="stop after writing the Markdown pages")
    parser.add_argument("--no-serve", action="store_true", help="skip the edit-to-preview timing")
    parser.add_argument("--no-search", action="store_true", help="skip timing search in Chromium")
    parser.add_argument("--search-repeats", type=int, default=search_bench.REPEATS,
                        help="each query on a fresh page this many times")
    # Bounds, not goals: a wait past them is reported as a failure. At 10,000 articles a whole check takes
    # minutes on a shared machine; a serve start past half an hour is past the benchmark's whole budget.
    parser.add_argument("--edit-timeout", type=float, default=900.0, help="seconds to wait for the preview")
    parser.add_argument("--serve-start-timeout", type=float, default=1800.0,
                        help="seconds to wait for `archive serve` to start serving")
    parser.add_argument("--keep", action="store_true", help="keep the generated project folders")
    args = parser.parse_args(argv)
    sizes = args.articles or ([QUICK] if args.quick else [1000])
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
          "wall seconds depend on what else runs, CPU seconds less so")
    for articles in sizes:
        try:
            bench(articles, args.seed, args)
        except BenchFailed as failed:
            traceback.print_exception(failed)
            sys.exit(f"build_bench: {articles} articles: {failed}")


if __name__ == "__main__":
    main()
