"""The pipeline in one place: load → validate → link → derive → outputs → write.

Each stage is a function of the one before; problems from every stage are
collected so a contributor sees all of them in one run. `archive build` and the
preview make pages the one way (`regenerate`), from what the last run kept:
only the pages an edit can change are worked out and written again.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, Protocol, TypeVar
from weakref import WeakKeyDictionary

from .forks import WorkerFailed, default_jobs
from .derive.history import Histories, build_epoch, project_history, site_settings
from .collector import collect, give_back, paused
from .incremental import PageReads, State, derive_changed, restore, text_hash
from .link import body_links
from .link.checks import review
from .link.graph import Archive, Kept, link
from .load.load import Source, load
from .model.errors import BuildError, Fault, Problem, outcome_for, split
from .model import text
from .model.schema import Key, Kind
from .outputs import redirects
from .outputs.data import Downloads
from .outputs.files import site_url, whole_archive
from .outputs.render import keep_compiled
from .outputs.search import entries_of, index_files, update_index
from .outputs.search.index import SearchIndex
from . import record_pages
from .rechecks import per_record
from .validate.cache import RecordCache
from .version import fingerprint
from .write.ahead import Ahead
from .write.write import clear_leftovers, holding, prune, staged, update_files, update_pages

P = ParamSpec("P")
R = TypeVar("R")

# Every stage a build runs, in order: each goes through a Timer under this name.
# "render" writes the index and pair pages "derive" worked out; "outputs" works out what the whole
# archive's files read of the archive; "pages" makes each record's own page whole (derived, rendered,
# written; its search entry and download piece); "index" the search index, written; "write" the whole
# archive's files, joined; "collect" the garbage a clean build leaves before MkDocs is set up; "save" the
# state, after MkDocs, or before it on a clean build alone (_built).
STAGES = ("state", "load", "validate", "link", "checks", "derive", "render", "outputs", "pages", "index", "write",
          "collect", "mkdocs", "save")


class Timer(Protocol):
    """Runs one stage: `timer(name, work, *args)` returns `work(*args)`.

    The benchmark passes one that times each stage, so it times the stages a build runs."""

    def __call__(self, stage: str, work: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R: ...


def untimed(stage: str, work: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    return work(*args, **kwargs)


class Laps:
    """A Timer that keeps the seconds of each stage, in order: what the preview and `archive build` report."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.started = time.perf_counter()

    def __call__(self, stage: str, work: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        began = time.perf_counter()
        try:
            return work(*args, **kwargs)
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - began


@dataclass(frozen=True)
class Project:
    """Where things are, relative to the folder holding mkdocs.yml."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def docs(self) -> Path:
        return self.root / "build" / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def cache(self) -> Path:
        return self.root / "build" / "cache"

    @property
    def staging(self) -> Path:
        return self.root / "build" / "staging"

    @property
    def state(self) -> Path:
        return self.root / "build" / "state"


def tidy(project: Project) -> list[Problem]:
    """Put back a site/ a killed build left missing; clear what killed builds left. Warns what cannot go."""
    return clear_leftovers(project.root, project.staging, (project.site, project.docs))


def check(project: Project, cache: RecordCache | None = None,
          timer: Timer = untimed, jobs: int = 1, again: bool = True) -> tuple[Archive | None, list[Problem]]:
    """Load, validate and link the whole archive; return it with every problem found.

    The archive is None when any problem is an error; warnings alone leave it usable.
    Files unchanged since the last run come from the cache (build/cache/ unless one is given).
    Many records to check are checked on up to `jobs` processes (rechecks.py).
    `again`: a later run checks the same records with the same cache (the preview's, a build
    server's), so what this one linked and checked is kept for it (at 10,000 articles Kept holds
    120 MB, rechecks.py 90 MB).
    """
    keep = cache is None
    again = again and not keep  # no later run has a cache made here
    cache = RecordCache(project.cache) if cache is None else cache
    with paused(set_aside=True):  # what lives as long as the build, with little garbage (collector.py)
        cache.start()
        loaded = timer("load", load, project.content, project.root, cache.read, lambda files: cache.ahead(files, jobs))
        records, invalid = timer("validate", cache.validate, loaded.sources)
        if keep:
            cache.save()
        by_key = {(s.kind, s.id): s for s in loaded.sources}
        kept = _linked.setdefault(cache, Kept()) if again else None  # None: gone once linked
        archive, unlinked = timer("link", link, records, by_key, loaded.present, cache.folder, kept, jobs)
        problems = timer("checks", _checks, project, loaded.sources, by_key, archive,
                         loaded.problems + invalid + unlinked, cache, jobs, again)
    errors, _ = split(problems)
    return (None if errors else archive), problems


# What each record cache's last run linked, as long as the cache lives.
_linked: WeakKeyDictionary[RecordCache, Kept] = WeakKeyDictionary()


def _checks(project: Project, sources: list[Source], by_key: dict[Key, Source], archive: Archive,
            problems: list[Problem], cache: RecordCache, jobs: int, again: bool) -> list[Problem]:
    """Those found so far and every problem the checks find in the linked archive. Each record's own
    checks (its facts among them) are reused from the last run kept in the cache's folder where no
    record they read changed since, and the name checks while the names are the same (rechecks.py)."""
    if split(problems)[0]:  # what the pages will show needs every id resolved
        return review(sources, archive, problems)  # contributor checks beyond the schema
    checked = per_record(archive, by_key, cache.digests(), cache.folder, jobs, again)
    problems = problems + checked.problems + redirects.problems(archive, by_key)
    problems += body_links.problems(archive, by_key, site_settings(project.config))  # as MkDocs would
    problems = review(sources, archive, problems, checked.reviewed)
    if not again:  # no later run: the files as read go once saved (a failed check's are saved as the build fails)
        cache.release()
        give_back()
    return problems


def _state_key(project: Project, docs: Path, site: Path) -> str | None:
    """What a build's state holds for: the builder (its source, templates, requirements), what MkDocs
    reads besides the pages (mkdocs.yml, overrides/), and the very build/docs and site/ it made (each
    build swaps in folders of its own): any other makes the next build clean. None without both folders."""
    try:
        trees = f"{docs.stat().st_ino}:{site.stat().st_ino}"
    except OSError:
        return None
    h = hashlib.sha256(f"{fingerprint()}\0{trees}\0".encode())
    overrides = project.root / "overrides"
    for path in [project.config, *sorted(overrides.rglob("*") if overrides.is_dir() else ())]:
        if path.is_file():
            h.update(path.relative_to(project.root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def saved(project: Project) -> State | None:
    """The state the last build saved, if it holds for this builder, mkdocs.yml and build/docs and site/ as they are."""
    key = _state_key(project, project.docs, project.site)
    return restore(project.state, key) if key else None


def unchanged(project: Project, state: State, cache: RecordCache, history: Histories) -> bool:
    """Whether content/ and its history are still what `state` was made from: then its pages stand.

    Reads every file, to hash it, and parses none the cache knows; a file that is not a record
    (or cannot be read) counts as a change, for the check to say what is wrong with it."""
    cache.start()
    loaded = load(project.content, project.root, cache.read)
    return not loaded.problems and cache.digests() == state.digests and dict(history) == state.history


@dataclass
class Update:
    """One run: the pages worked out again, the files written and removed, the warnings, the seconds per step."""

    derived: list[str]
    written: list[str]
    removed: list[str]
    warnings: list[Problem]
    epoch: str  # the build date, from the content: MkDocs stamps the sitemap with it
    seconds: dict[str, float] = field(default_factory=dict)
    # The downloads a run `later` put off: writes those that changed into docs, returns them.
    downloads: Callable[[], list[str]] | None = None


def regenerate(project: Project, docs: Path, old: State | None, cache: RecordCache, history: Histories,
               outcome: str = "", timer: Timer = untimed, later: bool = False,
               jobs: int = 1, before: Callable[[], None] | None = None, again: bool = True) -> tuple[State, Update]:
    """The pages, the one way `archive build` and the preview make them: check the archive, work out
    again the pages an edit can change since `old` (every page without it), and write into `docs`
    those whose text changed, the search index, the downloads, the feed and the redirects.

    `docs` then holds exactly what a clean build's does, every unchanged file keeping its time
    (the search index too: patched where the pages changed, to the bytes a whole one has).
    The records' own pages are made on up to `jobs` processes (record_pages.py).
    `later`: all but the downloads, which the Update's `downloads()` writes (the preview calls it
    once nobody waits for a page). `before()` is called once the archive checked, before anything is
    written (`archive build` waits there for its copy of build/docs). `again`: a later run starts from
    the same record cache (check). Raises BuildError with every error, saying `outcome`, before
    anything is written."""
    laps = Laps()
    timed = _both(timer, laps)
    try:
        archive, problems = check(project, cache, timed, jobs, again)
    except WorkerFailed as err:  # killed, or out of memory: nothing of the content's doing
        raise worker_failed(err, outcome) from None
    if archive is None:
        raise BuildError(problems, outcome)
    if before is not None:
        before()
    found = site_settings(project.config)
    url = site_url(found)  # permalinks in JSON-LD and citations
    keep_compiled(project.cache)
    try:
        views, records, state, gone = timed("derive", derive_changed, old, archive, cache.digests(), history, url)
        paths = record_pages.placed(records, views.pages)
    except ValueError as err:  # validation keeps ids unique; this guards the page layout itself
        raise BuildError([Problem(str(err), 0, "", "two pages would be written to this path",
                                  "Rename one of the records")], outcome) from None
    unchanged = (lambda path, page: state.pages.get(path) == text_hash(page)) if old else None
    # What reads the archive besides the records' pages comes first: the index and pair pages, and what the
    # whole archive's files read of it. A build alone then lets go of it as the pages' workers start.
    hashes, written = timed("render", record_pages.written, views, docs, unchanged)  # the index and pair pages
    view_entries = entries_of(views)
    del views  # written: no stage reads them again (64 MB at 10,000 articles)
    whole = timed("outputs", whole_archive, archive, state.pages.keys() | hashes.keys() | set(paths), found,
                  state.pieces, history, records, again)
    epoch = build_epoch(archive)

    def let_go() -> None:
        """A build alone (no later run: not `again`), once the pages are made or their workers started: no
        stage reads the archive, its records or the articles' sentences again (at 10,000 articles about
        600 MB, the workers' pages, entries and pieces take their place). A clean one collects them at once."""
        nonlocal archive, records
        del archive, records
        text.forget()
        if old is None:
            collect()
        give_back()

    def pages() -> record_pages.Made:  # no argument: the timers' frames would hold them to the stage's end
        return record_pages.make(records, paths, archive, history, url, docs, unchanged, jobs,
                                 None if again else let_go)

    try:
        made = timed("pages", pages)
    except WorkerFailed as err:
        raise worker_failed(err, outcome) from None
    state.noted(made.reads)
    made.reads = PageReads()  # in the state's numbers now: the workers' go before the stages that follow
    hashes.update(made.hashes)
    state.pages.update(hashes)
    entries = {**made.entries, **view_entries}

    def index() -> tuple[SearchIndex, list[str]]:
        """The search index, its files written where changed (as the pages were: none held for a later stage)."""
        if old is None:
            search, files = index_files(entries)
        else:
            search, files = state.search, update_index(state.search, entries, gone, lambda path: _text(docs / path))
        return search, update_pages(docs, files)

    state.search, indexed = timed("index", index)
    state.files = state.search.paths() | set(whole.paths())

    def write() -> tuple[list[str], list[str], Downloads]:
        """The whole archive's files (the downloads unless `later`), joined from the pieces and written where
        changed; then the pages and files gone since."""
        files, downloads = whole.finished(made.pieces)
        held = None if old is None else old.pages.keys() | old.files  # what the last run left in docs
        joined = update_pages(docs, files) + ([] if later else update_files(docs, downloads.parts()))
        return indexed + sorted(joined), prune(docs, state.pages.keys() | state.files, held), downloads

    beside, removed, downloads = timed("write", write)
    written = sorted(made.written + written) + beside
    derived = sorted([*hashes, *(p for p in whole.paths() if p.endswith(".md"))])
    return state, Update(derived, written, removed, problems, epoch, dict(laps.seconds),
                         (lambda: update_files(docs, downloads.parts())) if later else None)


def _collected() -> None:
    collect()
    give_back()


def _nothing() -> None:
    """A stage with nothing to do in this run: timed all the same, as every stage is."""


def worker_failed(err: WorkerFailed, outcome: str = "") -> BuildError:
    """A worker killed, or out of memory: nothing of the content's doing."""
    return BuildError([Problem("content", 0, "", str(err), "Build again; if it fails again, with fewer workers "
                               "(--jobs 1)")], outcome)


def _both(timer: Timer, laps: Laps) -> Timer:
    """The caller's timer (the benchmark's), and the seconds an Update reports."""
    if timer is untimed:
        return laps

    def both(stage: str, work: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        return laps(stage, timer, stage, work, *args, **kwargs)

    return both


def _text(file: Path) -> str:
    return file.read_text(encoding="utf-8") if file.exists() else ""


@dataclass(frozen=True)
class BuildReport:
    pages: dict[str, int]  # kind of page -> count
    seconds: float
    warnings: list[Problem]
    written: list[str]  # the pages written: every page on a clean build, after an edit those it changed
    steps: dict[str, float]  # seconds per stage


@dataclass
class Held:
    """What a build server (cli/server.py) holds from one `archive build` to the next: the last build's
    state with the key it holds for, and the record cache (with what it linked: Kept). Its saving to
    build/ is put off (`pending`) until the build has been answered."""

    state: State | None = None
    key: str | None = None
    cache: RecordCache | None = None
    pending: Callable[[], None] | None = None

    def flush(self) -> None:
        """Save what the last build put off, if anything."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending()


def warmed(project: Project, jobs: int) -> Held:
    """What a build server holds as it starts: the last build's state and records read back, and the
    archive linked and checked once, so that its first build after an edit does only what the edit changed."""
    key = _state_key(project, project.docs, project.site)
    cache = RecordCache(project.cache)
    with paused():  # millions of objects, none of them garbage
        held = Held(restore(project.state, key) if key else None, key, cache)
    check(project, cache, jobs=jobs)
    if held.state is not None:
        held.state.index()  # which pages read what: the first edit asks no page
    return held


def build(project: Project, timer: Timer = untimed, clean: bool = False, jobs: int | None = None,
          held: Held | None = None) -> BuildReport:
    """Build site/ from content/, replacing it only if everything succeeded; MkDocs renders on `jobs` cores (all).

    From the state the last build kept (build/state/), only the pages an edit changed are
    written and rendered again, into hard-linked copies of build/docs and site/; without one,
    or `clean`, everything is. Either way site/ is what a clean build makes, byte for byte.
    `held`: the state and records a build server kept in memory, used while they hold for build/docs
    and site/ as they are; this build's are left there, their saving put off (Held.flush)."""
    laps = Laps()
    timed = _both(timer, laps)
    if held is not None:
        held.flush()
    leftovers = tidy(project)
    outcome = outcome_for(project.site)
    key = None if clean else _state_key(project, project.docs, project.site)
    try:
        state, update = _built(project, timed, key, outcome, default_jobs() if jobs is None else jobs, held)
    except OSError as err:  # a read-only or full disk: say so in one line, not a traceback
        raise Fault(err, project.root, outcome) from None
    # The trees just replaced go now (a build server's, as it saves: the next build's tidy says what is left).
    warnings = sorted(set(update.warnings + leftovers + (tidy(project) if held is None else [])))
    counts: dict[str, int] = {}
    pages_of = {kind.folder for kind in Kind} | {"correspondence"}  # a record's or a pair's own page
    for path in [*state.pages, *(p for p in state.files if p.endswith(".md"))]:
        folder, _, name = path.partition("/")
        kind = folder if folder in pages_of and "/" not in name and name != "index.md" else "listing"
        counts[kind] = counts.get(kind, 0) + 1
    return BuildReport(pages=counts, seconds=time.perf_counter() - laps.started, warnings=warnings,
                       written=[p for p in update.written if p.endswith(".md")], steps=dict(laps.seconds))


def _built(project: Project, timed: Timer, key: str | None, outcome: str, jobs: int,
           held: Held | None = None) -> tuple[State, Update]:
    """The run itself: the pages into copies of build/docs and site/, swapped in once MkDocs is done; the state kept.

    With a state to start from and more than one job, filling those copies and setting MkDocs up
    begin at once in a process of their own (write/ahead.py), while this one restores the state; that
    process also removes the trees replaced while this one saves the state."""
    ahead = Ahead(project.config, project.cache)
    try:  # closed before it returns, or once a build server has answered (Held.flush)
        with holding(project.staging) as area, staged(project.docs, area, ahead.remove) as docs, \
                staged(project.site, area, ahead.remove) as site, \
                ahead.started((project.docs, docs), (project.site, site), fork=key is not None and jobs > 1):

            def restored() -> tuple[State | None, RecordCache]:
                """What this run starts from: the last build's state, if it holds, and the records it read
                (a build server's, where it holds them)."""
                records = held.cache if held is not None else None
                if held is not None and records is not None and key and key == held.key:
                    return held.state, records
                with paused():  # millions of objects, none of them garbage
                    return ((restore(project.state, key) if key else None),
                            records if records is not None else RecordCache(project.cache))

            derived = False

            def checked() -> None:
                """The archive checked: from here on the pages are derived from `old`, and written."""
                nonlocal derived
                derived = True
                ahead.docs_ready(old is not None)

            def keep() -> None:
                cache.save()  # the next run parses only what changed meanwhile
                if key:
                    state.save(project.state, key)

            old, cache = timed("state", restored)
            alone = old is None and held is None  # a clean build alone
            with paused(when=old is not None, set_aside=True):  # an edit's few new objects (collector.py)
                try:
                    state, update = regenerate(project, docs, old, cache, project_history(project.root), outcome,
                                               timer=timed, jobs=jobs, before=checked, again=held is not None)
                    # What a clean build alone made its pages from is garbage now, set aside (collector.py):
                    # collected, MkDocs' setup and the state's saving take its place. A run after an edit would
                    # walk all it restored for little, and a build server keeps it.
                    timed("collect", _collected if alone else _nothing)
                    if alone:  # its state saved now, then let go of: MkDocs' setup takes its room (130 MB at 10,000 articles)
                        key = _state_key(project, docs, site)  # the folders about to be swapped in
                        timed("save", keep)
                        state.shed()
                    timed("mkdocs", ahead.render, update.epoch, outcome, old is not None, jobs,
                          (update.written, update.removed))
                except BaseException as err:
                    cache.save()  # a failed run's records still spare the next run parsing them
                    if held is not None and derived:  # what it derived from may be half changed: read it back
                        held.state = held.key = None
                    if isinstance(err, WorkerFailed):  # the process forked ahead, killed
                        raise worker_failed(err, outcome) from None
                    raise
                key = _state_key(project, docs, site)  # the folders about to be swapped in

        if held is not None:  # saved once the build is answered, as the trees replaced are removed
            def later() -> None:
                try:
                    keep()
                finally:
                    ahead.close()

            held.state, held.key, held.cache, held.pending = state, key, cache, later
            return state, update
        if not alone:  # after MkDocs: a build it fails leaves the last state standing
            with paused(when=old is not None, set_aside=True):
                timed("save", keep)  # while the trees just replaced are removed (ahead.py)
    except BaseException:
        ahead.close()
        raise
    ahead.close()
    return state, update
