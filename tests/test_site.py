"""The real archive, built from content/, read as a reader would read it."""

from __future__ import annotations

import json
from collections import deque

import pytest

from html_kit import read

# Everything DOMAIN.md names must be reachable from the home page and findable by search.
LETTERS = {
    "2013-04-obama-to-putin": "Obama", "2013-05-putin-to-obama": "Putin",
    "2001-putin-to-bush": "Putin", "2018-12-putin-new-year-letters": "Putin",
}
LEADERS = {
    "vladimir-putin": "Putin", "barack-obama": "Obama", "george-w-bush": "Bush", "donald-trump": "Trump",
    "bashar-al-assad": "Assad", "theresa-may": "Theresa May", "xi-jinping": "Xi Jinping",
    "emmanuel-macron": "Macron", "frank-walter-steinmeier": "Steinmeier", "angela-merkel": "Merkel",
    "pope-francis": "Pope Francis", "antonio-guterres": "Guterres", "christine-lagarde": "Lagarde",
    "gianni-infantino": "Infantino",
}
PEOPLE = {
    "nikolai-patrushev": "Patrushev", "tom-donilon": "Donilon", "yury-ushakov": "Ushakov",
    "dmitry-peskov": "Peskov", "valery-gerasimov": "Gerasimov", "sergei-ivanov": "Sergei Ivanov",
    "igor-ivanov": "Igor Ivanov", "caitlin-hayden": "Hayden",
}
SUMMITS = {
    "2013-06-g8-lough-erne": "Lough Erne", "2013-09-g20-st-petersburg": "G20",
    "2013-09-obama-visit-to-russia": "visit", "2001-07-g8-genoa": "Genoa",
    "2001-putin-bush-meeting": "Bush", "2018-07-helsinki-summit": "Helsinki",
    "2018-11-g20-buenos-aires": "G20", "2018-11-trump-putin-meeting-buenos-aires": "Trump",
    "2018-11-armistice-centenary-paris": "Armistice",
}
EXPECTED = (
    [f"letters/{i}.html" for i in LETTERS] + [f"people/{i}.html" for i in {**LEADERS, **PEOPLE}]
    + [f"summits/{i}.html" for i in SUMMITS]
)


def test_home_page_reaches_every_letter_person_and_summit(site):
    """Follow links from the home page only, as a reader clicking would."""
    seen, queue = {"index.html"}, deque(["index.html"])
    while queue:
        for target in read(site, queue.popleft()).targets():
            if target.endswith(".html") and target not in seen and (site / target).exists():
                seen.add(target)
                queue.append(target)
    assert not [page for page in EXPECTED if page not in seen]


@pytest.mark.parametrize("page", EXPECTED)
def test_every_named_thing_has_its_page(site, page):
    assert read(site, page).h1


def test_search_index_holds_every_name(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    by_page = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        by_page[page] = by_page.get(page, "") + " " + doc["title"] + " " + doc["text"]
    for page, name in [(f"people/{i}.html", n) for i, n in {**LEADERS, **PEOPLE}.items()]:
        assert name in by_page[page], f"search would not find {name} on {page}"
    # The offline plugin inlines the index so search works from file://.
    assert (site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index =")


def test_patrushev_page_links_the_letter_he_carried(site):
    page = read(site, "people/nikolai-patrushev.html")
    assert "Letters carried" in [h for _, h in page.headings]
    assert page.link_to("letters/2013-05-putin-to-obama.html")


def test_obama_page_lists_letter_sent_then_reply_received(site):
    page = read(site, "people/barack-obama.html")
    letters = page.section("Letters")
    sent = letters.index("sent to Vladimir Putin")
    received = letters.index("received from Vladimir Putin")
    assert sent < received
    assert "April 2013" in letters[:sent] or "15 April 2013" in letters[:sent]
    assert page.link_to("letters/2013-04-obama-to-putin.html")
    assert page.link_to("letters/2013-05-putin-to-obama.html")


def test_lough_erne_reachable_from_the_reply(site):
    reply = read(site, "letters/2013-05-putin-to-obama.html")
    assert reply.link_to("summits/2013-06-g8-lough-erne.html")
    summit = read(site, "summits/2013-06-g8-lough-erne.html")
    assert summit.link_to("letters/2013-05-putin-to-obama.html")


def test_reply_and_the_letter_it_answers_link_each_other(site):
    reply = read(site, "letters/2013-05-putin-to-obama.html")
    assert reply.link_to("letters/2013-04-obama-to-putin.html")
    assert reply.link_to("people/nikolai-patrushev.html")
    april = read(site, "letters/2013-04-obama-to-putin.html")
    assert "Answered by" in april.text
    assert april.link_to("letters/2013-05-putin-to-obama.html")
    assert april.link_to("people/tom-donilon.html")


def test_putin_office_is_the_one_held_at_each_letter(site):
    bush_letter = read(site, "letters/2001-putin-to-bush.html")
    assert "Vladimir Putin, President of Russia" in bush_letter.text
    assert "George W. Bush, President of the United States" in bush_letter.text


def test_batch_letter_lists_every_recipient(site):
    page = read(site, "letters/2018-12-putin-new-year-letters.html")
    for person in ("donald-trump", "bashar-al-assad", "theresa-may", "xi-jinping", "emmanuel-macron",
                   "frank-walter-steinmeier", "angela-merkel", "pope-francis", "antonio-guterres",
                   "christine-lagarde", "gianni-infantino"):
        assert page.link_to(f"people/{person}.html"), person


def test_cancelled_meeting_says_so_and_links_its_summit(site):
    page = read(site, "summits/2018-11-trump-putin-meeting-buenos-aires.html")
    assert "Cancelled" in page.text
    assert page.link_to("summits/2018-11-g20-buenos-aires.html")


def test_sources_that_disagree_are_shown_side_by_side(site):
    page = read(site, "summits/2013-09-g20-st-petersburg.html")
    assert "Sources differ" in page.text
    assert "3 September 2013" in page.text and "5–6 September 2013" in page.text


def test_articles_keep_journalism_and_drop_chrome(site):
    pages = [read(site, p.relative_to(site).as_posix()) for p in (site / "articles").glob("*.html")
             if p.name != "index.html"]
    assert len(pages) == 5
    text = " ".join(p.text for p in pages)
    assert "Patrushev has handed over a response letter on Wednesday" in text
    for chrome in ("LEAVE A REPLY", "Please enter your comment", "we have a small favor to ask",
                   "Post a Comment", "Заголовок", "Subscribe"):
        assert chrome not in text, chrome


def test_no_page_loads_anything_from_the_internet(site):
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for marker in ("fonts.googleapis", "fonts.gstatic", "unpkg.com", "cdn.jsdelivr", "https://unpkg"):
            assert marker not in html, f"{path.relative_to(site)} loads {marker}"
    assert (site / "assets/javascripts/iframe-worker/shim.js").is_file()


@pytest.mark.parametrize("folder", ["letters", "summits"])
def test_every_fact_on_letter_and_summit_pages_cites_a_source(site, folder):
    pages = [p for p in (site / folder).glob("*.html") if p.name != "index.html"]
    assert pages
    for path in pages:
        page = read(site, path.relative_to(site).as_posix())
        assert "(no source cited)" not in page.text, path.name
        assert "Sources" in [h for _, h in page.headings], path.name


def test_a_fact_source_quotes_the_article_it_links(site):
    page = read(site, "letters/2013-05-putin-to-obama.html")
    sources = page.section("Sources")
    # The carrier's footnote leads to the TSR article and quotes its words.
    assert "Patrushev hands Obama Putin's reply to the April letter (25 May 2013): “" in sources
    assert page.link_to("articles/2013-05-25-tsr-patrushev-delivers-putin-reply.html")


def test_article_names_link_to_pages_and_backlinks_quote_them(site):
    article = read(site, "articles/2013-05-24-sputnik-putin-obama-to-meet-june-september.html")
    linked = dict((target, text) for text, target in article.text_links)
    assert linked["people/yury-ushakov.html"] == "Yury Ushakov"
    assert linked["people/nikolai-patrushev.html"] == "Nikolai Patrushev"
    assert linked["summits/2013-06-g8-lough-erne.html"] == "G8 summit"  # shared alias, decided by front matter
    ushakov = read(site, "people/yury-ushakov.html")
    # "Yuri" in the TSR article is the same man: his page quotes that sentence too.
    assert "According to presidential aide Yuri Ushakov, Putin stressed" in ushakov.section("Mentioned in")


def test_correspondence_page_shows_the_exchange_in_order_with_the_reply_marked(site):
    page = read(site, "correspondence/barack-obama-and-vladimir-putin.html")
    assert page.h1 == "Barack Obama and Vladimir Putin"
    text = page.text
    assert text.index("April 2013") < text.index("22 May 2013")
    assert "reply to Obama's letter to Putin, April 2013" in text
    assert "answered by Putin's reply to Obama, May 2013" in text
    letter = read(site, "letters/2013-05-putin-to-obama.html")
    assert letter.link_to("correspondence/barack-obama-and-vladimir-putin.html")


def test_every_pair_of_correspondents_has_a_page(site):
    index = read(site, "correspondence/index.html")
    pairs = [t for t in index.targets() if t.startswith("correspondence/") and t != "correspondence/index.html"]
    # Obama, Bush and the eleven recipients of the New Year letters, each with Putin.
    assert len(pairs) == 13
    assert "correspondence/george-w-bush-and-vladimir-putin.html" in pairs


def test_timeline_keeps_partial_dates_partial(site):
    page = read(site, "timeline.html")
    headings = [h for _, h in page.headings]
    assert headings[:3] == ["Timeline", "2001", "2001, month not known"]
    assert "May 2013" in headings and "1 May 2013" not in page.text
    # The Moscow Times article is dated to the month only, and says so.
    may = page.section("May 2013")
    assert "May 2013 Article Obama 'Seeks Missile Defense Deal' With Putin" in may
    # A two-day summit over a month's end stands under its first month, its dates in full.
    assert "30 November – 1 December 2018 Summit or meeting G20 summit in Buenos Aires" in page.section("November 2018")
    for target in page.targets():
        assert (site / target).exists(), target


def test_real_archive_builds_the_same_bytes_twice(site, tmp_path):
    import hashlib

    from builder.pipeline import Project, build
    from conftest import copy_project

    again = Project(copy_project(tmp_path))
    build(again)

    def digest(folder):
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    assert digest(again.site) == digest(site)
