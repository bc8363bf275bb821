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
from dataclasses import dataclass

from .schema import Article, Person, Record, Summit, Topic

Key = tuple[str, str]

# Spans in a Markdown line that must not get links: code, links, autolinks, HTML tags.
_PROTECTED = re.compile(r"`[^`]*`|!?\[[^\]]*\]\([^)]*\)|!?\[[^\]]*\]\[[^\]]*\]|<[^>]*>")
_SWITCH = re.compile(r"<!--\s*links:\s*(on|off)\s*-->")
# A sentence ends at . ! or ? before a capital, unless the dot ends a common abbreviation.
_ABBREVIATIONS = ("St", "Mr", "Mrs", "Ms", "Dr", "Gen", "Sept", "Jan", "Feb", "Aug", "Oct", "Nov", "Dec", "U.S", "U.N", "No")
_SENTENCE_END = re.compile(
    "".join(rf"(?<!\b{re.escape(a)}\.)" for a in _ABBREVIATIONS)
    + r"(?<=[.!?])[”\"’']?\s+(?=[“\"‘'(A-Z0-9])"
)


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


class NameIndex:
    """Every name and alias, compiled into one pattern, longest name first."""

    def __init__(self, records: list[Record]):
        self.by_name: dict[str, set[Key]] = defaultdict(set)
        self.caseless: set[str] = set()
        for record in records:
            if isinstance(record, Person):
                names = [record.name, *record.aliases]
            elif isinstance(record, Summit):
                names = list(record.aliases)  # titles are descriptions, aliases are what articles say
            elif isinstance(record, Topic):
                names = [record.name, *record.aliases]
                self.caseless.update(_words(n).casefold() for n in names)
            else:
                continue
            for name in map(_words, names):
                key = name.casefold() if name.casefold() in self.caseless else name
                self.by_name[key].add((record.kind, record.id))
        alternatives = sorted(self.by_name, key=len, reverse=True)
        if alternatives:
            body = "|".join(
                f"(?i:{_spaced(n)})" if n in self.caseless else _spaced(n) for n in alternatives
            )
            self.pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")
        else:
            self.pattern = re.compile(r"(?!x)x")

    def candidates(self, words: str) -> set[Key]:
        words = _words(words)
        return self.by_name.get(words, set()) | self.by_name.get(words.casefold(), set())


def listed_in(article: Article) -> set[Key]:
    """The people, summits and topics an article's front matter says it concerns."""
    return ({("person", i) for i in article.people} | {("summit", i) for i in article.summits}
            | {("topic", i) for i in article.topics})


def resolve(article: Article, words: str, index: NameIndex, kinds_of: dict[str, list[str]]) -> Key | None | Ambiguity:
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


def _plain(line: str) -> str:
    """A Markdown line as a reader sees its words: link text kept, markup dropped."""
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
    line = re.sub(r"<[^>]*>", "", line)
    return re.sub(r"[*_`]", "", line)


def paragraphs(body: str):
    """Yield (plain text) of each paragraph where names may be linked."""
    block: list[str] = []
    fenced = False
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or stripped.startswith("#"):
            continue
        if not stripped:
            if block:
                yield " ".join(block)
            block = []
            continue
        block.append(_plain(_SWITCH.sub("", stripped)).lstrip("> "))
    if block:
        yield " ".join(block)


def sentences(body: str) -> list[str]:
    """The sentences of a body, as plain text, in order."""
    return [s.strip() for paragraph in paragraphs(body) for s in _SENTENCE_END.split(paragraph) if s.strip()]


def find(article: Article, index: NameIndex, kinds_of: dict[str, list[str]]):
    """Every mention in an article's text, and the names it leaves ambiguous."""
    mentions: list[Mention] = []
    ambiguous: dict[str, Ambiguity] = {}
    for paragraph in paragraphs(article.body):
        for sentence in _SENTENCE_END.split(paragraph):
            for match in index.pattern.finditer(sentence):
                meaning = resolve(article, match.group(0), index, kinds_of)
                if isinstance(meaning, Ambiguity):
                    ambiguous.setdefault(meaning.words, meaning)
                elif meaning is not None:
                    mentions.append(Mention(article.id, meaning, match.group(0), sentence.strip()))
    return mentions, list(ambiguous.values())


def link_first_mentions(article: Article, index: NameIndex, kinds_of: dict[str, list[str]], href) -> str:
    """The body with the first mention of each record linked, via `href(key) -> url`.

    Never inside headings, code, existing links or HTML; `<!-- links: off -->`
    and `<!-- links: on -->` switch linking for a passage.
    """
    linked: set[Key] = set()
    out: list[str] = []
    fenced, switched_on = False, True

    def link(match: re.Match) -> str:
        meaning = resolve(article, match.group(0), index, kinds_of)
        if not switched_on or not isinstance(meaning, tuple) or meaning in linked:
            return match.group(0)
        linked.add(meaning)
        return f"[{match.group(0)}]({href(meaning)})"

    for line in article.body.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        if fenced or stripped.startswith(("```", "~~~", "#", "<")) and not _SWITCH.match(stripped):
            out.append(line)
            continue
        pieces, last = [], 0
        for protected in _PROTECTED.finditer(line):
            pieces.append(index.pattern.sub(link, line[last:protected.start()]))
            switch = _SWITCH.fullmatch(protected.group(0))
            if switch:
                switched_on = switch.group(1) == "on"
            pieces.append(protected.group(0))
            last = protected.end()
        pieces.append(index.pattern.sub(link, line[last:]))
        out.append("".join(pieces))
    return "".join(out)
