"""Bad input gets the file, the line, the field, what is wrong and the fix — never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from archive_kit import make_project
from builder.cli.commands import cli

LETTER = "letters/2013-05-beta-to-alpha.md"


def run(project, *args):
    result = CliRunner().invoke(cli, [*args, "--root", str(project)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def problems_of(tmp_path, files):
    result = run(make_project(tmp_path, files), "check")
    assert result.exit_code == 1
    return result.output.strip().splitlines()[:-1]  # the last line counts them


def test_clean_archive_checks_clean(tmp_path):
    result = run(make_project(tmp_path), "check")
    assert result.exit_code == 0
    assert result.output == ("No problems in 10 records.\n"
                             "Facts on the pages: 7 cite an article, 12 are the curator's additions, 0 cite no source.\n")


@pytest.mark.parametrize("files, expected", [
    pytest.param(
        {LETTER: "---\ntitle: x\nsender: [beta\n---\n"},
        "content/letters/2013-05-beta-to-alpha.md:4: front matter is not valid YAML: did not find expected ',' "
        "or ']'. Check indentation, and quote values that contain ':' or start with a special character",
        id="malformed-yaml"),
    pytest.param(
        {"people/delta.md": "---\nrole: leader\n---\n"},
        "content/people/delta.md:2: name: required field is missing. Add this field",
        id="missing-field"),
    pytest.param(
        {"people/delta.md": "---\nname: Delta\nrole: leader\ncountri: Deltaland\n---\n"},
        "content/people/delta.md:4: countri: unknown field. Did you mean 'country'? (the fields allowed here are "
        "name, aliases, role, form, country, summary, offices, authority, distinct_from, quoted_elsewhere or "
        "moved_from)",
        id="unknown-field"),
    pytest.param(
        {"people/delta.md": "---\nname: Delta\nrole: leader\nplanet: Mars\n---\n"},
        "content/people/delta.md:4: planet: unknown field. Remove it, or check its spelling: the fields allowed "
        "here are name, aliases, role, form, country, summary, offices, authority, distinct_from, "
        "quoted_elsewhere or moved_from",
        id="unknown-field-unlike-any"),
    pytest.param(  # a key that looks like pydantic's own tags ('function-after[…]') is still named
        {"people/delta.md": "---\nname: Delta\nrole: leader\n\"rank[1]\": x\n---\n"},
        "content/people/delta.md:4: rank[1]: unknown field. Remove it, or check its spelling: the fields allowed "
        "here are name, aliases, role, form, country, summary, offices, authority, distinct_from, "
        "quoted_elsewhere or moved_from",
        id="unknown-field-with-brackets"),
    pytest.param(
        {"letters/2013-04-alpha-to-beta.md": "---\ntitle: A\nsender: alpha\nrecipients: [beta]\n"
                                             "dates:\n  sent:\n    date: \"2013-04\"\n    nte: x\n"
                                             "text_status: reported\n---\n"},
        "content/letters/2013-04-alpha-to-beta.md:8: dates.sent.0.nte: unknown field. Did you mean 'note'? "
        "(the fields allowed here are date, phrase, note, sources or curator)",
        id="unknown-field-in-a-part"),
    pytest.param(
        {"summits/2013-06-meet.md": "---\ntitle: M\nplace: lakeside\ndate: \"2013-02-30\"\nstatus: held\n---\n"},
        "content/summits/2013-06-meet.md:4: date: '2013-02-30' is not a real date in EDTF form; write YYYY, "
        "YYYY-MM or YYYY-MM-DD (a day that exists), a range as START/END, and add ~ for approximate or ? for uncertain",
        id="impossible-date"),
    pytest.param(
        {"summits/2013-06-meet.md": "---\ntitle: M\nplace: lakeside\ndate: 2013-13-01\nstatus: held\n---\n"},
        "content/summits/2013-06-meet.md:4: date: '2013-13-01' is not a real date in EDTF form; write YYYY, "
        "YYYY-MM or YYYY-MM-DD (a day that exists), a range as START/END, and add ~ for approximate or ? for uncertain",
        id="impossible-month-unquoted"),
    pytest.param(
        {"letters/2013-04-alpha-to-beta.md": "---\ntitle: A\nsender: alpa\nrecipients: [beta]\n"
                                             "dates: {sent: \"2013-04\"}\ntext_status: reported\n---\n"},
        "content/letters/2013-04-alpha-to-beta.md:3: sender: unknown person 'alpa'. Did you mean 'alpha'?",
        id="unknown-id"),
    pytest.param(
        {"letters/2013-04-alpha-to-beta.md": "---\ntitle: A\nsender: alpha\nrecipients: [beta]\n"
                                             "dates: {sent: \"2013-04\"}\ntext_status: reported\n"
                                             "replies_to: 2013-04-alpha-to-beta\n---\n"},
        "content/letters/2013-04-alpha-to-beta.md:7: replies_to: replies to itself. A letter can only answer an earlier letter",
        id="self-reply"),
    pytest.param(
        {"people/Delta Person.md": "---\nname: Delta\nrole: leader\n---\n"},
        "content/people/Delta Person.md: id: file name 'Delta Person' is not a safe id. Rename the file using "
        "lowercase a-z, digits and single hyphens, e.g. '2013-05-putin-to-obama.md'",
        id="unsafe-id"),
    pytest.param(
        {"people/delta.md": b"---\nname: D\xe9lta\nrole: leader\n---\n"},
        "content/people/delta.md:2: file is not UTF-8 (byte 0xe9 at offset 11). Save the file with UTF-8 encoding",
        id="not-utf8"),
    pytest.param(
        {"people/delta.md": ""},
        "content/people/delta.md: file is empty. Start it with front matter between two '---' lines",
        id="empty-file"),
    pytest.param(
        {"people/delta.md": "Just text, no front matter.\n"},
        "content/people/delta.md:1: file has no front matter. Start the file with a line '---', the YAML fields, "
        "then another '---'",
        id="no-front-matter"),
    pytest.param(
        {LETTER.replace("2013-05-beta-to-alpha", "2013-05-beta-to-alpha"): None,
         "articles/2013-05-25-daily-reply.md": "---\ntitle: T\noutlet: daily\npublished: \"2013-05-25\"\n---\nText.\n",
         "letters/2013-06-x.md": "---\ntitle: X\nsender: beta\nrecipients: [alpha]\ntext_status: reported\n"
                                  "dates:\n  sent:\n    date: \"2013-06\"\n    sources:\n"
                                  "      - article: 2013-05-25-daily-reply\n        quote: words never written\n---\n"},
        "content/letters/2013-06-x.md:11: dates.sent.sources.0.quote: quote not found in article "
        "'2013-05-25-daily-reply'. Copy the words exactly from the article's text",
        id="quote-not-in-source"),
])
def test_each_fault_gets_its_message(tmp_path, files, expected):
    assert expected in problems_of(tmp_path, files)


def test_unreadable_record_does_not_cascade(tmp_path):
    lines = problems_of(tmp_path, {LETTER: "---\ntitle: [x\n---\n"})
    assert len(lines) == 1 and lines[0].startswith(f"content/{LETTER}:")


def test_every_problem_reported_in_one_run(tmp_path):
    lines = problems_of(tmp_path, {
        "people/delta.md": "---\nname: Delta\nrole: king\n---\n",
        "topics/trade.md": "---\nnam: Trade\n---\n",
    })
    assert lines == [
        "content/people/delta.md:3: role: input should be 'leader', 'official' or 'other'",
        "content/topics/trade.md:2: nam: unknown field. Did you mean 'name'? (the fields allowed here are name, "
        "aliases, summary, distinct_from, quoted_elsewhere or moved_from)",
        "content/topics/trade.md:2: name: required field is missing. Add this field",
    ]


def test_reply_cycle_is_reported(tmp_path):
    project = make_project(tmp_path, {
        "letters/2013-04-alpha-to-beta.md": "---\ntitle: A\nsender: alpha\nrecipients: [beta]\n"
                                            "dates: {sent: \"2013-04\"}\ntext_status: reported\n"
                                            "replies_to: 2013-05-beta-to-alpha\n---\n",
    })
    output = run(project, "check").output
    assert ("content/letters/2013-04-alpha-to-beta.md:7: replies_to: is part of a reply cycle: "
            "2013-04-alpha-to-beta -> 2013-05-beta-to-alpha -> 2013-04-alpha-to-beta") in output


def test_failed_build_leaves_previous_site_untouched(tmp_path):
    project = make_project(tmp_path)
    assert run(project, "build").exit_code == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}

    (project / "content/people/alpha.md").write_text("---\nname: [broken\n---\n")
    result = run(project, "build")

    assert result.exit_code == 1
    assert result.output.endswith("1 problem found; nothing was built, site/ is as it was.\n")
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site")]  # no staging left behind


def without_retrieved(project, *articles):
    """The fixture's articles, each without the date it was retrieved: a warning each."""
    for name in articles:
        path = project / "content" / "articles" / f"{name}.md"
        path.write_text(path.read_text(encoding="utf-8").replace('retrieved: "2013-05-26"\n', ""), encoding="utf-8")
    return project


def test_the_counts_tell_problems_from_warnings(tmp_path):
    project = without_retrieved(make_project(tmp_path), "2013-05-25-daily-reply")
    assert "\nNo problems in 10 records, 1 warning.\n" in run(project, "check").output
    assert "written anew; 1 warning.\n" in run(project, "build").output
    (project / "content/people/alpha.md").write_text("---\nname: [broken\n---\n")
    result = run(project, "build")
    assert result.output.endswith("1 problem, 1 warning found; nothing was built, site/ is as it was.\n")
    assert run(project, "check").output.endswith("\n1 problem, 1 warning found.\n")


HOSTILE = [
    ("<script>alert(1)</script>", "<script> element"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<script> element"),
    ('<img src="x.png" onerror="alert(1)">', "'onerror' event-handler attribute"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe> element"),
    ('<object data="x.swf"></object>', "<object> element"),
    ('<embed src="x.swf">', "<embed> element"),
    ('<a href="javascript:alert(1)">x</a>', "'javascript:' URL in href"),
    ('<a href="JaVaScRiPt&#58;alert(1)">x</a>', "'javascript:' URL in href"),
    ('<a href="java\tscript:alert(1)">x</a>', "'javascript:' URL in href"),
    ("[click](javascript:alert(1))", "'javascript:' URL in href"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "'data:' URL in src"),
    ('<svg onload="alert(1)"></svg>', "<svg> element"),
    ('<form action="https://evil.example"><input name=q></form>', "<form> element"),
    ('<style>body{display:none}</style>', "<style> element"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "<meta> element"),
    ('<p style="background:url(javascript:alert(1))">x</p>', "'style' attribute"),
    ('<div><math><mtext><img src=x onerror=alert(1)></mtext></math></div>', "<math> element"),
    ('<base href="https://evil.example/">', "<base> element"),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', "<link> element"),
    ('<a href="vbscript:msgbox(1)">x</a>', "'vbscript:' URL in href"),
    ('<!--[if IE]><script>alert(1)</script><![endif]-->', "conditional comment"),
]


@pytest.mark.parametrize("html, what", HOSTILE, ids=[h for h, _ in HOSTILE])
def test_hostile_html_is_rejected_with_its_line(tmp_path, html, what):
    article = ("---\ntitle: T\noutlet: daily\npublished: \"2013-05-25\"\n---\n"
               f"Gala Gamma handed over a reply on Wednesday.\n\n{html}\n")
    lines = problems_of(tmp_path, {"articles/2013-05-25-daily-reply.md": article})
    assert (f"content/articles/2013-05-25-daily-reply.md:8: body: {what} is not allowed. Remove it: the "
            "archive keeps text, links and images only, never code that runs in a reader's browser") in lines


def test_ordinary_markup_is_allowed(tmp_path):
    article = ("---\ntitle: T\noutlet: daily\npublished: \"2013-05-25\"\n---\n"
               "Gala Gamma handed over a reply on Wednesday. *Emphasis*, [a link](https://example.org), "
               "[a page](../people/alpha.md), <abbr title=\"Group of Eight\">G8</abbr>, "
               "<a href=\"mailto:desk@example.org\">mail</a>.\n")
    result = run(make_project(tmp_path, {"articles/2013-05-25-daily-reply.md": article}), "check")
    assert result.exit_code == 0, result.output


def test_letter_dated_after_the_article_reporting_it(tmp_path):
    lines = problems_of(tmp_path, {"letters/2013-05-beta-to-alpha.md": (
        "---\ntitle: B\nsender: beta\nrecipients: [alpha]\ntext_status: reported\n"
        "dates:\n  delivered:\n    date: \"2013-06-02\"\n    sources:\n"
        "      - article: 2013-05-25-daily-reply\n        quote: handed over a reply on Wednesday\n---\n")})
    assert lines == [
        "content/articles/2013-05-25-daily-reply.md:6: letters.0: reports letter '2013-05-beta-to-alpha', dated "
        "2013-06-02 or later, but was published by 2013-05-25. Check both dates; if the article only expected "
        "the letter, give the letter an 'expected' date instead",
        "content/letters/2013-05-beta-to-alpha.md:10: dates.delivered.sources.0.article: article "
        "'2013-05-25-daily-reply', published by 2013-05-25, cannot report a letter delivered on 2 June 2013. "
        "Check both dates; if the article only expected it, record the date under 'expected'",
    ]


def test_expected_letter_may_lie_ahead_of_the_article(tmp_path):
    result = run(make_project(tmp_path, {"letters/2013-05-beta-to-alpha.md": (
        "---\ntitle: B\nsender: beta\nrecipients: [alpha]\ntext_status: reported\n"
        "dates:\n  expected:\n    date: \"2013-06\"\n    sources:\n"
        "      - article: 2013-05-25-daily-reply\n        quote: handed over a reply on Wednesday\n---\n")}), "check")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("files, expected", [
    pytest.param(
        {"topics/alpha.md": "---\nname: Alpha\n---\n"},
        "content/topics/alpha.md: id: the id 'alpha' is also used by content/people/alpha.md. "
        "Ids must be unique across the archive: rename one of the files",
        id="duplicate-id-across-kinds"),
    pytest.param(
        {"people/index.md": "---\nname: Index\nrole: other\n---\n"},
        "content/people/index.md: id: 'index' is reserved for the site's own pages. Rename the file",
        id="reserved-id"),
    pytest.param(
        {"outlets/daily.md": "---\nname: The Daily\nform: newspaper\nurl: javascript:alert(1)\n---\n"},
        "content/outlets/daily.md:4: url: 'javascript:alert(1)' is not a web address; give the full address "
        "starting with https:// or http://",
        id="unsafe-url"),
    pytest.param(
        {"articles/2013-05-25-daily-reply.md": "---\ntitle: T\noutlet: daily\npublished: \"2013-05-25\"\n---\n"},
        "content/articles/2013-05-25-daily-reply.md:2: front matter: the article has no text; paste its "
        "journalism after the closing '---'",
        id="front-matter-only"),
    pytest.param(
        {"people/delta.md": "---\nname: Delta\nrole: other\n---\n" + "x" * 1_000_001},
        "content/people/delta.md: file is 1,000,033 bytes, over the 1,000,000-byte limit. "
        "Split it or remove what is not the article's text",
        id="enormous-file"),
    pytest.param(
        {"people/ünï.md": "---\nname: U\nrole: other\n---\n"},
        "content/people/ünï.md: id: file name 'ünï' is not a safe id. Rename the file using lowercase a-z, digits "
        "and single hyphens, e.g. '2013-05-putin-to-obama.md'",
        id="non-ascii-id"),
])
def test_more_faults_get_their_message(tmp_path, files, expected):
    assert expected in problems_of(tmp_path, files)
