"""The `archive` command: build, check, serve, new and schema. Each verb is a few lines over the library."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import click

from ..model.errors import BuildError, counted
from ..model.schema import Kind

# The pipeline is loaded by the commands that run it: `archive build` asks a build server first (server.py).

project_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=".",
    help="The project folder, holding mkdocs.yml and content/.", show_default=True,
)


@click.group()
def cli() -> None:
    """Leaders' Letters: build and check the archive."""


jobs_option = click.option(
    "--jobs", type=click.IntRange(min=1), envvar="ARCHIVE_JOBS", show_envvar=True,
    help="Work in this many processes at once where there is much to do (default: one per core): reading "
         "many files, checking and rendering many pages. The answer is the same byte for byte.")


@cli.command()
@project_option
@click.option("--clean", is_flag=True,
              help="Write and render every page, not only those changed since the last build: the reference "
                   "an incremental build equals byte for byte.")
@jobs_option
def build(root: Path, clean: bool, jobs: int | None) -> None:
    """Validate content/, write the pages and render the site into site/ (only what changed since the last build).
    The project's build server does it, if one runs ('archive server start')."""
    from .server import Built, build_there

    root = root.resolve()
    built = build_there(root, clean, jobs)  # asked first: it answers without the builder loaded here
    if built is None:
        from ..pipeline import Project, build as build_site

        built = Built.of(build_site(Project(root), clean=clean, jobs=jobs))
    for warning in built.warnings:
        click.echo(warning, err=True)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(built.pages.items()))
    warned = f"; {built.counted}" if built.counted else ""
    by = f" by the build server (process {built.by})" if built.by else ""
    click.echo(f"Built {sum(built.pages.values())} pages ({summary}) in {built.seconds:.1f} s{by}; "
               f"{built.written} written anew{warned}.")
    click.echo(f"Open {root / 'site' / 'index.html'} in a browser, or run 'archive serve'.")


@cli.command()
@project_option
@click.option("--format", "form", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="github: each problem as a GitHub Actions annotation on its file and line, for pull requests.")
@jobs_option
def check(root: Path, form: str, jobs: int | None) -> None:
    """Validate the whole archive without building; list every problem.
    The project's build server does it, if one runs ('archive server start')."""
    from .server import check_there, checked

    root = root.resolve()
    found = check_there(root, jobs)  # asked first: it answers without the builder loaded here
    if found is None:
        from ..pipeline import Project

        found = checked(Project(root), jobs)
    problems = found.problems
    if form == "github":
        from .pull_request import annotation

        for problem in problems:
            click.echo(annotation(problem))
    if found.records is None or found.tally is None:
        if form == "github":
            raise click.ClickException(f"{counted(problems)} found.")
        raise BuildError(problems)
    for warning in problems if form == "text" else ():
        click.echo(str(warning), err=True)
    warned = f", {counted(problems)}" if problems else ""
    by = f" (checked by the build server, process {found.by})" if found.by else ""
    click.echo(f"No problems in {found.records} records{warned}{by}.")
    counts = found.tally
    click.echo(f"Facts on the pages: {counts['sourced']} cite an article, {counts['curator']} are the curator's "
               f"additions, {counts['uncited']} cite no source.")


@cli.command()
@click.argument("kind", type=click.Choice([kind.value for kind in Kind]))
@click.argument("id_", metavar="ID")
@click.option("--title", default="", help="The headline, name or title to fill in.")
@click.option("--from", "from_file", type=click.File(encoding="utf-8"),
              help="A text file with the article's text: its header lines (address, byline, dateline, outlet, "
                   "headline) fill in fields, the rest becomes the body, and names in it are proposed as ids.")
@click.option("--distinct", is_flag=True,
              help="The new record looks like an existing one but is someone or something else: say so.")
@project_option
def new(kind: str, id_: str, title: str, from_file: TextIO | None, distinct: bool, root: Path) -> None:
    """Start a new record: content/<kind>/<ID>.md with every field explained."""
    from ..load.load import load
    from ..pipeline import Project, check as check_archive
    from .scaffold import scaffold

    project = Project(root.resolve())
    archive, _ = check_archive(project)  # proposals need a valid archive; without one, none are made
    sources = load(project.content, project.root).sources  # look-alikes and outlets, valid or not
    text = from_file.read() if from_file else ""
    path = scaffold(Kind(kind), id_, project.root, archive, title=title, text=text, sources=sources,
                    distinct=distinct)
    click.echo(f"Wrote {path.relative_to(project.root)}. Fill in the TODOs, then run 'archive check'.")


@cli.command()
@click.option("--base", required=True, help="The branch or commit the pull request is compared with, e.g. origin/main.")
@project_option
def changes(base: str, root: Path) -> None:
    """Say in Markdown what the working tree adds, changes and removes against BASE, and how the facts of
    what it touches rest: the check workflow writes it into a pull request's job summary."""
    from subprocess import CalledProcessError

    from .pull_request import summary

    try:
        click.echo(summary(root.resolve(), base), nl=False)
    except CalledProcessError as err:
        raise click.ClickException(f"git could not compare with '{base}': {err.stderr.decode().strip()}. "
                                   "Give a branch or commit git knows (fetch it first)") from None


@cli.command()
@project_option
def schema(root: Path) -> None:
    """Write what the model's fields generate: the JSON Schemas of the front matter into schemas/, for editors,
    those of the downloads into schemas/export/, and CONTRIBUTING.md's field reference."""
    from ..outputs.data.schemas import write_export_schemas
    from .field_reference import write_reference
    from .schema_export import write_schemas

    schemas = root.resolve() / "schemas"
    for path in [*write_schemas(schemas), *write_export_schemas(schemas / "export")]:
        click.echo(f"Wrote {path.relative_to(root.resolve())}")
    if write_reference(root.resolve() / "CONTRIBUTING.md"):
        click.echo("Wrote the field reference in CONTRIBUTING.md")


@cli.command()
@project_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True,
              help="Address to serve on: the loopback address, any port.")
def serve(root: Path, dev_addr: str) -> None:
    """Preview the site, from the last build brought up to date; a saved edit in content/ shows in the
    open browser about a second later."""
    from ..pipeline import Project, tidy
    from ..preview.serve import LOOPBACK, serve as preview

    host, _, port = dev_addr.rpartition(":")
    if host.strip("[]") not in LOOPBACK or not port.isdigit():
        raise click.BadParameter(f"'{dev_addr}': serve on the loopback address only, e.g. 127.0.0.1:8000",
                                 param_hint="--dev-addr")
    if not 1 <= int(port) <= 65535:
        raise click.BadParameter(f"'{dev_addr}': the port is a number from 1 to 65535, e.g. 127.0.0.1:8000",
                                 param_hint="--dev-addr")
    project = Project(root.resolve())
    for warning in tidy(project):  # what a killed build left; a site/ it left missing comes back
        click.echo(str(warning), err=True)
    try:
        preview(project, host.strip("[]"), int(port), echo=lambda line: click.echo(line, err=True))
    except OSError as err:  # the port is taken
        raise click.ClickException(f"cannot serve on {dev_addr}: {err.strerror}") from None


@cli.group()
def server() -> None:
    """A build server: holds what the last build worked out, so that 'archive build' after an edit does only
    what the edit changed (seconds, not a minute, at 10,000 articles). It saves its state after each build."""


idle_option = click.option("--idle", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
                           help="Stop after this many minutes without a build (it holds the archive in memory).")


@server.command("start")
@project_option
@idle_option
@jobs_option
def server_start(root: Path, idle: float, jobs: int | None) -> None:
    """Start the project's build server; return once it is ready. 'archive build' then hands it its work."""
    from .server import start

    pid, seconds = start(root.resolve(), idle, jobs)
    click.echo(f"Build server ready (process {pid}) in {seconds:.1f} s; 'archive build' hands it its work until "
               f"'archive server stop', or {idle:g} minutes without a build.")


@server.command("stop")
@project_option
def server_stop(root: Path) -> None:
    """Stop the project's build server, once it has saved what it holds."""
    from .server import stop

    pid = stop(root.resolve())
    click.echo(f"Build server stopped (process {pid})." if pid else "No build server runs for this project.")


@server.command("run", hidden=True)
@project_option
@idle_option
@jobs_option
def server_run(root: Path, idle: float, jobs: int | None) -> None:
    """The server's own process ('archive server start' starts it in the background)."""
    from .server import serve as run_server

    run_server(root.resolve(), idle, jobs)


def main() -> None:
    cli(prog_name="archive")

