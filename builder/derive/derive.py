"""Derive: what every page shows, worked out once from the linked Archive.

Between link and render. Each page gets a view: records resolved to records,
each with its page address and date label; the office each person held on the
letter's date; every fact with what it rests on and its footnote numbers,
numbered in the order the page shows them; threads, exchanges, backlinks.
Render only maps views to templates, and templates look nothing up. The data
exports read the same views, so a page and its data never disagree.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from ..model import addresses
from ..model import authority
from ..model import dates
from ..link.graph import Archive, claim_of, date_of, name_of, sort_key
from .history import Histories
from ..link.mentions import link_first_mentions
from .network import Correspondence, correspondence, layout
from . import chronology, world_map
from ..link.facts import Basis
from ..link.provenance import claim_basis
from . import linked_data
from .cite import citation
from .reads import ReadArchive, Recorder, Token, fields_of, incoming
from .views import (ArticlePage, BatchPage, Cited, Claim, Event, Group, Holder, HomePage, LetterPage, LetterRow,
                    LettersIndex, Listing, Mentioned, Note, OutletPage, Page, PairPage, PairRow, PersonPage, PlacePage,
                    PlacesIndex, Ref, Shown, SummitPage, TimelineListing, TopicPage, Version, Views)
from ..model.schema import (DATE_KINDS, Article, Batch, Coordinates, DateClaim, Kind, Letter, Outlet, Person, Place,
                            Record, Summit, Topic)

RELATED_LIMIT = 10  # the most recent; a big summit has hundreds of articles
HOME_LETTERS = 10  # the home page shows the latest letters, not all of them
PERSON_TIMELINE = 2  # the fewest letters a person's page draws over time: one mark alone says nothing
HOME_NETWORK = 25  # the most active correspondents the home page draws; each person's page draws their own
UNKNOWN_YEAR, OTHER_INITIAL = "unknown", "other"  # group keys beside years and the initials a-z
GAP_YEARS = 1  # a silence longer than this between two letters is marked on a pair's page
TEXT_STATUS = {
    "published": "Full text published",
    "excerpts": "Excerpts quoted in the press",
    "reported": "Known only from reports",
}
KIND_LABEL = {"letter": "Letter", "summit": "Summit or meeting", "article": "Article"}
SUMMIT_RELATIONS = {"prepares": "prepares it", "proposes": "proposes it", "invites": "invites to it",
                    "sets-no-date": "speaks of it, sets no date", "cancels": "cancels it", "follows": "follows it",
                    "mentions": "mentions it"}
FATE = {"handed": "handed", "returned": "returned", "refused": "refused", "unopened": "received but not opened"}
ANSWER_FORMS = {"letter": "a letter not in the archive", "call": "a phone call", "meeting": "a meeting",
                "statement": "a statement", "unknown": "an answer of unknown form"}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
KNOWN_FROM = {"sender": "Known only from the sender's side", "recipient": "Known only from the recipient's side",
              "both": "Confirmed by both sides", "others": "Known from neither side: from leaks or third parties"}


def date_label(value: str | None) -> str:
    return dates.label(value) if value else "undated"


def _after(value: str | None, before: str | None) -> str | None:
    """When an event happened, as it follows a verb: 'the next day' after the day before it."""
    if value is None:
        return None
    if before and _DAY.fullmatch(value) and _DAY.fullmatch(before):
        gap = (dt.date.fromisoformat(value) - dt.date.fromisoformat(before)).days
        if gap in (0, 1):
            return ("the same day", "the next day")[gap]
    return dates.on(value)


# Building blocks -------------------------------------------------------------------


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
    """Refs of records, made once each; each use noted as a read of the page being derived."""

    def __init__(self, archive: Archive, recorder: Recorder | None = None) -> None:
        self._made: dict[tuple[str, str], Ref] = {}
        self._archive = archive
        self._recorder = recorder

    def __call__(self, record: Record) -> Ref:
        key = (record.kind, record.id)
        place = self._archive.venue(record) if isinstance(record, Summit) else None
        if self._recorder is not None:
            self._recorder.note(key)
            if place:  # shown by name: a renamed place changes the page
                self._recorder.note((place.kind, place.id))
        if key not in self._made:
            self._made[key] = Ref(record, addresses.page(record), name_of(record), date_label(date_of(record)),
                                  place.name if place else None)
        return self._made[key]

    def all(self, records: Iterable[Record]) -> list[Ref]:
        return [self(r) for r in records]


# Deriving -----------------------------------------------------------------------------


class Deriver:
    """Works out every page's view from one linked Archive."""

    def __init__(self, archive: Archive, recorder: Recorder | None = None,
                 history: Histories | None = None, site_url: str | None = None):
        # With a recorder (incremental builds), every record a page reads is noted against it.
        self.recorder = recorder
        self.site_url = site_url  # mkdocs.yml's: permalinks in JSON-LD and citations are absolute under it
        self.history = history or {}  # (kind, id) -> its file's commits; empty outside git
        self.archive: Archive = ReadArchive(archive, recorder) if recorder else archive  # type: ignore[assignment]
        self.refs = Refs(archive, recorder)
        self._who_wrote_to_whom: Correspondence | None = None
        self._linked = archive  # unrecorded: what every page reads alike is noted where it is used
        self._on_the_map: list[tuple[Place, frozenset[str]]] | None = None
        self.reads: dict[str, set[Token]] = {}  # page -> what it read; a group's pages share one set
        self.groups: dict[str, list[str]] = {}  # "timeline", "letters", ..., "correspondence" -> their pages

    @property
    def who_wrote_to_whom(self) -> Correspondence:
        """Worked out once (and carried on while no letter or person changed): the home page and every
        correspondent's page draw part of it. Unrecorded: each notes what its part reads (_traced, home)."""
        if self._who_wrote_to_whom is None:
            a = self._linked
            self._who_wrote_to_whom = a.carried("who wrote to whom", (a.all(Letter), a.all(Person)),
                                                lambda: correspondence(a))
        return self._who_wrote_to_whom

    def on_the_map(self) -> list[tuple[Place, frozenset[str]]]:
        """Every place with coordinates and what happened there ("summit", "handover"), by name: worked out
        once, as the Places index and every place's page draw them; each use reads every place and what names it."""
        a = self._linked
        if self._on_the_map is None:
            self._on_the_map = [
                (p, frozenset(kind for kind, found in (("summit", a.referring(p, Summit, "place")),
                                                       ("handover", a.referring(p, Letter, "delivered_at"))) if found))
                for p in sorted(a.all(Place), key=_by_name) if p.coordinates is not None]
        if self.recorder is not None:
            self.recorder.note(("all", Kind.place))
            for place in a.all(Place):
                self.recorder.note(("in", (place.kind, place.id)))
        return self._on_the_map

    def _spots(self, page: str, here: Place | None = None) -> list[world_map.Spot]:
        """The places to draw on `page`, each linked relative to it but `here`, the page's own."""
        return [world_map.Spot(p, kinds, None if here and p.id == here.id else addresses.html(addresses.page(p), page))
                for p, kinds in self.on_the_map()]

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
            shown.append(Claim(dates.label(claim.date), claim.phrase, claim.note, cited))
        return shown

    def _passages(self, letter: Letter) -> list[list[Version]]:
        """Its quoted words, the versions of one passage together where the first of them stands."""
        refs = self.refs
        passages: dict[str | int, list[Version]] = {}
        for i, q in enumerate(self.archive.quotes_of(letter)):
            passages.setdefault(q.passage or i, []).append(Version(
                q.words, refs(q.article), refs(q.according_to) if q.according_to else None,
                refs(q.recipient) if q.recipient else None))
        return list(passages.values())

    def _holder(self, notes: Notes, person: Person, basis: Basis, when: str | None) -> Holder:
        cited = notes.cite(basis)
        office = person.office_on(when) if when else None
        office_cited = notes.cite(claim_basis(self.archive, office)) if office else None
        return Holder(self.refs(person), cited, office.title if office else None, office_cited,
                      office.note if office else None)

    def _fate(self, notes: Notes, letter: Letter) -> list[Event]:
        """Its fate in order; who did each thing is left unsaid when they were the one it was handed to."""
        a, refs = self.archive, self.refs
        shown: list[Event] = []
        holder = before = None
        for event in letter.fate:
            by = event.by if event.by != holder else None
            shown.append(Event(FATE[event.event.value], refs(a.person(event.to)) if event.to else None,
                               refs(a.person(by)) if by else None, None, _after(event.date, before), event.note,
                               notes.cite(claim_basis(a, event))))
            holder, before = event.to or event.by, event.date or before
        return shown

    def _answers(self, notes: Notes, letter: Letter) -> list[Event]:
        a, refs = self.archive, self.refs
        return [Event(ANSWER_FORMS[answer.form.value], None, refs(a.person(answer.by)) if answer.by else None,
                      refs(a.summit(answer.summit)) if answer.summit else None,
                      dates.on(answer.date) if answer.date else None, answer.note,
                      notes.cite(claim_basis(a, answer))) for answer in letter.answered_by]

    # Record pages --------------------------------------------------------------

    def letter(self, letter: Letter) -> LetterPage:
        a, refs = self.archive, self.refs
        facts = a.facts_of(letter)
        notes = Notes(refs)
        when = letter.date.date
        sender = a.sender(letter)
        holder_sender = self._holder(notes, sender, facts["sender"][sender.id], when)
        people = a.recipients(letter)
        recipients = [self._holder(notes, p, facts["recipients"][p.id], when) for p in people]
        shown_dates = [(DATE_KINDS[name].label, self._claims(notes, claims)) for name, claims in letter.dates.items()]
        carriers = [Shown(refs(p), notes.cite(facts["carriers"][p.id])) for p in a.carriers(letter)]
        place = a.delivered_at(letter)
        delivered_at = Shown(refs(place), notes.cite(facts["delivered_at"][None])) if place else None
        fate = self._fate(notes, letter)
        text_cited = notes.cite(facts["text_status"][None])
        known_from = ((KNOWN_FROM[letter.known_from.value], notes.cite(facts["known_from"][None]))
                      if letter.known_from else None)
        batch = batch_letters = None
        if (group := a.batch_of(letter)) is not None:
            batch = Shown(refs(group), notes.cite(facts["batch"][group.id]))
            batch_letters = [refs(o) for o in a.referring(group, Letter, "batch") if o.id != letter.id]
        replies_to = None
        if (answered := a.answered(letter)) is not None:
            replies_to = Shown(refs(answered), notes.cite(facts["replies_to"][answered.id]))
        answers = self._answers(notes, letter)
        thread = a.thread(letter)
        summits = []
        for summit, how in a.summits_of(letter):
            summits.append((Shown(refs(summit), notes.cite(facts["summits"][summit.id])),
                            SUMMIT_RELATIONS[how.value] if how.value != "mentions" else None))
        topics = [Shown(refs(t), notes.cite(facts["topics"][t.id])) for t in a.topics_of(letter)]
        reported = facts.reported
        articles = a.referring(letter, Article, "letters")
        return LetterPage(
            path=addresses.page(letter), template="letter.md.j2", letter=letter,
            sender=holder_sender, recipients=recipients, dates=shown_dates, carriers=carriers,
            delivered_at=delivered_at, fate=fate, text_status=TEXT_STATUS[letter.text_status.value],
            text_cited=text_cited,
            known_from=known_from, batch=batch, batch_letters=batch_letters or [],
            replies_to=replies_to, replies=refs.all(a.referring(letter, Letter, "replies_to")), answers=answers,
            thread=refs.all(thread) if len(thread) > 2 else None,
            exchanges=[(other.name, addresses.pair(_ordered(letter.sender, other.id))) for other in people],
            quotes=self._passages(letter),
            summits=summits, topics=topics,
            reported_in=[(refs(article), reported[article.id][:3]) for article in articles],
            notes=notes.notes,
        )

    def summit(self, summit: Summit) -> SummitPage:
        a, refs = self.archive, self.refs
        facts = a.facts_of(summit)
        notes = Notes(refs)
        shown_date = self._claims(notes, summit.date) if summit.date else None
        venue = a.venue(summit)
        place = Shown(refs(venue), notes.cite(facts["place"][None])) if venue else None
        status = notes.cite(facts["status"][None])
        history = [(r.status.value.capitalize(), notes.cite(claim_basis(a, r)),
                    dates.label(r.as_of) if r.as_of else None) for r in summit.history]
        beside = a.part_of(summit)
        part_of = [Shown(refs(beside), notes.cite(facts["part_of"][beside.id]))] if beside else []
        when = date_of(summit)
        attendees = [self._holder(notes, p, facts["attendees"][p.id], when)
                     for p in a.attendees(summit)]
        topics = [Shown(refs(t), notes.cite(facts["topics"][t.id])) for t in a.topics_of(summit)]
        return SummitPage(
            path=addresses.page(summit), template="summit.md.j2", summit=summit,
            date=shown_date, place=place, status=status,
            status_as_of=dates.label(summit.status_as_of) if summit.status_as_of else None,
            history=history, part_of=part_of, attendees=attendees,
            meetings=refs.all(a.referring(summit, Summit, "part_of")),
            letters=[(refs(letter), _relation(letter, summit)) for letter in a.referring(summit, Letter, "summits")],
            answers=refs.all(a.referring(summit, Letter, "answered_by.summit")), topics=topics,
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
        letters = a.letters_of(person)
        for letter in letters:
            if letter.sender == person.id:
                exchanged.append(("sent to", refs.all(a.recipients(letter)), refs(letter)))
            else:
                exchanged.append(("received from", [refs(a.sender(letter))], refs(letter)))
        page = addresses.page(person)
        graph = self.who_wrote_to_whom
        drawing = layout(graph.ego(person.id), lambda p: addresses.html(addresses.page(p), page),
                         centre=person.id, title=f"Who {person.name} exchanged letters with") if graph.pairs else None
        return PersonPage(
            path=page, template="person.md.j2", person=person, offices=offices, network=drawing,
            letters_over_time=self._letters_over_time(person, letters, page),
            authority=authority.links(person),
            correspondence=exchanged, carried=refs.all(a.referring(person, Letter, "carriers")),
            handled=refs.all(a.referring(person, Letter, "fate.to", "fate.by")),
            answered=refs.all(a.referring(person, Letter, "answered_by.by")),
            summits=refs.all(a.referring(person, Summit, "attendees")),
            articles=refs.all(a.referring(person, Article, "people")),
            mentioned=self._mentioned(person), notes=notes.notes,
        )

    def _letters_over_time(self, person: Person, letters: list[Letter], page: str) -> chronology.Picture | None:
        """A person's letters on the timeline's picture, each a link to where the timeline lists it."""
        entries = [_timeline_entry(self.refs(letter), when, *placed) for letter in letters
                   if (when := date_of(letter)) and (placed := _timeline_section(when))]
        if len(entries) < PERSON_TIMELINE:
            return None
        listed: dict[str, set[int]] = defaultdict(set)  # their letters' parts of the timeline, all of which exist
        for entry in entries:
            listed[str(entry.year)].add(entry.section)
        return chronology.draw(entries, _timeline_href(listed, page), id_="letters-over-time",
                               title=f"Letters of {person.name} over time")

    def batch(self, batch: Batch) -> BatchPage:
        a, refs = self.archive, self.refs
        letters = [(refs(letter), refs.all(a.recipients(letter)))
                   for letter in a.referring(batch, Letter, "batch")]
        return BatchPage(path=addresses.page(batch), template="batch.md.j2", batch=batch,
                         sender=refs(a.sender(batch)), letters=letters)

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
            other.id: other for thing in a.letters_in(article) + a.summits_in(article)
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
            outlet=refs(a.outlet_of(article)), via=refs.all(a.via(article)),
            published=published,
            letters=refs.all(a.letters_in(article)),
            people=refs.all(a.people_in(article)),
            summits=refs.all(a.summits_in(article)),
            topics=refs.all(a.topics_of(article)),
            related=refs.all(sorted(related, key=sort_key, reverse=True)[:RELATED_LIMIT]),
            notes=notes.notes,
        )

    def place(self, place: Place) -> PlacePage:
        a, refs = self.archive, self.refs
        page = addresses.page(place)
        notes = Notes(refs)
        coordinates = (_degrees(place.coordinates), notes.cite(a.facts_of(place)["coordinates"][None])) \
            if place.coordinates else None
        drawn = None
        if place.coordinates is not None:
            spots = self._spots(page, place)
            drawn = world_map.around(next(s for s in spots if s.href is None), [s for s in spots if s.href])
        return PlacePage(path=page, template="place.md.j2", place=place,
                         authority=authority.links(place), coordinates=coordinates, map=drawn,
                         letters=refs.all(a.referring(place, Letter, "delivered_at")),
                         summits=refs.all(a.referring(place, Summit, "place")), notes=notes.notes)

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
            first, second = a.many(Person, ids)
            in_pair = {letter.id: letter for letter in letters}
            rows, previous = [], None
            for letter in letters:
                to = second if letter.sender == first.id else first
                gap = None
                if previous is not None:
                    years = dates.bounds(letter.date.date)[0].year - dates.bounds(previous.date.date)[1].year
                    gap = f"{years} years" if years > GAP_YEARS else None
                answers = in_pair.get(letter.replies_to) if letter.replies_to else None
                rows.append(PairRow(
                    letter=refs(letter), sender=refs(a.sender(letter)), to=refs(to), gap=gap,
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

    def timeline(self) -> list[TimelineListing]:
        """The timeline's entry page and a page per year: what each year holds, by month, and its picture."""
        a, refs = self.archive, self.refs
        # Records with no date at all (a meeting not yet fixed, an undated article) have no place in time.
        records: list[Record] = [*a.all(Letter), *a.all(Summit), *a.all(Article)]
        entries = [(r, claim) for r in records if (claim := claim_of(r))]
        entries.sort(key=lambda entry: (dates.sort_key(entry[1].date), entry[0].kind, entry[0].id))
        # year -> section -> (record, kind, the sources' words for its date); a date whose year no one
        # knows goes to a page of its own.
        by_year: dict[str, dict[int, list[tuple[Ref, str, str | None]]]] = defaultdict(lambda: defaultdict(list))
        drawn: dict[str, list[chronology.Entry]] = defaultdict(list)  # year -> its letters and meetings
        for record, claim in entries:
            placed = _timeline_section(claim.date)
            key, section = (str(placed[0]), placed[1]) if placed else (UNKNOWN_YEAR, 0)
            by_year[key][section].append((refs(record), KIND_LABEL[record.kind], claim.phrase))
            if placed and isinstance(record, (Letter, Summit)):
                drawn[key].append(_timeline_entry(refs(record), claim.date, *placed))
        sections = {key: [(_section_heading(int(key), n) if key != UNKNOWN_YEAR else None,
                           _section_anchor(int(key), n) if key != UNKNOWN_YEAR else None, rows)
                          for n, rows in sorted(found.items())] for key, found in by_year.items()}
        counts = {key: sum(len(rows) for *_, rows in found) for key, found in sections.items()}
        listings = _split(addresses.TIMELINE, "timeline.md.j2", "Timeline",
                          [(key, section) for key, shown in sections.items() for section in shown], counts)
        out = []
        for listing in listings:
            year = listing.group.key if listing.group else None
            href = _timeline_href(by_year, listing.path)
            picture = (chronology.draw([e for found in drawn.values() for e in found], href) if year is None
                       else chronology.draw(drawn[year], href, own_year=int(year)) if year != UNKNOWN_YEAR else None)
            out.append(TimelineListing(**vars(listing), picture=picture))
        return out

    def listings(self) -> dict[str, Callable[[], Iterable[Page]]]:
        """The index pages in groups, each worked out (and redone) together: a group reads only what it lists."""
        a, refs = self.archive, self.refs
        return {
            "timeline": self._timeline_and_home, "letters": self.letters_index,
            "leaders": self._leaders, "people": self._people,
            "summits": lambda: _split(addresses.SUMMITS, "summits.md.j2", "Summits and meetings",
                                      [(_year_key(s), refs(s)) for s in a.all(Summit)]),
            "topics": lambda: _split(addresses.TOPICS, "topics.md.j2", "Topics",
                                     [(_initial(t.name), refs(t)) for t in sorted(a.all(Topic), key=_by_name)]),
            "articles": lambda: _split(addresses.ARTICLES, "articles.md.j2", "Articles",
                                       [(_year_key(r), (refs(r), refs(a.outlet_of(r)))) for r in a.all(Article)]),
            "outlets": lambda: _split(addresses.OUTLETS, "outlets.md.j2", "Outlets",
                                      [(_initial(o.name), refs(o)) for o in sorted(a.all(Outlet), key=_by_name)]),
            "places": self._places,
        }

    def _timeline_and_home(self) -> Iterator[Page]:
        """The timeline, and the home page, which lists its years."""
        timeline = self.timeline()
        yield from timeline
        yield self.home(timeline[0].groups)

    def _leaders(self) -> list[Listing]:
        a, refs = self.archive, self.refs
        return _split(addresses.LEADERS, "leaders.md.j2", "Leaders",
                      [(_initial(p.name), (refs(p), len(a.letters_of(p)))) for p in sorted(a.leaders, key=_by_name)])

    def _people(self) -> list[Listing]:
        """Everyone but the leaders, who have an index of their own."""
        a, refs = self.archive, self.refs
        leader_ids = {p.id for p in a.leaders}
        people = sorted((p for p in a.people if p.id not in leader_ids), key=_by_name)
        return _split(addresses.PEOPLE, "people.md.j2", "People", [(_initial(p.name), refs(p)) for p in people])

    def _places(self) -> Iterator[Page]:
        entry, *by_initial = _split(addresses.PLACES, "places.md.j2", "Places",
                                    [(_initial(p.name), self.refs(p)) for p in sorted(self.archive.all(Place),
                                                                                      key=_by_name)])
        spots = self._spots(addresses.PLACES)
        yield PlacesIndex(**vars(entry), map=world_map.world(spots) if spots else None)
        yield from by_initial

    def home(self, years: list[Group]) -> HomePage:
        a, refs = self.archive, self.refs
        page = addresses.HOME
        graph = self.who_wrote_to_whom
        drawn = graph.top(HOME_NETWORK)
        letters = a.all(Letter)
        dated = sorted((letter for letter in letters if date_of(letter)),
                       key=lambda letter: (dates.sort_key(letter.date.date), letter.id))
        return HomePage(
            path=page, template="index.md.j2",
            counts={"letters": len(letters), "leaders": len(a.leaders), "summits": len(a.all(Summit)),
                    "articles": len(a.all(Article))},
            years=[g for g in years if g.key != UNKNOWN_YEAR],
            network=layout(drawn, lambda p: addresses.html(addresses.page(p), page)) if drawn.pairs else None,
            left_out=len(graph.people) - len(drawn.people),
            letters=[(refs(letter), refs(a.sender(letter)),
                      refs.all(a.recipients(letter))) for letter in dated[::-1][:HOME_LETTERS]],
        )

    def letters_index(self) -> Iterator[LettersIndex]:
        """A page per year, each with the filterable table of its letters; the entry page lists the years."""
        by_year: dict[str, list[Letter]] = defaultdict(list)
        for letter in self.archive.all(Letter):
            by_year[_year_key(letter)].append(letter)
        entry, *years = _split(addresses.LETTERS, "letters.md.j2", "Letters", [(k, None) for k in by_year],
                               {key: len(found) for key, found in by_year.items()})
        yield LettersIndex(**vars(entry))
        for year in years:
            assert year.group is not None
            rows = self._letter_rows(by_year[year.group.key], year.path)
            yield LettersIndex(**{**vars(year), "rows": rows}, choices=_letter_choices(rows),
                               links=[(g, addresses.html(g.path, year.path)) for g in year.groups],
                               index_href=addresses.html(addresses.LETTERS, year.path))

    def correspondence(self, pairs: list[PairPage]) -> Iterator[Listing]:
        """Every pair's page, by the initial of the pair's name."""
        yield from _split(addresses.CORRESPONDENCE, "correspondences.md.j2", "Correspondence",
                          [(_initial(pair.title), pair) for pair in pairs])

    def _letter_rows(self, letters: list[Letter], page: str) -> list[LetterRow]:
        a = self.archive
        rows = []
        for letter in letters:
            when = letter.date.date
            sender = a.sender(letter)
            rows.append(LetterRow(
                letter=letter, href=addresses.html(addresses.page(letter), page), date=date_label(when),
                sort=dates.sort_key(when)[0].isoformat(), year=dates.year(when),
                sender=sender, sender_href=addresses.html(addresses.page(sender), page),
                recipients=[(p, addresses.html(addresses.page(p), page))
                            for p in a.recipients(letter)],
                topics=a.topics_of(letter), status=TEXT_STATUS[letter.text_status.value],
            ))
        return rows

    def records(self, wanted: Callable[[str], bool] | None = None) -> list[Record]:
        """The records whose pages are `wanted` (every one's without it), in the order pages are derived."""
        return [record for model in self._per_record for record in self.archive.all(model)
                if wanted is None or wanted(addresses.page(record))]

    def in_order(self, records: Iterable[Record]) -> list[Record]:
        """A few records in the order `records` gives them (each kind in turn, in its records' order),
        without asking every record."""
        models, order = list(self._per_record), self._linked.order or {}
        return sorted(records, key=lambda r: (models.index(type(r)), order.get((r.kind, r.id)) or (),
                                              addresses.page(r)))

    def views(self, wanted: Callable[[str], bool] | None = None, groups: Iterable[str] | None = None,
              records: bool = True) -> Views:
        """Every page's view. An incremental build asks for only the `wanted` record and pair
        pages, and only the `groups` of index pages (those of `listings`, "correspondence") to redo.
        Without `records`, none of the records' own pages: those a build makes on every core."""
        views = Views()
        want = wanted or (lambda path: True)
        listings = self.listings()
        redo = {*listings, "correspondence"} if groups is None else set(groups)
        for record in self.records(wanted) if records else ():
            views.add(self.page(record))
        for name, pages in listings.items():
            if name in redo:
                for listing in self._group(name, pages):
                    views.add(self._described(listing))
        if "correspondence" in redo:
            pairs: list[PairPage] = []

            def correspondence() -> Iterable[Page]:
                pairs.extend(self.pairs())
                return self.correspondence(pairs)

            for listing in self._group("correspondence", correspondence):
                views.add(self._described(listing))
            for pair_page in pairs:
                self.reads[pair_page.path] = _pair_reads(pair_page)
                if want(pair_page.path):
                    views.add(self._described(pair_page))
        return views

    @property
    def _per_record(self) -> dict[type[Record], Callable[[Any], Page]]:
        """Each kind's page, in the order pages are derived."""
        return {Letter: self.letter, Batch: self.batch, Person: self.person, Summit: self.summit,
                Topic: self.topic, Article: self.article, Outlet: self.outlet, Place: self.place}

    def page(self, record: Record) -> Page:
        """A record's page, as `views` makes it."""
        return self._described(self._dated(self._traced(self._per_record[type(record)], record), record))

    def _described(self, page: Page) -> Page:
        return described(page, self.site_url)

    def _dated(self, page: Page, record: Record) -> Page:
        """A record's page with when its record was added and last revised, where git knows."""
        found = self.history.get((record.kind, record.id))
        return replace(page, record_history=found) if found else page

    def _traced(self, derive_page: Callable[[Record], Page], record: Record) -> Page:
        """A record's page, noting what it read (with a recorder)."""
        if self.recorder is None:
            return derive_page(record)
        read: set[Token] = {(record.kind, record.id)}
        self.recorder.current = read
        try:
            page = derive_page(record)
            if isinstance(record, Person):  # their drawing: a part of the network, worked out once for all
                ego = self.who_wrote_to_whom.ego(record.id)
                read.add(("in", (record.kind, record.id)))
                read |= {(Person.kind, i) for i in ego.people}
                read |= {(Letter.kind, letter.id) for letters in ego.pairs.values() for letter in letters}
        finally:
            self.recorder.current = None
        self.reads[page.path] = read
        return page

    def _group(self, name: str, pages: Callable[[], Iterable[Page]]) -> list[Page]:
        """Index pages worked out together: they share what they read, and are redone together.
        They show records by their fields, never their text: what they read is noted so."""
        if self.recorder is None:
            return list(pages())
        read: set[Token] = set()
        self.recorder.current, self.recorder.fields_only = read, True
        try:
            found = list(pages())
        finally:
            self.recorder.current, self.recorder.fields_only = None, False
        self.groups[name] = [page.path for page in found]
        for page in found:
            self.reads[page.path] = read
        return found


def _pair_reads(page: PairPage) -> set[Token]:
    """A pair's page shows its two people and their letters by their fields; a new letter between them names both."""
    people = {(p.record.kind, p.record.id) for p in (page.first, page.second)}
    letters = {(row.letter.record.kind, row.letter.record.id) for row in page.rows}
    return {fields_of(key) for key in people | letters} | incoming(people)


def _relation(letter: Letter, summit: Summit) -> str | None:
    """How a letter relates to a summit, as its summit's page says it, unless it merely mentions it."""
    how = next(link.relation.value for link in letter.summits if link.summit == summit.id)
    return SUMMIT_RELATIONS[how] if how != "mentions" else None


def _degrees(at: Coordinates) -> str:
    """'55.7522° N, 37.6156° E': latitude first, as readers (and GeoNames' pages) give them, each named."""
    return (f"{abs(at.latitude):g}° {'N' if at.latitude >= 0 else 'S'}, "
            f"{abs(at.longitude):g}° {'E' if at.longitude >= 0 else 'W'}")


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _by_name(record: Record) -> str:
    return name_of(record).casefold()


def _year_key(record: Record) -> str:
    """The group of a dated index a record is listed under: its year, or UNKNOWN_YEAR."""
    year = dates.year(when) if (when := date_of(record)) else None
    return UNKNOWN_YEAR if year is None else str(year)


def _initial(name: str) -> str:
    """The group of a name index: its first letter without accents (É under E), or OTHER_INITIAL."""
    first = unicodedata.normalize("NFKD", name.strip())[:1].casefold()
    return first if len(first) == 1 and "a" <= first <= "z" else OTHER_INITIAL


def _group_order(key: str) -> tuple[int, int, str]:
    if key in (UNKNOWN_YEAR, OTHER_INITIAL):
        return (2, 0, key)
    return (0, int(key), key) if key.lstrip("-").isdigit() else (1, 0, key)


def _group_label(key: str) -> str:
    return {UNKNOWN_YEAR: "Year unknown", OTHER_INITIAL: "Other"}.get(key) or key.upper()


def _split(index: str, template: str, title: str, keyed: Iterable[tuple[str, Any]],
           counts: dict[str, int] | None = None) -> list[Listing]:
    """A long index as its entry page, listing the groups, then a page per group of its rows.

    Rows keep their order within a group; groups go in order, years and initials, the unknown last.
    `counts` replaces the number of rows as what each group is said to hold (a timeline year's sections).
    """
    by_key: dict[str, list[Any]] = defaultdict(list)
    for key, row in keyed:
        by_key[key].append(row)
    groups = [Group(key, _group_label(key), addresses.group(index, key),
                    counts[key] if counts is not None else len(by_key[key]))
              for key in sorted(by_key, key=_group_order)]
    return [Listing(index, template, title, groups)] + [
        Listing(g.path, template, f"{title}: {g.label}", groups, g, by_key[g.key]) for g in groups]


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


def _section_anchor(year: int, section: int) -> str:
    """The id of a section's heading: what Markdown's own slug of it would be, fixed here for the picture's links."""
    return _section_heading(year, section).casefold().replace(",", "").replace(" ", "-")


def _timeline_entry(ref: Ref, when: str, year: int, section: int) -> chronology.Entry:
    lo, hi = dates.span(when)
    return chronology.Entry(ref.record.kind, ref.title, ref.when, lo, hi, year, section,
                            _section_heading(year, section))


def _timeline_href(listed: Mapping[str, Collection[int]], page: str) -> chronology.Href:
    """Links from `page` to the parts of the timeline that exist: a year's page, or a section of it."""
    def href(year: int, section: int | None) -> str | None:
        key = str(year)
        if key not in listed or (section is not None and section not in listed[key]):
            return None
        path = addresses.group(addresses.TIMELINE, key)
        if section is None:
            return None if path == page else addresses.html(path, page)
        return (addresses.html(path, page) if path != page else "") + "#" + _section_anchor(year, section)
    return href


def _section_heading(year: int, section: int) -> str:
    if section == ENDING:
        return f"Ending in {year}"
    if section == BEGINNING:
        return f"Beginning in {year}"
    if section == SOME_MONTH:
        return f"{year}, month not known"
    return f"{dates.MONTHS[section - 1]} {year}"


def described(page: Page, site_url: str | None = None) -> Page:
    """A page's view with its permalink, JSON-LD and citation, worked out from the rest of it: what they show
    the view holds, so the page's reads (reads.py) are theirs too."""
    return replace(page, permalink=linked_data.permalink(page.path, site_url),
                   jsonld=linked_data.front_matter(linked_data.describe(page, site_url)),
                   citation=citation(page, site_url))


def derive(archive: Archive, history: Histories | None = None, site_url: str | None = None) -> Views:
    return Deriver(archive, history=history, site_url=site_url).views()
