"""Derive: what every page shows, worked out once from the linked Archive.

Between link and render. Each page gets a view: records resolved to records,
each with its page address and date label; the office each person held on the
letter's date; every fact with what it rests on and its footnote numbers,
numbered in the order the page shows them; threads, exchanges, backlinks.
Render only maps views to templates, and templates look nothing up. The data
exports read the same views, so a page and its data never disagree.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import addresses, dates
from .graph import Archive, date_of, sort_key
from .mentions import link_first_mentions
from .network import Correspondence, Drawing, correspondence, layout
from .provenance import Basis, Facts, claim_basis, letter_facts, reporting_sentences, summit_facts
from .schema import Article, Batch, DateClaim, Letter, Office, Outlet, Person, Record, Summit, Topic

RELATED_LIMIT = 10  # the most recent; a big summit has hundreds of articles
GAP_YEARS = 1  # a silence longer than this between two letters is marked on a pair's page
TEXT_STATUS = {
    "published": "Full text published",
    "excerpts": "Excerpts quoted in the press",
    "reported": "Known only from reports",
}
KIND_LABEL = {"letter": "Letter", "summit": "Summit or meeting", "article": "Article"}
DATE_KINDS = {"written": "Written", "sent": "Sent", "delivered": "Delivered", "received": "Received",
              "read_aloud": "Read aloud", "announced": "Announced", "expected": "Expected"}
SUMMIT_RELATIONS = {"prepares": "prepares it", "proposes": "proposes it", "sets-no-date": "speaks of it, sets no date",
                    "cancels": "cancels it", "follows": "follows it", "mentions": "mentions it"}
KNOWN_FROM = {"sender": "Known only from the sender's side", "recipient": "Known only from the recipient's side",
              "both": "Confirmed by both sides", "others": "Known from neither side: from leaks or third parties"}


def date_label(value: str | None) -> str:
    return dates.label(value) if value else "undated"


def title_of(record: Record) -> str:
    return getattr(record, "name", None) or getattr(record, "title")


# Building blocks -------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A record as another page shows it: its page, its name and its date."""

    record: Any  # the record itself, for the fields a template shows (a summit's place, a letter's status)
    path: str
    title: str
    when: str  # the reader's date label; "undated" when it has none


@dataclass(frozen=True)
class Cited:
    """What a fact shown on a page rests on: its footnote numbers, and whether it is the curator's."""

    notes: tuple[int, ...] = ()
    bracketed: bool = False  # the curator's addition, set in square brackets
    quiet: bool = False  # an article's own date resting on a note: nothing to add


@dataclass(frozen=True)
class Note:
    """One numbered source at the foot of a page: an article and its words, or the curator's word."""

    number: int
    article: Ref | None
    words: str  # the article's words, or where the curator's addition comes from


class Notes:
    """A page's sources, numbered in the order the page shows its facts; the same words share one number."""

    def __init__(self, refs: "Refs"):
        self.refs = refs
        self.notes: list[Note] = []
        self._numbers: dict[tuple[str | None, str], int] = {}

    def _number(self, article: Article | None, words: str) -> int:
        key = (article.id if article else None, words)
        if key not in self._numbers:
            self._numbers[key] = len(self.notes) + 1
            self.notes.append(Note(self._numbers[key], self.refs(article) if article else None, words))
        return self._numbers[key]

    def cite(self, basis: Basis) -> Cited:
        numbers = [self._number(s.article, s.quote) for s in basis.supports]
        if basis.curator:
            numbers.append(self._number(None, basis.curator))
        return Cited(tuple(numbers), bracketed=bool(basis.curator))


class Refs:
    """Refs of records, made once each."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, str], Ref] = {}

    def __call__(self, record: Record) -> Ref:
        key = (record.kind, record.id)
        if key not in self._made:
            self._made[key] = Ref(record, addresses.page(record), title_of(record), date_label(date_of(record)))
        return self._made[key]

    def all(self, records: Iterable[Record]) -> list[Ref]:
        return [self(r) for r in records]


@dataclass(frozen=True)
class Claim:
    """One dated claim as shown: its label, how it was inferred, and what it rests on."""

    label: str
    note: str | None
    cited: Cited


@dataclass(frozen=True)
class Shown:
    """A fact that links a record: the record and what the fact rests on."""

    ref: Ref
    cited: Cited


@dataclass(frozen=True)
class Holder:
    """A person in a fact, with the office they held on the date that matters, each with its basis."""

    ref: Ref
    cited: Cited
    office: str | None
    office_cited: Cited | None


@dataclass(frozen=True)
class Mentioned:
    """An article whose text names a record, with its sentences that do."""

    article: Ref
    sentences: list[str]


# Page views --------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    path: str
    template: str


@dataclass(frozen=True)
class LetterPage(Page):
    letter: Letter
    sender: Holder
    recipients: list[Holder]
    dates: list[tuple[str, list[Claim]]]  # (label of the kind of date, its claims)
    carriers: list[Shown]
    delivered_at: Cited | None
    text_status: str
    text_cited: Cited
    known_from: tuple[str, Cited] | None
    batch: Shown | None
    batch_letters: list[Ref]
    replies_to: Shown | None
    replies: list[Ref]
    thread: list[Ref] | None  # only when longer than a letter and its reply
    exchanges: list[tuple[str, str]]  # (the other correspondent's name, their pair's page)
    quotes: list[tuple[str, Ref | None, Ref]]  # (words, whose copy, quoted in)
    summits: list[tuple[Shown, str | None]]  # (summit, how the letter relates to it, unless it merely mentions it)
    topics: list[Shown]
    reported_in: list[tuple[Ref, list[str]]]
    notes: list[Note]


@dataclass(frozen=True)
class SummitPage(Page):
    summit: Summit
    date: list[Claim] | None
    place: Cited | None
    status: Cited
    status_as_of: str | None
    history: list[tuple[str, Cited, str | None]]  # (status, basis, as of)
    part_of: list[Shown]
    attendees: list[Holder]
    meetings: list[Ref]
    letters: list[Ref]
    topics: list[Shown]
    articles: list[Ref]
    mentioned: list[Mentioned]
    notes: list[Note]


@dataclass(frozen=True)
class PersonPage(Page):
    person: Person
    offices: list[tuple[Office, Cited, str, str | None]]  # (office, basis, its dates as shown, its role if other)
    network: Drawing | None
    correspondence: list[tuple[str, list[Ref], Ref]]  # (sent to / received from, the others, letter)
    carried: list[Ref]
    summits: list[Ref]
    articles: list[Ref]
    mentioned: list[Mentioned]
    notes: list[Note]


@dataclass(frozen=True)
class BatchPage(Page):
    batch: Batch
    sender: Ref
    letters: list[tuple[Ref, list[Ref]]]  # (letter, its recipients)


@dataclass(frozen=True)
class TopicPage(Page):
    topic: Topic
    letters: list[Ref]
    summits: list[Ref]
    articles: list[Ref]
    mentioned: list[Mentioned]


@dataclass(frozen=True)
class ArticlePage(Page):
    article: Article
    body: str  # the text with first mentions linked
    outlet: Ref
    via: list[Ref]
    published: list[Claim] | None
    letters: list[Ref]
    people: list[Ref]
    summits: list[Ref]
    topics: list[Ref]
    related: list[Ref]
    notes: list[Note]


@dataclass(frozen=True)
class OutletPage(Page):
    outlet: Outlet
    published: list[Ref]
    cited_by: list[Ref]


@dataclass(frozen=True)
class PairRow:
    letter: Ref
    sender: Ref
    to: Ref
    gap: str | None
    answers: Ref | None
    answers_outside: bool
    answered_by: list[Ref]


@dataclass(frozen=True)
class PairPage(Page):
    title: str
    first: Ref
    second: Ref
    rows: list[PairRow]
    count: int
    first_when: str
    last_when: str


@dataclass(frozen=True)
class HomePage(Page):
    counts: dict[str, int]
    years: list[int]
    network: Drawing | None
    letters: list[tuple[Ref, Ref, list[Ref]]]  # (letter, sender, recipients)


@dataclass(frozen=True)
class LetterRow:
    """One letter of the letters index, with what the filters compare in its data attributes."""

    letter: Letter
    href: str
    date: str  # the reader's label
    sort: str  # ISO day: the earliest the date can mean
    year: int | None
    sender: Person
    sender_href: str
    recipients: list[tuple[Person, str]]  # with each one's href
    topics: list[Topic]
    status: str


@dataclass(frozen=True)
class LettersIndex(Page):
    rows: list[LetterRow]
    choices: dict[str, list[tuple[Any, Any]]]


@dataclass(frozen=True)
class Listing(Page):
    """An index of one kind of record; `rows` as the template lays them out."""

    rows: list[Any]


@dataclass(frozen=True)
class TimelinePage(Page):
    years: list[tuple[int, list[tuple[str, list[tuple[Ref, str]]]]]]  # year -> (heading, [(record, kind label)])
    unknown: list[tuple[Ref, str]]


@dataclass
class Views:
    """Every page's view, by docs path, in the order pages are written."""

    pages: dict[str, Page] = field(default_factory=dict)

    def add(self, page: Page) -> None:
        if page.path in self.pages:
            raise ValueError(page.path)
        self.pages[page.path] = page


# Deriving -----------------------------------------------------------------------------


class Deriver:
    """Works out every page's view from one linked Archive."""

    def __init__(self, archive: Archive):
        self.archive = archive
        self.refs = Refs()
        self._who_wrote_to_whom: Correspondence | None = None

    @property
    def who_wrote_to_whom(self) -> Correspondence:
        """Worked out once: the home page and every correspondent's page draw part of it."""
        if self._who_wrote_to_whom is None:
            self._who_wrote_to_whom = correspondence(self.archive)
        return self._who_wrote_to_whom

    def _mentioned(self, record: Record) -> list[Mentioned]:
        return [Mentioned(self.refs(article), sentences) for article, sentences in self.archive.mentions_of(record)]

    def _claims(self, notes: Notes, claims: Iterable[DateClaim], quiet_notes: bool = False) -> list[Claim]:
        shown = []
        for claim in claims:
            basis = claim_basis(self.archive, claim)
            if quiet_notes and claim.note and basis.uncited:
                cited = Cited(quiet=True)  # an article's own date: its page is its source
            else:
                cited = notes.cite(basis)
            shown.append(Claim(dates.label(claim.date), claim.note, cited))
        return shown

    def _holder(self, notes: Notes, person: Person, basis: Basis, when: str | None) -> Holder:
        cited = notes.cite(basis)
        office = person.office_on(when) if when else None
        office_cited = notes.cite(claim_basis(self.archive, office)) if office else None
        return Holder(self.refs(person), cited, office.title if office else None, office_cited)

    # Record pages --------------------------------------------------------------

    def letter(self, letter: Letter) -> LetterPage:
        a, refs = self.archive, self.refs
        facts: Facts = letter_facts(letter, a)
        notes = Notes(refs)
        when = letter.date.date
        sender = a.get("person", letter.sender)
        holder_sender = self._holder(notes, sender, facts["sender"][sender.id], when)
        recipients = [self._holder(notes, p, facts["recipients"][p.id], when)
                      for p in a.resolve("person", letter.recipients)]
        shown_dates = [(DATE_KINDS[name], self._claims(notes, claims)) for name, claims in letter.dates.items()]
        carriers = [Shown(refs(p), notes.cite(facts["carriers"][p.id])) for p in a.resolve("person", letter.carriers)]
        delivered_at = notes.cite(facts["delivered_at"][None]) if letter.delivered_at else None
        text_cited = notes.cite(facts["text_status"][None])
        known_from = ((KNOWN_FROM[letter.known_from.value], notes.cite(facts["known_from"][None]))
                      if letter.known_from else None)
        batch = batch_letters = None
        if letter.batch:
            group = a.get("batch", letter.batch)
            batch = Shown(refs(group), notes.cite(facts["batch"][group.id]))
            batch_letters = [refs(o) for o in a.referring(group, Letter, "batch") if o.id != letter.id]
        replies_to = None
        if letter.replies_to:
            answered = a.get("letter", letter.replies_to)
            replies_to = Shown(refs(answered), notes.cite(facts["replies_to"][answered.id]))
        thread = a.thread(letter)
        summits = []
        for link in letter.summits:
            summit = a.get("summit", link.summit)
            relation = link.relation.value
            summits.append((Shown(refs(summit), notes.cite(facts["summits"][summit.id])),
                            SUMMIT_RELATIONS[relation] if relation != "mentions" else None))
        topics = [Shown(refs(t), notes.cite(facts["topics"][t.id])) for t in a.resolve("topic", letter.topics)]
        reported = reporting_sentences(letter, a)
        articles = a.referring(letter, Article, "letters")
        return LetterPage(
            path=addresses.page(letter), template="letter.md.j2", letter=letter,
            sender=holder_sender, recipients=recipients, dates=shown_dates, carriers=carriers,
            delivered_at=delivered_at, text_status=TEXT_STATUS[letter.text_status.value], text_cited=text_cited,
            known_from=known_from, batch=batch, batch_letters=batch_letters or [],
            replies_to=replies_to, replies=refs.all(a.referring(letter, Letter, "replies_to")),
            thread=refs.all(thread) if len(thread) > 2 else None,
            exchanges=[(other.name, addresses.pair(tuple(sorted((letter.sender, other.id)))))  # type: ignore[arg-type]
                       for other in a.resolve("person", letter.recipients)],
            quotes=[(q.text, refs(a.get("person", q.recipient)) if q.recipient else None,
                     refs(a.get("article", q.article))) for q in letter.quotes],
            summits=summits, topics=topics,
            reported_in=[(refs(article), reported[article.id][:3]) for article in articles],
            notes=notes.notes,
        )

    def summit(self, summit: Summit) -> SummitPage:
        a, refs = self.archive, self.refs
        facts = summit_facts(summit, a)
        notes = Notes(refs)
        shown_date = self._claims(notes, summit.date) if summit.date else None
        place = notes.cite(facts["place"][None]) if summit.place else None
        status = notes.cite(facts["status"][None])
        history = [(r.status.value.capitalize(), notes.cite(claim_basis(a, r)),
                    dates.label(r.as_of) if r.as_of else None) for r in summit.history]
        part_of = [Shown(refs(p), notes.cite(facts["part_of"][p.id])) for p in a.resolve("summit", summit.part_of)]
        when = date_of(summit)
        attendees = [self._holder(notes, p, facts["attendees"][p.id], when)
                     for p in a.resolve("person", summit.attendees)]
        topics = [Shown(refs(t), notes.cite(facts["topics"][t.id])) for t in a.resolve("topic", summit.topics)]
        return SummitPage(
            path=addresses.page(summit), template="summit.md.j2", summit=summit,
            date=shown_date, place=place, status=status,
            status_as_of=dates.label(summit.status_as_of) if summit.status_as_of else None,
            history=history, part_of=part_of, attendees=attendees,
            meetings=refs.all(a.referring(summit, Summit, "part_of")),
            letters=refs.all(a.referring(summit, Letter, "summits")), topics=topics,
            articles=refs.all(a.referring(summit, Article, "summits")),
            mentioned=self._mentioned(summit), notes=notes.notes,
        )

    def person(self, person: Person) -> PersonPage:
        a, refs = self.archive, self.refs
        notes = Notes(refs)
        offices = []
        for office in person.offices:
            span = (f"{date_label(office.start)} – {date_label(office.end)}" if office.end
                    else f"since {date_label(office.start)}")
            other_role = office.role.value if office.role and office.role != person.role else None
            offices.append((office, notes.cite(claim_basis(a, office)), span, other_role))
        exchanged = []  # (direction, the other party or parties, letter), in date order
        for letter in a.letters_of(person):
            if letter.sender == person.id:
                exchanged.append(("sent to", refs.all(a.resolve("person", letter.recipients)), refs(letter)))
            else:
                exchanged.append(("received from", [refs(a.get("person", letter.sender))], refs(letter)))
        page = addresses.page(person)
        graph = self.who_wrote_to_whom
        drawing = layout(graph.ego(person.id), lambda p: addresses.html(addresses.page(p), page),
                         centre=person.id, title=f"Who {person.name} exchanged letters with") if graph.pairs else None
        return PersonPage(
            path=page, template="person.md.j2", person=person, offices=offices, network=drawing,
            correspondence=exchanged, carried=refs.all(a.referring(person, Letter, "carriers")),
            summits=refs.all(a.referring(person, Summit, "attendees")),
            articles=refs.all(a.referring(person, Article, "people")),
            mentioned=self._mentioned(person), notes=notes.notes,
        )

    def batch(self, batch: Batch) -> BatchPage:
        a, refs = self.archive, self.refs
        letters = [(refs(letter), refs.all(a.resolve("person", letter.recipients)))
                   for letter in a.referring(batch, Letter, "batch")]
        return BatchPage(path=addresses.page(batch), template="batch.md.j2", batch=batch,
                         sender=refs(a.get("person", batch.sender)), letters=letters)

    def topic(self, topic: Topic) -> TopicPage:
        a, refs = self.archive, self.refs
        return TopicPage(
            path=addresses.page(topic), template="topic.md.j2", topic=topic,
            letters=refs.all(a.referring(topic, Letter)), summits=refs.all(a.referring(topic, Summit)),
            articles=refs.all(a.referring(topic, Article)), mentioned=self._mentioned(topic),
        )

    def article(self, article: Article) -> ArticlePage:
        a, refs = self.archive, self.refs
        related = {
            other.id: other for thing in a.resolve("letter", article.letters) + a.resolve("summit", article.summits)
            for other in a.referring(thing, Article, "letters", "summits") if other.id != article.id
        }.values()
        page = addresses.page(article)
        assert a.names is not None  # attached by the link stage
        body = link_first_mentions(article, a.names, a.kinds_of,
                                   lambda k: addresses.relative(addresses.page(a.records[k]), page))
        notes = Notes(refs)
        published = self._claims(notes, article.published, quiet_notes=True) if article.published else None
        return ArticlePage(
            path=page, template="article.md.j2", article=article, body=body,
            outlet=refs(a.get("outlet", article.outlet)), via=refs.all(a.resolve("outlet", article.via)),
            published=published,
            letters=refs.all(a.resolve("letter", article.letters)),
            people=refs.all(a.resolve("person", article.people)),
            summits=refs.all(a.resolve("summit", article.summits)),
            topics=refs.all(a.resolve("topic", article.topics)),
            related=refs.all(sorted(related, key=sort_key, reverse=True)[:RELATED_LIMIT]),
            notes=notes.notes,
        )

    def outlet(self, outlet: Outlet) -> OutletPage:
        a, refs = self.archive, self.refs
        return OutletPage(path=addresses.page(outlet), template="outlet.md.j2", outlet=outlet,
                          published=refs.all(a.referring(outlet, Article, "outlet")),
                          cited_by=refs.all(a.referring(outlet, Article, "via")))

    # Correspondence between two people -------------------------------------------------

    def pairs(self) -> list[PairPage]:
        a, refs = self.archive, self.refs
        out = []
        for ids, letters in a.pairs().items():
            first, second = a.resolve("person", ids)
            in_pair = {letter.id: letter for letter in letters}
            rows, previous = [], None
            for letter in letters:
                to = second if letter.sender == first.id else first
                gap = None
                if previous is not None:
                    years = dates.bounds(date_of(letter))[0].year - dates.bounds(date_of(previous))[1].year
                    gap = f"{years} years" if years > GAP_YEARS else None
                answers = in_pair.get(letter.replies_to) if letter.replies_to else None
                rows.append(PairRow(
                    letter=refs(letter), sender=refs(a.get("person", letter.sender)), to=refs(to), gap=gap,
                    answers=refs(answers) if answers else None,
                    answers_outside=bool(letter.replies_to) and letter.replies_to not in in_pair,
                    answered_by=[refs(r) for r in letters if r.replies_to == letter.id],
                ))
                previous = letter
            out.append(PairPage(
                path=addresses.pair(ids), template="correspondence.md.j2", title=f"{first.name} and {second.name}",
                first=refs(first), second=refs(second), rows=rows, count=len(letters),
                first_when=refs(letters[0]).when, last_when=refs(letters[-1]).when,
            ))
        return out

    # Listings ---------------------------------------------------------------------------

    def timeline(self) -> TimelinePage:
        a, refs = self.archive, self.refs
        # Records with no date at all (a meeting not yet fixed, an undated article) have no place in time.
        entries = [r for model in (Letter, Summit, Article) for r in a.all(model) if date_of(r)]
        entries.sort(key=lambda r: (dates.sort_key(date_of(r)), r.kind, r.id))
        # year -> section -> records; a date whose year no one knows goes to a last section.
        by_year: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        unknown = []
        for record in entries:
            row = (refs(record), KIND_LABEL[record.kind])
            placed = _timeline_section(date_of(record))  # type: ignore[arg-type]
            if placed is None:
                unknown.append(row)
            else:
                by_year[placed[0]][placed[1]].append(row)
        years = [(year, [(_section_heading(year, section), rows) for section, rows in sorted(sections.items())])
                 for year, sections in sorted(by_year.items())]
        return TimelinePage(path=addresses.TIMELINE, template="timeline.md.j2", years=years, unknown=unknown)

    def listings(self) -> Iterator[Page]:
        a, refs = self.archive, self.refs
        page = addresses.HOME
        graph = self.who_wrote_to_whom
        letters = a.all(Letter)
        yield HomePage(
            path=page, template="index.md.j2",
            counts={"letters": len(letters), "leaders": len(a.leaders), "summits": len(a.all(Summit)),
                    "articles": len(a.all(Article))},
            years=sorted({year for m in (Letter, Summit, Article) for r in a.all(m)
                          if (when := date_of(r)) and (year := dates.year(when)) is not None}),
            network=layout(graph, lambda p: addresses.html(addresses.page(p), page)) if graph.pairs else None,
            letters=[(refs(letter), refs(a.get("person", letter.sender)),
                      refs.all(a.resolve("person", letter.recipients))) for letter in letters],
        )
        rows = self._letter_rows(addresses.LETTERS)
        yield LettersIndex(path=addresses.LETTERS, template="letters.md.j2", rows=rows, choices=_letter_choices(rows))
        leaders = sorted(a.leaders, key=_by_name)
        yield Listing(addresses.LEADERS, "leaders.md.j2", [(refs(p), len(a.letters_of(p))) for p in leaders])
        leader_ids = {p.id for p in leaders}
        yield Listing(addresses.PEOPLE, "people.md.j2",
                      refs.all(sorted((p for p in a.people if p.id not in leader_ids), key=_by_name)))
        yield Listing(addresses.SUMMITS, "summits.md.j2", refs.all(a.all(Summit)))
        yield Listing(addresses.TOPICS, "topics.md.j2", refs.all(sorted(a.all(Topic), key=_by_name)))
        yield Listing(addresses.ARTICLES, "articles.md.j2",
                      [(refs(article), refs(a.get("outlet", article.outlet))) for article in a.all(Article)])
        yield Listing(addresses.OUTLETS, "outlets.md.j2", refs.all(sorted(a.all(Outlet), key=_by_name)))

    def _letter_rows(self, page: str) -> list[LetterRow]:
        a = self.archive
        rows = []
        for letter in a.all(Letter):
            when = date_of(letter)
            sender = a.get("person", letter.sender)
            rows.append(LetterRow(
                letter=letter, href=addresses.html(addresses.page(letter), page), date=date_label(when),
                sort=dates.sort_key(when)[0].isoformat(), year=dates.year(when),  # type: ignore[arg-type]
                sender=sender, sender_href=addresses.html(addresses.page(sender), page),
                recipients=[(p, addresses.html(addresses.page(p), page))
                            for p in a.resolve("person", letter.recipients)],
                topics=a.resolve("topic", letter.topics), status=TEXT_STATUS[letter.text_status.value],
            ))
        return rows

    def views(self) -> Views:
        a = self.archive
        views = Views()
        per_record = {Letter: self.letter, Batch: self.batch, Person: self.person, Summit: self.summit,
                      Topic: self.topic, Article: self.article, Outlet: self.outlet}
        for model, derive_page in per_record.items():
            for record in a.all(model):
                views.add(derive_page(record))  # type: ignore[operator]
        views.add(self.timeline())
        for listing in self.listings():
            views.add(listing)
        pairs = self.pairs()
        views.add(Listing(addresses.CORRESPONDENCE, "correspondences.md.j2", pairs))
        for pair_page in pairs:
            views.add(pair_page)
        return views


def _by_name(record: Record) -> str:
    return title_of(record).casefold()


def _letter_choices(rows: list[LetterRow]) -> dict[str, list[tuple[Any, Any]]]:
    """The options of each filter: only values some letter has, names in alphabetical order."""
    senders = {row.sender.id: row.sender for row in rows}
    recipients = {p.id: p for row in rows for p, _ in row.recipients}
    topics = {t.id: t for row in rows for t in row.topics}
    statuses = {row.letter.text_status.value for row in rows}
    return {  # each a list of (value, text)
        "senders": [(p.id, p.name) for p in sorted(senders.values(), key=_by_name)],
        "recipients": [(p.id, p.name) for p in sorted(recipients.values(), key=_by_name)],
        "years": [(year, year) for year in sorted({row.year for row in rows if row.year is not None})],
        "topics": [(t.id, t.name) for t in sorted(topics.values(), key=_by_name)],
        "statuses": [(value, label) for value, label in TEXT_STATUS.items() if value in statuses],
    }


# Sections of a year on the timeline, in the order shown, 1-12 being its months: what ends in
# the year (begun before it, or no one says when), the year's own dates, what goes on past it.
ENDING, SOME_MONTH, BEGINNING = -2, -1, 13


def _timeline_section(when: str) -> tuple[int, int] | None:
    """(year, section) of a date on the timeline; None when no year is known."""
    first, last = dates.span(when)
    if first and last:
        # Within a month's span it has a month (a summit of 30 Nov-1 Dec is November's);
        # a year, or "between January and July", does not.
        if (last - first).days <= 31:
            return first.year, first.month
        return first.year, SOME_MONTH if first.year == last.year else BEGINNING
    if first:  # open or unknown end: "from 24 June 1986"
        return first.year, BEGINNING
    if last:  # open or unknown start: "until 1985", "1985 or earlier"
        return last.year, ENDING
    return None


def _section_heading(year: int, section: int) -> str:
    if section == ENDING:
        return f"Ending in {year}"
    if section == BEGINNING:
        return f"Beginning in {year}"
    if section == SOME_MONTH:
        return f"{year}, month not known"
    return f"{dates.MONTHS[section - 1]} {year}"


def derive(archive: Archive) -> Views:
    return Deriver(archive).views()
