"""What a field's declaration can say beyond its type, and reading it back.

The model (schema.py) declares each field once; these are the marks it carries there (a kind of letter
date's label and mappings, a fact shown with its source) and the readers every stage shares: what a
field means, and the values a choice allows. Schemas, pages, checks, exports, scaffolds and
CONTRIBUTING's field reference are made from them, never from lists kept beside the model.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from types import UnionType
from typing import Annotated, Any, Literal, Union

from pydantic.fields import FieldInfo


@dataclass(frozen=True)
class Maps:
    """A property of another vocabulary that a kind of date fills: ``stand_in`` when it fills it only
    where no other kind that maps there is known (a letter delivered stands in for its date received)."""

    property: str
    stand_in: bool = False
    reached: bool = False  # only while the record says it reached an addressee: not once handed elsewhere


@dataclass(frozen=True)
class DateKind:
    """What the builder knows of a kind of letter date beyond its description; a field without one is a
    past event, labelled by its name ("read_aloud": "Read aloud"), that no other vocabulary has a place for."""

    label: str = ""  # as a letter's page shows it, where its name would not do
    past: bool = True  # an event that happened, so no article can report it before; `expected` is a forecast
    schema_org: Maps | None = None  # its property in the page's JSON-LD
    cmif: Maps | None = None  # the CMIF correspAction (sent or received) whose date it gives


@dataclass(frozen=True)
class Fact:
    """Marks a field of a letter, summit or place as a fact its page shows with its source, beyond its dates:
    `evidence` and `curator` can cite it, and the check warns when nothing does."""


FACT = Fact()


# What a field of this name means, where its declaration gives no description: one text for the `title`,
# `summary` or `sources` of every kind. The schemas, the Data page and CONTRIBUTING read it through describe().
FIELD_HELP = {
    "title": "What the archive calls it (an article: its headline).",
    "name": "Its name.",
    "aliases": "Other names and spellings in the sources.",
    "summary": "The curator's summary.",
    "country": "Its country.",
    "form": "What kind of it this is (see the values allowed).",
    "role": "leader (heads of state and government, heads of world bodies), official (envoys, aides, "
            "spokespeople, ministers) or other.",
    "offices": "Offices held, each with its dates and what they rest on.",
    "sender": "Who sent it (a person's id).",
    "recipients": "Who it was addressed to (people's ids, in order).",
    "dates": "Every date known of it, by kind: each a list of claims, the curator's reading first, then other "
             "sources' claims.",
    "replies_to": "The letter it answers (an id).",
    "topics": "What it deals with (topics' ids).",
    "text_status": "published (full text public), excerpts (passages quoted) or reported (known only from reports).",
    "quotes": "Passages of the letter itself as articles quote them.",
    "evidence": "The articles and words behind each fact ('topics:syria' for one item of a fact).",
    "curator": "Facts that are the curator's additions from outside the archive's articles, with where they "
               "come from.",
    "status": "proposed, planned, postponed, cancelled or held.",
    "status_as_of": "When the status was last known to be so.",
    "date": "The date, as an EDTF string.",
    "date_note": "Why the date is not given, as the sources put it.",
    "history": "Earlier statuses, oldest first.",
    "attendees": "Who attended or was to attend (people's ids).",
    "outlet": "Who published it (an outlet's id).",
    "byline": "Its byline.",
    "published": "When it was published: claims, the curator's reading first.",
    "published_note": "Why no date is given.",
    "url": "Its web address.",
    "people": "People it names (ids), as the curator listed them.",
    "letters": "Letters it reports (ids).",
    "summits": "Summits it concerns (ids; a letter's each with how it relates: prepares, proposes, invites, "
               "sets-no-date, cancels, follows or mentions).",
    "mentions": "Names in its text and the record each means here (an id), or null for a name left unlinked.",
    "article": "The article (an id).",
    "quote": "Words copied exactly from the article's text.",
    "note": "How it was inferred from the sources.",
    "sources": "The articles and words it rests on.",
    "start": "When it began.",
    "end": "When it ended; null while held.",
    "summit": "The summit (an id).",
    "relation": "How the letter relates to the summit.",
    "as_of": "When the status was so.",
    "text": "The words; or the record's Markdown text.",
    "source": "Where they come from.",
    "recipient": "For a letter to many: whose copy this is (an id).",
    "wikidata": "Wikidata identifier (Q…).",
    "viaf": "VIAF identifier.",
    "gnd": "GND identifier.",
    "geonames": "GeoNames identifier.",
}


def describe(name: str, info: FieldInfo) -> str:
    """What a field means: its own description, else what a field of its name means."""
    return info.description or FIELD_HELP.get(name, "")


def either(names: Sequence[str]) -> str:
    """'a, b or c', as messages and hints list the values allowed."""
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def _inner(annotation: Any) -> Any:
    """The type without Annotated, None, and the tuple around it."""
    while True:
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if origin is Annotated or (origin in (Union, UnionType) and len(args) == 1) or origin is tuple:
            annotation = args[0]
        else:
            return annotation


def part_of(info: FieldInfo) -> Any:
    """The type a field holds (of each item, for a list): a model for a nested part, an enum for a choice."""
    return _inner(info.annotation)


def choices(info: FieldInfo) -> tuple[str, ...]:
    """The values a field allows when it is a choice (an enum or a Literal), in declared order; else ()."""
    inner = part_of(info)
    if typing.get_origin(inner) is Literal:
        return tuple(str(a) for a in typing.get_args(inner))
    if isinstance(inner, type) and issubclass(inner, Enum):
        return tuple(str(e.value) for e in inner)
    return ()
