"""Material's search, as a reader uses it: served, and from disk through the iframe-worker shim."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from browser_kit import PHONE, content, follow, open_page, search
from samples import named, rare_phrase, walk
from site_checks import page_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def queries(real_archive, site) -> dict[str, tuple[str, str, str]]:
    """What a reader types, the page a result must lead to, and that page's h1: chosen from the
    content (the walk's carrier, its letter's first topic, a rare phrase of its article)."""
    w = walk(real_archive)
    carrier = real_archive.get("person", w.letter.carriers[0])
    topic = named(real_archive, w.letter, "topics")[0]
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {
        "person": (carrier.name, page_of(carrier), carrier.name),
        "topic": (topic.name, page_of(topic), topic.name),
        "phrase": (rare_phrase(page_of(w.article), index), page_of(w.article), w.article.title),
    }


@pytest.mark.parametrize("kind", ["person", "topic", "phrase"])
def test_search_finds_and_opens(page, base_url, queries, kind):
    query, path, h1 = queries[kind]
    open_page(page, base_url, "index.html")
    results = search(page, query)
    expect(results.first).to_be_visible()
    # The page's own result, not one of its sections (those links end in #section).
    hit = results.locator(f"a.md-search-result__link[href*='/{path}?']:not([href*='#'])").first
    expect(hit).to_be_visible()
    follow(page, hit, path, h1)
    # search.highlight marks the words searched for on the page opened.
    for word in query.split():
        expect(content(page).locator("mark", has_text=re.compile(re.escape(word), re.I)).first).to_be_visible()
    if kind == "phrase":
        expect(content(page)).to_contain_text(query)


def test_search_says_when_nothing_matches(page, served_url):
    open_page(page, served_url, "index.html")
    search(page, "zzyzxq")
    expect(page.locator(".md-search-result__meta")).to_have_text("No matching documents")
    expect(page.locator(".md-search-result__item")).to_have_count(0)


def test_search_on_a_phone(make_page, served_url, queries):
    """On a phone the search box hides behind the header's magnifier button."""
    query, path, h1 = queries["person"]
    page = open_page(make_page(viewport=PHONE, is_mobile=True, has_touch=True), served_url, "timeline.html")
    results = search(page, query)
    hit = results.locator(f"a.md-search-result__link[href*='/{path}?']").first
    follow(page, hit, path, h1)
