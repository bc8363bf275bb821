"""Material's search, as a reader uses it: served, and from disk through the iframe-worker shim."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_kit import PHONE, content, follow, open_page, search

pytestmark = pytest.mark.browser

# What a reader types, the page a result must lead to, and that page's h1.
QUERIES = {
    "person": ("Patrushev", "people/nikolai-patrushev.html", "Nikolai Patrushev"),
    "topic": ("missile defense", "topics/missile-defense.html", "Missile defense"),
    "phrase": ("honest dialogue", "articles/2013-05-25-tsr-patrushev-delivers-putin-reply.html",
               "Patrushev hands Obama"),
}


@pytest.mark.parametrize("kind", QUERIES)
def test_search_finds_and_opens(page, base_url, kind):
    query, path, h1 = QUERIES[kind]
    open_page(page, base_url, "index.html")
    results = search(page, query)
    expect(results.first).to_be_visible()
    # The page's own result, not one of its sections (those links end in #section).
    hit = results.locator(f"a.md-search-result__link[href*='/{path}?']:not([href*='#'])").first
    expect(hit).to_be_visible()
    follow(page, hit, path, h1)
    # search.highlight marks the words searched for on the page opened.
    for word in query.split():
        expect(content(page).locator("mark", has_text=word).first).to_be_visible()
    if kind == "phrase":
        expect(content(page)).to_contain_text(query)


def test_search_says_when_nothing_matches(page, served_url):
    open_page(page, served_url, "index.html")
    search(page, "zzyzxq")
    expect(page.locator(".md-search-result__meta")).to_have_text("No matching documents")
    expect(page.locator(".md-search-result__item")).to_have_count(0)


def test_search_on_a_phone(make_page, served_url):
    """On a phone the search box hides behind the header's magnifier button."""
    page = open_page(make_page(viewport=PHONE, is_mobile=True, has_touch=True), served_url, "timeline.html")
    results = search(page, "Patrushev")
    hit = results.locator("a.md-search-result__link[href*='/people/nikolai-patrushev.html?']").first
    follow(page, hit, "people/nikolai-patrushev.html", "Nikolai Patrushev")
