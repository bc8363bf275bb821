"""Write: put generated pages and the rendered site in place, all or nothing.

Everything is built in a staging folder under build/staging/ and swapped in
only when the whole build succeeded, so a failed build leaves the previous
docs and site exactly as they were. The swap exchanges the two folders in one
step where the kernel can (Linux `renameat2`); elsewhere it is two renames,
and a build killed between them leaves the previous tree in build/staging/,
where the next build (or `archive serve`) finds it and puts it back. Whatever
a killed build left there is cleared by the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..link.body_links import made_from
from ..model.errors import UNCHANGED, BuildError, Problem, reason, relative
from . import shards
from ..outputs.render import compiled
from .live import LiveSite
from ..forks import WorkerFailed, default_jobs
from .shards import shardable

# build/staging/ holds only staging folders and replaced trees, besides these two lock files:
HELD = ".lock"  # every build holds it shared while its staging folders exist; clearing takes it alone
SWAP = ".swap"  # one swap at a time, so two builds never interleave their renames
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step; False where the kernel or file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not Linux, or a C library without it
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(staging: Path, destination: Path, area: Path) -> Path | None:
    """Put `staging` at `destination`; return where the tree it replaced now lies, to be removed."""
    if not destination.exists():
        os.rename(staging, destination)
        return None
    if exchange(staging, destination):
        return staging
    # Two renames: a kill between them leaves no destination, and the old tree under a name
    # that says what it is, so the next build puts it back (see clear_leftovers).
    old = area / f"{destination.name}.old.{time.time_ns()}"
    os.rename(destination, old)
    try:
        os.rename(staging, destination)
    except OSError:
        with contextlib.suppress(OSError):  # if even this fails, the next build puts it back
            os.rename(old, destination)
        raise
    return old


@contextlib.contextmanager
def _locked(path: Path, how: int) -> Iterator[bool]:
    """Hold an flock on `path`; yield False if a non-blocking request was refused."""
    with open(path, "a") as file:
        try:
            fcntl.flock(file, how)
        except BlockingIOError:
            yield False
            return
        yield True  # the lock ends with the file, or with the process if it is killed


@contextlib.contextmanager
def holding(area: Path) -> Iterator[Path]:
    """Hold build/staging/ for one build: no other build clears it until this one is done."""
    area.mkdir(parents=True, exist_ok=True)
    with _locked(area / HELD, fcntl.LOCK_SH):
        yield area


def _removed(tree: Path) -> None:
    shutil.rmtree(tree, ignore_errors=True)  # one that cannot go is cleared, or reported, by clear_leftovers


@contextlib.contextmanager
def staged(destination: Path, area: Path, remove: Callable[[Path], None] = _removed) -> Iterator[Path]:
    """Yield an empty folder in `area` (held, see holding()); on success it replaces `destination`, and
    the tree it replaced is given to `remove` (ahead.py removes it while the build saves its state)."""
    area.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{destination.name}.new.", dir=area))
    replaced = None
    try:
        yield staging
        destination.parent.mkdir(parents=True, exist_ok=True)
        with _locked(area / SWAP, fcntl.LOCK_EX):
            try:
                replaced = _swap(staging, destination, area)
            except OSError as err:  # whichever step failed, it is the destination that could not change
                raise OSError(err.errno, err.strerror, str(destination)) from err
    finally:
        if replaced is None:  # failed, or nothing replaced: what was staged, if still there, goes
            _removed(staging)
        else:
            remove(replaced)


def linked(destination: Path, staging: Path) -> None:
    """Fill a staging folder (see staged()) with `destination`'s files as hard links: an incremental
    build starts from the last one's without copying a byte. A file in it is then replaced, never
    written into, or the live tree would change with it."""
    if destination.is_dir():
        shutil.copytree(destination, staging, copy_function=os.link, dirs_exist_ok=True)


def _legacy(destination: Path) -> re.Pattern[str]:
    """Staging folders of builders before build/staging/: `.site.old`, `.site.<8 random>` beside site/."""
    return re.compile(rf"\.{re.escape(destination.name)}\.(old|[a-z0-9_]{{8}})")


def clear_leftovers(root: Path, area: Path, destinations: Iterable[Path]) -> list[Problem]:
    """Put back a destination a killed swap left missing; remove what killed builds left.

    Does nothing while another build runs (its staging folders are in use); returns a
    warning for each leftover that cannot be removed: it blocks nothing, names are unique.
    """
    try:
        area.mkdir(parents=True, exist_ok=True)
        with _locked(area / HELD, fcntl.LOCK_EX | fcntl.LOCK_NB) as alone:
            if not alone:
                return []
            return _clear(root, area, list(destinations))
    except OSError:  # build/ cannot be written: the build says so when it writes
        return []


def _clear(root: Path, area: Path, destinations: list[Path]) -> list[Problem]:
    leftovers = [p for p in area.iterdir() if p.name not in (HELD, SWAP)]
    for destination in destinations:
        legacy = _legacy(destination)
        leftovers += [p for p in destination.parent.glob(f".{destination.name}.*") if legacy.fullmatch(p.name)]
    for destination in destinations:
        # A kill between the two renames of a swap left the previous tree under its replaced name.
        replaced = {p: when for p in leftovers if (when := _replaced_at(p, destination)) is not None}
        if replaced and not destination.exists():
            newest = max(replaced, key=replaced.__getitem__)
            leftovers.remove(newest)  # kept even if it cannot go back: the build then says there is no site
            with contextlib.suppress(OSError):
                os.rename(newest, destination)
    warnings = []
    for leftover in leftovers:
        try:
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        except FileNotFoundError:
            pass
        except OSError as err:
            rel = relative(leftover, root)
            warnings.append(Problem(rel, 0, "", f"cannot remove this leftover of a build: {reason(err)}",
                                    f"Remove it by hand (rm -rf {rel}); builds go on without it", warning=True))
    return warnings


def _replaced_at(path: Path, destination: Path) -> int | None:
    """When `path` became the tree `destination` replaced (its name says so); None if it is not one."""
    if path.name == f".{destination.name}.old" and path.parent == destination.parent:
        return 0  # an earlier builder's: older than any of ours
    prefix = f"{destination.name}.old."
    stamp = path.name.removeprefix(prefix)
    return int(stamp) if path.name.startswith(prefix) and stamp.isdigit() else None


def update_pages(folder: Path, pages: Mapping[str, str], unchanged: Callable[[str, str], bool] | None = None
                 ) -> list[str]:
    """Write in place only the pages whose text changed (see update_page). Returns the pages written."""
    return [rel for rel in sorted(pages) if update_page(folder, rel, pages[rel], unchanged)]


def update_page(folder: Path, rel: str, text: str, unchanged: Callable[[str, str], bool] | None = None) -> bool:
    """Write the page at `rel` in place if its text changed; whether it was written.

    An unchanged page keeps its bytes and its modification time, so MkDocs' dirty build
    skips it. `unchanged(rel, text)` answers from memory; without it the file on disk is
    compared. The page is written beside itself and renamed over, so a reader never sees
    half a page, and a hard link to the last build's file (see staged()) is left alone.
    """
    path = folder / rel
    if unchanged is not None and unchanged(rel, text) and path.exists():
        return False
    data = text.encode("utf-8")
    try:  # a file of another size differs: not read (a download is 100 MB at 10,000 articles)
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def update_files(folder: Path, files: Mapping[str, Iterable[str]]) -> list[str]:
    """Write in place only the files whose text, made in parts, changed (see update_file). Returns those written."""
    return [rel for rel in sorted(files) if update_file(folder, rel, files[rel])]


def update_file(folder: Path, rel: str, parts: Iterable[str]) -> bool:
    """update_page for a file made in parts as they are read (a download is 110 MB at 10,000 articles):
    compared with the file on disk a megabyte at a time, and written from the first that differs, the
    same part of the old file copied first; so neither text is ever held whole. Whether it was written."""
    path = folder / rel
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        old = open(path, "rb")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        old = None
    new, same = None, 0  # the file being written; how many bytes so far the old file has too
    try:
        for data in _megabytes(parts):
            if new is None and old is not None and old.read(len(data)) == data:
                same += len(data)
                continue
            if new is None:
                new = _started(tmp, old, same)
            new.write(data)
        if new is None:
            if old is not None and not old.read(1):
                return False  # the same bytes: it keeps its time
            new = _started(tmp, old, same)  # the old file, cut short
        new.close()
        os.replace(tmp, path)
        return True
    except BaseException:
        if new is not None:
            new.close()
            tmp.unlink(missing_ok=True)
        raise
    finally:
        if old is not None:
            old.close()


def _megabytes(parts: Iterable[str]) -> Iterator[bytes]:
    held: list[str] = []
    size = 0
    for part in parts:
        held.append(part)
        size += len(part)
        if size >= 1 << 20:
            yield "".join(held).encode("utf-8")
            held, size = [], 0
    if held:
        yield "".join(held).encode("utf-8")


def _started(tmp: Path, old: Any, same: int) -> Any:
    """A new file beside the old one, holding the `same` bytes the old one starts with."""
    new = open(tmp, "wb")
    if old is not None:
        old.seek(0)
        while same:
            chunk = old.read(min(same, 1 << 20))
            new.write(chunk)
            same -= len(chunk)
    return new


def prune(folder: Path, keep: Collection[str], held: Collection[str] | None = None) -> list[str]:
    """Remove every file under `folder` not in `keep` (relative paths), and folders left empty.

    `held`: every file `folder` holds, if known (the last run's, which wrote it): then only
    those are looked at, not the whole tree."""
    if held is not None:
        removed = sorted(set(held) - set(keep))
        for rel in removed:
            (folder / rel).unlink(missing_ok=True)
        for parent in sorted({p for rel in removed for p in (folder / rel).parents if p != folder and
                              p.is_relative_to(folder)}, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):  # not empty: kept
                parent.rmdir()
        return removed
    removed = []
    for path in sorted(folder.rglob("*"), reverse=True):  # a folder's files before the folder
        rel = path.relative_to(folder).as_posix()
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif rel not in keep:
            path.unlink()
            removed.append(rel)
    return sorted(removed)


class _Collect(logging.Handler):
    """Keep MkDocs' warnings so we can report them as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(made_from(record.getMessage()))


@contextlib.contextmanager
def _environ(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old


class NotDirtyWarning(logging.Filter):
    """Dirty mode warns that navigation may be stale; ours lists kinds of page only, so it is not."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def unshared(site_dir: Path) -> Any:
    """An MkDocs plugin for a dirty build into a staged copy of the last site (see staged()).

    Before MkDocs writes anything, it removes what a clean build would not write (the pages
    and files gone since) and every file MkDocs is about to write: MkDocs writes into a file
    in place, which would change the live site through the hard link."""
    from mkdocs.plugins import BasePlugin

    class Unshared(BasePlugin):  # type: ignore[type-arg,no-untyped-call]  # MkDocs' BasePlugin is generic and untyped
        def on_files(self, files: Any, config: Any) -> Any:
            always = [*config.theme.static_templates, "sitemap.xml.gz"]  # written on every build
            made = {file.dest_uri for file in files} | set(always)
            prune(site_dir, made)
            for file in files:
                if file.is_modified():
                    Path(file.abs_dest_path).unlink(missing_ok=True)
            for name in always:
                (site_dir / name).unlink(missing_ok=True)
            return files

    return Unshared()


def site_config(config_file: Path, docs_dir: Path, site_dir: Path, dirty: bool = False) -> Any:
    """MkDocs' configuration (strict) for rendering `docs_dir` into `site_dir`; `dirty`: a staged copy of the last site."""
    from mkdocs.config import load_config

    config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True)
    if dirty:
        config.plugins["archive-unshared"] = unshared(site_dir)
    return config


def prepared(config_file: Path, docs_dir: Path, site_dir: Path, cache: Path | None) -> LiveSite | None:
    """MkDocs set up for an edit's dirty render into `site_dir` (see render_site's `live`), made ahead of it
    (ahead.py); None if anything failed or MkDocs warned: render_site then sets up itself, and says so."""
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    handlers, propagate = logger.handlers[:], logger.propagate
    logger.handlers, logger.propagate = [handler], False  # said, if at all, when render_site sets up again
    try:
        live = LiveSite(site_config(config_file, docs_dir, site_dir, dirty=True), compiled(cache) if cache else None)
        live.prepare()
    except Exception:
        return None
    finally:
        logger.handlers, logger.propagate = handlers, propagate
    return None if handler.messages else live


def render_site(config_file: Path, docs_dir: Path, site_dir: Path, source_date_epoch: str,
                outcome: str = UNCHANGED, dirty: bool = False, jobs: int | None = None,
                edited: tuple[list[str], list[str]] | None = None, cache: Path | None = None,
                live: LiveSite | None = None) -> None:
    """Run MkDocs (strict) on `docs_dir` into `site_dir`; raise BuildError on any warning, saying `outcome`.

    `dirty`: `site_dir` holds the site the last build rendered (a staged copy, see staged());
    only pages newer than their HTML are rendered again, as MkDocs' `--dirty` does. With
    `edited`, the files of `docs_dir` written and removed since (no page added or removed),
    only those are rendered or copied, and the sitemap and 404 page made again (live.py),
    without comparing every file's time. The theme's compiled templates are kept in `cache` (by
    the sharded build too, so the first edit after it compiles none).
    `jobs`: the pages are rendered by this many processes (see shards.py), by default one per core;
    1 runs MkDocs' own build, which the others equal byte for byte. `live`: MkDocs set up already for
    these folders, dirty (see prepared)."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    handler = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    quiet = NotDirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    try:
        config = live.config if live else site_config(config_file, docs_dir, site_dir, dirty)
        jobs = default_jobs() if jobs is None else jobs
        kept = compiled(cache) if cache else None
        with _environ("SOURCE_DATE_EPOCH", source_date_epoch):
            if dirty and edited and (live or LiveSite(config, kept)).render(*edited, static=True):
                if handler.messages:  # strict, as MkDocs' build is
                    raise Abort(f"Aborted with {len(handler.messages)} warnings in strict mode!")
            elif jobs > 1 and shardable(config):
                shards.build(config, jobs, dirty=dirty, compiled=kept)
            else:
                build(config, dirty=dirty)
    except MkDocsException as err:
        messages = handler.messages or [str(err)]
        raise BuildError([Problem("mkdocs.yml", 0, "", f"MkDocs: {m}") for m in messages],
                         outcome) from None
    except WorkerFailed as err:  # not MkDocs' own error: a bug, or a worker killed
        raise BuildError([Problem("mkdocs.yml", 0, "", f"MkDocs: {m}") for m in [*handler.messages, str(err)]],
                         outcome) from None
    finally:
        mkdocs_log.removeHandler(handler)
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
