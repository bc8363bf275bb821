"""'Cite this page' on every page: permalink, Chicago, BibTeX, CSL-JSON, each escaped for itself.

Read from the built HTML as a reader (or Zotero, pasting the CSL-JSON) would take it.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path


from archive_kit import make_project
from builder.derive.cite import bibtex_text
from builder.pipeline import Project, build
from site_checks import page_of

BLOCK = re.compile(r'<details class="cite">\s*<summary>Cite this page</summary>(.*?)</details>', re.S)


def cite_block(site: Path, page: str) -> tuple[str, list[str], list[tuple[str, str]]]:
    """(the block's text, its code blocks as written, its links (text, href)) on a page."""
    found = BLOCK.findall((site / page).read_text(encoding="utf-8"))
    assert len(found) == 1, f"{page}: {len(found)} citation blocks"
    block = found[0]
    codes = [html.unescape(c) for c in re.findall(r"<pre><code>(.*?)</code></pre>", block, re.S)]
    links = [(html.unescape(t), h) for h, t in re.findall(r'<a href="([^"]*)">(.*?)</a>', block)]
    text = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<pre>.*?</pre>", "", block, flags=re.S)))
    return " ".join(text.split()), codes, links


def test_every_page_of_the_real_archive_has_a_citation(real_archive, site):
    wrong = []
    pages = {page_of(record) for record in real_archive.records.values()}
    pages |= {p.relative_to(site).as_posix() for p in site.rglob("*.html")
              if p.name != "404.html" and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")}
    assert len(pages) > len(real_archive.records)  # listings, pairs and the home page too
    for page in sorted(pages):
        text, (bib, csl), links = cite_block(site, page)
        item = json.loads(csl)[0]
        if item["URL"] != page or ("Permalink: " + page) not in text or (page, page.split("/")[-1]) not in [
                (t, h) for t, h in links]:
            wrong.append(f"{page}: permalink {item['URL']!r}, links {links}")
        if not bib.startswith("@misc{") or bib.count("{") != bib.count("}"):
            wrong.append(f"{page}: BibTeX {bib[:60]!r}")
    assert not wrong, "\n".join(wrong)


def test_a_letter_cites_as_chicago_bibtex_and_csl_json(mini):
    page = "letters/2013-04-alpha-to-beta.html"
    text, (bib, csl), links = cite_block(mini, page)
    assert ("letters/2013-04-alpha-to-beta.html", "2013-04-alpha-to-beta.html") in links
    # No site_url in mkdocs.yml: the address in the archive, no invented domain; no history outside git.
    assert "Chicago style: “Alpha writes to Beta.” Leaders' Letters. letters/2013-04-alpha-to-beta.html." in text
    assert "add the date you consulted it" in text
    assert bib == (
        "@misc{leadersletters-letters-2013-04-alpha-to-beta,\n"
        "  title = {{Alpha writes to Beta}},\n"
        "  howpublished = {\\url{letters/2013-04-alpha-to-beta.html}},\n"
        "  url = {letters/2013-04-alpha-to-beta.html},\n"
        "  note = {Leaders' Letters}\n"
        "}\n")
    assert json.loads(csl) == [{"id": "leadersletters-letters-2013-04-alpha-to-beta", "type": "webpage",
                                "title": "Alpha writes to Beta", "container-title": "Leaders' Letters",
                                "URL": "letters/2013-04-alpha-to-beta.html"}]


def test_a_listing_is_cited_by_its_own_title_and_address(mini):
    text, (_, csl), _ = cite_block(mini, "letters/years/2013.html")
    assert json.loads(csl)[0]["URL"] == "letters/years/2013.html"
    assert "Chicago style: “Letters: 2013.” Leaders' Letters. letters/years/2013.html." in text, text


HOSTILE = 'Tom & {Jerry} 100% \\cite #1 a_b ^ ~ $5 *x* [l](u) `c` "q" <3'


def test_a_title_with_every_special_reads_literally_in_each_form(tmp_path):
    project = Project(make_project(tmp_path, {"topics/trade.md": f"---\nname: {json.dumps(HOSTILE)}\n---\n"}))
    build(project)
    text, (bib, csl), _ = cite_block(project.site, "topics/trade.html")
    assert f"“{HOSTILE}.” Leaders' Letters. topics/trade.html." in text  # Markdown shows it as written
    assert json.loads(csl)[0]["title"] == HOSTILE
    title = re.search(r"^  title = \{\{(.*)\}\},$", bib, re.M)[1]
    assert title == ('Tom \\& \\{Jerry\\} 100\\% \\textbackslash{}cite \\#1 a\\_b \\^{} \\~{} \\$5 *x* [l](u) '
                     '`c` "q" <3')
    # Braces balance once escaped braces are set aside: no field can end the entry early.
    bare = re.sub(r"\\[{}]", "", bib)
    assert bare.count("{") == bare.count("}")


def test_bibtex_escapes_each_special():
    assert bibtex_text("{a}\\b&c%d$e#f_g^h~i") == r"\{a\}\textbackslash{}b\&c\%d\$e\#f\_g\^{}h\~{}i"


def test_site_url_gives_absolute_permalinks(tmp_path):
    root = make_project(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsite_url: https://letters.example.org/\n",
                      encoding="utf-8")
    project = Project(root)
    build(project)
    text, (bib, csl), links = cite_block(project.site, "people/alpha.html")
    url = "https://letters.example.org/people/alpha.html"
    assert (url, "alpha.html") in links  # shown as the permalink, opened as the page beside it (also from disk)
    assert f"“Anna Alpha.” Leaders' Letters. {url}." in text
    assert f"  url = {{{url}}}," in bib and json.loads(csl)[0]["URL"] == url


def test_the_date_is_the_records_last_revision_not_the_clock(tmp_path):
    """In a repository, the citation dates the page by its record's latest commit."""
    root = make_project(tmp_path)
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_AUTHOR_DATE": "2020-02-03T10:00:00+00:00",
           "GIT_COMMITTER_DATE": "2020-02-03T10:00:00+00:00", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for args in (["init", "-q"], ["add", "content"], ["commit", "-q", "-m", "content"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)
    project = Project(root)
    build(project)
    text, (bib, csl), _ = cite_block(project.site, "people/alpha.html")
    assert "“Anna Alpha.” Leaders' Letters. Last modified February 3, 2020. people/alpha.html." in text
    assert "year = {2020}" in bib and json.loads(csl)[0]["issued"] == {"date-parts": [[2020, 2, 3]]}
