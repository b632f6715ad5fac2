"""What a request made with an API key will read from the cache, guessed from the last request this process
saw with the same key, so that it is all read in one round trip with Redis.

A request answered from the cache reads the key's entry and the data version (`key_cache`), counts its rate
limits (`throttling`) and reads the answer (`answer_cache`). The counters are named after the key and its user,
and the answer after the user's audience and the data version: none of them is known before the key's entry
is read, so they took a second round trip. Yet a key's user does not change, nor, most of the time, its
audience and the data version between two requests. So each process remembers, for the keys it has seen,
the key, its user, the user's audience and the data version, and reads ahead what those give along with the
key's entry.

A wrong guess costs nothing but the second round trip, never a wrong answer: what was read ahead is stored
on the request under the exact keys it was read under (`request.counted_windows`, `request.cache_reads`),
and the rate limits and the answers' cache take from there only what they would read themselves once the
key is loaded and checked; the rest they read as before. A counter counted on a wrong guess (the key was
revoked, its user changed) counts one request more against a budget, which only a key's owner draws on.
And as the counting now comes before the checks of scopes and permissions, a request they refuse has counted
too, as one over the limit does (`throttling`).
"""

from dataclasses import dataclass

from django.conf import settings

from ..api_keys import ApiKey
from .answer_cache import CachedAnswersMixin, audience_of
from .throttling import ApiRateThrottle, budgets_of

# Only keys that authenticated a request are remembered, one entry each: a process sees a few hundred.
MAX_REMEMBERED = 10_000


@dataclass(frozen=True)
class Seen:
    key_pk: int
    user_pk: int
    audience: str
    version: str


_seen: dict[str, Seen] = {}


def reads_ahead(request, secret_hash: str) -> tuple[list[tuple[str, int]], list[str]]:
    """The rate-limit windows (key, seconds) to count and the cache keys to read with the entry of the key
    whose secret hashes to `secret_hash`: none for a key this process has not seen."""
    seen = _seen.get(secret_hash)
    view = request.parser_context.get("view")
    if seen is None or view is None or settings.API_CACHE_TIMEOUT <= 0:
        return [], []
    windows = []
    if any(issubclass(throttle, ApiRateThrottle) for throttle in view.throttle_classes):
        windows = [(key, seconds) for key, _, seconds in budgets_of(key_pk=seen.key_pk, user_pk=seen.user_pk)]
    reads = []
    # The answer's key holds the negotiated media type: only once the view has negotiated it.
    if isinstance(view, CachedAnswersMixin) and hasattr(request, "accepted_renderer"):
        answer = view.cache_key_for(request, audience=seen.audience, version=seen.version)
        reads = [answer] if answer else []
    return windows, reads


def remember(secret_hash: str, key: ApiKey, version: str) -> None:
    """Note what a request made with `key`, which authenticated it, read under the data `version`."""
    if len(_seen) >= MAX_REMEMBERED and secret_hash not in _seen:
        _seen.clear()
    _seen[secret_hash] = Seen(key.pk, key.user_id, audience_of(key.user), version)


def forget(secret_hash: str) -> None:
    _seen.pop(secret_hash, None)


def forget_all() -> None:
    _seen.clear()
