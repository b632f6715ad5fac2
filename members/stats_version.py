"""The version of the pole's data that cached statistics are keyed by (`ptce.stats.cache`).

Here, in the lowest app, so that every app can bump it: a write that sends no model signal (a bulk
`update()` or `bulk_create`, raw SQL such as the matching engine's persistence, an import) calls
`stats_version_bump()` once it has written. Rows saved or deleted one by one bump it through signals.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal

VERSION_KEY = "ptce:stats:version"

# Sent once a write that changed the version is committed: the statistics warm their most read figures
# for the new data (`ptce.stats.warmup`). Receivers get no arguments but the sender.
stats_version_committed = Signal()


def stats_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # `add` keeps the token another process may have set meanwhile.
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or ""
    return version


def stats_version_bump() -> None:
    """A new token, at once and again on commit: a request computing from the data before the commit
    cannot keep its figures past it. A random token, not a counter, so that a version evicted from the
    cache cannot come back and revive old entries."""
    _new_token()
    transaction.on_commit(_committed)


def _committed() -> None:
    _new_token()
    stats_version_committed.send(sender=None)


def _new_token() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
