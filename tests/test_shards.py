"""MkDocs on every core: the pages rendered by several worker processes make the site one process makes.

Every file of site/ is compared byte for byte between one process (MkDocs' own build) and
two or three workers, on the real archive and on a grown fixture archive, clean and after an
edit; a warning or an error in a worker fails the build with what one process says; a
worker that dies, or a build that is stopped, leaves no process behind.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_kit import ROOT, make_project
from content_gen import grow
from builder import forks, pipeline, record_pages
from builder.validate import cache as record_cache
from builder.write import ahead
from builder.write.ahead import Ahead
from builder.cli.commands import cli
from builder.write.write import render_site

ARTICLE = "articles/2013-05-25-daily-reply.md"


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def archive_build(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, ["build", "--root", str(root), *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_real_archive_renders_the_same_on_one_and_on_three_workers(real_project, tmp_path):
    sites = {}
    for jobs in (1, 3):
        sites[jobs] = tmp_path / f"site-{jobs}"
        render_site(real_project.config, real_project.docs, sites[jobs], "1700000000", jobs=jobs)
    one, three = files_of(sites[1]), files_of(sites[3])
    assert len([p for p in one if p.endswith(".html")]) > 100
    assert one == three


def count_workers(monkeypatch) -> list[tuple[str, int]]:
    """What each fork was for and how many workers it made, as the build asks for them."""
    forked, workers = forks.forked, []

    def counted(work, count, what, meanwhile=None):
        workers.append((what, count))
        return forked(work, count, what, meanwhile)

    monkeypatch.setattr(record_pages, "forked", counted)
    monkeypatch.setattr(forks, "forked", counted)  # rechecks' and the names' `each`
    monkeypatch.setattr(record_cache, "forked", counted)
    return workers


def test_a_grown_archive_builds_the_same_on_one_and_two_workers_clean_and_after_an_edit(tmp_path, monkeypatch):
    """MkDocs' pages, the records' own pages (record_pages.py) and the checks (rechecks.py), a worker for
    every 5 records here, each taking runs of 3: the same site, the same Markdown, the same warnings."""
    monkeypatch.setattr(forks, "LEAST", 5)
    monkeypatch.setattr(forks, "RUN", 3)
    workers = count_workers(monkeypatch)
    forked_ahead = []  # whether each build forked a process for the site's share (write/ahead.py)

    class Spied(Ahead):
        def started(self, docs, site, fork):
            forked_ahead.append(fork)
            return super().started(docs, site, fork)

    monkeypatch.setattr(pipeline, "Ahead", Spied)
    roots = {}
    for jobs in ("1", "2"):
        (tmp_path / jobs).mkdir()
        roots[jobs] = make_project(tmp_path / jobs)
        growth = grow(roots[jobs], seed=3)
        # A navigation entry without a title shows its page's heading on every page (on a
        # clean build: MkDocs' dirty one reads only the pages it renders).
        config = roots[jobs] / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("- Topics: topics/index.md", "- topics/index.md"),
                          encoding="utf-8")
    said = {"1": archive_build(roots["1"], "--clean", "--jobs", "1"),
            "2": archive_build(roots["2"], "--clean", env={"ARCHIVE_JOBS": "2"})}
    made = ["checking records", "making the records' pages"]  # a record's facts, then its checks; its page
    assert [w for w in workers if w[0] != "finding names"] == (  # too few articles here (test_incremental.py)
        [(what, 1) for what in made] + [("reading records", 2)] + [(what, 2) for what in made])
    warnings = {jobs: [line for line in out.splitlines() if ": warning: " in line] for jobs, out in said.items()}
    assert len(warnings["1"]) > 5 and warnings["2"] == warnings["1"]
    one = files_of(roots["1"] / "site")
    assert files_of(roots["2"] / "site") == one
    assert files_of(roots["2"] / "build" / "docs") == files_of(roots["1"] / "build" / "docs")
    assert f"articles/{growth.article}.html" in one and "sitemap.xml.gz" in one and "404.html" in one
    # What each page read, as the next build finds the pages an edit reaches: numbered on each worker
    # (incremental.PageReads), the same tokens, page by page, as one process notes.
    read = {jobs: _reads_of(root) for jobs, root in roots.items()}
    assert list(read["2"].items()) == list(read["1"].items()) and f"articles/{growth.article}.md" in read["1"]
    state = pipeline.saved(pipeline.Project(roots["2"]))  # read back, a group's pages still share one array
    assert state is not None and any(len(paths) > 1 for paths in state.groups.values())
    assert all(state.reads[path] is state.reads[paths[0]] for paths in state.groups.values() for path in paths)

    # An edit that changes several pages (the article and the pages listing its people): the
    # incremental build renders them on two workers into a copy of the last site, as MkDocs'
    # own dirty build does in one process.
    for root in roots.values():
        article = root / "content" / "articles" / f"{growth.article}.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("title: ", "title: Revised ", 1), encoding="utf-8")
    archive_build(roots["1"], "--jobs", "1")
    archive_build(roots["2"], "--jobs", "2")
    assert files_of(roots["2"] / "site") == files_of(roots["1"] / "site") != one
    assert files_of(roots["2"] / "build" / "docs") == files_of(roots["1"] / "build" / "docs")
    assert forked_ahead == [False, False, False, True]  # clean builds, and one job, do it all in one process


def _reads_of(root) -> dict[str, set]:
    """What each page read, as the build's saved state holds it: tokens, not the numbers they were given."""
    state = pipeline.saved(pipeline.Project(root))
    assert state is not None
    return {path: {state.numbered.table[n] for n in read} for path, read in state.reads.items()}


def _warn_on(pages: set[str], monkeypatch) -> None:
    """MkDocs warns while converting these pages, as it does for a broken link (in whichever process
    converts them); the article links to an anchor the home page lacks (checked once all are converted)."""
    from mkdocs.structure.pages import Page

    render = Page.render

    def warn(self, config, files):
        render(self, config, files)
        if self.file.src_uri in pages:
            logging.getLogger("mkdocs.structure.pages").warning(f"Doc file '{self.file.src_uri}' is odd")
        if self.file.src_uri == ARTICLE:
            self.links_to_anchors[files.get_file_from_path("index.md")] = {"nowhere": "../index.md#nowhere"}

    monkeypatch.setattr(Page, "render", warn)


def test_warnings_in_several_workers_fail_the_build_with_what_one_process_says(tmp_path, monkeypatch):
    root = make_project(tmp_path)
    _warn_on({"index.md", ARTICLE, "people/alpha.md"}, monkeypatch)
    said = {}
    for jobs in ("1", "3"):
        result = CliRunner().invoke(cli, ["build", "--root", str(root), "--clean", "--jobs", jobs])
        assert result.exit_code == 1
        said[jobs] = result.output
    assert said["1"] == said["3"]
    assert f"mkdocs.yml: MkDocs: Doc file '{ARTICLE}' is odd (" in said["3"]
    assert "mkdocs.yml: MkDocs: Doc file 'people/alpha.md' is odd (" in said["3"]
    assert (f"mkdocs.yml: MkDocs: Doc file '{ARTICLE}' contains a link '../index.md#nowhere', "
            "but the doc 'index.md' does not contain an anchor '#nowhere'" in said["3"])
    assert "4 problems found; nothing was built, and there is no site/." in said["3"]


def test_an_error_in_a_worker_is_a_problem_naming_the_page(tmp_path, monkeypatch):
    from mkdocs.structure.pages import Page

    root = make_project(tmp_path)
    render = Page.render

    def fail(self, config, files):
        if self.file.src_uri == ARTICLE:
            raise RuntimeError("the template engine broke")
        render(self, config, files)

    monkeypatch.setattr(Page, "render", fail)
    result = CliRunner().invoke(cli, ["build", "--root", str(root), "--jobs", "2"])
    assert result.exit_code == 1
    assert (f"mkdocs.yml: MkDocs: rendering '{ARTICLE}' failed: RuntimeError: the template engine broke\n"
            in result.output)
    assert "nothing was built, and there is no site/." in result.output
    assert not (root / "site").exists()


def test_a_worker_killed_is_a_problem_and_stops_the_others(tmp_path, monkeypatch):
    from mkdocs.structure.pages import Page

    root = make_project(tmp_path)
    render, parent = Page.render, os.getpid()

    def die(self, config, files):
        if self.file.src_uri == ARTICLE and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        render(self, config, files)

    monkeypatch.setattr(Page, "render", die)
    before = set(_children(parent))  # the session's own (a browser the browser tests started)
    result = CliRunner().invoke(cli, ["build", "--root", str(root), "--jobs", "2"])
    assert result.exit_code == 1
    assert "mkdocs.yml: MkDocs: a worker rendering pages was killed by signal 9 before it finished" in result.output
    assert not set(_children(parent)) - before


def test_a_worker_making_record_pages_killed_is_a_problem_and_leaves_the_site(tmp_path, monkeypatch):
    from builder.derive.derive import Deriver

    root = make_project(tmp_path)
    archive_build(root, "--jobs", "1")
    before = files_of(root / "site")
    monkeypatch.setattr(forks, "LEAST", 1)
    page, parent = Deriver.page, os.getpid()

    def die(self, record):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return page(self, record)

    monkeypatch.setattr(Deriver, "page", die)
    children = set(_children(parent))
    result = CliRunner().invoke(cli, ["build", "--root", str(root), "--clean", "--jobs", "2"])
    assert result.exit_code == 1
    assert ("content: a worker making the records' pages was killed by signal 9 before it finished"
            in result.output), result.output
    assert "Traceback" not in result.output
    assert files_of(root / "site") == before
    assert not set(_children(parent)) - children


def _kill_workers_reading_records(monkeypatch) -> int:
    """A worker validating a file is killed, as by the kernel out of memory; returns this process's id."""
    validate, parent = record_cache.validate_source, os.getpid()

    def die(source, pool=None):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return validate(source, pool)

    monkeypatch.setattr(record_cache, "validate_source", die)
    return parent


def test_a_worker_reading_records_killed_is_a_problem_and_leaves_the_site(tmp_path, monkeypatch):
    """A first build reads its many files on workers (the record cache's `ahead`)."""
    import shutil

    root = make_project(tmp_path)
    archive_build(root, "--jobs", "1")
    before = files_of(root / "site")
    shutil.rmtree(root / "build" / "cache")  # every file to read again
    monkeypatch.setattr(forks, "LEAST", 1)
    parent = _kill_workers_reading_records(monkeypatch)
    children = set(_children(parent))
    result = CliRunner().invoke(cli, ["build", "--root", str(root), "--jobs", "2"])
    assert result.exit_code == 1
    assert "content: a worker reading records was killed by signal 9 before it finished" in result.output, \
        result.output
    assert "Traceback" not in result.output
    assert files_of(root / "site") == before
    assert not set(_children(parent)) - children


def test_archive_check_on_two_workers_says_what_one_says_and_a_killed_worker_is_a_problem(tmp_path, monkeypatch):
    """`archive check` works on every core as `archive build` does (a worker for every record here)."""
    import shutil

    root = make_project(tmp_path)
    grow(root, seed=3)
    monkeypatch.setattr(forks, "LEAST", 1)
    monkeypatch.setattr(forks, "RUN", 3)
    workers = count_workers(monkeypatch)
    one = CliRunner().invoke(cli, ["check", "--root", str(root), "--jobs", "1"])
    assert workers and {count for _, count in workers} == {1}
    shutil.rmtree(root / "build")  # every file read and checked again
    workers.clear()
    two = CliRunner().invoke(cli, ["check", "--root", str(root)], env={"ARCHIVE_JOBS": "2"})
    assert ("reading records", 2) in workers and ("checking records", 2) in workers
    assert one.exit_code == two.exit_code == 0 and "No problems in" in one.output and ": warning: " in one.output
    assert two.output == one.output

    shutil.rmtree(root / "build")
    _kill_workers_reading_records(monkeypatch)
    killed = CliRunner().invoke(cli, ["check", "--root", str(root), "--jobs", "2"])
    assert killed.exit_code == 1 and "Traceback" not in killed.output
    assert "content: a worker reading records was killed by signal 9 before it finished" in killed.output, \
        killed.output


def test_the_process_rendering_the_site_killed_is_a_problem_and_leaves_the_site(tmp_path, monkeypatch):
    """After an edit, a process forked at the start links the trees and renders the site (ahead.py)."""
    root = make_project(tmp_path)
    archive_build(root)
    before = files_of(root / "site")
    article = root / "content" / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "It rained.\n", encoding="utf-8")
    parent, prepared = os.getpid(), ahead.prepared

    def die(*args):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return prepared(*args)

    monkeypatch.setattr(ahead, "prepared", die)
    children = set(_children(parent))
    result = CliRunner().invoke(cli, ["build", "--root", str(root), "--jobs", "2"])
    assert result.exit_code == 1
    assert ("content: the process rendering the site was killed by signal 9 before it finished"
            in result.output), result.output
    assert "Traceback" not in result.output
    assert files_of(root / "site") == before
    assert {p.name for p in (root / "build" / "staging").iterdir()} == {".lock", ".swap"}  # nothing else left
    assert not set(_children(parent)) - children

    monkeypatch.undo()
    archive_build(root, "--jobs", "2")
    assert "It rained." in (root / "site" / "articles" / "2013-05-25-daily-reply.html").read_text(encoding="utf-8")


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [int(c) for task in tasks.iterdir() for c in (task / "children").read_text().split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


# An `archive build` whose workers stop at a page until the test has seen them all.
STALLED = textwrap.dedent("""
    import os, signal, sys, time
    from pathlib import Path
    from mkdocs.structure.pages import Page
    from builder.cli.commands import cli

    # Ctrl-C's interrupt, even where the tests run in the background (a shell's `&` ignores it, and the
    # processes it starts inherit that).
    signal.signal(signal.SIGINT, signal.default_int_handler)

    render, parent, seen = Page.render, os.getpid(), Path(sys.argv[1])

    def stall(self, config, files):
        if os.getpid() != parent:
            (seen / str(os.getpid())).touch()
            time.sleep(600)
        render(self, config, files)

    Page.render = stall
    cli(["build", "--root", sys.argv[2], "--jobs", "2"])
""")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_build_stopped_leaves_no_worker_behind(tmp_path, stop):
    root = make_project(tmp_path)
    seen = tmp_path / "workers"
    seen.mkdir()
    build = subprocess.Popen([sys.executable, "-c", STALLED, str(seen), str(root)], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(list(seen.iterdir())) < 2 and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(p.name) for p in seen.iterdir()]
        assert len(workers) == 2
        build.send_signal(stop)  # to the build only, not to its workers
        build.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(_alive, workers))
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert not (root / "site").exists()


def test_jobs_must_be_a_positive_number(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--root", str(make_project(tmp_path)), "--jobs", "0"])
    assert result.exit_code == 2 and "--jobs" in result.output
