"""Write: put generated pages and the rendered site in place, all or nothing.

Everything is built in a staging folder beside its destination and swapped in
only when the whole build succeeded, so a failed build leaves the previous
docs and site exactly as they were.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import UNCHANGED, BuildError, Problem


@contextlib.contextmanager
def staged(destination: Path) -> Iterator[Path]:
    """Yield an empty folder next to `destination`; on success it replaces it."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", dir=destination.parent))
    try:
        yield staging
        old = destination.with_name(f".{destination.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if destination.exists():
            os.replace(destination, old)
        os.replace(staging, destination)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_pages(pages: dict[str, str], folder: Path) -> None:
    """Write {relative path: text} into an empty folder, in a stable order."""
    for rel in sorted(pages):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pages[rel], encoding="utf-8", newline="\n")


def update_pages(folder: Path, pages: dict[str, str], unchanged: Callable[[str, str], bool] | None = None,
                 remove: Iterable[str] = ()) -> list[str]:
    """Write in place only the pages whose text changed; remove `remove`. Returns the pages written.

    For incremental builds and the preview: an unchanged page keeps its bytes and its
    modification time, so MkDocs' dirty build skips it. `unchanged(path, text)` answers
    from memory; without it the file on disk is compared. Each page is written beside
    itself and renamed over, so a reader never sees half a page.
    """
    written = []
    for rel in sorted(pages):
        text, path = pages[rel], folder / rel
        if unchanged is not None and unchanged(rel, text) and path.exists():
            continue
        data = text.encode("utf-8")
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        written.append(rel)
    for rel in remove:
        (folder / rel).unlink(missing_ok=True)
    return written


class _Collect(logging.Handler):
    """Keep MkDocs' warnings so we can report them as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        from .body_links import made_from

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


def render_site(config_file: Path, docs_dir: Path, site_dir: Path, source_date_epoch: str) -> None:
    """Run MkDocs (strict) on `docs_dir` into `site_dir`; raise BuildError on any warning."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    handler = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True)
        with _environ("SOURCE_DATE_EPOCH", source_date_epoch):
            build(config)
    except MkDocsException as err:
        messages = handler.messages or [str(err)]
        raise BuildError([Problem("mkdocs.yml", 0, "", f"MkDocs: {m}") for m in messages],
                         UNCHANGED) from None
    finally:
        mkdocs_log.removeHandler(handler)
