"""Time each builder stage, MkDocs, an edit and the preview on generated archives of N articles.

    .venv/bin/python bench/build_bench.py --articles 1000 --articles 10000   # what `make bench` runs
    .venv/bin/python bench/build_bench.py --quick                            # 200 articles, a smoke run

For each size, bench/generate.py writes an archive shaped like content/ into a
temporary folder, then this prints each figure as soon as it is measured:

- the clean build: each stage's wall and CPU seconds, µs per record and peak memory
  (load, validate, link, the contributor checks, derive, the records' pages on every core,
  render (the index pages), the search index, the
  downloads/feed/redirects, write, collect, MkDocs on every core, save), the total, the number of
  pages, the search index and the downloads. The build measured is the one `archive serve`
  runs first on a project without one, so the same run gives serve start, cold (with
  --no-serve, `builder.pipeline.build` alone): nothing is built twice;
- MkDocs alone in one process (and on 2 workers where the machine has more than 2 cores;
  the build's own MkDocs stage is the figure on all cores), the size of site/, its largest page;
- a word changed in one article until `archive build` has written and rendered it (an
  incremental build in a fresh process, modules loaded), with its stages: the first edit
  after the clean build, then another;
- `archive server start` until the build server is ready, then the same edit until `archive
  build` (the whole command, handing its work to that server) has rendered it, twice, and
  one until `archive check` has checked it there;
- serve start on the built, unchanged project (warm) and until it says it is ready for edits
  (its warm-up: MkDocs set up, the archive checked), then a saved edit until that preview
  serves it (polled over http on 127.0.0.1, bounded), serve start with one edit made since
  the build; each `archive serve`'s peak memory;
- search in Chromium (bench/search_bench.py);
- the seconds each part took, and the whole run's against its budget (--budget, by default
  the 30 minutes issue 19 gives `make bench`): a run over it ends with an error.

It asserts nothing about speed. The stages are the build's own: `builder.pipeline.build`
runs them and hands each to the timer given it, and every stage in `builder.pipeline.STAGES`
must be timed. A stage or a measurement that cannot run stops the benchmark: it names it and
exits non-zero. Each measurement runs in a process of its own, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import typing
import tempfile
import time
import traceback
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

STARTED = time.perf_counter()  # the budget is the whole run's, imports and removing its folders too

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_bench  # noqa: E402
from generate import FOLDERS, generate  # noqa: E402

QUICK = 200
BUDGET = 30 * 60  # seconds: issue 19 gives `make bench` (1,000 and 10,000 articles) half an hour
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


def _cpu() -> float:
    """CPU seconds of this process and of its ended children (MkDocs' rendering workers)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + used.ru_utime + used.ru_stime


def _edit(root: Path, word: str) -> tuple[Path, str]:
    """Change a few words of one article on disk; return it and the words to look for."""
    article = next(p for p in sorted((root / "content" / "articles").glob("*.md"))
                   if EDIT_FROM in p.read_text(encoding="utf-8"))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(EDIT_FROM, f"{EDIT_TO} {word}", 1), encoding="utf-8")
    return article, f"{EDIT_TO} {word}"


# --- Measurements in forked processes, telling this one what they measure as they go -----------

Send = Callable[[str, object], None]  # send(kind, what): "say" a line to print, or "built" figures


def _child(conn, log: Path | None, work, args) -> None:
    """In the forked process: work(send, *args); its result, or what stopped it with its traceback."""
    signal.signal(signal.SIGINT, signal.default_int_handler)  # stopped by an interrupt (_interruptible)
    if log is not None:  # the server's own chatter goes to its log, not among the figures
        with open(log, "w", encoding="utf-8") as out:
            os.dup2(out.fileno(), 1)
            os.dup2(out.fileno(), 2)
    try:
        conn.send(("done", work(lambda kind, what: conn.send((kind, what)), *args)))
    except BaseException as err:  # noqa: BLE001 - every failure is reported, none is hidden
        message = str(err) if isinstance(err, BenchFailed) else f"{type(err).__name__}: {err}"
        conn.send(("failed", (message, traceback.format_exc())))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        conn.close()


class _Forked:
    """work(send, *args) in a forked process: what it sends, printed (or handed to `on_built`) as it
    comes; its result; a failure in it stops the benchmark here, with the child's traceback."""

    def __init__(self, what: str, work, *args, log: Path | None = None,
                 on_built: Callable[[dict], None] | None = None) -> None:
        self.what, self.on_built, self.result, self.done = what, on_built, None, False
        sys.stdout.flush()  # or the fork writes what is buffered again
        sys.stderr.flush()
        context = multiprocessing.get_context("fork")
        self.conn, theirs = context.Pipe(duplex=False)
        self.process = context.Process(target=_child, args=(theirs, log, work, args))
        self.process.start()
        theirs.close()

    def poll(self, timeout: float = 0.0) -> bool:
        """Take what the process sent; whether its result is in."""
        while not self.done and self.conn.poll(timeout):
            timeout = 0.0
            try:
                kind, what = self.conn.recv()
            except EOFError:  # it ended without a result
                self.process.join()
                raise BenchFailed(f"{self.what}: its process ended (exit code {self.process.exitcode}) "
                                  "without a result") from None
            if kind == "say":
                print(what, flush=True)
            elif kind == "built" and self.on_built:
                self.on_built(what)
            elif kind == "failed":
                message, where = what
                sys.stderr.write(f"{self.what}, in its process:\n{where}")
                self.process.join()
                raise BenchFailed(message)
            elif kind == "done":
                self.result, self.done = what, True
                self.process.join()
        return self.done

    def wait(self):
        while not self.poll(1.0):
            pass
        return self.result

    def stop(self) -> None:
        """Interrupt it (as Ctrl-C does) and take its result; killed if it does not end."""
        if self.process.is_alive():
            os.kill(self.process.pid, signal.SIGINT)
        started = time.perf_counter()
        while not self.poll(0.5):
            if time.perf_counter() - started > 60:
                self.kill()
                raise BenchFailed(f"{self.what}: its process did not stop within 60 s of an interrupt")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


# --- The clean build, stage by stage ----------------------------------------------------------

class _Timer:
    """A builder.pipeline.Timer: runs each stage of the build and times it (MkDocs' only if wanted);
    with `send`, sends each stage's row as it ends."""

    def __init__(self, stages: tuple[str, ...], mkdocs: bool, records: int = 0, send: Send | None = None) -> None:
        self.stages, self.mkdocs, self.records, self.send = stages, mkdocs, records, send
        self.seconds: dict[str, float] = {}  # wall-clock
        self.cpu: dict[str, float] = {}  # CPU time: steadier on a machine others share
        self.peak: dict[str, float] = {}
        self.made: dict[str, typing.Any] = {}  # what pages, render, index and outputs returned, measured: their sizes are printed
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
        start, start_cpu = time.perf_counter(), _cpu()
        result = work(*args, **kwargs)
        self.running = None
        self.seconds[stage] = time.perf_counter() - start
        self.cpu[stage] = _cpu() - start_cpu
        self.peak[stage] = _rss_mb()
        if stage in _SIZES:  # measured now: holding the files themselves would add to the peak
            self.made[stage] = _SIZES[stage](result)
        if self.send:
            self.send("say", _row(stage, self.seconds[stage], self.cpu[stage], self.records, self.peak[stage]))
        return result


def _row(name: str, wall: float, cpu: float, records: int, mb: float | None = None) -> str:
    return (f"  {name:<10} {wall:9.2f} {cpu:9.2f} {wall / records * 1e6:15.0f} {cpu / records * 1e6:14.0f}"
            + (f" {mb:8.0f}" if mb is not None else ""))


def _index_sizes(docs: Path, paths: set[str]) -> dict:
    """The search index's files as the index stage wrote them (ASCII: a byte a character)."""
    sizes = {path: (docs / path).stat().st_size for path in paths}
    shards = [size for path, size in sizes.items() if "/terms/" in path]
    return {"bytes": sum(sizes.values()), "files": len(sizes), "paths": set(sizes),
            "largest_shard": max(shards, default=0), "shards": len(shards)}


# What the render, index and outputs stages return, as the figures print it.
_SIZES = {"pages": lambda made: set(made.hashes),  # the records' pages made (each written as it is made)
          "render": lambda made: set(made[0]),  # the index and pair pages rendered
          "index": lambda made: made[0].paths(),  # the search index's files (written as they are made: sized on disk)
          # the Data page, the feed, the redirects, and the downloads (joined as they are written: sized on disk)
          "outputs": lambda whole: set(whole.paths())}


def _timed_build(build, project, timer: _Timer, send: Send):
    """build(project, timer): every stage timed, its figures sent as soon as it is done."""
    import builder.pipeline as pipeline
    from builder.model.errors import BuildError
    from builder.forks import default_jobs

    try:
        report = build(project, timer)
    except BenchFailed:
        raise
    except BuildError as err:
        raise BenchFailed(f"the build failed: {err.format_message()}") from err
    except Exception as err:  # the stage it happened in, or the build around the stages
        where = f"the stage '{timer.running}'" if timer.running else "the build"
        raise BenchFailed(f"{where} failed: {type(err).__name__}: {err}") from err
    untimed = [stage for stage in pipeline.STAGES if stage not in timer.ran]
    if untimed:
        raise BenchFailed(f"builder.pipeline.build did not run the stages {', '.join(untimed)} through its timer")
    pages, index_stats = timer.made["pages"] | timer.made["render"], _index_sizes(project.docs, timer.made["index"])
    export_stats = {path: (project.docs / path).stat().st_size for path in timer.made["outputs"]}
    index_stats["pages_bytes"] = sum((project.docs / path).stat().st_size for path in pages)
    index = index_stats.pop("paths")
    send("built", {"seconds": timer.seconds, "cpu": timer.cpu, "peak_mb": timer.peak, "stages": timer.ran,
                   "pages": len({*pages, *index, *export_stats}), "warnings": len(report.warnings),
                   "index": index_stats, "exports": export_stats, "jobs": default_jobs(),
                   "workers_mb": _rss_mb(resource.RUSAGE_CHILDREN)})  # MkDocs' worker processes, if it ran any
    return report


def _clean_build(send: Send, root: Path, records: int, mkdocs: bool) -> None:
    """`builder.pipeline.build` alone, on a project without a build (--no-serve, --no-mkdocs)."""
    import builder.pipeline as pipeline

    _timed_build(pipeline.build, pipeline.Project(root), _Timer(pipeline.STAGES, mkdocs, records, send), send)


def _serve_cold(send: Send, root: Path, records: int, port: int) -> float:
    """`archive serve` on a project without a build: it builds first, timed stage by stage (the
    build is `builder.pipeline.build`, as `archive build` runs it, given this benchmark's timer),
    then serves until interrupted. Its peak memory."""
    import builder.pipeline as pipeline
    import builder.preview.serve as preview
    from builder.cli.commands import cli

    timer = _Timer(pipeline.STAGES, True, records, send)
    build = preview.build
    if build is not pipeline.build:
        raise BenchFailed("archive serve no longer builds with builder.pipeline.build: time its build otherwise")
    preview.build = lambda project: _timed_build(build, project, timer, send)
    try:
        cli.main(["serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{port}"], prog_name="archive",
                 standalone_mode=False)
    except (BenchFailed, KeyboardInterrupt):
        raise
    except Exception as err:
        raise BenchFailed(f"serve start, no build: archive serve failed: {type(err).__name__}: {err}") from err
    if not timer.ran:
        raise BenchFailed("serve start, no build: archive serve did not build the project first")
    return _rss_mb()


# --- MkDocs alone, and an edit until `archive build` has rendered it ---------------------------

def _mkdocs_alone(send: Send, root: Path, jobs: int) -> dict:
    """Wall and CPU seconds and peak memory of MkDocs alone on the pages built, on `jobs` workers."""
    import builder.pipeline as pipeline
    from builder.write import write

    project = pipeline.Project(root)
    scratch = project.root / "build" / f"bench-site-{jobs}"
    start, start_cpu = time.perf_counter(), _cpu()
    try:
        write.render_site(project.config, project.docs, scratch, "0", jobs=jobs)
    except Exception as err:
        raise BenchFailed(f"MkDocs alone on {jobs} worker(s) failed: {type(err).__name__}: {err}") from err
    figures = {"seconds": time.perf_counter() - start, "cpu": _cpu() - start_cpu,
               "peak_mb": max(_rss_mb(), _rss_mb(resource.RUSAGE_CHILDREN))}
    shutil.rmtree(scratch)
    return figures


def _edit_build(send: Send, root: Path, mkdocs: bool) -> dict:
    """A saved edit until `archive build` (incremental, from the state the last build kept) has
    written and rendered it, in a process with the builder's modules loaded."""
    import builder.pipeline as pipeline

    project = pipeline.Project(root)
    try:
        path, words = _edit(root, "quietly")
        start, start_cpu = time.perf_counter(), _cpu()
        after = pipeline.build(project, _Timer(pipeline.STAGES, mkdocs))
        edit = {"seconds": time.perf_counter() - start, "cpu": _cpu() - start_cpu, "written": len(after.written),
                "steps": after.steps, "peak_mb": _rss_mb()}
        page = project.docs / "articles" / (path.stem + ".md")
        shown = page.exists() and words in page.read_text(encoding="utf-8")
    except Exception as err:
        raise BenchFailed(f"edit -> archive build failed: {type(err).__name__}: {err}") from err
    if not shown:
        raise BenchFailed(f"edit -> archive build: {page} does not hold the edit")
    return edit


def _server_edits(root: Path, start_timeout: float) -> None:
    """`archive server start` until it is ready, then a saved edit until `archive build` (handing its work
    to that server) has written and rendered it, twice, and one until `archive check` has checked it there:
    each the whole command, as a contributor runs it."""
    archive = str(ROOT / ".venv" / "bin" / "archive")

    def run(*args: str, timeout: float) -> str:
        try:
            done = subprocess.run([archive, *args, "--root", str(root)], capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BenchFailed(f"archive {' '.join(args)} did not finish within {timeout:.0f} s") from None
        if done.returncode != 0:
            raise BenchFailed(f"archive {' '.join(args)} exited with {done.returncode}: {done.stderr.strip()[-500:]}")
        return done.stdout

    started = time.perf_counter()
    said = run("server", "start", timeout=start_timeout)
    ready = time.perf_counter() - started
    found = re.search(r"ready \(process (\d+)\)", said)
    if found is None:
        raise BenchFailed(f"archive server start did not say it is ready: {said.strip()}")
    pid = int(found[1])
    try:
        print(f"  build server: ready after {ready:.2f} s (`archive server start`: the state read back, the "
              f"archive linked and checked)", flush=True)
        for which in ("edit", "another edit"):
            path, words = _edit(root, f"served {which.split()[0]}")
            edited = time.perf_counter()
            said = run("build", timeout=start_timeout)
            seconds = time.perf_counter() - edited
            built = re.search(r" in ([\d.]+) s by the build server \(process (\d+)\); (\d+) written anew", said)
            if built is None or int(built[2]) != pid:
                raise BenchFailed(f"{which} -> archive build: not built by the build server: {said.strip()}")
            page = root / "site" / "articles" / (path.stem + ".html")
            if words not in page.read_text(encoding="utf-8"):
                raise BenchFailed(f"{which} -> archive build with the server: {page} does not hold the edit")
            print(f"  {which} -> archive build with the server: {seconds:.2f} s, the whole command (the server's "
                  f"build {float(built[1]):.2f} s; {built[3]} pages written; the server's peak memory so far "
                  f"{_peak_mb(pid):.0f} MB)", flush=True)
            time.sleep(3)  # as a contributor between edits: the server saves its state meanwhile
        _edit(root, "served check")
        edited = time.perf_counter()
        said = run("check", timeout=start_timeout)
        seconds = time.perf_counter() - edited
        if f"(checked by the build server, process {pid})." not in said:
            raise BenchFailed(f"edit -> archive check: not checked by the build server: {said.strip()}")
        print(f"  edit -> archive check with the server: {seconds:.2f} s, the whole command", flush=True)
        run("build", timeout=start_timeout)  # built and unchanged again, as the warm serve start below wants it
    finally:
        run("server", "stop", timeout=start_timeout)


# --- `archive serve`: start, and a saved edit until the preview serves it ----------------------

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


def _cold(root: Path, records: int, start_timeout: float, on_built: Callable[[dict], None]) -> dict:
    """Serve start on a project without a build, in a forked process that times the build it runs."""
    port = _free_port()
    server = _Forked("serve start, no build", _serve_cold, root, records, port, log=root / "serve.log",
                     on_built=on_built)
    try:
        started = time.perf_counter()
        while _get(f"http://127.0.0.1:{port}/") is None:
            if server.poll(0.1):
                raise BenchFailed("serve start, no build: archive serve ended before serving")
            if time.perf_counter() - started > start_timeout:
                raise BenchFailed(f"serve start, no build: archive serve was not serving within {start_timeout:.0f} s")
        seconds = time.perf_counter() - started
        server.stop()
    finally:
        server.kill()
    return {"seconds": seconds, "peak_mb": server.result}


def _interruptible() -> None:
    """In a process about to run `archive serve`: an interrupt stops it, as Ctrl-C does, even when this
    benchmark was started in the background (`make bench &`: a shell starts it with interrupts ignored,
    and its children inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def _served(root: Path, what: str, start_timeout: float) -> Iterator[dict]:
    """`archive serve` on `root` until its home page is served: its port and the seconds that took;
    its peak memory ("peak_mb") once the block is done, read before it is stopped."""
    port = _free_port()
    log = open(root / "serve.log", "w", encoding="utf-8")
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "archive"), "serve", "--root", str(root),
                               "--dev-addr", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True, cwd=root, preexec_fn=_interruptible)
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
        run = {"port": port, "seconds": time.perf_counter() - started, "started": started}
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


def _warm_and_edit(root: Path, start_timeout: float, edit_timeout: float) -> None:
    """Serve start on the built, unchanged project, until it says it is ready for edits (its warm-up
    done: MkDocs set up, the archive checked), then a saved edit until that preview serves it."""
    from builder.preview.serve import READY

    with _served(root, "edit -> preview", start_timeout) as run:
        while READY not in (root / "serve.log").read_text(encoding="utf-8"):
            if time.perf_counter() - run["started"] > start_timeout:
                raise BenchFailed(f"serve start: archive serve did not say '{READY}' within {start_timeout:.0f} s")
            time.sleep(0.1)
        ready = time.perf_counter() - run["started"]
        said = (root / "serve.log").read_text(encoding="utf-8")
        if "Content changed since the last build" in said or "building it first" in said:
            raise BenchFailed("serve start, warm: the project was not built and unchanged (a stage before left an "
                              f"edit unbuilt): {said.strip()[-300:]}")
        print(f"  serve start: warm {run['seconds']:.2f} s (built, unchanged); ready for edits after {ready:.2f} s",
              flush=True)
        time.sleep(0.5)  # the watcher's first snapshot of content/ is taken before serving; settle
        path, words = _edit(root, "plainly")
        url = f"http://127.0.0.1:{run['port']}/articles/{path.stem}.html"
        edited = time.perf_counter()
        while True:
            page = _get(url)
            if page is not None and words in page:
                seconds = time.perf_counter() - edited
                break
            if time.perf_counter() - edited > edit_timeout:
                raise BenchFailed(f"edit -> preview: {url} did not show the edit within {edit_timeout:.0f} s "
                                  f"(archive serve started in {run['seconds']:.1f} s)")
            time.sleep(0.25)
    print(f"  edit -> preview: {seconds:.2f} s (in that preview; its peak memory {run['peak_mb']:.0f} MB)", flush=True)


def _serve_edited(root: Path, start_timeout: float) -> None:
    with _served(root, "serve start, one edit since the build", start_timeout) as run:
        pass
    print(f"  serve start: {run['seconds']:.2f} s with one edit since the build (peak memory {run['peak_mb']:.0f} MB)",
          flush=True)


# --- One size ----------------------------------------------------------------------------------

def _site_stats(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html"]
    largest = max(html, key=lambda p: p.stat().st_size, default=None)
    return {"mb": sum(p.stat().st_size for p in files) / 1e6, "html": len(html),
            "largest": (largest.relative_to(site).as_posix(), largest.stat().st_size / 1024) if largest else None}


class _Phases:
    """The wall and CPU seconds each part of one size took, each from where the last ended. The CPU
    seconds are this process's and its ended children's (every measurement's process, each `archive
    serve`, Chromium): what the run costs whatever else shares the machine."""

    def __init__(self) -> None:
        self.started = self.last = (time.perf_counter(), _cpu())
        self.seconds: dict[str, tuple[float, float]] = {}

    def done(self, name: str) -> None:
        now = (time.perf_counter(), _cpu())
        self.seconds[name], self.last = (now[0] - self.last[0], now[1] - self.last[1]), now

    def said(self) -> str:
        wall, cpu = time.perf_counter() - self.started[0], _cpu() - self.started[1]
        return (f"this size {wall:.0f} s (CPU {cpu:.0f} s): "
                + ", ".join(f"{name} {w:.0f} s (CPU {c:.0f} s)" for name, (w, c) in self.seconds.items()))


def bench(articles: int, seed: int, args) -> None:
    """Every figure for one size, each printed when measured."""
    tmp = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    try:
        phases = _Phases()
        # In a process of its own: what it holds would otherwise count in the peak memory of every
        # measurement's process forked from this one.
        counts = _Forked("generate", lambda send: generate(tmp, articles, seed)).wait()
        phases.done("generate")
        shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
        shutil.copytree(ROOT / "overrides", tmp / "overrides")
        records = sum(v for k, v in counts.items())
        print(f"\n== {articles} articles: {records} records ("
              + ", ".join(f"{counts.get(f, 0)} {f}" for f in FOLDERS)
              + f"), generated in {phases.seconds['generate'][0]:.1f} s", flush=True)
        mkdocs, serve = not args.no_mkdocs, not (args.no_serve or args.no_mkdocs)
        print("  the clean build" + (", the one `archive serve` runs first on a project without one" if serve else "")
              + ", each stage as it ends:")
        print(f"  {'stage':<10} {'wall s':>9} {'CPU s':>9} {'wall µs/record':>15} {'CPU µs/record':>14} {'peak MB':>8}",
              flush=True)
        built: dict = {}

        def on_built(figures: dict) -> None:
            built.update(figures)
            _print_build(records, figures)

        if serve:
            cold = _cold(tmp, records, args.serve_start_timeout, on_built)
            print(f"  serve start: cold {cold['seconds']:.2f} s (no build: it builds first, the build above; "
                  f"peak memory {cold['peak_mb']:.0f} MB)", flush=True)
            phases.done("clean build and serve cold")
        else:
            _Forked("the clean build", _clean_build, tmp, records, mkdocs, on_built=on_built).wait()
            phases.done("clean build")
        if mkdocs:
            _print_site(_site_stats(tmp / "site"))
            _print_mkdocs_alone(tmp, built)
            phases.done("MkDocs alone")
        # The first edit after a clean build, then another: the first also reads again the files written
        # too shortly before the clean build read them to trust their times (validate/cache.py).
        for which in ("edit", "another edit"):
            edit = _Forked(f"{which} -> archive build", _edit_build, tmp, mkdocs).wait()
            print(f"  {which} -> archive build: {edit['seconds']:.2f} s ({edit['written']} pages written, page "
                  f"updated; CPU {edit['cpu']:.2f} s, peak memory {edit['peak_mb']:.0f} MB; "
                  + ", ".join(f"{step} {seconds:.2f}" for step, seconds in edit["steps"].items()) + ")", flush=True)
        phases.done("edit -> build")
        if mkdocs:
            _server_edits(tmp, args.serve_start_timeout)
            phases.done("build server")
        if serve:
            _warm_and_edit(tmp, args.serve_start_timeout, args.edit_timeout)
            phases.done("serve warm and edit -> preview")
            _serve_edited(tmp, args.serve_start_timeout)
            phases.done("serve after an edit")
        if not args.no_search:
            _search(tmp, mkdocs, args.search_repeats)
            phases.done("search")
        print(f"  time: {phases.said()}; the run so far {time.perf_counter() - STARTED:.0f} s of its "
              f"{args.budget:.0f} s budget; this benchmark's own process peak {_rss_mb():.0f} MB", flush=True)
    finally:
        if args.keep:
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _print_build(records: int, figures: dict) -> None:
    """The build's figures, once it is done: its total, its memory, what it made."""
    seconds, cpu, peak = figures["seconds"], figures["cpu"], figures["peak_mb"]
    names = [name for name in figures["stages"] if name in seconds]
    print(_row("total", sum(seconds[n] for n in names), sum(cpu[n] for n in names), records))
    # Peaks only grow: the builder's stages, then MkDocs' and the state's saving in the order the build ran them.
    after = {"mkdocs": "with MkDocs", "save": "with saving its state"}
    print(f"  peak memory (RSS) of the build: builder stages {max(peak[n] for n in names if n not in after):.0f} MB"
          + "".join(f", {after[n]} {peak[n]:.0f} MB" for n in names if n in after and n in peak)
          + (f", largest child process (MkDocs workers, git) {figures['workers_mb']:.0f} MB"
             if figures["workers_mb"] else ""))
    print(f"  pages: {figures['pages']} Markdown pages; check: 0 errors, {figures['warnings']} warnings")
    ix = figures["index"]
    print(f"  search index: {ix['bytes'] / 1e6:.1f} MB in {ix['files']} files ({ix['shards']} shards, "
          f"largest {ix['largest_shard'] / 1e3:.0f} KB), {ix['bytes'] / ix['pages_bytes']:.0%} of the "
          f"pages' Markdown ({ix['pages_bytes'] / 1e6:.1f} MB)")
    sizes = figures["exports"]
    big = sorted(sizes.items(), key=lambda item: -item[1])[:6]
    print(f"  downloads, Data page, feed, redirects ('outputs'): {sum(sizes.values()) / 1e6:.1f} MB in "
          f"{len(sizes)} files; " + ", ".join(f"{path} {size / 1e6:.1f} MB" for path, size in big), flush=True)


def _print_site(site: dict) -> None:
    path, kb = site["largest"] or ("-", 0)
    print(f"  site/: {site['mb']:.1f} MB, {site['html']} HTML files; largest page {path} ({kb:.0f} KB)", flush=True)


def _print_mkdocs_alone(root: Path, built: dict) -> None:
    """MkDocs alone in one process, beside the build's own MkDocs stage on every core (the same pages):
    rendered again only where the build did not render on that many (on 2 where there are more cores)."""
    every = built["jobs"]
    runs = {every: {"seconds": built["seconds"]["mkdocs"], "cpu": built["cpu"]["mkdocs"],
                    "peak_mb": built["workers_mb"]}}
    for jobs in sorted({1, 2} - runs.keys()):
        runs[jobs] = _Forked(f"MkDocs alone on {jobs} worker(s)", _mkdocs_alone, root, jobs).wait()
    one = runs[1]["seconds"]

    def said(jobs: int, run: dict) -> str:
        return (f"{jobs} workers {run['seconds']:.2f} s ({run['seconds'] / one:.2f} of one process; "
                f"CPU {run['cpu']:.2f} s" + ("; the build's own MkDocs stage" if jobs == every else "") + ")")

    print(f"  MkDocs alone: one process {one:.2f} s (CPU {runs[1]['cpu']:.2f} s, peak memory "
          f"{runs[1]['peak_mb']:.0f} MB), " + ", ".join(said(jobs, run) for jobs, run in sorted(runs.items()) if jobs > 1)
          + f"; the build renders on {every} workers, all the cores of this machine"
          + (" (so 2 workers are all of them)" if every == 2 else ""), flush=True)


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, action="append", help="archive size; repeat for several")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK} articles, a smoke run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-mkdocs", action="store_true", help="stop after writing the Markdown pages")
    parser.add_argument("--no-serve", action="store_true", help="skip `archive serve` (the build runs alone)")
    parser.add_argument("--no-search", action="store_true", help="skip timing search in Chromium")
    parser.add_argument("--search-repeats", type=int, default=search_bench.REPEATS,
                        help="each query on a fresh page this many times")
    parser.add_argument("--budget", type=float, default=BUDGET,
                        help="seconds the whole run may take; past them it ends with an error")
    # Bounds, not goals: a wait past them is reported as a failure. At 10,000 articles a whole check takes
    # minutes on a shared machine; a serve start past half an hour is past the benchmark's whole budget.
    parser.add_argument("--edit-timeout", type=float, default=900.0, help="seconds to wait for the preview")
    parser.add_argument("--serve-start-timeout", type=float, default=1800.0,
                        help="seconds to wait for `archive serve` to start serving")
    parser.add_argument("--keep", action="store_true", help="keep the generated project folders")
    args = parser.parse_args(argv)
    sizes = args.articles or ([QUICK] if args.quick else [1000])
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
          "wall seconds depend on what else runs, CPU seconds less so", flush=True)
    took: dict[int, float] = {}
    for articles in sizes:
        began = time.perf_counter()
        try:
            bench(articles, args.seed, args)
        except BenchFailed as failed:
            traceback.print_exception(failed)
            sys.exit(f"build_bench: {articles} articles: {failed}")
        took[articles] = time.perf_counter() - began
    total = time.perf_counter() - STARTED
    print("\nTime: " + ", ".join(f"{articles} articles {s:.0f} s" for articles, s in took.items())
          + f" (each with removing its folder); the whole run {total:.0f} s ({total / 60:.1f} min) of a "
          f"{args.budget:.0f} s ({args.budget / 60:.1f} min) budget", flush=True)
    if total > args.budget:
        over = (f"build_bench: OVER BUDGET: the run took {total:.0f} s ({total / 60:.1f} min), "
                f"{total - args.budget:.0f} s more than its {args.budget:.0f} s ({args.budget / 60:.1f} min)")
        print("\n" + "!" * len(over), file=sys.stderr, flush=True)
        sys.exit(over)


if __name__ == "__main__":
    main()
