"""Hostile front matter in Chromium: every page of the hostile archive (tests/hostile_kit.py), opened
from disk, and Material's search showing results for the payloads. Nothing may run.

Each payload alerts or sets window.__pwned: a dialog handler and that canary see whether any did,
and the DOM is searched for anything a payload could have made into an element or attribute.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_kit import NetworkGuard, search
from hostile_kit import PLANTED, build_hostile, planted

pytestmark = pytest.mark.browser

# Elements and attributes a payload could have produced, as seen after Material's scripts ran
# (search results included). The search box's own share link is Material's "javascript:void(0)".
MADE_BY_A_PAYLOAD = """() => [...document.querySelectorAll('*')].flatMap(el => [
  ...[...el.attributes].filter(a => a.name.startsWith('on') || a.name === 'autofocus')
     .map(a => `<${el.localName} ${a.name}="${a.value}">`),
  ...(['href', 'src', 'xlink:href'].map(n => el.getAttribute(n) || '')
     .filter(v => /^\\s*(javascript|vbscript|data):/i.test(v) && v !== 'javascript:void(0)')
     .map(v => `<${el.localName} href="${v}">`)),
  ...(el.localName === 'img' ? [`<img src="${el.getAttribute('src')}">`] : []),
])"""


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory):
    project = build_hostile(tmp_path_factory.mktemp("hostile-browser"))
    return project.site, planted(project.root)


@pytest.fixture
def watched(browser, hostile_site):
    """A page that records every dialog (and dismisses it), with the window.__pwned canary read after."""
    site, _ = hostile_site
    context = browser.new_context()
    guard = NetworkGuard(context, origin=site.as_uri() + "/")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
    yield page, dialogs
    context.close()
    assert guard.problems() == []


def _ran(page, dialogs: list[str], where: str) -> list[str]:
    page.wait_for_timeout(100)  # let an autofocus or onerror handler fire
    pwned = page.evaluate("() => window.__pwned")
    return ([f"{where}: {d}" for d in dialogs] + ([f"{where}: window.__pwned = {pwned}"] if pwned else [])
            + [f"{where}: {made}" for made in page.evaluate(MADE_BY_A_PAYLOAD)])


def test_no_page_runs_a_payload(watched, hostile_site):
    page, dialogs = watched
    site, _ = hostile_site
    found = []
    # 404.html is for a server (its links start at the site's root); it shows no field anyway.
    pages = sorted(path for path in site.rglob("*.html") if path.name != "404.html")
    for path in pages:
        page.goto(path.as_uri())
        found += _ran(page, dialogs, path.relative_to(site).as_posix())
        dialogs.clear()
    assert len(pages) > 20  # every kind of page, listings and pairs included
    assert found == []


def test_search_results_run_no_payload(watched, hostile_site):
    page, dialogs = watched
    site, fields = hostile_site
    # The names and titles of the records as a reader would type them, and words every payload holds.
    names = [PLANTED.match(text).group(0).strip(" #") for _, loc, text in fields if loc in (("name",), ("title",))]
    found = []
    for query in [*names, "onerror", "onfocus", "tabindex"]:
        page.goto((site / "index.html").as_uri())
        results = search(page, query)
        expect(results.first, f"results for {query!r}").to_be_visible()
        found += _ran(page, dialogs, f"search {query!r}")
        dialogs.clear()
    assert len(names) >= 7 and found == []
    # A result shows the payload as text: what the reader typed, literally.
    expect(results.first).to_contain_text(re.compile("onerror=alert"))
