"""Published addresses keep working: each leads to a page, or to a redirect whose page exists.

tests/published_addresses.txt lists every page address the archive has published. Adding
records never touches it; renaming or removing one without `moved_from:` fails here with
the line to add. Fixture archives check the redirect pages themselves and the check's messages.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from archive_kit import MINI, make_project
from builder.cli.commands import cli
from builder.model.addresses import relative
from builder.pipeline import Project, build
from builder.model.schema import KINDS

PUBLISHED = Path(__file__).with_name("published_addresses.txt")
REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')
FOLDERS = {model.folder for model in KINDS}


def published() -> list[str]:
    lines = PUBLISHED.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def redirect_of(site: Path, address: str) -> str | None:
    """Where a redirect page at `address` leads, as an address in the site; None for a page."""
    found = REFRESH.search((site / address).read_text(encoding="utf-8"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(address), html.unescape(found[1]))) if found else None


def advice(address: str) -> str:
    """What to do about a published address that leads nowhere, by the kind of page it was."""
    folder, _, name = address.removesuffix(".html").partition("/")
    if folder in FOLDERS and name and "/" not in name and name != "index":
        return (f"if content/{folder}/{name}.md was renamed, add `moved_from: [{name}]` to the front matter of "
                f"the renamed file (or, if it was merged into another record, of the record that replaced it)")
    if folder == "correspondence" and "-and-" in name and "/" not in name:
        return ("the page of the letters between two people: it follows a renamed person by itself once their "
                "record lists the old id under `moved_from:`")
    return ("a page of the site's layout (builder/model/addresses.py) or an index page of a year or initial: if the "
            "layout moved, keep the old address working; if no record is listed under that year or initial any "
            "more, the page has nothing to lead to: remove its line from tests/published_addresses.txt")


def unresolved(site: Path, addresses: list[str]) -> list[str]:
    problems = []
    for address in addresses:
        if not (site / address).is_file():
            problems.append(f"{address}: published, and now neither a page nor a redirect: {advice(address)}")
        elif (to := redirect_of(site, address)) is not None and not (site / to).is_file() \
                or to is not None and redirect_of(site, to) is not None:
            problems.append(f"{address}: redirects to {to}, which is not a page")
    return problems


def test_every_published_address_still_resolves(site):
    addresses = published()
    assert len(addresses) > 100 and "letters/2013-05-putin-to-obama.html" in addresses
    problems = unresolved(site, addresses)
    assert not problems, "\n".join(problems)


def test_the_list_holds_no_duplicates_and_only_site_addresses():
    addresses = published()
    assert len(set(addresses)) == len(addresses)
    assert all(a.endswith(".html") and not a.startswith(("/", ".")) and "//" not in a for a in addresses)


# Fixture archives: a letter and a person renamed -----------------------------------------------

RENAMED_LETTER = MINI["letters/2013-04-alpha-to-beta.md"].replace(
    "title: Alpha writes to Beta", "title: Alpha writes to Beta\n        moved_from: [2013-04-alpha-to-beta]")
RENAMED = {
    "letters/2013-04-alpha-to-beta.md": None,
    "letters/2013-04-alpha-writes-to-beta.md": RENAMED_LETTER,
    "letters/2013-05-beta-to-alpha.md": MINI["letters/2013-05-beta-to-alpha.md"].replace(
        "replies_to: 2013-04-alpha-to-beta", "replies_to: 2013-04-alpha-writes-to-beta"),
    "articles/2013-05-25-daily-reply.md": MINI["articles/2013-05-25-daily-reply.md"].replace(
        "2013-04-alpha-to-beta]", "2013-04-alpha-writes-to-beta]"),
}
BEFORE = ["letters/2013-04-alpha-to-beta.html", "people/beta.html", "correspondence/alpha-and-beta.html",
          "letters/2013-05-beta-to-alpha.html"]


def renamed_person(files: dict) -> dict:
    """Beta becomes Bravo: the file renamed, every id that named it changed, the old id kept under moved_from."""
    out = {}
    for rel, text in {**MINI, **files}.items():
        if text is not None:
            text = re.sub(r"\bbeta\b(?![-.])", "bravo", text).replace("bravo-to-alpha", "beta-to-alpha")
            text = text.replace("alpha-to-bravo", "alpha-to-beta").replace("alpha-writes-to-bravo",
                                                                         "alpha-writes-to-beta")
        out[rel.replace("people/beta.md", "people/bravo.md")] = text
    out["people/bravo.md"] = out["people/bravo.md"].replace("role: leader", "role: leader\n        moved_from: [beta]")
    return out


@pytest.fixture(scope="module")
def moved(tmp_path_factory) -> Path:
    project = Project(make_project(tmp_path_factory.mktemp("moved"), renamed_person(RENAMED), base=None))
    build(project)
    return project.site


def test_old_addresses_of_renamed_records_lead_to_their_new_pages(moved):
    assert unresolved(moved, BEFORE) == []
    assert redirect_of(moved, "letters/2013-04-alpha-to-beta.html") == "letters/2013-04-alpha-writes-to-beta.html"
    assert redirect_of(moved, "people/beta.html") == "people/bravo.html"
    # A renamed person's pairs move with them.
    assert redirect_of(moved, "correspondence/alpha-and-beta.html") == "correspondence/alpha-and-bravo.html"


def test_a_redirect_page_works_without_script_and_names_its_canonical_page(moved):
    text = (moved / "people/beta.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="bravo.html">' in text
    assert '<a href="bravo.html">Boris Beta</a>' in text  # a plain link, for a browser that does not refresh
    assert "<script" not in text


def test_a_rename_without_moved_from_fails_saying_what_to_add(tmp_path):
    files = {**RENAMED, "letters/2013-04-alpha-writes-to-beta.md": MINI["letters/2013-04-alpha-to-beta.md"]}
    project = Project(make_project(tmp_path, files))
    build(project)
    assert unresolved(project.site, BEFORE) == [
        "letters/2013-04-alpha-to-beta.html: published, and now neither a page nor a redirect: if "
        "content/letters/2013-04-alpha-to-beta.md was renamed, add `moved_from: [2013-04-alpha-to-beta]` to the "
        "front matter of the renamed file (or, if it was merged into another record, of the record that "
        "replaced it)"]


def test_moved_from_must_name_a_free_id_claimed_once(tmp_path):
    files = {"topics/trade.md": "---\nname: Trade\nmoved_from: [commerce, alpha-only]\n---\n",
             "topics/commerce.md": "---\nname: Commerce\n---\n",
             "topics/exports.md": "---\nname: Exports\nmoved_from: [alpha-only]\n---\n"}
    result = CliRunner().invoke(cli, ["check", "--root", str(make_project(tmp_path, files))])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert ("content/topics/trade.md:3: moved_from.0: 'commerce' is the id of content/topics/commerce.md, "
            "whose page is at that address. List only ids this record had before its file was renamed") in lines
    assert sum("'alpha-only' is also listed under moved_from in content/topics/" in line for line in lines) == 1


def test_moved_from_refuses_an_id_no_record_can_have_had_or_its_own(tmp_path):
    """'index' is a listing page's address (and an unsafe id no file's name); a record's own id, or one
    listed twice, is a slip."""
    files = {"topics/trade.md": "---\nname: Trade\nmoved_from:\n  - index\n  - trade\n  - commerce\n  - commerce\n---\n"}
    (reserved := tmp_path / "reserved").mkdir()
    result = CliRunner().invoke(cli, ["check", "--root", str(make_project(reserved, files))])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "content/topics/trade.md:4: moved_from.0: 'index' is reserved for the site's own pages: topics/index.html "
        "is the list of topics. No record can have had this id: remove it from moved_from",
        "content/topics/trade.md:5: moved_from.1: 'trade' is this record's own id. List only ids this record had "
        "before its file was renamed",
        "content/topics/trade.md:7: moved_from.3: 'commerce' is listed twice. Remove the second one",
        "3 problems found."]
    files = {"topics/peace.md": "---\nname: Peace\nmoved_from: [../index]\n---\n"}
    (unsafe := tmp_path / "unsafe").mkdir()
    result = CliRunner().invoke(cli, ["check", "--root", str(make_project(unsafe, files))])
    assert result.output.splitlines() == [
        "content/topics/peace.md:3: moved_from.0: '../index' is not a valid id; use lowercase letters a-z, "
        "digits and single hyphens, e.g. 'vladimir-putin'",
        "1 problem found."]


_PART = st.sampled_from(["letters", "years", "people", "a", "index.md", "2013.md", "x.md", ".", "..", ""])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PART, min_size=1, max_size=4), st.lists(_PART, min_size=1, max_size=4))
def test_a_link_between_pages_is_the_relative_path_posixpath_gives(to, start):
    """addresses.relative works the path out itself (os.getcwd for each link was its cost): the same answer."""
    path, from_page = "/".join(to), "/".join(start)
    folder = posixpath.dirname(from_page) or "."
    if path.startswith("/") or folder.startswith("/") or not path:
        return
    assert relative(path, from_page) == posixpath.relpath(path, folder)
