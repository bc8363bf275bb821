"""Link: resolve ids into one Archive, with every edge readable in both directions.

Nothing renders until the whole archive is linked, so a page can list what
points at it ("tags induce a graph, not a tree").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from . import dates
from .errors import Problem, did_you_mean
from .load import Source
from .mentions import Mention, NameIndex, find, listed_in, reader_text
from .safety import line_in_body
from .schema import KINDS, Article, Letter, Person, Record, Role, Summit, SummitLink

Key = tuple[str, str]  # (kind, id)


def key(record: Record) -> Key:
    return (record.kind, record.id)


@dataclass(frozen=True)
class Edge:
    """`source.field` names `target`: e.g. a letter's `carriers` names a person."""

    source: Key
    field: str
    target: Key


@dataclass
class Archive:
    records: dict[Key, Record]
    edges: list[Edge]
    mentions: list[Mention] = field(default_factory=list)
    names: NameIndex | None = None
    _incoming: dict[Key, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    _by_kind: dict[str, list] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for edge in self.edges:
            self._incoming[edge.target].append(edge)
        grouped: dict[str, list] = defaultdict(list)
        for (kind, _), record in self.records.items():
            grouped[kind].append(record)
        self._by_kind = {kind: sorted(found, key=sort_key) for kind, found in grouped.items()}
        # (article id, record) -> its distinct sentences naming the record, in order;
        # record -> the ids of the articles naming it. Both filled by attach_mentions.
        self._naming: dict[tuple[str, Key], list[str]] = defaultdict(list)
        self._named_in: dict[Key, list[str]] = defaultdict(list)
        self.kinds_of: dict[str, list[str]] = defaultdict(list)  # id -> kinds having it
        for kind, id_ in sorted(self.records):
            self.kinds_of[id_].append(kind)

    def attach_mentions(self, names: NameIndex, mentions: list[Mention]) -> None:
        """Mentions are found after ids resolve, since names resolve against the front matter."""
        self.names, self.mentions = names, mentions
        for mention in mentions:
            naming = self._naming[(mention.article, mention.target)]
            if not naming:
                self._named_in[mention.target].append(mention.article)
            if mention.sentence not in naming:
                naming.append(mention.sentence)

    def sentences_naming(self, article: Article, target: Record) -> list[str]:
        """The sentences of an article that name a record, in order."""
        return self._naming.get((article.id, key(target)), [])

    def mentions_of(self, target: Record) -> list[tuple[Article, list[str]]]:
        """Articles whose text names `target`, each with its distinct sentences, by date."""
        articles = sorted((self.records[("article", a)] for a in self._named_in[key(target)]), key=sort_key)
        return [(article, self._naming[(article.id, key(target))]) for article in articles]

    # Queries -----------------------------------------------------------------

    def get(self, kind: str, id_: str) -> Record:
        return self.records[(kind, id_)]

    def all(self, model: type[Record]) -> list:
        """Every record of a kind, ordered by date where it has one, else by name."""
        return list(self._by_kind.get(model.kind, ()))

    def referring(self, target: Record, model: type[Record], *fields: str) -> list:
        """Records of `model` that name `target` in any of `fields` (all fields if none)."""
        found = {
            edge.source for edge in self._incoming[key(target)]
            if edge.source[0] == model.kind and (not fields or edge.field in fields)
        }
        return sorted((self.records[k] for k in found), key=sort_key)

    def resolve(self, kind: str, ids) -> list:
        """Ids as written in a record, as records, in the order written."""
        if ids is None:
            return []
        if isinstance(ids, str):
            return [self.records[(kind, ids)]]
        return [self.records[(kind, i)] for i in ids]

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

    def exchanges(self) -> dict[tuple[str, str], list[Letter]]:
        """(sender id, recipient id) -> the letters between them that way, by date.

        A letter to many counts once for each recipient; a letter to oneself, not at all.
        """
        found: dict[tuple[str, str], list[Letter]] = defaultdict(list)
        for letter in self.all(Letter):
            for recipient in dict.fromkeys(letter.recipients):
                if recipient != letter.sender:
                    found[(letter.sender, recipient)].append(letter)
        return dict(sorted(found.items()))

    def pairs(self) -> dict[tuple[str, str], list[Letter]]:
        """Every two people who exchanged letters (ids in order), with their letters both ways, by date."""
        found: dict[tuple[str, str], list[Letter]] = defaultdict(list)
        for (sender, recipient), letters in self.exchanges().items():
            found[tuple(sorted((sender, recipient)))].extend(letters)
        return {pair: sorted(letters, key=sort_key) for pair, letters in sorted(found.items())}

    def thread(self, letter: Letter) -> list[Letter]:
        """The letters linked to this one by replies, from the first, in date order."""
        root = letter
        while root.replies_to and ("letter", root.replies_to) in self.records:
            root = self.records[("letter", root.replies_to)]
        found, queue = [], [root]
        while queue:
            current = queue.pop(0)
            found.append(current)
            queue.extend(self.referring(current, Letter, "replies_to"))
        return sorted(found, key=sort_key)


def date_of(record: Record) -> str | None:
    """The EDTF date that places a record in time, if it has one."""
    if isinstance(record, Letter):
        return record.date.date
    if isinstance(record, Summit):
        return record.date[0].date if record.date else None
    if isinstance(record, Article):
        return record.published[0].date if record.published else None
    return None


def sort_key(record: Record):
    when = date_of(record)
    name = getattr(record, "name", None) or getattr(record, "title", "")
    return (dates.sort_key(when) if when else (), name.casefold(), record.id)


def _normalise(text: str) -> str:
    """Compare quotes by their words: typographic quotes and spacing don't count.

    Both sides are plain text: a quote as the curator copied it from the page, and
    an article body as the reader sees it (mentions.reader_text), so `*` is `*`.
    """
    text = text.translate(str.maketrans("‘’“”", "''\"\""))
    return re.sub(r"\s+", " ", text).strip()


def _citations(record: Record):
    """Yield (location, article id, words) for every passage a record says is in an article:
    date sources, curated evidence, and quotes of the letter itself."""
    claims = []
    if isinstance(record, Letter):
        claims = [(("dates", name, i), c) for name, dated in record.dates.items() for i, c in enumerate(dated)]
        for i, quote in enumerate(record.quotes):
            yield ("quotes", i), quote.article, quote.text
    if isinstance(record, Summit):
        claims = [(("date", i), c) for i, c in enumerate(record.date or ())]
        claims += [(("history", i), report) for i, report in enumerate(record.history)]
    if isinstance(record, Person):
        claims = [(("offices", i), office) for i, office in enumerate(record.offices)]
    for loc, claim in claims:
        for j, cite in enumerate(claim.sources):
            yield loc + ("sources", j), cite.article, cite.quote
    for fact, citations in getattr(record, "evidence", {}).items():
        for j, cite in enumerate(citations):
            yield ("evidence", fact, j), cite.article, cite.quote


def _walk_ids(record: Record):
    """Yield (location, field, id, target kind) for every id a record names."""
    for field_name, target_kind in record.references.items():
        value = getattr(record, field_name)
        if value is None:
            continue
        if isinstance(value, str):
            yield (field_name,), field_name, value, target_kind
        else:
            for index, item in enumerate(value):
                if isinstance(item, SummitLink):  # {summit: id, relation: …}
                    yield (field_name, index, "summit"), field_name, item.summit, target_kind
                else:
                    yield (field_name, index), field_name, item, target_kind
    for loc, article_id, _ in _citations(record):
        yield loc + ("article",), "sources", article_id, "article"
    for i, quote in enumerate(getattr(record, "quotes", ())):
        if quote.recipient:
            yield ("quotes", i, "recipient"), "quotes", quote.recipient, "person"


def _duplicate_ids(present: set[Key], folder_of: dict[str, str]) -> list[Problem]:
    """One id, one record: a name pinned in `mentions:` must not mean two things."""
    kinds_with_id: dict[str, list[str]] = defaultdict(list)
    for kind, id_ in sorted(present):
        kinds_with_id[id_].append(kind)
    problems = []
    for id_, kinds in kinds_with_id.items():
        for kind in kinds[1:]:
            others = ", ".join(f"content/{folder_of[k]}/{id_}.md" for k in kinds if k != kind)
            problems.append(Problem(f"content/{folder_of[kind]}/{id_}.md", 0, "id",
                                    f"the id '{id_}' is also used by {others}",
                                    "Ids must be unique across the archive: rename one of the files"))
    return problems


FRONT_MATTER_FIELD = {"person": "people", "summit": "summits", "topic": "topics"}


def _report_mentions(article: Article, found: list[Mention], unsure, source: Source, archive: Archive,
                     problems: list[Problem]) -> None:
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
                f"Add '{id_}' to {FRONT_MATTER_FIELD[kind]}, or set mentions: {{\"{mention.words}\": null}} "
                "if the name means something else here",
                warning=True))


# Kinds of letter date that are past events; `expected` is a forecast.
PAST_EVENTS = ("written", "sent", "delivered", "received", "read_aloud", "announced")


def _when(text: str) -> str:
    """A date's label as it follows a verb: 'on 2 June 2013', 'in May 2013', 'some day between …'."""
    label = dates.label(text)
    if label[:1].isdigit():
        return f"on {label}"
    return label if label.split(" ", 1)[0] in ("from", "some", "until", "about", "probably") else f"in {label}"


def _check_reported_before_it_happened(letter: Letter, by_key: dict, reporters: list[Article], report) -> None:
    """An article cannot report as done a letter dated after its own publication."""
    def published_by(article_id: str):
        article = by_key.get(("article", article_id))
        return dates.bounds(article.published[0].date)[1] if article and article.published else None

    for name, claims in letter.dates.items():
        if name not in PAST_EVENTS:
            continue
        for i, claim in enumerate(claims):
            for j, cite in enumerate(claim.sources):
                latest = published_by(cite.article)
                if latest and dates.bounds(claim.date)[0] > latest:
                    report(letter, ("dates", name, i, "sources", j, "article"),
                           f"article '{cite.article}', published by {latest.isoformat()}, cannot report a "
                           f"letter {name.replace('_', ' ')} {_when(claim.date)}",
                           "Check both dates; if the article only expected it, record the date under 'expected'")
    past = [c.date for name, claims in letter.dates.items() if name in PAST_EVENTS for c in claims]
    if not past:
        return  # only expected: a letter announced ahead may be reported before it is sent
    earliest = min(dates.bounds(d)[0] for d in past)
    for article in (a for a in reporters if a.published):
        latest = dates.bounds(article.published[0].date)[1]
        if earliest > latest:
            report(article, ("letters", article.letters.index(letter.id)),
                   f"reports letter '{letter.id}', dated {earliest.isoformat()} or later, but was "
                   f"published by {latest.isoformat()}",
                   "Check both dates; if the article only expected the letter, give the letter an "
                   "'expected' date instead")


def link(records: list[Record], sources: dict[Key, Source], present: set[Key]) -> tuple[Archive, list[Problem]]:
    """Resolve every id; report unknown ids, bad quotes and reply cycles.

    `present` holds every record file found, including those that failed to
    load or validate: naming them is no error (their own problem is reported).
    """
    by_key = {key(r): r for r in records}
    ids_by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, id_ in sorted(present):
        ids_by_kind[kind].append(id_)
    folder_of = {model.kind: model.folder for model in KINDS}
    problems: list[Problem] = _duplicate_ids(present, folder_of)
    edges: list[Edge] = []

    def report(record: Record, loc: tuple, message: str, hint: str = "") -> None:
        source = sources[key(record)]
        where, line = source.locate(loc)
        problems.append(Problem(source.path, line, ".".join(map(str, where)), message, hint))

    for record in records:
        for loc, field_name, target_id, target_kind in _walk_ids(record):
            target = (target_kind, target_id)
            if target in by_key:
                edges.append(Edge(key(record), field_name, target))
            if target_id in ids_by_kind[target_kind]:
                continue
            hint = did_you_mean(target_id, ids_by_kind[target_kind])
            report(record, loc, f"unknown {target_kind} '{target_id}'",
                   hint or f"Check the spelling, or add content/{folder_of[target_kind]}/{target_id}.md")

        for loc, article_id, words in _citations(record):
            article = by_key.get(("article", article_id))
            if article is not None and _normalise(words) not in _normalise(reader_text(article.body)):
                report(record, loc + ("text" if loc[0] == "quotes" else "quote",),
                       f"quote not found in article '{article_id}'",
                       "Copy the words exactly from the article's text")

    archive = Archive(records=by_key, edges=edges)
    names, mentions = NameIndex(records), []
    for article in (r for r in records if isinstance(r, Article)):
        found, unsure = find(article, names, archive.kinds_of)
        mentions.extend(found)
        _report_mentions(article, found, unsure, sources[key(article)], archive, problems)
    archive.attach_mentions(names, mentions)

    reporters: dict[str, list[Article]] = defaultdict(list)
    for article in (r for r in records if isinstance(r, Article)):
        for letter_id in article.letters:
            reporters[letter_id].append(article)
    for letter in (r for r in records if isinstance(r, Letter)):
        _check_reported_before_it_happened(letter, by_key, reporters[letter.id], report)

    for letter in (r for r in records if isinstance(r, Letter)):
        seen, current = [letter.id], letter
        while current.replies_to and ("letter", current.replies_to) in by_key:
            if current.replies_to in seen:
                chain = " -> ".join(seen + [current.replies_to])
                what = "replies to itself" if len(seen) == 1 else f"is part of a reply cycle: {chain}"
                report(letter, ("replies_to",), what, "A letter can only answer an earlier letter")
                break
            seen.append(current.replies_to)
            current = by_key[("letter", current.replies_to)]

    return archive, problems

