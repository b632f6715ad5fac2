"""Celery tasks of the matching. They take ids, never model instances; the work is in match_services."""

from celery import shared_task

from .enums import RunScope, RunTrigger


@shared_task(name="waste_flows.execute_match_run", soft_time_limit=20 * 60, time_limit=25 * 60)
def execute_match_run(*, run_id: int) -> int:
    from .match_services import match_run_execute

    return match_run_execute(run_id=run_id).pk


@shared_task(name="waste_flows.run_full_matching", soft_time_limit=20 * 60, time_limit=25 * 60)
def run_full_matching() -> int:
    """The nightly full run (beat schedule)."""
    from .match_services import match_run_create, match_run_execute, match_runs_fail_stale

    match_runs_fail_stale()
    run = match_run_create(scope=RunScope.FULL, trigger=RunTrigger.SCHEDULE)
    return match_run_execute(run_id=run.pk).pk


@shared_task(name="waste_flows.rescore_stream", soft_time_limit=60, time_limit=90)
def rescore_stream(*, stream_id: int) -> int:
    """Incremental run after a declaration changed: only what that stream touches is re-scored."""
    from .match_services import match_run_create, match_run_execute

    run = match_run_create(scope=RunScope.INCREMENTAL, trigger=RunTrigger.STREAM_CHANGE, stream_id=stream_id)
    return match_run_execute(run_id=run.pk).pk
