"""Incremental builds: after an edit, work out and write again only the pages it can change.

The derive stage notes what every page reads (reads.py). A later run compares
the archive with the last one's:

- changed: records whose file's bytes changed, and those added or removed;
- re-read: articles whose mentions changed (an alias added to a person links
  a name in an article nobody edited);
- incoming: records a changed record stops or starts naming (a new recipient's
  page now lists the letter), and records an article's mentions stop or start
  naming;
- kinds: every kind with a changed record, for the index pages that list a kind.

A page is worked out again when it read any of these, or is new. Index pages
are worked out in two groups (listings, correspondence), each redone whole
when anything it read changed. Only pages whose text changed are written;
the others keep their bytes and modification times. The first run works out
everything and rewrites only what differs on disk.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

from .model import addresses
from .validate.cache import RecordCache
from .derive.derive import Deriver, Page, Views
from .model.errors import BuildError, Problem
from .link.graph import Archive
from .derive.history import project_history, site_settings
from .outputs.files import site_url, whole_archive_files
from .pipeline import Project, check
from .derive.reads import Recorder, Token
from .outputs.render import render
from .model.schema import Key, Kind
from .outputs.search import documents
from .outputs.search.index import FOLDER as SEARCH, SearchIndex
from .write.write import update_pages

Edges = dict[Key, frozenset[tuple[str, Key]]]  # record -> (field, record it names)
Mentions = dict[str, tuple[tuple[Key, str, str], ...]]  # article id -> (record named, words, sentence)


@dataclass
class State:
    """What the last successful run built from, and what each page read."""

    digests: dict[Key, str]
    edges: Edges
    mentions: Mentions
    reads: dict[str, set[Token]]
    groups: dict[str, list[str]]
    pages: dict[str, bytes]  # page -> hash of its text
    search: SearchIndex  # what the search index's files hold
    views: dict[str, Page]  # every page's view: the downloads and the feed read them all


@dataclass
class Update:
    """One run: the pages worked out again, those written and removed, the warnings, the seconds per step."""

    derived: list[str]
    written: list[str]
    removed: list[str]
    warnings: list[Problem]
    seconds: dict[str, float] = field(default_factory=dict)


def _edges(archive: Archive) -> Edges:
    found: dict[Key, set[tuple[str, Key]]] = {}
    for edge in archive.edges:
        found.setdefault(edge.source, set()).add((edge.field, edge.target))
    return {k: frozenset(v) for k, v in found.items()}


def _mentions(archive: Archive) -> Mentions:
    found: dict[str, list[tuple[Key, str, str]]] = {}
    for m in archive.mentions:
        found.setdefault(m.article, []).append((m.target, m.words, m.sentence))
    return {k: tuple(v) for k, v in found.items()}


def _hash(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def affected(old: State, digests: dict[Key, str], edges: Edges, mentions: Mentions) -> set[Token]:
    """Every token a page may have read that this run's archive answers differently."""
    changed = {k for k in old.digests.keys() | digests.keys() if old.digests.get(k) != digests.get(k)}
    tokens: set[Token] = {*changed, *(("all", kind) for kind, _ in changed)}
    for source in old.edges.keys() | edges.keys():
        before, after = old.edges.get(source, frozenset()), edges.get(source, frozenset())
        if before != after:
            tokens |= {("in", target) for _, target in before ^ after}
    for article in old.mentions.keys() | mentions.keys():
        before_m, after_m = old.mentions.get(article, ()), mentions.get(article, ())
        if before_m != after_m:
            tokens.add((Kind.article, article))  # its text links other names now
            tokens |= {("in", target) for target, _, _ in set(before_m) ^ set(after_m)}
    return tokens


class Regenerator:
    """Keeps build/docs up to date with content/, one run after another (the preview keeps one)."""

    def __init__(self, project: Project, cache: RecordCache | None = None) -> None:
        self.project = project
        self.cache = cache or RecordCache(project.cache)
        self.state: State | None = None
        # When each record was added and revised: read once, so the preview shows the history a
        # build at its start would (a commit made while it runs shows after a restart).
        self.history = project_history(project.root)

    def run(self) -> Update:
        """Check the archive, work out the pages the edits can change, write those that did change.

        Raises BuildError with every error; build/docs and the state stay as they were."""
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        archive, problems = check(self.project, self.cache)
        seconds["check"] = time.perf_counter() - started
        if archive is None:
            raise BuildError(problems)
        digests, edges, mentions = self.cache.digests(), _edges(archive), _mentions(archive)
        old = self.state
        recorder = Recorder()
        deriver = Deriver(archive, recorder, history=self.history)
        found = site_settings(self.project.config)
        lap = time.perf_counter()
        if old is None:
            views = deriver.views()
        else:
            tokens = affected(old, digests, edges, mentions)

            def wanted(path: str) -> bool:
                return path not in old.reads or not old.reads[path].isdisjoint(tokens)

            redo = [name for name, paths in old.groups.items() if not paths or wanted(paths[0])]
            views = deriver.views(wanted, redo)
        seconds["derive"] = time.perf_counter() - lap
        lap = time.perf_counter()
        texts = render(views, site_url(found))  # as pipeline._pages
        seconds["render"] = time.perf_counter() - lap

        # Every page the site has now: the records', the index groups' and the pairs'.
        reads = {} if old is None else dict(old.reads)
        reads.update(deriver.reads)
        groups = {} if old is None else dict(old.groups)
        for name, paths in deriver.groups.items():
            for path in groups.get(name, []):
                reads.pop(path, None)
            groups[name] = paths
            reads.update({path: deriver.reads[path] for path in paths})
        present = {addresses.page(r) for r in archive.records.values()}
        present |= {p for paths in groups.values() for p in paths}
        present |= {addresses.pair(ids) for ids in archive.pairs()}
        reads = {path: read for path, read in reads.items() if path in present}
        pages = {} if old is None else {p: h for p, h in old.pages.items() if p in present}
        gone = sorted(set(old.pages) - present) if old is not None else sorted(
            p.relative_to(self.project.docs).as_posix() for p in self.project.docs.rglob("*.md")
            if p.relative_to(self.project.docs).as_posix() not in present)
        lap = time.perf_counter()
        written = update_pages(self.project.docs, texts,
                               (lambda path, text: pages.get(path) == _hash(text)) if old else None, gone)
        seconds["write"] = time.perf_counter() - lap
        lap = time.perf_counter()
        search, files = self._index(old, views, gone)
        written += update_pages(self.project.docs, files)
        seconds["search"] = time.perf_counter() - lap
        lap = time.perf_counter()
        every = {} if old is None else {p: v for p, v in old.views.items() if p in present}
        every.update(views.pages)
        whole = whole_archive_files(Views(every), archive, present, found)
        written += update_pages(self.project.docs, whole)
        seconds["downloads, feed, redirects"] = time.perf_counter() - lap
        pages.update({path: _hash(text) for path, text in texts.items()})
        if old is None:
            self.cache.save()  # the next start reads only what changed meanwhile
        self.state = State(digests, edges, mentions, reads, groups, pages, search, every)
        seconds["total"] = time.perf_counter() - started
        return Update(sorted([*texts, *(p for p in whole if p.endswith(".md"))]), written, gone, problems, seconds)

    def _index(self, old: State | None, views: Views, gone: list[str]) -> tuple[SearchIndex, dict[str, str]]:
        """The search index's files that change: all of them at first, then those the pages worked out touch."""
        docs = documents(views)
        if old is None:
            search, files = SearchIndex.build(docs)
            folder = self.project.docs / SEARCH
            for stale in folder.rglob("*.js") if folder.exists() else ():  # a layout an older build left
                if stale.relative_to(self.project.docs).as_posix() not in files:
                    stale.unlink()
            return search, files

        def read(path: str) -> str:
            file = self.project.docs / path
            return file.read_text(encoding="ascii") if file.exists() else ""

        return old.search, old.search.update(docs, gone, read)


def regenerate_docs(project: Project) -> None:
    """Rewrite build/docs in place, only the pages whose text changed."""
    Regenerator(project).run()
