"""Render the site's pages on every core: MkDocs' own build, its pages split among forked workers.

MkDocs has no parallel build, and a page's HTML depends on nothing another page's rendering
makes, except the anchors other pages link to. So this process does what MkDocs does once
(load the configuration, list the files, make the navigation and the theme's environment,
copy the static files, write 404.html and the sitemap) and then forks workers that share all
of it. Each worker renders a disjoint shard of the pages with MkDocs' own functions, against
the full file list, so every link is validated as one process validates it. The workers send
back what MkDocs logged and each page's anchors; this process replays the log in the order
one process would have logged it, checks the links to anchors with MkDocs' own check, and
fails in strict mode as MkDocs does. The site is byte for byte what one process writes.

Plugins that gather something from every page would see only their shard's pages in a
worker, so a configuration with any plugin but ours is rendered in one process.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..forks import WorkerFailed, forked

# When a worker logged something, in the order one process does it: every page read and
# converted (POPULATE), the files written once, every page put in its template (BUILD).
POPULATE, ONCE, BUILD = 0, 1, 2
SAFE_PLUGINS = {"archive-unshared"}  # ours: it acts once, on the file list (see write.unshared)


@dataclass
class _Logged:
    """The log records of one worker (or of this process), each with its place in one process's order."""

    records: list[tuple[tuple[int, int, int], logging.LogRecord]] = field(default_factory=list)
    where: tuple[int, int] = (ONCE, 0)


class _Recorder(logging.Handler):
    def __init__(self, logged: _Logged) -> None:
        super().__init__(logging.NOTSET)
        self.logged = logged

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None  # sent to the parent: plain text only
        record.exc_info = record.exc_text = None
        self.logged.records.append(((*self.logged.where, len(self.logged.records)), record))


@contextlib.contextmanager
def _recording(logged: _Logged) -> Iterator[None]:
    """Keep what MkDocs logs instead of handling it now; _replay() hands it on later, in order."""
    logger = logging.getLogger("mkdocs")
    handlers, propagate = logger.handlers[:], logger.propagate
    recorder = _Recorder(logged)
    logger.handlers, logger.propagate = [recorder], False
    try:
        yield
    finally:
        logger.handlers, logger.propagate = handlers, propagate


def _replay(records: list[tuple[tuple[int, int, int], logging.LogRecord]]) -> None:
    for _, record in sorted(records, key=lambda item: item[0]):
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


@dataclass
class _Result:
    logged: _Logged
    anchors: dict[str, tuple[set[str] | None, dict[str, dict[str, str]] | None]]
    failed: tuple[tuple[int, int], BaseException | str] | None = None  # where, and the exception or its text


@dataclass
class _Shared:
    """What every worker shares with this process through the fork: MkDocs' whole setup."""

    config: Any
    files: Any
    nav: Any
    env: Any
    dirty: bool
    pages: list[Any]  # the pages to render, in MkDocs' order; worker i renders every n-th from i
    workers: int


_shared: _Shared | None = None  # set just before forking: fork shares it, nothing is pickled


def _rendered(shard: int) -> _Result:
    """Read, convert and render every page of the shard; what MkDocs logged, and the pages' anchors."""
    from mkdocs.commands.build import _build_page, _populate_page

    assert _shared is not None
    config, files, dirty = _shared.config, _shared.files, _shared.dirty
    mine = list(enumerate(_shared.pages))[shard::_shared.workers]
    result = _Result(_Logged(), {})
    with _recording(result.logged):
        page = None
        try:
            for index, page in mine:
                result.logged.where = (POPULATE, index)
                _populate_page(page, config, files, dirty)
            doc_files = files.documentation_pages()
            for index, page in mine:
                result.logged.where = (BUILD, index)
                _build_page(page, config, doc_files, _shared.nav, _shared.env, dirty,
                            excluded=page.file.inclusion.is_excluded())
        except Exception as err:  # raised by the build, as one process would raise it
            result.failed = (result.logged.where, _picklable(err, page.file.src_uri if page else ""))
    for _, page in mine:
        links = page.links_to_anchors
        result.anchors[page.file.src_uri] = (
            page.present_anchor_ids,
            None if links is None else {to.src_uri: dict(anchors) for to, anchors in links.items()})
    return result


def _picklable(err: Exception, page: str) -> BaseException | str:
    """MkDocs' own errors as they are (one process raises them so); any other, said in words."""
    from mkdocs.exceptions import MkDocsException

    if isinstance(err, MkDocsException):
        with contextlib.suppress(Exception):
            pickle.loads(pickle.dumps(err))
            return err
    return f"rendering '{page}' failed: {type(err).__name__}: {err}"


def shardable(config: Any) -> bool:
    return all(name in SAFE_PLUGINS for name in config.plugins)


@dataclass
class Setup:
    """What MkDocs' build makes before it renders a page."""

    files: Any
    nav: Any
    env: Any
    doc_files: list[Any]


def setup(config: Any, dirty: bool = False, events: bool = True) -> Setup:
    """The file list, the navigation and the theme's environment, as mkdocs.commands.build.build makes
    them; `events`: with the plugins' events (live.py goes without: ours act on a whole build)."""
    from mkdocs.commands.build import _populate_page
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    files: Any = get_files(config)  # MkDocs types it partly
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    if events:
        files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    if events:
        nav = config.plugins.on_nav(nav, config=config, files=files)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    for file in doc_files:
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
    if events:
        env = config.plugins.on_env(env, config=config, files=files)
    # Every page shows the navigation, whose pages' titles may be their headings: they are read
    # here, unheard (each page's renderer reads them again and reports what MkDocs says, or fails).
    with _recording(_Logged()):
        for page in nav.pages:
            with contextlib.suppress(Exception):
                _populate_page(page, config, files, dirty)
    return Setup(files, nav, env, list(doc_files))


def build(config: Any, jobs: int, dirty: bool = False, compiled: Any = None) -> None:
    """MkDocs' build (mkdocs.commands.build.build, which this follows step by step), its pages on `jobs` workers;
    the theme's templates compiled into `compiled` (a Jinja bytecode cache), for the next process's edit."""
    from mkdocs import utils
    from mkdocs.commands.build import _build_extra_template, _build_theme_template
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import InclusionLevel

    log = logging.getLogger("mkdocs.commands.build")
    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        logging.getLogger("mkdocs").addHandler(warning_counter)
    inclusion = InclusionLevel.is_included
    try:
        start = time.monotonic()
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        if not dirty:
            log.info("Cleaning site directory")
            utils.clean_directory(config.site_dir)
        else:
            log.warning("A 'dirty' build is being performed, this will likely lead to inaccurate navigation and "
                        "other links within your site. This option is designed for site development purposes only.")
        made = setup(config, dirty)
        files, nav, env, doc_files = made.files, made.nav, made.env, made.doc_files
        env.bytecode_cache = compiled

        # What MkDocs writes once, before the pages (they take precedence over it), and kept to
        # be logged in its place: after every page's reading, before every page's rendering.
        once = _Logged()
        with _recording(once):
            files.copy_static_files(dirty=dirty, inclusion=inclusion)
            for template in config.theme.static_templates:
                _build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                _build_extra_template(template, files, config, nav)

        pages = [file.page for file in doc_files if not dirty or file.page.file.is_modified()]
        results = _render(_Shared(config, files, nav, env, dirty, pages, max(1, min(jobs, len(pages)))))
        failures = [result.failed for result in results if result.failed is not None]
        first = min(failures, key=lambda failed: failed[0]) if failures else None
        # One process stops at the first failing page: what it would not have logged is dropped.
        logged = once.records + [record for result in results for record in result.logged.records]
        _replay([(when, record) for when, record in logged if first is None or when[:2] <= first[0]])
        if first is not None:
            raise _failure(first[1])
        for result in results:
            for uri, (present, links) in result.anchors.items():
                page = files.get_file_from_path(uri).page
                page.present_anchor_ids = present
                page.links_to_anchors = None if links is None else {
                    files.get_file_from_path(to): anchors for to, anchors in links.items()}
        log_level = config.validation.links.anchors
        for file in doc_files:
            file.page.validate_anchor_links(files=files, log_level=log_level)
        config.plugins.on_post_build(config=config)
        if counts := warning_counter.get_counts():
            msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {msg} in strict mode!")
        log.info(f"Documentation built in {time.monotonic() - start:.2f} seconds")
    except Exception as e:
        config.plugins.on_build_error(error=e)
        if isinstance(e, BuildError):
            log.error(str(e))
            raise Abort("Aborted with a BuildError!")
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(warning_counter)


def _failure(failed: BaseException | str) -> BaseException:
    return WorkerFailed(failed) if isinstance(failed, str) else failed


def _render(shared: _Shared) -> list[_Result]:
    """Each worker's result (forks.py: in this process when there is one)."""
    global _shared
    _shared = shared
    try:
        return forked(_rendered, shared.workers, "rendering pages")
    finally:
        _shared = None
