"""Celery tasks of the platform's own apps (statistics). They take no model instances."""

from celery import shared_task


@shared_task(name="ptce.warm_statistics", soft_time_limit=120, time_limit=150)
def warm_statistics() -> int:
    """The coordinator dashboard's figures for the data just committed (`ptce.stats.warmup`)."""
    from .stats.warmup import warm_coordinator_dashboard

    return warm_coordinator_dashboard()
