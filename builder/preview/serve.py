"""Preview: `archive serve`, a saved edit shown in the open browser in about a second.

It starts from what the last `archive build` saved (build/state/, build/docs/,
site/): hard-linked copies of build/docs and site/ in a folder of its own under
build/staging/, and the state they were made with. On a project unchanged since
that build it serves those pages at once, and makes ready for the first edit
while nobody edits yet (warm: MkDocs' setup, and a check of the archive whose
links, names and results a rebuild reuses); after an edit made while no preview
ran it first brings them up to date the way `archive build` would. Without a
build to start from (none yet, or one by another builder) it runs
`archive build` first. The project's own build/docs, site/ and state are never
written, so the next `archive build` still starts from them.

`mkdocs serve` rebuilds every page on every change. Here one long-lived
process keeps the builder's state (incremental.py) and MkDocs' setup
(write/live.py: the config, the file list, the navigation, the compiled
templates); after an edit the builder rewrites only the files of build/docs
whose text changed (pipeline.regenerate, as `archive build` does), and MkDocs
renders those pages and copies those files, unlinking each before writing it
(the copies share the build's files). When files are added or removed, MkDocs
builds with `dirty=True` instead (every page newer than its HTML) and its setup
is made again; dirty mode would leave the sitemap listing only the rebuilt
pages, so the previous one is kept. A page that goes away has its HTML removed.
MkDocs' LiveReloadServer serves the site and reloads the browser when the
build is done. An edit's downloads (data/, joined from every record) are
written a little later, once nobody waits for a page (Preview.rest). The search index is the builder's (builder/outputs/search/).

The watcher hears writes only (a file saved, added, moved or deleted), never
reads: the rebuild reads content/, and a watcher that heard reads would set it
off again, for ever. So the preview rests while nobody edits, and a bad edit is
reported once while the last good site stays served.

Everything here is for the preview only: mkdocs.yml stays as plain as the
MkDocs successors need it, and the server listens on the loopback address only.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from watchdog.events import (FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent,
                             FileMovedEvent, FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer

from .. import collector, rechecks
from ..derive.history import project_history
from ..incremental import State
from ..model.errors import BuildError, counted
from ..outputs.render import TEMPLATES, compiled
from ..pipeline import Project, build, regenerate, saved, unchanged
from ..validate.cache import RecordCache
from ..write.live import LiveSite
from ..write.write import NotDirtyWarning, unshared, holding

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.archive")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# inotify says a file was closed after writing: once per save, never halfway through it. The
# watchers of other systems (and the polling fallback) say only "modified".
SAVED = FileClosedEvent if Observer.__module__ == "watchdog.observers.inotify" else FileModifiedEvent
READY = "Ready for edits"  # said when the warm-up is done: an edit then waits for nothing else
SETTLE = 2.0  # seconds after a rebuild to write its downloads and collect its garbage (rest)
# MkDocs rebuilds once no change has come for 0.1 s. Inotify tells a save once, when the file is
# closed, and an editor's other steps (a backup, a rename) come within milliseconds: 20 ms gathers them.
BUILD_DELAY = 0.02
# An editor's save may also write a temporary file and rename it over the page.
WRITES: list[type[FileSystemEvent]] = [SAVED, FileCreatedEvent, FileMovedEvent, FileDeletedEvent]


def _html(path: str) -> str:
    """Where MkDocs puts a file of build/docs in the site."""
    return path[: -len(".md")] + ".html" if path.endswith(".md") else path


class _Writes(FileSystemEventHandler):
    """Tells the preview which files were written, added, moved or deleted."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            for path in filter(None, (event.src_path, event.dest_path)):
                self.preview.saw(str(path))


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # `kill` stops the preview as Ctrl-C does: its temporary folder goes too


def _linked(tree: Path, copy: Path) -> None:
    """`copy` holds `tree`'s files as hard links (copies across file systems): none of its bytes are written."""
    if tree.is_dir():
        try:
            shutil.copytree(tree, copy, copy_function=os.link, dirs_exist_ok=True)
        except shutil.Error:  # another file system: copied, as slowly as that is
            shutil.copytree(tree, copy, dirs_exist_ok=True)
    copy.mkdir(parents=True, exist_ok=True)


def _collect() -> None:
    """The checks' cache written for the next process, and every cycle of garbage collected."""
    rechecks.flush()
    collector.collect()


class Preview:
    """The builder's state and one MkDocs config, kept between rebuilds, on its own copies of build/docs and site/."""

    def __init__(self, project: Project, folder: Path, echo: Callable[[str], None] = print) -> None:
        self.project, self.echo = project, echo
        self.docs, self.site = folder / "docs", folder / "site"
        self.cache = RecordCache(project.cache)
        self.state: State | None = None  # what the last good rebuild made
        # When each record was added and revised: read once, so the preview shows the history a
        # build at its start would (a commit made while it runs shows after a restart).
        self.history = project_history(project.root)
        self.lock = threading.Lock()
        self.changed: set[str] = set()  # paths the watcher saw change since the last rebuild
        self.running = threading.Lock()  # one rebuild (or warm-up) at a time
        self.built = False
        self.cold = False  # serving the last build's state, which this process has not checked yet
        self.downloads: Callable[[], list[str]] | None = None  # what the last edit's run put off (rest)
        self.stopped = False  # its folder is going: no run may write into it (stop)
        self.config = self._config()
        self.live = LiveSite(self.config, compiled(project.cache))
        logging.getLogger("mkdocs.commands.build").addFilter(NotDirtyWarning())

    def _config(self) -> MkDocsConfig:
        from mkdocs.config import load_config

        self.docs.mkdir(parents=True, exist_ok=True)
        self.site.mkdir(parents=True, exist_ok=True)
        config = load_config(str(self.project.config), docs_dir=str(self.docs), site_dir=str(self.site))
        config.plugins["archive-unshared"] = unshared(self.site)  # the site's files are the build's too
        return config

    def start(self) -> None:
        """Take up the last build's pages, brought up to date; build them first if there is none to take."""
        started = time.perf_counter()
        state = saved(self.project)
        if state is None:
            self.echo("No build of this project to start from: building it first.")
            try:
                report = build(self.project)
            except BuildError as err:
                self.echo(err.format_message())
                self.echo("Save a fix to build the preview.")
                return
            for warning in report.warnings:
                self.echo(str(warning))
            self.echo(f"{len(report.written)} pages regenerated in {report.seconds:.2f} s, site built.")
            state = saved(self.project)
            if state is None:  # build/ could not keep it: the preview builds its own
                self.rebuild()
                return
        _linked(self.project.docs, self.docs)
        _linked(self.project.site, self.site)
        self.state, self.built = state, True
        if unchanged(self.project, state, self.cache, self.history):
            self.echo(f"Serving the last build's site after {time.perf_counter() - started:.2f} s: "
                      "nothing changed since it.")
            self.cold = True
            gc.freeze()  # the warm-up collects once it is done
        else:
            self.echo("Content changed since the last build: bringing its pages up to date.")
            self.rebuild(everything=True)

    def saw(self, path: str) -> None:
        with self.lock:
            self.changed.add(path)

    def warm(self) -> None:
        """While nobody edits yet: MkDocs' setup, then a run over the archive as the last build left it
        (which writes nothing: nothing changed), keeping in this process what a rebuild reuses (each
        record's links, the names and the mentions found, the checks' results, the downloads' pieces):
        the first edit waits for none of it (seconds each at 10,000 articles)."""
        started = time.perf_counter()
        self.live.prepare()
        with self.running:
            if self.cold and not self.stopped:
                self.cold = False
                self.cache.suspects = set()  # start() has just read every file
                try:  # the downloads stand as built: none to write later
                    self.state, _ = regenerate(self.project, self.docs, self.state, self.cache, self.history,
                                               later=True)
                    self.state.index()  # which pages read what: the first edit asks no page
                except BuildError:  # as the last build left it, so never; the first edit would say it
                    pass
                self._settle(now=True)  # before it says it is ready: a collection then would hold up the first edit
        if self.stopped:
            return
        self.echo(f"{READY} (MkDocs set up, the archive checked, in {time.perf_counter() - started:.2f} s).")

    def rebuild(self, everything: bool = False) -> None:
        """Regenerate the Markdown pages an edit changed, then render only those with MkDocs.

        Only the files the watcher saw change are read again; `everything` reads every file,
        as the first run does."""
        with self.running:
            self.cold = False
            if not self.stopped:
                self._rebuild(everything)

    def stop(self) -> None:
        """No run from now on: the warm-up, a rebuild or a rest still to come would write into a folder
        that is being removed (and make it again). Waits for the one under way."""
        with self.running:
            self.stopped = True

    def _rebuild(self, everything: bool) -> None:
        with self.lock:
            changed, self.changed = self.changed, set()
        first = not self.built
        if any(Path(p).is_relative_to(TEMPLATES) for p in changed):
            self.state = None  # every page may look different: work all out, write what differs
        self.cache.suspects = None if first or everything else {
            Path(p).relative_to(self.project.root).as_posix() for p in changed
            if Path(p).is_relative_to(self.project.root)}
        started = time.perf_counter()
        # An edit's run goes without the collector's full passes, and what it made is set aside as the
        # collector resumes (collector.py) rather than walked before the page can reload: _settle then
        # sets aside the rest, and rest() collects what it left.
        edit = not (first or everything)
        with collector.paused(when=edit, set_aside=True):
            try:  # an edit's downloads are written once nobody waits (rest)
                self.state, update = regenerate(self.project, self.docs, self.state, self.cache, self.history,
                                                later=edit)
                self.downloads = update.downloads  # this run's, if put off: the last run's are out of date
                if first or everything:
                    self.cache.save()  # the next start reads only what changed meanwhile
            except BuildError as err:
                self.echo(err.format_message())
                if self.built:
                    self.echo("The preview still shows the last good build; save a fix to rebuild it.")
                return
            for warning in update.warnings:
                self.echo(str(warning))
            pages = time.perf_counter() - started
            for gone in update.removed:
                (self.site / _html(gone)).unlink(missing_ok=True)
            try:
                if first or not self.live.render(update.written, update.removed):
                    self._dirty_build(first)
            except Exception as err:  # strict MkDocs stops at a warning: say it, keep serving the last site
                self.echo(f"MkDocs: {err}")
                return
        self.built = True
        self._settle()
        steps = ", ".join(f"{step} {seconds:.2f}" for step, seconds in update.seconds.items() if step != "total")
        self.echo(f"{len(update.written)} pages regenerated in {pages:.2f} s ({steps}), "
                  f"site in {time.perf_counter() - started:.2f} s" + (f"; {counted(update.warnings)}." if update.warnings else "."))


    def _settle(self, now: bool = False) -> None:
        """What a run made lives until the next edit: the collector's full passes (half a second at 1,000
        articles, each time the heap grows by a quarter) need not walk it during the next one. So it is
        set aside (gc.freeze) now, and the garbage it leaves (cycles) collected once a little later (or
        `now`), while nobody waits for a page: a full collection holds every thread (2 s at 10,000 articles)."""
        gc.freeze()
        if now:
            _collect()
            return
        timer = threading.Timer(SETTLE, self.rest)
        timer.daemon = True
        timer.start()

    def rest(self) -> None:
        """While nobody waits for a page: the downloads the last edit's run put off, written and copied
        into the site (160 MB joined at 10,000 articles: a second or two the edit did not wait for),
        then the garbage collected (_collect)."""
        with self.running:
            downloads, self.downloads = self.downloads, None
            if downloads is not None and not self.stopped:
                try:
                    if not self.live.render(downloads(), []):  # a plugin MkDocs' own build must run
                        self._dirty_build(first=False)
                except Exception as err:  # a full disk, a strict MkDocs: said; the next edit tries again
                    self.echo(f"The downloads were not brought up to date: {err}")
            if self.state is not None and not self.stopped:
                self.state.index()  # made again only where a run could not patch it (a template changed)
        _collect()

    def _dirty_build(self, first: bool) -> None:
        """MkDocs' own build, of every page newer than its HTML: the files changed, so its setup is made again."""
        from mkdocs.commands.build import build as mkdocs_build

        self.live.forget()
        sitemaps = {name: (self.site / name).read_bytes() for name in ("sitemap.xml", "sitemap.xml.gz")
                    if not first and (self.site / name).exists()}
        mkdocs_build(self.config, dirty=not first)
        for name, data in sitemaps.items():  # dirty mode's lists only the pages it rendered
            (self.site / name).write_bytes(data)


def serve(project: Project, host: str = "127.0.0.1", port: int = 8000,
          echo: Callable[[str], None] = print) -> None:
    """Serve the last build's site brought up to date, on the loopback address, and rebuild what
    an edit changes until interrupted."""
    from mkdocs.livereload import LiveReloadServer  # noqa: F811 - imported for types above, used here

    if host not in LOOPBACK:
        raise ValueError(f"the preview serves on the loopback address only, not {host}")
    terminate = signal.signal(signal.SIGTERM, _stop)
    try:
        # Beside the build's trees, to link their files; a preview killed outright leaves its folder to the
        # next build to clear (it holds build/staging/ only while it runs).
        with holding(project.staging) as area:
            folder = Path(tempfile.mkdtemp(prefix="preview.", dir=area))
            preview: Preview | None = None
            try:
                preview = Preview(project, folder, echo)
                preview.start()
                rechecks.deferred = True  # from now on the checks' cache is written while nobody waits
                if preview.built:  # MkDocs' setup and the first check, made while nobody edits yet
                    threading.Thread(target=preview.warm, name="preview-warm-up", daemon=True).start()
                server = LiveReloadServer(builder=preview.rebuild, host=host, port=port, root=str(preview.site))
                server.build_delay = BUILD_DELAY
                _watch(server, preview, project)
                try:
                    server.serve()
                except KeyboardInterrupt:
                    echo("Stopped.")
                finally:
                    server.shutdown()
                    rechecks.flush()
                    rechecks.deferred = False
            finally:
                if preview is not None:  # the warm-up may still be running: it finishes, and no run follows
                    preview.stop()
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        signal.signal(signal.SIGTERM, terminate)


def _watch(server: LiveReloadServer, preview: Preview, project: Project) -> None:
    """Watch content/ and the templates for writes."""
    # Inotify, not MkDocs' default polling: polling re-reads 100,000 files' times every half second.
    observer = server.observer = Observer()  # type: ignore[assignment]  # MkDocs types it as its polling one
    # Every watch, MkDocs' own too (it rebuilds on any event it hears), hears writes only: inotify is
    # not even asked for reads.
    observer.schedule = functools.partial(observer.schedule, event_filter=WRITES)  # type: ignore[method-assign]
    writes = _Writes(preview)
    for watched in (project.content, TEMPLATES):  # mkdocs.yml and overrides/: restart to see them
        server.watch(str(watched))
        observer.schedule(writes, str(watched), recursive=True)
