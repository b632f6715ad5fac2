"""Where a project may go from where it stands: pure rules, no database."""

from types import SimpleNamespace

import pytest

from projects.enums import PIPELINE, ProjectStatus
from projects.transitions import (
    ALLOWED_TRANSITIONS,
    allowed_next_statuses,
    is_allowed,
    is_step_back,
    next_statuses,
    pipeline_position,
)

S = ProjectStatus


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (S.IDEA, S.FEASIBILITY),
        (S.FEASIBILITY, S.FUNDING),
        (S.FUNDING, S.IMPLEMENTATION),
        (S.IMPLEMENTATION, S.OPERATIONAL),
        (S.OPERATIONAL, S.CLOSED),
    ],
)
def test_a_project_moves_one_step_forward(from_status, to_status):
    assert is_allowed(from_status, to_status)


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (S.FEASIBILITY, S.IDEA),
        (S.FUNDING, S.FEASIBILITY),
        (S.IMPLEMENTATION, S.FUNDING),
        (S.OPERATIONAL, S.IMPLEMENTATION),
    ],
)
def test_one_step_back_is_a_correction_and_is_allowed(from_status, to_status):
    assert is_allowed(from_status, to_status)
    assert is_step_back(from_status, to_status)


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (S.IDEA, S.FUNDING),
        (S.IDEA, S.OPERATIONAL),
        (S.FEASIBILITY, S.IMPLEMENTATION),
        (S.FUNDING, S.CLOSED),
        (S.IMPLEMENTATION, S.IDEA),
        (S.OPERATIONAL, S.FEASIBILITY),
    ],
)
def test_skipping_stages_forward_or_back_is_refused(from_status, to_status):
    assert not is_allowed(from_status, to_status)


@pytest.mark.parametrize("status", [S.IDEA, S.FEASIBILITY, S.FUNDING, S.IMPLEMENTATION, S.OPERATIONAL])
def test_every_open_stage_can_be_abandoned(status):
    assert is_allowed(status, S.ABANDONED)


def test_a_closed_project_is_final():
    assert next_statuses(S.CLOSED) == []
    assert not is_allowed(S.CLOSED, S.ABANDONED)
    assert not is_allowed(S.CLOSED, S.OPERATIONAL)


def test_an_abandoned_project_reopens_only_at_an_early_stage():
    assert next_statuses(S.ABANDONED) == [S.IDEA, S.FEASIBILITY, S.FUNDING]
    assert not is_allowed(S.ABANDONED, S.IMPLEMENTATION)
    assert not is_allowed(S.ABANDONED, S.CLOSED)


def test_the_forward_step_is_offered_first():
    assert next_statuses(S.FUNDING) == [S.IMPLEMENTATION, S.FEASIBILITY, S.ABANDONED]
    assert next_statuses(S.IDEA) == [S.FEASIBILITY, S.ABANDONED]


def test_allowed_next_statuses_reads_the_status_of_anything_that_has_one():
    assert allowed_next_statuses(SimpleNamespace(status="operational")) == [S.CLOSED, S.IMPLEMENTATION, S.ABANDONED]


def test_every_status_has_its_transitions_and_none_leads_to_itself():
    assert set(ALLOWED_TRANSITIONS) == set(ProjectStatus.values)
    assert all(status not in targets for status, targets in ALLOWED_TRANSITIONS.items())


def test_an_unknown_status_goes_nowhere():
    assert next_statuses("paused") == []
    assert not is_allowed("paused", S.IDEA)


def test_board_columns_follow_the_pipeline_with_abandoned_last():
    ranked = sorted(ProjectStatus.values, key=pipeline_position)
    assert ranked == [*PIPELINE, S.ABANDONED]
