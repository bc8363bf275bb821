"""The Atom feed: valid against RFC 4287's schema, the latest additions first, linked from every page."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archive_kit import ROOT, make_project, markdown_pages
from builder.outputs import feed
from builder.pipeline import Project, build
from test_history import git

ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = ROOT / "schemas" / "atom" / "atom.rnc"
SITE_URL = "https://letters.example.org/archive/"
OLDER = "letters/2013-04-alpha-to-beta.md"  # the oldest record, added to the archive last


def committed(tmp: Path) -> Path:
    """The mini archive in git with a site_url: everything on 2 January 2024 but the oldest letter,
    added on 4 March 2024."""
    root = make_project(tmp)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"\nsite_url: {SITE_URL}\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "content")
    git(root, "reset", "-q", "--", f"content/{OLDER}")
    git(root, "commit", "-q", "-m", "the archive")
    git(root, "add", "content")
    git(root, "commit", "-q", "-m", "an older letter found", date="2024-03-04T15:30:00+01:00")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = committed(tmp_path_factory.mktemp("feed"))
    build(Project(root))
    return root / "site"


def parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode("utf-8"))


def instant(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert value.tzinfo is not None, f"{text}: an Atom date needs its offset (RFC 3339)"
    return value


def check_atom(root: ET.Element) -> list[ET.Element]:
    """What RFC 4287 requires beyond its grammar (the Schematron rules jing skips) and what we promise."""
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    assert root.find(f"{ATOM}author/{ATOM}name") is not None  # so entries need no author of their own
    entries = root.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(ids)
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        assert [link.get("rel") for link in entry.findall(f"{ATOM}link")] == ["alternate"]
        assert entry.findtext(f"{ATOM}summary")
        updated = instant(entry.findtext(f"{ATOM}updated") or "")
        if (published := entry.findtext(f"{ATOM}published")) is not None:
            assert instant(published) <= updated
    instant(root.findtext(f"{ATOM}updated") or "")
    return entries


@pytest.mark.skipif(shutil.which("jing") is None, reason="needs jing (tools/install-test-system-deps.sh)")
def test_the_feed_validates_against_the_atom_schema(site):
    done = subprocess.run(["jing", "-c", str(SCHEMA), str(site / "feed.xml")], capture_output=True, text=True)
    errors = [line for line in done.stdout.splitlines() + done.stderr.splitlines() if "warning" not in line]
    assert done.returncode == 0 and not errors, errors


def test_the_schema_check_can_fail(tmp_path):
    """The validation above rejects what is not Atom: a date without its time."""
    if shutil.which("jing") is None:
        pytest.skip("needs jing")
    bad = tmp_path / "feed.xml"
    bad.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><id>x</id><title>t</title>'
                   "<updated>2024-01-02</updated></feed>", encoding="utf-8")
    done = subprocess.run(["jing", "-c", str(SCHEMA), str(bad)], capture_output=True, text=True)
    assert done.returncode != 0 and "updated" in done.stdout


def test_entries_are_the_latest_additions_with_permalinks(site):
    entries = check_atom(parse((site / "feed.xml").read_text(encoding="utf-8")))
    links = [e.find(f"{ATOM}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert [e.findtext(f"{ATOM}id") for e in entries] == links  # with a site_url, the id is the permalink
    # The oldest letter was added last: it comes first. The rest came in one commit, newest first.
    assert links == [SITE_URL + "letters/2013-04-alpha-to-beta.html",
                     SITE_URL + "articles/2013-05-25-daily-reply.html",
                     SITE_URL + "letters/2013-05-beta-to-alpha.html"]
    for link in links:
        assert (site / link.removeprefix(SITE_URL)).is_file()
    first = entries[0]
    assert first.findtext(f"{ATOM}published") == "2024-03-04T15:30:00+01:00"
    assert first.findtext(f"{ATOM}title") == "Alpha writes to Beta"
    assert first.findtext(f"{ATOM}summary", "").startswith("Anna Alpha to Boris Beta, 15 April 2013.")
    article = entries[1]
    assert article.findtext(f"{ATOM}summary", "").startswith(
        "The Daily, 25 May 2013. Gala Gamma handed over a reply on Wednesday")


def test_every_page_and_the_home_page_link_the_feed(site):
    pages = sorted(site.rglob("*.html"))
    head = '<link rel=" alternate" type="application/atom+xml"'  # see overrides/main.html on the space
    assert pages and [p for p in pages if head not in p.read_text(encoding="utf-8")] == []
    assert 'href="feed.xml"' in (site / "index.html").read_text(encoding="utf-8")
    assert 'href="../feed.xml"' in (site / "letters" / "2013-04-alpha-to-beta.html").read_text(encoding="utf-8")


def test_without_git_the_feed_goes_by_the_records_own_dates_and_says_so(tmp_path):
    text = markdown_pages(make_project(tmp_path))[feed.FEED]
    root = parse(text)
    entries = check_atom(root)
    assert root.findtext(f"{ATOM}subtitle") == feed.BY_OWN_DATE
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        feed.TAG + "articles/2013-05-25-daily-reply", feed.TAG + "letters/2013-05-beta-to-alpha",
        feed.TAG + "letters/2013-04-alpha-to-beta"]
    assert [e.find(f"{ATOM}link").get("href") for e in entries][0] == "articles/2013-05-25-daily-reply.html"  # type: ignore[union-attr]
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2013-05-25T00:00:00Z", "2013-05-22T00:00:00Z", "2013-04-15T00:00:00Z"]
    assert root.findtext(f"{ATOM}updated") == "2013-05-25T00:00:00Z"  # the content's, not the clock's
    assert all(e.find(f"{ATOM}published") is None for e in entries)


def test_the_feed_holds_only_the_latest(tmp_path, monkeypatch):
    monkeypatch.setattr(feed, "LIMIT", 2)
    entries = check_atom(parse(markdown_pages(make_project(tmp_path))[feed.FEED]))
    assert len(entries) == 2


def test_markup_in_a_title_is_escaped(tmp_path):
    # Characters XML cannot hold (controls, U+FFFE) are refused by the check: tests/test_hostile_input.py.
    files = {"letters/2013-05-beta-to-alpha.md": None}
    root = make_project(tmp_path, files)
    letter = root / "content" / "letters" / "2013-04-alpha-to-beta.md"
    letter.write_text(letter.read_text(encoding="utf-8").replace(
        "title: Alpha writes to Beta", 'title: "Alpha & Beta ]]> \\"writes\\""'), encoding="utf-8")
    article = root / "content" / "articles" / "2013-05-25-daily-reply.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "letters: [2013-05-beta-to-alpha, 2013-04-alpha-to-beta]", "letters: [2013-04-alpha-to-beta]"),
        encoding="utf-8")
    pages = markdown_pages(root)
    titles = [e.findtext(f"{ATOM}title") for e in check_atom(parse(pages[feed.FEED]))]
    assert 'Alpha & Beta ]]> "writes"' in titles
