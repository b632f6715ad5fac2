"""Warming the coordinator's dashboard after each write, so that the coordination never waits for it: the
page's figures, and those its charts and map read from the API (the map's layers of every site and match).

The dashboard's figures read the whole pole (a few hundred milliseconds at 100,000 streams) and are cached
per data version (`cache.py`): the first view after a write would pay for the computation. Once a write is
committed, a Celery task computes the page's figures for the new data, as the page would, in every language;
the coordinator's next view finds them in the cache. The figures are the same as computed on demand: the
warm-up fills the same cache entries, it never serves older data.

Writes come in bursts (an import saves thousands of rows, each bumping the version): one task is pending at a
time, started `DELAY` seconds after the first write of a burst; it reads the version when it runs, and a
write during its computation schedules the next one. With eager Celery (no broker: the embedded default and
the tests) there is no worker to move the work to, and nothing is scheduled.
"""

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import translation

from members.models import User
from members.stats_version import stats_version_committed
from ptce.api.stats import STATISTICS
from ptce.dashboards.coordinator import API_ENDPOINTS, api_query, dashboard_figures, default_filters

from .cache import cached_stats
from .filters import parse_filters

PENDING_KEY = "ptce:stats:warmup-pending"
DELAY = 2  # seconds: lets a burst of writes end before the figures are computed
PENDING_TIMEOUT = 60  # a task lost with its worker does not block the next ones for longer


def schedule_warmup(**_signal) -> bool:
    """Enqueue the warm-up unless one is already pending; True when this call enqueued it."""
    if not settings.STATS_WARMUP or current_app.conf.task_always_eager:
        return False
    if not cache.add(PENDING_KEY, True, PENDING_TIMEOUT):
        return False
    from ptce.tasks import warm_statistics

    warm_statistics.apply_async(countdown=DELAY)
    return True


def warm_coordinator_dashboard() -> int:
    """Compute the coordinator dashboard's default view (the current year) in every language, for the data
    as it is now. Returns the number of views computed (none when the pole has no active coordinator)."""
    cache.delete(PENDING_KEY)  # a write from now on schedules the next warm-up
    coordinator = _a_coordinator()
    if coordinator is None:
        return 0
    filters = default_filters()
    # The charts and the map then read their figures from the API, for the query the page gives them.
    api_filters = parse_filters({name: str(value) for name, value in api_query(filters).items()})
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            dashboard_figures(user=coordinator, filters=filters)
            for endpoint in API_ENDPOINTS:
                _warm_statistic(endpoint.replace("-", "_"), user=coordinator, filters=api_filters)
    return len(settings.LANGUAGES)


def _warm_statistic(name: str, *, user, filters) -> None:
    """The entry the API's endpoint `name` reads (`ptce.api.stats.stats_endpoint`)."""
    cached_stats(name, user=user, filters=filters, compute=lambda: STATISTICS[name](user=user, filters=filters))


def _a_coordinator() -> User | None:
    """Any active user of the coordination: the figures depend on the visibility, not on the person."""
    coordinating = Q(is_superuser=True) | Q(
        groups__permissions__codename="coordinate_pole", groups__permissions__content_type__app_label="members"
    )
    return User.objects.filter(coordinating, is_active=True).order_by("pk").first()


stats_version_committed.connect(schedule_warmup, dispatch_uid="ptce.stats.warmup")
