"""Work split among forked processes, one per core: MkDocs' pages (write/shards.py), the records' own
pages (record_pages.py) and their checks (rechecks.py). write/ahead.py forks a process of its own with
the same care (die_with_parent, picklable, ended).

A forked worker starts with everything this process holds (the linked archive, MkDocs'
setup), shared copy-on-write: nothing is pickled on the way in. Each runs `work(shard)`
and sends back its result, pickled into a pipe as this process reads it (a worker's pages,
received whole before being read, held 120 MB more at 10,000 articles); this process waits
for them all. With one worker the work runs here, the same function: a build makes its
pages one way on any machine.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import wait
from typing import IO, Any, TypeVar

R = TypeVar("R")
T = TypeVar("T")
_PR_SET_PDEATHSIG = 1
RUN = 50  # records next to each other a worker takes together (dealt)
LEAST = 500  # the fewest records worth a worker of their own: forking one and sending back cost about that much


def default_jobs() -> int:
    """The cores this process may run on."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counted is not None:
        return int(counted() or 1)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class WorkerFailed(Exception):
    """A worker could not do its share: what it was doing, and why."""


def forked(work: Callable[[int], R], workers: int, what: str, meanwhile: Callable[[], None] | None = None
           ) -> list[R]:
    """`work(shard)` for each shard in 0 … workers - 1, each in a forked process (here if one); the results
    in shard order. A worker's exception is raised here; one killed, or out of memory, raises WorkerFailed
    saying `what` it was doing. Stopping the build (or one worker failing) stops every worker.
    `meanwhile()`: what this process lets go of once no work reads it, before the results come back
    (after the work, if it ran here)."""
    if workers <= 1:
        done = [work(0)]
        if meanwhile is not None:
            meanwhile()
        return done
    context = multiprocessing.get_context("fork")
    started: list[tuple[Any, IO[bytes]]] = []
    sys.stdout.flush()  # or each worker writes what is buffered again
    sys.stderr.flush()
    # What this process holds is set aside: the workers' collector leaves it alone (fewer pages copied), and
    # so does this process's, until something collects it (collector.py; a build alone, meanwhile).
    gc.freeze()
    try:
        for shard in range(workers):
            read_end, write_end = os.pipe()
            receiving = open(read_end, "rb")
            try:
                process = context.Process(target=_work, args=(work, shard, os.getpid(), read_end, write_end),
                                          daemon=True)
                process.start()
            except BaseException:
                receiving.close()
                raise
            finally:
                os.close(write_end)  # the worker's alone: its end closed tells this process it is done
            started.append((process, receiving))
        if meanwhile is not None:
            meanwhile()
        return [_receive(process, pipe, what) for process, pipe in started]
    finally:
        for process, pipe in started:
            if process.is_alive():
                process.terminate()
            process.join()
            pipe.close()


def _work(work: Callable[[int], Any], shard: int, parent: int, receiving: int, sending: int) -> None:
    """A worker process: its share of the work, or what stopped it, sent back."""
    os.close(receiving)
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the whole build: go quietly
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        result: tuple[bool, Any] = (True, work(shard))
    except Exception as err:  # raised where one process raises it: the caller says what it means
        result = (False, picklable(err))
    with open(sending, "wb") as f:
        pickle.dump(result, f, pickle.HIGHEST_PROTOCOL)


def picklable(err: Exception) -> Exception:
    """`err` as it is if it survives pickling, else what it was, in words."""
    try:
        pickle.loads(pickle.dumps(err))
        return err
    except Exception:
        return WorkerFailed("".join(traceback.format_exception(err)))


def die_with_parent(parent: int) -> None:
    """Ask Linux to stop this worker if the build is killed, so no worker outlives it."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the build died before the request was made
        os._exit(1)


def _receive(process: Any, receiving: IO[bytes], what: str) -> Any:
    wait([receiving.fileno(), process.sentinel])
    try:
        done, result = pickle.load(receiving)
    except (EOFError, pickle.UnpicklingError):  # nothing sent, or not all: killed, or out of memory
        raise WorkerFailed(f"a worker {what} {ended(process)} before it finished") from None
    if not done:
        raise result
    return result


def ended(process: Any) -> str:
    """How a process that sent nothing back ended (it is waited for): killed by a signal, or its exit code."""
    process.join()
    code = process.exitcode
    return f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with {code}"


def workers_for(items: int, jobs: int) -> int:
    """How many workers share `items` records: up to `jobs`, one for each LEAST at most."""
    return max(1, min(jobs, items // LEAST))


def dealt(count: int, workers: int) -> list[list[int]]:
    """The places of `count` items each of `workers` takes: runs of RUN items dealt in turn. Kinds of
    records come in runs (each worker gets its share of each), and records next to each other share
    work (a month's letters, reported by the same articles, weigh the same sentences): a worker's
    caches serve its run, where every n-th item would have each worker work much of it out again."""
    return [[i for start in range(n * RUN, count, workers * RUN) for i in range(start, min(start + RUN, count))]
            for n in range(workers)]


def each(items: list[T], work: Callable[[list[T]], list[R]], jobs: int, what: str) -> list[R]:
    """`work(items)`, its results one per item in the items' order, on `workers_for` them, each given
    its runs of items (dealt)."""
    workers = workers_for(len(items), jobs)
    shares = dealt(len(items), workers)
    parts = forked(lambda n: work([items[i] for i in shares[n]]), workers, what)
    if workers == 1:
        return parts[0]
    found: list[Any] = [None] * len(items)
    for share, part in zip(shares, parts):
        for i, result in zip(share, part):
            found[i] = result
    return found
