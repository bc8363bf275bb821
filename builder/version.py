"""The builder's version: what every cache and saved state is kept under, and a build server is asked by.

Its own module, light to import: `archive build` asks a build server (cli/server.py) whether it runs
this version before loading anything else.
"""

from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # builder/: any change to it drops the caches


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """The builder's version: its Python source, templates and pinned requirements."""
    h = hashlib.sha256(sys.version.encode())
    pinned = [PACKAGE.parent / name for name in ("requirements.lock", "pyproject.toml")]
    for path in sorted(PACKAGE.rglob("*")) + pinned:
        if path.is_file() and path.suffix in (".py", ".j2", ".lock", ".toml") and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
