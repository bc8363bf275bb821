"""Incremental checks: after an edit, the check's work on each record is done again only where the
edit can change it.

Each record's checks are worked out one record at a time through an Archive that notes every record
it reads, as the pages' views are (derive/reads.py): its facts (provenance.py), the warnings on its
citations (checks.unsaid_in, vague_quotes_in) and on a letter's reports (checks.unattributed_in), the
quotations in its prose (quotations.unverified_in), its facts that cite nothing (provenance.uncited_in),
and the checks of its file alone (placeholders, an article's Markdown). They are kept in build/cache/,
with those reads and what the archive was then: each file's hash, the links between records, the names
found in articles. The next check works out again a record that is new or read something the archive
now answers otherwise (incremental.affected) and reuses the rest, so it answers as a whole check does.
Each record's results are kept on a shelf beside that file (shelf.py): after an edit, only the shards
holding a record checked again are written.
The checks that compare names across the archive are kept with the names they compared, and run again
when one of those changed. The other checks that compare records across the archive run whole.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

from .collector import paused
from .derive.reads import ReadArchive, Recorder, Token
from .forks import each, workers_for
from .incremental import MentionPrints, affected, mention_prints
from .link.checks import (Named, Reviewed, display_name, name_checks, named, own_checks, placeholders, unattributed_in,
                          unsaid_in, vague_quotes_in)
from .link.facts import Basis, Facts, FactTable, Support, resting
from .link.graph import Archive, Edges, _citations, key
from .link.provenance import facts_for, uncited_in
from .link.quotations import unverified_in
from .load.load import Source
from .model.errors import Problem
from .model.schema import Article, Key, Kind, Letter
from .shelf import Shelf, dump_apart, load_apart, shelf_for
from .version import fingerprint

FILE, SHELF = "checks.pickle", "checks"  # in build/cache/: the archive checked; each record's results

# A record's facts without the records in them (the next run's archive has its own): fact -> item ->
# (supports as (article id, words, curated), curator's mark, what was looked for); the keys it read; a
# letter's sentences by reporting article (Facts.reported).
Packed = tuple[dict[str, dict[str | None, tuple[tuple[tuple[str, str, bool], ...], str | None, str | None]]],
               tuple[Key, ...], dict[str, list[str]]]


@dataclass(frozen=True)
class Worked:
    """What one record's checks found, and every token they read."""

    reads: tuple[int, ...]  # places in Rechecks.tokens: ints unpickle and compare quicker than tokens
    facts: bytes | None  # Packed, pickled: unpickled only when a page (or the tally) reads them
    problems: tuple[Problem, ...]  # the link stage's checks
    left_in: tuple[Problem, ...]  # placeholders left in (checks.review: they replace complaints on their line)
    added: tuple[Problem, ...]  # review's other checks of the record


@dataclass(frozen=True)
class Names:
    """What the name checks found, for the names they compared, and the hash of each file they point into."""

    compared: tuple[tuple[str, ...], ...]
    problems: tuple[Problem, ...]
    digests: dict[Key, str | None]


@dataclass
class Rechecks:
    """The archive a run checked (what incremental.affected compares), and each record's results."""

    digests: dict[Key, str]
    edges: Edges
    mentions: MentionPrints
    worked: dict[Key, Worked]
    tokens: list[Token]  # every token a record's checks have read, numbered
    history: dict[Key, object]  # none of these checks reads a record's history: always empty
    names: Names

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "worked": {}}  # on the shelf (_write)


@dataclass(frozen=True)
class Checked:
    """The link stage's problems with each record, and review's (checks.review)."""

    problems: list[Problem]
    reviewed: Reviewed


def per_record(archive: Archive, sources: dict[Key, Source], digests: dict[Key, str],
               folder: Path | None, jobs: int = 1, again: bool = True) -> Checked:
    """Attach every record's facts to `archive`; return the problems each record's own checks find, and
    the name checks'.

    With a `folder` (build/cache/), what the last run kept there is reused where nothing it read
    changed, and this run's results replace it. Many records to check are shared among up to `jobs`
    forked workers (forks.py), each working out a record's facts and then its checks, which read its facts
    alone: one round of workers, whose caches serve both (two rounds took twice the CPU time of one process).
    `again`: a later run of this process checks the archive again (the preview, a build server), so what
    this run wrote stays in memory for it (_last); a build alone keeps nothing (90 MB at 10,000 articles)."""
    global _numbers, _last, _shelf, _written
    old = _restore(folder) if folder else None
    edges, mentions = archive.outgoing(), mention_prints(archive)
    tokens = affected(old, digests, edges, mentions, {}) if old else set()
    table = old.tokens if old else []
    number = _numbered(table)
    changed = {number[token] for token in tokens if token in number}
    facts = _Facts(archive)
    worked: dict[Key, Worked] = {}
    redo: list[Key] = []
    if old is not None and old.worked.keys() == archive.records.keys():  # an edit's run: the same records
        worked = dict(old.worked)
        redo = [k for k, before in worked.items() if not changed.isdisjoint(before.reads)] if changed else []
        facts.packed = {k: before.facts for k, before in worked.items() if before.facts is not None}
        for k in redo:
            facts.packed.pop(k, None)
    else:
        for k in archive.records:
            before = old.worked.get(k) if old else None
            if before is not None and changed.isdisjoint(before.reads):
                if before.facts is not None:
                    facts.packed[k] = before.facts
                worked[k] = before
            else:
                redo.append(k)
    here = workers_for(len(redo), jobs) == 1  # made here: the facts themselves are kept, not packed only
    archive.attach_facts(facts)  # a record's checks read its facts: attached as each is found (_worked)
    found = each(redo, lambda keys: _worked(archive, sources, facts, keys, here), jobs, "checking records")
    for k, (packed, kept, reads, problems, left_in, added) in zip(redo, found):
        if kept is not None:
            facts[k] = kept
        elif packed is not None:
            facts.packed[k] = packed
        numbered = tuple(number.setdefault(token, len(number)) for token in reads)
        worked[k] = Worked(numbered, packed, problems, left_in, added)
    names = _names(archive, sources, digests, old.names if old else None)
    if folder and (redo or old is None or len(worked) != len(old.worked) or tokens or names is not old.names):
        table = [*table, *list(number)[len(table):]]  # the tokens read for the first time, numbered on
        _save(folder, Rechecks(digests, edges, mentions, worked, table, {}, names))
        _numbers = (table, number)  # what the next run reads
    elif old is not None:  # the same files, links and names: as this run holds them, which the next run's
        old.digests, old.edges, old.mentions = digests, edges, mentions  # share where unchanged (compared quicker)
    if not again:
        _last, _shelf, _written, _numbers = None, None, {}, ([], {})
    # None while every id resolves; every record is a source's, so as many records as sources are all of them.
    unlinked = [] if len(worked) == len(sources) else [s for k, s in sources.items() if k not in worked]
    return Checked([p for w in worked.values() for p in w.problems],
                   Reviewed([p for w in worked.values() for p in w.left_in] + [p for s in unlinked for p in placeholders(s)],
                            [p for w in worked.values() for p in w.added] + [p for s in unlinked for p in own_checks(s)]
                            + list(names.problems)))


_numbers: tuple[list[Token], dict[Token, int]] = ([], {})  # the last table numbered, and its numbers


def _numbered(table: list[Token]) -> dict[Token, int]:
    """Each token's place in `table`: worked out again only for another table than the last run's (the
    preview's next run reads the one this run kept), a copy for this run to number new tokens on."""
    global _numbers
    if _numbers[0] is not table:
        _numbers = (table, {token: i for i, token in enumerate(table)})
    return dict(_numbers[1])


def _worked(archive: Archive, sources: dict[Key, Source], facts: _Facts, keys: list[Key], keep: bool
            ) -> list[tuple[bytes | None, Facts | None, set[Token], tuple[Problem, ...], tuple[Problem, ...],
                            tuple[Problem, ...]]]:
    """Each record's facts (packed and, if `keep`, as they are), then its own checks, in one pass (in a
    worker, its share): its checks read its facts, and what working them out left in this process's caches
    (the words weighed for each letter, fact_words) serves them. What both read, the link stage's
    problems, the placeholders left in, review's others."""
    recorder = Recorder()
    reading = cast(Archive, ReadArchive(archive, recorder))
    found = []
    for k in keys:
        record, source = archive.records[k], sources[k]
        recorder.current = {k}
        worked_out = facts_for(record, reading)
        packed = pickle.dumps(_pack(worked_out), pickle.HIGHEST_PROTOCOL) if worked_out else None
        if worked_out is not None:
            facts[k] = worked_out  # read by uncited_in; in a worker, its copy's
        problems = unsaid_in(record, reading, sources) + unverified_in(record, reading, sources)
        problems += uncited_in(record, reading, sources)
        if isinstance(record, Letter):
            problems += unattributed_in(record, reading, sources)
        added = vague_quotes_in(record, reading, sources) + own_checks(source)
        for _, article, _ in _citations(record):  # looked up among the records, which notes no read
            recorder.note((Kind.article, article))
        found.append((packed, worked_out if keep else None, recorder.current, tuple(problems),
                      tuple(placeholders(source)), tuple(added)))
    return found


def _names(archive: Archive, sources: dict[Key, Source], digests: dict[Key, str], old: Names | None) -> Names:
    """The name checks' problems: the last run's while the names compared and the files pointed into
    are the same."""
    records = named(archive)
    compared = archive.carried("names compared", (records,), lambda: _compared(records))
    if old is not None and old.compared == compared and _unchanged(old.digests, digests):
        return old
    problems = name_checks(records, sources)
    paths = {p.path for p in problems}
    return Names(compared, tuple(problems),
                 {key(r): digests.get(key(r)) for r in records if sources[key(r)].path in paths})


def _compared(records: list[Named]) -> tuple[tuple[str, ...], ...]:
    """All that the name checks compare: each record's names and the records it is distinct from."""
    return tuple(sorted((r.kind, r.id, display_name(r), *r.aliases, "", *r.distinct_from) for r in records))


def _unchanged(kept: dict[Key, str | None], digests: dict[Key, str]) -> bool:
    return all(digests.get(k) == digest for k, digest in kept.items())


class _Facts(FactTable):
    """Every record's facts: those worked out this run, and the last run's, unpacked when first read."""

    def __init__(self, archive: Archive) -> None:
        super().__init__()
        self.archive = archive
        self.packed: dict[Key, bytes] = {}

    def __missing__(self, k: Key) -> Facts:
        packed = self.packed[k]  # KeyError for a record without facts, as a dict says
        try:
            found = _unpack(pickle.loads(packed), self.archive)
        except KeyError:  # a record it read is gone: tokens missed nothing, but never show a stale one
            found = cast(Facts, facts_for(self.archive.records[k], self.archive))
        self[k] = found
        return found

    def rests(self, k: Key) -> list[str]:
        """As FactTable's, without unpacking facts the last run kept: the tally reads every record's."""
        if k in self or k not in self.packed:
            return super().rests(k)
        (of, read, _), records = pickle.loads(self.packed[k]), self.archive.records
        if any(r not in records for r in read):  # as __missing__: never a stale one
            return super().rests(k)
        return [resting(bool(supports), curator) for items in of.values() for supports, curator, _ in items.values()]


def _shared(edges: Edges, kept: Edges) -> Edges:
    """The same edges, each record's key one object wherever it stands: pickled once, unpickled quickly.
    A record's edges are the `kept` ones (already shared) where they did not change: none made anew."""
    if not kept:  # the link stage's are: each record's key one object (graph.py)
        return edges
    one: dict[Key, Key] = {}
    for k, named in kept.items():
        one.setdefault(k, k)
        for _, target in named:
            one.setdefault(target, target)
    return {one.setdefault(k, k): before if (before := kept.get(k)) == named
            else frozenset((field, one.setdefault(target, target)) for field, target in named)
            for k, named in edges.items()}


def _pack(facts: Facts) -> Packed:
    return ({fact: {item: (tuple((s.article.id, s.quote, s.curated) for s in basis.supports), basis.curator,
                           basis.looked_for) for item, basis in items.items()} for fact, items in facts.of.items()},
            tuple(key(r) for r in facts.read), facts.reported)


def _unpack(packed: Packed, archive: Archive) -> Facts:
    """The facts with this archive's records in them. KeyError if one is gone."""
    of, read, reported = packed
    articles = archive.records
    return Facts({fact: {item: Basis(tuple(Support(cast(Article, articles[(Kind.article, a)]), words, curated)
                                           for a, words, curated in supports), curator, looked_for)
                         for item, (supports, curator, looked_for) in items.items()} for fact, items in of.items()},
                 tuple(archive.records[k] for k in read), reported)


# The file this process last wrote or read (its folder, and its identity on disk: None while there is
# none), and what it holds: the preview checks again on every save, and need not unpickle what it has
# just pickled. The preview also puts off writing it (`deferred`) until nobody waits for a page.
_last: tuple[tuple[Path, tuple[int, int, int] | None], Rechecks] | None = None
_shelf: Shelf[Worked] | None = None  # the shelf of each record's results this process last read or wrote
# The edges as the file holds them, each key one object (_shared): the next write shares them where they are
# the same. `_last` holds the run's own, whose sets the next run's archive holds too: compared, not hashed again.
_written: Edges = {}
deferred = False
_pending: tuple[Path, Rechecks] | None = None
_writing = threading.Lock()


def _identity(folder: Path) -> tuple[Path, tuple[int, int, int] | None]:
    try:
        found = (folder / FILE).stat()
    except OSError:
        return folder, None
    return folder, (found.st_ino, found.st_mtime_ns, found.st_size)


def _restore(folder: Path) -> Rechecks | None:
    global _last, _shelf, _written
    try:
        with _writing:
            if _last is not None and _last[0] == _identity(folder):
                return _last[1]
        with open(folder / FILE, "rb") as f:
            if pickle.load(f) != fingerprint():  # another builder: its checks may differ
                return None
            with paused():
                found = Rechecks(**load_apart(f))
        # Written before the file (_write): a record missing from a damaged shard is checked again.
        _shelf = shelf_for(_shelf, folder / SHELF, fingerprint())
        kinds = {kind.value: kind for kind in Kind}
        found.worked = {(kinds[kind], id_): worked for name, worked in _shelf.load().items()
                        for kind, _, id_ in [name.partition("/")]}
        _last, _written = (_identity(folder), found), found.edges
        return found
    except Exception:  # missing, truncated, unreadable: check every record
        return None


def _save(folder: Path, rechecks: Rechecks) -> None:
    """Replace the file whole, now or, `deferred`, when `flush` is called (the file as it is stands for
    this run's checks meanwhile: no run of this process reads it). One that cannot be written costs
    the next check its speed only."""
    global _last, _pending
    with _writing:
        if deferred:
            _last, _pending = (_identity(folder), rechecks), (folder, rechecks)
            return
        _write(folder, rechecks)


def flush() -> None:
    """Write what a deferred save put off, if anything."""
    global _pending
    with _writing:
        if _pending is not None:
            folder, rechecks = _pending
            _pending = None
            _write(folder, rechecks)


def _write(folder: Path, rechecks: Rechecks) -> None:
    """The file whole, once each record's results are on the shelf: no file stands for a shelf half written."""
    global _last, _shelf, _written
    edges = _shared(rechecks.edges, _written)
    tmp = None
    try:
        (folder / FILE).unlink(missing_ok=True)  # while the shelf changes, no run may read the file before
        _shelf = shelf_for(_shelf, folder / SHELF, fingerprint())
        if not _shelf.save({f"{kind}/{id_}": worked for (kind, id_), worked in rechecks.worked.items()}):
            return  # a shard could not be written: the next check works out every record again
        fd, tmp = tempfile.mkstemp(prefix=".checks.", dir=folder)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(fingerprint(), f, protocol=pickle.HIGHEST_PROTOCOL)
            dump_apart(f, replace(rechecks, edges=edges).__getstate__())  # each with its own memo (shelf.py)
        os.replace(tmp, folder / FILE)
        _last, _written = (_identity(folder), rechecks), edges
    except Exception:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
