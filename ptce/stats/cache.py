"""A cache of computed statistics that is never stale: every entry is keyed by a data version that any
write to the pole's data replaces.

The dashboard's aggregates read the whole pole (100,000 streams take 150–300 ms to scan on a 2-core machine),
and they change only when someone writes: the figures are computed once per data version and reused by
every request of the same visibility until the next write.

    payload = cached_stats("summary", user=user, filters=filters, compute=lambda: kpi_summary(...))

The key holds what decides the figures: the data version, what the user may see (the coordination, one
member's organisation, or what is shared with anyone), the language of the labels and the filters.

The version is a random token in the cache (`members.stats_version`: shared by every process with Redis,
per process with the local-memory cache). A saved or deleted row of the members, streams, matches or
projects apps replaces it, at once and again on commit. Writes that send no signal (bulk or raw SQL
writes: imports, the matching engine's persistence) call `members.stats_version.stats_version_bump()`
themselves; entries also expire after `settings.STATS_CACHE_TIMEOUT` seconds (0: no cache, every figure
computed; the default without a cache shared by every process, see ptce/settings.py).
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from members.stats_version import stats_version, stats_version_bump

STATS_APPS = {"members", "waste_flows", "projects"}
# Rows of those apps that no figure reads: logins save the user, API calls stamp their key.
IGNORED_MODELS = {"user", "historicaluser", "apikey", "invitation"}


def bump_data_version() -> None:
    """Every cached figure is recomputed on its next request."""
    stats_version_bump()


def visibility(user) -> str:
    """What decides which rows the statistics read and which figures are masked (`scope`, `masking`)."""
    if user.is_coordinator:
        return "coordination"
    return f"member:{user.member_id}" if user.member_id else "shared"


def cached_stats(name: str, *, user, filters, compute: Callable):
    """`compute()`, or its result for the same data, visibility, language and filters."""
    if settings.STATS_CACHE_TIMEOUT <= 0:
        return compute()
    filters_hash = hashlib.sha1(repr(filters).encode()).hexdigest()
    key = f"ptce:stats:{stats_version()}:{name}:{visibility(user)}:{get_language()}:{filters_hash}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.STATS_CACHE_TIMEOUT)
    return value


def _on_write(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in STATS_APPS or meta.model_name in IGNORED_MODELS:
        return
    stats_version_bump()


# Connected when the statistics are first imported: the URLconf imports them before any request is served.
post_save.connect(_on_write, dispatch_uid="ptce.stats.cache.post_save")
post_delete.connect(_on_write, dispatch_uid="ptce.stats.cache.post_delete")
m2m_changed.connect(_on_write, dispatch_uid="ptce.stats.cache.m2m_changed")
