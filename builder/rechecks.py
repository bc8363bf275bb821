"""Incremental checks: after an edit, the link stage's costly work on each record is done again only
where the edit can change it.

A letter's, summit's or place's facts (provenance.py), the warnings on a record's citations
(checks.unsaid_in) and on a letter's reports (checks.unattributed_in) are worked out one record at a
time through an Archive that notes every record it reads, as the pages' views are (derive/reads.py).
They are kept in build/cache/, with those reads and what the archive was then: each file's hash, the
links between records, the names found in articles. The next check works out again a record that is
new or read something the archive now answers otherwise (incremental.affected) and reuses the rest,
so it answers as a whole check does. The checks that compare records across the archive run whole.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from .derive.reads import ReadArchive, Recorder, Token
from .incremental import Edges, Mentions, affected, edges_of, mentions_in
from .link.checks import unattributed_in, unsaid_in
from .link.facts import Basis, Facts, Support
from .link.graph import Archive, key
from .link.provenance import facts_for
from .load.load import Source
from .model.errors import Problem
from .model.schema import Article, Key, Kind, Letter
from .validate.cache import fingerprint

FILE = "checks.pickle"

# A record's facts without the records in them (the next run's archive has its own): fact -> item ->
# (supports as (article id, words, curated), curator's mark, what was looked for); and the keys it read.
Packed = tuple[dict[str, dict[str | None, tuple[tuple[tuple[str, str, bool], ...], str | None, str | None]]],
               tuple[Key, ...]]


@dataclass(frozen=True)
class Worked:
    """What one record's checks found, and every token they read."""

    reads: tuple[int, ...]  # places in Rechecks.tokens: ints unpickle and compare quicker than tokens
    facts: Packed | None
    problems: tuple[Problem, ...]


@dataclass
class Rechecks:
    """The archive a run checked (what incremental.affected compares), and each record's results."""

    digests: dict[Key, str]
    edges: Edges
    mentions: Mentions
    worked: dict[Key, Worked]
    tokens: list[Token]  # every token a record's checks have read, numbered
    history: dict[Key, object]  # none of these checks reads a record's history: always empty


def per_record(archive: Archive, sources: dict[Key, Source], digests: dict[Key, str],
               folder: Path | None) -> list[Problem]:
    """Attach every record's facts to `archive`; return the problems each record's own checks find.

    With a `folder` (build/cache/), what the last run kept there is reused where nothing it read
    changed, and this run's results replace it."""
    old = _restore(folder) if folder else None
    edges, mentions = edges_of(archive), mentions_in(archive)
    tokens = affected(old, digests, edges, mentions, {}) if old else set()
    table = old.tokens if old else []
    number = {token: i for i, token in enumerate(table)}
    changed = {number[token] for token in tokens if token in number}
    recorder = Recorder()
    reading = cast(Archive, ReadArchive(archive, recorder))
    facts: dict[Key, Facts] = {}
    worked: dict[Key, Worked] = {}
    redone = 0
    for k, record in archive.records.items():
        before = old.worked.get(k) if old else None
        if before is not None and changed.isdisjoint(before.reads):
            try:
                if before.facts is not None:
                    facts[k] = _unpack(before.facts, archive)
                worked[k] = before
                continue
            except KeyError:  # a record it read is gone: tokens missed nothing, but never show a stale one
                pass
        recorder.current = {k}
        found = facts_for(record, reading)
        problems = unsaid_in(record, reading, sources)
        if isinstance(record, Letter):
            problems += unattributed_in(record, reading, sources)
        reads = tuple(number.setdefault(token, len(number)) for token in recorder.current)
        worked[k] = Worked(reads, _pack(found) if found else None, tuple(problems))
        recorder.current = None
        if found is not None:
            facts[k] = found
        redone += 1
    archive.attach_facts(facts)
    if folder and (redone or old is None or len(worked) != len(old.worked) or tokens):
        table = [*table, *list(number)[len(table):]]  # the tokens read for the first time, numbered on
        _save(folder, Rechecks(digests, _shared(edges), mentions, worked, table, {}))
    return [p for w in worked.values() for p in w.problems]


def _shared(edges: Edges) -> Edges:
    """The same edges, each record's key one object wherever it stands: pickled once, unpickled quickly."""
    one: dict[Key, Key] = {}
    return {one.setdefault(k, k): frozenset((field, one.setdefault(target, target)) for field, target in named)
            for k, named in edges.items()}


def _pack(facts: Facts) -> Packed:
    return ({fact: {item: (tuple((s.article.id, s.quote, s.curated) for s in basis.supports), basis.curator,
                           basis.looked_for) for item, basis in items.items()} for fact, items in facts.of.items()},
            tuple(key(r) for r in facts.read))


def _unpack(packed: Packed, archive: Archive) -> Facts:
    """The facts with this archive's records in them. KeyError if one is gone."""
    of, read = packed
    articles = archive.records
    return Facts({fact: {item: Basis(tuple(Support(cast(Article, articles[(Kind.article, a)]), words, curated)
                                           for a, words, curated in supports), curator, looked_for)
                         for item, (supports, curator, looked_for) in items.items()} for fact, items in of.items()},
                 tuple(archive.records[k] for k in read))


# The file this process last wrote or read, by its identity on disk, and what it holds: the preview
# checks again on every save, and need not unpickle what it has just pickled.
_last: tuple[tuple[int, int, int], Rechecks] | None = None


def _identity(file: Path) -> tuple[int, int, int]:
    found = file.stat()
    return found.st_ino, found.st_mtime_ns, found.st_size


def _restore(folder: Path) -> Rechecks | None:
    global _last
    try:
        if _last is not None and _last[0] == _identity(folder / FILE):
            return _last[1]
        with open(folder / FILE, "rb") as f:
            if pickle.load(f) != fingerprint():  # another builder: its checks may differ
                return None
            found = pickle.load(f)
            _last = (_identity(folder / FILE), found) if isinstance(found, Rechecks) else None
        return found if isinstance(found, Rechecks) else None
    except Exception:  # missing, truncated, unreadable: check every record
        return None


def _save(folder: Path, rechecks: Rechecks) -> None:
    """Replace the file whole; one that cannot be written costs the next check its speed only."""
    global _last
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".checks.", dir=folder)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(fingerprint(), f, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(rechecks, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / FILE)
        _last = (_identity(folder / FILE), rechecks)
    except Exception:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
