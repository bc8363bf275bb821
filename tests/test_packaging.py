"""The builder installed from its wheel, not editable, as a user installs it: it holds everything and builds a site.

An editable install runs the source tree itself, so it cannot tell a module or template the wheel
leaves out; these tests build the wheel, look inside it, and run the copy it installs.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from archive_kit import ROOT, make_project

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pip(*args: str | Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, args)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel pip builds from a copy of the source (the build writes beside it; the checkout stays clean)."""
    source = tmp_path_factory.mktemp("source")
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copy(ROOT / "README.md", source)
    shutil.copytree(ROOT / "builder", source / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    # The pinned setuptools of requirements-test.lock builds it: nothing is fetched.
    _pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", out, source)
    [built] = out.glob("*.whl")
    return built


def shipped_source() -> set[str]:
    """What the builder is made of: every file of builder/ that git tracks (modules, templates at any
    depth); an editor's swap file is not one."""
    listed = subprocess.run(["git", "ls-files", "builder"],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    return {name for name in listed.stdout.splitlines() if (ROOT / name).is_file()}


def test_the_wheel_holds_every_module_and_template(wheel):
    expected = shipped_source()
    assert "builder/cli/scaffolds/letter.md.j2" in expected and "builder/outputs/search/index.py" in expected
    assert "builder/derive/maps/countries-110m.json" in expected and "builder/derive/maps/LICENSE" in expected
    missing = expected - set(zipfile.ZipFile(wheel).namelist())
    assert not missing, f"not in the wheel (see [tool.setuptools] in pyproject.toml): {sorted(missing)}"


def test_the_installed_copy_builds_a_site(wheel, tmp_path):
    # A fresh environment holding only the installed wheel, its dependencies taken from this one by a
    # path file: a path file adds a folder but runs none of the path files in it, so the editable
    # install's finder, which would fall back to the source tree, stays out.
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env], check=True)
    [site_packages] = env.glob("lib/python*/site-packages")
    (site_packages / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    _pip("--python", env / "bin" / "python", "install", "--no-deps", "--no-index", wheel)
    project = tmp_path / "project"  # outside the checkout: nothing of the source tree is on the path
    project.mkdir()
    # A place with coordinates: its page draws its map from the base map the wheel must carry.
    make_project(project, {"places/lakeside.md": LAKESIDE_ON_THE_MAP})
    where = subprocess.run([env / "bin" / "python", "-c", "import builder; print(builder.__file__)"],
                           cwd=project, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(site_packages)
    done = subprocess.run([env / "bin" / "archive", "build"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Built ")
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "letters" / "index.html").is_file()
    assert 'class="place-map__land"' in (project / "site" / "places" / "lakeside.html").read_text(encoding="utf-8")


LAKESIDE_ON_THE_MAP = """
    ---
    name: Lakeside
    coordinates: {longitude: 10.5, latitude: 50.25}
    curator: {coordinates: "GeoNames 1"}
    ---
    """


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _name(requirement: str) -> str:
    """A requirement's project name, normalised as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


def test_every_imported_package_is_declared_and_pinned():
    imported = set().union(*map(_imported, (ROOT / "builder").rglob("*.py")))
    third_party = imported - set(sys.stdlib_module_names) - {"builder"}
    providers = packages_distributions()
    declared = {_name(requirement) for requirement in PYPROJECT["project"]["dependencies"]}
    pinned = {_name(line) for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")}
    for module in sorted(third_party):
        projects = {_name(name) for name in providers.get(module, [module])}
        assert projects & declared, f"builder imports {module}: add it to [project] dependencies"
        assert projects & pinned, f"builder imports {module}: pin it in requirements.lock"
