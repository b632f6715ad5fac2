"""A cache of whole API answers, never stale: a GET is answered with the bytes an identical earlier request
got, as long as no write has happened since.

Partners and members pull the same pages again and again, and a page of 50 costs 50–120 ms of CPU (queries,
serializers, JSON), while the pole's data changes a few times a day. So a 200 to a GET or HEAD is kept, body
bytes and headers (its content type, and the ETag computed from the body, as `ApiConditionalGetMiddleware`
would), under a key made of everything that decides the body:

- the data version (`members.stats_version`): every saved or deleted row of the members, waste_flows and
  projects apps replaces it, and bulk writes call `stats_version_bump()`; an entry of an older version is
  never read again. Users are saved on every login and are left out of that rule, yet a member's full
  shape lists its users and a project's milestones name their owner: user saves other than the login's
  bump it here;
- who is asking, as far as what they see goes: coordinator or not, partner or not, their organisation and
  their role in it (the querysets, the serializers' public/full shapes, the matches' own answer and the
  projects' documents depend on nothing else). Two partners share their answers; two members never do;
- the method, scheme and host (pagination links are absolute), path, query string with its parameters
  in a canonical order (DRF writes the pagination links with sorted parameters too), the language, the
  negotiated media type (`; indent=4` changes the body) and today's date (overdue milestones, the default
  year of the statistics).

Authentication, permissions and throttling run before an answer is served from the cache (`initial()`), so a
revoked key, a missing scope or an exhausted rate still get their 401, 403 or 429, even when the answer was read
ahead with the key (`speculation`). Streamed answers (CSV and GeoJSON lists)
and the browsable API's HTML, which holds a CSRF token, are not kept.

Keys, their users and the users' permissions (which say coordinator or partner) are kept too, under the same
data version (`key_cache`): a request answered from the cache costs no query. Changes of a user's groups or
permissions bump the version (the user's groups and permissions belong to the members app; a group's
permissions are watched here).

Entries live in the default cache. With Redis (production) every process sees the same version; with the
local-memory cache each process has its own, and a write reaches the other processes' entries only when
they expire (`API_CACHE_TIMEOUT`, as for the statistics). `API_CACHE_TIMEOUT=0` turns the cache off.
"""

import hashlib
from dataclasses import dataclass
from functools import partial
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.translation import get_language
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from ..stats_version import stats_version, stats_version_bump

KEY_PREFIX = "ptce:api"
CACHED_METHODS = ("GET", "HEAD")


@dataclass(frozen=True)
class CachedAnswer:
    content: bytes
    headers: tuple[tuple[str, str], ...]  # the view's headers after rendering: Content-Type, Allow, Vary, ETag

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, headers=dict(self.headers))


def audience_of(user) -> str:
    """What decides which rows and which shape of them a user gets (see the module docstring)."""
    if not user or not user.is_authenticated:
        return "anonymous"
    return ":".join(
        [
            "coordinator" if user.is_coordinator else "-",
            "partner" if user.is_partner else "-",
            f"member={user.member_id or '-'}",
            f"role={user.member_role or '-'}",
        ]
    )


def canonical_query(query_string: str) -> str:
    """Parameters sorted by name; the values of a repeated parameter keep their order, which the answer's
    pagination links keep too."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def answer_key(request, *, audience: str, version: str) -> str:
    """The key of the answer to `request` for someone of `audience`, under the data `version`."""
    parts = [
        request.method,
        request.scheme,
        request.get_host(),
        request.path,
        canonical_query(request.META.get("QUERY_STRING", "")),
        get_language() or "",
        request.accepted_media_type or "",
        audience,
        timezone.localdate().isoformat(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"{KEY_PREFIX}:{version}:{digest}"


# Put first in the bases of a viewset: its GET answers are served from the cache (module docstring). A viewset
# whose answers change without a write (a run's progress) sets `cache_answers = False`.
# (No docstring: drf-spectacular would publish the first docstring of the bases as the description of the
# operations that have none.)
class CachedAnswersMixin:
    cache_answers = True

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttling: never skipped
        key = self.cache_key_to_read(request)
        if key is None:
            return
        # Read with the rate limits' counters (members.api.throttling), in the same round trip, if they ran.
        already_read = getattr(request, "cache_reads", {})
        # The handler (`self.get`, which a viewset binds to its action) is wrapped for this request only.
        method = request.method.lower()
        handler = getattr(self, method, None)
        if handler is not None:
            setattr(self, method, partial(_answer_from_cache, key, already_read, handler))

    def cache_key_to_read(self, request) -> str | None:
        """The key of the answer this request may find in the cache, None if it is not to be cached. The rate
        limits, which run once the request is authenticated, read it along with their counters."""
        if getattr(self, "_answer_key", None) is None:
            # The version the key was loaded under, if the request came with one (`key_cache`): one read fewer.
            version = getattr(request, "api_data_version", "") or stats_version()
            self._answer_key = self.cache_key_for(request, audience=audience_of(request.user), version=version)
        return self._answer_key

    def cache_key_for(self, request, *, audience: str, version: str) -> str | None:
        """The key `cache_key_to_read` would give if the user were of `audience` and the data of `version`: a
        key's authentication reads it ahead on a guess (`members.api.speculation`)."""
        if not self._answer_is_cacheable(request):
            return None
        # Asked twice by a request made with a key seen before (the guess, then once the key is checked).
        known = self.__dict__.setdefault("_answer_keys", {})
        if (audience, version) not in known:
            known[(audience, version)] = answer_key(request, audience=audience, version=version)
        return known[(audience, version)]

    def _answer_is_cacheable(self, request) -> bool:
        return (
            self.cache_answers
            and settings.API_CACHE_TIMEOUT > 0
            and request.method in CACHED_METHODS
            and not isinstance(getattr(request, "accepted_renderer", None), BrowsableAPIRenderer)
        )


def _answer_from_cache(key: str, already_read: dict, handler, request, *args, **kwargs):
    cached = already_read[key] if key in already_read else cache.get(key)
    if cached is not None:
        return cached.response()
    response = handler(request, *args, **kwargs)
    # A Response is rendered after the view returns: it is kept once its bytes exist. Errors, redirects and
    # streamed answers (not a Response) are not kept.
    if isinstance(response, Response) and response.status_code == 200 and not response.exception:
        response.add_post_render_callback(partial(_keep, key))
    return response


def _keep(key: str, response) -> None:
    # The ETag the middleware would compute from these bytes; set now, so that a hit carries the same one.
    set_response_etag(response)
    answer = CachedAnswer(content=response.content, headers=tuple(response.headers.items()))
    cache.set(key, answer, settings.API_CACHE_TIMEOUT)


def _on_user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    # A login saves `last_login` only, many times a day, and no answer shows it.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    stats_version_bump()


def _on_group_changed(sender, **kwargs) -> None:
    stats_version_bump()


post_save.connect(_on_user_saved, sender=get_user_model(), dispatch_uid="members.api.answer_cache.user_saved")
# A role is a group: its permissions say who is a coordinator or a partner.
m2m_changed.connect(_on_group_changed, sender=Group.permissions.through, dispatch_uid="members.api.answer_cache.group")
post_delete.connect(_on_group_changed, sender=Group, dispatch_uid="members.api.answer_cache.group_deleted")
