"""The place maps in a browser, opened from disk: drawn, each mark a link that leads to its place, and
nothing fetched from beyond the machine. (axe reads a place page and the Places index of the real site
in test_accessibility.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from archive_kit import make_project
from browser_kit import ARTIFACTS, DESKTOP, NetworkGuard, heading, url_of
from builder.pipeline import Project, build
from map_kit import ON_THE_MAP

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    project = Project(make_project(tmp_path_factory.mktemp("mapped"), ON_THE_MAP))
    build(project)
    return project.site


@pytest.fixture
def from_disk(browser, mapped):
    """Opens the tiny archive's pages as files, failing the test on any request that leaves the machine."""
    opened = []

    def open_(path: str):
        context = browser.new_context(viewport=DESKTOP)
        guard = NetworkGuard(context, origin=mapped.as_uri() + "/")
        opened.append((context, guard))
        page = context.new_page()
        page.goto((mapped / path).as_uri())
        return page

    yield open_
    problems = []
    for context, guard in opened:
        context.close()
        problems += guard.problems()
    assert not problems, "the browser saw:\n  " + "\n  ".join(problems)


def test_a_place_page_draws_its_map_from_disk_and_its_marks_lead_to_their_places(from_disk):
    page = from_disk("places/lakeside.html")
    svg = page.locator("svg.place-map__svg")
    expect(svg).to_be_visible()
    land = page.locator(".place-map__land").bounding_box()
    drawn = svg.bounding_box()
    assert land["width"] > drawn["width"] / 2 and land["height"] > drawn["height"] / 2  # outlines, projected
    # The land takes the scheme's colour, not an unstyled black.
    assert page.locator(".place-map__land").evaluate("e => getComputedStyle(e).fill") != "rgb(0, 0, 0)"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("figure.place-map").screenshot(path=str(ARTIFACTS / "place-map-fixture.png"))
    harbour = page.get_by_role("link", name="Harbour: letters handed over")
    box = harbour.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # a target a finger or a shaky hand can take
    harbour.click()
    expect(page).to_have_url(url_of("places/harbour.html"))
    expect(heading(page)).to_have_text("Harbour")


def test_the_places_index_links_every_mark_by_keyboard(from_disk):
    page = from_disk("places/index.html")
    expect(page.get_by_role("group", name="Places on a map of the world")).to_be_visible()
    names = ["Faraway: summits and meetings, and letters handed over", "Harbour: letters handed over",
             "Lakeside: summits and meetings", "Nowhere: neither summits nor letters"]
    for name in names:
        expect(page.get_by_role("link", name=name)).to_be_visible()
    page.get_by_role("link", name=names[-1]).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(url_of("places/nowhere.html"))
