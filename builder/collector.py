"""The cyclic garbage collector, paused where a build makes millions of objects and no garbage.

Python collects its oldest generation each time the objects that outlived the younger
ones grow by a quarter: while a state is unpickled, or the search index's postings are
made, that is again and again over every object the build holds, and none of them is
in a cycle. Up to three quarters of those steps' time went to it.

A run after an edit makes few objects, and few cycles among them, beside the millions it
restored: at 10,000 articles full collections took 5.5 s of an 18 s `archive build` after
an edit. Such a run goes without the collector (pipeline.build, the preview's rebuild).

A whole build keeps it for what it derives and its pages, whose cycles would hold hundreds
of megabytes. What it reads, links and checks first lives as long as the build, and leaves
little garbage (at 1,000 articles 11 objects on 2 workers, 45,000 of 467,000 in one
process): those stages go without the collector and set aside what they made
(pipeline.check), as does each fork (forks.py), so that later collections walk only what
came after. At 10,000 articles the build's own process had spent 19 s of 224 s in full
collections, 7 s of them while linking. A process that lives on (the build server, the
preview) collects all it set aside once nobody waits; a clean build alone, as its pages'
workers start (the archive and its records: pipeline.regenerate), and once its pages are
made, before it sets MkDocs up (pipeline._built).
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache


@contextmanager
def paused(when: bool = True, set_aside: bool = False) -> Iterator[None]:
    """No cyclic collection inside (`when`); as before after (reference counting frees as usual throughout).

    `set_aside`: what was made meanwhile and still lives is then set aside (gc.freeze): left as it is,
    the collector's next pass would walk every object the run restored or made (a second at 10,000
    articles) to find little or nothing to free. Garbage set aside stays until something unfreezes it:
    `archive build` ends soon after, and the preview collects it once nobody waits (Preview.rest)."""
    enabled = gc.isenabled()
    if when:
        gc.disable()
    try:
        yield
    finally:
        if when and set_aside:
            gc.freeze()
        if enabled:
            gc.enable()


def collect() -> None:
    """Collect what was set aside and is garbage now, and set aside again what lives on: one pass over
    every object the process holds (3 s at 10,000 articles in the build server)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def give_back() -> None:
    """Return to the system the memory freed so far that the C heap still holds (glibc's malloc_trim;
    elsewhere nothing). glibc gives back on its own only what is free at the top of its heap: what a
    build freed below lives on stays resident, and a later stage's new objects land elsewhere. At
    10,000 articles a clean build alone goes from 927 to 872 MB before MkDocs, with the collection
    there (pipeline.py)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:  # the process's own symbols: the C library it runs on
        trim: Callable[[int], int] = getattr(ctypes.CDLL(None), "malloc_trim")
        return trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): its allocator does as it does
        return None
