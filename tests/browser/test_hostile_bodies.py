"""Hostile bodies in Chromium (tests/hostile_bodies.py). The corpus is live: built with the body
check switched off, as MkDocs renders them, every case fires its canary on load, hover or focus.
The near misses, built with the check on, fire nothing and send no request off the machine.

A canary is an alert, window.__pwned, or a request to a host outside the machine (logged and
aborted). Each page is opened, then every element of the article and the table of contents is
hovered and every focusable one focused, as a reader's mouse and keyboard would.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

import builder.validate.validate
from archive_kit import make_project
from browser_kit import NetworkGuard
from builder.pipeline import Project, build
from hostile_bodies import CANARY_HOST, HOSTILE, case_file, hostile_files, near_miss_files

pytestmark = pytest.mark.browser

# The article's elements and the table of contents' links, where a reader's pointer goes.
TARGETS = ".md-content article *, .md-sidebar--secondary .md-nav__link"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def serve():
    """Serves a site folder on 127.0.0.1 (a protocol-relative '//host' leaves the machine only over http)."""
    servers = []

    def start(site: Path) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _built(root: Path) -> Path:
    build(Project(root))
    return root / "site"


@pytest.fixture(scope="module")
def unchecked_site(tmp_path_factory, serve):
    """The hostile corpus as MkDocs renders it when nothing judges the bodies."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builder.validate.validate, "unsafe_html", lambda body: [])
        return serve(_built(make_project(tmp_path_factory.mktemp("unchecked"), hostile_files())))


@pytest.fixture(scope="module")
def near_miss_site(tmp_path_factory, serve):
    return serve(_built(make_project(tmp_path_factory.mktemp("near-misses"), near_miss_files())))


def _page_of(file: str) -> str:
    return re.sub(r"\.md$", ".html", file)


def _canaries(browser, url: str) -> list[str]:
    """What fired on the page at `url`: dialogs, window.__pwned, requests off the machine."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    guard = NetworkGuard(context, origin=re.match(r"https?://[^/]+/", url).group(0))
    page = context.new_page()
    fired: list[str] = []
    page.on("dialog", lambda dialog: (fired.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.goto(url)
    page.wait_for_timeout(300)  # onerror, autofocus and Material's own scripts
    targets = page.locator(TARGETS)
    for index in range(targets.count()):
        target = targets.nth(index)
        if target.is_visible():
            target.hover(force=True, timeout=2_000)
            page.wait_for_timeout(30)  # Material shows a tooltip on the next frame
    page.evaluate("() => document.querySelectorAll('[tabindex], a[href], input, details, x-note')"
                  ".forEach(el => el.focus())")
    page.wait_for_timeout(300)
    if page.evaluate("() => window.__pwned"):
        fired.append("window.__pwned")
    if page.evaluate("() => typeof __archiveSearch === 'object'"):
        page.evaluate("() => __archiveSearch.query('case', 5).catch(() => null)")  # search reads #__config
        page.wait_for_timeout(300)
    fired += [f"request {url}" for url in guard.external]
    context.close()
    return fired


@pytest.mark.parametrize("n, case", list(enumerate(HOSTILE, start=1)), ids=[c.name for c in HOSTILE])
def test_unchecked_payload_fires(browser, unchecked_site, n, case):
    fired = _canaries(browser, unchecked_site + _page_of(case_file(n)))
    # Its own alert or a request off the machine: proof the case would harm a reader.
    assert any(f"dialog {n}" == f or CANARY_HOST in f or "unpkg.com" in f for f in fired), fired


def test_near_misses_fire_nothing(browser, near_miss_site):
    assert _canaries(browser, near_miss_site + _page_of(case_file(0))) == []
