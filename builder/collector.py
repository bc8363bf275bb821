"""The cyclic garbage collector, paused where a build makes millions of objects and no garbage.

Python collects its oldest generation each time the objects that outlived the younger
ones grow by a quarter: while a state is unpickled, or the search index's postings are
made, that is again and again over every object the build holds, and none of them is
in a cycle. Up to three quarters of those steps' time went to it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside; as before after (reference counting frees as usual throughout)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
