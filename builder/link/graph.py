"""Link: resolve ids into one Archive, with every edge readable in both directions.

Nothing renders until the whole archive is linked, so a page can list what
points at it ("tags induce a graph, not a tree").
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar, cast

from ..model import dates
from ..model.errors import Problem, did_you_mean
from ..load.load import Source
from .facts import Facts, FactTable
from .mentions import LISTED_UNDER, Ambiguity, Mention, NameIndex, listed_in
from .mention_cache import Found, find_all, names_for
from ..validate.safety import line_in_body
from ..model.schema import (DATE_KINDS, Answer, Article, Batch, DateClaim, Fate, FateEvent, Key, Kind, Letter, Office,
                            Outlet, Person, Place, Record, Role, StatusReport, Summit, SummitLink, SummitRelation,
                            Topic)
from ..model.text import stands_in

R = TypeVar("R", bound=Record)
T = TypeVar("T")
Pair = tuple[str, str]  # two person ids
Edges = dict[Key, frozenset[tuple[str, Key]]]  # record -> (field, record it names)
Mentions = dict[str, tuple[tuple[Key, str, str], ...]]  # article id -> (record named, words, sentence)


def key(record: Record) -> Key:
    return (record.kind, record.id)


@dataclass(frozen=True, slots=True)  # tens of thousands: no dict each for the collector to visit
class Edge:
    """`source.field` names `target`: e.g. a letter's `carriers` names a person."""

    source: Key
    field: str
    target: Key


class Quoted(NamedTuple):
    """A letter's words as an article quotes them (a tuple, so that reads.py notes the records in it)."""

    words: str
    article: Article
    according_to: Person | None  # who gives them, when the article has them from one side
    recipient: Person | None  # whose copy, for a letter to many
    passage: str | None  # shared by the versions of one passage


@dataclass
class Archive:
    records: dict[Key, Record]
    edges: list[Edge]
    mentions: list[Mention] = field(default_factory=list)
    names: NameIndex | None = None
    _incoming: dict[Key, list[Edge]] = field(default_factory=dict)  # target -> the edges naming it
    _by_kind: dict[Kind, list[Record]] = field(default_factory=dict)
    kinds_of: dict[str, list[Kind]] = field(default_factory=dict)  # id -> kinds having it
    order: dict[Key, SortKey] | None = None  # each record's sort_key, where known already
    reach: dict[Key, dt.date | None] | None = None  # each record's reaches(), where known already

    def __post_init__(self) -> None:
        # Linking gives the indexes, worked out again only where records changed (Kept); else made here.
        if not self._incoming:
            self._incoming = _incoming(self.edges)
        if not self._by_kind:  # linking gives it, sorted where the records changed (Kept.sorted)
            self._by_kind = {kind: sorted(found, key=self.sort_key) for kind, found in _grouped(self.records).items()}
        # (article id, record) -> its distinct sentences naming the record, in order;
        # record -> the ids of the articles naming it. Both filled by attach_mentions.
        self._naming: dict[tuple[str, Key], list[str]] = {}
        self._named_in: dict[Key, list[str]] = {}
        self._facts = FactTable()  # filled by rechecks.per_record (provenance.facts_for) once every id resolves
        if not self.kinds_of:
            self.kinds_of = _kinds_of(self.records)
        # Worked out once, on first use, for every stage that asks (shared: not to be changed).
        self._outgoing: Edges | None = None
        self._by_article: Mentions | None = None
        self._once: dict[Hashable, Any] = {}
        # What `carried` worked out, with the lists it was worked out from: linking hands the last run's on.
        self._carried: dict[Hashable, tuple[tuple[list[Any], ...], Any]] = {}

    def once(self, key: Hashable, work: Callable[[], T]) -> T:
        """What `work` answers, worked out once for this linked archive under the caller's `key`: what
        the checks and the pages ask alike. Read through a page's ReadArchive, the records in the answer
        are noted as read each time (derive/reads.py), as if it had been worked out again."""
        if key not in self._once:
            self._once[key] = work()
        return cast(T, self._once[key])

    def carried(self, key: Hashable, inputs: tuple[list[Any], ...], work: Callable[[], T]) -> T:
        """As `once`, and carried on to the next archive linked for the same record cache (Kept: the
        preview's next run) while `inputs` hold the very records it was worked out from, in order (a
        record cache hands back an unchanged file's record as the same object)."""
        def worked() -> T:
            before = self._carried.get(key)
            if before is not None and len(before[0]) == len(inputs) and all(
                    len(was) == len(now) and all(map(operator.is_, was, now)) for was, now in zip(before[0], inputs)):
                return cast(T, before[1])
            answer = work()
            self._carried[key] = (inputs, answer)
            return answer

        return self.once(key, worked)

    def latest(self) -> dt.date | None:
        """The latest day any record's date is known to reach (reaches), if one has a date."""
        def work() -> dt.date | None:
            found = self.reach.values() if self.reach is not None else map(reaches, self.records.values())
            return max(filter(None, found), default=None)

        return self.once("latest", work)

    def sort_key(self, record: Record) -> SortKey:
        """The record's place among its kind (sort_key), as linking worked it out where it did."""
        return self.order[key(record)] if self.order else sort_key(record)

    def attach_mentions(self, names: NameIndex, mentions: list[Mention],
                        named: tuple[dict[tuple[str, Key], list[str]], dict[Key, list[str]]] | None = None) -> None:
        """Mentions are found after ids resolve, since names resolve against the front matter. `named`:
        what _naming makes of them, if linking has it (Kept.naming)."""
        self.names, self.mentions, self._by_article = names, mentions, None
        self._naming, self._named_in = named if named is not None else _naming(mentions)

    def attach_facts(self, facts: FactTable) -> None:
        """Facts are worked out after mentions, since they cite the sentences naming a record."""
        self._facts = facts

    def facts_of(self, record: Letter | Summit | Place) -> Facts:
        """A letter's, summit's or place's facts, each with what it rests on."""
        return self._facts[key(record)]

    def fact_rests(self, record: Letter | Summit | Place) -> list[str]:
        """How each of its facts rests (Basis.rests), read without their supports (the tally's)."""
        return self._facts.rests(key(record))

    def sentences_naming(self, article: Article, target: Record) -> list[str]:
        """The sentences of an article that name a record, in order."""
        return self._naming.get((article.id, key(target)), [])

    def mentions_of(self, target: Record) -> list[tuple[Article, list[str]]]:
        """Articles whose text names `target`, each with its distinct sentences, by date."""
        articles = sorted((self.article(a) for a in self._named_in.get(key(target), ())), key=self.sort_key)
        return [(article, self._naming[(article.id, key(target))]) for article in articles]

    # Records by id, typed: after linking every id a record names resolves -----

    def one(self, model: type[R], id_: str) -> R:
        """The record of `model`'s kind with this id; KeyError if there is none."""
        record = self.records[(model.kind, id_)]
        if not isinstance(record, model):  # a key's kind is its record's: never so
            raise TypeError(f"{model.kind} '{id_}' is a {type(record).__name__}")
        return record

    def person(self, id_: str) -> Person:
        return self.one(Person, id_)

    def letter(self, id_: str) -> Letter:
        return self.one(Letter, id_)

    def summit(self, id_: str) -> Summit:
        return self.one(Summit, id_)

    def topic(self, id_: str) -> Topic:
        return self.one(Topic, id_)

    def article(self, id_: str) -> Article:
        return self.one(Article, id_)

    def outlet(self, id_: str) -> Outlet:
        return self.one(Outlet, id_)

    def batch(self, id_: str) -> Batch:
        return self.one(Batch, id_)

    def place(self, id_: str) -> Place:
        return self.one(Place, id_)

    def many(self, model: type[R], ids: Iterable[str]) -> list[R]:
        """Ids as written in a record, as records, in the order written."""
        return [self.one(model, i) for i in ids]

    # What a record names, as records ------------------------------------------

    def sender(self, letter: Letter | Batch) -> Person:
        return self.person(letter.sender)

    def recipients(self, letter: Letter) -> list[Person]:
        return self.many(Person, letter.recipients)

    def carriers(self, letter: Letter) -> list[Person]:
        return self.many(Person, letter.carriers)

    def quotes_of(self, letter: Letter) -> list[Quoted]:
        """Its quoted words, each with the article quoting them, who gives them and whose copy they are from."""
        return [Quoted(q.text, self.article(q.article), self.person(q.according_to) if q.according_to else None,
                       self.person(q.recipient) if q.recipient else None, q.passage) for q in letter.quotes]

    def answered(self, letter: Letter) -> Letter | None:
        """The letter this one replies to, if any."""
        return self.letter(letter.replies_to) if letter.replies_to else None

    def delivered_at(self, letter: Letter) -> Place | None:
        """Where a letter was handed over, if known."""
        return self.place(letter.delivered_at) if letter.delivered_at else None

    def venue(self, summit: Summit) -> Place | None:
        """Where a summit was or is to be held, if known."""
        return self.place(summit.place) if summit.place else None

    def batch_of(self, letter: Letter) -> Batch | None:
        return self.batch(letter.batch) if letter.batch else None

    def summits_of(self, letter: Letter) -> list[tuple[Summit, SummitRelation]]:
        """The summits a letter concerns, each with how, in the order written."""
        return [(self.summit(link.summit), link.relation) for link in letter.summits]

    def topics_of(self, record: Letter | Summit | Article) -> list[Topic]:
        return self.many(Topic, record.topics)

    def attendees(self, summit: Summit) -> list[Person]:
        return self.many(Person, summit.attendees)

    def part_of(self, summit: Summit) -> Summit | None:
        """The summit this meeting was held or planned beside, if any."""
        return self.summit(summit.part_of) if summit.part_of else None

    def outlet_of(self, article: Article) -> Outlet:
        return self.outlet(article.outlet)

    def via(self, article: Article) -> list[Outlet]:
        return self.many(Outlet, article.via)

    def people_in(self, article: Article) -> list[Person]:
        return self.many(Person, article.people)

    def letters_in(self, article: Article) -> list[Letter]:
        return self.many(Letter, article.letters)

    def summits_in(self, article: Article) -> list[Summit]:
        return self.many(Summit, article.summits)

    # Queries -----------------------------------------------------------------

    def get(self, kind: str, id_: str) -> Record:
        """Untyped: prefer the typed accessors above (`person`, `letter`, …)."""
        return self.records[(Kind(kind), id_)]

    def all(self, model: type[R]) -> list[R]:
        """Every record of a kind, ordered by date where it has one, else by name."""
        return [r for r in self._by_kind.get(model.kind, ()) if isinstance(r, model)]

    def referring(self, target: Record, model: type[R], *fields: str) -> list[R]:
        """Records of `model` that name `target` in any of `fields` (all fields if none)."""
        found = {
            edge.source for edge in self._incoming.get(key(target), ())
            if edge.source[0] == model.kind and (not fields or edge.field in fields)
        }
        return sorted((self.one(model, id_) for _, id_ in found), key=self.sort_key)

    def resolve(self, kind: str, ids: str | Iterable[str] | None) -> list[Record]:
        """Ids as written in a record, as records, in the order written. Untyped: prefer `many`."""
        if ids is None:
            return []
        if isinstance(ids, str):
            return [self.get(kind, ids)]
        return [self.get(kind, i) for i in ids]

    @property
    def people(self) -> list[Person]:
        return self.all(Person)

    @property
    def leaders(self) -> list[Person]:
        """People who were leaders: by their main role or by an office they held."""
        return [p for p in self.all(Person)
                if p.role == Role.leader or any(o.role == Role.leader for o in p.offices)]

    def letters_of(self, person: Person) -> list[Letter]:
        """Letters a person sent or received, in date order."""
        return self.referring(person, Letter, "sender", "recipients")

    def exchanges(self) -> dict[Pair, list[Letter]]:
        """(sender id, recipient id) -> the letters between them that way, by date.

        A letter to many counts once for each recipient; a letter to oneself, not at all.
        """
        def work() -> dict[Pair, list[Letter]]:
            found: dict[Pair, list[Letter]] = defaultdict(list)
            for letter in letters:
                for recipient in dict.fromkeys(letter.recipients):
                    if recipient != letter.sender:
                        found[(letter.sender, recipient)].append(letter)
            return dict(sorted(found.items()))

        letters = self.all(Letter)
        return self.carried("exchanges", (letters,), work)

    def pairs(self) -> dict[Pair, list[Letter]]:
        """Every two people who exchanged letters (ids in order), with their letters both ways, by date."""
        def work() -> dict[Pair, list[Letter]]:
            found: dict[Pair, list[Letter]] = defaultdict(list)
            for (sender, recipient), letters in self.exchanges().items():
                first, second = sorted((sender, recipient))
                found[(first, second)].extend(letters)
            return {pair: sorted(letters, key=self.sort_key) for pair, letters in sorted(found.items())}

        return self.carried("pairs", (self.all(Letter),), work)

    def outgoing(self) -> Edges:
        """Each record's links: (field, record it names)."""
        if self._outgoing is None:
            found: dict[Key, set[tuple[str, Key]]] = {}
            for edge in self.edges:
                found.setdefault(edge.source, set()).add((edge.field, edge.target))
            self._outgoing = {k: frozenset(v) for k, v in found.items()}
        return self._outgoing

    def mentions_by_article(self) -> Mentions:
        """Each article's mentions: (record named, words, sentence)."""
        if self._by_article is None:
            found: dict[str, list[Mention]] = {}
            for m in self.mentions:
                found.setdefault(m.article, []).append(m)
            self._by_article = {k: _as_read(v) for k, v in found.items()}
        return self._by_article

    def thread(self, letter: Letter) -> list[Letter]:
        """The letters linked to this one by replies, from the first, in date order."""
        root = letter
        while root.replies_to and (Kind.letter, root.replies_to) in self.records:
            root = self.letter(root.replies_to)
        found, queue = [], [root]
        while queue:
            current = queue.pop(0)
            found.append(current)
            queue.extend(self.referring(current, Letter, "replies_to"))
        return sorted(found, key=self.sort_key)


def _grouped(records: dict[Key, Record]) -> dict[Kind, list[Record]]:
    """The records of each kind, in the order given."""
    found: dict[Kind, list[Record]] = defaultdict(list)
    for (kind, _), record in records.items():
        found[kind].append(record)
    return found


def _as_read(mentions: list[Mention]) -> tuple[tuple[Key, str, str], ...]:
    """An article's mentions as mentions_by_article has them: (record named, words, sentence)."""
    return tuple((m.target, m.words, m.sentence) for m in mentions)


def _incoming(edges: Iterable[Edge]) -> dict[Key, list[Edge]]:
    """Each record's incoming edges."""
    found: dict[Key, list[Edge]] = defaultdict(list)
    for edge in edges:
        found[edge.target].append(edge)
    return dict(found)


def _kinds_of(records: Iterable[Key]) -> dict[str, list[Kind]]:
    """Each id, with the kinds having it."""
    found: dict[str, list[Kind]] = defaultdict(list)
    for kind, id_ in sorted(records):
        found[id_].append(kind)
    return dict(found)


def _naming(mentions: Iterable[Mention], naming: dict[tuple[str, Key], list[str]] | None = None,
            named_in: dict[Key, list[str]] | None = None) -> tuple[dict[tuple[str, Key], list[str]], dict[Key, list[str]]]:
    """(article id, record) -> its distinct sentences naming the record, in order; record -> the ids of the
    articles naming it. Added to `naming` and `named_in` if given (whose lists these mentions' articles are not in)."""
    naming = {} if naming is None else naming
    named_in = {} if named_in is None else named_in
    for mention in mentions:
        sentences = naming.get((mention.article, mention.target))
        if sentences is None:
            sentences = naming[(mention.article, mention.target)] = []
            named_in.setdefault(mention.target, []).append(mention.article)
        if mention.sentence not in sentences:
            sentences.append(mention.sentence)
    return naming, named_in


def claim_of(record: Record) -> DateClaim | None:
    """The curator's reading of the date that places a record in time, if it has one."""
    if isinstance(record, Letter):
        return record.date
    if isinstance(record, Summit):
        return record.date[0] if record.date else None
    if isinstance(record, Article):
        return record.published[0] if record.published else None
    return None


def date_of(record: Record) -> str | None:
    """The EDTF date that places a record in time, if it has one."""
    claim = claim_of(record)
    return claim.date if claim else None


def reaches(record: Record) -> dt.date | None:
    """The latest day a record's date is known to reach: an open end ("1986-06-24/..") is not the year 9999."""
    date = date_of(record)
    return (dates.span(date)[1] or dates.anchor(date)) if date else None


SortKey = tuple[tuple[()] | tuple[dt.date, dt.date], str, str]


def name_of(record: Record) -> str:
    """What a record is called: a person's, topic's or outlet's name, else its title."""
    if isinstance(record, (Person, Topic, Outlet, Place)):
        return record.name
    if isinstance(record, (Letter, Summit, Batch, Article)):
        return record.title
    return ""


def sort_key(record: Record) -> SortKey:
    when = date_of(record)
    return (dates.sort_key(when) if when else (), name_of(record).casefold(), record.id)


Loc = tuple[str | int, ...]  # a key path in the front matter: ("dates", "sent", 0)
Sourced = DateClaim | StatusReport | Office | Fate | Answer  # what cites its sources beside itself


def _citations(record: Record) -> Iterator[tuple[Loc, str, str]]:
    """Yield (location, article id, words) for every passage a record says is in an article:
    date sources, curated evidence, quotes of the letter itself, and the sentences chosen to report it."""
    claims: list[tuple[Loc, Sourced]] = []
    if isinstance(record, Letter):
        claims = [(("dates", name, i), c) for name, dated in record.dates.items() for i, c in enumerate(dated)]
        claims += [(("fate", i), event) for i, event in enumerate(record.fate)]
        claims += [(("answered_by", i), answer) for i, answer in enumerate(record.answered_by)]
        for i, quote in enumerate(record.quotes):
            yield ("quotes", i), quote.article, quote.text
        for i, chosen in enumerate(record.reported_by):
            yield ("reported_by", i), chosen.article, chosen.quote
    if isinstance(record, Summit):
        claims = [(("date", i), c) for i, c in enumerate(record.date or ())]
        claims += [(("history", i), report) for i, report in enumerate(record.history)]
    if isinstance(record, Person):
        claims = [(("offices", i), office) for i, office in enumerate(record.offices)]
    for loc, claim in claims:
        for j, cite in enumerate(claim.sources):
            yield loc + ("sources", j), cite.article, cite.quote
    if isinstance(record, (Letter, Summit, Place)):
        for fact, citations in record.evidence.items():
            for j, cite in enumerate(citations):
                yield ("evidence", fact, j), cite.article, cite.quote


def _walk_ids(record: Record) -> Iterator[tuple[Loc, str, str, Kind]]:
    """Yield (location, field, id, target kind) for every id a record names."""
    for field_name, target_kind in record.references.items():
        outer, _, inner = field_name.partition(".")  # "fate.to": the `to` of each item of `fate`
        value = getattr(record, outer)
        if value is None:
            continue
        if isinstance(value, str):
            yield (field_name,), field_name, value, target_kind
        else:
            for index, item in enumerate(value):
                if inner:
                    if (named := getattr(item, inner)) is not None:
                        yield (outer, index, inner), field_name, named, target_kind
                elif isinstance(item, SummitLink):  # {summit: id, relation: …}
                    yield (field_name, index, "summit"), field_name, item.summit, target_kind
                else:
                    yield (field_name, index), field_name, item, target_kind
    for loc, article_id, _ in _citations(record):
        yield loc + ("article",), "sources", article_id, Kind.article
    if isinstance(record, Letter):
        for i, quote in enumerate(record.quotes):
            for name in ("recipient", "according_to"):
                if (person := getattr(quote, name)) is not None:
                    yield ("quotes", i, name), "quotes", person, Kind.person


class _Walked(NamedTuple):
    """What linking reads of one record alone."""

    record: Record
    ids: list[tuple[Loc, str, str, Kind]]  # what _walk_ids yields
    citations: list[tuple[Loc, str, str]]  # what _citations yields
    order: SortKey
    reaches: dt.date | None


def _walk(record: Record) -> _Walked:
    return _Walked(record, list(_walk_ids(record)), list(_citations(record)), sort_key(record), reaches(record))


def _walks_of(records: list[Record], last: dict[int, _Walked]) -> dict[int, _Walked]:
    """Each record's walk, worked out again only for a record not seen last run."""
    return {id(r): found if (found := last.get(id(r))) and found.record is r else _walk(r) for r in records}


def _repeated_ids(record: Record, walked: list[tuple[Loc, str, str, Kind]], source: Source,
                  report: "_Report") -> None:
    """An id listed twice in one list (two recipients, two attendees) is a slip, not a second person.
    `walked`: what _walk_ids yields for the record."""
    first: dict[tuple[str, str], Loc] = {}
    for loc, field_name, id_, _ in walked:
        if len(loc) < 2 or field_name not in record.references or "." in field_name:
            continue  # one id, a citation's article, or ids each in its own part (a fate's `to`)
        if (field_name, id_) in first:
            earlier = first[(field_name, id_)]
            report(record, loc, f"'{id_}' is listed twice in {field_name}: first as item {int(earlier[1]) + 1} "
                                f"(line {source.line_of(earlier)})", "Remove the repeated item")
        else:
            first[(field_name, id_)] = loc


def _check_fate(letter: Letter, report: "_Report") -> None:
    """A letter handed to an addressee was delivered: that is a date, not a fate."""
    for i, event in enumerate(letter.fate):
        if event.event == FateEvent.handed and event.to in letter.recipients:
            report(letter, ("fate", i, "to"), f"'{event.to}' is an addressee of the letter, not an intermediary",
                   "Give the date under dates: delivered:, and keep 'handed' for someone other than an addressee")


def _duplicate_ids(present: set[Key]) -> list[Problem]:
    """One id, one record: a name pinned in `mentions:` must not mean two things."""
    kinds_with_id: dict[str, list[Kind]] = defaultdict(list)
    for kind, id_ in sorted(present):
        kinds_with_id[id_].append(kind)
    problems = []
    for id_, kinds in kinds_with_id.items():
        for kind in kinds[1:]:
            others = ", ".join(f"content/{k.folder}/{id_}.md" for k in kinds if k != kind)
            problems.append(Problem(f"content/{kind.folder}/{id_}.md", 0, "id",
                                    f"the id '{id_}' is also used by {others}",
                                    "Ids must be unique across the archive: rename one of the files"))
    return problems


class _Report(Protocol):
    def __call__(self, record: Record, loc: Loc, message: str, hint: str = "") -> None: ...


def _report_mentions(article: Article, found: list[Mention], unsure: list[Ambiguity], source: Source,
                     archive: Archive, problems: list[Problem]) -> None:
    """Pins to unknown ids are errors; ambiguous names and forgotten ids are warnings."""
    def line_of(words: str) -> int:
        return source.body_line + line_in_body(article.body, words) - 1

    for words, pinned in article.mentions.items():
        if pinned is not None and not archive.kinds_of.get(pinned):
            problems.append(Problem(source.path, source.line_of(("mentions", words)), f"mentions.{words}",
                                    f"unknown id '{pinned}'", "Give the id of a person, summit or topic, "
                                    "or null to leave the name unlinked"))
    for ambiguity in unsure:
        options = " or ".join(f"'{id_}'" for _, id_ in ambiguity.candidates)
        problems.append(Problem(
            source.path, line_of(ambiguity.words), "body",
            f"'{ambiguity.words}' could be {options}, so it is not linked",
            f"Say which in the front matter: mentions: {{\"{ambiguity.words}\": {ambiguity.candidates[0][1]}}}",
            warning=True))
    listed = listed_in(article)
    reported = set()
    for mention in found:
        if mention.target not in listed and mention.target not in reported:
            reported.add(mention.target)
            kind, id_ = mention.target
            problems.append(Problem(
                source.path, line_of(mention.words), "body",
                f"names {kind} '{id_}' (\"{mention.words}\") but the front matter does not list it",
                f"Add '{id_}' to {LISTED_UNDER[kind]}, or set mentions: {{\"{mention.words}\": null}} "
                "if the name means something else here",
                warning=True))


def _check_reported_before_it_happened(letter: Letter, articles: dict[str, Article], reporters: list[Article],
                                       report: _Report) -> None:
    """An article cannot report as done a letter dated after its own publication."""
    def published_by(article_id: str) -> dt.date | None:
        article = articles.get(article_id)
        return dates.bounds(article.published[0].date)[1] if article and article.published else None

    for name, claims in letter.dates.items():
        if not DATE_KINDS[name].past:  # a forecast may be reported ahead
            continue
        for i, claim in enumerate(claims):
            for j, cite in enumerate(claim.sources):
                latest = published_by(cite.article)
                if latest and dates.bounds(claim.date)[0] > latest:
                    report(letter, ("dates", name, i, "sources", j, "article"),
                           f"article '{cite.article}', published by {latest.isoformat()}, cannot report a "
                           f"letter {name.replace('_', ' ')} {dates.on(claim.date)}",
                           "Check both dates; if the article only expected it, record the date under 'expected'")
    events: list[tuple[Loc, str, Fate | Answer]] = [
        *((("fate", i), f"a letter {e.event.value}", e) for i, e in enumerate(letter.fate)),
        *((("answered_by", i), "an answer", e) for i, e in enumerate(letter.answered_by))]
    for loc, what, event in events:
        for j, cite in enumerate(event.sources):
            latest = published_by(cite.article)
            if event.date and latest and dates.bounds(event.date)[0] > latest:
                report(letter, loc + ("sources", j, "article"), f"article '{cite.article}', published by "
                       f"{latest.isoformat()}, cannot report {what} {dates.on(event.date)}", "Check both dates")
    past = [c.date for name, claims in letter.dates.items() if DATE_KINDS[name].past for c in claims]
    if not past:
        return  # only expected: a letter announced ahead may be reported before it is sent
    earliest = min(dates.bounds(d)[0] for d in past)
    for article in reporters:
        if not article.published:
            continue
        latest = dates.bounds(article.published[0].date)[1]
        if earliest > latest:
            report(article, ("letters", article.letters.index(letter.id)),
                   f"reports letter '{letter.id}', dated {earliest.isoformat()} or later, but was "
                   f"published by {latest.isoformat()}",
                   "Check both dates; if the article only expected the letter, give the letter an "
                   "'expected' date instead")


def _a(kind: Kind) -> str:
    """'a person', 'an outlet'."""
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _check_passages(letter: Letter, report: _Report) -> None:
    """Versions of one passage tie two quotes or more, each saying who gives it."""
    versions: dict[str, list[int]] = defaultdict(list)
    for i, quote in enumerate(letter.quotes):
        if quote.passage:
            versions[quote.passage].append(i)
    for passage, found in versions.items():
        if len(found) == 1:
            report(letter, ("quotes", found[0], "passage"), f"only this quote is a version of passage '{passage}'",
                   "Give the other versions of the passage the same passage:, or leave passage: out")
            continue
        for i in found:
            if not letter.quotes[i].according_to:
                report(letter, ("quotes", i, "passage"), f"a version of passage '{passage}' does not say who gives it",
                       "Add according_to: with the id of the person or body whose version these words are")


class _Linked(NamedTuple):
    """What linking finds of one record alone: its edges and links, the problems of the ids it names and
    of the quotes it cites, and a letter's of its passages. The same while the same ids are present and
    the articles it cites the same."""

    record: Record
    edges: list[Edge]
    links: frozenset[tuple[str, Key]]
    problems: list[Problem]
    cites: frozenset[str]  # the ids of the articles it cites
    passages: list[Problem]  # _check_passages's, said after every record's own problems


class _Records(NamedTuple):
    """A run's records by key, its articles and letters by id, each key as one object, and each record's
    key by the record's identity: what the next run patches where only some records are other objects."""

    by_key: dict[Key, Record]
    articles: dict[str, Article]
    letters: dict[str, Letter]
    keys: dict[Key, Key]
    ids: dict[int, Key]

    @classmethod
    def of(cls, records: list[Record]) -> _Records:
        by_key: dict[Key, Record] = {}
        articles: dict[str, Article] = {}
        letters: dict[str, Letter] = {}
        for r in records:  # one pass: 45,000 records at 10,000 articles
            by_key[(r.kind, r.id)] = r
            _filed(r, articles, letters)
        # Each record's key as one object wherever an edge holds it: fewer objects for the collector to visit.
        return cls(by_key, articles, letters, {k: k for k in by_key}, {id(r): k for k, r in by_key.items()})

    def patched(self, records: list[Record]) -> tuple[_Records, list[Record]] | None:
        """These records, when they are this run's with some replaced by other objects of the same keys (an
        edit's: a record cache hands back an unchanged file's record as the same object), and those others.
        In the same order as `of` makes them, with no pass over every record in Python. None otherwise."""
        if len(records) != len(self.by_key):
            return None
        ids = self.ids
        fresh = [r for r in records if id(r) not in ids]
        by_key, articles, letters, now = dict(self.by_key), dict(self.articles), dict(self.letters), dict(ids)
        for r in fresh:  # each of another key than the others, all as many as before: every key is the same
            k = (r.kind, r.id)
            was = by_key.get(k)
            if was is None:
                return None
            del now[id(was)]
            now[id(r)], by_key[k] = k, r
            _filed(r, articles, letters)
        return _Records(by_key, articles, letters, self.keys, now), fresh


def _filed(record: Record, articles: dict[str, Article], letters: dict[str, Letter]) -> None:
    """An article or a letter under its id too."""
    if record.kind is Kind.article:
        articles[record.id] = cast(Article, record)
    elif record.kind is Kind.letter:
        letters[record.id] = cast(Letter, record)


class _Dated(NamedTuple):
    """The problems of a letter reported before it happened (_check_reported_before_it_happened): the same
    while the letter and the articles reporting it are the same objects, and those its facts cite too."""

    letter: Letter
    reporters: tuple[Article, ...]
    cited: tuple[str, ...]  # the ids of the articles it cites
    problems: list[Problem]

    @classmethod
    def check(cls, letter: Letter, reporters: tuple[Article, ...], articles: dict[str, Article], walked: _Walked,
              sources: dict[Key, Source]) -> _Dated:
        problems: list[Problem] = []

        def report(record: Record, loc: Loc, message: str, hint: str = "") -> None:
            problems.append(_problem(sources[key(record)], loc, message, hint))

        _check_reported_before_it_happened(letter, articles, list(reporters), report)
        cited = tuple(dict.fromkeys(article_id for _, article_id, _ in walked.citations))
        return cls(letter, reporters, cited, problems)

    def holds(self, letter: Letter, reporters: tuple[Article, ...], stale: set[str]) -> bool:
        """Whether these are its problems still. `stale`: the ids of the articles that are not the
        last run's objects (new, changed or gone), among which any it cites."""
        return (self.letter is letter and len(self.reporters) == len(reporters)
                and all(map(operator.is_, self.reporters, reporters)) and stale.isdisjoint(self.cited))


class _Ids(NamedTuple):
    """The ids present, by kind (sorted), and the problems of an id used twice."""

    by_kind: dict[Kind, list[str]]
    known: dict[Kind, set[str]]  # tens of thousands of lookups
    duplicates: list[Problem]

    @classmethod
    def of(cls, present: set[Key]) -> _Ids:
        by_kind: dict[Kind, list[str]] = defaultdict(list)
        for kind, id_ in sorted(present):
            by_kind[kind].append(id_)
        return cls(by_kind, {kind: set(ids) for kind, ids in by_kind.items()}, _duplicate_ids(present))


@dataclass
class Kept:
    """What one run linked of each record, held while the record is the same object, for the next run of
    the same record cache (which hands back an unchanged file's record as the same object, never changed
    in place): the preview links again after each edit. With the ids present then, on which what was
    linked rests; and the archive's indexes as that run made them, which the next one patches where its
    records changed (always in new lists and dicts: the last run's archive keeps its own)."""

    records: _Records | None = None  # the last run's
    walks: dict[int, _Walked] = field(default_factory=dict)  # by the record's identity
    linked: dict[Key, _Linked] = field(default_factory=dict)
    among: frozenset[Key] = frozenset()
    ids: _Ids = field(default_factory=lambda: _Ids({}, {}, []))  # of `among`
    dated: dict[str, _Dated] = field(default_factory=dict)  # by the letter's id
    order: dict[Key, SortKey] = field(default_factory=dict)  # each record's sort_key, as the archive has it
    reach: dict[Key, dt.date | None] = field(default_factory=dict)  # each record's reaches()
    carried: dict[Hashable, Any] = field(default_factory=dict)  # what the archive carries on (Archive.carried)
    # Each article's problems of its mentions (_report_mentions), with what they were found from.
    reported: dict[int, tuple[Article, Found, Source, tuple[bool, ...], list[Problem]]] = field(default_factory=dict)
    # Each article's mentions as mentions_by_article has them, by the identity of what find_all answered.
    read: dict[int, tuple[list[Mention], tuple[tuple[Key, str, str], ...]]] = field(default_factory=dict)
    # The Archive's indexes as the last run made them, and what they were made from (incoming, naming, kinds).
    edges_in: dict[Key, list[Edge]] = field(default_factory=dict)
    answers: dict[str, list[Mention]] = field(default_factory=dict)  # each article's mentions found, by its id
    named: tuple[dict[tuple[str, Key], list[str]], dict[Key, list[str]]] | None = None
    keys_of: tuple[frozenset[Key], dict[str, list[Kind]]] | None = None
    by_kind: dict[Kind, tuple[list[Record], list[Record]]] = field(default_factory=dict)  # as found, sorted
    cycles: tuple[tuple[Letter, ...], list[Problem]] = ((), [])  # the letters, and their reply cycles

    def incoming(self, before: dict[Key, _Linked], linked: dict[Key, _Linked], relinked: list[Key]
                 ) -> dict[Key, list[Edge]]:
        """Each record's incoming edges (_incoming): the last run's, made again only for the records named by
        one linked again (`relinked`) or gone since, as they named them `before` (the last run's, or
        nothing: then every record was linked again) or do now. The lists are new ones where they change:
        the last run's archive keeps its own."""
        if not before:
            self.edges_in = _incoming(edge for done in linked.values() for edge in done.edges)
            return self.edges_in
        changed = set(relinked) | (before.keys() - linked.keys())
        if not changed:
            return self.edges_in
        added: dict[Key, list[Edge]] = defaultdict(list)
        touched: set[Key] = set()
        for k in changed:
            if (was := before.get(k)) is not None:
                touched.update(edge.target for edge in was.edges)
            for edge in linked[k].edges if k in linked else ():
                added[edge.target].append(edge)
        found = dict(self.edges_in)
        for target in touched | added.keys():
            edges = [edge for edge in found.get(target, ()) if edge.source not in changed] + added.get(target, [])
            if edges:
                found[target] = edges
            else:
                found.pop(target, None)
        self.edges_in = found
        return found

    def naming(self, answers: dict[str, list[Mention]]) -> tuple[dict[tuple[str, Key], list[str]], dict[Key, list[str]]]:
        """_naming of every article's mentions (`answers`: each article's, as find_all found them): the last
        run's, made again only for the articles whose mentions are another list, in new lists."""
        before, self.answers = self.answers, answers
        if self.named is None or not before:
            self.named = _naming(mention for found in answers.values() for mention in found)
            return self.named
        changed = {a for a in answers.keys() | before.keys() if answers.get(a) is not before.get(a)}
        if not changed:
            return self.named
        naming, named_in = dict(self.named[0]), dict(self.named[1])
        touched: set[Key] = set()
        for article in changed:
            for mention in before.get(article, ()):
                naming.pop((article, mention.target), None)
                touched.add(mention.target)
            touched.update(mention.target for mention in answers.get(article, ()))
        for target in touched:
            ids = [a for a in named_in.get(target, ()) if a not in changed]
            if ids:
                named_in[target] = ids
            else:
                named_in.pop(target, None)
        self.named = _naming((m for article in sorted(changed) for m in answers.get(article, ())), naming, named_in)
        return self.named

    def kinds(self, records: dict[Key, Record]) -> dict[str, list[Kind]]:
        """_kinds_of the records: the last run's while the same ids are there."""
        if self.keys_of is None or records.keys() != self.keys_of[0]:
            self.keys_of = (frozenset(records), _kinds_of(records))
        return self.keys_of[1]

    def cycles_of(self, letters: dict[str, Letter], sources: dict[Key, Source]) -> list[Problem]:
        """The reply cycles (_cycles): found again only where a letter is not the last run's."""
        now = tuple(letters.values())
        was, found = self.cycles
        if len(was) != len(now) or not all(map(operator.is_, was, now)):
            found = _cycles(letters, sources)
            self.cycles = (now, found)
        return found

    def sorted(self, records: dict[Key, Record], walks: dict[int, _Walked]) -> dict[Kind, list[Record]]:
        """Each kind's records in order (sort_key): sorted again only where one of them is not the last run's."""
        before, self.by_kind = self.by_kind, {}
        for kind, among in _grouped(records).items():
            was, ordered = before.get(kind, ([], []))
            if len(was) != len(among) or not all(map(operator.is_, was, among)):
                ordered = sorted(among, key=lambda r: walks[id(r)].order)
            self.by_kind[kind] = (among, ordered)
        return {kind: ordered for kind, (_, ordered) in self.by_kind.items()}


def _problem(source: Source, loc: Loc, message: str, hint: str) -> Problem:
    """A problem at `loc` of a record's file, with the line it stands on."""
    where, line = source.locate(loc)
    return Problem(source.path, line, ".".join(map(str, where)), message, hint)


def _link_one(record: Record, walked: _Walked, keys: dict[Key, Key], known: dict[Kind, set[str]],
              ids_by_kind: dict[Kind, list[str]], articles: dict[str, Article], source: Source) -> _Linked:
    """Link one record: its edges, and the problems of its own ids, of the quotes it cites and of its passages."""
    problems: list[Problem] = []
    passages: list[Problem] = []

    def report(record: Record, loc: Loc, message: str, hint: str = "") -> None:
        problems.append(_problem(source, loc, message, hint))

    own = keys[key(record)]
    _repeated_ids(record, walked.ids, source, report)
    if isinstance(record, Letter):
        _check_fate(record, report)
    edges: list[Edge] = []
    for loc, field_name, target_id, target_kind in walked.ids:
        target = keys.get((target_kind, target_id))
        if target is not None:
            edges.append(Edge(own, field_name, target))
        if target_id in known.get(target_kind, ()):
            continue
        # 'kremlin' the outlet, where a person or body (a person record with form: body) is wanted.
        other = next((kind for kind in Kind if target_id in known.get(kind, ())), None)
        body = " (a government or office is a person with form: body)" if target_kind == Kind.person else ""
        hint = (f"content/{other.folder}/{target_id}.md is {_a(other)}, not {_a(target_kind)}; name "
                f"{_a(target_kind)} from content/{target_kind.folder}/, or add one there{body}"
                if other else did_you_mean(target_id, ids_by_kind[target_kind]))
        report(record, loc, f"unknown {target_kind} '{target_id}'",
               hint or f"Check the spelling, or add content/{target_kind.folder}/{target_id}.md")
    cited = {}
    for loc, article_id, words in walked.citations:
        article = cited[article_id] = articles.get(article_id)
        if article is not None and not stands_in(words, article.body):
            report(record, loc + ("text" if loc[0] == "quotes" else "quote",),
                   f"quote not found in article '{article_id}'", "Copy the words exactly from the article's text")
    if isinstance(record, Letter):
        _check_passages(record, lambda r, loc, message, hint="": passages.append(_problem(source, loc, message, hint)))
    links = frozenset((edge.field, edge.target) for edge in edges)
    return _Linked(record, edges, links, problems, frozenset(cited), passages)


def link(records: list[Record], sources: dict[Key, Source], present: set[Key],
         folder: Path | None = None, kept: Kept | None = None, jobs: int = 1) -> tuple[Archive, list[Problem]]:
    """Resolve every id; report unknown ids, bad quotes and reply cycles.

    `present` holds every record file found, including those that failed to
    load or validate: naming them is no error (their own problem is reported).
    With a `folder` (build/cache/), mentions an earlier run found are reused (mention_cache.py); with
    what an earlier run `kept`, what it linked of each record still the same (and keeps this run's there).
    Many articles to search for names are searched on up to `jobs` processes (mention_cache.find_all).
    """
    again = kept is not None  # a later run continues from this one
    kept = Kept() if kept is None else kept
    among = frozenset(present)
    same = among == kept.among  # the same ids present: the same ids resolve
    if not same:
        kept.ids = _Ids.of(present)
    ids_by_kind, known = kept.ids.by_kind, kept.ids.known
    problems: list[Problem] = list(kept.ids.duplicates)
    # An edit's run: the last run's records with a few replaced, looked at alone. Otherwise every record.
    last = kept.records
    patched = last.patched(records) if last is not None else None
    run, fresh = patched if patched is not None else (_Records.of(records), None)
    by_key, articles, letters, keys = run.by_key, run.articles, run.letters, run.keys
    # The ids of the articles that are not the last run's objects (new, changed or gone): what cites one is
    # linked again, and its dates checked again.
    then = last.articles if last is not None else {}
    stale = ({r.id for r in fresh if r.kind is Kind.article} if fresh is not None else
             {a for a, article in articles.items() if then.get(a) is not article} | (then.keys() - articles.keys()))
    if fresh is None:
        walks = _walks_of(records, kept.walks)
        order = {k: walks[id(r)].order for k, r in by_key.items()}
        reach = {k: walks[id(r)].reaches for k, r in by_key.items()}
    else:
        assert last is not None
        walks, order, reach = dict(kept.walks), dict(kept.order), dict(kept.reach)
        for r in fresh:
            k = (r.kind, r.id)
            del walks[id(last.by_key[k])]
            w = walks[id(r)] = _walk(r)
            order[k], reach[k] = w.order, w.reaches
    before = kept.linked if same else {}
    last_dated = kept.dated
    # Until this run is done, the next one starts from nothing but the walks.
    kept.records, kept.linked, kept.dated, kept.among = None, {}, {}, among
    kept.walks, kept.order, kept.reach = walks, order, reach

    def link_one(k: Key) -> _Linked:
        record = by_key[k]
        return _link_one(record, walks[id(record)], keys, known, ids_by_kind, articles, sources[k])

    linked: dict[Key, _Linked] = {}
    relinked: list[Key] = []
    if fresh is None or not before:
        for k, record in by_key.items():
            done = before.get(k)
            if done is None or done.record is not record or not stale.isdisjoint(done.cites):
                done = link_one(k)
                relinked.append(k)
            linked[k] = done
    else:  # the records replaced, and those citing an article replaced
        relinked = [(r.kind, r.id) for r in fresh]
        if stale:
            relinked += [k for k, done in before.items() if done.cites and not stale.isdisjoint(done.cites)
                         and done.record is by_key[k]]
        linked = dict(before)
        for k in relinked:
            linked[k] = link_one(k)
    edges = [edge for done in linked.values() for edge in done.edges]
    problems += [p for done in linked.values() for p in done.problems]
    problems += [p for done in linked.values() if done.passages for p in done.passages]
    outgoing: Edges = {k: done.links for k, done in linked.items() if done.links}

    archive = Archive(records=by_key, edges=edges, order=order, reach=reach, _by_kind=kept.sorted(by_key, walks),
                      _incoming=kept.incoming(before, linked, relinked), kinds_of=kept.kinds(by_key))
    archive._outgoing = outgoing  # as outgoing() would work it out, while the edges were made
    archive._carried = kept.carried
    names, mentions = names_for(records), []
    by_article: Mentions = {}
    answers: dict[str, list[Mention]] = {}
    read, kept.read = kept.read, {}
    reported, kept.reported = kept.reported, {}
    for article, answer in zip(articles.values(), find_all(list(articles.values()), names, archive.kinds_of,
                                                           folder, jobs, again)):
        found, unsure = answer
        mentions.extend(found)
        answers[article.id] = found
        source = sources[(Kind.article, article.id)]
        pins = tuple(bool(archive.kinds_of.get(p)) for p in article.mentions.values() if p is not None)
        told = reported.get(id(article))
        if told is None or told[0] is not article or told[1] is not answer or told[2] is not source or told[3] != pins:
            told = (article, answer, source, pins, [])
            _report_mentions(article, found, unsure, source, archive, told[4])
        kept.reported[id(article)] = told
        problems += told[4]
        if found:  # as mentions_by_article has them: made again only for an article's new answer
            was = read.get(id(found))
            kept.read[id(found)] = was if was is not None and was[0] is found else (
                found, _as_read(found))
            by_article[article.id] = kept.read[id(found)][1]
    archive.attach_mentions(names, mentions, kept.naming(answers))
    archive._by_article = by_article

    reporters: dict[str, list[Article]] = defaultdict(list)
    for article in articles.values():
        for letter_id in article.letters:
            reporters[letter_id].append(article)
    if fresh is None:
        dated: dict[str, _Dated] = {}
        for letter in letters.values():
            reporting = tuple(reporters.get(letter.id, ()))
            earlier = last_dated.get(letter.id)
            dated[letter.id] = earlier if earlier is not None and earlier.holds(letter, reporting, stale) else (
                _Dated.check(letter, reporting, articles, walks[id(letter)], sources))
    else:  # the letters replaced, and those an article replaced reported, reports now or is cited for
        assert last is not None
        dated, todo = dict(last_dated), {r.id for r in fresh if r.kind is Kind.letter} | (letters.keys() - last_dated.keys())
        for a in stale:
            todo.update(last.articles[a].letters, articles[a].letters)
        if stale:
            todo.update(letter_id for letter_id, earlier in last_dated.items() if not stale.isdisjoint(earlier.cited))
        for letter_id in todo & letters.keys():
            letter = letters[letter_id]
            dated[letter_id] = _Dated.check(letter, tuple(reporters.get(letter_id, ())), articles, walks[id(letter)],
                                            sources)
        if len(dated) != len(last_dated):  # a letter the last run did not check: in the letters' order
            dated = {letter_id: dated[letter_id] for letter_id in letters}
    problems += [p for checked in dated.values() if checked.problems for p in checked.problems]
    problems += kept.cycles_of(letters, sources)
    kept.records, kept.linked, kept.dated = run, linked, dated  # this run done: the next one patches it
    return archive, problems


def _cycles(letters: dict[str, Letter], sources: dict[Key, Source]) -> list[Problem]:
    """Letters that answer themselves, or each other round a loop."""
    found = []
    for letter in letters.values():
        seen, current = [letter.id], letter
        while current.replies_to and current.replies_to in letters:
            if current.replies_to in seen:
                chain = " -> ".join(seen + [current.replies_to])
                what = "replies to itself" if len(seen) == 1 else f"is part of a reply cycle: {chain}"
                found.append(_problem(sources[key(letter)], ("replies_to",), what,
                                      "A letter can only answer an earlier letter"))
                break
            seen.append(current.replies_to)
            current = letters[current.replies_to]
    return found
