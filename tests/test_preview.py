"""`archive serve` as a contributor runs it: idle while nobody edits, one rebuild per save, a bad
edit said once, and nothing left of its folder when it is stopped. On a built project it starts
from the build's pages, brought up to date, and leaves the build's state for the next build.

One preview process serves the small fixture archive for the tests that use `served`; they run
in order and the SIGTERM test stops it. CPU seconds are the process's own (/proc/<pid>/stat): a rest check, with a
generous bound, not a speed measure.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_kit import ROOT, make_project
from builder.cli.commands import cli

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads CPU time from /proc")

REGENERATED = "pages regenerated in"
NOTHING_CHANGED = "nothing changed since it"
REST = 3.0  # seconds watched with nobody editing
IDLE_CPU = 0.3  # CPU seconds allowed over REST: timers and the like, not a single rebuild
GAMMA = "people/gamma.md"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running `archive serve`: its output, its CPU time and its pages."""

    def __init__(self, root: Path, tmp: Path, log: Path) -> None:
        self.root, self.tmp, self.log = root, tmp, log
        self.port = _free_port()
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "builder", "serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{self.port}"],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "TMPDIR": str(tmp)})

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def regenerations(self) -> int:
        return self.output().count(REGENERATED)

    def cpu(self) -> float:
        """User and system CPU seconds the process has used."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def page(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=10) as response:
            return response.read().decode("utf-8")

    def wait(self, until: Callable[[], bool], what: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not until():
            assert self.process.poll() is None, f"the preview stopped:\n{self.output()}"
            assert time.monotonic() < deadline, f"no {what} after {timeout} s:\n{self.output()}"
            time.sleep(0.1)

    def resting(self, meanwhile: Callable[[], object] = lambda: None) -> tuple[int, float]:
        """Regenerations and CPU seconds over REST seconds of nobody editing, after `meanwhile`."""
        count, cpu = self.regenerations(), self.cpu()
        meanwhile()
        time.sleep(REST)
        return self.regenerations() - count, self.cpu() - cpu

    def edit(self, rel: str, text: str, *, renamed: bool = False) -> None:
        """Write a content file in place, or as many editors save: a new file beside it, renamed over it."""
        path = self.root / "content" / rel
        written = path.with_name(path.name + ".saving") if renamed else path
        written.write_text(text, encoding="utf-8")
        if renamed:
            os.replace(written, path)

    def as_built(self, path: str) -> str:
        """The page served, without the script MkDocs' server adds before </body> to reload it."""
        page = self.page(path)
        end = page.rindex("</body>")
        start = page.rindex("<script>", 0, end)
        assert "livereload" in page[start:end]
        return page[:start] + page[end:]

    def folders(self) -> list[str]:
        """The preview's own folders: in build/staging/, beside the build's trees whose files they share."""
        staging = self.root / "build" / "staging"
        return sorted(p.name.partition(".")[0] for p in staging.iterdir() if p.is_dir()) if staging.is_dir() else []

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=20) == 0, self.output()

    def serving(self) -> bool:
        try:
            self.page("")
        except (urllib.error.URLError, ConnectionError):
            return False
        return True


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    base = tmp_path_factory.mktemp("preview")
    (base / "project").mkdir()
    (base / "tmp").mkdir()
    preview = Served(make_project(base / "project"), base / "tmp", base / "serve.log")
    try:
        preview.wait(preview.serving, "page served", timeout=60)
        yield preview
    finally:
        if preview.process.poll() is None:
            preview.process.kill()
            preview.process.wait()


def test_reading_is_not_editing_the_preview_rests(served):
    def read_everything() -> None:  # as an editor opening files, grep or git status do
        for path in (served.root / "content").rglob("*.md"):
            path.read_bytes()

    assert served.regenerations() == 1  # the first build: `archive build`, as there was none
    regenerated, cpu = served.resting(read_everything)
    assert regenerated == 0, served.output()
    assert cpu < IDLE_CPU


def test_one_save_one_rebuild_then_rest(served):
    before = served.regenerations()
    served.edit(GAMMA, "---\nname: Gala Gamma-Grey\nrole: official\n---\n", renamed=True)
    served.wait(lambda: served.regenerations() > before, "rebuild")
    assert "Gala Gamma-Grey" in served.page("people/gamma.html")
    regenerated, cpu = served.resting()
    assert (served.regenerations() - before, regenerated) == (1, 0), served.output()
    assert cpu < IDLE_CPU


def test_bad_edit_said_once_last_good_site_kept_until_fixed(served):
    before = served.output()
    served.edit(GAMMA, "---\nname: [Gala\nrole: official\n---\n")
    served.wait(lambda: "content/people/gamma.md:" in served.output()[len(before):], "message")
    regenerated, cpu = served.resting()
    said = served.output()[len(before):]
    assert regenerated == 0 and cpu < IDLE_CPU
    assert said.count("content/people/gamma.md:") == 1, said
    assert "The preview still shows the last good build; save a fix to rebuild it." in said
    assert "Gala Gamma-Grey" in served.page("people/gamma.html")

    count = served.regenerations()
    served.edit(GAMMA, "---\nname: Gala Gamma-Green\nrole: official\n---\n")
    served.wait(lambda: served.regenerations() > count, "rebuild after the fix")
    assert "Gala Gamma-Green" in served.page("people/gamma.html")


def test_sigterm_stops_it_and_removes_its_folder(served):
    assert served.folders() == ["preview"]
    served.stop()
    assert served.folders() == []
    assert list(served.tmp.iterdir()) == []


def _built(folder: Path) -> Path:
    folder.mkdir()
    root = make_project(folder)
    _build(root)
    return root


def _build(root: Path) -> str:
    result = CliRunner().invoke(cli, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return result.output


def _preview(tmp_path: Path, root: Path) -> Served:
    (tmp_path / "tmp").mkdir()
    preview = Served(root, tmp_path / "tmp", tmp_path / "serve.log")
    preview.wait(preview.serving, "page served", timeout=60)
    return preview


PAGES = ("index.html", "people/gamma.html", "letters/2013-04-alpha-to-beta.html")


def test_a_built_unchanged_project_is_served_as_built_and_stays_built(tmp_path):
    root = _built(tmp_path / "project")
    preview = _preview(tmp_path, root)
    try:
        for path in PAGES:
            assert preview.as_built(path) == (root / "site" / path).read_text(encoding="utf-8")
        assert NOTHING_CHANGED in preview.output() and preview.regenerations() == 0, preview.output()
        preview.stop()
    finally:
        preview.process.kill()
    # The build's state is left as it was: the next build starts from it and has nothing to write.
    assert "; 0 written anew." in _build(root)


def test_an_edit_made_while_no_preview_ran_is_in_the_first_page_served(tmp_path):
    root = _built(tmp_path / "project")
    (root / "content" / GAMMA).write_text("---\nname: Gala Gamma-Grey\nrole: official\n---\n", encoding="utf-8")
    preview = _preview(tmp_path, root)
    try:
        served = {path: preview.as_built(path) for path in PAGES}
        preview.stop()
    finally:
        preview.process.kill()
    assert "Gala Gamma-Grey" in served["people/gamma.html"]
    # Only the pages the edit changed were made again, and the build's own state was left for the next
    # build, which writes those same pages only.
    regenerated = int(preview.output().split(f" {REGENERATED}")[0].rpartition("\n")[2])
    built = _build(root)
    total, written = (int(built.split(word)[0].rpartition(" ")[2]) for word in (" pages (", " written anew"))
    assert 0 < regenerated < total and 0 < written < total, (preview.output(), built)
    for path in PAGES:  # what the build gives, as the preview served it
        assert served[path] == (root / "site" / path).read_text(encoding="utf-8"), path


def test_a_preview_stopped_during_its_warm_up_leaves_no_folder(tmp_path, monkeypatch):
    """The warm-up runs in a thread of its own: a preview stopped before it is done (here: its address is
    taken) waits for the run under way, and no run starts after, to write into the folder being removed."""
    import threading

    from builder.preview import serve

    regenerate = serve.regenerate
    monkeypatch.setattr(serve, "regenerate", lambda *a, **k: time.sleep(1) or regenerate(*a, **k))
    root = make_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = CliRunner().invoke(cli, ["serve", "--root", str(root), "--dev-addr",
                                          f"127.0.0.1:{taken.getsockname()[1]}"])
    assert result.exit_code == 1, result.output
    for thread in threading.enumerate():
        if thread.name == "preview-warm-up":
            thread.join(60)
    assert list((root / "build" / "staging").glob("preview.*")) == [], result.output


def test_a_preview_that_cannot_start_leaves_no_folder(tmp_path, monkeypatch):
    (tmp_path / "tmp").mkdir()
    (tmp_path / "bare").mkdir()  # no mkdocs.yml
    (tmp_path / "project").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        for root in (tmp_path / "bare", make_project(tmp_path / "project")):
            result = CliRunner().invoke(cli, ["serve", "--root", str(root), "--dev-addr", address])
            assert result.exit_code == 1, result.output
            assert list((tmp_path / "tmp").iterdir()) == []
            assert list((root / "build" / "staging").glob("preview.*")) == []


def test_an_edit_renders_only_its_pages_with_mkdocs_set_up_once(tmp_path, monkeypatch):
    """After an edit the preview renders the pages it changed with the MkDocs setup it keeps (no file
    list made again); a file added or removed makes it anew. Each page served is the build's, and the
    build's own site is never written through the preview's hard links."""
    import mkdocs.commands.build
    import mkdocs.structure.files

    from builder.pipeline import Project
    from builder.preview.serve import Preview

    root = _built(tmp_path / "project")
    listed = []
    get_files = mkdocs.structure.files.get_files
    for module in (mkdocs.structure.files, mkdocs.commands.build):  # the preview's setup, and MkDocs' build
        monkeypatch.setattr(module, "get_files", lambda config: listed.append(1) or get_files(config))
    said: list[str] = []
    preview = Preview(Project(root), tmp_path / "preview", said.append)
    preview.start()
    preview.live.prepare()
    site = tmp_path / "preview" / "site"
    built = {p.relative_to(root / "site").as_posix(): p.read_bytes() for p in (root / "site").rglob("*.html")}
    made = {p: p.stat().st_ino for p in site.rglob("*.html")}

    def edit(rel: str, text: str) -> None:
        (root / "content" / rel).write_text(text, encoding="utf-8")
        preview.saw(str(root / "content" / rel))
        preview.rebuild()

    edit(GAMMA, "---\nname: Gala Gamma-Grey\nrole: official\n---\n")
    assert "Gala Gamma-Grey" in (site / "people/gamma.html").read_text(encoding="utf-8"), said
    assert len(listed) == 1, "an edit of a record listed every file again"
    rendered = {p.relative_to(site).as_posix() for p, inode in made.items() if p.stat().st_ino != inode}
    assert "people/gamma.html" in rendered and len(rendered) < len(made) / 2, rendered
    assert {p.relative_to(root / "site").as_posix(): p.read_bytes()
            for p in (root / "site").rglob("*.html")} == built, "the preview wrote into the build's site"

    edit("people/delta.md", "---\nname: Dora Delta\nrole: official\n---\n")
    assert "Dora Delta" in (site / "people/delta.html").read_text(encoding="utf-8"), said
    assert len(listed) == 2, "a record added did not make MkDocs list the files again"
    edit(GAMMA, "---\nname: Gala Gamma-Green\nrole: official\n---\n")
    assert len(listed) == 3  # set up again, after the full build

    _build(root)
    served = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}
    assert served == {p.relative_to(root / "site").as_posix(): p.read_bytes() for p in (root / "site").rglob("*.html")}


def test_the_warm_up_leaves_the_first_edit_nothing_to_set_up(tmp_path, monkeypatch):
    """On a built, unchanged project the preview serves at once, then sets up MkDocs and checks the
    archive once while nobody edits: the first edit finds the name index made, and its page served."""
    from builder.link import mention_cache
    from builder.pipeline import Project
    from builder.preview.serve import Preview

    root = _built(tmp_path / "project")
    made: list[int] = []
    index = mention_cache.NameIndex
    monkeypatch.setattr(mention_cache, "_memory", None)  # a new process
    monkeypatch.setattr(mention_cache, "NameIndex", lambda records: made.append(1) or index(records))
    said: list[str] = []
    preview = Preview(Project(root), tmp_path / "preview", said.append)
    preview.start()
    assert preview.cold and made == [], said  # served as built, nothing checked yet
    preview.warm()
    assert not preview.cold and made == [1]
    article = root / "content" / "articles" / "2013-05-25-daily-reply.md"
    article.write_text(article.read_text(encoding="utf-8").rstrip("\n") + " It rained.\n", encoding="utf-8")
    preview.saw(str(article))
    preview.rebuild()
    page = tmp_path / "preview" / "site" / "articles" / "2013-05-25-daily-reply.html"
    assert "It rained." in page.read_text(encoding="utf-8"), said
    assert made == [1], "the first edit made the name index again"

