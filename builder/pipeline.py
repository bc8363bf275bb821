"""The pipeline in one place: load → validate → link → derive → render (and index) → write.

Each stage is a function of the one before; problems from every stage are
collected so a contributor sees all of them in one run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, Protocol, TypeVar

from .link import body_links
from .outputs import redirects
from .validate.cache import RecordCache
from .link.checks import review
from .derive.derive import derive
from .model.errors import BuildError, Fault, Problem, outcome_for, split
from .link.graph import Archive, link
from .derive.history import build_epoch, project_history, site_settings
from .load.load import Source, load
from .outputs.files import site_url, whole_archive_files
from .link.provenance import uncited
from .link.quotations import unverified
from .outputs.render import render
from .model.schema import Key, Kind
from .outputs.search import index_files
from .write.write import clear_leftovers, holding, render_site, staged, write_pages


P = ParamSpec("P")
R = TypeVar("R")

# Every stage a build runs, in order: each goes through a Timer under this name.
STAGES = ("load", "validate", "link", "checks", "derive", "render", "index", "outputs", "write", "mkdocs")


class Timer(Protocol):
    """Runs one stage: `timer(name, work, *args)` returns `work(*args)`.

    The benchmark passes one that times each stage, so it times the stages a build runs."""

    def __call__(self, stage: str, work: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R: ...


def untimed(stage: str, work: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    return work(*args, **kwargs)


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


def tidy(project: Project) -> list[Problem]:
    """Put back a site/ a killed build left missing; clear what killed builds left. Warns what cannot go."""
    return clear_leftovers(project.root, project.staging, (project.site, project.docs))


def check(project: Project, cache: RecordCache | None = None,
          timer: Timer = untimed) -> tuple[Archive | None, list[Problem]]:
    """Load, validate and link the whole archive; return it with every problem found.

    The archive is None when any problem is an error; warnings alone leave it usable.
    Files unchanged since the last run come from the cache (build/cache/ unless one is given).
    """
    keep = cache is None
    cache = RecordCache(project.cache) if cache is None else cache
    cache.start()
    loaded = timer("load", load, project.content, project.root, cache.read)
    records, invalid = timer("validate", cache.validate, loaded.sources)
    if keep:
        cache.save()
    by_key = {(s.kind, s.id): s for s in loaded.sources}
    archive, unlinked = timer("link", link, records, by_key, loaded.present)
    problems = timer("checks", _checks, project, loaded.sources, by_key, archive, loaded.problems + invalid + unlinked)
    errors, _ = split(problems)
    return (None if errors else archive), problems


def _checks(project: Project, sources: list[Source], by_key: dict[Key, Source], archive: Archive,
            problems: list[Problem]) -> list[Problem]:
    """Those found so far and every problem the checks find in the linked archive."""
    if not split(problems)[0]:  # what the pages will show needs every id resolved
        problems = problems + unverified(archive, by_key) + uncited(archive, by_key)
        problems += redirects.problems(archive, by_key)
        problems += body_links.problems(archive, by_key, site_settings(project.config))  # as MkDocs would
    problems = review(sources, archive, problems)  # contributor checks beyond the schema
    return sorted(set(problems))


def _pages(project: Project, outcome: str = "",
           timer: Timer = untimed) -> tuple[Archive, dict[str, str], list[Problem]]:
    """Check the archive and render its pages; stop with every error. Returns the warnings too."""
    archive, problems = check(project, timer=timer)  # the cache spares re-reading unchanged files
    if archive is None:
        raise BuildError(problems, outcome)
    try:
        history = project_history(project.root)  # when each record was added, from git
        views = timer("derive", derive, archive, history)
    except ValueError as err:  # validation keeps ids unique; this guards the page layout itself
        raise BuildError([Problem(str(err), 0, "", "two pages would be written to this path",
                                  "Rename one of the records")], outcome) from None
    found = site_settings(project.config)
    pages = timer("render", render, views, site_url(found))  # permalinks in JSON-LD and citations
    pages.update(timer("index", index_files, views)[1])  # the search index, from the same views
    # The downloads, the feed and the redirects.
    pages.update(timer("outputs", whole_archive_files, views, archive, pages.keys(), found))
    return archive, pages, problems


@dataclass(frozen=True)
class BuildReport:
    pages: dict[str, int]  # kind of page -> count
    seconds: float
    warnings: list[Problem]


def build(project: Project, timer: Timer = untimed) -> BuildReport:
    """Build site/ from content/, replacing it only if everything succeeded."""
    started = time.perf_counter()
    leftovers = tidy(project)
    archive, pages, warnings = _pages(project, outcome_for(project.site), timer)
    # MkDocs stamps the sitemap with the build date; derive it from the content.
    epoch = build_epoch(archive)
    try:
        with holding(project.staging) as area, staged(project.docs, area) as docs, staged(project.site, area) as site:
            timer("write", write_pages, pages, docs)
            timer("mkdocs", render_site, project.config, docs, site, epoch, outcome_for(project.site))
    except OSError as err:  # a read-only or full disk: say so in one line, not a traceback
        raise Fault(err, project.root, outcome_for(project.site)) from None
    warnings += sorted(set(leftovers + tidy(project)))  # the trees just replaced go now
    counts: dict[str, int] = {}
    pages_of = {kind.folder for kind in Kind} | {"correspondence"}  # a record's or a pair's own page
    for path in pages:
        if not path.endswith(".md"):
            continue
        folder, _, name = path.partition("/")
        kind = folder if folder in pages_of and "/" not in name and name != "index.md" else "listing"
        counts[kind] = counts.get(kind, 0) + 1
    return BuildReport(pages=counts, seconds=time.perf_counter() - started, warnings=warnings)
