"""The grown archive (real content plus tests/content_gen.py's records) in Chromium, opened
from disk: every new record is reached by clicking from the home page, search finds a new
name, and the guard (conftest's make_page) fails the test on any console error or request
leaving the machine."""

from __future__ import annotations

from collections import deque

import pytest
from playwright.sync_api import expect

from browser_kit import content, follow, heading, open_page, search
from html_kit import read
from site_checks import name_of, page_of

pytestmark = pytest.mark.browser


def path_to(site, goal: str, start: str = "index.html") -> list[str]:
    """The shortest chain of pages, by links, from `start` to `goal`."""
    came_from, queue = {start: None}, deque([start])
    while queue:
        current = queue.popleft()
        if current == goal:
            chain = [current]
            while came_from[chain[-1]]:
                chain.append(came_from[chain[-1]])
            return chain[::-1]
        for to in read(site, current).targets():
            if to.endswith(".html") and to not in came_from and (site / to).exists():
                came_from[to] = current
                queue.append(to)
    raise AssertionError(f"no chain of links leads from {start} to {goal}")


@pytest.fixture(scope="module")
def grown_url(grown_project) -> str:
    return grown_project.site.as_uri() + "/"


def test_every_new_record_is_reached_by_clicking(page, grown_project, grown_archive, growth, grown_url):
    site = grown_project.site
    new = [r for r in grown_archive.records.values() if any(f"{r.folder}/{r.id}.md" == f for f in growth.files)]
    assert len(new) == len(growth.files)
    for record in new:
        chain = path_to(site, page_of(record))
        open_page(page, grown_url, chain[0])
        for here, there in zip(chain, chain[1:]):
            link = content(page).locator(f"a[href$='{there.split('/')[-1]}']")
            # An SVG link's href is no string: resolve its attribute as the browser would.
            hrefs = link.evaluate_all("links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).href)")
            index = next(i for i, h in enumerate(hrefs) if h == grown_url + there)
            expected = name_of(record) if there == page_of(record) else read(site, there).h1
            follow(page, link.nth(index), there, expected)
        expect(heading(page)).to_have_text(name_of(record))


def test_search_finds_a_new_name_from_disk(page, growth, grown_url):
    leader = growth.leaders[0]
    open_page(page, grown_url, "index.html")
    results = search(page, leader.name)
    hit = results.locator(f"a.md-search-result__link[href*='/people/{leader.id}.html?']:not([href*='#'])").first
    expect(hit).to_be_visible()
    follow(page, hit, f"people/{leader.id}.html", leader.name)
