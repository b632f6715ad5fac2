"""Rate limits of the API: one budget per key, and one per user across its session and all its keys.

Rates come from settings (API_THROTTLE_KEY_RATE, API_THROTTLE_USER_RATE, e.g. "1000/hour"; empty turns
the limit off). Counts live in the default cache, which must be shared by the web processes (CACHE_URL
pointing at Redis) for the limits to hold across them. Over the limit the API answers 429 with
`Retry-After` and the code `throttled`.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from ..api_keys import ApiKey


class ReloadedRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        # DRF binds the rates when its module is imported; read them at each request instead, so that a
        # changed setting (in tests, or REST_FRAMEWORK overridden) is honoured.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class ApiKeyRateThrottle(ReloadedRateThrottle):
    scope = "api_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiUserRateThrottle(ReloadedRateThrottle):
    scope = "api_user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
