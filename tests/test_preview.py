"""`archive serve` as a contributor runs it: idle while nobody edits, one rebuild per save, a bad
edit said once, and nothing left in the temporary folder when it is stopped.

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

    assert served.regenerations() == 1  # the first build
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


def test_sigterm_stops_it_and_removes_its_temporary_folder(served):
    assert [p.name[:len("archive-preview-")] for p in served.tmp.iterdir()] == ["archive-preview-"]
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=20) == 0, served.output()
    assert list(served.tmp.iterdir()) == []


def test_a_preview_that_cannot_start_leaves_no_temporary_folder(tmp_path, monkeypatch):
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
