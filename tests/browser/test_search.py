"""The archive's search (overrides/assets/javascripts/search.js on builder/outputs/search/'s index), as readers use it.

On the real archive, served and from disk: queries chosen from the content (every name, alias,
summit and topic, names typed without their diacritics or hyphen, a rare phrase of each article,
the start of a surname), each with the page it must rank first or among the first three; the box
itself: typing, opening a result with its words marked, keyboard, phone, "Show more".
On a small archive built for the purpose: exact expectations on names typed every which way.
The page's tokeniser is held to the builder's (builder/outputs/search/tokens.py) on tricky strings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from archive_kit import MINI, make_project
from axe_kit import axe_violations, describe
from browser_kit import PHONE, content, follow, heading, open_page, search, url_of
from builder.link.graph import Archive
from builder.pipeline import Project, build
from builder.model.schema import Article, Outlet, Person, Place, Summit, Topic
from builder.outputs.search.tokens import index_tokens, query_tokens
from samples import named, page_texts, rare_phrase, walk
from search_kit import BuiltIndex
from site_checks import name_of, page_of

pytestmark = pytest.mark.browser

RESULTS = ".md-search-result__item"
META = ".md-search-result__meta"


def results_of(page, query: str, limit: int = 3) -> list[str]:
    """The paths of the first `limit` results the page's search gives for `query`."""
    found = page.evaluate("([q, n]) => __archiveSearch.query(q, n)", [query, limit])
    return [r["path"] for r in found["results"]]


# The real archive: expectations derived from the content ------------------------------------


@dataclass(frozen=True)
class Expectation:
    query: str
    path: str  # the page that must rank within `within`
    within: int  # 1: first; 3: among the first three
    why: str


NAMED = (Person, Summit, Topic, Place, Outlet)  # records whose names and aliases the index marks as their own


def _names(record) -> list[str]:
    return [name_of(record), *getattr(record, "aliases", ())]


def _matches(query: str, text: str) -> bool:
    """Whether every term of `query` is among `text`'s (the last as a prefix, as readers type)."""
    terms, have = query_tokens(query), set(index_tokens(text))
    if not terms:
        return False
    *exact, last = terms
    return all(t in have for t in exact) and any(t.startswith(last) for t in have)


def _holders(archive: Archive, query: str) -> list:
    """The records whose own name or an alias holds every word of `query`."""
    return [r for kind in NAMED for r in archive.all(kind) if any(_matches(query, n) for n in _names(r))]


def _rank(archive: Archive, query: str, record, why: str, best: int = 1) -> Expectation | None:
    """First when no other record's name holds the query's words, else among the first three;
    None where more than three records' names do (no order could put this one in the first three)."""
    holders = _holders(archive, query)
    if len(holders) > 3:
        return None
    within = best if holders == [record] else 3
    return Expectation(query, page_of(record), within, why)


def _strip_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def expectations(archive: Archive, site) -> list[Expectation]:
    found: list[Expectation | None] = []
    for kind in NAMED[:4]:
        for record in archive.all(kind):
            for n, name in enumerate(_names(record)):
                what = "name" if n == 0 else "alias"
                found.append(_rank(archive, name, record, f"{kind.__name__.lower()}'s {what}"))
                if (bare := _strip_marks(name)) != name:
                    found.append(_rank(archive, bare, record, f"{what} without diacritics"))
                for word in re.findall(r"\S+[-‐‑]\S+", name):
                    spaced = name.replace(word, re.sub("[-‐‑]", " ", word))
                    found.append(_rank(archive, spaced, record, f"hyphenated {what} typed with a space", 3))
                    last = re.split("[-‐‑]", word)[-1]
                    if len(last) >= 4:  # "Jong-un" alone: "un" is a word of its own
                        found.append(_rank(archive, last, record, f"last part of a hyphenated {what}", 3))
            if kind is Person and len(surname := name_of(record).split()[-1]) >= 7:
                found.append(_rank(archive, surname[:5], record, "the first five letters of a surname", 3))
    texts = page_texts(site)
    for article in archive.all(Article)[:40]:  # enough to tell; each reads every page
        phrase, others = rare_phrase(site, page_of(article), texts)
        if others <= 2:  # at most two other pages hold both words: the article must be among the three
            found.append(Expectation(phrase, page_of(article), 3, "a rare phrase of the article"))
    return list({(e.query, e.path): e for e in found if e is not None}.values())


@pytest.fixture(scope="module")
def real_expectations(real_archive, site) -> list[Expectation]:
    return expectations(real_archive, site)


def test_the_expectations_cover_the_issues_examples(real_archive, real_expectations):
    """Where the content holds the names issue 11 gives as examples, the list checks them."""
    have = {(e.query, e.path) for e in real_expectations}
    examples = {"antonio-guterres": ["António Guterres", "Antonio Guterres"],
                "bashar-al-assad": ["Bashar al-Assad", "Assad", "al-Assad", "Bashar al Assad"],
                "yury-ushakov": ["Yury Ushakov", "Yuri Ushakov"]}
    people = {p.id for p in real_archive.all(Person)}
    missing = [(q, i) for i, queries in examples.items() if i in people for q in queries
               if (q, f"people/{i}.html") not in have]
    assert not missing, missing
    assert len(real_expectations) >= len(real_archive.all(Person)), "fewer queries than people: the list is broken"


def test_search_ranks_the_expected_page(page, base_url, real_expectations):
    open_page(page, base_url, "index.html")
    wrong = []
    for e in real_expectations:
        top = results_of(page, e.query, e.within)
        if e.path not in top:
            wrong.append(f"{e.query!r} ({e.why}): {e.path} not in the first {e.within}: {top}")
    assert not wrong, f"{len(wrong)} of {len(real_expectations)} queries:\n  " + "\n  ".join(wrong)


# The box, as a reader uses it, on the real archive ---------------------------------------------


@pytest.fixture(scope="module")
def queries(real_archive, site) -> dict[str, tuple[str, str, str]]:
    """What a reader types, the page a result must lead to, and that page's h1: chosen from the
    content (the walk's carrier, its letter's first topic, a rare phrase of its article)."""
    w = walk(real_archive)
    carrier = real_archive.get("person", w.letter.carriers[0])
    topic = named(real_archive, w.letter, "topics")[0]
    phrase, _ = rare_phrase(site, page_of(w.article), page_texts(site))
    return {
        "person": (carrier.name, page_of(carrier), carrier.name),
        "topic": (topic.name, page_of(topic), topic.name),
        "phrase": (phrase, page_of(w.article), w.article.title),
    }


def result_link(results, path: str):
    return results.locator(f"a.md-search-result__link[href*='/{path}?h=']").first


@pytest.mark.parametrize("kind", ["person", "topic", "phrase"])
def test_search_finds_and_opens(page, base_url, queries, kind):
    query, path, h1 = queries[kind]
    open_page(page, base_url, "index.html")
    results = search(page, query)
    hit = result_link(results, path)
    expect(hit).to_be_visible()
    follow(page, hit, path, h1)
    # The page opened marks the words searched for.
    for word in query.split():
        expect(content(page).locator("mark", has_text=re.compile(re.escape(word), re.I)).first).to_be_visible()
    if kind == "phrase":
        expect(content(page)).to_contain_text(query)


def test_a_result_shows_its_kind_date_and_context(page, served_url, real_archive, site):
    """Each result: its title, the kind of page and its date, and a line of context, as the table holds them."""
    letter = walk(real_archive).letter
    path, title, kind, when, context = BuiltIndex(site).row(page_of(letter))
    assert (title, kind) == (letter.title, "Letter") and when, (title, kind, when)
    open_page(page, served_url, "index.html")
    results = search(page, letter.title)
    hit = result_link(results, path)
    expect(hit).to_be_visible()
    expect(hit.locator(".archive-search__title")).to_have_text(title)
    expect(hit.locator(".archive-search__about")).to_have_text(f"{kind} · {when}")
    if context:
        expect(hit.locator(".archive-search__context")).to_have_text(context)


def test_the_open_search_is_accessible(make_page, served_url, queries):
    """axe on a page with the search open and showing results (the page tests see it closed)."""
    for scheme in ("light", "dark"):
        page = open_page(make_page(color_scheme=scheme), served_url, "index.html")
        results = search(page, queries["person"][0])
        expect(results.first).to_be_visible()
        expect(page.locator(".md-search__output")).to_have_css("opacity", "1")  # Material's fade-in done
        serious = [describe(v) for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        assert not serious, f"[{scheme}] " + "\n  ".join(serious)


def test_search_says_when_nothing_matches(page, base_url):
    open_page(page, base_url, "index.html")
    search(page, "zzyzxq")
    expect(page.locator(META)).to_have_text("No matching documents")
    expect(page.locator(RESULTS)).to_have_count(0)


def test_search_on_a_phone(make_page, served_url, queries):
    """On a phone the search box hides behind the header's magnifier button."""
    query, path, h1 = queries["person"]
    page = open_page(make_page(viewport=PHONE, is_mobile=True, has_touch=True), served_url, "timeline.html")
    expect(page.locator("[data-archive-search-input]")).not_to_be_in_viewport()
    results = search(page, query)
    follow(page, result_link(results, path), path, h1)


def test_search_by_keyboard(page, base_url, queries):
    """"/" opens the box, ArrowDown reaches the first result, Enter opens it; Escape closes."""
    query, path, h1 = queries["person"]
    open_page(page, base_url, "timeline.html")
    box = page.locator("[data-archive-search-input]")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type(query)
    first = page.locator(f"{RESULTS} a").first
    expect(first).to_have_attribute("href", re.compile(re.escape(path) + r"\?h="))
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    expect(box).not_to_be_focused()
    expect(page.locator("#__search")).not_to_be_checked()
    page.keyboard.press("s")
    expect(box).to_be_focused()
    expect(page.locator("#__search")).to_be_checked()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(url_of(path))
    expect(heading(page)).to_contain_text(h1)


def test_enter_in_the_box_opens_the_first_result(page, served_url, queries):
    query, path, h1 = queries["person"]
    open_page(page, served_url, "index.html")
    search(page, query).first.wait_for()
    page.keyboard.press("Enter")
    expect(page).to_have_url(url_of(path))


def test_clicking_outside_closes_the_search(page, served_url, queries):
    open_page(page, served_url, "index.html")
    results = search(page, queries["person"][0])
    expect(results.first).to_be_visible()
    page.mouse.click(5, 700)  # the overlay covers the page
    expect(page.locator("#__search")).not_to_be_checked()
    expect(results.first).to_be_hidden()


def test_show_more_adds_ten_results(page, served_url, site):
    """A query with more than ten results shows ten and a button for the next ten."""
    index = BuiltIndex(site)
    term = max((t for t in index.terms().items() if len(t[0]) >= 4), key=lambda t: len(t[1]))[0]
    total = len(index.terms()[term])
    assert total > 10, f"no word is on more than ten pages ({term!r}: {total}): the test needs one"
    open_page(page, served_url, "index.html")
    results = search(page, term + " ")  # a space: the word itself, not every word it begins
    expect(results).to_have_count(10)
    expect(page.locator(META)).to_have_text(f"{total} matching documents")
    more = page.get_by_role("button", name="Show more results")
    more.click()
    expect(results).to_have_count(min(20, total))
    expect(results.nth(10).locator("a")).to_be_focused()
    expect(more).to_be_visible() if total > 20 else expect(more).to_be_hidden()


# Exact expectations on a small archive made for them ----------------------------------------

NAMES = {
    "people/kim-jong-un.md": """
        ---
        name: Kim Jong-un
        role: leader
        country: North Korea
        summary: Supreme Leader of North Korea.
        ---
        """,
    "people/bashar-al-assad.md": """
        ---
        name: Bashar al-Assad
        role: leader
        country: Syria
        summary: President of Syria.
        ---
        """,
    "people/antonio-guterres.md": """
        ---
        name: António Guterres
        role: official
        summary: Secretary-General of the United Nations.
        ---
        """,
    "people/yury-ushakov.md": """
        ---
        name: Yury Ushakov
        aliases: ["Yuri Ushakov"]
        role: official
        country: Russia
        summary: Aide to the President of Russia.
        ---
        """,
    "people/vladimir-putin.md": """
        ---
        name: Vladimir Putin
        role: leader
        country: Russia
        summary: President of Russia.
        ---
        """,
    "articles/2019-01-02-daily-pyongyang.md": """
        ---
        title: A letter from Pyongyang
        outlet: daily
        published: "2019-01-02"
        people: [kim-jong-un, vladimir-putin]
        ---
        Kim Jong-un wrote to Vladimir Putin. Kim Jong-un thanked Putin's aides, and Putin's office
        said that Kim Jong-un's letter was warm.
        """,
    "articles/2019-01-03-daily-assembly.md": """
        ---
        title: At the assembly
        outlet: daily
        published: "2019-01-03"
        ---
        The UN Security Council met on Thursday. Delegates discussed Kim's proposal and the weather.
        """,
    "articles/2019-01-04-daily-damascus.md": """
        ---
        title: Damascus replies
        outlet: daily
        published: "2019-01-04"
        people: [bashar-al-assad]
        ---
        Assad's office said that al-Assad had read the message. Bashar al-Assad replied within a week,
        and Assad thanked Moscow.
        """,
    "articles/2019-01-05-daily-secretariat.md": """
        ---
        title: At the Secretariat
        outlet: daily
        published: "2019-01-05"
        people: [antonio-guterres, yury-ushakov]
        ---
        António Guterres received Yury Ushakov. Guterres and Ushakov spoke of the New Year.
        """,
}
KIM, ASSAD, GUTERRES = "people/kim-jong-un.html", "people/bashar-al-assad.html", "people/antonio-guterres.html"
USHAKOV, PUTIN = "people/yury-ushakov.html", "people/vladimir-putin.html"
PYONGYANG, ASSEMBLY = "articles/2019-01-02-daily-pyongyang.html", "articles/2019-01-03-daily-assembly.html"
DAMASCUS = "articles/2019-01-04-daily-damascus.html"


@pytest.fixture(scope="module")
def names_site(tmp_path_factory):
    project = Project(make_project(tmp_path_factory.mktemp("search-names"), NAMES))
    build(project)
    return project.site


@pytest.fixture
def names_page(page, names_site):
    return open_page(page, names_site.as_uri() + "/", "index.html")


@pytest.mark.parametrize("query, first", [
    ("Kim Jong-un", KIM), ("kim jong-un", KIM), ("Kim Jong‑un", KIM), ("Kim Jong un", KIM), ("Jong-un", KIM),
    ("Assad", ASSAD), ("al-Assad", ASSAD), ("Bashar al-Assad", ASSAD), ("al Assad", ASSAD), ("ASSAD ", ASSAD),
    ("Antonio Guterres", GUTERRES), ("António Guterres", GUTERRES), ("guterres", GUTERRES),
    ("Yury Ushakov", USHAKOV), ("Yuri Ushakov", USHAKOV), ("Putin's", PUTIN), ("Putin’s", PUTIN),
    ("Guter", GUTERRES), ("Antonio Guter", GUTERRES), ("Ushak", USHAKOV),
])
def test_names_as_readers_type_them(names_page, query, first):
    """Each finds the record's page first, above the articles that mention the name more often."""
    found = results_of(names_page, query, 10)
    assert found[:1] == [first], f"{query!r}: {found}"


def test_a_joined_name_never_matches_its_parts_elsewhere(names_page):
    """"Kim Jong-un" looks for "jongun": a page saying "UN" and "Kim" apart is no match."""
    for query in ("Kim Jong-un", "Jong-un", "Kim Jong un"):
        found = results_of(names_page, query, 50)
        assert ASSEMBLY not in found and PYONGYANG in found, f"{query!r}: {found}"
    assert ASSEMBLY in results_of(names_page, "Kim UN", 50)  # it does hold both words


def test_every_word_must_match(names_page):
    assert results_of(names_page, "Kim Putin", 50) == [PYONGYANG]
    assert results_of(names_page, "Guterres Assad", 50) == []
    assert results_of(names_page, "Guterres", 50) and results_of(names_page, "Assad", 50)


def test_only_the_last_word_is_a_prefix(names_page):
    assert results_of(names_page, "Guter Antonio", 50) == []  # "guter" is no word of any page
    assert results_of(names_page, "Guter ", 50) == []  # a space after it: the word is finished
    assert GUTERRES in results_of(names_page, "Antonio Guter", 50)
    assert results_of(names_page, "Gu", 50) == []  # two letters are a word, not a prefix


def test_a_record_ranks_above_pages_that_mention_it(names_page):
    for query, record, mention in (("Kim Jong-un", KIM, PYONGYANG), ("Assad", ASSAD, DAMASCUS)):
        found = results_of(names_page, query, 50)
        assert found.index(record) < found.index(mention), f"{query!r}: {found}"


# A summit's alias, which a place's own name shares a word of ("Lakeside") and other places' summaries repeat.
ALIASED = {
    "summits/2013-06-meet.md": MINI["summits/2013-06-meet.md"].replace(
        "title: The June meeting", 'title: The June meeting\n        aliases: ["Lakeside talks"]'),
    "places/lakeside.md": """
        ---
        name: Lakeside
        summary: Where the talks were held; the talks made the town known, and talks still follow.
        ---
        """,
    "places/hill.md": """
        ---
        name: Castle Hill
        summary: Lakeside talks, Lakeside talks and again Lakeside talks were planned from here.
        ---
        """,
}


@pytest.fixture(scope="module")
def aliased_site(tmp_path_factory):
    project = Project(make_project(tmp_path_factory.mktemp("search-aliases"), ALIASED))
    build(project)
    return project.site


@pytest.fixture
def aliased_page(page, aliased_site):
    return open_page(page, aliased_site.as_uri() + "/", "index.html")


@pytest.mark.parametrize("query", ["Lakeside talks", "lakeside talk", "Lakeside tal"])
def test_a_record_comes_first_for_its_alias_whatever_others_summaries_say(aliased_page, query):
    """Issue 18: a place whose summary repeats a summit's alias, or whose own name is one word of it, came first."""
    found = results_of(aliased_page, query, 10)
    assert found[:1] == ["summits/2013-06-meet.html"], f"{query!r}: {found}"
    assert {"places/hill.html", "places/lakeside.html"} <= set(found)  # still found, after it


def test_stopwords_alone_are_no_search(names_page):
    found = names_page.evaluate("__archiveSearch.query('the and of')")
    assert found == {"total": 0, "results": []}
    search(names_page, "the and of")
    expect(names_page.locator(META)).to_have_text("Type to start searching")
    expect(names_page.locator(RESULTS)).to_have_count(0)


def test_typing_fast_never_shows_an_older_querys_results(page, served_url):
    """The shards of a first query come late, after a second query's results: they stay unseen."""
    held = []
    page.route("**/search/terms/gu*.js", lambda route: held.append(route))
    open_page(page, served_url, "index.html")
    box = page.locator("[data-archive-search-input]")
    with page.expect_request("**/search/terms/gu*.js"):
        search(page, "guterres")
    box.fill("assad")
    first = page.locator(f"{RESULTS} a").first
    expect(first).to_have_attribute("href", re.compile(r"assad"))
    shown = page.locator(RESULTS).all_text_contents()
    for route in held:
        route.continue_()
    # Once the late shard is in and every query waiting on it has finished (a task later):
    page.evaluate("__archiveSearch.query('guterres').then(() => new Promise(r => setTimeout(r)))")
    assert page.locator(RESULTS).all_text_contents() == shown


def test_a_file_that_cannot_load_is_said_once(browser, names_site, tmp_path):
    """A missing shard: the meta line says search is unavailable; no retry at each keystroke."""
    import shutil
    site = tmp_path / "site"
    shutil.copytree(names_site, site)
    (site / "search" / "terms" / "gu.js").unlink()
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    open_page(page, site.as_uri() + "/", "index.html")
    search(page, "guter")
    expect(page.locator(META)).to_have_text("Search is unavailable: its index could not be loaded.")
    page.keyboard.type("res")
    expect(page.locator(META)).to_have_text("Search is unavailable: its index could not be loaded.")
    page.locator("[data-archive-search-input]").fill("assad")
    expect(page.locator(RESULTS).first).to_be_visible()  # the rest of the index still answers
    context.close()
    assert len(errors) <= 1, errors


def test_marks_on_the_page_opened(page, names_site):
    """?h= marks each word holding a term searched for, whole, and only those."""
    open_page(page, names_site.as_uri() + "/", f"{PYONGYANG}?h={quote('kim jong-un')}")
    marks = content(page).locator(".article-text mark")
    expect(marks.first).to_be_visible()
    assert set(marks.all_text_contents()) == {"Kim", "Jong-un", "Jong-un's"}
    open_page(page, names_site.as_uri() + "/", f"{ASSEMBLY}?h={quote('kim jong-un')}")
    expect(content(page).locator(".article-text mark")).to_have_text(["Kim's"])
    open_page(page, names_site.as_uri() + "/", f"articles/2019-01-05-daily-secretariat.html?h={quote('antonio guter')}")
    expect(content(page).locator(".article-text mark")).to_have_text(["António", "Guterres", "Guterres"])


def test_a_hostile_query_is_only_text(page, names_site):
    query = '<img src=x onerror="document.title=1">"Assad'
    open_page(page, names_site.as_uri() + "/", f"{DAMASCUS}?h={quote(query)}")
    expect(content(page).locator("mark").first).to_be_visible()
    assert page.locator(".md-content img").count() == 0
    search(page, query)
    expect(page.locator(META)).to_have_text("No matching documents")  # no page has every word
    assert page.locator(".md-search img").count() == 0 and page.title() != "1"


# The page's tokeniser is the builder's --------------------------------------------------------

TRICKY = [
    "António Guterres", "Straße", "Øresund", "Æsop œuvre", "Łódź", "Đorđe", "Þórr", "Iİıi", "Yury/Yuri",
    "Putin's", "Putin’s", "Putin‘s", "Putinʼs", "Putin`s", "O'Neill", "O’Neill's", "d'Estaing", "Giscard d’Estaing",
    "Kim Jong-un", "Kim Jong‐un", "Kim Jong‑un", "al-Assad's", "Bashar al - Assad", "1945–1949", "Moscow—Washington",
    "Путин пишет письма", "Ёлкин", "ΣΟΦΟΣ σοφός", "G8", "G20's", "U.S.", "U.S.-Russian", "the U.N. and e.g. this",
    "A.B", "x.y.z.", "3.5", "letters ross paris virus", "its it's", "ﬁnal ½ ①", "co-operation", "--double--dash--",
    "'quoted'", "rock 'n' roll", "ab-c", "a", "", "   ", "The and of", "naïve café", "Ａｂｃ",
]


def test_the_page_tokenises_as_the_builder_does(names_page):
    js = names_page.evaluate(
        "async xs => Promise.all(xs.map(async x => [await __archiveSearch.tokens(x, false), "
        "await __archiveSearch.tokens(x, true)]))", TRICKY)
    python = [[index_tokens(x), query_tokens(x)] for x in TRICKY]
    differ = [f"{x!r}: page {j}, builder {p}" for x, j, p in zip(TRICKY, js, python) if j != p]
    assert not differ, "\n".join(differ)
