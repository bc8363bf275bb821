"""`archive build` after an edit: the site's share of the work, begun at once in a process of its own.

An incremental build hard-links build/docs and site/ into its staging folders (write.linked)
and sets MkDocs up (the file list, the navigation, the theme's environment: live.py) before
it renders the few pages an edit wrote. None of that needs what the builder works out, and it
took a fifth to a quarter of the build: of 16 s at 10,000 articles, 0.9-1.9 s linking,
1.2 s setting up and 0.6 s removing the trees replaced; of 1.95 s at 1,000, 0.57 s. So
the build forks a process before it restores its state (small then: little is copied on
write), which links both trees and sets MkDocs up on another core while this one restores,
checks and derives; the build waits for build/docs' copy before it writes a page, then hands
it what it wrote, and that process renders it (render_site, as here) and says how it went.
Once both trees are swapped in, it removes the ones they replaced while the build saves its state.

With one job, or no state to start from, the same steps run here, in the same order.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ..forks import WorkerFailed, die_with_parent, ended, picklable
from ..model.errors import BuildError
from .live import LiveSite
from .write import linked, prepared, render_site

LONGEST = 120.0  # seconds the build waits, once done, for that process to remove the trees replaced


class Ahead:
    """The staging folders filled, MkDocs' render and the replaced trees removed: in a process forked at
    the start (see started), or here."""

    def __init__(self, config_file: Path, cache: Path) -> None:
        self.config_file, self.cache = config_file, cache
        self.docs: tuple[Path, Path] = (Path(), Path())  # each (the live tree, its staging folder), once started
        self.site: tuple[Path, Path] = (Path(), Path())
        self.process: Any = None
        self.conn: Connection | None = None

    @contextlib.contextmanager
    def started(self, docs: tuple[Path, Path], site: tuple[Path, Path], fork: bool) -> Iterator[Ahead]:
        """Fill these staging folders and render into them, from now on in a forked process if `fork`. A
        failure inside stops it at once (the staging folders are then the caller's to remove); otherwise
        it goes on removing what it is given (remove) until close()."""
        self.docs, self.site = docs, site
        if fork:
            context = multiprocessing.get_context("fork")
            self.conn, theirs = context.Pipe()
            # Not a daemon: it may fork MkDocs' workers (shards.py). It dies with the build (die_with_parent).
            self.process = context.Process(target=_ahead, args=(theirs, self.conn, os.getpid(), self.config_file,
                                                                self.cache, docs, site))
            self.process.start()
            theirs.close()
        try:
            yield self
        except BaseException:
            self._stop()
            raise

    def docs_ready(self, incremental: bool) -> None:
        """Before the build writes a page: build/docs' staging folder holds the last build's pages (if
        `incremental`), or is empty (the process forked ahead is stopped and what it linked removed)."""
        if self.conn is None:
            if incremental:
                linked(*self.docs)
        elif incremental:
            self._answer()
        else:
            self._stop()
            for _, staging in (self.docs, self.site):
                _emptied(staging)

    def render(self, epoch: str, outcome: str, dirty: bool, jobs: int, edited: tuple[list[str], list[str]]) -> None:
        """render_site into site/'s staging folder (holding the last site, if `dirty`); its errors raised here."""
        asked = (epoch, outcome, dirty, jobs, edited)  # render_site's arguments after the folders
        if self.conn is None:
            if dirty:
                linked(*self.site)
            render_site(self.config_file, self.docs[1], self.site[1], epoch, outcome, dirty, jobs, edited, self.cache)
            return
        try:
            self.conn.send(("render", asked))
        except BrokenPipeError:  # it is gone: _answer says how
            pass
        self._answer()

    def remove(self, tree: Path) -> None:
        """Remove a tree the build replaced: in the process forked ahead, while this one saves its state."""
        if self.conn is not None:
            with contextlib.suppress(BrokenPipeError):  # it is gone: removed here
                self.conn.send(("remove", tree))
                return
        shutil.rmtree(tree, ignore_errors=True)  # one that cannot go is reported by write.clear_leftovers

    def close(self) -> None:
        """Wait until the process forked ahead, if any, has removed what it was given: then it ends."""
        if self.conn is not None:
            self.conn.close()  # it ends once done
        if self.process is not None:
            self.process.join(LONGEST)
            if self.process.is_alive():  # stuck: what it had left to remove, the next build clears
                self.process.terminate()
                self.process.join()
        self.process = self.conn = None

    def _stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
        self.close()

    def _answer(self) -> None:
        """Wait for what the process forked ahead says; raise what it raised."""
        assert self.conn is not None and self.process is not None
        wait([self.conn, self.process.sentinel])
        try:
            kind, value = self.conn.recv()
        except EOFError:  # nothing said: killed, or out of memory
            raise WorkerFailed(f"the process rendering the site {ended(self.process)} before it finished") from None
        if kind == "build-error":
            raise BuildError(*value)
        if kind == "failed":
            raise value


def _emptied(folder: Path) -> None:
    shutil.rmtree(folder)
    folder.mkdir()


def _ahead(conn: Connection, builds: Connection, parent: int, config_file: Path, cache: Path,
           docs: tuple[Path, Path], site: tuple[Path, Path]) -> None:
    """The process forked ahead: link both trees (saying when build/docs' is done), set MkDocs up, then
    render what it is asked to (one answer for each request) and remove what it is given, until the
    build closes its end of the pipe."""
    builds.close()  # the build's end, copied by the fork: or this one never hears it closed
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the whole build: go quietly
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    failed: Exception | None = None
    live: LiveSite | None = None
    try:
        linked(*docs)
    except Exception as err:
        failed = err
    conn.send(("failed", picklable(failed)) if failed else ("ok", None))
    try:
        if failed is None:
            linked(*site)
            live = prepared(config_file, docs[1], site[1], cache)  # None: render_site sets up itself
    except Exception as err:
        failed = err
    while True:
        try:
            kind, asked = conn.recv()
        except EOFError:  # the build is done with this process
            return
        if kind == "remove":
            shutil.rmtree(asked, ignore_errors=True)  # one that cannot go is reported by write.clear_leftovers
            continue
        try:
            if failed is not None:
                raise failed
            epoch, outcome, dirty, jobs, edited = asked
            render_site(config_file, docs[1], site[1], epoch, outcome, dirty, jobs, edited, cache, live)
            conn.send(("ok", None))
        except BuildError as err:
            conn.send(("build-error", (err.problems, asked[1])))
        except Exception as err:  # raised where one process raises it: the build says what it means
            conn.send(("failed", picklable(err)))
