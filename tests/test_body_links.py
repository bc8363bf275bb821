"""Check = build for links in bodies: what the strict MkDocs build refuses, `archive check` finds at the line.

Each bad body goes on Gala Gamma's page (content/people/gamma.md, body from line 5), its link on
the body's third line; Anna Alpha's text holds a heading other bodies link to.
"""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from archive_kit import MINI, make_project
from builder.link import body_links
from builder.cli.commands import cli
from builder.model.errors import BuildError
from builder.pipeline import Project, build

ALPHA = MINI["people/alpha.md"].rstrip() + "\n        ## Early years\n\n        Anna Alpha grew up by the lake.\n"
GAMMA = "content/people/gamma.md:7: body: "
PAGE_HINT = "Link to a record's page by its folder and id, relative to this page: '../people/<id>.md', '../letters/<id>.md'"
HEADING_HINT = ("Link to a heading of a record's own text (its id is the heading in lower case, words joined by "
                "'-'), or to the page without '#…'")

# (body text on Gamma's third body line, the exact problem `archive check` reports)
REFUSED = {
    "missing page": ("[the minutes](missing-page.md)", GAMMA + "the link 'missing-page.md' leads to "
                     "'people/missing-page.md', which is neither a record's page nor a main page of the site. "
                     + PAGE_HINT),
    "near miss": ("[Anna](alpah.md)", GAMMA + "the link 'alpah.md' leads to 'people/alpah.md', which is neither "
                  "a record's page nor a main page of the site. Did you mean 'alpha.md'?"),
    "anchor in another page": ("[her youth](alpha.md#early-yeers)", GAMMA + "the link 'alpha.md#early-yeers' "
                               "points to no heading or anchor in the text of 'alpha.md'. "
                               "Did you mean '#early-years'?"),
    "anchor in the same page": ("[below](#notes)", GAMMA + "the link '#notes' points to no heading or anchor "
                                "in this page's text. " + HEADING_HINT),
    "absolute link": ("[Anna](/people/alpha.md)", GAMMA + "the link '/people/alpha.md' starts at the site's root, "
                      "which breaks when the site is opened from disk. Write it relative to this page as 'alpha.md'"),
    "folder": ("[everyone](../people/)", GAMMA + "the link '../people/' names no page: MkDocs links pages by "
               "their Markdown files. " + PAGE_HINT),
    "html page": ("[Anna](alpha.html)", GAMMA + "the link 'alpha.html' names the page MkDocs writes, not its "
                  "Markdown file. Write 'alpha.md': MkDocs makes it the .html link"),
    "image": ("![a portrait](gamma.jpg)", GAMMA + "the image 'gamma.jpg' is no file of the site. "
              "Leave the image out, or describe it in words"),
    "reference link": ("[the minutes][m]\n\n[m]: ../letters/minutes.md", "content/people/gamma.md:9: body: "
                       "the link '../letters/minutes.md' leads to 'letters/minutes.md', which is neither a "
                       "record's page nor a main page of the site. " + PAGE_HINT),
    "footnote never referred to": ("[^aside]: Said in passing.", GAMMA + "the footnote '[^aside]' is never "
                                   "referred to. Refer to it in the text with [^aside], or delete it"),
}
ACCEPTED = {
    "record page": "[Anna Alpha](alpha.md) and [the reply](../letters/2013-05-beta-to-alpha.md)",
    "heading in another record's text": "[her youth](alpha.md#early-years)",
    "heading in its own text": "[below](#in-the-room)\n\n## In the room\n\nShe took notes.",
    "pair and index pages": "[their letters](../correspondence/alpha-and-beta.md), [all](../letters/index.md)",
    "footnote": "She was there[^1].\n\n[^1]: By her own account.",
    "this page": "[top](#) and [this page](gamma.md)",
    "other sites": "[the ministry](https://example.org/minutes) or [mail](mailto:press@example.org)",
}


def gamma(text: str) -> dict[str, str]:
    """Gamma's record with `text` on the third line of its body; Alpha's with a heading."""
    body = "Gala Gamma took notes.\n\n" + text
    return {"people/alpha.md": ALPHA,
            "people/gamma.md": MINI["people/gamma.md"].rstrip() + "\n" + "".join(f"        {line}\n" for line in body.split("\n"))}


def check(project):
    return CliRunner().invoke(cli, ["check", "--root", str(project)])


@pytest.mark.parametrize("case", REFUSED)
def test_check_refuses_a_link_the_build_would_refuse_at_its_line(tmp_path, case):
    text, problem = REFUSED[case]
    result = check(make_project(tmp_path, gamma(text)))
    assert result.exit_code == 1
    assert problem + "\n" in result.output


@pytest.mark.parametrize("case", ACCEPTED)
def test_check_accepts_what_the_build_keeps(tmp_path, case):
    result = check(make_project(tmp_path, gamma(ACCEPTED[case])))
    assert result.exit_code == 0, result.output


def test_what_check_accepts_builds_with_the_links_rewritten(tmp_path):
    """Check = build: every accepted link at once, built by the strict MkDocs build."""
    project = Project(make_project(tmp_path, gamma("\n\n".join(ACCEPTED.values()))))
    assert check(project.root).exit_code == 0
    build(project)
    html = (project.site / "people" / "gamma.html").read_text(encoding="utf-8")
    assert 'href="alpha.html#early-years"' in html and 'href="#in-the-room"' in html
    assert 'href="../correspondence/alpha-and-beta.html"' in html


@pytest.mark.parametrize("case", ["missing page", "anchor in another page", "absolute link", "image",
                                  "footnote never referred to"])
def test_what_check_refuses_the_strict_build_refuses_too(tmp_path, monkeypatch, case):
    """The check mirrors MkDocs: with it switched off, MkDocs itself fails on the generated page."""
    monkeypatch.setattr(body_links, "problems", lambda archive, by_key, settings: [])
    with pytest.raises(BuildError) as refused:
        build(Project(make_project(tmp_path, gamma(REFUSED[case][0]))))
    assert "MkDocs: Doc file 'people/gamma.md'" in str(refused.value)
    assert "(build/docs/people/gamma.md is the page of content/people/gamma.md)" in str(refused.value)


def test_builder_sections_are_not_link_targets(tmp_path):
    """MkDocs would take '#offices' today; it goes when the offices go, so the check asks for the page."""
    result = check(make_project(tmp_path, gamma("[her posts](alpha.md#offices)")))
    assert GAMMA + "the link 'alpha.md#offices' points to no heading or anchor in the text of 'alpha.md'" \
        in result.output
    result = check(make_project(tmp_path, gamma("[the years](../letters/index.md#2013)")))
    assert (GAMMA + "the link '../letters/index.md#2013' points to '#2013' on a page the builder writes alone. "
            "Link to the page without '#…': its sections change as the archive grows") in result.output


def test_the_body_is_read_as_its_page_holds_it(tmp_path):
    """The page holds the body stripped: a first line indented as code is a paragraph there, its link live."""
    gamma_first = MINI["people/gamma.md"].rstrip() + "\n            [the minutes](missing-page.md)\n"
    result = check(make_project(tmp_path, {"people/gamma.md": gamma_first}))
    assert "content/people/gamma.md:5: body: the link 'missing-page.md' leads to" in result.output


def test_an_article_body_is_checked_too(tmp_path):
    article = MINI["articles/2013-05-25-daily-reply.md"].rstrip() + "\n\n        See [the earlier letter](../letters/2013-04-alpha.md).\n"
    result = check(make_project(tmp_path, {"articles/2013-05-25-daily-reply.md": article}))
    line = textwrap.dedent(article).lstrip("\n").splitlines().index("See [the earlier letter](../letters/2013-04-alpha.md).") + 1
    assert (f"content/articles/2013-05-25-daily-reply.md:{line}: body: the link '../letters/2013-04-alpha.md' leads to "
            "'letters/2013-04-alpha.md', which is neither a record's page nor a main page of the site. "
            "Did you mean '../letters/2013-04-alpha-to-beta.md'?") in result.output


def test_the_preview_reports_a_bad_link_at_its_line(tmp_path):
    project = Project(make_project(tmp_path, gamma(REFUSED["missing page"][0])))
    with pytest.raises(BuildError) as refused:  # the preview's pages are made as a build's are
        build(project)
    assert REFUSED["missing page"][1] in str(refused.value)
