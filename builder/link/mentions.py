"""Mentions: names of people, summits and topics found in article text.

The link stage finds every mention (for backlinks with their sentence, and to
report names the front matter forgot or that could mean two records); the
render stage links the first mention of each record per article.

A name is a record's name or one of its aliases. People's and summits' names
match case-sensitively ("May" the month is not Theresa May's alias anyway);
topics match in any case ("missile defense"). A name shared by two records
("Ivanov") links only when the article's front matter names exactly one of
them, or when the article's `mentions:` says which.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..model.schema import Article, Key, Kind, Person, Record, Summit, Topic
from ..model.text import sentences
from ..validate.safety import LINK_SWITCH

# The kinds whose names link, and the article field that lists the records of each a text concerns.
LISTED_UNDER = {Kind.person: "people", Kind.summit: "summits", Kind.topic: "topics"}

# Spans in a Markdown line that must not get links: code, links, autolinks, HTML tags.
_PROTECTED = re.compile(r"`[^`]*`|!?\[[^\]]*\]\([^)]*\)|!?\[[^\]]*\]\[[^\]]*\]|<[^>]*>")


@dataclass(frozen=True)
class Mention:
    article: str  # article id
    target: Key
    words: str  # the name as written
    sentence: str  # the sentence it stands in, as plain text


@dataclass(frozen=True)
class Ambiguity:
    article: str
    words: str
    candidates: tuple[Key, ...]


def _spaced(name: str) -> str:
    """A name as a pattern in which any run of whitespace (no-break spaces too) matches any other."""
    return r"\s+".join(re.escape(word) for word in name.split())


def _words(text: str) -> str:
    return " ".join(text.split())


_WORD_START = re.compile(r"(?<![\w-])\w")  # where a name may begin: not inside a word or after a hyphen
_RUN = re.compile(r"\w+")


class _NamePattern:
    """Matches as one alternation of every name would (longest name first, never inside a word),
    found by looking up each word of the text among the names' first words, so the cost grows
    with the text and not with the number of names. `finditer` and `sub` as a compiled pattern's."""

    def __init__(self, names: list[str], caseless: set[str]) -> None:
        spaced: dict[str, list[str]] = defaultdict(list)  # first word -> its names' patterns, longest first
        self.whole: re.Pattern[str] | None = None
        for name in names:
            first = _RUN.match(name)
            if first is None:  # a name that starts with punctuation: only one alternation finds it
                body = "|".join(f"(?i:{_spaced(n)})" if n in caseless else _spaced(n) for n in names)
                self.whole = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")
                break
            spaced[first.group(0).lower()].append(f"(?i:{_spaced(name)})" if name in caseless else _spaced(name))
        # One alternation per first word: many names share one ("Mr", "President"), and the
        # regex engine tries them, longest first, faster than a loop over patterns would.
        # Each is compiled when a text first holds its word: an edit's run reads a few articles.
        self.by_first = {word: rf"(?:{'|'.join(found)})(?![\w-])" for word, found in spaced.items()}
        self.compiled: dict[str, re.Pattern[str]] = {}

    def _starting(self, word: str) -> re.Pattern[str] | None:
        """The alternation of the names whose first word this is, if any."""
        pattern = self.compiled.get(word)
        if pattern is None and word in self.by_first:
            pattern = self.compiled[word] = re.compile(self.by_first[word])
        return pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.whole is not None:
            yield from self.whole.finditer(text)
            return
        after = 0
        for start in _WORD_START.finditer(text):
            at = start.start()
            if at < after:
                continue
            word = _RUN.match(text, at).group(0).lower()  # type: ignore[union-attr]
            candidates = self._starting(word)
            match = candidates.match(text, at) if candidates else None
            if match:
                yield match
                after = match.end()

    def sub(self, replace: Callable[[re.Match[str]], str], text: str) -> str:
        pieces, last = [], 0
        for match in self.finditer(text):
            pieces += [text[last:match.start()], replace(match)]
            last = match.end()
        return "".join(pieces) + text[last:]


Named = tuple[tuple[Kind, str, tuple[str, ...]], ...]  # (kind, id, names) of each record whose names link


def named(records: list[Record]) -> Named:
    """What a NameIndex is made of: each person's, summit's and topic's names and aliases."""
    found = []
    for record in records:
        if isinstance(record, (Person, Topic)):
            found.append((record.kind, record.id, (record.name, *record.aliases)))
        elif isinstance(record, Summit):  # titles are descriptions, aliases are what articles say
            found.append((record.kind, record.id, record.aliases))
    return tuple(found)


class NameIndex:
    """Every name and alias, compiled into one pattern, longest name first."""

    def __init__(self, records: list[Record]) -> None:
        self.made_of = made_of = named(records)
        self.by_name: dict[str, set[Key]] = defaultdict(set)
        self.caseless: set[str] = {_words(n).casefold() for kind, _, names in made_of if kind == Kind.topic
                                   for n in names}
        for kind, id_, names in made_of:
            for name in map(_words, names):
                key = name.casefold() if name.casefold() in self.caseless else name
                self.by_name[key].add((kind, id_))
        self.pattern = _NamePattern(sorted(self.by_name, key=len, reverse=True), self.caseless)

    def candidates(self, words: str) -> set[Key]:
        words = _words(words)
        return self.by_name.get(words, set()) | self.by_name.get(words.casefold(), set())


def listed_in(article: Article) -> set[Key]:
    """The people, summits and topics an article's front matter says it concerns."""
    return {(kind, id_) for kind, field_name in LISTED_UNDER.items() for id_ in getattr(article, field_name)}


def resolve(article: Article, words: str, index: NameIndex, kinds_of: dict[str, list[Kind]]) -> Key | None | Ambiguity:
    """What `words` means in this article: a record, nothing (switched off), or an ambiguity."""
    pins = {_words(name): pinned for name, pinned in article.mentions.items()} if article.mentions else {}
    if pins and _words(words) in pins:  # the text may space a name with no-break spaces
        pinned = pins[_words(words)]
        if pinned is None:
            return None
        return next(((kind, pinned) for kind in kinds_of.get(pinned, [])), None)
    candidates = index.candidates(words)
    if len(candidates) == 1:
        return next(iter(candidates))
    listed = candidates & listed_in(article)
    if len(listed) == 1:
        return next(iter(listed))
    return Ambiguity(article.id, words, tuple(sorted(candidates)))


def find(article: Article, index: NameIndex,
         kinds_of: dict[str, list[Kind]]) -> tuple[list[Mention], list[Ambiguity]]:
    """Every mention in an article's text, and the names it leaves ambiguous."""
    mentions: list[Mention] = []
    ambiguous: dict[str, Ambiguity] = {}
    for sentence in sentences(article.body):
        for match in index.pattern.finditer(sentence):
            meaning = resolve(article, match.group(0), index, kinds_of)
            if isinstance(meaning, Ambiguity):
                ambiguous.setdefault(meaning.words, meaning)
            elif meaning is not None:
                mentions.append(Mention(article.id, meaning, match.group(0), sentence))
    return mentions, list(ambiguous.values())


def link_first_mentions(article: Article, index: NameIndex, kinds_of: dict[str, list[Kind]],
                        href: Callable[[Key], str]) -> str:
    """The body with the first mention of each record linked, via `href(key) -> url`.

    Never inside headings, code, existing links or HTML; `<!-- links: off -->`
    and `<!-- links: on -->` switch linking for a passage.
    """
    linked: set[Key] = set()
    out: list[str] = []
    fenced, switched_on = False, True

    def link(match: re.Match[str]) -> str:
        meaning = resolve(article, match.group(0), index, kinds_of)
        if not switched_on or not isinstance(meaning, tuple) or meaning in linked:
            return match.group(0)
        if match.string[match.end():match.end() + 1] == "{":
            # attr_list would read "{: onclick=…}" after our link as the link's attributes: a way in.
            return match.group(0)
        linked.add(meaning)
        return f"[{match.group(0)}]({href(meaning)})"

    for line in article.body.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        if fenced or stripped.startswith(("```", "~~~", "#", "<")) and not LINK_SWITCH.match(stripped):
            out.append(line)
            continue
        pieces, last = [], 0
        for protected in _PROTECTED.finditer(line):
            pieces.append(index.pattern.sub(link, line[last:protected.start()]))
            switch = LINK_SWITCH.fullmatch(protected.group(0))
            if switch:
                switched_on = switch.group(1) == "on"
            pieces.append(protected.group(0))
            last = protected.end()
        pieces.append(index.pattern.sub(link, line[last:]))
        out.append("".join(pieces))
    return "".join(out)
