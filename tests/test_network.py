"""Who wrote to whom, drawn at build time, and the letters index's filters, read from the built HTML.

The drawing and the letters table are raw HTML, which MkDocs neither rewrites nor
validates: these tests check that their links reach real pages. A geometry
checker reads each drawing as a browser would draw it and holds it to what a
reader needs: no line through a node it does not join, no label on another
label or node, nothing outside the view, unrelated circles of correspondents
apart. It runs on the real archive, on a generated archive of several circles,
and on random small correspondence graphs.
"""

from __future__ import annotations

import math
import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from archive_kit import MINI, ROOT, make_project
from builder.derive.network import Correspondence, layout
from builder.pipeline import Project, build, check
from builder.model.schema import Letter, Person
from html_kit import read

SVG = "{http://www.w3.org/2000/svg}"
NETWORK_SVG = r'<svg\b[^>]*class="network__svg".*?</svg>'  # Material's icons are inline SVG too


# Reading the raw HTML -----------------------------------------------------------


def drawings(site, path: str) -> list[ET.Element]:
    """Every inline SVG on a page, parsed as XML: a name left unescaped would fail here."""
    html = (site / path).read_text(encoding="utf-8")
    return [ET.fromstring(svg) for svg in re.findall(NETWORK_SVG, html, re.DOTALL)]


def svg_text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def nodes(svg: ET.Element) -> dict[str, ET.Element]:
    """Linked nodes by where they lead, as a path from the site root."""
    return {href: a for a in svg.iter(SVG + "a") if (href := a.get("href"))}


def resolve(page: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))


def linked(site, page: str) -> dict[str, ET.Element]:
    """The people one page's drawing links to: {site path: <a>}."""
    (svg,) = drawings(site, page)
    return {resolve(page, href): a for href, a in nodes(svg).items()}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children: list[Element] = []
        self.content: list[Element | str] = []  # text and children, in document order

    @property
    def text(self) -> str:
        return " ".join("".join(self._text()).split())

    def _text(self):
        for part in self.content:
            yield from ([part] if isinstance(part, str) else part._text())

    def find_all(self, tag: str, **attrs) -> list[Element]:
        found = []
        for child in self.children:
            if child.tag == tag and all(child.attrs.get(k.rstrip("_")) == v for k, v in attrs.items()):
                found.append(child)
            found += child.find_all(tag, **attrs)
        return found


class _Tree(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.root = self.current = Element("document", {}, None)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        self.current.content.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        self.current.content.append(element)

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.content.append(data)


def tree(site, path: str) -> Element:
    parser = _Tree()
    parser.feed((site / path).read_text(encoding="utf-8"))
    return parser.root


# The geometry checker ----------------------------------------------------------------

FONT = 14  # the labels' size in the stylesheet, in user units
GLYPH = 0.6  # a generous average glyph width, in ems
RIM = 1.25  # half a circle's stroke
ARROWHEAD = 5  # half an arrowhead's width

Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class Drawn:
    """A node as the SVG draws it."""

    name: str
    x: float
    y: float
    r: float
    label: Box  # where its text can reach
    hit: Box  # its clickable rectangle

    @property
    def extent(self) -> Box:
        return _union([(self.x - self.r - RIM, self.y - self.r - RIM, self.x + self.r + RIM, self.y + self.r + RIM),
                       self.label])


@dataclass(frozen=True)
class Line:
    title: str
    x1: float
    y1: float
    x2: float
    y2: float
    width: float


def _union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(x: float, y: float, box: Box) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _to_box(x: float, y: float, box: Box) -> float:
    return math.hypot(max(box[0] - x, 0.0, x - box[2]), max(box[1] - y, 0.0, y - box[3]))


def _to_segment(x: float, y: float, line: Line) -> float:
    dx, dy = line.x2 - line.x1, line.y2 - line.y1
    t = max(0.0, min(1.0, ((x - line.x1) * dx + (y - line.y1) * dy) / ((dx * dx + dy * dy) or 1.0)))
    return math.hypot(x - line.x1 - t * dx, y - line.y1 - t * dy)


def drawn_nodes(svg: ET.Element) -> list[Drawn]:
    """Each node in document order (a later one is on top), its label's box from the text's position."""
    found = []
    for node in svg.find(f"{SVG}g[@class='network__nodes']"):
        circle, text, rect = node.find(SVG + "circle"), node.find(SVG + "text"), node.find(SVG + "rect")
        width = len(text.text) * FONT * GLYPH
        x, baseline = float(text.get("x")), float(text.get("y")) + float(text.get("dy").removesuffix("em")) * FONT
        left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
        hx, hy, hw, hh = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
        found.append(Drawn(text.text, float(circle.get("cx")), float(circle.get("cy")), float(circle.get("r")),
                           (left, baseline - FONT, left + width, baseline + 0.3 * FONT), (hx, hy, hx + hw, hy + hh)))
    return found


def drawn_lines(svg: ET.Element) -> list[Line]:
    return [Line(line.find(SVG + "title").text, *(float(line.get(k)) for k in ("x1", "y1", "x2", "y2", "stroke-width")))
            for line in svg.iter(SVG + "line")]


def faults(svg: ET.Element) -> list[str]:
    """Everything a reader would see wrong in one drawing; an empty list when it is clear."""
    _, _, width, height = map(float, svg.get("viewBox").split())
    view = (0.0, 0.0, width, height)
    people, lines = drawn_nodes(svg), drawn_lines(svg)
    found = []
    for p in people:
        if _union([p.extent, view]) != view:
            found.append(f"{p.name}: outside the view {view}: {p.extent}")
    circles = {n: {n} for n in range(len(people))}  # who is linked to whom, through anyone
    for line in lines:
        start = min(range(len(people)), key=lambda n: math.hypot(people[n].x - line.x1, people[n].y - line.y1))
        end = min(range(len(people)), key=lambda n: math.hypot(people[n].x - line.x2, people[n].y - line.y2))
        if not line.title.startswith(f"{people[start].name} to {people[end].name}: "):
            found.append(f"line '{line.title}' runs from {people[start].name} to {people[end].name}")
        joined = circles[start] | circles[end]
        circles.update(dict.fromkeys(joined, joined))
        for n, p in enumerate(people):
            if n not in (start, end) and _to_segment(p.x, p.y, line) < p.r + RIM + max(ARROWHEAD, line.width / 2):
                found.append(f"line '{line.title}' passes through {p.name}")
    for n, p in enumerate(people):
        for m, q in enumerate(people[n + 1:], n + 1):
            if _overlap(p.label, q.label):
                found.append(f"labels of {p.name} and {q.name} overlap")
            if circles[n] is not circles[m] and _overlap(p.extent, q.extent):
                found.append(f"{p.name} and {q.name} are not linked, but their circles overlap")
            if _inside(p.x, p.y, q.hit) or _inside((p.label[0] + p.label[2]) / 2, (p.label[1] + p.label[3]) / 2, q.hit):
                found.append(f"a click on {p.name} would open {q.name}")
        for q in people:
            if q is not p and _to_box(q.x, q.y, p.label) < q.r + RIM:
                found.append(f"label of {p.name} covers the node of {q.name}")
    return found


def test_the_checker_sees_a_line_through_a_node_and_overlapping_labels():
    svg = ET.fromstring(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><g class="network__edges">'
        '<line x1="31" y1="50" x2="269" y2="50" stroke-width="1.5"><title>Ann to Cyrus: 1 letter</title></line></g>'
        '<g class="network__nodes">'
        + "".join(f'<a><rect x="{x - 10}" y="40" width="20" height="20"/><circle cx="{x}" cy="50" r="9"/>'
                  f'<text x="{x}" y="70" dy="0em" text-anchor="start">{name}</text></a>'
                  for x, name in ((20, "Ann"), (150, "Bob"), (280, "Cyrus"), (160, "Dee")))
        + "</g></svg>")
    assert faults(svg) == [
        "Cyrus: outside the view (0.0, 0.0, 300.0, 100.0): (269.75, 39.75, 322.0, 74.2)",
        "line 'Ann to Cyrus: 1 letter' passes through Bob",
        "line 'Ann to Cyrus: 1 letter' passes through Dee",
        "labels of Bob and Dee overlap",
        "Bob and Dee are not linked, but their circles overlap",
        "a click on Bob would open Dee",
        "label of Bob covers the node of Dee",
    ]


# The real archive: what holds for any content ------------------------------------------


@pytest.fixture(scope="module")
def archive(real_project):
    found, _ = check(real_project)
    return found


def letters_word(count: int) -> str:
    return f"{count} letter" if count == 1 else f"{count} letters"


def exchanged(archive) -> dict[tuple[str, str], tuple[str, str, int]]:
    """(sender id, recipient id) -> the names and letter count a drawing should show."""
    return {(s, r): (archive.get("person", s).name, archive.get("person", r).name, len(found))
            for (s, r), found in archive.exchanges().items()}


def correspondents(archive) -> dict[str, set[str]]:
    """Everyone who sent or received a letter, with whom."""
    found: dict[str, set[str]] = {}
    for s, r in archive.exchanges():
        found.setdefault(s, set()).add(r)
        found.setdefault(r, set()).add(s)
    return found


def every_drawing(site) -> list[tuple[str, ET.Element]]:
    return [(page, svg) for path in sorted(site.rglob("*.html"))
            for page in [path.relative_to(site).as_posix()] for svg in drawings(site, page)]


def in_words(text: str) -> set[tuple[str, str, int]]:
    """'In words: A wrote to B (1 letter), C (2 letters); D wrote to …' as (sender, recipient, count)."""
    # The sentence ends at the first "(n letters)." ("George W. Bush" has a full stop of its own).
    said = re.match(r"(.*?\(\d+ letters?\))\.(?:\s|$)", text.split("In words: ", 1)[1], re.S)[1]
    found = set()
    for clause in said.split("; "):
        sender, recipients = clause.split(" wrote to ", 1)
        for name, count in re.findall(r"(.+?) \((\d+) letters?\)(?:, |$)", recipients):
            found.add((sender, name, int(count)))
    return found


def test_real_drawings_are_clear(site):
    """No line through a node, no label on another, nothing outside the view, circles apart: on every page."""
    drawn = every_drawing(site)
    assert drawn
    for page, svg in drawn:
        assert faults(svg) == [], page


def test_home_page_draws_everyone_who_wrote_or_was_written_to(site, archive):
    page = read(site, "index.html")
    assert "Who wrote to whom" in [h for _, h in page.headings]
    people = linked(site, "index.html")
    assert sorted(people) == sorted(f"people/{i}.html" for i in correspondents(archive))
    for a in people.values():  # each node: a title for the tooltip, the name shown
        title, text = a.find(SVG + "title"), a.find(SVG + "text")
        assert title.text == a.get("aria-label")
        assert a.get("aria-label").startswith(text.text + ": ")


def test_home_page_has_an_arrow_for_every_exchanged_pair(site, archive):
    (svg,) = drawings(site, "index.html")
    arrows = sorted(svg_text(line) for line in svg.iter(SVG + "line"))
    assert arrows == sorted(f"{s} to {r}: {letters_word(n)}" for s, r, n in exchanged(archive).values())
    assert all(line.get("marker-end") for line in svg.iter(SVG + "line"))


def test_home_page_says_in_words_who_wrote_to_whom(site, archive):
    assert in_words(read(site, "index.html").section("Who wrote to whom")) == set(exchanged(archive).values())


def test_every_link_in_a_drawing_leads_to_a_page(site, archive):
    checked = 0
    for page, svg in every_drawing(site):
        for href in nodes(svg):
            assert href.endswith(".html"), f"{page}: {href}"
            assert (site / resolve(page, href)).is_file(), f"{page} links {href}, which is not built"
            checked += 1
    assert checked >= len(correspondents(archive))


def test_each_correspondents_page_shows_who_they_exchanged_letters_with(site, archive):
    pairs = exchanged(archive)
    for person, others in correspondents(archive).items():
        path, name = f"people/{person}.html", archive.get("person", person).name
        page = read(site, path)
        headings = [h for _, h in page.headings]
        assert headings.index("Correspondents") < headings.index("Letters"), path
        assert sorted(linked(site, path)) == sorted(f"people/{i}.html" for i in others), path
        (svg,) = drawings(site, path)
        (own,) = [g for g in svg.iter(SVG + "g") if "network__node--centre" in (g.get("class") or "")]
        assert own.find(SVG + "text").text == name  # their own node: shown, filled, and no link to this page
        theirs = {key: value for key, value in pairs.items() if person in key}
        assert sorted(svg_text(line) for line in svg.iter(SVG + "line")) == sorted(
            f"{s} to {r}: {letters_word(n)}" for s, r, n in theirs.values())
        assert in_words(page.section("Correspondents")) == set(theirs.values()), path


def test_person_without_letters_has_no_drawing(site, archive):
    for person in archive.all(Person):
        if person.id not in correspondents(archive):
            path = f"people/{person.id}.html"
            assert "Correspondents" not in [h for _, h in read(site, path).headings], path
            assert drawings(site, path) == [], path


def first_year(site) -> str:
    """The letters index is an entry page and a page per year, each with the filters: the first year's."""
    return next(t for t in read(site, "letters/index.html").targets() if t.startswith("letters/years/"))


def test_letters_index_has_labelled_filters(site):
    year = first_year(site)
    doc = tree(site, year)
    (form,) = doc.find_all("form", class_="letters-filter")
    assert "hidden" in form.attrs  # until the script runs: without it the whole table shows
    labels = {label.attrs["for"]: label.text for label in form.find_all("label")}
    selects = {select.attrs["id"]: select for select in form.find_all("select")}
    assert labels == {"letters-sender": "From", "letters-recipients": "To",  # the year is a page of its own
                      "letters-topics": "Topic", "letters-status": "Text", "letters-order": "Date order"}
    assert set(selects) == set(labels)
    (count,) = form.find_all("p", class_="letters-filter__count")
    assert count.attrs["aria-live"] == "polite"
    html = (site / year).read_text(encoding="utf-8")
    assert '<script src="../../assets/javascripts/letters-filter.js"></script>' in html
    assert (site / "assets/javascripts/letters-filter.js").is_file()


def test_letters_index_links_reach_pages(site):
    """The table is raw HTML: MkDocs does not check its links, so check them here."""
    year = first_year(site)
    (table,) = tree(site, year).find_all("table")
    links = table.find_all("a")
    assert links
    for a in links:
        assert (site / resolve(year, a.attrs["href"])).is_file(), a.attrs["href"]


# Tiny archives ------------------------------------------------------------------------


def _build(folder, files=None, base=MINI):
    folder.mkdir(parents=True, exist_ok=True)
    project = Project(make_project(folder, files, base))
    build(project)
    return project.site


def _svgs(site) -> dict[str, list[str]]:
    return {path.relative_to(site).as_posix(): re.findall(NETWORK_SVG, path.read_text(encoding="utf-8"),
                                                         re.DOTALL)
            for path in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("mini"))


def test_same_content_draws_the_same_bytes(mini, tmp_path):
    drawn = _svgs(mini)
    assert drawn["index.html"] and drawn["people/alpha.html"] and drawn["people/beta.html"]
    assert drawn == _svgs(_build(tmp_path))


def test_mini_network_links_both_leaders_and_draws_both_ways(mini):
    site = mini
    assert sorted(linked(site, "index.html")) == ["people/alpha.html", "people/beta.html"]
    (svg,) = drawings(site, "index.html")
    assert sorted(svg_text(line) for line in svg.iter(SVG + "line")) == [
        "Anna Alpha to Boris Beta: 1 letter", "Boris Beta to Anna Alpha: 1 letter"]
    assert linked(site, "index.html")["people/alpha.html"].get("aria-label") == "Anna Alpha: 2 letters"
    assert list(linked(site, "people/alpha.html")) == ["people/beta.html"]
    assert (linked(site, "people/alpha.html")["people/beta.html"].get("aria-label")
            == "Boris Beta: 2 letters with Anna Alpha")
    assert ("Anna Alpha wrote to Boris Beta (1 letter); Boris Beta wrote to Anna Alpha (1 letter)."
            in read(site, "people/alpha.html").section("Correspondents"))
    assert drawings(site, "people/gamma.html") == []  # a carrier, no letters of her own
    for page in ("index.html", "people/alpha.html", "people/beta.html"):
        assert faults(drawings(site, page)[0]) == [], page


def test_hub_is_the_person_with_most_correspondents(tmp_path):
    site = _build(tmp_path, {"letters/2013-07-beta-to-gamma.md": """
        ---
        title: Beta writes to Gamma
        sender: beta
        recipients: [gamma]
        dates:
          sent: "2013-07"
        text_status: published
        ---
        """})
    (svg,) = drawings(site, "index.html")
    (centre,) = [a for a in svg.iter(SVG + "a") if "network__node--centre" in a.get("class")]
    assert centre.get("href") == "people/beta.html"
    assert centre.get("aria-label") == "Boris Beta: 3 letters"
    assert faults(svg) == []
    doc = tree(site, "letters/years/2013.html")
    statuses = [o.attrs["value"] for o in doc.find_all("select", id="letters-status")[0].find_all("option")]
    assert statuses == ["", "published", "reported"]


NASTY = 'Anna "A" <3 & Co\'s > Z'  # markup itself is refused at validation; these characters are not


def test_names_are_escaped_in_the_drawing_and_the_filters(tmp_path):
    site = _build(tmp_path, {"people/alpha.md": """
        ---
        name: "Anna \\"A\\" <3 & Co's > Z"
        role: leader
        ---
        """})
    people = linked(site, "people/beta.html")
    assert people["people/alpha.html"].get("aria-label") == f"{NASTY}: 2 letters with Boris Beta"
    assert people["people/alpha.html"].find(SVG + "text").text == NASTY
    doc = tree(site, "letters/years/2013.html")
    options = [o.text for o in doc.find_all("select", id="letters-sender")[0].find_all("option")]
    assert NASTY in options
    assert read(site, "letters/years/2013.html").link_to("people/alpha.html") == NASTY
    assert f"{NASTY} wrote to Boris Beta (1 letter)" in read(site, "index.html").section("Who wrote to whom")


def test_raw_html_never_starts_a_line_with_four_spaces(mini):
    """Markdown would turn such a line into a code block in the middle of the drawing or the table."""
    for page in ("index.html", "people/alpha.html", "letters/years/2013.html"):
        html = (mini / page).read_text(encoding="utf-8")
        assert "<pre><code>&lt;" not in html, page


def test_letters_index_filters_offer_what_the_letters_have(mini):
    doc = tree(mini, "letters/years/2013.html")
    (form,) = doc.find_all("form", class_="letters-filter")
    selects = {select.attrs["id"]: select for select in form.find_all("select")}

    def options(id_):
        return [(o.attrs["value"], o.text) for o in selects[id_].find_all("option")]

    assert options("letters-sender") == [("", "Anyone"), ("alpha", "Anna Alpha"), ("beta", "Boris Beta")]
    assert options("letters-recipients") == [("", "Anyone"), ("alpha", "Anna Alpha"), ("beta", "Boris Beta")]
    assert "letters-year" not in selects  # a page per year: the year is a link, not a filter
    assert options("letters-topics") == [("", "Any topic"), ("trade", "Trade")]
    assert options("letters-status") == [("", "Any"), ("reported", "Known only from reports")]
    assert options("letters-order") == [("ascending", "Oldest first"), ("descending", "Newest first")]
    (count,) = form.find_all("p", class_="letters-filter__count")
    assert count.text == "2 of 2 letters"


def test_letters_index_rows_carry_what_the_filters_compare(mini):
    (table,) = tree(mini, "letters/years/2013.html").find_all("table")
    rows = table.find_all("tbody")[0].find_all("tr")
    assert [r.attrs["data-date"] for r in rows] == ["2013-04-15", "2013-05-22"]
    reply = rows[1]
    assert reply.attrs["data-sender"] == "beta"
    assert reply.attrs["data-recipients"] == "alpha"
    assert reply.attrs["data-year"] == "2013"
    assert reply.attrs["data-topics"] == ""
    assert reply.attrs["data-status"] == "reported"
    assert reply.text == "22 May 2013 Boris Beta Anna Alpha Beta answers Alpha Known only from reports"
    assert rows[0].attrs["data-topics"].split() == ["trade"]
    page = read(mini, "letters/years/2013.html")
    assert page.link_to("letters/2013-05-beta-to-alpha.html") == "Beta answers Alpha"
    assert page.link_to("people/alpha.html") == "Anna Alpha"


# A generated archive: several unrelated circles of correspondents ----------------------

STAR = ["Ana Ng", "Bartholomew Featherstonehaugh", "Cai Lun", "Dolores Montenegro-Alvarez", "Eve", "Fitzgerald Ode",
        "Gao Xingjian", "Hildegard von Bingen-Rosenthal", "Ida B. Wells", "Jo", "Kwame Nkrumah", "Liliuokalani"]
CIRCLES = [  # (sender name, recipient name, letters)
    ("Benjamin Netanyahu", "Mahmoud Abbas", 1),  # a single pair
    ("Kim Jong Un", "Donald Trump", 3), ("Donald Trump", "Kim Jong Un", 2),  # two-way pairs
    ("Mikhail Gorbachev", "Ronald Reagan", 1), ("Ronald Reagan", "Mikhail Gorbachev", 1),
    *(("Wilhelmina Hub", name, 1) for name in STAR),  # a star of 12
    ("Chain A", "Chain B", 1), ("Chain B", "Chain C", 1), ("Chain C", "Chain D", 1), ("Chain D", "Chain E", 2),
]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def circles_archive(circles: list[tuple[str, str, int]]) -> dict[str, str]:
    """Content files: a leader for every name, `letters` letters from each sender to each recipient."""
    files: dict[str, str] = {}
    for sender, recipient, count in circles:
        for name in (sender, recipient):
            files[f"people/{slug(name)}.md"] = f"---\nname: {name}\nrole: leader\n---\n"
        for n in range(count):
            files[f"letters/2020-01-{slug(sender)}-to-{slug(recipient)}-{n}.md"] = (
                f"---\ntitle: {sender} to {recipient}, {n + 1}\nsender: {slug(sender)}\n"
                f"recipients: [{slug(recipient)}]\ndates:\n  sent: \"2020-01\"\ntext_status: reported\n---\n")
    return files


@pytest.fixture(scope="module")
def circles(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("circles"), circles_archive(CIRCLES), base=None)


def test_several_circles_are_drawn_clear_of_each_other(circles):
    drawn = every_drawing(circles)
    assert len(drawn) == 1 + len({slug(n) for s, r, _ in CIRCLES for n in (s, r)})  # home and each person
    for page, svg in drawn:
        assert faults(svg) == [], page


def test_several_circles_show_every_person_and_arrow(circles):
    assert sorted(linked(circles, "index.html")) == sorted(
        {f"people/{slug(n)}.html" for s, r, _ in CIRCLES for n in (s, r)})
    (svg,) = drawings(circles, "index.html")
    assert sorted(svg_text(line) for line in svg.iter(SVG + "line")) == sorted(
        f"{s} to {r}: {letters_word(n)}" for s, r, n in CIRCLES)
    assert ("Kim Jong Un wrote to Donald Trump (3 letters); Mikhail Gorbachev wrote to Ronald Reagan (1 letter); "
            "Ronald Reagan wrote to Mikhail Gorbachev (1 letter);"
            in read(circles, "index.html").section("Who wrote to whom"))


def test_a_star_has_its_hub_in_the_middle(circles):
    (svg,) = drawings(circles, "index.html")
    at = {p.name: p for p in drawn_nodes(svg)}
    hub, spokes = at["Wilhelmina Hub"], [at[name] for name in STAR]
    assert abs(hub.x - sum(p.x for p in spokes) / 12) < 1 and abs(hub.y - sum(p.y for p in spokes) / 12) < 1
    radii = [math.hypot(p.x - hub.x, p.y - hub.y) for p in spokes]
    assert max(radii) - min(radii) < 1  # on one ring
    (centre,) = [a for a in svg.iter(SVG + "a") if "network__node--centre" in a.get("class")
                 and a.find(SVG + "text").text == "Wilhelmina Hub"]
    assert centre.get("aria-label") == "Wilhelmina Hub: 12 letters"


def test_a_pair_sits_side_by_side_and_two_way_letters_run_in_two_lanes(circles):
    (svg,) = drawings(circles, "index.html")
    at = {p.name: p for p in drawn_nodes(svg)}
    assert at["Benjamin Netanyahu"].y == at["Mahmoud Abbas"].y
    lines = {line.title: line for line in drawn_lines(svg)}
    there, back = lines["Kim Jong Un to Donald Trump: 3 letters"], lines["Donald Trump to Kim Jong Un: 2 letters"]
    assert there.width > back.width  # more letters, a thicker line
    u = (there.x2 - there.x1, there.y2 - there.y1)  # parallel, opposite, 7 apart (each 3.5 off the axis)
    v = (back.x2 - back.x1, back.y2 - back.y1)
    assert (u[0] * v[0] + u[1] * v[1]) / (math.hypot(*u) * math.hypot(*v)) < -0.999
    assert abs(_to_segment(back.x1, back.y1, there) - 7) < 0.3


def test_a_persons_own_drawing_is_their_circle_only(circles):
    people = linked(circles, "people/wilhelmina-hub.html")
    assert sorted(people) == sorted(f"people/{slug(n)}.html" for n in STAR)
    assert people["people/jo.html"].get("aria-label") == "Jo: 1 letter with Wilhelmina Hub"
    assert sorted(linked(circles, "people/chain-c.html")) == ["people/chain-b.html", "people/chain-d.html"]


def test_a_line_through_every_circle_is_what_the_checker_catches(circles):
    """The checker is not blind to these drawings: one node moved onto another's line is reported."""
    html = (circles / "index.html").read_text(encoding="utf-8")
    (svg,) = drawings(circles, "index.html")
    line = next(line for line in drawn_lines(svg) if line.title.startswith("Benjamin Netanyahu to"))
    x, y = (line.x1 + line.x2) / 2, (line.y1 + line.y2) / 2
    moved = re.sub(r'(aria-label="Kim Jong Un: [^"]*">.*?<circle )cx="[^"]*" cy="[^"]*"',
                   rf'\1cx="{x}" cy="{y}"', html, count=1, flags=re.DOTALL)
    (broken,) = [ET.fromstring(s) for s in re.findall(NETWORK_SVG, moved, re.DOTALL)]
    assert "line 'Benjamin Netanyahu to Mahmoud Abbas: 1 letter' passes through Kim Jong Un" in faults(broken)


# Random small correspondence graphs -------------------------------------------------------

TEMPLATES = Environment(loader=FileSystemLoader(ROOT / "builder" / "outputs" / "templates"), undefined=StrictUndefined)
name_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ-.'&<\"é", min_size=1, max_size=32)


@st.composite
def graphs(draw) -> Correspondence:
    size = draw(st.integers(2, 10))
    names = [draw(name_text).strip() or "X" for _ in range(size)]
    people = {f"p{n}": Person.model_construct(id=f"p{n}", name=name) for n, name in enumerate(names)}
    pairs = draw(st.dictionaries(
        st.tuples(st.sampled_from(sorted(people)), st.sampled_from(sorted(people))).filter(lambda p: p[0] != p[1]),
        st.integers(1, 12), min_size=1, max_size=16))
    found = {pair: tuple(Letter.model_construct(id=f"{pair[0]}-{pair[1]}-{n}") for n in range(count))
             for pair, count in sorted(pairs.items())}
    ids = {i for pair in found for i in pair}
    return Correspondence({i: p for i, p in sorted(people.items()) if i in ids}, found)


def drawn(graph: Correspondence, centre: str | None = None) -> str:
    drawing = layout(graph, lambda person: f"people/{person.id}.html", centre=centre)
    return TEMPLATES.get_template("_network.svg.j2").render(network=drawing)


@settings(max_examples=150, deadline=None)
@given(graph=graphs())
def test_any_small_graph_is_drawn_clear(graph):
    markup = drawn(graph)
    assert markup == drawn(graph)  # the same graph, the same bytes
    (svg,) = [ET.fromstring(s) for s in re.findall(NETWORK_SVG, markup, re.DOTALL)]
    assert faults(svg) == []
    assert sorted(nodes(svg)) == sorted(f"people/{i}" + ".html" for i in graph.people)
    assert len(list(svg.iter(SVG + "line"))) == len(graph.pairs)
    person = next(iter(graph.people))
    (own,) = [ET.fromstring(s) for s in re.findall(NETWORK_SVG, drawn(graph.ego(person), person), re.DOTALL)]
    assert faults(own) == []
