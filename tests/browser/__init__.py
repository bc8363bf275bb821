"""Browser tests of the built site (issue #3).

A package, so its conftest is imported as browser.conftest and never shadows tests/conftest.py
for modules that import from `conftest`. Its helper modules (browser_kit, axe_kit, link_kit)
are imported by plain name, like tests/'s own kits, so this folder goes on sys.path.
"""

import sys
from pathlib import Path

if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))
