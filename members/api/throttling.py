"""Rate limits of the API: one budget per key, and one per user across its session and all its keys.

Rates come from settings (API_THROTTLE_KEY_RATE, API_THROTTLE_USER_RATE, e.g. "1000/hour"; empty turns
the limit off). Counts live in the default cache, which must be shared by the web processes (CACHE_URL
pointing at Redis) for the limits to hold across them. Over the limit the API answers 429 with
`Retry-After` and the code `throttled`.

A budget is a window that opens with its first request and lasts the rate's period (an hour): a counter in
the cache. Both budgets of a request are counted and read in one round trip with Redis, along with the answer
the view may find in its cache (members.api.answer_cache); with a key this process has seen, by the key's
authentication, with the key's entry (members.api.speculation). DRF's own throttles keep the time of every request
of the period instead (up to 1,000 for "1000/hour"), read and written back at each request, two round trips
per budget, for a sliding window that the API's clients gain nothing from. `Retry-After` says when the window
closes; a refused request counts too, so asking again and again does not help.
"""

import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from ..api_keys import ApiKey

# Not DRF's `throttle_api_key_<id>`: under those names a cache may still hold DRF's lists of times, which a
# counter cannot be added to.
KEY_PREFIX = "ptce:rate"
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}  # DRF's rate syntax: "1000/hour", "10/s"


class ApiRateThrottle(BaseThrottle):
    seconds_left = None

    def allow_request(self, request, view):
        key_pk = request.auth.pk if isinstance(request.auth, ApiKey) else None
        user_pk = request.user.pk if request.user and request.user.is_authenticated else None
        budgets = budgets_of(key_pk=key_pk, user_pk=user_pk)
        if not budgets:
            return True
        # A key's authentication may have counted them already, with the key's entry (members.api.speculation).
        counted = dict(getattr(request, "counted_windows", {}))
        windows = [(key, seconds) for key, _, seconds in budgets if key not in counted]
        # The cached answer a view may serve is read in the same round trip (members.api.answer_cache).
        already_read = getattr(request, "cache_reads", {})
        to_read = getattr(view, "cache_key_to_read", lambda request: None)(request)
        reads = [to_read] if to_read and to_read not in already_read else []
        if windows or reads:
            counted_now, values = count_in_windows(windows, reads=reads)
            counted.update(zip((key for key, _ in windows), counted_now, strict=True))
            request.cache_reads = {**already_read, **dict(zip(reads, values, strict=True))}
        over = [counted[key][1] for key, allowed, _ in budgets if counted[key][0] > allowed]
        self.seconds_left = max(over, default=None)
        return not over

    def wait(self):
        return self.seconds_left


def budgets_of(*, key_pk: int | None, user_pk: int | None) -> list[tuple[str, int, int]]:
    """(counter's key, requests allowed, seconds of the window) of each budget a request made with the key
    `key_pk` (None: without a key) by the user `user_pk` (None: anonymous) draws on."""
    # Read at each request rather than when DRF's module is imported, so that a changed setting (tests,
    # REST_FRAMEWORK overridden) is honoured.
    rates = api_settings.DEFAULT_THROTTLE_RATES
    owners = []
    if key_pk is not None and rates.get("api_key"):
        owners.append((f"key:{key_pk}", rates["api_key"]))
    if user_pk is not None and rates.get("api_user"):
        owners.append((f"user:{user_pk}", rates["api_user"]))
    budgets = []
    for owner, rate in owners:
        allowed, seconds = parse_rate(rate)
        # The window's length is in its key: after a change of period ("/hour" to "/minute"), a window
        # opened under the old one would otherwise last as long as the old period.
        budgets.append((f"{KEY_PREFIX}:{owner}:{seconds}", allowed, seconds))
    return budgets


def parse_rate(rate: str) -> tuple[int, int]:
    """The requests allowed and the seconds of the window: "1000/hour" → (1000, 3600)."""
    allowed, period = rate.split("/")
    return int(allowed), SECONDS[period[0]]


def count_in_windows(windows: list[tuple[str, int]], reads: list[str] = ()) -> tuple[list[tuple[int, int]], list]:
    """Count one more request under each key of `windows` (key, seconds): for each, the requests counted in its
    window, this one included, and the seconds left in it. Also the values under `reads` (None if absent)."""
    if hasattr(cache, "count_in_windows"):  # ptce.redis_cache: one round trip
        return cache.count_in_windows(windows, reads)
    # Any other cache (the embedded default's local memory, one process): the window's end is kept beside it.
    counted = []
    now = time.time()
    for key, seconds in windows:
        cache.add(f"{key}:ends", now + seconds, seconds)
        cache.add(key, 0, seconds)
        left = (cache.get(f"{key}:ends") or now + seconds) - now
        counted.append((cache.incr(key), max(int(left), 1)))
    return counted, [cache.get(key) for key in reads]
