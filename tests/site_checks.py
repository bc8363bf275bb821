"""What must hold of the built site for ANY valid content, each expectation computed from
the content itself (the linked Archive). tests/test_site.py runs every check on the real
archive, tests/test_growth.py on the real archive grown by generated records, so a
contributor adding articles never has to edit a test.

Each check takes (archive, site) and fails with what a reader would miss, and where.
Exact expectations ("this envoy carried that letter") belong to the fixture archives
of tests/archive_kit.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Callable
from pathlib import Path

from builder.model import dates
from builder.derive.derive import HOME_LETTERS
from builder.link.graph import Archive, date_of
from builder.model.schema import Article, Letter, Outlet, Person, Record, Summit, Topic
from builder.outputs.search.index import NAME, TITLE
from builder.outputs.search.tokens import query_tokens
from html_kit import read
from search_kit import BuiltIndex
from html_tree import Element, article, rows, target


def page_of(record: Record) -> str:
    return f"{record.folder}/{record.id}.html"


def name_of(record: Record) -> str:
    return getattr(record, "name", None) or getattr(record, "title", None) or record.id


def pair_page(a: str, b: str) -> str:
    first, second = sorted((a, b))
    return f"correspondence/{first}-and-{second}.html"


def pairs(archive: Archive) -> dict[tuple[str, str], list[Letter]]:
    """Two people (ids in order) -> the letters between them, from the letters' front matter."""
    found: dict[tuple[str, str], list[Letter]] = {}
    for letter in archive.all(Letter):
        for recipient in letter.recipients:
            if recipient != letter.sender:
                bucket = found.setdefault(tuple(sorted((letter.sender, recipient))), [])
                if letter not in bucket:
                    bucket.append(letter)
    return found


def reachable(site: Path, start: str = "index.html") -> set[str]:
    """Every page a reader reaches from `start` by following links, as clicking would."""
    seen, queue = {start}, deque([start])
    while queue:
        for to in read(site, queue.popleft()).targets():
            if to.endswith(".html") and to not in seen and (site / to).exists():
                seen.add(to)
                queue.append(to)
    return seen


def _words(text: str) -> list[str]:
    """Words as a reader compares them: typographic quotes and markup do not count."""
    text = text.translate(str.maketrans("‘’“”", "''\"\""))
    return re.findall(r"\w+", text.casefold())


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


# The checks -----------------------------------------------------------------------


def check_every_record_is_reachable_from_the_home_page(archive: Archive, site: Path) -> None:
    seen = reachable(site)
    expected = [page_of(r) for r in archive.records.values()]
    expected += [pair_page(*ids) for ids in pairs(archive)] + ["timeline.html"]
    missing = [page for page in expected if page not in seen]
    assert not missing, f"{len(missing)} pages cannot be reached by clicking from the home page: {missing[:20]}"


def check_every_record_has_its_page_with_its_name_as_h1(archive: Archive, site: Path) -> None:
    wrong = []
    for record in archive.records.values():
        path = page_of(record)
        if not (site / path).is_file():
            wrong.append(f"{path}: missing")
        elif read(site, path).h1 != " ".join(name_of(record).split()):
            wrong.append(f"{path}: h1 {read(site, path).h1!r}, expected {name_of(record)!r}")
    assert not wrong, "\n".join(wrong)


def check_search_finds_every_name_and_alias_on_its_page(archive: Archive, site: Path) -> None:
    """Every word of every name and alias leads to its record's page, marked as its name or title
    (which ranks the page above those that only mention it). Ranking itself is run in the browser tests."""
    index = BuiltIndex(site)
    missing = []
    for record in [*archive.all(Person), *archive.all(Topic), *archive.all(Summit)]:
        page = page_of(record)
        assert index.row(page) is not None, f"{page} is not in the search's document table"
        at_least = TITLE if isinstance(record, Summit) else NAME  # a summit's name is a title: "Obama's visit"
        for name in (name_of(record), *record.aliases):
            for term in query_tokens(name):
                posting = index.postings(term).get(page)
                if posting is None or posting & 3 < at_least:
                    missing.append(f"{name!r} ({term}) on {page}")
    assert not missing, "search would not find: " + ", ".join(missing)


# Each long index is an entry page linking a page per group: a year for dated records, the
# first letter of the name for the others (or "Year unknown", "Other"). No page lists them all.
# Entry page -> (folder of its group pages, records it must list, the group a record belongs in).
Grouping = Callable[[Record], str]


def year_label(record: Record) -> str:
    year = dates.year(when) if (when := date_of(record)) else None
    return "Year unknown" if year is None else str(year)


def initial_label(record: Record) -> str:
    first = unicodedata.normalize("NFKD", name_of(record).strip())[:1].upper()
    return first if len(first) == 1 and "A" <= first <= "Z" else "Other"


LISTINGS: dict[str, tuple[str, Callable[[Archive], list[Record]], Grouping]] = {
    "letters/index.html": ("letters/years/", lambda a: a.all(Letter), year_label),
    "leaders.html": ("leaders/", lambda a: a.leaders, initial_label),
    "people/index.html": ("people/names/", lambda a: [p for p in a.all(Person) if p not in a.leaders], initial_label),
    "summits/index.html": ("summits/years/", lambda a: a.all(Summit), year_label),
    "topics/index.html": ("topics/names/", lambda a: a.all(Topic), initial_label),
    "articles/index.html": ("articles/years/", lambda a: a.all(Article), year_label),
    "outlets/index.html": ("outlets/names/", lambda a: a.all(Outlet), initial_label),
}
GROUP_PAGES = {entry: folder for entry, (folder, _, _) in LISTINGS.items()}
GROUP_PAGES.update({"timeline.html": "timeline/", "correspondence/index.html": "correspondence/names/"})


def group_pages(site: Path, entry: str) -> dict[str, str]:
    """The pages an index's entry page links for its groups: {path: the group's label, as the page says}."""
    folder = GROUP_PAGES[entry]
    found = {}
    for text, to in read(site, entry).links:
        if to.startswith(folder) and to.count("/") == folder.count("/"):
            found[to] = text.strip()
            page = read(site, to)
            assert page.h1.endswith(": " + text.strip()), f"{entry} links {to} as {text!r}; its title: {page.h1!r}"
    return found  # none for an index of no records; the checks compare with what the content holds


def listed(site: Path, entry: str, folder: str) -> dict[str, set[str]]:
    """Record pages of `folder` that the index's group pages link: {group label: pages}."""
    out = {}
    for path, label in group_pages(site, entry).items():
        out[label] = {t for t in read(site, path).targets() if t.startswith(folder) and t.count("/") == 1
                      and not t.endswith("/index.html")}
    return out


def check_each_listing_links_exactly_its_records(archive: Archive, site: Path) -> None:
    """Each index's pages link every record of its kind, on the page of its year or initial, and no other."""
    problems = []
    for entry, (folder, records, group_of) in LISTINGS.items():
        kind = folder.split("/")[0] if "/" in entry else "people"
        by_group = listed(site, entry, kind + "/")
        expected: dict[str, set[str]] = {}
        for record in records(archive):
            expected.setdefault(group_of(record), set()).add(page_of(record))
        if by_group != expected:
            for label in sorted(set(by_group) | set(expected)):
                shown, wanted = by_group.get(label, set()), expected.get(label, set())
                if shown != wanted:
                    problems.append(f"{entry}, {label}: missing {sorted(wanted - shown)}, "
                                    f"unexpected {sorted(shown - wanted)}")
    assert not problems, "\n".join(problems)


def check_home_page_shows_the_latest_letters_not_all(archive: Archive, site: Path) -> None:
    letters = sorted((l for l in archive.all(Letter) if date_of(l)), key=lambda l: (dates.sort_key(date_of(l)), l.id))
    table = [t for t in article(site, "index.html").all("table")]
    shown = [target("index.html", a.attrs["href"]) for row in (rows(table[0]) if table else [])
             for a in row.kids("td")[-1].all("a")]
    assert shown == [page_of(l) for l in letters[::-1][:HOME_LETTERS]], f"index.html: latest letters {shown}"


def check_counts_shown_match_the_content(archive: Archive, site: Path) -> None:
    letters = archive.all(Letter)
    # The letters index: a page per year, one row per letter, and the count above each table.
    total = 0
    for path in group_pages(site, "letters/index.html"):
        table = article(site, path)
        n = len(rows(table))
        count = table.all("p", "letters-filter__count")[0].text()
        assert count == f"{n} of {n} letter" + ("" if n == 1 else "s"), f"{path}: {count}"
        total += n
    assert total == len(letters), "letters/index.html: rows on its year pages"
    # Leaders: each one's letters sent or received.
    people = {page_of(p): p for p in archive.leaders}
    for path in group_pages(site, "leaders.html"):
        for row in rows(article(site, path)):
            links = [target(path, a.attrs["href"]) for a in row.all("a")]
            assert links and links[0] in people, f"{path}: a row without its leader's link: {row.text()}"
            person = people[links[0]]
            sent_or_received = [l for l in letters if person.id == l.sender or person.id in l.recipients]
            shown = row.kids("td")[-1].text()
            assert shown == str(len(sent_or_received)), f"{path}: {person.name} shows {shown} letters"
    # Correspondence: each pair's letters, whichever way they went.
    expected = {pair_page(*ids): len(found) for ids, found in pairs(archive).items()}
    shown = {}
    for path in group_pages(site, "correspondence/index.html"):
        for row in rows(article(site, path)):
            links = [target(path, a.attrs["href"]) for a in row.all("a")]
            assert links, f"{path}: a row without its pair's link: {row.text()}"
            shown[links[0]] = row.kids("td")[1].text()
    assert shown == {page: str(n) for page, n in expected.items()}, "correspondence/index.html"
    # The home page's summary line.
    home = read(site, "index.html").text
    holds = home[home.index("The archive holds"):]
    numbers = [len(letters), len(archive.leaders), len(archive.all(Summit)), len(archive.all(Article))]
    assert [int(n) for n in re.findall(r"\d+", holds)][:4] == numbers, holds[:160]


# Fields whose ids must show as links both ways: the letter links its sender and the sender's
# page links the letter; the same for carriers, summits, topics, an article's outlet and so on.
LINKED_BOTH_WAYS = {
    ("letter", "sender"), ("letter", "recipients"), ("letter", "carriers"), ("letter", "replies_to"),
    ("letter", "summits"), ("letter", "topics"),
    ("summit", "attendees"), ("summit", "part_of"), ("summit", "topics"),
    ("article", "outlet"), ("article", "via"), ("article", "people"), ("article", "letters"),
    ("article", "summits"), ("article", "topics"),
}


def check_every_reference_is_a_link_both_ways(archive: Archive, site: Path) -> None:
    """Wherever the front matter names a record (the edges the builder resolved), both pages link."""
    links: dict[str, set[str]] = {}

    def targets(path: str) -> set[str]:
        if path not in links:
            links[path] = set(read(site, path).targets())
        return links[path]

    broken, checked = [], 0
    for edge in archive.edges:
        if (edge.source[0], edge.field) not in LINKED_BOTH_WAYS:
            continue
        checked += 1
        record, other = archive.records[edge.source], archive.records[edge.target]
        if page_of(other) not in targets(page_of(record)):
            broken.append(f"{page_of(record)} does not link its {edge.field} {page_of(other)}")
        if page_of(record) not in targets(page_of(other)):
            broken.append(f"{page_of(other)} does not link {page_of(record)} (whose {edge.field} it is)")
    assert checked, "no references found: has the archive's model changed?"
    assert not broken, f"{len(broken)} missing links:\n  " + "\n  ".join(broken[:30])


# Entries of a letter's or summit's fact list that are not facts but ways on.
CURATOR_NOTE = "Curator's addition, not from the archive's articles:"
NOT_FACTS = {"Answered by", "Thread", "Correspondence", "Others in the batch"}
# Sections whose list items are facts, each with its source.
FACT_SECTIONS = {"letters": ("Summits and meetings", "Topics"), "summits": ("Who attended", "Who was to attend", "Topics")}
NO_SOURCE = "no source cited"
# The curator's own addition, set apart in square brackets with where it comes from.
CURATOR_MARK = re.compile(r"\[[^\]]+\]")


def _is_source(node: Element) -> bool:
    """A footnote reference, the explicit 'no source cited', or the curator's bracketed mark."""
    if node.tag == "a":
        return "footnote-ref" in node.classes()
    return node.tag in ("em", "span", "small") and bool(NO_SOURCE in node.text() or CURATOR_MARK.search(node.text()))


def _cited(element: Element) -> bool:
    return any(_is_source(node) for node in element.walk()) or NO_SOURCE in element.text()


def _uncited_links(element: Element) -> int:
    """Record links in a fact not followed by a source (or the mark) before the next one."""
    uncited, pending = 0, False
    for node in element.walk():
        if node.tag == "a" and "footnote-ref" not in node.classes():
            uncited += pending
            pending = True
        elif _is_source(node):
            pending = False
    return uncited + pending


def _fact_problems(path: str, page: Element) -> list[str]:
    problems = []
    dl = page.all("dl")
    assert dl, f"{path}: no list of facts"
    label = None
    for child in dl[0].children:
        if not isinstance(child, Element):
            continue
        if child.tag == "dt":
            label = child.text()
        elif child.tag == "dd" and label not in NOT_FACTS:
            items = child.all("li") or [child]
            for item in items:
                has_links = any("footnote-ref" not in a.classes() for a in item.all("a"))
                if has_links and _uncited_links(item):
                    problems.append(f"{path}: {label}: a record named without a source: {item.text()[:80]}")
                # A date may rest on the curator's note (in italics) alone.
                elif not has_links and not (_cited(item) or item.all("em")):
                    problems.append(f"{path}: {label}: neither a source nor {NO_SOURCE!r}: {item.text()[:80]}")
    headings = {h.text(): h for h in page.all("h2")}
    for title in FACT_SECTIONS[path.split("/")[0]]:
        if title in headings:
            section = _next_element(page, headings[title])
            for item in section.all("li"):
                if _uncited_links(item):
                    problems.append(f"{path}: {title}: {item.text()[:80]} has no source")
    return problems


def _next_element(page: Element, heading: Element) -> Element:
    siblings = [c for c in page.children if isinstance(c, Element)]
    return siblings[siblings.index(heading) + 1]


def check_every_fact_has_a_source_or_says_it_has_none(archive: Archive, site: Path) -> None:
    problems = []
    for record in [*archive.all(Letter), *archive.all(Summit)]:
        problems += _fact_problems(page_of(record), article(site, page_of(record)))
    assert not problems, "\n".join(problems[:30])


def check_every_source_quotes_the_article_it_links(archive: Archive, site: Path) -> None:
    """Each footnote on a letter or summit page leads to an article whose text holds the quoted words."""
    article_words: dict[str, list[str]] = {}
    problems = []
    for record in [*archive.all(Letter), *archive.all(Summit)]:
        path = page_of(record)
        page = article(site, path)
        notes = {li.attrs["id"]: li for li in page.all("li") if li.attrs.get("id", "").startswith("fn:")}
        for ref in page.all("a", "footnote-ref"):
            note = notes.get(ref.attrs["href"].lstrip("#"))
            if note is None:
                problems.append(f"{path}: footnote {ref.text()} leads nowhere")
                continue
            if note.text().startswith(CURATOR_NOTE):
                if not note.text()[len(CURATOR_NOTE):].strip(" ↩"):
                    problems.append(f"{path}: footnote {ref.text()} is the curator's but says not where from")
                continue
            source = target(path, note.all("a")[0].attrs["href"])
            quoted = re.search(r"“(.*)”", note.text())
            if not source.startswith("articles/") or not quoted:
                problems.append(f"{path}: footnote {ref.text()} names no article and words: {note.text()[:80]}")
                continue
            if source not in article_words:
                article_words[source] = _words(read(site, source).text)
            if not _contains(article_words[source], _words(quoted.group(1))):
                problems.append(f"{path}: footnote {ref.text()} quotes words not in {source}: {quoted.group(1)[:80]}")
        has_notes = bool(notes)
        assert has_notes == ("Sources" in [h.text() for h in page.all("h2")]), f"{path}: Sources heading"
    assert not problems, "\n".join(sorted(set(problems))[:30])


def _plain_body(body: str) -> str:
    """An article's Markdown as a reader reads it: comments, link targets and markup dropped."""
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    body = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", body)
    return re.sub(r"<[^>]*>", " ", body)


def check_articles_show_their_text_and_link_names_to_their_pages(archive: Archive, site: Path) -> None:
    """The journalism is there word for word; every name linked in it leads to the page of a person,
    summit or topic called that, and that page quotes the article back under "Mentioned in"."""
    names = {page_of(r): {" ".join(n.split()).casefold() for n in (name_of(r), *getattr(r, "aliases", ()))}
             for r in [*archive.all(Person), *archive.all(Summit), *archive.all(Topic)]}
    problems = []
    for record in archive.all(Article):
        path = page_of(record)
        page = read(site, path)
        paragraphs = [p for p in re.split(r"\n\s*\n", _plain_body(record.body)) if _words(p)]
        text = _words(page.text)
        problems += [f"{path}: text missing: {p.strip()[:80]}" for p in paragraphs if not _contains(text, _words(p))]
        for words, to in page.text_links:
            if " ".join(words.split()).casefold() not in names.get(to, ()):
                problems.append(f"{path}: {words!r} links {to}, which is not a record of that name")
            elif path not in [t for _, t in read(site, to).links]:
                problems.append(f"{to} does not link back to {path}, which names it")
    assert not problems, "\n".join(problems[:30])


def check_timeline_years_are_the_years_of_the_dated_records(archive: Archive, site: Path) -> None:
    """The timeline links a page per year that has dated records (and one for a year no one knows);
    each year's page lists that year's records, and every dated record is on one."""
    dated = [r for model in (Letter, Summit, Article) for r in archive.all(model) if date_of(r)]
    expected: dict[str, set[str]] = {}
    for record in dated:
        expected.setdefault(year_label(record), set()).add(page_of(record))
    years = group_pages(site, "timeline.html")
    known = sorted(int(y) for y in expected if y != "Year unknown")
    assert list(years.values()) == [str(y) for y in known] + (["Year unknown"] if "Year unknown" in expected else [])
    shown = {label: {t for t in read(site, path).targets() if t in {page_of(r) for r in dated}}
             for path, label in years.items()}
    assert shown == expected, "the timeline's year pages list other records than the dated records of each year"
    for path in years:
        assert all((site / t).exists() for t in read(site, path).targets())


def check_every_pair_of_correspondents_has_a_page(archive: Archive, site: Path) -> None:
    expected = pairs(archive)
    shown = set().union(*listed(site, "correspondence/index.html", "correspondence/").values())
    assert shown == {pair_page(*ids) for ids in expected}, "correspondence/index.html lists other pairs"
    for (a, b), letters in expected.items():
        page = read(site, pair_page(a, b))
        first, second = archive.get("person", a), archive.get("person", b)
        assert first.name in page.h1 and second.name in page.h1, page.h1
        for letter in letters:
            assert page.link_to(page_of(letter)), f"{pair_page(a, b)} does not list {letter.id}"
            assert read(site, page_of(letter)).link_to(pair_page(a, b)), f"{letter.id} does not link {pair_page(a, b)}"


CHECKS = [
    check_every_record_is_reachable_from_the_home_page,
    check_every_record_has_its_page_with_its_name_as_h1,
    check_search_finds_every_name_and_alias_on_its_page,
    check_each_listing_links_exactly_its_records,
    check_home_page_shows_the_latest_letters_not_all,
    check_counts_shown_match_the_content,
    check_every_reference_is_a_link_both_ways,
    check_every_fact_has_a_source_or_says_it_has_none,
    check_every_source_quotes_the_article_it_links,
    check_articles_show_their_text_and_link_names_to_their_pages,
    check_timeline_years_are_the_years_of_the_dated_records,
    check_every_pair_of_correspondents_has_a_page,
]
