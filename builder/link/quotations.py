"""Quotations in a curator's own prose must be the sources' words.

Notes, summaries and record bodies may quote an article ("on the most
extensive agenda"). Each passage in quotation marks must stand, after
normalising spaces and quote marks, in an article the record is tied to:
one it cites, one that lists or names it. A quotation from outside the
archive's articles is listed under `quoted_elsewhere:` with where it comes
from. Anything else is an error: a reader takes quotation marks at their word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model.errors import Problem
from .graph import Archive, Loc, _citations
from ..load.load import Source
from .provenance import dated_claims
from ..validate.safety import line_in_body
from ..model.schema import Article, Key, Kind, Letter, Record
from ..model.text import normalise_quote, quotable

# “…”, "…", and ‘…’ or '…' opened after a space or bracket, so that apostrophes (Putin's) are not quotes.
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|(?<![\w’'])[‘']([^‘’']+?)[’'](?!\w)")
MIN_WORDS = 2  # 'sensitive issues' is a quotation; a lone 'scare-quoted' word is not checked


def quoted(text: str) -> Iterator[str]:
    """Each passage in quotation marks, as written."""
    for match in _QUOTED.finditer(text):
        passage = next(group for group in match.groups() if group is not None).strip(" ,.;:")
        if len(passage.split()) >= MIN_WORDS:
            yield passage


def _prose(record: Record) -> Iterator[tuple[Loc, str]]:
    """(location, text) of every piece of the curator's own prose in a record."""
    # `curation` is left out: it describes the chrome removed from the source, which the curated text lacks.
    for name in ("summary", "status_note", "place_note", "date_note", "published_note", "retrieved_note"):
        if getattr(record, name, None):
            yield (name,), getattr(record, name)
    for loc, claim in dated_claims(record):  # dates, statuses and offices: their notes, a date's phrase
        for name in ("note", "phrase"):
            if text := getattr(claim, name, None):
                yield loc + (name,), text
    if not isinstance(record, Article) and record.body:
        yield ("body",), record.body


def _articles_of(record: Record, archive: Archive) -> list[Article]:
    """The articles a record is tied to: those it cites, those that list it, those that name it."""
    ids = {article_id for _, article_id, _ in _citations(record)}
    if isinstance(record, Article):
        ids.add(record.id)
    ids |= {a.id for a in archive.referring(record, Article)}
    for letter in archive.referring(record, Letter, "batch"):  # a batch speaks through its letters' reports
        ids |= {a.id for a in archive.referring(letter, Article)}
    ids |= {a.id for a, _ in archive.mentions_of(record)}
    return [archive.article(i) for i in sorted(ids) if (Kind.article, i) in archive.records]


def unverified_in(record: Record, archive: Archive, sources: dict[Key, Source]) -> list[Problem]:
    """An error for every quotation in the record's prose that none of its articles contains: it reads the
    record and the articles it is tied to."""
    problems = []
    elsewhere = {normalise_quote(q.text) for q in record.quoted_elsewhere}
    articles = None
    for loc, prose in _prose(record):
        for passage in quoted(prose):
            wanted = normalise_quote(passage)
            if wanted in elsewhere:
                continue
            articles = _articles_of(record, archive) if articles is None else articles
            # A quotation may open a sentence of the prose with a capital the source has in lower case.
            variants = {wanted, wanted[:1].lower() + wanted[1:], wanted[:1].upper() + wanted[1:]}
            if any(v in quotable(a.body) for a in articles for v in variants):
                continue
            source = sources[(record.kind, record.id)]
            line = (source.body_line + line_in_body(record.body, passage) - 1 if loc == ("body",)
                    else source.line_of(loc))
            tied = ", ".join(a.id for a in articles) or "none"
            problems.append(Problem(
                source.path, line, ".".join(map(str, loc)),
                f"the quotation “{passage}” is in none of the articles this record cites or is reported in "
                f"({tied})",
                "Copy the words exactly from the article, drop the quotation marks if you are paraphrasing, "
                "or, if they come from elsewhere, list them under quoted_elsewhere: with text: and source:"))
    return problems
