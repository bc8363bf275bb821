"""Which pages the browser tests open, chosen from the content, so new articles need no
test edits: the first letter that has a carrier, a summit its sender attended and an
article reporting it gives the walk; the richest record of each kind gives the samples."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from builder.link.graph import Archive
from builder.model.schema import Article, Batch, Letter, Person, Place, Summit, Topic

from html_tree import article
from site_checks import initial_label, page_of, pair_page, year_label


def initial(record) -> str:
    return initial_label(record).lower()


@dataclass(frozen=True)
class Walk:
    """Articles → `article` → `letter` it reports → its `sender` → `summit` → another article."""

    article: Article
    letter: Letter
    sender: Person
    summit: Summit


def named(archive: Archive, record, field: str) -> list:
    """The records `record`'s front matter names in `field`, as the builder resolved them."""
    return [archive.records[e.target] for e in archive.edges if e.source == (record.kind, record.id) and e.field == field]


def walk(archive: Archive) -> Walk:
    for letter in archive.all(Letter):
        reporting = archive.referring(letter, Article, "letters")
        attended = [s for s in named(archive, letter, "summits")
                    if s in archive.referring(archive.get("person", letter.sender), Summit, "attendees")]
        if letter.carriers and attended and reporting:
            return Walk(reporting[0], letter, archive.get("person", letter.sender), attended[0])
    raise AssertionError("no letter has a carrier, a summit its sender attended and an article: "
                         "give the browser walk another path")


def pages(archive: Archive) -> dict[str, str]:
    """One page of every kind, the fullest of its kind where that is easy to tell."""
    w = walk(archive)
    letters_of = lambda person: len(archive.letters_of(person))  # noqa: E731
    carrier = archive.get("person", w.letter.carriers[0])
    topic = max(archive.all(Topic), key=lambda t: len(archive.referring(t, Letter)))
    years = [year_label(letter) for letter in archive.all(Letter)]
    # A place on the map, where most happened.
    place = max(archive.all(Place), key=lambda p: (p.coordinates is not None, len(archive.referring(p, Summit, "place"))
                                                   + len(archive.referring(p, Letter, "delivered_at")), p.id))
    batches = archive.all(Batch)
    return {
        "home": "index.html",
        "letters index": "letters/index.html",
        "letter": page_of(w.letter),
        "leaders": "leaders.html",
        "leader": page_of(max(archive.leaders, key=letters_of)),
        "people index": "people/index.html",
        "person": page_of(carrier),
        "summits index": "summits/index.html",
        "summit": page_of(w.summit),
        "topics index": "topics/index.html",
        "topic": page_of(topic),
        "articles index": "articles/index.html",
        "article": page_of(w.article),
        "outlets index": "outlets/index.html",
        "outlet": f"outlets/{w.article.outlet}.html",
        "timeline": "timeline.html",
        "correspondence index": "correspondence/index.html",
        "correspondence": pair_page(w.letter.sender, w.letter.recipients[0]),
        "places index": "places/index.html",
        "place": page_of(place),
        "data": "data.html",
        # Letters sent together, where the content has any.
        **({"batch": page_of(max(batches, key=lambda b: len(archive.referring(b, Letter))))} if batches else {}),
        # A page of each long index: the year with the most letters, the initial of the walk's sender.
        "letters year": f"letters/years/{max(years, key=years.count)}.html",
        "timeline year": f"timeline/{max(years, key=years.count)}.html",
        "leaders initial": f"leaders/{initial(w.sender)}.html",
        "correspondence initial": f"correspondence/names/{initial(w.sender)}.html",
    }


def page_texts(site: Path) -> dict[str, str]:
    """Every page's own text (its <article>, without Material's chrome), casefolded: all a search could match."""
    return {p.relative_to(site).as_posix(): article(site, p.relative_to(site).as_posix()).text().casefold()
            for p in sorted(site.rglob("*.html")) if "<article" in p.read_text(encoding="utf-8")}


def rare_phrase(site: Path, path: str, texts: dict[str, str]) -> tuple[str, int]:
    """Two neighbouring words of an article's own text (lowercase, six letters or more), and how
    many other pages hold both somewhere (as words or inside longer ones): the fewest of any
    such pair. A search for them finds the article, ranked among that many others at worst."""
    own = next(e for e in article(site, path).walk() if "article-text" in e.classes()).text()
    words = own.split()
    pairs = [(a, b) for a, b in zip(words, words[1:])
             if all(w.isalpha() and w.islower() and len(w) >= 6 for w in (a, b))]
    assert pairs, f"{path}: no two neighbouring long words to search for"
    others = [text for p, text in texts.items() if p != path]
    count = {pair: sum(pair[0] in t and pair[1] in t for t in others) for pair in pairs}
    best = min(pairs, key=count.__getitem__)
    return " ".join(best), count[best]


# One page of each kind a reader meets, as the keyboard, accessibility-tree and WCAG tests visit them.
KINDS = ["home", "letters index", "letter", "leaders", "leader", "people index", "person", "summits index",
         "summit", "topics index", "topic", "articles index", "article", "outlets index", "outlet", "timeline",
         "correspondence index", "correspondence", "places index", "place", "data", "batch", "letters year"]


def page_of_kind(archive: Archive, kind: str) -> str:
    """The page of `kind` pages() chooses; the test is skipped where the content has none (no batch yet)."""
    found = pages(archive)
    if kind not in found:
        pytest.skip(f"the content has no {kind} page")
    return found[kind]
