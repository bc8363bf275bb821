"""A reader in Chromium: the home page, a walk by clicking, the timeline, the two
colour schemes and a phone. Each step checks what the reader sees: the address and the h1."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_kit import PHONE, content, fact, follow, heading, open_page, section, url_of
from builder.model import dates
from builder.link.graph import date_of
from builder.model.schema import Article, Letter, Summit
from samples import walk
from site_checks import page_of

pytestmark = pytest.mark.browser

# The home page's ways in: link text, target page, the h1 there.
WAYS_IN = [
    ("By letter", "letters/index.html", "Letters"),
    ("By leader", "leaders.html", "Leaders"),
    ("By summit", "summits/index.html", "Summits and meetings"),
    ("timeline", "timeline.html", "Timeline"),
    ("By topic", "topics/index.html", "Topics"),
    ("By source", "articles/index.html", "Articles"),
]


def test_home_page_offers_the_ways_in(page, base_url):
    open_page(page, base_url, "index.html")
    expect(page).to_have_title("Leaders' Letters")
    expect(heading(page)).to_have_text("Leaders' Letters")
    expect(page.locator(".md-content h2", has_text="Browse")).to_be_visible()
    for name, path, h1 in WAYS_IN:
        follow(page, content(page).get_by_role("link", name=name, exact=True), path, h1)
        page.go_back()
        expect(heading(page)).to_have_text("Leaders' Letters")


def test_walk_from_an_article_to_another_by_clicking(page, base_url, real_archive):
    """Articles → an article → a letter it reports → its sender → a summit → another article."""
    w = walk(real_archive)
    start = page_of(w.article)
    open_page(page, base_url, "articles/index.html")
    expect(heading(page)).to_have_text("Articles")
    year = str(dates.year(date_of(w.article)))  # a page per year of publication
    follow(page, content(page).get_by_role("link", name=year, exact=True), f"articles/years/{year}.html",
           f"Articles: {year}")

    follow(page, content(page).locator(f"a[href$='/{w.article.id}.html'], a[href='{w.article.id}.html']").first,
           start, w.article.title)
    follow(page, section(page, "Letters reported").get_by_role("link", name=w.letter.title, exact=True),
           page_of(w.letter), w.letter.title)
    follow(page, fact(page, "From").get_by_role("link").first, page_of(w.sender), w.sender.name)
    follow(page, section(page, "Summits and meetings").get_by_role("link", name=w.summit.title, exact=True),
           page_of(w.summit), w.summit.title)

    # Any article on the summit page other than the one the walk began with, if there is one.
    others = section(page, "Articles").locator(f"a:not([href$='{w.article.id}.html'])")
    if len(real_archive.referring(w.summit, Article, "summits")) > 1:
        title = others.first.inner_text()
        target = others.first.get_attribute("href").split("/")[-1]
        follow(page, others.first, f"articles/{target}", title)


def test_every_timeline_entry_opens_the_page_it_names(page, served_url, real_archive):
    # The timeline is a page per year: the home page's "By year" links open them, as does timeline.html.
    dated = [r for model in (Letter, Summit, Article) for r in real_archive.all(model) if date_of(r)]
    first_year = str(min(y for r in dated if (y := dates.year(date_of(r))) is not None))
    open_page(page, served_url, "index.html")
    follow(page, content(page).get_by_role("link", name=first_year, exact=True), f"timeline/{first_year}.html",
           f"Timeline: {first_year}")
    open_page(page, served_url, "timeline.html")
    years = [a.evaluate("a => a.href") for a in content(page).locator("ul a").all()]
    entries = []
    for year in years:
        page.goto(year)
        entries += [(a.inner_text(), a.evaluate("a => a.href")) for a in content(page).locator("table a").all()]
    assert len(entries) == len(dated), "the timeline lists another number of entries than there are dated records"

    for text, href in entries:
        page.goto(href)
        expect(heading(page), f"timeline entry {text!r} → {href}").to_have_text(text)

    # And by clicking: one entry of each kind.
    for kind in ("Letter", "Summit or meeting", "Article"):
        year = next(str(dates.year(date_of(r))) for r in dated if r.kind == kind.split()[0].lower()
                    and dates.year(date_of(r)) is not None)
        open_page(page, served_url, f"timeline/{year}.html")
        row = content(page).locator("tr", has=page.locator(f"td:text-is('{kind}')")).first
        link = row.locator("a")
        text, path = link.inner_text(), link.evaluate("a => a.href").removeprefix(served_url)
        follow(page, link, path, text)


@pytest.mark.parametrize("system, first, second", [("light", "default", "slate"), ("dark", "slate", "default")])
def test_palette_switch_toggles_dark_and_light(make_page, served_url, real_archive, system, first, second):
    """The scheme follows the system's preference, and the header switch flips it."""
    page = open_page(make_page(color_scheme=system), served_url, page_of(real_archive.all(Letter)[0]))
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", first)
    before = body.evaluate("body => getComputedStyle(body).backgroundColor")

    page.locator("[data-md-component=palette] label:visible").click()
    expect(body).to_have_attribute("data-md-color-scheme", second)
    expect(body, "the scheme changed but the page looks the same").not_to_have_css("background-color", before)

    # The choice is remembered on the next page.
    open_page(page, served_url, "timeline.html")
    expect(body).to_have_attribute("data-md-color-scheme", second)
    page.locator("[data-md-component=palette] label:visible").click()
    expect(body).to_have_attribute("data-md-color-scheme", first)
    expect(body).to_have_css("background-color", before)


def test_phone_navigation_drawer(make_page, served_url):
    page = open_page(make_page(viewport=PHONE, is_mobile=True, has_touch=True), served_url, "index.html")
    drawer = page.locator("nav.md-nav--primary")
    # The site's navigation, not the home page's own table of contents (also in the drawer).
    letters = drawer.locator("a.md-nav__link[href='letters/index.html']")
    expect(letters).not_to_be_in_viewport()

    page.locator("label.md-header__button[for=__drawer]").click()
    expect(letters).to_be_in_viewport()
    letters.click()
    expect(page).to_have_url(url_of("letters/index.html"))
    expect(heading(page)).to_have_text("Letters")
    # Back to reading: the drawer is closed on the new page.
    expect(drawer.locator("a.md-nav__link[href$='summits/index.html']")).not_to_be_in_viewport()
