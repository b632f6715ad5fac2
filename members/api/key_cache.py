"""API keys kept in the cache with their user and the user's permissions, so that a request authenticated
by a key costs no query.

A key is looked up by the hash of its secret at every request (`ApiKeyAuthentication`); the lookup joins the
key, its user and its organisation, and the permissions (which say coordinator or partner) take two more
queries. Together they made up most of an API answer served from the cache of answers. So the key, as
loaded, and the permissions are kept under the hash of the secret, with the data version
(`members.stats_version`) they were read under:

- an entry of another version is not used: a saved user (moved to another organisation, deactivated, given
  other groups), a saved organisation or a changed role replaces the version (`answer_cache`);
- saving or deleting the key itself (a revocation) does not replace the version (no statistic reads keys,
  and a key is stamped at each use), so it removes the entry, at once and again on commit: a request that
  read the key before the commit cannot keep it past it.

The entry and the version are read in one round trip, with the request's rate limits and cached answer when they
can be guessed (`members.api.speculation`). Whether the key is revoked, expired or moved is
checked on what was loaded, as for a key read from the database (`ApiKeyAuthentication`). `API_CACHE_TIMEOUT=0`
turns this cache off with the cache of answers.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from ..api_keys import ApiKey
from ..stats_version import VERSION_KEY, stats_version
from .throttling import count_in_windows

KEY_PREFIX = "ptce:api:key"


@dataclass(frozen=True)
class KeptKey:
    version: str
    key: ApiKey  # with its user and organisation loaded (select_related)
    permissions: frozenset[str]


@dataclass(frozen=True)
class LoadedKey:
    key: ApiKey | None  # None: no key has that secret
    version: str  # the data version it was loaded under ("" with the cache off)
    counted: list[tuple[int, int]]  # what was asked along with it (`load_key`)
    read: list


def load_key(secret_hash: str, *, windows: list[tuple[str, int]] = (), reads: list[str] = ()) -> LoadedKey:
    """The key whose secret hashes to `secret_hash`, with its user's permissions loaded, and the data version
    it stands for. In the same round trip, the rate-limit `windows` are counted and the values under `reads`
    read, as by `throttling.count_in_windows`."""
    if settings.API_CACHE_TIMEOUT <= 0:
        counted, values = count_in_windows(list(windows), list(reads)) if windows or reads else ([], [])
        return LoadedKey(_key_from_database(secret_hash), "", counted, values)
    entry_key = _entry_key(secret_hash)
    counted, values = count_in_windows(list(windows), [VERSION_KEY, entry_key, *reads])
    version = values[0] or stats_version()
    kept = values[1]
    if kept is not None and kept.version == version:
        _give_permissions(kept.key.user, kept.permissions)
        return LoadedKey(kept.key, version, counted, values[2:])
    key = _key_from_database(secret_hash)
    if key is not None:
        permissions = frozenset(ModelBackend().get_all_permissions(key.user))
        keep_key(key, version=version, permissions=permissions)
        _give_permissions(key.user, permissions)
    return LoadedKey(key, version, counted, values[2:])


def keep_key(key: ApiKey, *, version: str, permissions: frozenset[str] | None = None) -> None:
    """Keep `key` as it is now (after its last use was stamped, say)."""
    if permissions is None:
        permissions = frozenset(key.user._perm_cache)
    cache.set(_entry_key(key.secret_hash), KeptKey(version, key, permissions), settings.API_CACHE_TIMEOUT)


def _key_from_database(secret_hash: str) -> ApiKey | None:
    return ApiKey.objects.select_related("user", "member").filter(secret_hash=secret_hash).first()


def _give_permissions(user, permissions: frozenset[str]) -> None:
    # ModelBackend's own attribute, which has_perm() reads instead of querying (the project's only backend).
    # An inactive user or a superuser is refused or allowed before it is read.
    user._perm_cache = set(permissions)


def _entry_key(secret_hash: str) -> str:
    return f"{KEY_PREFIX}:{secret_hash}"


def _forget_key(sender, instance: ApiKey, **kwargs) -> None:
    entry_key = _entry_key(instance.secret_hash)
    cache.delete(entry_key)
    transaction.on_commit(lambda: cache.delete(entry_key))


post_save.connect(_forget_key, sender=ApiKey, dispatch_uid="members.api.key_cache.saved")
post_delete.connect(_forget_key, sender=ApiKey, dispatch_uid="members.api.key_cache.deleted")
