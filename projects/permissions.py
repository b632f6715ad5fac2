"""Who may do what on a project. Pages, the API and the services ask these same questions.

The coordination steers every project. A member organisation takes part in some: its users may comment
on them, and its admins and editors may add documents, state their commitment and mark the milestones
they own as done. Reading follows `Project.objects.visible_to(user)`.

Helpers read `project.participants.all()`, so a prefetched project answers without a query.
"""

from members.enums import MemberRole

from .enums import ProjectVisibility
from .models import Milestone, Project, ProjectParticipant

WRITING_ROLES = (MemberRole.ADMIN, MemberRole.EDITOR)


def _is_coordinator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_coordinator)


def _member_id(user) -> int | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.member_id


def _writes_for(user, member_id: int | None) -> bool:
    return member_id is not None and _member_id(user) == member_id and user.member_role in WRITING_ROLES


def involved_member_ids(project: Project) -> set[int]:
    return {participant.member_id for participant in project.participants.all()} | {project.lead_member_id}


def can_manage(user) -> bool:
    """Create, edit, move along the pipeline, fund and plan projects: the coordination."""
    return _is_coordinator(user)


def can_view(user, project: Project) -> bool:
    """The same rule as `Project.objects.visible_to`, for a project already loaded."""
    if _is_coordinator(user):
        return True
    if not (user and user.is_authenticated):
        return False
    if project.visibility == ProjectVisibility.PUBLIC:
        return True
    member_id = _member_id(user)
    if member_id is None:
        return False
    return project.visibility == ProjectVisibility.MEMBERS or member_id in involved_member_ids(project)


def is_involved(user, project: Project) -> bool:
    member_id = _member_id(user)
    return member_id is not None and member_id in involved_member_ids(project)


def can_comment(user, project: Project) -> bool:
    """The coordination and every user of an organisation taking part, viewers included."""
    return _is_coordinator(user) or is_involved(user, project)


def can_see_documents(user, project: Project) -> bool:
    """Documents (funding applications, agreements) are for the coordination and the organisations taking
    part; other readers of the project see it without them."""
    return _is_coordinator(user) or is_involved(user, project)


def can_upload(user, project: Project) -> bool:
    """The coordination, and the admins and editors of an organisation taking part."""
    if _is_coordinator(user):
        return True
    return is_involved(user, project) and user.member_role in WRITING_ROLES


def can_delete_document(user, document) -> bool:
    """The coordination, or whoever uploaded it while they may still upload to the project."""
    if _is_coordinator(user):
        return True
    return document.uploaded_by_id == getattr(user, "pk", None) and can_upload(user, document.project)


def can_edit_commitment(user, participant: ProjectParticipant) -> bool:
    """What an organisation commits to is stated by the coordination or by that organisation."""
    return _is_coordinator(user) or _writes_for(user, participant.member_id)


def can_complete_milestone(user, milestone: Milestone) -> bool:
    """The coordination, or the admins and editors of the organisation that owns the milestone."""
    return _is_coordinator(user) or _writes_for(user, milestone.owner_id)
