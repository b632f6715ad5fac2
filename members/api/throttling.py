"""Rate limits of the API: one budget per key, and one per user across its session and all its keys.

Rates come from settings (API_THROTTLE_KEY_RATE, API_THROTTLE_USER_RATE, e.g. "1000/hour"; empty turns
the limit off). Counts live in the default cache, which must be shared by the web processes (CACHE_URL
pointing at Redis) for the limits to hold across them. Over the limit the API answers 429 with
`Retry-After` and the code `throttled`.

A budget is a window that opens with its first request and lasts the rate's period (an hour): a counter in
the cache, counted and read in one round trip with Redis. DRF's own throttles keep the time of every request
of the period instead (up to 1,000 for "1000/hour"), read and written back at each request: two round trips
and the whole list each time, for a sliding window that the API's clients gain nothing from. `Retry-After`
says when the window closes.
"""

import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from ..api_keys import ApiKey


class WindowRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        # DRF binds the rates when its module is imported; read them at each request instead, so that a
        # changed setting (in tests, or REST_FRAMEWORK overridden) is honoured.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        count, self.seconds_left = count_in_window(key, self.duration)
        return count <= self.num_requests

    def wait(self):
        return self.seconds_left


def count_in_window(key: str, seconds: int) -> tuple[int, int]:
    """The requests counted under `key` in its window, this one included, and the seconds left in it."""
    if hasattr(cache, "count_in_window"):  # ptce.redis_cache: atomic, one round trip
        return cache.count_in_window(key, seconds)
    # Any other cache (the embedded default's local memory, one process): the window's end is kept beside it.
    ends_key = f"{key}:ends"
    now = time.time()
    cache.add(ends_key, now + seconds, seconds)
    cache.add(key, 0, seconds)
    count = cache.incr(key)
    return count, max(int((cache.get(ends_key) or now + seconds) - now), 1)


class ApiKeyRateThrottle(WindowRateThrottle):
    scope = "api_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiUserRateThrottle(WindowRateThrottle):
    scope = "api_user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
