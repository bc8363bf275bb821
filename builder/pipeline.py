"""The pipeline in one place: load → validate → link → derive → render (and index) → write.

Each stage is a function of the one before; problems from every stage are
collected so a contributor sees all of them in one run.
"""

from __future__ import annotations

import calendar
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import body_links, dates, redirects
from .cache import RecordCache, fingerprint
from .checks import review
from .derive import Views
from .errors import BuildError, Fault, Problem, outcome_for, split
from .graph import Archive, date_of, link
from .history import Histories, project_history, site_settings
from .incremental import State, derive_changed, restore, text_hash
from .load import load
from .outputs import site_url, whole_archive_files
from .provenance import uncited
from .quotations import unverified
from .render import render
from .schema import Kind
from .search import documents
from .search.index import SearchIndex
from .write import clear_leftovers, holding, prune, render_site, staged, update_pages


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


def check(project: Project, cache: RecordCache | None = None) -> tuple[Archive | None, list[Problem]]:
    """Load, validate and link the whole archive; return it with every problem found.

    The archive is None when any problem is an error; warnings alone leave it usable.
    Files unchanged since the last run come from the cache (build/cache/ unless one is given).
    """
    keep = cache is None
    cache = RecordCache(project.cache) if cache is None else cache
    cache.start()
    loaded = load(project.content, project.root, cache.read)
    records, invalid = cache.validate(loaded.sources)
    if keep:
        cache.save()
    by_key = {(s.kind, s.id): s for s in loaded.sources}
    archive, unlinked = link(records, by_key, loaded.present)
    problems = loaded.problems + invalid + unlinked
    if not split(problems)[0]:  # what the pages will show needs every id resolved
        problems += unverified(archive, by_key) + uncited(archive, by_key) + redirects.problems(archive, by_key)
        problems += body_links.problems(archive, by_key, site_settings(project.config))  # as MkDocs would
    problems = review(loaded.sources, archive, problems)  # contributor checks beyond the schema
    problems = sorted(set(problems))
    errors, _ = split(problems)
    return (None if errors else archive), problems


def _source_date_epoch(archive: Archive) -> str:
    """A build date derived from the content, so the same content builds the same bytes."""
    # The latest day a date is known to reach: an open end ("1986-06-24/..") is not the year 9999.
    known = (dates.span(d)[1] or dates.anchor(d) for r in archive.records.values() if (d := date_of(r)))
    latest = max((day for day in known if day), default=None)
    return str(calendar.timegm(latest.timetuple())) if latest else "0"


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


class Laps:
    """Seconds per step of a build, in order; `lap(name)` ends a step. The benchmark passes its own."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.started = self.last = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.last
        self.last = now


@dataclass
class Update:
    """One run: the pages worked out again, the files written and removed, the warnings, the seconds per step."""

    derived: list[str]
    written: list[str]
    removed: list[str]
    warnings: list[Problem]
    epoch: str  # the build date, from the content: MkDocs stamps the sitemap with it
    seconds: dict[str, float] = field(default_factory=dict)


def regenerate(project: Project, docs: Path, old: State | None, cache: RecordCache, history: Histories,
               outcome: str = "", whole_index: bool = True, lap: Laps | None = None) -> tuple[State, Update]:
    """The pages, the one way `archive build` and the preview make them: check the archive, work out
    again the pages an edit can change since `old` (every page without it), and write into `docs`
    those whose text changed, the search index, the downloads, the feed and the redirects.

    `docs` then holds exactly what a clean build's does, every unchanged file keeping its time.
    The search index is built whole (`whole_index`), or patched where the pages changed, which
    finds the same pages but numbers them otherwise (the preview's choice: it is quicker).
    Raises BuildError with every error, saying `outcome`, before anything is written."""
    step = lap or Laps()
    archive, problems = check(project, cache)
    step("check")
    if archive is None:
        raise BuildError(problems, outcome)
    try:
        views, state, gone = derive_changed(old, archive, cache.digests(), history)
    except ValueError as err:  # validation keeps ids unique; this guards the page layout itself
        raise BuildError([Problem(str(err), 0, "", "two pages would be written to this path",
                                  "Rename one of the records")], outcome) from None
    step("derive")
    found = site_settings(project.config)
    texts = render(views, site_url(found))  # permalinks in JSON-LD and citations
    step("render")
    written = update_pages(docs, texts, (lambda path, text: state.pages.get(path) == text_hash(text)) if old else None)
    state.pages.update({path: text_hash(text) for path, text in texts.items()})
    step("write")
    every = Views(state.views)
    if whole_index or old is None:
        state.search, files = SearchIndex.build(documents(every))
        state.files = set()
    else:
        files = state.search.update(documents(views), gone, lambda path: _text(docs / path))
    written += update_pages(docs, files)
    step("search")
    whole = whole_archive_files(every, archive, state.pages.keys(), found)  # downloads, feed, redirects
    written += update_pages(docs, whole)
    state.files |= files.keys() | whole.keys()
    removed = prune(docs, state.pages.keys() | state.files)  # pages and files gone since
    step("downloads, feed, redirects")
    derived = sorted([*texts, *(p for p in whole if p.endswith(".md"))])
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _source_date_epoch(archive)
    return state, Update(derived, written, removed, problems, epoch, dict(step.seconds))


def _text(file: Path) -> str:
    return file.read_text(encoding="utf-8") if file.exists() else ""


@dataclass(frozen=True)
class BuildReport:
    pages: dict[str, int]  # kind of page -> count
    seconds: float
    warnings: list[Problem]
    written: list[str]  # the pages written: every page on a clean build, after an edit those it changed
    steps: dict[str, float]  # seconds per step


def build(project: Project, clean: bool = False, lap: Laps | None = None) -> BuildReport:
    """Build site/ from content/, replacing it only if everything succeeded.

    From the state the last build kept (build/state/), only the pages an edit changed are
    written and rendered again, into hard-linked copies of build/docs and site/; without one,
    or `clean`, everything is. Either way site/ is what a clean build makes, byte for byte."""
    step = lap or Laps()
    leftovers = tidy(project)
    outcome = outcome_for(project.site)
    key = None if clean else _state_key(project, project.docs, project.site)
    old = restore(project.state, key) if key else None
    cache = RecordCache(project.cache)
    step("last build's state")
    try:
        with holding(project.staging) as area, staged(project.docs, area, keep=old is not None) as docs, \
                staged(project.site, area, keep=old is not None) as site:
            step("staging")
            try:
                state, update = regenerate(project, docs, old, cache, project_history(project.root), outcome, lap=step)
            finally:
                cache.save()  # the next run parses only what changed meanwhile
            render_site(project.config, docs, site, update.epoch, outcome, dirty=old is not None)
            step("mkdocs")
            key = _state_key(project, docs, site)  # the folders about to be swapped in
        step("swap")
        if key:
            state.save(project.state, key)
        step("state kept")
    except OSError as err:  # a read-only or full disk: say so in one line, not a traceback
        raise Fault(err, project.root, outcome) from None
    warnings = sorted(set(update.warnings + leftovers + tidy(project)))  # the trees just replaced go now
    counts: dict[str, int] = {}
    pages_of = {kind.folder for kind in Kind} | {"correspondence"}  # a record's or a pair's own page
    for path in [*state.pages, *(p for p in state.files if p.endswith(".md"))]:
        folder, _, name = path.partition("/")
        kind = folder if folder in pages_of and "/" not in name and name != "index.md" else "listing"
        counts[kind] = counts.get(kind, 0) + 1
    step("leftovers")
    return BuildReport(pages=counts, seconds=time.perf_counter() - step.started, warnings=warnings,
                       written=[p for p in update.written if p.endswith(".md")], steps=dict(step.seconds))
