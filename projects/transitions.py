"""Where a project may go from where it stands (pure: no database, tested without one).

idea → feasibility study → funding → implementation → operational → closed, one step at a time. One step
back is a correction (the funding fell through, the study must be redone). Any open stage may be
abandoned, with a reason; an abandoned project may be taken up again at one of the early stages, where
the work starts over. A closed project is final: its results are what the pole reports to its funders.
"""

from .enums import OPEN_STATUSES, PIPELINE, ProjectStatus

# A reopened project starts again before any money is committed.
REOPEN_STATUSES = (ProjectStatus.IDEA, ProjectStatus.FEASIBILITY, ProjectStatus.FUNDING)


def _pipeline_neighbours(status: str) -> list[str]:
    position = PIPELINE.index(status)
    following = [PIPELINE[position + 1]] if position + 1 < len(PIPELINE) else []
    preceding = [PIPELINE[position - 1]] if position > 0 else []
    return following + preceding


def _next_of(status: str) -> tuple[str, ...]:
    if status == ProjectStatus.ABANDONED:
        return REOPEN_STATUSES
    if status == ProjectStatus.CLOSED:
        return ()
    return (*_pipeline_neighbours(status), ProjectStatus.ABANDONED)


# status → the statuses it may move to, forward step first, in the order a form should offer them.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {status: _next_of(status) for status in ProjectStatus.values}


def next_statuses(status: str) -> list[str]:
    return list(ALLOWED_TRANSITIONS.get(status, ()))


def allowed_next_statuses(project) -> list[str]:
    """The statuses a project may be moved to now (anything with a `status` attribute)."""
    return next_statuses(project.status)


def is_allowed(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, ())


def is_step_back(from_status: str, to_status: str) -> bool:
    if from_status not in PIPELINE or to_status not in PIPELINE:
        return False
    return PIPELINE.index(to_status) < PIPELINE.index(from_status)


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def pipeline_position(status: str) -> int:
    """Rank of a status on the board: the pipeline in order, abandoned projects last."""
    return PIPELINE.index(status) if status in PIPELINE else len(PIPELINE)
