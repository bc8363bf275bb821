"""`make bag`: the built site and its data exports as a BagIt bag (RFC 8493), checkable years later.

A bag is a folder: the payload under data/ (here the whole of site/, its data/
downloads included), manifests giving every payload file's SHA-256 and SHA-512,
and bag-info.txt saying what it is. Anyone can check a copy with the `bagit`
package alone: `python -m bagit --validate DIR`. The bag is made beside its
destination and swapped in, so a failed run leaves the previous bag whole.
Bagging-Date is the content's date, the one the build stamps on the sitemap
(SOURCE_DATE_EPOCH, else the latest day a record's date reaches), not the clock's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any

import bagit  # type: ignore[import-untyped]  # no stubs; used for make_bag and Bag only

from ..derive.history import build_epoch, site_settings
from ..pipeline import Project, check

DEFAULT = Path("build") / "leaders-letters-bag"
CHECKSUMS = ["sha256", "sha512"]


def content_date(root: Path) -> str:
    """The date the content is of, as the build stamps it: SOURCE_DATE_EPOCH if set, else the latest
    day a record's date reaches (the cache makes this check quick after a build)."""
    archive, _ = check(Project(root))
    if archive is None:
        raise ValueError(f"{root / 'content'}: the archive has errors; run 'archive check' and fix them first")
    epoch = build_epoch(archive)
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()


def bag_info(settings: dict[str, Any], bagging_date: str) -> dict[str, str]:
    name = str(settings.get("site_name") or "Leaders' Letters")
    about = " ".join(str(settings.get("site_description") or "").split())
    info = {
        "Source-Organization": name,
        "Bagging-Date": bagging_date,
        "External-Description": " ".join(filter(None, [
            f"{name}.", about, "The built website (open data/index.html in a browser; it works from disk) "
            "and its data downloads (data/data/)."])),
    }
    if isinstance(settings.get("site_url"), str):
        info["External-Identifier"] = settings["site_url"]
    return info


def make_bag(site: Path, dest: Path, info: dict[str, str]) -> bagit.Bag:
    """Copy `site` into a new bag at `dest`, replacing the bag there only once the new one is made."""
    if not (site / "index.html").exists():
        raise ValueError(f"{site}: no built site here. Build it first (make site)")
    staging = dest.with_name(dest.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(site, staging)
    bagit.make_bag(str(staging), info, processes=1, checksums=CHECKSUMS)  # moves the copy into data/
    old = dest.with_name(dest.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        dest.rename(old)
    staging.rename(dest)
    shutil.rmtree(old, ignore_errors=True)
    return bagit.Bag(str(dest))  # read again where it now lies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m builder.bag", description=__doc__.splitlines()[0])
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT, help=f"the bag's folder (default {DEFAULT})")
    parser.add_argument("--root", type=Path, default=Path("."), help="the project folder (holding mkdocs.yml)")
    args = parser.parse_args(argv)
    site = args.root / "site"
    try:
        info = bag_info(site_settings(args.root / "mkdocs.yml"), content_date(args.root))
        bag = make_bag(site, args.dest, info)
    except (ValueError, OSError, bagit.BagError) as err:
        print(f"bag: {err}", file=sys.stderr)
        return 1
    size, _, files = str(bag.info.get("Payload-Oxum", "0.0")).partition(".")  # "bytes.files"
    print(f"Bagged {files} files ({int(size) / 1e6:.1f} MB) into {args.dest}; "
          f"check a copy with: python -m bagit --validate {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
