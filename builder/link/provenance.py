"""Provenance: for each fact on a letter, summit or place page, what it rests on.

A fact rests on a curator's explicit `evidence` (an article and its words), on
a sentence the builder finds in a reporting article, or on the curator's own
knowledge (`curator:`, saying where it comes from), which pages set apart in
square brackets. The builder cites a sentence only when it contains the fact's
own words: the person's name and words of a letter for a correspondent, every
word of a place, a word of the status for a summit's status. A fact that
nothing supports gets no source, the page says so, and `archive check` warns.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import replace
from ..model.errors import Problem
from .facts import Basis, Facts, Items, Support
from .graph import Archive, Loc, Sourced, key
from ..load.load import Source
from ..model.schema import (Answer, Article, Citation, Fate, Key, Kind, Letter, Office, Person, Place, Record,
                            StatusReport, Summit)
from ..model.text import normalise_quote, sentences
from .fact_words import (ANSWER, HANDING, LETTER_WORDS, SAID, STATUS_WORDS, UNPUBLISHED, Marks, fellow_letters,
                         has_every_word, marks, names_of, not_another, telling_records, tells_apart)

MAX_PER_FACT = 2


Found = dict[str, Items]  # fact -> item id -> the passages the builder found, and what it looked for


class _Finder:
    """Sentence search over a fixed set of articles, each split into sentences once.

    Every pattern given must match: a sentence that only names a person is no
    evidence that they carried a letter. For a letter, a sentence of an article that
    reports other letters too must tell this one apart from them (fact_words.tells_apart).
    """

    def __init__(self, archive: Archive, articles: list[Article], letter: Letter | None = None) -> None:
        self.archive = archive
        self.articles = articles
        self._sentences = {a.id: sentences(a.body) for a in articles}
        self.named: list[Record] = []  # the records searched for: what the facts were worked out from
        self.letter = marks(letter, archive) if letter else None
        reported = {a.id: others_reported(letter, a, archive) for a in articles} if letter else {}
        self._others: dict[str, list[Marks]] = {a: [marks(o, archive) for o in others] for a, others in reported.items()}
        self.named += [r for others in reported.values() for o in others for r in telling_records(o, archive)]

    def read(self) -> tuple[Record, ...]:
        return (*self.articles, *self.named)

    def naming(self, record: Record, *patterns: re.Pattern[str], also: Record | None = None,
               own: bool = True) -> Basis:
        """Sentences naming `record` (and `also`, if given) that match every pattern. `own`: for a letter,
        only sentences that tell it apart; otherwise any that tell no other letter apart from it."""
        self.named.append(record)
        found = [(a, s) for a in self.articles for s in self.archive.sentences_naming(a, record)
                 if also is None or s in self.archive.sentences_naming(a, also)]
        wanted = _names(record) + (f" and {_names(also)}" if also else "")
        return self._best(found, patterns, f"a sentence naming {wanted}", own)

    def place_of(self, place: Place) -> Basis:
        """Sentences naming a place record: by its name, else by the first alias any sentence holds."""
        self.named.append(place)
        for name in names_of(place):
            found = [(a, s) for a in self.articles for s in self._sentences[a.id] if has_every_word(name, s)]
            if (basis := self._best(found, (), "", own=False)).supports:
                return basis
        return Basis(looked_for=f"a sentence holding every word of {_names(place)}" + self._where())

    def matching(self, *patterns: re.Pattern[str], own: bool = True) -> Basis:
        return self._best([(a, s) for a in self.articles for s in self._sentences[a.id]], patterns, "a sentence", own)

    def _best(self, found: list[tuple[Article, str]], patterns: tuple[re.Pattern[str], ...], wanted: str,
              own: bool) -> Basis:
        seen: set[tuple[str, str]] = set()
        out: list[Support] = []
        for article, sentence in found:
            if (article.id, sentence) not in seen and all(p.search(sentence) for p in patterns) \
                    and self._about(article, sentence, own):
                seen.add((article.id, sentence))
                out.append(Support(article, sentence, curated=False))
        if out:
            return Basis(tuple(out[:MAX_PER_FACT]))
        said = "".join(f" with {SAID[p]}" for p in patterns)
        apart = ("" if not any(self._others.values()) else
                 " that tells this letter apart from the other letters its article reports" if own else
                 " that is not about another letter its article reports")
        return Basis(looked_for=f"{wanted}{said}{apart}{self._where()}")

    def _about(self, article: Article, sentence: str, own: bool) -> bool:
        others = self._others.get(article.id)
        if not others or self.letter is None:
            return True
        return (tells_apart if own else not_another)(self.letter, others, sentence)

    def _where(self) -> str:
        return f" in {', '.join(a.id for a in self.articles)}" if self.articles else " (no article reports it)"


def _names(record: Record) -> str:
    return " or ".join(f"'{n}'" for n in names_of(record))


def others_reported(letter: Letter, article: Article, archive: Archive) -> list[Letter]:
    """The other letters an article reports."""
    return fellow_letters(letter, [archive.letter(i) for i in article.letters if (Kind.letter, i) in archive.records])


def cited(archive: Archive, citations: tuple[Citation, ...]) -> tuple[Support, ...]:
    return tuple(Support(archive.article(c.article), c.quote, curated=True) for c in citations)


def claim_basis(archive: Archive, claim: Sourced) -> Basis:
    """A date claim, an office or a status report: its own sources, or its curator's mark."""
    return Basis(cited(archive, claim.sources), claim.curator)


def letter_facts(letter: Letter, archive: Archive) -> Facts:
    reporting = archive.referring(letter, Article, "letters")
    find = _Finder(archive, reporting, letter)
    found: Found = {
        "sender": {letter.sender: find.naming(archive.sender(letter), LETTER_WORDS)},
        "recipients": {p.id: find.naming(p, LETTER_WORDS) for p in archive.recipients(letter)},
        "carriers": {p.id: find.naming(p, LETTER_WORDS, HANDING) for p in archive.carriers(letter)},
        "topics": {t.id: find.naming(t, own=False) for t in archive.topics_of(letter)},
        "summits": {s.id: find.naming(s, own=False) for s, _ in archive.summits_of(letter)},
    }
    if (place := archive.delivered_at(letter)) is not None:
        found["delivered_at"] = {None: find.place_of(place)}
    if letter.replies_to:
        found["replies_to"] = {letter.replies_to: find.matching(ANSWER, LETTER_WORDS, own=False)}
    if letter.text_status.value == "reported":
        found["text_status"] = {None: find.matching(UNPUBLISHED)}
    else:
        quoted = tuple(Support(q.article, q.words, curated=True) for q in archive.quotes_of(letter))
        found["text_status"] = {None: Basis(quoted[:MAX_PER_FACT], looked_for="passages of the letter under quotes:")}
    if letter.known_from:
        found["known_from"] = {None: Basis(looked_for="nothing: only a curator can cite whose side vouches for it")}
    if letter.batch:
        found["batch"] = {letter.batch: Basis(looked_for="nothing: only a curator can cite the batch")}
    chosen = tuple(archive.article(c.article) for c in letter.reported_by)  # read for the words chosen
    settled = _settle(found, letter.evidence, letter.curator, archive, (*find.read(), *chosen))
    return replace(settled, reported=reporting_sentences(letter, archive))


def summit_facts(summit: Summit, archive: Archive) -> Facts:
    mentioning = [article for article, _ in archive.mentions_of(summit)]
    reporting = {a.id: a for a in [*archive.referring(summit, Article, "summits"), *mentioning]}
    find = _Finder(archive, list(reporting.values()))
    found: Found = {
        "status": {None: find.naming(summit, STATUS_WORDS[summit.status.value])},
        "attendees": {p.id: find.naming(p, also=summit) for p in archive.attendees(summit)},
        "topics": {t.id: find.naming(t, also=summit) for t in archive.topics_of(summit)},
    }
    if (place := archive.venue(summit)) is not None:
        found["place"] = {None: find.place_of(place)}
    if (part_of := archive.part_of(summit)) is not None:
        found["part_of"] = {part_of.id: find.naming(part_of, also=summit)}
    return _settle(found, summit.evidence, summit.curator, archive, find.read())


def place_facts(place: Place, archive: Archive) -> Facts:
    """A place's coordinates rest on what the curator cites or marks: no article gives degrees."""
    found: Found = ({"coordinates": {None: Basis(looked_for="nothing: only a curator can cite coordinates")}}
                    if place.coordinates else {})
    return _settle(found, place.evidence, place.curator, archive, ())


def reporting_sentences(letter: Letter, archive: Archive) -> dict[str, list[str]]:
    """Per reporting article, its sentences that speak of this letter: those the curator chose under
    `reported_by`, else those naming a party with a word of a letter that, in an article reporting other
    letters too, tell this one apart from them (fact_words.tells_apart)."""
    chosen = chosen_sentences(letter, archive)
    return {article.id: chosen.get(article.id) or speaking_of(letter, article, archive, apart=True)
            for article in archive.referring(letter, Article, "letters")}


def speaking_of(letter: Letter, article: Article, archive: Archive, apart: bool) -> list[str]:
    """An article's sentences that name a party of the letter with a word of a letter; `apart`: only those
    that tell it apart from the other letters the article reports."""
    others = [marks(o, archive) for o in others_reported(letter, article, archive)] if apart else []
    own = marks(letter, archive)
    found: list[str] = []
    # An article reporting many letters of one sender names the sender in each of their sentences:
    # the sentences naming a recipient come first, and the sender's alone only if there are none. Where
    # only sentences that tell this letter apart are kept, every party's count.
    sender, recipients = [archive.sender(letter)], archive.recipients(letter)
    for parties in ([[*recipients, *sender]] if others else [recipients, sender]):
        for party in parties:
            for sentence in archive.sentences_naming(article, party):
                if LETTER_WORDS.search(sentence) and sentence not in found \
                        and (not others or tells_apart(own, others, sentence)):
                    found.append(sentence)
        if found:
            break
    return found


def chosen_sentences(letter: Letter, archive: Archive) -> dict[str, list[str]]:
    """Per article, the sentences holding the words the curator chose under `reported_by`."""
    chosen: dict[str, list[str]] = defaultdict(list)
    for citation in letter.reported_by:
        article = archive.article(citation.article)
        quote = normalise_quote(citation.quote)
        sentence = next((s for s in sentences(article.body) if quote in normalise_quote(s)), citation.quote)
        if sentence not in chosen[article.id]:
            chosen[article.id].append(sentence)
    return chosen


def unattributed(letter: Letter, archive: Archive) -> list[tuple[Article, list[Letter]]]:
    """Articles that quote nothing under this letter's 'Reported by' though some of their sentences about its
    correspondents may be about it: sentences that tell no letter of the article apart. Each with the other
    letters it reports. Where the curator has chosen the sentences there is nothing to say."""
    reported = archive.facts_of(letter).reported
    found = []
    for article in archive.referring(letter, Article, "letters"):
        if reported[article.id]:  # the curator's choice, or sentences that tell it apart
            continue
        others = others_reported(letter, article, archive)
        every = [marks(one, archive) for one in [letter, *others]]
        if any(not any(tells_apart(one, every, sentence) for one in every)
               for sentence in speaking_of(letter, article, archive, apart=False)):
            found.append((article, others))
    return found


def _settle(found: Found, evidence: Mapping[str, tuple[Citation, ...]], curator: Mapping[str, str],
            archive: Archive, read: tuple[Record, ...]) -> Facts:
    """A curator's citations replace what the builder found, and a curator's mark stands where
    nothing is cited: 'topics' for every item of the fact, 'topics:syria' for that item alone."""
    facts: dict[str, Items] = {fact: dict(items) for fact, items in found.items()}
    for key_, citations in evidence.items():
        fact, _, item = key_.partition(":")
        items = facts.setdefault(fact, {None: Basis()})
        for name in ([item] if item else list(items)):
            items[name] = Basis(cited(archive, citations), items.get(name, Basis()).curator)
    for key_, where in curator.items():
        fact, _, item = key_.partition(":")
        items = facts.setdefault(fact, {None: Basis()})
        for name in ([item] if item else list(items)):
            # The curator's word replaces the builder's guess; only the curator's own citations stay.
            kept = tuple(s for s in items.get(name, Basis()).supports if s.curated)
            items[name] = Basis(kept, where)
    cited_in = tuple(s.article for items in facts.values() for basis in items.values() for s in basis.supports)
    return Facts(facts, tuple({key(r): r for r in (*read, *cited_in)}.values()))


def facts_for(record: Record, archive: Archive) -> Facts | None:
    """A letter's, summit's or place's facts (None for another kind), found once for the check, the pages and
    the tally (Archive.attach_facts). The ids they name must all resolve."""
    if isinstance(record, Letter):
        return letter_facts(record, archive)
    if isinstance(record, Summit):
        return summit_facts(record, archive)
    return place_facts(record, archive) if isinstance(record, Place) else None


# Where each fact stands in the front matter, to point a warning at its line.
def _fact_location(record: Record, fact: str, item: str | None) -> Loc:
    value = getattr(record, fact, None)
    if isinstance(value, tuple) and item is not None:
        ids = list(record.summit_ids) if isinstance(record, Letter) and fact == "summits" else list(value)
        return (fact, ids.index(item)) if item in ids else (fact,)
    return (fact,)


def dated_claims(record: Record) -> list[tuple[Loc, Sourced]]:
    """(location, claim) for every dated claim a page shows: dates, fates, answers, statuses, offices."""
    if isinstance(record, Letter):
        return ([(("dates", name, i), c) for name, claims in record.dates.items() for i, c in enumerate(claims)]
                + [(("fate", i), event) for i, event in enumerate(record.fate)]
                + [(("answered_by", i), answer) for i, answer in enumerate(record.answered_by)])
    if isinstance(record, Summit):
        return ([(("date", i), c) for i, c in enumerate(record.date or ())]
                + [(("history", i), r) for i, r in enumerate(record.history)])
    if isinstance(record, Article):
        return [(("published", i), c) for i, c in enumerate(record.published or ())]
    if isinstance(record, Person):
        return [(("offices", i), o) for i, o in enumerate(record.offices)]
    return []


UNCITED_HINT = ("Cite an article's words under evidence: (a date under its sources:), or, if it comes from outside "
                "the archive's articles, say where under curator:")


def facts_in(record: Record, archive: Archive) -> Iterator[tuple[Record, Loc, str, Basis]]:
    """(record, location, what, basis) for every fact of the record a page shows with its sources."""
    facts = archive.facts_of(record).of if isinstance(record, (Letter, Summit, Place)) else {}
    for fact, items in facts.items():
        for item, basis in items.items():
            yield record, _fact_location(record, fact, item), fact + (f" '{item}'" if item else ""), basis
    yield from _claims_in(record, archive)


def _claims_in(record: Record, archive: Archive) -> Iterator[tuple[Record, Loc, str, Basis]]:
    """facts_in, of the record's dated claims."""
    for loc, claim in dated_claims(record):
        if isinstance(claim, Office):
            what = f"office '{claim.title}'"
        elif isinstance(claim, StatusReport):
            what = f"earlier status '{claim.status.value}'"
        elif isinstance(claim, Fate):
            what = f"fate '{claim.event.value}'"
        elif isinstance(claim, Answer):
            what = f"answer ({claim.form.value})"
        elif loc[0] == "published" and claim.note and not claim.sources and not claim.curator:
            continue  # an article's own date rests on its page: a note saying how it is known is enough
        else:
            what = f"date '{claim.date}'"
        yield record, loc, what, claim_basis(archive, claim)


def tally(archive: Archive, only: Collection[Key] | None = None) -> dict[str, int]:
    """How the archive's facts rest (those of the records `only` names, when given): on an article's words,
    on the curator's word, or on nothing."""
    counts = {"sourced": 0, "curator": 0, "uncited": 0}
    for record in archive.records.values():
        if only is not None and key(record) not in only:
            continue
        # As facts_in, the facts told how they rest without unpacking the last run's (rechecks._Facts).
        for rest in archive.fact_rests(record) if isinstance(record, (Letter, Summit, Place)) else ():
            counts[rest] += 1
        for *_, basis in _claims_in(record, archive):
            counts[basis.rests] += 1
    return counts


def uncited_in(record: Record, archive: Archive, sources: dict[Key, Source]) -> list[Problem]:
    """A warning for every fact of the record a page will show as 'no source cited'. It reads the
    record's facts and the articles its claims cite."""
    problems = []
    for _, loc, what, basis in facts_in(record, archive):
        if basis.uncited:
            source = sources[(record.kind, record.id)]
            where, line = source.locate(loc)
            why = f": the builder looked for {basis.looked_for} and found none" if basis.looked_for else ""
            problems.append(Problem(source.path, line, ".".join(map(str, where)),
                                    f"{what} has no source and no curator's mark, so the page will say 'no "
                                    f"source cited'{why}", UNCITED_HINT, warning=True))
    return problems
