"""MkDocs after an edit: only the files it changed are rendered, with a setup the preview keeps.

MkDocs' dirty build still lists every file, makes the navigation and the theme's
environment (compiling its templates) and compares every page's time with its
HTML's: half a second at 1,000 articles, on every save. `archive build` and the
preview know which files of build/docs an edit wrote, so while the set of files
stays the same it keeps what MkDocs set up (the configuration, the file list,
the navigation, the environment with its compiled templates) and renders those
pages and copies those files with MkDocs' own functions, as a dirty build
would. A page added or removed changes what every page may link to: then the
caller runs MkDocs' dirty build and the setup is made again; other files (the
search index's shards) are copied or removed as they come and go.

The navigation lists kinds of page with titles of its own (mkdocs.yml), so a
record's page never changes another page's navigation. Each file is unlinked
before it is written: the site's files are hard links to the last build's.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import jinja2

from .shards import setup, shardable


class LiveSite:
    """MkDocs' setup for one site, made on first use (or ahead of it, by `prepare`) and kept between renders."""

    def __init__(self, config: Any, compiled: jinja2.BytecodeCache | None = None) -> None:
        self.config = config
        self.compiled = compiled  # the theme's compiled templates, kept between processes
        self._lock = threading.Lock()
        self._setup: tuple[Any, Any, Any, list[Any]] | None = None  # files, navigation, environment, pages

    def forget(self) -> None:
        """The files changed under MkDocs' feet (a full build ran): set up again when next needed."""
        with self._lock:
            self._setup = None

    def prepare(self) -> None:
        """Set up now (the preview does it while nobody edits yet), so that the first edit waits for none of it."""
        with self._lock:
            try:
                self._prepared()
            except Exception:  # said when an edit is rendered, which sets up again
                self._setup = None

    def render(self, written: list[str], removed: list[str], static: bool = False) -> bool:
        """Render the pages and copy the other files an edit `written` into docs_dir (paths relative to
        it), as a dirty build would; False, writing nothing, if a page was added or `removed`: every
        page may link to it. Other files (the search index's) are copied as they come and go.
        `static`: the theme's static pages too (the sitemap, 404.html), as every build makes them."""
        from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
        from mkdocs.utils import get_build_date

        with self._lock:
            if not shardable(self.config):  # a plugin may gather from every page: MkDocs' build it is
                return False
            files, nav, env, doc_files = self._prepared()
            found = {path: files.get_file_from_path(path) for path in written}
            if any(path.endswith(".md") for path in removed) or any(
                    path.endswith(".md") and file is None for path, file in found.items()):
                return False
            config, level = self.config, self.config.validation.links.anchors
            pages = [file.page for file in found.values() if file is not None and file.page is not None]
            for page in pages:
                _populate_page(page, config, files)
            docs, site = Path(config.docs_dir), Path(config.site_dir)
            for path, file in found.items():
                target = site / path if file is None else Path(file.abs_dest_path)
                target.unlink(missing_ok=True)  # never write through a link shared with the build's site
                if file is None:  # new since the setup: MkDocs would copy it as it is
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(docs / path, target)
                elif file.page is None:
                    file.copy_file()
                else:
                    _build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
            for path in removed:
                (site / path).unlink(missing_ok=True)
            for page in pages:
                page.validate_anchor_links(files=files, log_level=level)
            if static:  # set up maybe before the build's date was known (ahead.py): every page carries it now
                date = get_build_date()
                for file in files:
                    if file.page is not None:
                        file.page.update_date = date
            for name in config.theme.static_templates if static else ():
                for made in (name, f"{name}.gz"):
                    (site / made).unlink(missing_ok=True)
                _build_theme_template(name, env, files, config, nav)
            return True

    def _prepared(self) -> tuple[Any, Any, Any, list[Any]]:
        """MkDocs' setup (shards.setup, without the plugins' events), and the pages' template compiled."""
        if self._setup is None:
            made = setup(self.config, events=False)
            made.env.bytecode_cache = self.compiled
            for name in ("main.html", *self.config.theme.static_templates):  # now, not on the first edit
                made.env.get_template(name)
            self._setup = (made.files, made.nav, made.env, made.doc_files)
        return self._setup
