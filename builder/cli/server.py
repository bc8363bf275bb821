"""A build server: one process that outlives `archive build`, holding what the last build worked out.

A new `archive build` process reads back all the last build kept before it can look at an edit
(every record, what each page read, the checks' results), and links every record again: at
10,000 articles that is most of its 11-12 s. `archive server start` starts a process that does
so once and then waits, as the preview does between edits; `archive build` hands it its work
while it runs, and it builds the one way (pipeline.build) with what it holds (pipeline.Held),
relinking and checking only what the edit touched. It saves its state to build/ once each build
is answered, so a build without it starts from the same place, and collects what the build set
aside (collector.py) once none is asked for a while. Tools of this kind do the same (mypy's
dmypy, Gradle's daemon): the saving is the memory it keeps, so it stops by itself after `--idle`
minutes without a build. `archive build` asks it before loading the builder, so the command
itself starts in a fraction of a second.

It listens on the loopback address only, for clients holding the key it writes into
build/server.json (readable by its owner alone). A server of another builder (its code changed
since) is stopped, and the build runs in the command's own process. Neither side waits long on the
other's handshake (multiprocessing's Client and Listener would wait forever): a server stopped
(SIGSTOP) or wedged leaves `archive build` to build in its own process, and a client that connects
and says nothing holds up the others for a second at most.
"""

from __future__ import annotations

import io
import json
import os
import queue
import secrets
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, replace
from multiprocessing import AuthenticationError
from multiprocessing.connection import Connection, answer_challenge, deliver_challenge
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..forks import WorkerFailed, default_jobs
from ..model.errors import Problem, counted
from ..version import fingerprint

if TYPE_CHECKING:
    from ..pipeline import BuildReport, Held, Project
    from ..validate.cache import RecordCache

ADVERT = "server.json"  # in build/: where it listens, its key, its process and its builder
LOG = "server.log"  # in build/: what it printed, for when it fails to start
SETTLE = 10.0  # seconds without a request after a build before the server collects (_collect)
STARTING = 300.0  # seconds `start` waits for it to be ready (restoring and checking 10,000 articles: ~18 s)
HANDSHAKE = 5.0  # seconds a client waits for the server's handshake (its accepting thread answers at once)
HEARD = 1.0  # seconds the server waits for a client's part of the handshake, and then its request


@dataclass(frozen=True)
class Advert:
    """What build/server.json says of the server running for a project."""

    pid: int
    port: int
    key: bytes
    builder: str  # the builder's fingerprint: a server of other code is not asked

    def connect(self) -> Connection | None:
        """A connection to it, or None if nothing listens there (or something else does, without the key).
        Raises Silent if something takes the connection but does not shake hands."""
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=HANDSHAKE)
        except OSError:
            return None
        try:
            return _shaken(sock, self.key, serving=False, within=HANDSHAKE)
        except TimeoutError:
            raise Silent from None


class Silent(Exception):
    """The server's port took the connection, but nothing shook hands within HANDSHAKE seconds: a server
    stopped (SIGSTOP) or wedged."""


@dataclass(frozen=True)
class Built:
    """What `archive build` says of a build, in plain data: what a client unpickles without loading the
    builder (its `archive build` answers in the time the server builds)."""

    pages: dict[str, int]  # kind of page -> count
    seconds: float
    warnings: list[str]
    counted: str  # the warnings counted ("3 warnings"), or nothing
    written: int  # pages written anew
    by: int | None = None  # the build server's process, if one built it

    @classmethod
    def of(cls, report: BuildReport, by: int | None = None) -> Built:
        return cls(report.pages, report.seconds, list(map(str, report.warnings)),
                   counted(report.warnings) if report.warnings else "", len(report.written), by)


@dataclass(frozen=True)
class Checked:
    """What `archive check` found, as the command says it: the records checked (None if any problem is an
    error), every problem, and how the facts rest (link/provenance.tally), the archive being valid."""

    records: int | None
    problems: list[Problem]
    tally: dict[str, int] | None
    by: int | None = None  # the build server's process, if it checked


def checked(project: Project, jobs: int | None, cache: RecordCache | None = None) -> Checked:
    """The whole archive checked here (pipeline.check), with the record cache given (a server's) or build/'s."""
    from ..link.provenance import tally
    from ..pipeline import check, worker_failed

    try:
        archive, problems = check(project, cache, jobs=default_jobs() if jobs is None else jobs)
    except WorkerFailed as err:  # killed, or out of memory: nothing of the content's doing
        raise worker_failed(err) from None
    if archive is None:
        return Checked(None, problems, None)
    return Checked(len(archive.records), problems, tally(archive))


class Relayed(click.ClickException):
    """What the server's build raised (a ClickException, as the build's always are), said as the build here
    would have said it."""

    def show(self, file: Any = None) -> None:
        click.echo(self.message, file=file, err=True, nl=False)


def advertised(root: Path) -> Advert | None:
    """The server the project's build/server.json names, if the file is there and whole."""
    try:
        found = json.loads((root / "build" / ADVERT).read_text(encoding="utf-8"))
        return Advert(int(found["pid"]), int(found["port"]), bytes.fromhex(found["key"]), str(found["builder"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _ask(advert: Advert, request: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """Its answer to `request`, or None if it does not answer (gone, or killed meanwhile). Raises Silent if
    it takes the connection and says nothing; once it has shaken hands, the answer is waited for (a build
    takes what it takes, and one under way comes first)."""
    conn = advert.connect()
    if conn is None:
        return None
    with conn:
        try:
            conn.send(request)
            return tuple(conn.recv())
        except (OSError, EOFError):
            return None


def _shaken(sock: socket.socket, key: bytes, serving: bool, within: float) -> Connection | None:
    """`sock` as a Connection once both ends have proved they hold `key` (as multiprocessing's Client and
    Listener do), or None if the other end has not, or hangs up. Raises TimeoutError if the other end says
    nothing for `within` seconds; the server's side keeps that limit for the request that follows."""
    sock.setblocking(True)  # Connection reads the descriptor itself: a timeout is the kernel's (SO_RCVTIMEO)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", int(within), int(within % 1 * 1e6)))
    conn = Connection(sock.detach())
    try:
        if serving:
            deliver_challenge(conn, key)
            answer_challenge(conn, key)
        else:
            answer_challenge(conn, key)
            deliver_challenge(conn, key)
            _waiting(conn)
        return conn
    except BlockingIOError:  # the receive timed out
        conn.close()
        raise TimeoutError from None
    except (OSError, EOFError, AuthenticationError):
        conn.close()
        return None


def _waiting(conn: Connection) -> None:
    """Its receives wait as long as it takes again."""
    sock = socket.socket(fileno=conn.fileno())
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 0, 0))
    finally:
        sock.detach()  # the descriptor stays the Connection's


def build_there(root: Path, clean: bool, jobs: int | None) -> Built | None:
    """The build, run by the project's server if one runs there for this builder; None otherwise (then the
    caller builds)."""
    built: Built | None = _there(root, ("build", clean, jobs), "building")
    return built


def check_there(root: Path, jobs: int | None) -> Checked | None:
    """The check, run by the project's server (on the records it holds) if one runs there for this builder;
    None otherwise (then the caller checks)."""
    checked: Checked | None = _there(root, ("check", jobs), "checking")
    return checked


def _there(root: Path, request: tuple[Any, ...], doing: str) -> Any:
    """The server's answer to `request`, or None if no server of this builder answers (then the caller does the
    work, `doing` it here). A server of another builder is stopped; the file of one gone is removed."""
    advert = advertised(root)
    if advert is None:
        return None
    try:
        if advert.builder != fingerprint():
            _ask(advert, ("stop",))
            click.echo(f"The build server ran another version of the builder: stopped it; {doing} here.", err=True)
            return None
        answer = _ask(advert, request)
    except Silent:
        if not _alive(advert.pid):
            _forget(root, advert)
        click.echo(f"The build server (process {advert.pid}) did not answer within {HANDSHAKE:g} s: {doing} "
                   "here.", err=True)
        return None
    if answer is None:
        _forget(root, advert)
        click.echo(f"The build server named in build/server.json does not answer: {doing} here.", err=True)
        return None
    if answer[0] == "failed":
        raise Relayed(answer[1])
    return answer[1]


def start(root: Path, idle: float, jobs: int | None) -> tuple[int, float]:
    """Start a server for the project and wait until it is ready: its process id and the seconds it took.
    Raises ClickException if one runs already, or it could not start (with what it printed)."""
    advert = advertised(root)
    if advert is not None and _ready(advert, silent=True):
        raise click.ClickException(f"a build server runs already for this project (process {advert.pid}); "
                                   "'archive server stop' stops it")
    started = time.perf_counter()
    (root / "build").mkdir(parents=True, exist_ok=True)
    log = root / "build" / LOG
    command = [sys.executable, "-m", "builder", "server", "run", "--root", str(root), "--idle", str(idle)]
    with open(log, "wb") as out:
        process = subprocess.Popen(command + ([f"--jobs={jobs}"] if jobs else []), stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    while time.perf_counter() - started < STARTING:
        advert = advertised(root)
        if advert is not None and advert.pid == process.pid and _ready(advert):
            return process.pid, time.perf_counter() - started
        if process.poll() is not None:
            said = log.read_text(encoding="utf-8", errors="replace").strip()
            raise click.ClickException(f"the build server stopped as it started:\n{said}")
        time.sleep(0.05)
    process.kill()
    raise click.ClickException(f"the build server was not ready after {STARTING:.0f} s (see build/{LOG})")


def stop(root: Path) -> int | None:
    """Stop the project's server, once it has saved what it holds: its process id, or None if none runs."""
    advert = advertised(root)
    if advert is None:
        return None
    try:
        answer = _ask(advert, ("stop",))
    except Silent:
        if not _alive(advert.pid):
            _forget(root, advert)
            return None
        raise click.ClickException(f"the build server (process {advert.pid}) did not answer within {HANDSHAKE:g} s "
                                   f"(stopped with SIGSTOP, or wedged): 'kill {advert.pid}' stops it") from None
    if answer is None:
        _forget(root, advert)
        return None
    return advert.pid


def _ready(advert: Advert, silent: bool = False) -> bool:
    """Whether the server answers a ping: it does once warm (its hands are shaken at once). One that takes
    the connection and says nothing counts as `silent` says (for "one runs already": while it lives)."""
    try:
        return _ask(advert, ("ping",)) is not None
    except Silent:
        return silent and _alive(advert.pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: not this project's server
        return False
    return True


def serve(root: Path, idle: float, jobs: int | None) -> None:
    """The server's own process: hold the archive checked, then build on request until stopped, or
    `idle` minutes pass without a request."""
    from .. import rechecks
    from ..pipeline import Project, warmed

    project = Project(root)
    key = secrets.token_bytes(32)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        advert = Advert(os.getpid(), listener.getsockname()[1], key, fingerprint())
        _advertise(root, advert)
        held: Held | None = None
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))  # stopped as `stop` does
        rechecks.deferred = True  # the checks' cache written once the build is answered
        try:
            # Hands shaken at once, requests answered once it is warm: `start` waits for its ping's answer.
            asked: queue.Queue[Connection] = queue.Queue()
            threading.Thread(target=_accept, args=(listener, key, asked), daemon=True).start()
            held = warmed(project, default_jobs() if jobs is None else jobs)
            _collect()
            settled = True
            while True:
                try:
                    conn = asked.get(timeout=idle * 60 if settled else SETTLE)
                except queue.Empty:
                    if settled:
                        return  # idle
                    _collect()
                    settled = True
                    continue
                with conn:
                    try:
                        request = conn.recv()  # within HEARD seconds of its handshake
                    except (OSError, EOFError):
                        continue
                    if request[0] == "stop":
                        held.flush()  # saved before it says so: `stop` returns once it has
                        rechecks.flush()
                        _send(conn, ("stopped",))
                        return
                    if request[0] not in ("build", "check"):
                        _send(conn, ("ready",))
                        continue
                    work = _build if request[0] == "build" else _check
                    began = time.perf_counter()
                    answer, fatal = work(project, held, *request[1:])
                    _send(conn, answer)
                    answered = time.perf_counter()
                    if fatal:
                        return
                    held.flush()  # build/ as a build without the server would leave it
                    rechecks.flush()
                    print(f"{request[0]}: {_said(answer)}; answered in {answered - began:.1f} s, saved in "
                          f"{time.perf_counter() - answered:.1f} s", flush=True)
                    settled = False
        finally:
            if held is not None:
                held.flush()
            rechecks.flush()
            _forget(root, advert)


def _accept(listener: socket.socket, key: bytes, asked: queue.Queue[Connection]) -> None:
    """Hand each client holding the key to the server, in turn, until the listener closes. One gone before it
    spoke, without the key, or saying nothing for HEARD seconds is dropped."""
    while True:
        try:
            sock, _ = listener.accept()
        except OSError:  # closed: the server is stopping
            return
        try:
            conn = _shaken(sock, key, serving=True, within=HEARD)
        except TimeoutError:
            continue
        if conn is not None:
            asked.put(conn)


def _build(project: Project, held: Held, clean: bool, jobs: int | None) -> tuple[tuple[Any, ...], bool]:
    """What to answer a build, and whether the server must stop (a failure nothing in the content explains:
    what it holds may be half changed)."""
    from ..pipeline import build

    try:
        return ("built", Built.of(build(project, clean=clean, jobs=jobs, held=held), os.getpid())), False
    except click.ClickException as err:  # the content's problems, a full disk: as the command would say them
        said = io.StringIO()
        err.show(said)
        return ("failed", said.getvalue()), False
    except Exception:
        return ("failed", f"the build server failed:\n{traceback.format_exc()}"), True


def _check(project: Project, held: Held, jobs: int | None) -> tuple[tuple[Any, ...], bool]:
    """What to answer a check (see _build): the records it holds, checked again where they changed; with the
    collector paused, as a build after an edit runs (collector.py), the few objects made set aside."""
    from ..collector import paused

    try:
        with paused(set_aside=True):
            return ("checked", replace(checked(project, jobs, held.cache), by=os.getpid())), False
    except click.ClickException as err:
        said = io.StringIO()
        err.show(said)
        return ("failed", said.getvalue()), False
    except Exception:
        return ("failed", f"the build server failed:\n{traceback.format_exc()}"), True


def _said(answer: tuple[Any, ...]) -> str:
    """A line for the server's log: how a build went."""
    if answer[0] == "built":
        return f"built in {answer[1].seconds:.1f} s, {answer[1].written} pages written anew"
    if answer[0] == "checked":
        return counted(answer[1].problems) if answer[1].problems else "no problems"
    return "failed: " + str(answer[1]).strip().splitlines()[-1]


def _send(conn: Connection, answer: tuple[Any, ...]) -> None:
    try:
        conn.send(answer)
    except OSError:  # the command was interrupted: the build stands all the same
        pass


def _collect() -> None:
    """What builds set aside collected (collector.py), once nobody has asked for a build for a while: a pass
    over all the server holds (3 s at 10,000 articles), which a build asked for meanwhile would wait for."""
    from ..collector import collect

    collect()


def _advertise(root: Path, advert: Advert) -> None:
    """build/server.json, readable by this user only (it holds the key), written whole."""
    folder = root / "build"
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{ADVERT}.{os.getpid()}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"pid": advert.pid, "port": advert.port, "key": advert.key.hex(), "builder": advert.builder}, out)
    os.replace(temporary, folder / ADVERT)


def _forget(root: Path, advert: Advert) -> None:
    """Remove build/server.json if it still names this server."""
    path = root / "build" / ADVERT
    if advertised(root) == advert:
        path.unlink(missing_ok=True)
