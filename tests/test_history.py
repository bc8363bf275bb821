"""Record history from git: first and latest commit of each content file, on the page, reproducibly."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from archive_kit import MINI, make_project, markdown_pages
from builder.derive.history import file_commits, read_history
from builder.pipeline import Project, check
from builder.model.schema import Kind

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="needs git")

LETTER = "letters/2013-04-alpha-to-beta.md"


def git(repo: Path, *args: str, date: str = "2024-01-02T10:00:00+00:00") -> str:
    """Run git with fixed names and dates; the author date is a year off, so a test sees which one is used."""
    env = {**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": "2001-01-01T00:00:00+00:00",
           "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "C", "GIT_COMMITTER_EMAIL": "c@example.org",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def committed(tmp: Path, repo_url: str | None = None) -> Path:
    """The mini archive in a repository: all of it on 2 January 2024, one letter revised on 4 March."""
    root = make_project(tmp)
    if repo_url:
        config = root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + f"\nrepo_url: {repo_url}\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "content")
    git(root, "commit", "-q", "-m", "the archive")
    letter = root / "content" / LETTER
    letter.write_text(letter.read_text(encoding="utf-8").replace("Alpha writes to Beta", "Alpha writes Beta"),
                      encoding="utf-8")
    git(root, "commit", "-q", "-am", "a title mended", date="2024-03-04T15:30:00+01:00")
    return root


def test_first_and_latest_commit_of_every_file_with_commit_dates(tmp_path):
    root = committed(tmp_path)
    first, last = git(root, "rev-list", "--reverse", "HEAD").split()
    found = file_commits(root / "content")
    assert sorted(found) == sorted(f"content/{path}" for path in MINI)  # every file of the mini archive
    added, revised = found[f"content/{LETTER}"]
    assert (added.id, added.date) == (first, "2024-01-02T10:00:00+00:00")  # the commit's date, not 2001's
    assert (revised.id, revised.date) == (last, "2024-03-04T15:30:00+01:00")
    untouched = found["content/people/alpha.md"]
    assert untouched[0] == untouched[1] and untouched[0].id == first


def test_a_renamed_file_keeps_the_date_it_was_first_added(tmp_path):
    root = committed(tmp_path)
    first = git(root, "rev-list", "--max-parents=0", "HEAD")
    git(root, "mv", "content/topics/trade.md", "content/topics/commerce.md")
    git(root, "commit", "-q", "-m", "renamed", date="2024-05-06T00:00:00+00:00")
    history = read_history(root / "content")
    assert (Kind.topic, "trade") not in history
    assert history[(Kind.topic, "commerce")].added.id == first
    assert history[(Kind.topic, "commerce")].revised.date == "2024-05-06T00:00:00+00:00"


def test_the_page_says_when_its_record_was_added_and_revised(tmp_path):
    root = committed(tmp_path)
    first, last = git(root, "rev-list", "--reverse", "HEAD").split()
    pages = markdown_pages(root)
    assert (f"Added to the archive on 2 January 2024 (commit `{first[:7]}`); "
            f"last revised on 4 March 2024 (commit `{last[:7]}`).\n") in pages[LETTER]
    assert (f"Added to the archive on 2 January 2024 (commit `{first[:7]}`); not revised since.\n"
            in pages["people/alpha.md"])
    assert "Every change to this record" not in pages[LETTER]  # no repo_url: no link made up
    assert "Record history" not in pages["index.md"]  # an index is no record
    assert markdown_pages(root) == pages  # the same commit builds the same bytes


def test_with_a_repo_url_the_page_links_to_the_file_s_history(tmp_path):
    root = committed(tmp_path, repo_url="https://github.com/example/leaders-letters")
    last = git(root, "rev-parse", "HEAD")
    page = markdown_pages(root)[LETTER]
    assert (f"[Every change to this record](https://github.com/example/leaders-letters/commits/{last}/"
            f"content/{LETTER})") in page


def test_content_outside_git_has_no_history_line(tmp_path):
    pages = markdown_pages(make_project(tmp_path))
    assert not [path for path, text in pages.items() if "Record history" in text]
    assert file_commits(tmp_path / "content") == {}


def test_an_uncommitted_record_has_no_history_line(tmp_path):
    root = committed(tmp_path)
    (root / "content" / "topics" / "energy.md").write_text("---\nname: Energy\n---\n", encoding="utf-8")
    pages = markdown_pages(root)
    assert "Record history" not in pages["topics/energy.md"]
    assert "Record history" in pages["topics/trade.md"]


# Sources that outlive their links: when an article was retrieved, and an archived copy ------------

ARTICLE = "articles/2013-05-25-daily-reply.md"


def with_source(tmp: Path, fields: str) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    root = make_project(tmp)
    article = root / "content" / ARTICLE
    text = article.read_text(encoding="utf-8").replace('retrieved: "2013-05-26"\n', "")  # the fixture's own
    article.write_text(text.replace("outlet: daily\n", f"outlet: daily\n{fields}"), encoding="utf-8")
    return root


def test_the_article_page_shows_when_it_was_retrieved_and_its_archived_copy(tmp_path):
    root = with_source(tmp_path, "url: https://daily.example/reply\nretrieved: 2026-11-23\n"
                                 "archived_url: https://web.archive.org/web/2013/https://daily.example/reply\n")
    page = markdown_pages(root)[ARTICLE]
    assert "Source\n:   <https://daily.example/reply>, retrieved 23 November 2026\n" in page
    assert "Archived copy\n:   <https://web.archive.org/web/2013/https://daily.example/reply>\n" in page


def unarchived_warnings(root: Path) -> list[str]:
    return [str(p) for p in check(Project(root))[1] if "archived copy" in p.message]


def test_check_warns_about_an_article_with_neither_and_says_how_to_fix_it(tmp_path):
    root = with_source(tmp_path / "a", "url: https://daily.example/reply\n")
    assert unarchived_warnings(root) == [
        f"content/{ARTICLE}:4: url: warning: the article says neither when it was retrieved nor where an "
        "archived copy is. Add `retrieved:` with the date you copied it (e.g. retrieved: 2026-11-23), and "
        "`archived_url:` with the address of an archived copy (save the page at https://web.archive.org/save "
        "and give the address it returns); if neither is known, say why in `retrieved_note:`"]
    assert unarchived_warnings(with_source(tmp_path / "b", "retrieved: 2026-11-23\n")) == []
    assert unarchived_warnings(with_source(tmp_path / "c", "archived_url: https://web.archive.org/web/2013/x\n")) == []


def test_a_note_saying_why_neither_is_known_stands_in_for_both_and_shows_on_the_page(tmp_path):
    root = with_source(tmp_path, "url: https://daily.example/reply\n"
                                 "retrieved_note: curated from a saved copy; when it was copied is not known\n")
    assert unarchived_warnings(root) == []
    page = markdown_pages(root)[ARTICLE]
    assert "Retrieved\n:   Not known — *curated from a saved copy; when it was copied is not known*\n" in page


def test_a_retrieved_date_must_be_a_date_and_an_archived_copy_a_web_address(tmp_path):
    problems = [str(p) for p in check(Project(with_source(
        tmp_path, "retrieved: last week\narchived_url: web.archive.org/x\n")))[1] if not p.warning]
    assert [p for p in problems if ":4: retrieved:" in p] and [p for p in problems if ":5: archived_url:" in p]
