"""Who wrote to whom, drawn at build time, and the letters index's filters, read from the built HTML.

The drawing and the letters table are raw HTML, which MkDocs neither rewrites nor
validates: these tests check that their links reach real pages.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from archive_kit import make_project
from builder.pipeline import Project, build
from html_kit import read

SVG = "{http://www.w3.org/2000/svg}"
NETWORK_SVG = r'<svg\b[^>]*class="network__svg".*?</svg>'  # Material's icons are inline SVG too
LEADERS = [
    "vladimir-putin", "barack-obama", "george-w-bush", "donald-trump", "bashar-al-assad", "theresa-may",
    "xi-jinping", "emmanuel-macron", "frank-walter-steinmeier", "angela-merkel", "pope-francis",
    "antonio-guterres", "christine-lagarde", "gianni-infantino",
]


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


# The real archive -----------------------------------------------------------------


def test_home_page_draws_everyone_who_wrote_or_was_written_to(site):
    page = read(site, "index.html")
    assert "Who wrote to whom" in [h for _, h in page.headings]
    people = linked(site, "index.html")
    assert sorted(people) == sorted(f"people/{i}.html" for i in LEADERS)
    assert people["people/vladimir-putin.html"].get("aria-label") == "Vladimir Putin: 4 letters"
    assert people["people/barack-obama.html"].get("aria-label") == "Barack Obama: 2 letters"
    assert people["people/donald-trump.html"].get("aria-label") == "Donald Trump: 1 letter"
    for a in people.values():  # each node: a title for the tooltip, the name shown
        title, text = a.find(SVG + "title"), a.find(SVG + "text")
        assert title.text == a.get("aria-label")
        assert a.get("aria-label").startswith(text.text + ":")


def test_home_page_drawing_has_an_arrow_per_sender_and_recipient(site):
    (svg,) = drawings(site, "index.html")
    arrows = sorted(svg_text(line) for line in svg.iter(SVG + "line"))
    assert len(arrows) == 14  # Putin to each of 13, and Obama to Putin
    assert "Barack Obama to Vladimir Putin: 1 letter" in arrows
    assert "Vladimir Putin to Barack Obama: 1 letter" in arrows
    assert "Vladimir Putin to Gianni Infantino: 1 letter" in arrows
    assert all(line.get("marker-end") for line in svg.iter(SVG + "line"))


def test_the_most_connected_person_is_in_the_centre(site):
    (svg,) = drawings(site, "index.html")
    (centre,) = [a for a in svg.iter(SVG + "a") if "network__node--centre" in a.get("class")]
    assert centre.get("href") == "people/vladimir-putin.html"
    circle = centre.find(SVG + "circle")
    _, _, width, _ = map(float, svg.get("viewBox").split())
    assert abs(float(circle.get("cx")) - width / 2) < width / 10


def test_home_page_says_in_words_who_wrote_to_whom(site):
    text = read(site, "index.html").section("Who wrote to whom")
    assert "Barack Obama wrote to Vladimir Putin (1 letter)" in text
    assert "Vladimir Putin wrote to Angela Merkel (1 letter), António Guterres (1 letter)," in text
    for name in ("George W. Bush", "Pope Francis", "Xi Jinping", "Gianni Infantino"):
        assert f"{name} (1 letter)" in text


def test_every_link_in_a_drawing_leads_to_a_page(site):
    checked = 0
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        for svg in drawings(site, page):
            for href in nodes(svg):
                assert href.endswith(".html"), f"{page}: {href}"
                assert (site / resolve(page, href)).is_file(), f"{page} links {href}, which is not built"
                checked += 1
    assert checked > 14


def test_leader_page_shows_their_correspondents(site):
    page = read(site, "people/barack-obama.html")
    headings = [h for _, h in page.headings]
    assert headings.index("Correspondents") < headings.index("Letters")
    people = linked(site, "people/barack-obama.html")
    assert list(people) == ["people/vladimir-putin.html"]  # their own node is no link to the page itself
    assert people["people/vladimir-putin.html"].get("aria-label") == "Vladimir Putin: 2 letters with Barack Obama"
    (svg,) = drawings(site, "people/barack-obama.html")
    assert "Barack Obama" in [t.text for t in svg.iter(SVG + "text")]
    assert sorted(svg_text(line) for line in svg.iter(SVG + "line")) == [
        "Barack Obama to Vladimir Putin: 1 letter", "Vladimir Putin to Barack Obama: 1 letter"]
    assert ("Barack Obama wrote to Vladimir Putin (1 letter); Vladimir Putin wrote to Barack Obama (1 letter)."
            in page.section("Correspondents"))


def test_putin_page_shows_everyone_he_wrote_to(site):
    people = linked(site, "people/vladimir-putin.html")
    assert sorted(people) == sorted(f"people/{i}.html" for i in LEADERS if i != "vladimir-putin")


def test_person_without_letters_has_no_drawing(site):
    page = read(site, "people/nikolai-patrushev.html")  # carried a letter, wrote none
    assert "Correspondents" not in [h for _, h in page.headings]
    assert drawings(site, "people/nikolai-patrushev.html") == []


def test_letters_index_has_labelled_filters(site):
    doc = tree(site, "letters/index.html")
    (form,) = doc.find_all("form", class_="letters-filter")
    assert "hidden" in form.attrs  # until the script runs: without it the whole table shows
    labels = {label.attrs["for"]: label.text for label in form.find_all("label")}
    selects = {select.attrs["id"]: select for select in form.find_all("select")}
    assert labels == {"letters-sender": "From", "letters-recipients": "To", "letters-year": "Year",
                      "letters-topics": "Topic", "letters-status": "Text", "letters-order": "Date order"}
    assert set(selects) == set(labels)

    def options(id_):
        return [(o.attrs["value"], o.text) for o in selects[id_].find_all("option")]

    assert options("letters-sender") == [("", "Anyone"), ("barack-obama", "Barack Obama"),
                                         ("vladimir-putin", "Vladimir Putin")]
    assert ("gianni-infantino", "Gianni Infantino") in options("letters-recipients")
    assert options("letters-year") == [("", "Any year"), ("2001", "2001"), ("2013", "2013"), ("2018", "2018")]
    assert ("syria", "Syria") in options("letters-topics")
    assert options("letters-status") == [("", "Any"), ("excerpts", "Excerpts quoted in the press"),
                                         ("reported", "Known only from reports")]
    assert options("letters-order") == [("ascending", "Oldest first"), ("descending", "Newest first")]
    (count,) = form.find_all("p", class_="letters-filter__count")
    assert count.attrs["aria-live"] == "polite" and count.text == "4 of 4 letters"
    html = (site / "letters/index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/javascripts/letters-filter.js"></script>' in html
    assert (site / "assets/javascripts/letters-filter.js").is_file()


def test_letters_index_rows_carry_what_the_filters_compare(site):
    doc = tree(site, "letters/index.html")
    (table,) = doc.find_all("table")
    rows = table.find_all("tbody")[0].find_all("tr")
    assert [r.attrs["data-date"] for r in rows] == ["2001-01-20", "2013-04-01", "2013-05-22", "2018-12-30"]
    reply = rows[2]
    assert reply.attrs["data-sender"] == "vladimir-putin"
    assert reply.attrs["data-recipients"] == "barack-obama"
    assert reply.attrs["data-year"] == "2013"
    assert "syria" in reply.attrs["data-topics"].split()
    assert reply.attrs["data-status"] == "reported"
    assert reply.text == "22 May 2013 Vladimir Putin Barack Obama Putin's reply to Obama, May 2013 Known only from reports"
    assert len(rows[3].attrs["data-recipients"].split()) == 11
    # The table is raw HTML: MkDocs does not check its links, so check them here.
    for a in table.find_all("a"):
        assert (site / resolve("letters/index.html", a.attrs["href"])).is_file(), a.attrs["href"]
    page = read(site, "letters/index.html")
    assert page.link_to("letters/2013-05-putin-to-obama.html") == "Putin's reply to Obama, May 2013"
    assert page.link_to("people/gianni-infantino.html") == "Gianni Infantino"


# Tiny archives ------------------------------------------------------------------------


def _build(folder, files=None):
    folder.mkdir(parents=True, exist_ok=True)
    project = Project(make_project(folder, files))
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
    assert list(linked(site, "people/alpha.html")) == ["people/beta.html"]
    assert drawings(site, "people/gamma.html") == []  # a carrier, no letters of her own


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
    doc = tree(site, "letters/index.html")
    statuses = [o.attrs["value"] for o in doc.find_all("select", id="letters-status")[0].find_all("option")]
    assert statuses == ["", "published", "reported"]


NASTY = 'Anna "A" <Alpha> & Co\'s'


def test_names_are_escaped_in_the_drawing_and_the_filters(tmp_path):
    site = _build(tmp_path, {"people/alpha.md": """
        ---
        name: "Anna \\"A\\" <Alpha> & Co's"
        role: leader
        ---
        """})
    people = linked(site, "people/beta.html")
    assert people["people/alpha.html"].get("aria-label") == f"{NASTY}: 2 letters with Boris Beta"
    assert people["people/alpha.html"].find(SVG + "text").text == NASTY
    doc = tree(site, "letters/index.html")
    options = [o.text for o in doc.find_all("select", id="letters-sender")[0].find_all("option")]
    assert NASTY in options
    assert read(site, "letters/index.html").link_to("people/alpha.html") == NASTY
    assert f"{NASTY} wrote to Boris Beta (1 letter)" in read(site, "index.html").section("Who wrote to whom")


def test_raw_html_never_starts_a_line_with_four_spaces(mini):
    """Markdown would turn such a line into a code block in the middle of the drawing or the table."""
    for page in ("index.html", "people/alpha.html", "letters/index.html"):
        html = (mini / page).read_text(encoding="utf-8")
        assert "<pre><code>&lt;" not in html, page
