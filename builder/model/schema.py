"""The archive's typed model: one pydantic model per kind of record.

Front matter names other records by id (``sender: vladimir-putin``); the link
stage (graph.py) resolves ids into objects against one registry. Every model
forbids unknown fields, so a typo is an error rather than silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from enum import Enum, StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, \
    model_validator
from pydantic.fields import FieldInfo

from . import dates
from .fields import FACT, DateKind, Fact, Maps, either

# An id is also a file name and a URL segment: lowercase ASCII words joined by
# single hyphens, so it is safe on every file system and needs no escaping.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(
            f"'{value}' is not a valid id; use lowercase letters a-z, digits and "
            "single hyphens, e.g. 'vladimir-putin'"
        )
    return value


# Ids that would collide with the site's own pages (each folder's index.md).
RESERVED_IDS = {"index"}


def _check_url(value: str) -> str:
    # Only web addresses: a 'javascript:' or 'data:' URL would run in the reader's browser.
    if not re.match(r"^https?://[^\s<>\"]+$", value):
        raise ValueError(f"'{value}' is not a web address; give the full address starting with https:// or http://")
    return value


def _check_date(value: str) -> str:
    # Raises DateError (a ValueError) saying what is wrong: not EDTF, a day that does
    # not exist, a year outside 1-9999, a range that ends before it starts.
    dates.parse(value)
    return value


def _date_to_text(value: object) -> object:
    # YAML reads 2013 as an int; the loader already keeps 2013-04-15 as text.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Id = Annotated[str, AfterValidator(_check_id)]
Url = Annotated[str, AfterValidator(_check_url)]


def _form(name: str, pattern: str, example: str, where: str) -> Callable[[str], str]:
    """A check of an authority file's identifier: its form only (the build is offline)."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"'{value}' is not a {name} identifier; give the identifier alone, e.g. "
                             f"'{example}' (from {where.format(example)})")
        return value

    return check


Wikidata = Annotated[str, AfterValidator(_form("Wikidata", r"Q[1-9][0-9]*", "Q7747", "https://www.wikidata.org/wiki/{}")),
                     Field(description="e.g. Q7747, from https://www.wikidata.org/wiki/Q7747")]
Viaf = Annotated[str, AfterValidator(_form("VIAF", r"[1-9][0-9]{0,21}", "76309325", "https://viaf.org/viaf/{}")),
                 Field(description="e.g. 76309325, from https://viaf.org/viaf/76309325")]
# The GND's forms: persons 1xxxxxxxx(X), older records xxxxxxx-X and 4xxxxxx-X.
Gnd = Annotated[str, AfterValidator(_form("GND", r"(?:1[0-9]{7}[0-9X]|[1-9][0-9]{0,7}-[0-9X])", "123026881",
                                          "https://d-nb.info/gnd/{}")),
                Field(description="e.g. 123026881, from https://d-nb.info/gnd/123026881")]
GeoNames = Annotated[str, AfterValidator(_form("GeoNames", r"[1-9][0-9]{0,9}", "524901", "https://www.geonames.org/{}")),
                     Field(description="e.g. 524901, from https://www.geonames.org/524901")]
Text = Annotated[str, Field(min_length=1)]
EdtfDate = Annotated[
    str,
    BeforeValidator(_date_to_text, json_schema_input_type=str | int),
    AfterValidator(_check_date),
    Field(description="An EDTF date: 2013-04-15, 2013-05, 2001, 2018-12-30~ (about), 2013-05-22? (probably), "
                      "2013-06-17/2013-06-18 (range), 1986-06-24/.. (from), [2001-01-20..2001-07-20] (some day "
                      "between), [..2001-07-20] (on or before), 1986-XX (month unknown), 198X (the 1980s), "
                      "XXXX (unknown), 2018-21 (spring)"),
]


class Kind(StrEnum):
    """The kinds of record: each value is the kind as written in ids, messages and `archive new`.

    A StrEnum, so a kind is also its string: it compares, hashes, formats and
    serialises as "person". Its folder and model are reachable from it.
    """

    article = "article"
    person = "person"
    letter = "letter"
    batch = "batch"
    summit = "summit"
    topic = "topic"
    outlet = "outlet"
    place = "place"

    @property
    def folder(self) -> str:
        """Where its records live: content/<folder>/<id>.md, and its pages' folder."""
        return _FOLDERS[self]

    @property
    def model(self) -> type[Record]:
        return _MODELS[self]

    @staticmethod
    def of_folder(folder: str) -> "Kind | None":
        """The kind whose records live in (and whose pages are written to) `folder`, if any."""
        return next((kind for kind, name in _FOLDERS.items() if name == folder), None)


_FOLDERS = {
    Kind.article: "articles", Kind.person: "people", Kind.letter: "letters", Kind.batch: "batches",
    Kind.summit: "summits", Kind.topic: "topics", Kind.outlet: "outlets", Kind.place: "places",
}

Key = tuple[Kind, str]  # (kind, id): one record of the archive


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# A fact from outside the archive's articles is the curator's addition: it says where it comes from,
# and pages set it apart in square brackets, as documentary editions do.
Curator = Annotated[
    str | None,
    Field(description="Set when this is the curator's addition from outside the archive's articles: "
                      "where it comes from, e.g. 'public record: the G8 met at Lough Erne on 17-18 June 2013'."),
]


class OutsideQuote(Model):
    """A passage in quotation marks in the curator's prose that no article of the archive contains."""

    text: Text = Field(description="The quoted words, exactly as they stand in the prose.")
    source: Text = Field(description="Where they come from: the document, its date and, if online, its address.")


class Citation(Model):
    """Where a fact comes from: an article of the archive and the words it uses."""

    article: Id
    quote: Text = Field(description="Words copied exactly from the article's text.")


class DateClaim(Model):
    """A date as known, at the precision the sources give, with how it was worked out."""

    date: EdtfDate
    phrase: str | None = Field(
        None, description="The sources' own words for the date where EDTF cannot say them: 'late October 2019', "
                          "'a few days later', 'the next day'. Pages show it, with the date's reading beside it.")
    note: str | None = Field(None, description="How the date was inferred from the sources.")
    sources: tuple[Citation, ...] = ()
    curator: Curator = None


def _claims(value: object) -> object:
    """Accept a bare date, one claim, or a list of claims (sources that disagree)."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [{"date": _date_to_text(value)}]
    if isinstance(value, dict):
        return [value]
    return value


# The first claim is the curator's reading; later ones are other sources' claims.
Claims = Annotated[
    tuple[DateClaim, ...],
    BeforeValidator(_claims, json_schema_input_type=str | int | DateClaim | list[DateClaim]),
    Field(min_length=1),
]


class Record(Model):
    """Fields every record has. ``body`` is the Markdown after the front matter."""

    kind: ClassVar[Kind]
    folder: ClassVar[str]  # the kind's folder, set for each model from its kind
    # Fields that hold ids, and the kind each id must name (checked by graph.py).
    references: ClassVar[dict[str, Kind]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.folder = cls.kind.folder

    id: Id
    body: str = ""
    quoted_elsewhere: tuple[OutsideQuote, ...] = Field(
        (), description="Quotations in this record's prose that come from outside the archive's articles, "
                        "with where they come from. Every other quotation must be in an article the record cites.")
    moved_from: tuple[Id, ...] = Field(
        (), description="The ids this record had before its file was renamed: their published pages "
                        "lead to this one (builder/outputs/redirects.py).")


class Role(str, Enum):
    leader = "leader"  # heads of state and government, and heads of world bodies
    official = "official"  # envoys, aides, spokespeople, ministers
    other = "other"


class Office(Model):
    title: Text = Field(description="e.g. 'President of Russia'")
    start: EdtfDate
    end: EdtfDate | None = Field(None, description="Leave out while the office is held.")
    role: Role | None = Field(None, description="The role this office gives, when it differs from the person's "
                                                "main role: an official who later leads, a leader who steps down.")
    note: str | None = Field(None, description="What the title alone does not say, shown beside it: 'acting', "
                                               "'as the Kremlin styles him'.")
    sources: tuple[Citation, ...] = ()
    curator: Curator = None


class PersonAuthority(Model):
    """Identifiers of a person in the authority files researchers use, as the curator found them."""

    wikidata: Wikidata | None = None
    viaf: Viaf | None = None
    gnd: Gnd | None = None


class PlaceAuthority(Model):
    """Identifiers of a place in the authority files researchers use, as the curator found them."""

    wikidata: Wikidata | None = None
    geonames: GeoNames | None = None


class Person(Record):
    kind = Kind.person
    references = {"distinct_from": Kind.person}

    name: Text
    aliases: tuple[Text, ...] = Field((), description="Other spellings and forms of address in the sources.")
    role: Role
    form: Literal["person", "body", "unnamed"] = Field(
        "person", description="person; body for a government, ministry or other institution that writes or "
                              "receives letters; unnamed for someone the sources do not name ('a Kremlin source').")
    country: str | None = None
    summary: str | None = None
    offices: tuple[Office, ...] = ()
    authority: PersonAuthority | None = Field(None, description="Wikidata, VIAF and GND identifiers, where known.")
    distinct_from: tuple[Id, ...] = Field(
        (), description="Records that share a name or alias with this one but are not the same: "
                        "the curator's decision that they are distinct.")

    def office_on(self, day: str) -> Office | None:
        """The office held on a (possibly partial) date, if the record says."""
        start_of_day = dates.anchor(day)  # its earliest known day; an open start, its end
        if start_of_day is None:
            return None  # no year known: no office can be named
        for office in self.offices:
            begins = dates.bounds(office.start)[0]  # an open or unknown side reaches as far as dates go
            ends = dates.bounds(office.end)[1] if office.end else None
            if begins <= start_of_day and (ends is None or start_of_day <= ends):
                return office
        return None

    def role_on(self, day: str | None) -> Role:
        """The role on a date: the office's own role where it gives one, else the person's."""
        office = self.office_on(day) if day else None
        return office.role if office and office.role else self.role


class TextStatus(str, Enum):
    published = "published"  # the full text is public
    excerpts = "excerpts"  # only passages have been quoted
    reported = "reported"  # known only from reports about it


# Every date known of a letter, by kind. Each kind is declared here alone (no docstring: it would show in the
# schemas); pages, checks, exports, JSON-LD, CMIF and the scaffold read DATE_KINDS. A new kind is its line
# here, then `archive schema` to write the schemas and CONTRIBUTING's field reference anew.
class LetterDates(Model):
    written: Annotated[Claims | None, DateKind(schema_org=Maps("dateCreated"), cmif=Maps("sent", stand_in=True))] \
        = Field(None, description="When it was written.")
    sent: Annotated[Claims | None, DateKind(schema_org=Maps("dateSent"), cmif=Maps("sent"))] = Field(
        None, description="When it was sent.")
    delivered: Annotated[Claims | None, DateKind(schema_org=Maps("dateReceived", stand_in=True, reached=True),
                                                 cmif=Maps("received", stand_in=True, reached=True))] = Field(
        None, description="When it was delivered.")
    received: Annotated[Claims | None, DateKind(schema_org=Maps("dateReceived"), cmif=Maps("received"))] = Field(
        None, description="When the recipient is reported to have received it.")
    read_aloud: Claims | None = Field(None, description="When it was read out in public.")
    announced: Claims | None = Field(None, description="When it was announced.")
    expected: Annotated[Claims | None, DateKind(past=False)] = Field(
        None, description="When it was expected, before it came.")

    @model_validator(mode="after")
    def _at_least_one(self) -> "LetterDates":
        if not self.items():
            raise ValueError(f"give at least one date: {either(list(DATE_KINDS))} "
                             "(a date can be 'XXXX' when nothing is known)")
        return self

    def items(self) -> list[tuple[str, tuple[DateClaim, ...]]]:
        """(kind of date, claims) for each kind the record gives, in the order above."""
        return [(name, claims) for name in type(self).model_fields if (claims := getattr(self, name))]

    def first(self, kinds: tuple[str, ...]) -> DateClaim | None:
        """The curator's reading of the first of `kinds` the record gives."""
        return next((claims[0] for name in kinds if (claims := getattr(self, name))), None)


def _date_kinds() -> dict[str, DateKind]:
    def declared(name: str, info: FieldInfo) -> DateKind:
        kind = next((m for m in info.metadata if isinstance(m, DateKind)), DateKind())
        return replace(kind, label=kind.label or name.replace("_", " ").capitalize())
    return {name: declared(name, info) for name, info in LetterDates.model_fields.items()}


DATE_KINDS: dict[str, DateKind] = _date_kinds()  # by field name, in the order LetterDates declares them


def mapped_to(vocabulary: Literal["schema_org", "cmif"]) -> dict[str, tuple[str, ...]]:
    """{property: the date kinds that fill it, by preference} for "schema_org" or "cmif", properties in the
    order of their first kind."""
    found: dict[str, list[tuple[bool, str]]] = {}
    for name, kind in DATE_KINDS.items():
        if maps := getattr(kind, vocabulary):
            found.setdefault(maps.property, []).append((maps.stand_in, name))
    return {prop: tuple(name for _, name in sorted(kinds, key=lambda k: k[0])) for prop, kinds in found.items()}


def mapped_dates(letter: "Letter", vocabulary: Literal["schema_org", "cmif"]) -> dict[str, "DateClaim | None"]:
    """{property: the curator's reading of the first kind of date that fills it} for a letter, claiming no
    more than its record: a delivery stands in for a receipt only while no fate says it went elsewhere."""
    found = {}
    for prop, kinds in mapped_to(vocabulary).items():
        usable = tuple(name for name in kinds if letter.reached_addressee
                       or not getattr(DATE_KINDS[name], vocabulary).reached)
        found[prop] = letter.dates.first(usable)
    return found


class Quote(Model):
    """A passage of the letter itself, as an article quotes it."""

    text: Text = Field(description="Words copied exactly from the article's text.")
    article: Id
    recipient: Id | None = Field(None, description="For a letter to many: whose copy this is.")
    according_to: Id | None = Field(
        None, description="Who gives these words, when the article has them from one side: a person's or body's "
                          "id from content/people/ (a government or office is a person with form: body).")
    passage: Id | None = Field(
        None, description="For words the sources give differently: a name of your choosing, e.g. 'apology', "
                          "that each version of the same passage shares, each with its according_to. The page "
                          "shows the passage once, its versions side by side.")


CURATOR_HELP = ("Facts that are the curator's additions from outside the archive's articles, each with where it "
                "comes from: 'recipients:george-w-bush': 'public record: Bush was President in 2001'.")
EVIDENCE_HELP = ("The article and exact words behind a fact: 'carriers' for the whole fact, 'topics:syria' for "
                 "one item of it. Facts left out are traced to the sentences of the reporting articles that name them.")


def _fact_key(kind: Kind) -> Callable[[str], str]:
    def check(value: str) -> str:
        facts = facts_of(kind.model)  # the model is declared below, by the time a record is read
        fact, _, item = value.partition(":")
        if fact not in facts or (item and not ID_PATTERN.match(item)):
            raise ValueError(f"'{value}' is not a fact that can be cited; use one of {', '.join(facts)}, "
                             "optionally with ':id' for one item, e.g. 'topics:syria'")
        return value
    return check


def facts_of(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model marked as facts shown with their source, in declaration order."""
    return tuple(name for name, info in model.model_fields.items() if any(isinstance(m, Fact) for m in info.metadata))


LetterFact = Annotated[str, AfterValidator(_fact_key(Kind.letter))]
SummitFact = Annotated[str, AfterValidator(_fact_key(Kind.summit))]
PlaceFact = Annotated[str, AfterValidator(_fact_key(Kind.place))]


class SummitRelation(str, Enum):
    prepares = "prepares"  # looks ahead to a summit already set
    proposes = "proposes"  # proposes a summit or meeting
    invites = "invites"  # invites a leader to a summit already planned
    sets_no_date = "sets-no-date"  # speaks of a meeting without fixing when
    cancels = "cancels"
    follows = "follows"  # written after it, about it
    mentions = "mentions"


def _summit_link(value: object) -> object:
    return {"summit": value} if isinstance(value, str) else value


class SummitLink(Model):
    """A summit a letter concerns, and how: `2013-06-g8-lough-erne` or `{summit: …, relation: proposes}`."""

    summit: Id
    relation: SummitRelation = SummitRelation.mentions


SummitLinkIn = Annotated[SummitLink, BeforeValidator(_summit_link, json_schema_input_type=str | SummitLink)]


class FateEvent(str, Enum):
    handed = "handed"  # handed to someone other than an addressee: an intermediary
    returned = "returned"  # given back, not accepted
    refused = "refused"  # not accepted
    unopened = "unopened"  # received but not opened


# Events after which the record no longer says an addressee received the letter: its delivery
# date then stands in for no date of receipt in the exports.
NOT_RECEIVED = frozenset({FateEvent.handed, FateEvent.returned, FateEvent.refused})


class Fate(Model):
    """What became of a letter once sent, beyond its delivery to an addressee, with what it rests on."""

    event: FateEvent = Field(description="handed (to someone other than an addressee: an intermediary), "
                                         "returned (given back, not accepted), refused, or unopened (received "
                                         "but not opened).")
    to: Id | None = Field(None, description="To whom it was handed or returned (a person's id).")
    by: Id | None = Field(None, description="Who handed, returned, refused or left it unopened (a person's id).")
    date: EdtfDate | None = Field(None, description="When, as an EDTF date; leave out when not known.")
    note: str | None = Field(None, description="More, as the sources put it: 'not accepted'.")
    sources: tuple[Citation, ...] = ()
    curator: Curator = None

    @model_validator(mode="after")
    def _handed_to_someone(self) -> "Fate":
        if self.event == FateEvent.handed and not self.to:
            raise ValueError("a letter handed over was handed to someone: give 'to:' (a person's id)")
        return self


class AnswerForm(str, Enum):
    letter = "letter"  # a letter the archive does not record (one it records says replies_to itself)
    call = "call"  # a phone call
    meeting = "meeting"  # a meeting: give its summit id
    statement = "statement"  # a public statement
    unknown = "unknown"  # the sources do not say how, e.g. an invitation declined


class Answer(Model):
    """An answer to a letter that is not a letter of the archive: a call, a meeting, a statement."""

    form: AnswerForm = Field(description="letter (one the archive does not record: a letter it records says "
                                         "replies_to itself), call, meeting, statement or unknown (the sources "
                                         "do not say how).")
    by: Id | None = Field(None, description="Who answered (a person's id).")
    summit: Id | None = Field(None, description="For a meeting: the summit or meeting it was (an id from "
                                                "content/summits/).")
    date: EdtfDate | None = Field(None, description="When, as an EDTF date; leave out when not known.")
    note: str | None = Field(None, description="What the answer said, as the sources put it: 'declined'.")
    sources: tuple[Citation, ...] = ()
    curator: Curator = None

    @model_validator(mode="after")
    def _summit_is_a_meeting(self) -> "Answer":
        if self.summit and self.form != AnswerForm.meeting:
            raise ValueError("only a meeting has a summit: set 'form: meeting', or leave out 'summit:'")
        return self


class KnownFrom(str, Enum):
    sender = "sender"  # only the sender's side has spoken of it
    recipient = "recipient"  # only the recipient's side
    both = "both"
    others = "others"  # neither side: leaks, unnamed sources, third parties


class Letter(Record):
    kind = Kind.letter
    references = {
        "sender": Kind.person, "recipients": Kind.person, "carriers": Kind.person,
        "replies_to": Kind.letter, "topics": Kind.topic, "summits": Kind.summit, "batch": Kind.batch,
        "delivered_at": Kind.place, "fate.to": Kind.person, "fate.by": Kind.person,
        "answered_by.by": Kind.person, "answered_by.summit": Kind.summit,
    }

    title: Text
    summary: str | None = None
    form: Literal["letter", "message", "greetings"] = "letter"
    sender: Annotated[Id, FACT]
    recipients: Annotated[tuple[Id, ...], FACT] = Field(min_length=1)
    dates: LetterDates
    carriers: Annotated[tuple[Id, ...], FACT] = Field((), description="Who carried or handed it over.")
    delivered_at: Annotated[Id | None, FACT] = Field(None, description="Where it was handed over: an id from "
                                                                         "content/places/.")
    delivered_note: str | None = Field(None, description="More on where, as the sources put it: "
                                                         "'passed to the White House'.")
    replies_to: Annotated[Id | None, FACT] = None
    batch: Annotated[Id | None, FACT] = Field(None, description="The batch this letter was sent in, e.g. one of many "
                                                                "New Year letters of the same days: an id from "
                                                                "content/batches/.")
    topics: Annotated[tuple[Id, ...], FACT] = ()
    summits: Annotated[tuple[SummitLinkIn, ...], FACT] = Field(
        (), description="Summits the letter concerns: an id, or {summit: id, relation: prepares|proposes|invites|"
                        "sets-no-date|cancels|follows|mentions}.")
    text_status: Annotated[TextStatus, FACT]
    known_from: Annotated[KnownFrom | None, FACT] = Field(
        None, description="Whose side vouches for the letter: sender, recipient, both, or others (leaks, unnamed "
                          "sources).")
    fate: tuple[Fate, ...] = Field(
        (), description="What became of it beyond its delivery to an addressee, in order: handed to an "
                        "intermediary, returned, refused, unopened; each with who, when and its sources.")
    answered_by: tuple[Answer, ...] = Field(
        (), description="Answers that are not letters of the archive (a call, a meeting, a statement, an answer "
                        "of unknown form), each with who, when and its sources. A letter of the archive that "
                        "answers this one says so in its own replies_to.")
    quotes: tuple[Quote, ...] = ()
    reported_by: tuple[Citation, ...] = Field(
        (), description="The sentences of a reporting article that speak of this letter, for its page's 'Reported "
                        "by': the article and words of each. Needed where the article reports other letters between "
                        "the same people and no date, carrier or words of this one's tell its sentences apart "
                        "(archive check says where); elsewhere the builder chooses them.")
    evidence: dict[LetterFact, tuple[Citation, ...]] = Field(default_factory=dict, description=EVIDENCE_HELP)
    curator: dict[LetterFact, Text] = Field(default_factory=dict, description=CURATOR_HELP)

    @property
    def date(self) -> DateClaim:
        """The date used to place the letter in time: the earliest kind known."""
        return self.dates.items()[0][1][0]

    @property
    def summit_ids(self) -> tuple[str, ...]:
        return tuple(link.summit for link in self.summits)

    @property
    def reached_addressee(self) -> bool:
        """False once the record says it was handed to someone else, returned or refused: no export
        may then take its delivery for its receipt."""
        return not any(event.event in NOT_RECEIVED for event in self.fate)


class SummitStatus(str, Enum):
    proposed = "proposed"  # suggested, not agreed
    planned = "planned"  # agreed, not yet held
    postponed = "postponed"
    cancelled = "cancelled"
    held = "held"


class StatusReport(Model):
    """A status the summit had at some time, as a source reported it."""

    status: SummitStatus
    as_of: EdtfDate | None = Field(None, description="When the status was so: usually the source's date.")
    note: str | None = None
    sources: tuple[Citation, ...] = ()
    curator: Curator = None


class Summit(Record):
    kind = Kind.summit
    references = {
        "attendees": Kind.person, "part_of": Kind.summit, "topics": Kind.topic, "distinct_from": Kind.summit,
        "place": Kind.place,
    }

    title: Text
    aliases: tuple[Text, ...] = Field((), description="How articles name it: 'Lough Erne', 'G8 summit'.")
    form: Literal["summit", "meeting", "visit", "commemoration"] = Field(
        "summit", description="summit (of many leaders), meeting (of a few), visit (one leader's to another's "
                              "country) or commemoration (a ceremony leaders attend, beside which they may meet).")
    place: Annotated[Id | None, FACT] = Field(
        None, description="Where it was or is to be held: an id from content/places/; "
                          "leave out when not known or not yet fixed, and say which in place_note.")
    place_note: str | None = Field(None, description="e.g. 'to be arranged', as the sources put it.")
    date: Claims | None = Field(None, description="Leave out when not known or not yet fixed; say which in date_note.")
    date_note: str | None = None
    status: Annotated[SummitStatus, FACT]
    status_as_of: EdtfDate | None = Field(None, description="When the status was last known to be so.")
    status_note: str | None = Field(None, description="What the status rests on, and as of when.")
    history: tuple[StatusReport, ...] = Field(
        (), description="Earlier statuses, oldest first, for a summit planned, then cancelled, then reinstated.")
    attendees: Annotated[tuple[Id, ...], FACT] = ()
    part_of: Annotated[Id | None, FACT] = Field(None, description="The summit this meeting was held or planned beside.")
    topics: Annotated[tuple[Id, ...], FACT] = ()
    summary: str | None = None
    evidence: dict[SummitFact, tuple[Citation, ...]] = Field(default_factory=dict, description=EVIDENCE_HELP)
    curator: dict[SummitFact, Text] = Field(default_factory=dict, description=CURATOR_HELP)
    distinct_from: tuple[Id, ...] = Field(
        (), description="Records that share a name or alias with this one but are not the same: "
                        "the curator's decision that they are distinct.")


class Batch(Record):
    """Letters sent together: many New Year letters of the same days, each to its own recipient."""

    kind = Kind.batch
    references = {"sender": Kind.person}

    title: Text
    sender: Id
    summary: str | None = None


class Topic(Record):
    kind = Kind.topic
    references = {"distinct_from": Kind.topic}

    name: Text
    aliases: tuple[Text, ...] = ()
    summary: str | None = None
    distinct_from: tuple[Id, ...] = Field(
        (), description="Records that share a name or alias with this one but are not the same: "
                        "the curator's decision that they are distinct.")


class Outlet(Record):
    kind = Kind.outlet

    name: Text
    aliases: tuple[Text, ...] = Field((), description="Other names it is known or cited by: 'RIA', 'Sputnik'.")
    form: Literal["newspaper", "magazine", "news agency", "broadcaster", "website", "blog", "government"] = Field(
        description="What it is, as its own pages or the sources show it: website for an outlet that publishes "
                    "online only; government for an office or ministry that publishes its statements.")
    country: str | None = None
    url: Url | None = None
    summary: str | None = None


def _named_degrees(value: object) -> object:
    # A bare pair is where longitude and latitude get swapped (GeoJSON and map sites disagree on the order).
    if isinstance(value, (list, tuple)):
        raise ValueError("give coordinates as two named fields, not a pair, so neither can be taken for the other: "
                         "longitude: (east-west, -180 to 180) and latitude: (north-south, -90 to 90), "
                         "e.g. Moscow's longitude: 37.6156 and latitude: 55.7522")
    return value


class Coordinates(Model):
    """Where a place is, in decimal degrees (WGS 84, as GeoNames gives them)."""

    # The range is checked below, to say which is which; the schema states it for editors.
    longitude: float = Field(description="East (+) or west (-) of Greenwich, -180 to 180: Moscow's is 37.6156.",
                             json_schema_extra={"minimum": -180, "maximum": 180})
    latitude: float = Field(description="North (+) or south (-) of the equator, -90 to 90: Moscow's is 55.7522.",
                            json_schema_extra={"minimum": -90, "maximum": 90})

    @field_validator("longitude")
    @classmethod
    def _east_west(cls, value: float) -> float:
        if not -180 <= value <= 180:
            raise ValueError(f"longitude {value:g} is off the globe: a longitude (east-west) runs from -180 to 180; "
                             "give it in decimal degrees, west negative, e.g. Moscow's 37.6156")
        return value

    @field_validator("latitude")
    @classmethod
    def _north_south(cls, value: float, info: ValidationInfo) -> float:
        if -90 <= value <= 90:
            return value
        longitude = info.data.get("longitude")
        if longitude is not None and -90 <= longitude <= 90 and -180 <= value <= 180:
            raise ValueError(f"latitude {value:g} is beyond ±90, so it can only be a longitude, and longitude "
                             f"{longitude:g} could be the latitude: the two look swapped. Longitude is east-west "
                             "(-180 to 180), latitude north-south (-90 to 90), e.g. Moscow's longitude: 37.6156, "
                             "latitude: 55.7522")
        raise ValueError(f"latitude {value:g} is off the globe: a latitude (north-south) runs from -90 to 90; "
                         "give it in decimal degrees, south negative, e.g. Moscow's 55.7522")


class Place(Record):
    """A place where letters were handed over or summits held: one record that pages and exports share."""

    kind = Kind.place
    references = {"distinct_from": Kind.place}

    name: Text = Field(description="As readers know it: 'Lough Erne', 'Washington'.")
    aliases: tuple[Text, ...] = Field((), description="Other names in the sources: 'Petersburg', 'Washington, D.C.'.")
    country: str | None = None
    summary: str | None = None
    authority: PlaceAuthority | None = Field(None, description="Wikidata and GeoNames identifiers, where known.")
    coordinates: Annotated[Coordinates | None, FACT, BeforeValidator(_named_degrees)] = Field(
        None, description="Where it is, for the maps: its longitude and latitude in decimal degrees; say where "
                          "they come from under curator: ('coordinates': 'GeoNames 524901').")
    evidence: dict[PlaceFact, tuple[Citation, ...]] = Field(default_factory=dict, description=EVIDENCE_HELP)
    curator: dict[PlaceFact, Text] = Field(default_factory=dict, description=CURATOR_HELP)
    distinct_from: tuple[Id, ...] = Field(
        (), description="Records that share a name or alias with this one but are not the same: "
                        "the curator's decision that they are distinct.")


class Article(Record):
    kind = Kind.article
    references = {
        "outlet": Kind.outlet, "via": Kind.outlet, "people": Kind.person,
        "letters": Kind.letter, "summits": Kind.summit, "topics": Kind.topic,
    }

    title: Text
    outlet: Id
    via: tuple[Id, ...] = Field((), description="Outlets or bodies the article cites as its own source.")
    byline: str | None = None
    published: Claims | None = Field(None, description="Leave out only when the page shows no date; say so in published_note.")
    published_note: str | None = None
    url: Url | None = None
    # News addresses die: when the page was copied, and a copy that outlives it. `archive check` warns without
    # either, unless retrieved_note says why neither is known.
    retrieved: EdtfDate | None = Field(None, description="When the curator copied the article from its page, e.g. 2026-11-23.")
    archived_url: Url | None = Field(None, description="An archived copy of the page, e.g. https://web.archive.org/web/2013/https://…")
    retrieved_note: str | None = Field(
        None, description="Where neither when the article was copied nor an archived copy is known: why, e.g. "
                          "'curated from a saved copy; when it was copied is not known'.")
    seed: str | None = Field(None, description="The source text this article was curated from.")
    curation: str | None = Field(None, description="What the curator removed or corrected, and why.")
    people: tuple[Id, ...] = ()
    letters: tuple[Id, ...] = ()
    summits: tuple[Id, ...] = ()
    topics: tuple[Id, ...] = ()
    @model_validator(mode="after")
    def _has_text(self) -> "Article":
        if not self.body.strip():
            raise ValueError("the article has no text; paste its journalism after the closing '---'")
        return self

    mentions: dict[str, Id | None] = Field(
        default_factory=dict,
        description="Names in the text and what they mean here: an id to link an ambiguous name, "
                    "or null to leave a name unlinked.",
    )


_MODELS: dict[Kind, type[Record]] = {
    model.kind: model for model in (Article, Person, Letter, Batch, Summit, Topic, Outlet, Place)
}
KINDS: tuple[type[Record], ...] = tuple(kind.model for kind in Kind)  # in Kind's order
KIND_BY_FOLDER: dict[str, type[Record]] = {model.folder: model for model in KINDS}
