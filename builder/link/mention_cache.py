"""Mentions found in articles, kept between runs and processes while what they were found by is the same.

Finding mentions runs the name index over every article: the link stage's largest cost in a big
archive, and `archive build` after an edit is a new process. What `mentions.find` answers for an
article depends only on its id, text, front matter lists and pins (with the kinds of the pinned ids)
and on the names of every person, summit and topic. So each answer is kept by a hash of the
article's part, under a hash of all the names: in memory for the preview's next save, and in
build/cache/mentions/ for the next process, in shards (shelf.py: a run writes again only those
where an article's answer changed) headed by the builder's fingerprint and the names' hash (another
builder's files, or damaged ones, are ignored). A changed name or alias finds every article's again.
The name index itself is reused while the names are the same.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from .mentions import Ambiguity, Mention, NameIndex, find, named
from ..forks import each
from ..model.schema import Article, Kind, Record
from ..shelf import Shelf
from ..version import fingerprint

FOLDER = "mentions"  # in build/cache/

Found = tuple[list[Mention], list[Ambiguity]]


@dataclass
class _Memory:
    """What this process found last: the answers under one set of names, for one cache folder."""

    index: NameIndex | None = None
    names: str = ""  # hash of the names the answers were found by
    folder: Path | None = None
    answers: dict[str, Found] = field(default_factory=dict)  # by the hash of the article's part
    shelf: Shelf[Found] | None = None
    # Each article's part, by its identity (a record cache hands back an unchanged file's record as the same
    # object), with the kinds of the ids it pins: the preview hashes only the articles an edit changed.
    parts: dict[int, tuple[Article, list[tuple[str, str | None, list[Kind]]], str]] = field(default_factory=dict)


_memory: _Memory | None = None


def names_for(records: list[Record]) -> NameIndex:
    """The name index of these records: the last one made while every name and alias is the same."""
    global _memory
    memory = _memory = _memory or _Memory()
    made_of = named(records)
    if memory.index is None or memory.index.made_of != made_of:
        memory.index = NameIndex(records)
    return memory.index


def find_all(articles: list[Article], index: NameIndex, kinds_of: dict[str, list[Kind]],
             folder: Path | None, jobs: int = 1, again: bool = True) -> list[Found]:
    """`mentions.find` of each article, taken from an earlier run's where it holds; without a
    `folder` (build/cache/) every article is searched, as a whole run does. Many articles to search
    (a first run, a name changed) are searched on up to `jobs` forked workers (forks.py).
    `again`: a later run in this process searches again (the preview's, a build server's); without one,
    this process keeps nothing of this run's (the articles themselves among it: a build alone lets go
    of them once its pages are made)."""
    global _memory
    if folder is None:
        return _searched(articles, index, kinds_of, jobs)
    names = _names_hash(index)
    memory = _memory = _memory or _Memory()
    if (memory.names, memory.folder) != (names, folder):
        memory.shelf = Shelf(folder / FOLDER, (fingerprint(), names))
        memory.names, memory.folder, memory.answers = names, folder, memory.shelf.load()
    now: dict[str, Found | None] = {}
    unknown: dict[str, Article] = {}
    parts, memory.parts = memory.parts, {}
    for article in articles:
        pins = _pins(article, kinds_of)
        kept = parts.get(id(article))
        part = kept[2] if kept is not None and kept[0] is article and kept[1] == pins else _part(article, pins)
        memory.parts[id(article)] = (article, pins, part)
        now[part] = found = memory.answers.get(part)
        if found is None:
            unknown[part] = article
    if unknown:
        now.update(zip(unknown, _searched(list(unknown.values()), index, kinds_of, jobs)))
    if now.keys() != memory.answers.keys():  # kept: this run's articles only
        memory.answers = cast(dict[str, Found], now)
        assert memory.shelf is not None
        memory.shelf.save(memory.answers)
    if not again:
        _memory = None
    return cast(list[Found], list(now.values()))


def _searched(articles: list[Article], index: NameIndex, kinds_of: dict[str, list[Kind]], jobs: int) -> list[Found]:
    return each(articles, lambda part: [find(article, index, kinds_of) for article in part], jobs, "finding names")


def _names_hash(index: NameIndex) -> str:
    return hashlib.sha256(repr(index.made_of).encode()).hexdigest()


def _pins(article: Article, kinds_of: dict[str, list[Kind]]) -> list[tuple[str, str | None, list[Kind]]]:
    """The names an article pins (`mentions:`), with the kinds of the ids they are pinned to."""
    return [(name, pinned, kinds_of.get(pinned, []) if pinned else []) for name, pinned in
            (article.mentions or {}).items()]


def _part(article: Article, pins: list[tuple[str, str | None, list[Kind]]]) -> str:
    """A hash of all `find` reads of the article itself (`pins`: _pins)."""
    fields = repr((article.id, article.people, article.summits, article.topics, pins)).encode()
    h = hashlib.blake2b(len(fields).to_bytes(8, "big") + fields, digest_size=16)
    h.update(article.body.encode())  # a repr of the body would cost ten times as much
    return h.hexdigest()
