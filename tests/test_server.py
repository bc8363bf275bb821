"""The build server (`archive server start`): `archive build` hands it its work, and the site it builds is
the one a build of its own would make; what goes wrong is said as that build says it; it saves what it
holds for the builds after it, and stops when told, when idle, or when the builder is another."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Listener
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_kit import make_project
from builder.cli.commands import cli
from builder.version import fingerprint

GAMMA = "people/gamma.md"
BY_SERVER = re.compile(r" by the build server \(process (\d+)\);")


def archive(root: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, [*args, "--root", str(root)])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def written(said: str) -> int:
    """How many pages a build says it wrote anew."""
    return int(re.search(r"; (\d+) written anew", said)[1])


def advert(root: Path) -> dict | None:
    path = root / "build" / "server.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a child of this process (CliRunner started it here) that ended: a zombie until waited for
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return True


def gone(pid: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A built project; whatever server a test leaves running there is killed after it."""
    (tmp_path / "project").mkdir()
    root = make_project(tmp_path / "project")
    archive(root, "build")
    try:
        yield root
    finally:
        found = advert(root)
        if found and alive(found["pid"]):
            os.kill(found["pid"], signal.SIGKILL)


def started(root: Path, *args: str) -> int:
    said = archive(root, "server", "start", *args)
    pid = int(re.search(r"ready \(process (\d+)\)", said)[1])
    assert alive(pid) and advert(root)["pid"] == pid, said
    return pid


def test_the_server_builds_an_edit_as_a_build_of_its_own_would(project, tmp_path):
    pid = started(project)
    assert oct((project / "build" / "server.json").stat().st_mode & 0o777) == "0o600"  # it holds the key
    (project / "content" / GAMMA).write_text("---\nname: Gala Gamma-Grey\nrole: official\n---\n", encoding="utf-8")
    said = archive(project, "build")
    assert BY_SERVER.search(said)[1] == str(pid), said
    assert "Gala Gamma-Grey" in (project / "site" / "people" / "gamma.html").read_text(encoding="utf-8")
    assert written(archive(project, "build")) == 0  # nothing changed since: it holds the last build

    # The same content built from nothing, without a server: the same bytes.
    (tmp_path / "reference").mkdir()
    reference = make_project(tmp_path / "reference")
    shutil.rmtree(reference / "content")
    shutil.copytree(project / "content", reference / "content")
    archive(reference, "build")
    assert tree(project / "site") == tree(reference / "site")

    # Stopped, it has saved what it held: a build of its own starts from there and has nothing to write.
    assert archive(project, "server", "stop") == f"Build server stopped (process {pid}).\n"
    assert gone(pid) and advert(project) is None
    said = archive(project, "build")
    assert written(said) == 0 and not BY_SERVER.search(said), said
    assert archive(project, "server", "stop") == "No build server runs for this project.\n"


def test_a_bad_edit_is_said_as_a_build_says_it_and_the_site_is_kept(project, tmp_path):
    before = tree(project / "site")
    (project / "content" / GAMMA).write_text("---\nname: [Gala\nrole: official\n---\n", encoding="utf-8")
    own = archive(project, "build", code=1)  # a build of its own, for what it says
    assert "content/people/gamma.md:" in own
    pid = started(project)
    assert archive(project, "build", code=1) == own
    assert tree(project / "site") == before
    # The server goes on: the edit fixed, it builds.
    (project / "content" / GAMMA).write_text("---\nname: Gala Gamma-Grey\nrole: official\n---\n", encoding="utf-8")
    assert BY_SERVER.search(archive(project, "build"))[1] == str(pid)
    assert "Gala Gamma-Grey" in (project / "site" / "people" / "gamma.html").read_text(encoding="utf-8")


def test_one_server_a_project(project):
    pid = started(project)
    result = CliRunner().invoke(cli, ["server", "start", "--root", str(project)])
    assert result.exit_code == 1 and f"a build server runs already for this project (process {pid})" in result.output
    assert alive(pid) and advert(project)["pid"] == pid


def test_a_client_without_the_key_is_refused_and_the_server_goes_on(project):
    pid = started(project)
    with pytest.raises(AuthenticationError):
        Client(("127.0.0.1", advert(project)["port"]), authkey=b"a guess")
    assert BY_SERVER.search(archive(project, "build"))[1] == str(pid)


def test_a_server_of_another_builder_is_stopped_and_the_build_runs_here(project):
    pid = started(project)
    found = advert(project)
    (project / "build" / "server.json").write_text(json.dumps({**found, "builder": "another"}), encoding="utf-8")
    (project / "content" / GAMMA).write_text("---\nname: Gala Gamma-Grey\nrole: official\n---\n", encoding="utf-8")
    said = archive(project, "build")
    assert "ran another version of the builder: stopped it; building here." in said
    assert not BY_SERVER.search(said) and written(said) > 0, said
    assert gone(pid)


def test_a_server_gone_is_not_waited_for(project):
    pid = started(project)
    os.kill(pid, signal.SIGKILL)
    assert gone(pid)
    said = archive(project, "build")
    assert "does not answer: building here." in said and not BY_SERVER.search(said), said
    assert advert(project) is None  # its file goes with it


def test_an_idle_server_stops_by_itself_having_saved(project):
    pid = started(project, "--idle", "0.02")  # 1.2 s
    (project / "content" / GAMMA).write_text("---\nname: Gala Gamma-Grey\nrole: official\n---\n", encoding="utf-8")
    assert BY_SERVER.search(archive(project, "build"))
    assert gone(pid, timeout=30) and advert(project) is None
    assert written(archive(project, "build")) == 0


def test_a_build_with_what_a_server_holds_reads_nothing_back_and_links_only_the_edit(project, monkeypatch):
    """In the server's process: its first build after an edit restores no state from build/, walks and links
    again the edited record (and what cites it) only, and makes no pass over every record; once it has
    saved (Held.flush), a build of its own starts from there and has nothing to write."""
    from builder import pipeline
    from builder.link import graph

    held = pipeline.warmed(pipeline.Project(project), jobs=1)
    restored, walked, passes = [], [], []
    real_restore, real_walk, real_of = pipeline.restore, graph._walk_ids, graph._Records.of
    monkeypatch.setattr(pipeline, "restore", lambda *args: restored.append(args) or real_restore(*args))
    monkeypatch.setattr(graph, "_walk_ids", lambda record: walked.append(record.id) or real_walk(record))
    monkeypatch.setattr(graph._Records, "of", classmethod(
        lambda cls, records: passes.append(len(records)) or real_of.__func__(cls, records)))
    (project / "content" / GAMMA).write_text("---\nname: Gala Gamma-Grey\nrole: official\n---\n", encoding="utf-8")
    report = pipeline.build(pipeline.Project(project), held=held, jobs=1)
    assert (restored, walked, passes) == ([], ["gamma"], [])
    assert report.written and "Gala Gamma-Grey" in (project / "site" / "people" / "gamma.html").read_text(encoding="utf-8")
    assert held.pending is not None  # saved once the build is answered
    held.flush()
    assert written(archive(project, "build")) == 0


def test_what_a_server_holds_outlives_a_bad_edit_but_not_a_build_that_failed_writing(project, monkeypatch):
    """A problem in the content stops a build before it derives anything from what the server holds: that
    stays. A build that fails later (a worker killed, say) may leave it half changed: the next build reads
    the last saved state back instead, and builds what a build of its own would."""
    from builder import pipeline, record_pages
    from builder.model.errors import BuildError

    held = pipeline.warmed(pipeline.Project(project), jobs=1)
    state = held.state
    (project / "content" / GAMMA).write_text("---\nname: [Gala\nrole: official\n---\n", encoding="utf-8")
    with pytest.raises(BuildError):
        pipeline.build(pipeline.Project(project), held=held, jobs=1)
    assert held.state is state is not None

    def broken(*args, **kwargs):
        raise RuntimeError("killed")

    (project / "content" / GAMMA).write_text("---\nname: Gala Gamma-Grey\nrole: official\n---\n", encoding="utf-8")
    monkeypatch.setattr(record_pages, "make", broken)
    with pytest.raises(RuntimeError):
        pipeline.build(pipeline.Project(project), held=held, jobs=1)
    assert held.state is None and held.key is None
    monkeypatch.undo()
    restored = []
    real_restore = pipeline.restore
    monkeypatch.setattr(pipeline, "restore", lambda *args: restored.append(args) or real_restore(*args))
    report = pipeline.build(pipeline.Project(project), held=held, jobs=1)
    assert len(restored) == 1 and 0 < len(report.written) < sum(report.pages.values())  # from the saved state
    assert "Gala Gamma-Grey" in (project / "site" / "people" / "gamma.html").read_text(encoding="utf-8")


def test_a_port_taken_since_by_something_else_is_not_the_server(project):
    """build/server.json left by a server killed, its port since taken by another program (here: one that asks
    for a key of its own): the build runs here, and the file goes."""
    key = b"another program's"
    with Listener(("127.0.0.1", 0), authkey=key) as other:
        def refuse() -> None:
            with pytest.raises(AuthenticationError):  # the client's key is not this program's
                other.accept()

        threading.Thread(target=refuse, daemon=True).start()
        (project / "build" / "server.json").write_text(json.dumps(
            {"pid": os.getpid(), "port": other.address[1], "key": b"ours".hex(), "builder": fingerprint()}),
            encoding="utf-8")
        said = archive(project, "build")
    assert "does not answer: building here." in said and not BY_SERVER.search(said), said
    assert advert(project) is None


def build_within(root: Path, seconds: float) -> str:
    """`archive build` in a process of its own, which must end within `seconds` (rather than wait forever)."""
    done = subprocess.run([sys.executable, "-m", "builder", "build", "--root", str(root)], capture_output=True,
                          text=True, timeout=seconds)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_a_stopped_server_is_not_waited_for_and_builds_again_once_continued(project):
    """A server stopped (SIGSTOP) takes connections (the kernel does) but shakes no hands: the build runs here
    after a few seconds, and the file stays, the server being alive; continued, it builds again."""
    pid = started(project)
    os.kill(pid, signal.SIGSTOP)
    try:
        (project / "content" / GAMMA).write_text("---\nname: Gala Gamma-Grey\nrole: official\n---\n",
                                                 encoding="utf-8")
        said = build_within(project, 60)
        assert f"The build server (process {pid}) did not answer within 5 s: building here." in said, said
        assert not BY_SERVER.search(said) and written(said) > 0, said
        assert "Gala Gamma-Grey" in (project / "site" / "people" / "gamma.html").read_text(encoding="utf-8")
        assert advert(project)["pid"] == pid
        result = CliRunner().invoke(cli, ["server", "stop", "--root", str(project)])
        assert result.exit_code == 1 and f"'kill {pid}' stops it" in result.output, result.output
    finally:
        os.kill(pid, signal.SIGCONT)
    assert BY_SERVER.search(build_within(project, 60))[1] == str(pid)


def test_a_client_that_says_nothing_holds_up_no_other(project):
    """One that connects and never shakes hands is dropped: the builds asked for after it are the server's."""
    pid = started(project)
    with socket.create_connection(("127.0.0.1", advert(project)["port"])):
        said = build_within(project, 60)
    assert BY_SERVER.search(said)[1] == str(pid), said


def test_the_server_checks_as_a_check_of_its_own_would(project):
    """`archive check`, handed to the server, says what a check of its own says, over edits that warn, break
    and mend, in both formats; a valid archive's summary names the server, and its log each check."""
    article = project / "content" / "articles" / "2013-05-25-daily-reply.md"
    original = {path: path.read_bytes() for path in (article, project / "content" / GAMMA)}
    edits = [(article, article.read_text(encoding="utf-8").replace('retrieved: "2013-05-26"\n', "")),  # a warning
             (project / "content" / GAMMA, "---\nname: [Gala\nrole: official\n---\n"),  # an error
             (project / "content" / GAMMA, "---\nname: Gala Gamma-Grey\nrole: official\n---\n")]  # mended

    def said() -> list[tuple[int, str]]:
        """What each format of `archive check` says after each edit."""
        found = []
        for path, text in edits:
            path.write_text(text, encoding="utf-8")
            for form in ("text", "github"):
                result = CliRunner().invoke(cli, ["check", "--format", form, "--root", str(project)])
                assert "Traceback" not in result.output
                found.append((result.exit_code, result.output))
        return found

    own = said()
    assert [code for code, _ in own] == [0, 0, 1, 1, 0, 0] and ": warning: " in own[0][1], own
    for path, data in original.items():
        path.write_bytes(data)
    pid = started(project)
    served = said()
    for (code, there), (own_code, here) in zip(served, own):
        by = f" (checked by the build server, process {pid})."
        assert code == own_code and (there.replace(by, ".") if code == 0 else there) == here, (there, here)
        assert (by in there) == (code == 0)
    deadline = time.monotonic() + 30  # each line is written once the check is answered
    while (log := (project / "build" / "server.log").read_text(encoding="utf-8")).count("check: ") < 6 \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    assert log.count("check: ") == 6, log


def test_a_check_by_the_server_links_only_the_edit(project, monkeypatch):
    """In the server's process: a check after an edit walks and links again the edited record only, and
    makes no pass over every record; what it finds is what a check of its own finds."""
    from builder import pipeline
    from builder.cli import server
    from builder.link import graph

    held = pipeline.warmed(pipeline.Project(project), jobs=1)
    walked, passes = [], []
    real_walk, real_of = graph._walk_ids, graph._Records.of
    monkeypatch.setattr(graph, "_walk_ids", lambda record: walked.append(record.id) or real_walk(record))
    monkeypatch.setattr(graph._Records, "of", classmethod(
        lambda cls, records: passes.append(len(records)) or real_of.__func__(cls, records)))
    (project / "content" / GAMMA).write_text("---\nname: Gala Gamma-Grey\nrole: official\n---\n", encoding="utf-8")
    answer, fatal = server._check(pipeline.Project(project), held, 1)
    assert (walked, passes) == (["gamma"], []) and not fatal
    monkeypatch.undo()
    assert answer == ("checked", replace(server.checked(pipeline.Project(project), 1), by=os.getpid()))
