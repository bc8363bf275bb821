"""Render: the linked Archive as Markdown pages, one Jinja template per page kind.

Each page function gathers what its template shows; templates only display
prepared data, and StrictUndefined turns a missing value into an error.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context

from . import dates
from .errors import UNCHANGED, BuildError, Problem
from .graph import Archive, date_of, sort_key
from .mentions import link_first_mentions
from .network import Correspondence, Drawing, correspondence, layout
from .provenance import Basis, claim_basis, letter_facts, reporting_sentences, summit_facts
from .schema import Article, Batch, Letter, Outlet, Person, Record, Summit, Topic

TEMPLATES = Path(__file__).parent / "templates"

TEXT_STATUS = {
    "published": "Full text published",
    "excerpts": "Excerpts quoted in the press",
    "reported": "Known only from reports",
}
RELATED_LIMIT = 10  # the most recent; a big summit has hundreds of articles
KIND_LABEL = {"letter": "Letter", "summit": "Summit or meeting", "article": "Article"}
DATE_KINDS = {"written": "Written", "sent": "Sent", "delivered": "Delivered", "received": "Received",
              "read_aloud": "Read aloud", "announced": "Announced", "expected": "Expected"}
SUMMIT_RELATIONS = {"prepares": "prepares it", "proposes": "proposes it", "sets-no-date": "speaks of it, sets no date",
                    "cancels": "cancels it", "follows": "follows it", "mentions": "mentions it"}
KNOWN_FROM = {"sender": "Known only from the sender's side", "recipient": "Known only from the recipient's side",
              "both": "Confirmed by both sides", "others": "Known from neither side: from leaks or third parties"}


def page_path(record: Record) -> str:
    """Where a record's page sits in the docs folder."""
    return f"{record.folder}/{record.id}.md"


def pair_path(ids: tuple[str, str]) -> str:
    """The page of the letters between two people, ids in order."""
    return f"correspondence/{ids[0]}-and-{ids[1]}.md"


def _display_name(record: Record) -> str:
    return getattr(record, "name", None) or record.title


# Everything Python-Markdown and our extensions read inline: code, emphasis, links and images,
# footnotes, quotes, headings, table cells, attr_list's {: …}, link text's parentheses.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()!>#|{}])")
# What starts a block at the start of a line: a list, a setext underline, a definition. Entities
# where Markdown has no backslash escape.
_MD_LINE_START = re.compile(r"^(?:([-+])|(\d+)\.|(=)|(:))")
_LINE_START_ESCAPES = {"=": "&#61;", ":": "&#58;"}


def _one_line(text: str) -> str:
    """Line breaks as spaces: every place a field goes (a heading, a table cell, a list item) is one line."""
    return re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", str(text)).strip()


def md_escape(text: str) -> str:
    """Escape front-matter text so Markdown shows it literally, never as markup.

    `<` and `&` become entities: Python-Markdown has no backslash escape for `<`, and an `&`
    written in a field is shown as typed (`&lt;` stays `&lt;` on the page).
    """
    text = _one_line(text).replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\." if m[2]
                              else _LINE_START_ESCAPES[m[0]], text)


def md_code(text: str) -> str:
    """Text as an inline code span, whatever backticks it holds."""
    text = _one_line(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def front_matter_value(text: str) -> str:
    """A value for a generated page's front matter (its title).

    MkDocs keeps it as given and Material writes it into <title>, the header and the
    search index as HTML, unescaped: so it is HTML-escaped here, and shown right there.
    A JSON string is a YAML string.
    """
    return json.dumps(html.escape(_one_line(text)), ensure_ascii=False)


@lru_cache(maxsize=None)
def _relative(path: str, from_folder: str) -> str:
    return posixpath.relpath(path, from_folder or ".")


@pass_context
def href(ctx, target: Record | str) -> str:
    """A link from the page being rendered to a record's page or a docs path."""
    path = target if isinstance(target, str) else page_path(target)
    return _relative(path, posixpath.dirname(ctx["page"]))


@pass_context
def link(ctx, target: Record, text: str | None = None) -> str:
    return f"[{md_escape(text or _display_name(target))}]({href(ctx, target)})"


def date_label(value) -> str:
    return dates.label(value) if value else "undated"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Markdown; text is escaped by md_escape
    )
    env.filters.update(
        link=link, href=href, md=md_escape, date=date_label,
        code=md_code, yaml=front_matter_value,
        status=lambda s: TEXT_STATUS[getattr(s, "value", s)],
    )
    env.globals.update(date_of=date_of, office_on=lambda person, when: person.office_on(when) if when else None,
                       date_kind=DATE_KINDS.__getitem__, relation_label=SUMMIT_RELATIONS.__getitem__)
    return env


@dataclass(frozen=True)
class Note:
    """One numbered source at the foot of a page: an article and its words, or the curator's word."""

    number: int
    article: Article | None
    words: str  # the article's words, or where the curator's addition comes from


class Footnotes:
    """A page's sources, numbered in order of first use; the same words share one number."""

    def __init__(self, articles_by_id: dict[str, Article]):
        self.articles_by_id = articles_by_id
        self.notes: list[Note] = []
        self._numbers: dict[tuple[str | None, str], int] = {}

    def _number(self, article: Article | None, words: str) -> str:
        number = self._numbers.get((article.id if article else None, words))
        if number is None:
            number = self._numbers[(article.id if article else None, words)] = len(self.notes) + 1
            self.notes.append(Note(number, article, words))
        return f"[^{number}]"

    def cite(self, basis) -> str:
        """Footnote references for a Basis, or for Supports or Citations; says so when there is none."""
        supports = basis.supports if isinstance(basis, Basis) else basis
        refs = []
        for support in supports:  # a Support holds its Article, a Citation the article's id
            article = support.article
            article = self.articles_by_id[article] if isinstance(article, str) else article
            refs.append(self._number(article, support.quote))
        if isinstance(basis, Basis) and basis.curator:
            refs.append(self._number(None, basis.curator))
        return "".join(refs) if refs else " *(no source cited)*"


class Renderer:
    """Renders every page of an Archive into {docs path: Markdown text}."""

    def __init__(self, archive: Archive):
        self.archive = archive
        self.env = _environment()
        self.env.globals["basis_of"] = lambda claim: claim_basis(archive, claim)  # offices, dates, statuses
        self.articles_by_id = {r.id: r for r in archive.all(Article)}  # for citations

    @cached_property
    def who_wrote_to_whom(self) -> Correspondence:
        """Worked out once per render: the home page and every leader page draw part of it."""
        return correspondence(self.archive)

    def _network(self, page: str, centre: Person | None = None) -> Drawing | None:
        return _drawing(self.who_wrote_to_whom, page, centre)

    def _page(self, template: str, path: str, **context) -> tuple[str, str]:
        text = self.env.get_template(template).render(page=path, archive=self.archive, **context)
        return path, re.sub(r"\n{3,}", "\n\n", text)  # templates' blank lines, tidied

    # One function per page kind ----------------------------------------------

    def letter(self, letter: Letter):
        a = self.archive
        when = letter.date.date
        return self._page(
            "letter.md.j2", page_path(letter), letter=letter,
            sender=a.get("person", letter.sender),
            recipients=a.resolve("person", letter.recipients),
            carriers=a.resolve("person", letter.carriers),
            replies_to=a.resolve("letter", letter.replies_to),
            replies=a.referring(letter, Letter, "replies_to"),
            summits=[(a.get("summit", link.summit), link.relation.value) for link in letter.summits],
            batch=a.resolve("batch", letter.batch),
            batch_letters=[other for other in a.referring(a.get("batch", letter.batch), Letter, "batch")
                           if other.id != letter.id] if letter.batch else [],
            known_from=KNOWN_FROM[letter.known_from.value] if letter.known_from else None,
            topics=a.resolve("topic", letter.topics),
            articles=a.referring(letter, Article, "letters"),
            reported_in=reporting_sentences(letter, a),
            facts=letter_facts(letter, a), notes=Footnotes(self.articles_by_id),
            thread=a.thread(letter),
            exchanges=[(other, pair_path(tuple(sorted((letter.sender, other.id)))))
                       for other in a.resolve("person", letter.recipients)],
            date_kinds=letter.dates.items(),
            articles_by_id=self.articles_by_id,  # for the quotes' articles
            when=when,
        )

    def person(self, person: Person):
        a = self.archive
        exchanged = []  # (direction, the other party or parties, letter), in date order
        for letter in a.letters_of(person):
            if letter.sender == person.id:
                exchanged.append(("sent to", a.resolve("person", letter.recipients), letter))
            else:
                exchanged.append(("received from", [a.get("person", letter.sender)], letter))
        return self._page(
            "person.md.j2", page_path(person), person=person,
            correspondence=exchanged,
            carried=a.referring(person, Letter, "carriers"),
            summits=a.referring(person, Summit, "attendees"),
            articles=a.referring(person, Article, "people"),
            mentioned=a.mentions_of(person),
            network=self._network(page_path(person), centre=person), notes=Footnotes(self.articles_by_id),
        )

    def summit(self, summit: Summit):
        a = self.archive
        return self._page(
            "summit.md.j2", page_path(summit), summit=summit,
            attendees=a.resolve("person", summit.attendees),
            part_of=a.resolve("summit", summit.part_of),
            meetings=a.referring(summit, Summit, "part_of"),
            letters=a.referring(summit, Letter, "summits"),
            topics=a.resolve("topic", summit.topics),
            articles=a.referring(summit, Article, "summits"),
            mentioned=a.mentions_of(summit),
            facts=summit_facts(summit, a), notes=Footnotes(self.articles_by_id),
        )

    def batch(self, batch: Batch):
        a = self.archive
        return self._page("batch.md.j2", page_path(batch), batch=batch, sender=a.get("person", batch.sender),
                          letters=a.referring(batch, Letter, "batch"))

    def topic(self, topic: Topic):
        a = self.archive
        return self._page(
            "topic.md.j2", page_path(topic), topic=topic,
            letters=a.referring(topic, Letter), summits=a.referring(topic, Summit),
            articles=a.referring(topic, Article),
            mentioned=a.mentions_of(topic),
        )

    def article(self, article: Article):
        a = self.archive
        related = {
            other.id: other for thing in a.resolve("letter", article.letters) + a.resolve("summit", article.summits)
            for other in a.referring(thing, Article, "letters", "summits") if other.id != article.id
        }.values()
        folder = posixpath.dirname(page_path(article))
        body = link_first_mentions(article, a.names, a.kinds_of,
                                   lambda k: _relative(page_path(a.records[k]), folder))
        return self._page(
            "article.md.j2", page_path(article), article=article, body=body, notes=Footnotes(self.articles_by_id),
            outlet=a.get("outlet", article.outlet), via=a.resolve("outlet", article.via),
            letters=a.resolve("letter", article.letters), people=a.resolve("person", article.people),
            summits=a.resolve("summit", article.summits), topics=a.resolve("topic", article.topics),
            related=sorted(related, key=sort_key, reverse=True)[:RELATED_LIMIT],
        )

    def outlet(self, outlet: Outlet):
        a = self.archive
        return self._page(
            "outlet.md.j2", page_path(outlet), outlet=outlet,
            published=a.referring(outlet, Article, "outlet"), cited_by=a.referring(outlet, Article, "via"),
        )

    # Correspondence between two people ----------------------------------------

    GAP_YEARS = 1  # a silence longer than this between two letters is marked

    def _pair(self, ids: tuple[str, str], letters: list[Letter]) -> dict:
        first, second = self.archive.resolve("person", ids)
        return {"ids": ids, "first": first, "second": second, "letters": letters,
                "title": f"{first.name} and {second.name}", "path": pair_path(ids)}

    def correspondence(self, pair: dict):
        ids, letters = pair["ids"], pair["letters"]
        in_pair = {letter.id: letter for letter in letters}
        rows, previous = [], None
        for letter in letters:
            to = next(p for p in (pair["first"], pair["second"]) if p.id != letter.sender)
            gap = None
            if previous is not None:
                years = dates.bounds(date_of(letter))[0].year - dates.bounds(date_of(previous))[1].year
                gap = f"{years} years" if years > self.GAP_YEARS else None
            rows.append({
                "letter": letter, "to": to, "gap": gap,
                "answers": in_pair.get(letter.replies_to),
                "answers_outside": bool(letter.replies_to) and letter.replies_to not in in_pair,
                "answered_by": [r for r in letters if r.replies_to == letter.id],
            })
            previous = letter
        return self._page("correspondence.md.j2", pair_path(ids), rows=rows,
                          **{k: v for k, v in pair.items() if k != "path"})

    def correspondences(self):
        pairs = [self._pair(ids, letters) for ids, letters in self.archive.pairs().items()]
        yield self._page("correspondences.md.j2", "correspondence/index.md", pairs=pairs)
        for pair in pairs:
            yield self.correspondence(pair)

    # Listings ----------------------------------------------------------------

    def timeline(self):
        a = self.archive
        # Records with no date at all (a meeting not yet fixed, an undated article) have no place in time.
        entries = [r for model in (Letter, Summit, Article) for r in a.all(model) if date_of(r)]
        entries.sort(key=lambda r: (dates.sort_key(date_of(r)), r.kind, r.id))
        # year -> section -> records; a date whose year no one knows goes to a last section.
        by_year: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        unknown = []
        for record in entries:
            placed = _timeline_section(date_of(record))
            if placed is None:
                unknown.append(record)
            else:
                by_year[placed[0]][placed[1]].append(record)
        years = [(year, [(_section_heading(year, section), records) for section, records in sorted(sections.items())])
                 for year, sections in sorted(by_year.items())]
        return self._page("timeline.md.j2", "timeline.md", years=years, unknown=unknown, kind_label=KIND_LABEL)

    def indexes(self):
        a = self.archive
        yield self._page("index.md.j2", "index.md", letters=a.all(Letter), leaders=a.leaders,
                         summits=a.all(Summit), articles=a.all(Article),
                         years=sorted({year for m in (Letter, Summit, Article) for r in a.all(m)
                                       if (when := date_of(r)) and (year := dates.year(when)) is not None}),
                         network=self._network("index.md"))
        rows = _letter_rows(a, "letters/index.md")
        yield self._page("letters.md.j2", "letters/index.md", rows=rows, choices=_letter_choices(a, rows))
        yield self._page("leaders.md.j2", "leaders.md", people=sorted(a.leaders, key=_by_name))
        leaders = set(map(id, a.leaders))
        yield self._page("people.md.j2", "people/index.md",
                         people=sorted((p for p in a.people if id(p) not in leaders), key=_by_name))
        yield self._page("summits.md.j2", "summits/index.md", summits=a.all(Summit))
        yield self._page("topics.md.j2", "topics/index.md", topics=sorted(a.all(Topic), key=_by_name))
        yield self._page("articles.md.j2", "articles/index.md", articles=a.all(Article))
        yield self._page("outlets.md.j2", "outlets/index.md", outlets=sorted(a.all(Outlet), key=_by_name))

    def pages(self) -> dict[str, str]:
        a = self.archive
        out: dict[str, str] = {}
        per_record = {Letter: self.letter, Batch: self.batch, Person: self.person, Summit: self.summit,
                      Topic: self.topic, Article: self.article, Outlet: self.outlet}
        rendered = [render(r) for model, render in per_record.items() for r in a.all(model)]
        for path, text in [*rendered, self.timeline(), *self.indexes(), *self.correspondences()]:
            if path in out:  # validation keeps ids unique; this guards the page layout itself
                raise BuildError([Problem(path, 0, "", "two pages would be written to this path",
                                          "Rename one of the records")], UNCHANGED)
            out[path] = text
        return out


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


def _by_name(record: Record) -> str:
    return _display_name(record).casefold()


# Raw HTML: the network drawing and the filterable letters table -----------------


def _html_href(path: str, page: str) -> str:
    """A link written in raw HTML, from `page` to the docs page at `path`.

    MkDocs rewrites `.md` links only in Markdown, so raw HTML names the `.html` it builds.
    """
    return posixpath.splitext(_relative(path, posixpath.dirname(page)))[0] + ".html"


def _drawing(graph: Correspondence, page: str, centre: Person | None = None) -> Drawing | None:
    """The whole network, or with `centre` that person's own: them and their correspondents."""
    title = "Who wrote to whom"
    if centre is not None:
        graph, title = graph.ego(centre.id), f"Who {centre.name} exchanged letters with"
    return layout(graph, lambda person: _html_href(page_path(person), page),
                  centre=centre.id if centre else None, title=title)


@dataclass(frozen=True)
class LetterRow:
    """One letter of the letters index, with what the filters compare in its data attributes."""

    letter: Letter
    href: str
    date: str  # EDTF, shown at its precision
    sort: str  # ISO day it sorts by: the earliest the date can mean (see dates.sort_key)
    year: int | None  # None: no year known
    sender: Person
    sender_href: str
    recipients: list[tuple[Person, str]]  # with each one's href
    topics: list[Topic]


def _letter_rows(archive: Archive, page: str) -> list[LetterRow]:
    rows = []
    for letter in archive.all(Letter):
        when = date_of(letter)
        sender = archive.get("person", letter.sender)
        rows.append(LetterRow(
            letter=letter, href=_html_href(page_path(letter), page), date=when,
            sort=dates.sort_key(when)[0].isoformat(), year=dates.year(when),
            sender=sender, sender_href=_html_href(page_path(sender), page),
            recipients=[(p, _html_href(page_path(p), page)) for p in archive.resolve("person", letter.recipients)],
            topics=archive.resolve("topic", letter.topics),
        ))
    return rows


def _letter_choices(archive: Archive, rows: list[LetterRow]) -> dict[str, list[tuple]]:
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


def render(archive: Archive) -> dict[str, str]:
    return Renderer(archive).pages()
