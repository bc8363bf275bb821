"""Listing pages stay readable as the archive grows: generated archives of two sizes, built.

Every long index is an entry page and a page per year or initial (builder/derive/derive.py `_split`),
the home page shows the latest letters and the most active correspondents only. Here: every
record is on its listing's pages (the checks of tests/site_checks.py, which hold for any
content), the home page's letters and drawing are bounded, the timeline's picture draws a mark
per letter and meeting when few and a bar a year when many, and the largest listing page of
an archive four times as large is about as large, where the old single table grew fourfold.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from archive_kit import make_project
from builder.derive.derive import HOME_LETTERS, HOME_NETWORK
from builder.pipeline import Project, build
from conftest import linked
from html_tree import article, rows
from site_checks import (
    check_counts_shown_match_the_content, check_each_listing_links_exactly_its_records,
    check_every_pair_of_correspondents_has_a_page, check_every_record_is_reachable_from_the_home_page,
    check_home_page_shows_the_latest_letters_not_all, check_timeline_years_are_the_years_of_the_dated_records,
)

FIRST_YEAR = 1990
PER_YEAR = 20  # letters a year: the same density in both sizes, as an archive grows by adding years
LISTING_PAGES = re.compile(r"^(index|leaders|timeline)\.html$|^(letters|people|summits|topics|articles|outlets|"
                           r"correspondence)/(index|years/[^/]+|names/[^/]+)\.html$|^(leaders|timeline)/[^/]+\.html$")


def _name(n: int) -> str:
    """Distinct invented names whose initials run through the alphabet."""
    first = string.ascii_uppercase[n % 26]
    return f"{first}ara{string.ascii_lowercase[n // 26 % 26]}{string.ascii_lowercase[n // 676 % 26]} Vel"


def generated(years: int) -> dict[str, str]:
    """Leaders writing to each other PER_YEAR times a year over `years` years, with topics,
    summits, outlets and an article a year; some letters dated only to a year, one to no year."""
    people = 10 * years
    files = {}
    for p in range(people):
        files[f"people/p{p}.md"] = f"---\nname: {_name(p)}\nrole: leader\ncountry: Land {p}\n---\n"
    for t in range(years):
        files[f"topics/t{t}.md"] = f"---\nname: {_name(t + 7)} question\n---\n"
        files[f"outlets/o{t}.md"] = f"---\nname: {_name(t + 3)} Courier\nform: newspaper\n---\n"
    for y in range(years):
        year = FIRST_YEAR + y
        files[f"summits/s{y}.md"] = (f"---\ntitle: Summit of {year}\ndate: \"{year}-06\"\n"
                                     f"status: held\nattendees: [p{y % people}, p{(y + 1) % people}]\n---\n")
        files[f"articles/a{y}.md"] = (f"---\ntitle: Letters of {year}\noutlet: o{y}\npublished: \"{year}-12-30\"\n"
                                      f"people: [p{y % people}]\n---\nA report on the letters of {year}.\n")
        for n in range(PER_YEAR):
            sender, recipient = (y * 7 + n) % people, (y * 7 + n * 3 + 1) % people
            if recipient == sender:
                recipient = (recipient + 1) % people
            when = f"{year}" if n == 0 else f"{year}-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
            files[f"letters/l{year}-{n}.md"] = (
                f"---\ntitle: Letter {n} of {year}\nsender: p{sender}\nrecipients: [p{recipient}]\n"
                f"dates:\n  sent: \"{when}\"\ntopics: [t{(y + n) % years}]\ntext_status: reported\n---\n")
    files["letters/undated.md"] = ("---\ntitle: A letter of a May no one dates\nsender: p0\nrecipients: [p1]\n"
                                   "dates:\n  sent: \"XXXX-05\"\ntext_status: reported\n---\n")
    return files


@pytest.fixture(scope="module")
def sizes(tmp_path_factory) -> dict[int, Project]:
    """Archives of 2 and 8 years, built: about 40 and 160 letters, 20 and 80 leaders."""
    built = {}
    for years in (2, 8):
        project = Project(make_project(tmp_path_factory.mktemp(f"years{years}"), generated(years), base=None))
        build(project)
        built[years] = project
    return built


def listing_sizes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")
            if LISTING_PAGES.match(p.relative_to(site).as_posix())}


@pytest.mark.parametrize("check", [
    check_each_listing_links_exactly_its_records, check_counts_shown_match_the_content,
    check_timeline_years_are_the_years_of_the_dated_records, check_every_record_is_reachable_from_the_home_page,
    check_home_page_shows_the_latest_letters_not_all, check_every_pair_of_correspondents_has_a_page,
], ids=lambda c: c.__name__.removeprefix("check_"))
def test_every_record_is_on_its_listing(sizes, check):
    check(linked(sizes[8]), sizes[8].site)


def test_the_check_fails_when_a_letter_is_missing_from_its_year(sizes, tmp_path):
    import shutil

    site = shutil.copytree(sizes[2].site, tmp_path / "site")
    page = site / "letters/years/1991.html"
    html = page.read_text(encoding="utf-8")
    row = re.search(r'<tr data-sender=.*?</tr>\n', html, re.S)
    assert row
    page.write_text(html.replace(row.group(0), "", 1), encoding="utf-8")
    with pytest.raises(AssertionError, match="1991: missing"):
        check_each_listing_links_exactly_its_records(linked(sizes[2]), site)


def test_home_page_shows_a_bounded_number_of_letters_and_correspondents(sizes):
    home = article(sizes[8].site, "index.html")
    (table,) = home.all("table")
    assert len(rows(table)) == HOME_LETTERS
    svg = home.all("svg")[0]
    nodes = [a for a in svg.walk() if "network__node" in a.classes()]
    assert 0 < len(nodes) <= HOME_NETWORK
    people = 10 * 8
    text = " ".join(p.text() for p in home.all("p"))
    left_out = int(re.search(r"(\d+) other correspondents are not drawn", text).group(1))
    assert left_out == people - len(nodes)
    assert "correspondence index" in text


def test_largest_listing_page_does_not_grow_with_the_archive(sizes):
    small, large = (listing_sizes(sizes[years].site) for years in (2, 8))
    assert small and large
    # Four times the letters, leaders, topics and years: the old letters table grew fourfold.
    biggest_small, biggest_large = max(small.values()), max(large.values())
    assert biggest_large < 1.5 * biggest_small, (max(small, key=small.get), biggest_small,
                                                 max(large, key=large.get), biggest_large)
    assert large["index.html"] < 1.5 * small["index.html"]
    assert large["letters/years/1991.html"] < 1.5 * small["letters/years/1991.html"]


def test_timeline_picture_draws_each_entry_when_few_and_a_bar_a_year_when_many(sizes):
    from test_timeline_picture import check_links_resolve, marks, pictures

    (small,), (large,) = (pictures(sizes[years].site, "timeline.html") for years in (2, 8))
    assert len(marks(small)) == 2 * (PER_YEAR + 1)  # a mark for each letter and summit
    assert list(marks(large)) == [f"{FIRST_YEAR + y}: {PER_YEAR} letters, 1 summit or meeting" for y in range(8)]
    for years, svg in ((2, small), (8, large)):
        check_links_resolve(sizes[years].site, "timeline.html", svg)
