"""Keys kept in the cache (members.api.key_cache) and the rate-limit windows (members.api.throttling): a key
read from the cache is refused as soon as the database would refuse it, and costs no query."""

import dataclasses
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from members.api import speculation
from members.api.answer_cache import CachedAnswer, answer_key
from members.api.throttling import KEY_PREFIX, count_in_windows
from members.api_key_services import api_key_issue, api_key_revoke
from members.api_keys import ApiKey
from members.enums import ApiScope

from ..conftest import redis_url

STREAMS = "/api/v1/streams/"


def issue(issued_by, user, scopes=(ApiScope.STREAMS_READ,), **kwargs) -> str:
    return api_key_issue(issued_by=issued_by, user=user, name="Outil de suivi", scopes=list(scopes), **kwargs)[1]


def ask(client, plaintext: str, **headers):
    return client.get(STREAMS, headers={"Authorization": f"Bearer {plaintext}", **headers})


@pytest.fixture
def kept_partner_key(client, coordinator, partner):
    """A partner's key that one request has put in the cache."""
    plaintext = issue(coordinator, partner)
    assert ask(client, plaintext).status_code == 200
    return plaintext


def test_a_kept_key_is_read_without_a_query(client, kept_partner_key, settings):
    settings.API_CACHE_TIMEOUT = 300
    with CaptureQueriesContext(connection) as queries:
        response = ask(client, kept_partner_key, **{"Accept-Language": "en"})  # another answer: computed

    assert response.status_code == 200
    assert not any('"members_apikey"' in query["sql"] for query in queries.captured_queries)
    assert not any('"auth_permission"' in query["sql"] for query in queries.captured_queries)


def test_a_kept_key_revoked_is_refused_at_once(client, coordinator, kept_partner_key):
    api_key_revoke(key=ApiKey.objects.get(), by=coordinator)

    assert ask(client, kept_partner_key).json()["code"] == "revoked_key"


def test_a_kept_key_deleted_is_refused_at_once(client, kept_partner_key):
    ApiKey.objects.get().delete()

    assert ask(client, kept_partner_key).json()["code"] == "invalid_key"


def test_a_kept_key_past_its_expiry_is_refused(client, coordinator, partner, monkeypatch):
    plaintext = issue(coordinator, partner, expires_at=timezone.now() + timedelta(hours=1))
    assert ask(client, plaintext).status_code == 200

    two_hours_later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr("django.utils.timezone.now", lambda: two_hours_later)

    assert ask(client, plaintext).json()["code"] == "expired_key"


def test_the_kept_key_of_a_deactivated_account_is_refused(client, partner, kept_partner_key):
    partner.is_active = False
    partner.save()

    assert ask(client, kept_partner_key).json()["code"] == "invalid_key"


def test_a_kept_member_key_stops_working_when_its_user_leaves_the_organisation(client, member, other_member_org):
    plaintext = issue(member, member)
    assert ask(client, plaintext).status_code == 200

    member.member = other_member_org
    member.save()

    assert ask(client, plaintext).json()["code"] == "invalid_key"


def test_a_login_does_not_drop_the_kept_key(client, partner, kept_partner_key):
    partner.last_login = timezone.now()
    partner.save(update_fields=["last_login"])

    with CaptureQueriesContext(connection) as queries:
        assert ask(client, kept_partner_key).status_code == 200
    assert queries.captured_queries == []


# --- Rate-limit windows ------------------------------------------------------------------------------------


@pytest.fixture
def rates(settings):
    def set_rates(*, key: str, user: str = "100/minute"):
        rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_key": key, "api_user": user}}
        settings.REST_FRAMEWORK = rest

    return set_rates


def test_retry_after_says_when_the_window_opened_by_the_first_request_closes(
    client, coordinator, partner, rates, monkeypatch
):
    rates(key="2/minute")
    plaintext = issue(coordinator, partner)
    assert [ask(client, plaintext).status_code for _ in range(2)] == [200, 200]

    twenty_seconds_later = __import__("time").time() + 20
    monkeypatch.setattr("members.api.throttling.time.time", lambda: twenty_seconds_later)
    refused = ask(client, plaintext)

    assert refused.status_code == 429
    assert 39 <= int(refused["Retry-After"]) <= 40


def test_a_new_window_opens_when_the_last_one_has_closed(client, coordinator, partner, rates):
    rates(key="1/minute")
    plaintext = issue(coordinator, partner)
    assert [ask(client, plaintext).status_code for _ in range(2)] == [200, 429]

    cache.clear()  # the window's counter expires with the window (its timeout)

    assert ask(client, plaintext).status_code == 200


# --- The Redis cache (ptce.redis_cache), against a real server ---------------------------------------------


@pytest.fixture
def redis_cache():
    from ptce.redis_cache import RedisCache

    backend = RedisCache(redis_url(), {"KEY_PREFIX": "ptce-tests-redis-cache"})
    yield backend
    backend.delete_many(["window", "kept", "answer"])


@pytest.mark.redis
def test_the_redis_cache_reuses_one_client_per_pool(redis_cache):
    assert redis_cache._cache.get_client("a") is redis_cache._cache.get_client("b")
    redis_cache.delete("kept")

    redis_cache.set("kept", {"answer": 42}, 60)
    assert redis_cache.get("kept") == {"answer": 42}


@pytest.mark.redis
def test_the_redis_window_counts_and_keeps_the_time_of_its_first_event(redis_cache):
    assert redis_cache.count_in_windows([("window", 60), ("kept", 3600)]) == ([(1, 60), (1, 3600)], [])
    redis_cache.set("answer", {"bytes": b"{}"}, 60)
    [(count, seconds_left)], read = redis_cache.count_in_windows([("window", 60)], reads=["answer", "absent"])

    assert read == [{"bytes": b"{}"}, None]
    assert count == 2
    assert 59 <= seconds_left <= 60
    assert 0 < redis_cache._cache.get_client().ttl(redis_cache.make_key("window")) <= 60


@pytest.mark.redis
def test_counters_do_not_collide_with_the_lists_of_drf_throttles(redis_cache, monkeypatch):
    # What DRF's own throttle left under its name before the windows (a list of times), in the same cache.
    redis_cache.set("throttle_api_user_1", [1.0, 2.0], 60)
    monkeypatch.setattr("members.api.throttling.cache", redis_cache)

    assert count_in_windows([(f"{KEY_PREFIX}:user:1", 60)]) == ([(1, 60)], [])
    redis_cache.delete_many(["throttle_api_user_1", f"{KEY_PREFIX}:user:1"])


def test_a_new_period_opens_a_new_window(client, coordinator, partner, rates):
    rates(key="1/hour")
    plaintext = issue(coordinator, partner)
    assert [ask(client, plaintext).status_code for _ in range(2)] == [200, 429]

    rates(key="5/second")  # the hour's window would otherwise refuse for the rest of the hour

    assert ask(client, plaintext).status_code == 200


def test_a_cached_answer_is_read_with_the_rate_limits_counters(client, kept_partner_key, monkeypatch):
    class ReadsNothing:
        def get(self, key, default=None):
            raise AssertionError("read apart from the counters")

    monkeypatch.setattr("members.api.answer_cache.cache", ReadsNothing())  # the counters have their own

    response = ask(client, kept_partner_key)  # the answer was kept by the fixture's request

    assert response.status_code == 200
    assert response.json()["count"] >= 0


# --- Reads ahead (members.api.speculation) -----------------------------------------------------------------


@pytest.fixture
def round_trips(monkeypatch):
    """The calls that read or count in the cache for the key, its rate limits and its answer (one each is one
    round trip with Redis)."""
    calls = []

    def counting(windows, reads=()):
        calls.append((list(windows), list(reads)))
        return count_in_windows(windows, reads)

    monkeypatch.setattr("members.api.key_cache.count_in_windows", counting)
    monkeypatch.setattr("members.api.throttling.count_in_windows", counting)

    class ReadsNothing:
        def get(self, key, default=None):
            pytest.fail("the answer read on its own")

    monkeypatch.setattr("members.api.answer_cache.cache", ReadsNothing())
    return calls


def test_a_key_seen_before_reads_its_entry_rate_limits_and_answer_in_one_round_trip(
    client, kept_partner_key, round_trips
):
    response = ask(client, kept_partner_key)

    assert response.status_code == 200
    assert len(round_trips) == 1
    windows, reads = round_trips[0]
    assert [window for window, _ in windows] == [
        f"{KEY_PREFIX}:key:{ApiKey.objects.get().pk}:3600",
        f"{KEY_PREFIX}:user:{ApiKey.objects.get().user_id}:3600",
    ]
    assert len(reads) == 3  # the data version, the key's entry, the answer


def test_a_key_not_seen_before_takes_a_second_round_trip(client, kept_partner_key, round_trips):
    speculation.forget_all()  # as in another process

    assert ask(client, kept_partner_key).status_code == 200
    assert len(round_trips) == 2


def test_a_wrong_guess_of_the_audience_never_serves_the_guessed_audiences_answer(
    client, coordinator, partner, kept_partner_key, monkeypatch
):
    secret_hash = ApiKey.objects.get().secret_hash
    seen = speculation._seen[secret_hash]
    as_coordinator = "coordinator:-:member=-:role=-"
    speculation._seen[secret_hash] = dataclasses.replace(seen, audience=as_coordinator)
    # What the coordinator's answer would be, under the key the wrong guess reads.
    request = RequestFactory().get(STREAMS, HTTP_HOST="testserver")
    request.accepted_media_type = "application/json"
    with translation.override("fr"):
        guessed = answer_key(request, audience=as_coordinator, version=seen.version)
    cache.set(guessed, CachedAnswer(b'{"secret": "coordinator only"}', (("Content-Type", "application/json"),)))

    response = ask(client, kept_partner_key)

    assert response.status_code == 200
    assert "secret" not in response.json()
    assert speculation._seen[secret_hash].audience == seen.audience  # the guess is corrected


def test_a_wrong_guess_of_the_user_still_counts_the_users_own_budget(client, coordinator, partner, rates):
    rates(key="100/minute", user="1/minute")
    plaintext = issue(coordinator, partner)
    assert ask(client, plaintext).status_code == 200
    secret_hash = ApiKey.objects.get().secret_hash
    speculation._seen[secret_hash] = dataclasses.replace(speculation._seen[secret_hash], user_pk=partner.pk + 1000)

    assert ask(client, plaintext).status_code == 429


def test_a_revoked_key_is_forgotten(client, coordinator, kept_partner_key):
    key = ApiKey.objects.get()
    assert key.secret_hash in speculation._seen
    api_key_revoke(key=key, by=coordinator)

    assert ask(client, kept_partner_key).json()["code"] == "revoked_key"
    assert key.secret_hash not in speculation._seen


@pytest.fixture
def redis_as_the_cache(redis_cache, monkeypatch):
    """The Redis cache in place of the tests' local memory, for the key, its rate limits and the answers."""
    for module in ("throttling", "answer_cache", "key_cache"):
        monkeypatch.setattr(f"members.api.{module}.cache", redis_cache)
    monkeypatch.setattr("members.stats_version.cache", redis_cache)
    yield redis_cache
    client = redis_cache._cache.get_client(write=True)
    client.delete(*client.scan_iter(match="ptce-tests-redis-cache:*"), "-")


@pytest.mark.redis
def test_a_key_seen_before_makes_one_round_trip_with_redis(client, coordinator, partner, redis_as_the_cache):
    plaintext = issue(coordinator, partner)
    assert ask(client, plaintext).status_code == 200  # the key and the answer kept in Redis
    redis_client = redis_as_the_cache._cache.get_client(write=True)
    pipelines = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(redis_client, "execute_command", lambda *args, **kwargs: pytest.fail(f"on its own: {args}"))
        pipeline = redis_client.pipeline
        patch.setattr(redis_client, "pipeline", lambda **kwargs: pipelines.append(kwargs) or pipeline(**kwargs))

        response = ask(client, plaintext)

    assert response.status_code == 200
    assert response.json()["count"] >= 0
    assert len(pipelines) == 1
