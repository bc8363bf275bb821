"""The pipeline in one place: load → validate → link → derive → render (and index) → write.

Each stage is a function of the one before; problems from every stage are
collected so a contributor sees all of them in one run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .link import body_links
from .outputs import redirects
from .validate.cache import RecordCache
from .link.checks import review
from .derive.derive import derive
from .model.errors import BuildError, Fault, Problem, outcome_for, split
from .link.graph import Archive, link
from .derive.history import build_epoch, project_history, site_settings
from .load.load import load
from .outputs.files import site_url, whole_archive_files
from .link.provenance import uncited
from .link.quotations import unverified
from .outputs.render import render
from .model.schema import Kind
from .outputs.search import index_files
from .write.write import clear_leftovers, holding, render_site, staged, write_pages


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


def _pages(project: Project, outcome: str = "") -> tuple[Archive, dict[str, str], list[Problem]]:
    """Check the archive and render its pages; stop with every error. Returns the warnings too."""
    archive, problems = check(project)  # the cache spares re-reading unchanged files
    if archive is None:
        raise BuildError(problems, outcome)
    try:
        views = derive(archive, project_history(project.root))  # when each record was added, from git
    except ValueError as err:  # validation keeps ids unique; this guards the page layout itself
        raise BuildError([Problem(str(err), 0, "", "two pages would be written to this path",
                                  "Rename one of the records")], outcome) from None
    found = site_settings(project.config)
    pages = render(views, site_url(found))  # permalinks in JSON-LD and citations
    pages.update(index_files(views)[1])  # the search index, from the same views
    pages.update(whole_archive_files(views, archive, pages.keys(), found))  # downloads, feed, redirects
    return archive, pages, problems


@dataclass(frozen=True)
class BuildReport:
    pages: dict[str, int]  # kind of page -> count
    seconds: float
    warnings: list[Problem]


def build(project: Project) -> BuildReport:
    """Build site/ from content/, replacing it only if everything succeeded."""
    started = time.perf_counter()
    leftovers = tidy(project)
    archive, pages, warnings = _pages(project, outcome_for(project.site))
    # MkDocs stamps the sitemap with the build date; derive it from the content.
    epoch = build_epoch(archive)
    try:
        with holding(project.staging) as area, staged(project.docs, area) as docs, staged(project.site, area) as site:
            write_pages(pages, docs)
            render_site(project.config, docs, site, epoch, outcome_for(project.site))
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
