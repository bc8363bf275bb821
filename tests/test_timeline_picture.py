"""The timeline picture, drawn at build time, read from the built HTML as a reader's browser gets it.

A small archive gets a mark per letter and meeting, dates known only to a month or a
year drawn as spans across all they can mean; a large one gets a bar per month or year,
so the number of marks stays bounded. Every mark is a link to the part of the timeline
that lists its entry, the picture is named and described, and the timeline's list stays.
The picture is raw HTML, which MkDocs neither rewrites nor validates: here each link must
reach a page that exists and an id on it. Generated archives of two sizes: test_listings_at_scale.py.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from archive_kit import ROOT, make_project
from builder.derive import chronology
from builder.pipeline import Project, build
from html_kit import read

SVG = "{http://www.w3.org/2000/svg}"
PICTURE = r'<figure class="timeline-picture">.*?</figure>'
HOSTILE = 'Alpha\'s "note": a < b & c > d {: .x }'


def letter(title: str, sender: str, recipient: str, when: str) -> str:
    return (f"---\ntitle: {json.dumps(title)}\nsender: {sender}\nrecipients: [{recipient}]\n"
            f"dates:\n  sent: \"{when}\"\ntext_status: reported\n---\n")


FILES = {
    "letters/2012-alpha-to-beta.md": letter(HOSTILE, "alpha", "beta", "2012"),  # a year: a span across it
    "letters/2013-07-beta-to-alpha.md": letter("Beta in July", "beta", "alpha", "2013-07"),  # a month
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = Project(make_project(tmp_path_factory.mktemp("timeline"), FILES))
    build(project)
    return project.site


# Reading the picture -------------------------------------------------------------


def pictures(site: Path, path: str) -> list[ET.Element]:
    """Each timeline picture on a page, its SVG parsed as XML: a title left unescaped would fail here."""
    html = (site / path).read_text(encoding="utf-8")
    return [ET.fromstring(re.search(r"<svg\b.*?</svg>", figure, re.S).group(0))
            for figure in re.findall(PICTURE, html, re.S)]


def marks(svg: ET.Element) -> dict[str, ET.Element]:
    """The picture's marks by what they say: their <title>, as a tooltip and a screen reader give it."""
    found = {}
    for mark in svg.iter():
        if "timeline-picture__mark" in (mark.get("class") or "").split():
            found[mark.find(SVG + "title").text] = mark
    return found


def links(svg: ET.Element) -> list[str]:
    return [a.get("href") for a in svg.iter(SVG + "a")]


def ids(site: Path, path: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', (site / path).read_text(encoding="utf-8")))


def check_links_resolve(site: Path, page: str, svg: ET.Element) -> None:
    """Every link reaches a built page and, when it names one, an id on it."""
    for href in links(svg):
        target, _, fragment = href.partition("#")
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), target)) if target else page
        assert (site / path).is_file(), f"{page}: {href} leads nowhere"
        assert not fragment or fragment in ids(site, path), f"{page}: {href}: no such id on {path}"


def named(svg: ET.Element) -> tuple[str, str]:
    """The picture's accessible name and description, found as assistive technology finds them."""
    title = next(e for e in svg.iter() if e.get("id") == svg.get("aria-labelledby"))
    desc = next(e for e in svg.iter() if e.get("id") == svg.get("aria-describedby"))
    return title.text, desc.text


def is_span(mark: ET.Element) -> bool:
    return all("timeline-picture__bar--span" in bar.get("class") for bar in bars(mark))


def bars(mark: ET.Element) -> list[ET.Element]:
    return [r for r in mark.iter(SVG + "rect") if "timeline-picture__bar" in r.get("class")]


# A small archive: a mark each ---------------------------------------------------------


def test_timeline_draws_each_letter_and_meeting_linked_to_where_the_timeline_lists_it(site):
    (svg,) = pictures(site, "timeline.html")
    assert svg.get("role") == "group"
    title, desc = named(svg)
    assert title == "Letters and meetings over time, 2012–2013"
    assert desc.startswith("4 letters, 1 summit or meeting, 2012–2013. Each letter and meeting is a mark")
    found = marks(svg)
    assert {label: mark.get("href") for label, mark in found.items()} == {
        f"Letter: {HOSTILE}, 2012": "timeline/2012.html#2012-month-not-known",
        "Letter: Alpha writes to Beta, 15 April 2013": "timeline/2013.html#april-2013",
        "Letter: Beta answers Alpha, 22 May 2013": "timeline/2013.html#may-2013",
        "Summit or meeting: The June meeting, 17–18 June 2013": "timeline/2013.html#june-2013",
        "Letter: Beta in July, July 2013": "timeline/2013.html#july-2013",
    }
    check_links_resolve(site, "timeline.html", svg)
    # The year and the month known only roughly, and the two-day meeting, are spans; a day is a point.
    spans = {label.split(",")[0] for label, mark in found.items() if is_span(mark)}
    assert spans == {f"Letter: {HOSTILE}", "Summit or meeting: The June meeting", "Letter: Beta in July"}
    width = {label: float(bars(mark)[0].get("width")) for label, mark in found.items()}
    year, month, day = (width[f"Letter: {HOSTILE}, 2012"], width["Letter: Beta in July, July 2013"],
                        width["Letter: Beta answers Alpha, 22 May 2013"])
    assert year > 10 * month and month > day
    # The text alternative stays: the list of years under the picture.
    assert [t for t in read(site, "timeline.html").targets() if t.startswith("timeline/")] == [
        "timeline/2012.html", "timeline/2013.html"]


def test_contributor_words_in_the_picture_are_escaped(site):
    html = (site / "timeline.html").read_text(encoding="utf-8")
    (figure,) = re.findall(PICTURE, html, re.S)
    assert "a < b" not in figure and "a &lt; b &amp; c &gt; d" in figure
    (svg,) = pictures(site, "timeline.html")
    assert f"Letter: {HOSTILE}, 2012" in marks(svg)  # read back as written


def test_a_year_page_draws_its_months_linked_to_its_own_headings(site):
    (svg,) = pictures(site, "timeline/2013.html")
    assert named(svg)[0] == "Letters and meetings over time, 2013"
    assert sorted(links(svg)) == ["#april-2013", "#april-2013", "#july-2013", "#july-2013", "#june-2013",
                                  "#june-2013", "#may-2013", "#may-2013"]  # each mark, and its month's label
    check_links_resolve(site, "timeline/2013.html", svg)


def test_a_persons_page_draws_their_letters_over_time(site):
    (svg,) = pictures(site, "people/alpha.html")
    assert named(svg)[0] == "Letters of Anna Alpha over time, 2012–2013"
    assert sorted(label.split(",")[0] for label in marks(svg)) == [
        "Letter: Alpha writes to Beta", f"Letter: {HOSTILE}", "Letter: Beta answers Alpha", "Letter: Beta in July"]
    check_links_resolve(site, "people/alpha.html", svg)
    assert not pictures(site, "people/gamma.html")  # no letters: no picture


# A large archive: counted ------------------------------------------------------------------


def test_ten_thousand_entries_draw_a_bounded_number_of_marks():
    """Letters at every precision over thirty years: a bar a year, spans merged, rows of spans bounded."""
    rng = random.Random(1)
    entries = []
    for n in range(10_000):
        year = 1990 + rng.randrange(30)
        precision = rng.choice(["day", "day", "month", "year", "range", "open"])
        lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if precision in ("day", "month"):
            lo = hi = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 29))
            if precision == "month":
                lo, hi = lo.replace(day=1), lo.replace(day=28)
        elif precision == "range":
            hi = dt.date(min(year + rng.randrange(3), 2019), 6, 30)
        entries.append(chronology.Entry("summit" if n % 10 == 0 else "letter", f"Entry {n}", "a date",
                                        lo, None if precision == "open" else hi, year, -1, f"{year}, some time"))
    href = lambda year, section: f"timeline/{year}.html" + (f"#s{section}" if section else "")  # noqa: E731
    picture = chronology.draw(entries, href)
    svg = Environment(loader=FileSystemLoader(ROOT / "builder/outputs/templates"), undefined=StrictUndefined,
                      autoescape=True).get_template("_timeline.svg.j2").render(picture=picture)
    parsed = ET.fromstring(re.search(r"<svg\b.*?</svg>", svg, re.S).group(0))
    found = marks(parsed)
    years = [label for label in found if re.fullmatch(r"\d{4}: .*", label)]
    assert len(years) == 30 and "1990: " in years[0]
    assert len(found) <= 30 + chronology.SPAN_LANES * 30, len(found)
    assert "more spans are not drawn; the list gives them all" in named(parsed)[1]
    assert len(svg) < 60_000
