"""CONTRIBUTING.md, followed step by step: a new article, two new leaders, a letter and a summit.

The names are fictional on purpose: this is a fixture, not archive content.
"""

from __future__ import annotations

from click.testing import CliRunner

from builder.cli.commands import cli
from conftest import copy_project
from html_kit import read

ARTICLE_TEXT = """\
NORDSTAD, March 10 (Daily Wire) - President Anna Nord has sent a letter to President Sven Sud proposing talks on fisheries, her office said on Saturday.

Foreign Minister Lars Berg handed the letter to Sud in Sudby on Friday, ahead of the Baltic summit in Visby in June.
"""


def invoke(root, *args):
    result = CliRunner().invoke(cli, [*args, "--root", str(root)])
    return result


def fill(path, **replacements):
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, f"the scaffold no longer has {old!r}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_newcomer_adds_article_letter_summit_and_two_leaders(tmp_path):
    root = copy_project(tmp_path)
    content = root / "content"

    # People first, so the article scaffold can propose them.
    for id_, name, office in (("anna-nord", "Anna Nord", "President of Nordland"),
                              ("sven-sud", "Sven Sud", "President of Sudland"),
                              ("lars-berg", "Lars Berg", "Foreign Minister of Nordland")):
        assert invoke(root, "new", "person", id_, "--title", name).exit_code == 0
        fill(content / f"people/{id_}.md", **{
            "aliases: []": f"aliases: [{name.split()[-1]}]",
            "role: TODO": f"role: {'official' if id_ == 'lars-berg' else 'leader'}",
            '"TODO: e.g. President of Russia"': f'"{office}"', 'start: "TODO"': 'start: "2015"',
        })

    # Where it meets, and where the letter is handed over, are places of their own.
    for place, name in (("visby", "Visby"), ("sudby", "Sudby")):
        assert invoke(root, "new", "place", place, "--title", name).exit_code == 0
        fill(content / f"places/{place}.md", **{"authority:\n  wikidata:\n  geonames:\n": "",
                                                "country:\n": "country: Sudland\n"})
    assert invoke(root, "new", "summit", "2014-06-baltic-summit-visby", "--title", "Baltic summit in Visby").exit_code == 0
    fill(content / "summits/2014-06-baltic-summit-visby.md", **{
        "place: TODO-place-id": "place: visby",
        '  date: "TODO"': '  date: "2014-06"', "status: TODO": "status: planned",
        "attendees: []": "attendees: [anna-nord, sven-sud]", "aliases: []": 'aliases: ["Baltic summit"]',
    })

    source = tmp_path / "article.txt"
    source.write_text(ARTICLE_TEXT, encoding="utf-8")
    result = invoke(root, "new", "article", "2014-03-10-daily-wire-nord-writes-to-sud",
                    "--title", "Nord writes to Sud", "--from", str(source))
    assert result.exit_code == 0, result.output
    article = content / "articles/2014-03-10-daily-wire-nord-writes-to-sud.md"
    proposed = article.read_text()
    assert "people: [anna-nord, lars-berg, sven-sud]" in proposed  # found in the text by name and alias
    assert "summits: [2014-06-baltic-summit-visby]" in proposed

    assert invoke(root, "new", "letter", "2014-03-nord-to-sud", "--title", "Nord's letter to Sud").exit_code == 0
    fill(content / "letters/2014-03-nord-to-sud.md", **{
        "sender: TODO": "sender: anna-nord", "recipients: [TODO]": "recipients: [sven-sud]",
        '    date: "TODO"': '    date: "2014-03-07"',
        "TODO: how the date was worked out, e.g. 'on Wednesday' in an article of Saturday 25 May 2013":
            "'on Friday' in an article of Monday 10 March 2014",
        "article: TODO-article-id": "article: 2014-03-10-daily-wire-nord-writes-to-sud",
        "TODO: the article's exact words": "handed the letter to Sud in Sudby on Friday",
        "carriers: []": "carriers: [lars-berg]", "delivered_at:\n": "delivered_at: sudby\n",
        "summits: []": "summits: [2014-06-baltic-summit-visby]",
        "TODO: a short paragraph on what the letter says, per the sources. Optional.": "It proposes talks on fisheries.",
    })
    fill(article, **{
        "outlet: TODO-outlet-id": "outlet: reuters",
        'retrieved: "TODO"': 'retrieved: "2026-11-23"',
        '  date: "TODO"': '  date: "2014-03-10"',
        # The scaffold read the dateline, which prints no year: the curator supplies it.
        "The dateline 'NORDSTAD, March 10 (Daily Wire)' gives no year: write the date with the year, "
        "and say here how you know it.": "The dateline, in an article of 2014",
        "letters: []": "letters: [2014-03-nord-to-sud]",
    })

    check = invoke(root, "check")
    assert check.exit_code == 0, check.output
    assert invoke(root, "build").exit_code == 0

    site = root / "site"
    letter = read(site, "letters/2014-03-nord-to-sud.html")
    for target in ("people/anna-nord.html", "people/sven-sud.html", "people/lars-berg.html",
                   "summits/2014-06-baltic-summit-visby.html", "articles/2014-03-10-daily-wire-nord-writes-to-sud.html",
                   "correspondence/anna-nord-and-sven-sud.html"):
        assert letter.link_to(target), target
    assert "7 March 2014" in letter.text
    nord = read(site, "people/anna-nord.html")
    assert "sent to Sven Sud" in nord.section("Letters")
    summit = read(site, "summits/2014-06-baltic-summit-visby.html")
    assert summit.link_to("letters/2014-03-nord-to-sud.html")
    page = read(site, "articles/2014-03-10-daily-wire-nord-writes-to-sud.html")
    assert dict((t, x) for x, t in page.text_links)["people/lars-berg.html"] == "Lars Berg"
    assert read(site, "leaders.html").link_to("leaders/s.html")
    assert read(site, "leaders/s.html").link_to("people/sven-sud.html") == "Sven Sud"
