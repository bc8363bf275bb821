"""JSON-LD (schema.org) in every page: valid JSON naming its page, and what each kind of record says.

The real archive: every built page parses, whatever the content. A fixture archive (MINI):
the exact description of a letter, a summit, a person, an article; dates only as far as known.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

import pytest

from archive_kit import MINI, make_project
from builder.derive.derive import derive
from builder.derive.linked_data import schema_date, scripts
from builder.outputs.render import render
from builder.pipeline import Project, build, check
from builder.validate.cache import RecordCache

REDIRECT = 'http-equiv="refresh"'


def pages(site: Path) -> list[str]:
    """Every page MkDocs built (not the theme's 404, not the redirects left at old addresses)."""
    return [p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))
            if p.name != "404.html" and REDIRECT not in p.read_text(encoding="utf-8")]


def jsonld(site: Path, page: str) -> dict:
    found = scripts((site / page).read_text(encoding="utf-8"))
    assert len(found) == 1, f"{page}: {len(found)} JSON-LD blocks"
    return json.loads(found[0])


def resolve(page: str, ref: str) -> str:
    """An @id as a reader's tools resolve it against the page: a page of the site."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), ref))


def test_every_page_of_the_real_archive_has_parseable_jsonld_naming_itself(site):
    wrong = []
    for page in pages(site):
        try:
            data = jsonld(site, page)
        except (AssertionError, ValueError) as err:
            wrong.append(f"{page}: {err}")
            continue
        if data.get("@context") != "https://schema.org" or not data.get("@type"):
            wrong.append(f"{page}: no @context or @type: {str(data)[:120]}")
        elif resolve(page, data.get("@id", "")) != page:
            wrong.append(f"{page}: @id {data.get('@id')!r} names another page")
    assert len(pages(site)) > 50 and not wrong, "\n".join(wrong[:20])


def test_a_letter_is_a_message_from_its_sender_to_its_recipients(mini):
    page = "letters/2013-05-beta-to-alpha.html"
    data = jsonld(mini, page)
    assert data["@type"] == "Message" and data["additionalType"] == "Letter"
    assert data["name"] == "Beta answers Alpha"
    assert (data["sender"]["@type"], data["sender"]["name"]) == ("Person", "Boris Beta")
    assert resolve(page, data["sender"]["@id"]) == "people/beta.html"
    assert [(r["name"], resolve(page, r["@id"])) for r in data["recipient"]] == [("Anna Alpha", "people/alpha.html")]
    assert data["dateReceived"] == "2013-05-22"  # delivered: the only date it has
    assert "dateSent" not in data and "dateCreated" not in data  # unknown: left out, not guessed


def test_a_summit_is_an_event_with_its_days_and_place(mini):
    page = "summits/2013-06-meet.html"
    data = jsonld(mini, page)
    assert data["@type"] == "Event"
    assert (data["startDate"], data["endDate"]) == ("2013-06-17", "2013-06-18")
    assert data["location"]["@type"] == "Place"
    assert (mini / resolve(page, data["location"]["@id"])).is_file()
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert sorted(a["name"] for a in data["attendee"]) == ["Anna Alpha", "Boris Beta"]


def test_a_person_has_their_aliases_and_an_article_its_publisher(mini):
    person = jsonld(mini, "people/alpha.html")
    assert (person["@type"], person["name"], person["alternateName"]) == ("Person", "Anna Alpha", ["Mrs Alpha"])
    article = jsonld(mini, "articles/2013-05-25-daily-reply.html")
    assert (article["@type"], article["headline"], article["datePublished"]) == (
        "NewsArticle", "Beta replies to Alpha", "2013-05-25")
    assert article["publisher"]["name"] == "The Daily"
    assert jsonld(mini, "letters/index.html")["@type"] == "CollectionPage"
    assert jsonld(mini, "index.html")["@type"] == "WebSite"


def test_authority_identifiers_are_same_as(tmp_path):
    alpha = MINI["people/alpha.md"].replace("role: leader", "role: leader\n        authority: {wikidata: Q7747}")
    project = Project(make_project(tmp_path, {"people/alpha.md": alpha}))
    build(project)
    assert jsonld(project.site, "people/alpha.html")["sameAs"] == ["https://www.wikidata.org/wiki/Q7747"]


@pytest.mark.parametrize("edtf, expected", [
    ("2013", "2013"), ("2013-05", "2013-05"), ("2013-05-22", "2013-05-22"), ("2013-XX", "2013"),
    ("2013-05-22~", None), ("2013-05?", None), ("201X", None), ("[2013-05-20,2013-05-21]", None),
    ("2013-21", None),  # spring: a season is not a month
])
def test_dates_give_only_what_is_known(edtf, expected):
    assert schema_date(edtf) == expected


def test_field_text_cannot_close_the_script_and_reads_back_exactly(tmp_path):
    # Controls, line separators and U+FFFE/U+FFFF are refused by the check (tests/test_hostile_input.py).
    name = 'A < B && C > D "quoted" \\ é 🙂 \U0001fffe end'
    written = json.dumps(name, ensure_ascii=False)
    project = Project(make_project(tmp_path, {"topics/trade.md": f"---\nname: {written}\n---\n"}))
    build(project)
    html = (project.site / "topics/trade.html").read_text(encoding="utf-8")
    block = scripts(html)[0]
    assert not set("<>&") & set(block), block  # escaped as \u003c, \u003e, \u0026
    assert json.loads(block)["name"] == name


def test_site_url_makes_ids_absolute(tmp_path):
    root = make_project(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsite_url: https://letters.example.org/archive/\n",
                      encoding="utf-8")
    project = Project(root)
    build(project)
    data = jsonld(project.site, "letters/2013-05-beta-to-alpha.html")
    assert data["@id"] == "https://letters.example.org/archive/letters/2013-05-beta-to-alpha.html"
    assert data["sender"]["@id"] == "https://letters.example.org/archive/people/beta.html"


def test_a_page_prints_the_jsonld_and_citation_its_view_carries(tmp_path):
    """Worked out once, in derive, under mkdocs.yml's site_url: the page prints them as the view has them,
    and what else reads views (exports, search, the feed) finds the same."""
    archive, problems = check(Project(make_project(tmp_path)), RecordCache())
    assert archive is not None, problems
    views = derive(archive, site_url="https://example.org/archive/")
    view = views.pages["letters/2013-05-beta-to-alpha.md"]
    permalink = "https://example.org/archive/letters/2013-05-beta-to-alpha.html"
    assert json.loads(view.jsonld)["@id"] == permalink
    assert view.citation is not None and view.citation.permalink == permalink
    text = render(views)["letters/2013-05-beta-to-alpha.md"]
    assert f"\njsonld: {view.jsonld}\n" in text and f"Permalink: [{permalink}]" in text.replace("\\", "")
