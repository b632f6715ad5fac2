"""The longest query of the dashboard, run on a second database connection while the page computes the rest.

The coordinator dashboard computed after a write spends half its SQL time in one scan of the pole's streams
(100,000 streams joined to their sites and members: ~90 ms), while its other queries and its Python take
another ~200 ms, one after the other on a single connection. PostgreSQL runs each connection's queries on a
core of its own: started first on a connection of its own, the scan runs beside the rest of the page (on one
core: PostgreSQL would otherwise give it parallel workers on every core, and the page would wait for them).

Only on PostgreSQL and outside a transaction: a second connection does not see what a transaction has not
committed (tests run inside one), and SQLite's test database lives in the connection. There, and wherever
the result would differ, the function simply runs in place. Each process keeps one thread (and so one extra
connection, closed when obsolete or broken as the request threads' are), created after gunicorn forked: its
sync workers serve one request at a time, and a second request of a threaded server waits for the first's scan.
"""

import os
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connection, connections
from django.utils import translation

_executor: ThreadPoolExecutor | None = None
_executor_pid: int | None = None


def in_background(function, /, **kwargs) -> Future:
    """`function(**kwargs)` on the process's background connection, or at once where it could not see the
    same data (see the module docstring); `.result()` gives its value either way."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        done = Future()
        done.set_result(function(**kwargs))
        return done
    language = translation.get_language()

    def run():
        background = connections["default"]  # this thread's own connection
        background.close_if_unusable_or_obsolete()
        with background.cursor() as cursor:
            # Alone, the scan would take every core with parallel workers and leave none to the page.
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        try:
            with translation.override(language):  # labels in the request's language
                return function(**kwargs)
        finally:
            background.close_if_unusable_or_obsolete()  # as a request's connection is once it is answered

    return _this_process_executor().submit(run)


def _this_process_executor() -> ThreadPoolExecutor:
    global _executor, _executor_pid
    # A forked worker inherits the executor object but not its thread.
    if _executor is None or _executor_pid != os.getpid():
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stats-background")
        _executor_pid = os.getpid()
    return _executor


def close_background_connection() -> None:
    """Close this process's background connection, if it has one (a test database is dropped at the end of a
    test session only once nothing is connected to it)."""
    if _executor is not None and _executor_pid == os.getpid():
        _executor.submit(connections.close_all).result()
