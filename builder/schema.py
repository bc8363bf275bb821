"""The archive's typed model: one pydantic model per kind of record.

Front matter names other records by id (``sender: vladimir-putin``); the link
stage (graph.py) resolves ids into objects against one registry. Every model
forbids unknown fields, so a typo is an error rather than silently ignored.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from . import dates

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
    dates.parse(value)  # raises DateError (a ValueError) with the reason
    return value


def _date_to_text(value: object) -> object:
    # YAML reads 2013 as an int; the loader already keeps 2013-04-15 as text.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Id = Annotated[str, AfterValidator(_check_id)]
Url = Annotated[str, AfterValidator(_check_url)]
Text = Annotated[str, Field(min_length=1)]
EdtfDate = Annotated[
    str,
    BeforeValidator(_date_to_text, json_schema_input_type=str | int),
    AfterValidator(_check_date),
    Field(description="An EDTF date: 2013-04-15, 2013-05, 2001, 2018-12-30~ (about), 2013-06-17/2013-06-18 (range)"),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Citation(Model):
    """Where a fact comes from: an article of the archive and the words it uses."""

    article: Id
    quote: Text = Field(description="Words copied exactly from the article's text.")


class DateClaim(Model):
    """A date as known, at the precision the sources give, with how it was worked out."""

    date: EdtfDate = Field(description="EDTF: 2013-04-15, 2013-05, 2001, 2018-12-30~, 2013-06-17/2013-06-18")
    note: str | None = Field(None, description="How the date was inferred from the sources.")
    sources: tuple[Citation, ...] = ()


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

    kind: ClassVar[str]
    folder: ClassVar[str]
    # Fields that hold ids, and the kind each id must name (checked by graph.py).
    references: ClassVar[dict[str, str]] = {}

    id: Id
    body: str = ""


class Office(Model):
    title: Text = Field(description="e.g. 'President of Russia'")
    start: EdtfDate
    end: EdtfDate | None = Field(None, description="Leave out while the office is held.")


class Role(str, Enum):
    leader = "leader"  # heads of state and government, and heads of world bodies
    official = "official"  # envoys, aides, spokespeople, ministers
    other = "other"


class Person(Record):
    kind = "person"
    folder = "people"

    name: Text
    aliases: tuple[Text, ...] = Field((), description="Other spellings and forms of address in the sources.")
    role: Role
    country: str | None = None
    summary: str | None = None
    offices: tuple[Office, ...] = ()

    def office_on(self, day: str) -> Office | None:
        """The office held on a (possibly partial) date, if the record says."""
        start_of_day = dates.bounds(day)[0]
        for office in self.offices:
            begins = dates.bounds(office.start)[0]
            ends = dates.bounds(office.end)[1] if office.end else None
            if begins <= start_of_day and (ends is None or start_of_day <= ends):
                return office
        return None


class TextStatus(str, Enum):
    published = "published"  # the full text is public
    excerpts = "excerpts"  # only passages have been quoted
    reported = "reported"  # known only from reports about it


class LetterDates(Model):
    written: Claims | None = None
    sent: Claims | None = None
    delivered: Claims | None = None
    announced: Claims | None = None
    expected: Claims | None = Field(None, description="When it was expected, before it came.")

    @model_validator(mode="after")
    def _at_least_one(self) -> "LetterDates":
        if not self.items():
            raise ValueError("give at least one date: written, sent, delivered, announced or expected")
        return self

    def items(self) -> list[tuple[str, tuple[DateClaim, ...]]]:
        """(kind of date, claims) for each kind the record gives, in the order above."""
        return [(name, claims) for name in type(self).model_fields if (claims := getattr(self, name))]


class Quote(Model):
    """A passage of the letter itself, as an article quotes it."""

    text: Text = Field(description="Words copied exactly from the article's text.")
    article: Id
    recipient: Id | None = Field(None, description="For a letter to many: whose copy this is.")


# Facts of a letter or summit that a curator can cite, beyond its dates.
LETTER_FACTS = ("sender", "recipients", "carriers", "delivered_at", "replies_to", "topics", "summits", "text_status")
SUMMIT_FACTS = ("place", "status", "attendees", "part_of", "topics")
EVIDENCE_HELP = ("The article and exact words behind a fact: 'carriers' for the whole fact, 'topics:syria' for "
                 "one item of it. Facts left out are traced to the sentences of the reporting articles that name them.")


def _fact_key(facts: tuple[str, ...]):
    def check(value: str) -> str:
        fact, _, item = value.partition(":")
        if fact not in facts or (item and not ID_PATTERN.match(item)):
            raise ValueError(f"'{value}' is not a fact that can be cited; use one of {', '.join(facts)}, "
                             "optionally with ':id' for one item, e.g. 'topics:syria'")
        return value
    return Annotated[str, AfterValidator(check)]


LetterFact = _fact_key(LETTER_FACTS)
SummitFact = _fact_key(SUMMIT_FACTS)


class Letter(Record):
    kind = "letter"
    folder = "letters"
    references = {
        "sender": "person", "recipients": "person", "carriers": "person",
        "replies_to": "letter", "topics": "topic", "summits": "summit",
    }

    title: Text
    summary: str | None = None
    form: Literal["letter", "message", "greetings"] = "letter"
    sender: Id
    recipients: tuple[Id, ...] = Field(min_length=1)
    dates: LetterDates
    carriers: tuple[Id, ...] = Field((), description="Who carried or handed it over.")
    delivered_at: str | None = Field(None, description="Where it was handed over.")
    replies_to: Id | None = None
    topics: tuple[Id, ...] = ()
    summits: tuple[Id, ...] = ()
    text_status: TextStatus
    quotes: tuple[Quote, ...] = ()
    evidence: dict[LetterFact, tuple[Citation, ...]] = Field(default_factory=dict, description=EVIDENCE_HELP)

    @property
    def date(self) -> DateClaim:
        """The date used to place the letter in time: the earliest kind known."""
        return self.dates.items()[0][1][0]


class SummitStatus(str, Enum):
    held = "held"
    planned = "planned"
    cancelled = "cancelled"


class Summit(Record):
    kind = "summit"
    folder = "summits"
    references = {"attendees": "person", "part_of": "summit", "topics": "topic"}

    title: Text
    aliases: tuple[Text, ...] = Field((), description="How articles name it: 'Lough Erne', 'G8 summit'.")
    form: Literal["summit", "meeting", "visit"] = "summit"
    place: Text
    date: Claims
    status: SummitStatus
    status_note: str | None = Field(None, description="What the status rests on, and as of when.")
    attendees: tuple[Id, ...] = ()
    part_of: Id | None = Field(None, description="The summit this meeting was held or planned beside.")
    topics: tuple[Id, ...] = ()
    summary: str | None = None
    evidence: dict[SummitFact, tuple[Citation, ...]] = Field(default_factory=dict, description=EVIDENCE_HELP)


class Topic(Record):
    kind = "topic"
    folder = "topics"

    name: Text
    aliases: tuple[Text, ...] = ()
    summary: str | None = None


class Outlet(Record):
    kind = "outlet"
    folder = "outlets"

    name: Text
    form: Literal["newspaper", "news agency", "government", "blog", "broadcaster"]
    country: str | None = None
    url: Url | None = None
    summary: str | None = None


class Article(Record):
    kind = "article"
    folder = "articles"
    references = {
        "outlet": "outlet", "via": "outlet", "people": "person",
        "letters": "letter", "summits": "summit", "topics": "topic",
    }

    title: Text
    outlet: Id
    via: tuple[Id, ...] = Field((), description="Outlets or bodies the article cites as its own source.")
    byline: str | None = None
    published: Claims
    url: Url | None = None
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


KINDS: tuple[type[Record], ...] = (Article, Person, Letter, Summit, Topic, Outlet)
KIND_BY_FOLDER = {model.folder: model for model in KINDS}
