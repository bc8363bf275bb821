"""Provenance: for each fact on a letter or summit page, the articles and words it rests on.

A curator's explicit `evidence` comes first. A fact without it is traced to
the sentences of the reporting articles that name it: the sentence naming the
carrier and the letter, the sentence naming the topic, and so on. A fact that
nothing supports gets no source, and the page says so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .graph import Archive
from .mentions import sentences
from .schema import Article, Citation, Letter, Summit

LETTER_WORDS = re.compile(r"\b(letters?|messages?|reply|response|greetings|document)\b", re.IGNORECASE)
HANDING = re.compile(r"\b(handed|passed|brought|delivered|deliver|sent|visit(ed)?)\b", re.IGNORECASE)
ANSWER = re.compile(r"\b(response|reply|replies|answer(ed|s)?)\b", re.IGNORECASE)
UNPUBLISHED = re.compile(r"\b(made public|confidential|not (been )?published)\b", re.IGNORECASE)
MAX_PER_FACT = 2


@dataclass(frozen=True)
class Support:
    """An article and the words in it that support a fact."""

    article: Article
    quote: str
    curated: bool  # a curator cited it (True) or the builder found the sentence (False)


Facts = dict[str, dict[str | None, list[Support]]]  # fact -> item id (None: the fact as a whole) -> supports


class _Finder:
    """Sentence search over a fixed set of articles, each split into sentences once."""

    def __init__(self, archive: Archive, articles: list[Article]):
        self.archive = archive
        self.articles = articles
        self._sentences = {a.id: sentences(a.body) for a in articles}

    def naming(self, record, *patterns: re.Pattern, also: object = None) -> list[Support]:
        """Sentences naming `record` (and `also`, if given); those matching `patterns` first."""
        found = [(a, s) for a in self.articles for s in self.archive.sentences_naming(a, record)
                 if also is None or s in self.archive.sentences_naming(a, also)]
        return self._best(found, patterns)

    def containing(self, words: str, *patterns: re.Pattern) -> list[Support]:
        wanted = re.compile(rf"(?<!\w){re.escape(words)}(?!\w)")
        found = [(a, s) for a in self.articles for s in self._sentences[a.id] if wanted.search(s)]
        return self._best(found, patterns)

    def place(self, place: str, *patterns: re.Pattern) -> list[Support]:
        """Sentences naming a place: each part of "Lough Erne, Northern Ireland" is tried
        in turn by its longest word, so "St Petersburg" finds "St. Petersburg"."""
        for part in re.split(r"[,()]", place):
            words = re.findall(r"[^\W\d_]+", part)
            if words:
                found = self.containing(max(words, key=len), *patterns)
                if found:
                    return found
        return []

    def matching(self, *patterns: re.Pattern) -> list[Support]:
        found = [(a, s) for a in self.articles for s in self._sentences[a.id]]
        return [sup for sup in self._best(found, patterns) if all(p.search(sup.quote) for p in patterns)]

    @staticmethod
    def _best(found, patterns) -> list[Support]:
        # Stable: sentences matching every pattern first, then the rest, each in article order.
        ranked = sorted(found, key=lambda pair: -sum(bool(p.search(pair[1])) for p in patterns))
        seen, out = set(), []
        for article, sentence in ranked:
            if (article.id, sentence) not in seen:
                seen.add((article.id, sentence))
                out.append(Support(article, sentence, curated=False))
        return out[:MAX_PER_FACT]


def _curated(archive: Archive, citations: tuple[Citation, ...]) -> list[Support]:
    return [Support(archive.get("article", c.article), c.quote, curated=True) for c in citations]


def letter_facts(letter: Letter, archive: Archive) -> Facts:
    reporting = archive.referring(letter, Article, "letters")
    find = _Finder(archive, reporting)
    person = lambda id_: archive.get("person", id_)  # noqa: E731
    facts: Facts = {
        "sender": {letter.sender: find.naming(person(letter.sender), LETTER_WORDS)},
        "recipients": {r: find.naming(person(r), LETTER_WORDS) for r in letter.recipients},
        "carriers": {c: find.naming(person(c), LETTER_WORDS, HANDING) for c in letter.carriers},
        "topics": {t: find.naming(archive.get("topic", t)) for t in letter.topics},
        "summits": {s: find.naming(archive.get("summit", s)) for s in letter.summits},
    }
    if letter.delivered_at:
        facts["delivered_at"] = {None: find.place(letter.delivered_at, LETTER_WORDS, HANDING)}
    if letter.replies_to:
        facts["replies_to"] = {letter.replies_to: find.matching(ANSWER, LETTER_WORDS)}
    if letter.text_status.value == "reported":
        facts["text_status"] = {None: find.matching(UNPUBLISHED)}
    else:
        quoted = [Support(archive.get("article", q.article), q.text, curated=True) for q in letter.quotes]
        facts["text_status"] = {None: quoted[:MAX_PER_FACT]}
    _apply_evidence(facts, letter.evidence, archive)
    return facts


def summit_facts(summit: Summit, archive: Archive) -> Facts:
    mentioning = [article for article, _ in archive.mentions_of(summit)]
    reporting = {a.id: a for a in [*archive.referring(summit, Article, "summits"), *mentioning]}
    find = _Finder(archive, list(reporting.values()))
    facts: Facts = {
        "place": {None: find.place(summit.place)},
        "status": {None: find.naming(summit)},
        "attendees": {p: _both(find, summit, archive.get("person", p)) for p in summit.attendees},
        "topics": {t: _both(find, summit, archive.get("topic", t)) for t in summit.topics},
    }
    if summit.part_of:
        facts["part_of"] = {summit.part_of: _both(find, summit, archive.get("summit", summit.part_of))}
    _apply_evidence(facts, summit.evidence, archive)
    return facts


def reporting_sentences(letter: Letter, archive: Archive) -> dict[str, list[str]]:
    """Per reporting article, its sentences that speak of a letter and name one of its parties."""
    reporting = archive.referring(letter, Article, "letters")
    found: dict[str, list[str]] = defaultdict(list)
    for party in archive.resolve("person", (letter.sender, *letter.recipients)):
        for article in reporting:
            for sentence in archive.sentences_naming(article, party):
                if LETTER_WORDS.search(sentence) and sentence not in found[article.id]:
                    found[article.id].append(sentence)
    return found


def _both(find: _Finder, first, second) -> list[Support]:
    """Sentences naming both records, else those naming the second."""
    return find.naming(second, also=first) or find.naming(second)


def _apply_evidence(facts: Facts, evidence: dict, archive: Archive) -> None:
    """A curator's citations replace what the builder found: 'topics' for every item of
    the fact, 'topics:syria' for that item alone."""
    for key_, citations in evidence.items():
        fact, _, item = key_.partition(":")
        items = facts.setdefault(fact, {None: []})
        for name in ([item] if item else list(items)):
            items[name] = _curated(archive, citations)

