"""What a fact on a letter's or summit's page rests on, as the link stage works it out once.

The check, the pages and the tally read these results from the Archive (`facts_of`);
provenance.py finds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.schema import Article, Key, Record


def resting(supported: bool, curator: str | None) -> str:
    """How a fact rests, as the tally counts it: 'sourced' (on an article's words), 'curator' (on the
    curator's word) or 'uncited'."""
    return "sourced" if supported else "curator" if curator else "uncited"


@dataclass(frozen=True)
class Support:
    """An article and the words in it that support a fact."""

    article: Article
    quote: str
    curated: bool  # a curator cited it (True) or the builder found the sentence (False)


@dataclass(frozen=True)
class Basis:
    """What one fact rests on: supporting passages, or the curator's word and where it comes from."""

    supports: tuple[Support, ...] = ()
    curator: str | None = None
    looked_for: str | None = None  # what the builder sought in the articles, when it found nothing: the check says it

    @property
    def uncited(self) -> bool:
        return not self.supports and not self.curator

    @property
    def rests(self) -> str:
        return resting(bool(self.supports), self.curator)


Items = dict[str | None, Basis]  # item id (None: the fact as a whole) -> basis


@dataclass(frozen=True)
class Facts:
    """A record's facts, each with what it rests on, and every record they were worked out from
    (the articles searched and cited, the records the facts name): a page showing them read those."""

    of: dict[str, Items]  # fact -> its items
    read: tuple[Record, ...]
    # A letter's: per article reporting it, the sentences its page quotes under "Reported by"
    # (provenance.reporting_sentences), worked out with its facts from the same sentences and read by
    # the check that none were found (checks.unattributed_in) and by its page.
    reported: dict[str, list[str]] = field(default_factory=dict)

    def __getitem__(self, fact: str) -> Items:
        return self.of[fact]


class FactTable(dict[Key, Facts]):
    """Every record's facts, by key, as the checks attach them; rechecks._Facts unpacks those the last run
    kept when first read, and tells how they rest without unpacking them."""

    def rests(self, k: Key) -> list[str]:
        """How each of the record's facts rests (Basis.rests); KeyError for a record without facts."""
        return [basis.rests for items in self[k].of.values() for basis in items.values()]
