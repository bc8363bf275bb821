"""The views: what every page shows, as the derive stage works it out (derive.py) and
the outputs read it (render, exports, search, feed). Types only: nothing here derives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .history import History
from .chronology import Picture
from .network import Drawing
from .world_map import PlaceMap
from ..model.schema import Article, Batch, Letter, Office, Outlet, Person, Place, Record, Summit, Topic


# Building blocks -------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A record as another page shows it: its page, its name and its date."""

    record: Record  # the record itself, for the fields a template shows (a summit's form, a letter's status)
    path: str
    title: str
    when: str  # the reader's date label; "undated" when it has none
    place: str | None = None  # where a summit was or is to be held, by name


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


@dataclass(frozen=True)
class Claim:
    """One dated claim as shown: its label, the sources' words for it, how it was inferred, what it rests on."""

    label: str
    phrase: str | None
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
    office_note: str | None = None  # what the title alone does not say: 'acting'


@dataclass(frozen=True)
class Version:
    """A letter's words as one article quotes them: who gives them, whose copy they are from."""

    words: str
    article: Ref
    according_to: Ref | None
    recipient: Ref | None


@dataclass(frozen=True)
class Event:
    """What became of a letter, or an answer to it, as its page says it: what, who, when, and its basis."""

    what: str  # "handed", "returned", "a phone call"
    to: Ref | None  # to whom it was handed or returned
    by: Ref | None  # who did it, unless the event before says (the one it was handed to returns it)
    summit: Ref | None  # the meeting an answer was
    when: str | None  # "on 29 October 1962", "the next day"
    note: str | None
    cited: Cited


@dataclass(frozen=True)
class Mentioned:
    """An article whose text names a record, with its sentences that do."""

    article: Ref
    sentences: list[str]


# Page views --------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """How a researcher cites a page (cite.py): its permalink, and the forms their tools take."""

    title: str
    permalink: str
    modified: dt.date | None  # when the record was last revised
    chicago: str
    bibtex: str
    csl_json: str


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    # A record's file's first and latest commit (not `history`: a summit's status history has that name).
    record_history: History | None = field(default=None, kw_only=True)
    # Worked out last, from the rest of the view (derive.described); templates print them as they are.
    permalink: str = field(default="", kw_only=True)  # under site_url; else from the site's root
    jsonld: str = field(default="", kw_only=True)  # its schema.org description, as front matter
    citation: Citation | None = field(default=None, kw_only=True)  # "Cite this page", with its permalink


@dataclass(frozen=True)
class LetterPage(Page):
    letter: Letter
    sender: Holder
    recipients: list[Holder]
    dates: list[tuple[str, list[Claim]]]  # (label of the kind of date, its claims)
    carriers: list[Shown]
    delivered_at: Shown | None
    fate: list[Event]  # in the order the record gives them
    text_status: str
    text_cited: Cited
    known_from: tuple[str, Cited] | None
    batch: Shown | None
    batch_letters: list[Ref]
    replies_to: Shown | None
    replies: list[Ref]  # letters of the archive that answer it, from their replies_to
    answers: list[Event]  # its other answers: calls, meetings, statements, answers of unknown form
    thread: list[Ref] | None  # only when longer than a letter and its reply
    exchanges: list[tuple[str, str]]  # (the other correspondent's name, their pair's page)
    quotes: list[list[Version]]  # each passage quoted, with its versions as the sources give them
    summits: list[tuple[Shown, str | None]]  # (summit, how the letter relates to it, unless it merely mentions it)
    topics: list[Shown]
    reported_in: list[tuple[Ref, list[str]]]
    notes: list[Note]


@dataclass(frozen=True)
class SummitPage(Page):
    summit: Summit
    date: list[Claim] | None
    place: Shown | None
    status: Cited
    status_as_of: str | None
    history: list[tuple[str, Cited, str | None]]  # (status, basis, as of)
    part_of: list[Shown]
    attendees: list[Holder]
    meetings: list[Ref]
    letters: list[tuple[Ref, str | None]]  # (letter, how it relates to the summit, unless it merely mentions it)
    answers: list[Ref]  # letters this meeting answers
    topics: list[Shown]
    articles: list[Ref]
    mentioned: list[Mentioned]
    notes: list[Note]


@dataclass(frozen=True)
class PersonPage(Page):
    person: Person
    offices: list[tuple[Office, Cited, str, str | None]]  # (office, basis, its dates as shown, its role if other)
    authority: list[tuple[str, str]]  # (label, address) of its identifiers
    network: Drawing | None
    letters_over_time: Picture | None  # their letters on the timeline's picture
    correspondence: list[tuple[str, list[Ref], Ref]]  # (sent to / received from, the others, letter)
    carried: list[Ref]
    handled: list[Ref]  # letters whose fate names them: handed to or by them, returned, refused
    answered: list[Ref]  # letters they answered other than by a letter of the archive
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
class PlacePage(Page):
    place: Place
    authority: list[tuple[str, str]]  # (label, address) of its identifiers
    coordinates: tuple[str, Cited] | None  # latitude and longitude as shown, and their source
    map: PlaceMap | None  # its region, with the places near it
    letters: list[Ref]  # handed over here
    summits: list[Ref]  # held or to be held here
    notes: list[Note]


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
class Group:
    """One page of a long index: the records of a year, or the names under an initial."""

    key: str  # "2013", "a"; UNKNOWN_YEAR, OTHER_INITIAL
    label: str  # "2013", "A", "Year unknown"
    path: str
    count: int


@dataclass(frozen=True)
class HomePage(Page):
    """What is new and the ways in; nothing on it grows with the archive but the list of years."""

    counts: dict[str, int]
    years: list[Group]  # the timeline's years
    network: Drawing | None  # the most active correspondents only
    left_out: int  # correspondents not drawn
    letters: list[tuple[Ref, Ref, list[Ref]]]  # the latest letters, newest first: (letter, sender, recipients)


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
class Listing(Page):
    """A page of an index of one kind of record. The entry page (`group` None) lists the groups;
    each group's page shows its `rows`, as the template lays them out. No page holds every
    record, so none grows without limit as the archive does."""

    title: str
    groups: list[Group]
    group: Group | None = None
    rows: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class TimelineListing(Listing):
    """The timeline's entry page, or a year of it, with its picture of letters and meetings."""

    picture: Picture | None = None


@dataclass(frozen=True)
class LettersIndex(Listing):
    """A year of letters, filterable; the other years are links, kept as raw HTML for the filter script."""

    choices: dict[str, list[tuple[Any, Any]]] = field(default_factory=dict)
    links: list[tuple[Group, str]] = field(default_factory=list)  # every year, with its .html href
    index_href: str = ""  # the entry page's .html href


@dataclass(frozen=True)
class PlacesIndex(Listing):
    """The Places index's entry page, with every place on a map of the world."""

    map: PlaceMap | None = None


@dataclass
class Views:
    """Every page's view, by docs path, in the order pages are written."""

    pages: dict[str, Page] = field(default_factory=dict)

    def add(self, page: Page) -> None:
        if page.path in self.pages:
            raise ValueError(page.path)
        self.pages[page.path] = page
