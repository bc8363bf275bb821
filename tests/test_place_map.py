"""Places on a map: coordinates checked with messages that say which is which, and the maps a place's
page and the Places index draw, read from the built HTML of a tiny archive.

The world map is equirectangular from 180° W to 180° E and 84° N down to 58° S
(builder/derive/world_map.py): a degree is 960/360 px both ways, so a place's mark
stands where that arithmetic puts it.
"""

from __future__ import annotations

import json
import posixpath
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from archive_kit import make_project
from builder.cli.commands import cli
from builder.pipeline import Project, build
from map_kit import ON_THE_MAP, place

SVG = "{http://www.w3.org/2000/svg}"
MAP_SVG = r'<svg\b[^>]*class="place-map__svg".*?</svg>'
DEGREE = 960 / 360  # px per degree on the world map
NORTH = 84


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = Project(make_project(tmp_path_factory.mktemp("mapped"), ON_THE_MAP))
    build(project)
    return project.site


def the_map(site, page: str) -> ET.Element:
    (svg,) = re.findall(MAP_SVG, (site / page).read_text(encoding="utf-8"), re.DOTALL)
    return ET.fromstring(svg)  # a name left unescaped would fail here


def marks(svg: ET.Element, page: str) -> dict[str, ET.Element]:
    """Each mark by the page it leads to (a path from the site root), the page's own place as 'here'."""
    found = {}
    for mark in svg.iter():
        classes = mark.get("class", "").split()
        if "place-map__mark" in classes:
            href = mark.get("href")
            found[posixpath.normpath(posixpath.join(posixpath.dirname(page), href)) if href else "here"] = mark
    return found


def centre(mark: ET.Element) -> tuple[float, float]:
    hit = mark.find(SVG + "circle")
    return float(hit.get("cx")), float(hit.get("cy"))


def kind(mark: ET.Element) -> str:
    return next(c.removeprefix("place-map__mark--") for c in mark.get("class").split()
                if c.startswith("place-map__mark--") and c != "place-map__mark--here")


def outline(mark: ET.Element) -> str:
    """The mark's shape, told by its path's commands alone: what a reader sees without colour."""
    return re.sub(r"[^A-Za-z]", "", mark.find(SVG + "path").get("d"))


def check(tmp_path, files) -> list[str]:
    result = CliRunner().invoke(cli, ["check", "--root", str(make_project(tmp_path, files))])
    return result.output.strip().splitlines()


# The check ------------------------------------------------------------------------------------


@pytest.mark.parametrize("coordinates, expected", [
    pytest.param("  longitude: 200\n  latitude: 50", ":4: coordinates.longitude: longitude 200 is off the globe: a "
                 "longitude (east-west) runs from -180 to 180; give it in decimal degrees, west negative, e.g. "
                 "Moscow's 37.6156", id="longitude-range"),
    # -95 could be a longitude, but 120 cannot be a latitude: no swap, a latitude out of range.
    pytest.param("  longitude: 120\n  latitude: -95", ":5: coordinates.latitude: latitude -95 is off the globe: a "
                 "latitude (north-south) runs from -90 to 90; give it in decimal degrees, south negative, e.g. "
                 "Moscow's 55.7522", id="latitude-range"),
    pytest.param("  longitude: 50\n  latitude: 137.5", ":5: coordinates.latitude: latitude 137.5 is beyond ±90, so it "
                 "can only be a longitude, and longitude 50 could be the latitude: the two look swapped. Longitude is "
                 "east-west (-180 to 180), latitude north-south (-90 to 90), e.g. Moscow's longitude: 37.6156, "
                 "latitude: 55.7522", id="swapped"),
    pytest.param("  - 50\n  - 10", ":3: coordinates: give coordinates as two named fields, not a pair, so neither "
                 "can be taken for the other: longitude: (east-west, -180 to 180) and latitude: (north-south, -90 to "
                 "90), e.g. Moscow's longitude: 37.6156 and latitude: 55.7522", id="pair"),
])
def test_coordinates_off_the_globe_or_swapped_are_named_at_their_line(tmp_path, coordinates, expected):
    text = f"---\nname: Lakeside\ncoordinates:\n{coordinates}\n---\n"
    assert "content/places/lakeside.md" + expected in check(tmp_path, {"places/lakeside.md": text})


def test_coordinates_without_a_source_are_a_warning_at_their_line(tmp_path):
    lines = check(tmp_path, {"places/lakeside.md": place("Lakeside", 10.0, 50.0, source=None)})
    assert ("content/places/lakeside.md:3: coordinates: warning: coordinates has no source and no curator's mark, "
            "so the page will say 'no source cited'") in " ".join(lines)


# The maps ------------------------------------------------------------------------------------


def test_the_places_index_marks_every_place_where_the_projection_puts_it(site):
    svg = the_map(site, "places/index.html")
    width, height = (float(v) for v in svg.get("viewBox").split()[2:])
    assert (width, height) == (960, round((NORTH + 58) * DEGREE, 1))
    found = marks(svg, "places/index.html")
    assert set(found) == {"places/lakeside.html", "places/harbour.html", "places/faraway.html",
                          "places/nowhere.html"}  # every place with coordinates, each a link to its own page
    for page, (longitude, latitude) in {"places/lakeside.html": (10, 50), "places/harbour.html": (20, 45),
                                        "places/faraway.html": (-60, -30), "places/nowhere.html": (90, 0)}.items():
        assert centre(found[page]) == pytest.approx(((longitude + 180) * DEGREE, (NORTH - latitude) * DEGREE),
                                                    abs=0.06)
    assert centre(found["places/nowhere.html"]) == (720, 224)  # 90° E on the equator: three quarters across


def test_summits_and_hand_overs_are_told_apart_by_shape_and_legend(site):
    page = "places/index.html"
    found = marks(the_map(site, page), page)
    kinds = {p: kind(m) for p, m in found.items()}
    assert kinds == {"places/lakeside.html": "summit", "places/harbour.html": "handover",
                     "places/faraway.html": "both", "places/nowhere.html": "other"}
    shapes = {kinds[p]: outline(m) for p, m in found.items()}
    assert len({shapes["summit"], shapes["handover"], shapes["both"]}) == 3  # diamond, circle, square
    assert found["places/faraway.html"].get("aria-label") == \
        "Faraway: summits and meetings, and letters handed over"
    html = (site / page).read_text(encoding="utf-8")
    legend = re.search(r'<figcaption class="place-map__legend">(.*?)</figcaption>', html, re.DOTALL)[1]
    keys = re.findall(r'<span class="place-map__key place-map__mark--(\w+)"><svg [^>]*><path d="([^"]+)"/></svg> '
                      r'([^<]+)</span>', legend)
    assert [(k, label) for k, _, label in keys] == [("summit", "Summits and meetings"),
                                                    ("handover", "Letters handed over"), ("both", "Both"),
                                                    ("other", "Neither")]
    assert {k: re.sub(r"[^A-Za-z]", "", d) for k, d, _ in keys} == shapes  # each key drawn as its marks are
    assert "Base map: Natural Earth (public domain)" in legend


def test_the_map_is_named_and_described_for_a_screen_reader(site):
    svg = the_map(site, "places/index.html")
    assert svg.get("role") == "group"
    title, desc = svg.find(SVG + "title"), svg.find(SVG + "desc")
    assert svg.get("aria-labelledby") == title.get("id") and svg.get("aria-describedby") == desc.get("id")
    assert title.text == "Places on a map of the world"
    assert desc.text == ("A map of the world marking 4 places: Faraway: summits and meetings, and letters handed "
                         "over; Harbour: letters handed over; Lakeside: summits and meetings; Nowhere: neither "
                         "summits nor letters.")


def test_a_place_page_draws_its_region_with_its_neighbours_linked(site):
    page = "places/lakeside.html"
    svg = the_map(site, page)
    found = marks(svg, page)
    assert set(found) == {"here", "places/harbour.html"}  # far places are not in its region
    assert found["here"].tag == SVG + "g"  # its own place: marked, not a link
    assert [t.text for t in svg.iter(SVG + "text")] == ["Harbour", "Lakeside"]
    (hx, hy), (lx, ly) = centre(found["places/harbour.html"]), centre(found["here"])
    assert hx > lx and hy > ly  # Harbour is east and south of Lakeside
    # Equirectangular about the region's middle parallel (between 45° and 50°): a degree east is
    # cos(parallel) of a degree north.
    assert 0.64 <= ((hx - lx) / 10) / ((hy - ly) / 5) <= 0.71
    width, height = (float(v) for v in svg.get("viewBox").split()[2:])
    assert width == 640 and 0 < lx < hx < width and 0 < ly < hy < height


def test_a_place_without_coordinates_draws_no_map(site):
    assert "place-map" not in (site / "places/unplaced.html").read_text(encoding="utf-8")


def test_a_place_page_shows_its_coordinates_with_their_source(site):
    html = (site / "places/lakeside.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Coordinates [50° N, 10° E] 1" in text
    assert "Curator's addition, not from the archive's articles: GeoNames 1" in text
    (jsonld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert json.loads(jsonld)["geo"] == {"@type": "GeoCoordinates", "latitude": 50.0, "longitude": 10.0}


def test_the_same_archive_draws_the_same_bytes(site, tmp_path):
    again = Project(make_project(tmp_path, ON_THE_MAP))
    build(again)
    for page in ("places/index.html", "places/lakeside.html"):
        assert re.findall(MAP_SVG, (again.site / page).read_text(encoding="utf-8"), re.DOTALL) == \
            re.findall(MAP_SVG, (site / page).read_text(encoding="utf-8"), re.DOTALL)


def test_moving_a_place_redraws_its_neighbours_maps_on_the_next_build(tmp_path):
    def build_with(root, *args):
        result = CliRunner().invoke(cli, ["build", "--root", str(root), *args])
        assert result.exit_code == 0, result.output

    def maps(site):
        return {page: re.findall(MAP_SVG, (site / page).read_text(encoding="utf-8"), re.DOTALL)
                for page in ("places/index.html", "places/lakeside.html", "places/harbour.html")}

    moved = {**ON_THE_MAP, "places/harbour.md": place("Harbour", 15.0, 47.5)}
    (tmp_path / "edited").mkdir()
    (tmp_path / "clean").mkdir()
    edited = make_project(tmp_path / "edited", ON_THE_MAP)
    build_with(edited)
    (edited / "content/places/harbour.md").write_text(moved["places/harbour.md"], encoding="utf-8")
    build_with(edited)  # incremental: only the pages that read Harbour are worked out again
    clean = make_project(tmp_path / "clean", moved)
    build_with(clean, "--clean")
    assert maps(edited / "site") == maps(clean / "site")  # byte for byte: the same content draws the same bytes
