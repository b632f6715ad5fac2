"""Writes on projects. Keyword-only, atomic, validated; each one appends a line to the project's activity
log (who did what, when) while simple-history keeps every field's former value.

The coordination steers projects; the organisations taking part comment, add documents, state their
commitment and mark their own milestones as done (see projects.permissions).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.enums import MembershipStatus
from members.models import Member, User
from waste_flows.enums import MatchStatus
from waste_flows.matches import Match

from . import permissions
from .documents import validate_document
from .enums import ActivityKind, DocumentKind, ParticipantRole, ProjectStatus, ProjectVisibility
from .from_match import prefill_from_match
from .models import Indicator, Project, ProjectActivity, ProjectDocument, ProjectParticipant
from .plan_services import (  # noqa: F401 - part of this module's interface, see plan_services
    budget_line_delete,
    budget_line_save,
    funding_delete,
    funding_save,
    indicator_delete,
    indicator_save,
    milestone_complete,
    milestone_delete,
    milestone_save,
)
from .service_helpers import log_activity, require_manager, save_validated, take_fields
from .transitions import is_allowed, next_statuses

PROJECT_FIELDS = frozenset(
    {"title", "summary", "kind", "lead_member", "start_date", "end_date", "site", "commune", "visibility"}
)
COMMENT_MAX_LENGTH = 5000
# Leaving the funding stage forward needs money agreed by someone, the members' own funds included.
FUNDED_STAGES = (ProjectStatus.IMPLEMENTATION,)

__all__ = [
    "budget_line_delete", "budget_line_save", "comment_add", "commitment_update", "document_delete",
    "document_upload", "funding_delete", "funding_save", "indicator_delete", "indicator_save", "milestone_complete",
    "milestone_delete", "milestone_save", "participant_remove", "participant_save", "project_change_status",
    "project_create", "project_create_from_match", "project_link_match", "project_unlink_match", "project_update",
]  # fmt: skip


# --- The project itself -----------------------------------------------------------------------------


def _validate_project(project: Project) -> None:
    errors = {}
    if project.start_date and project.end_date and project.end_date < project.start_date:
        errors["end_date"] = _("La date de fin précède la date de début.")
    if project.site_id and not project.commune:
        project.commune = project.site.commune
    if errors:
        raise ValidationError(errors)


def _validate_new_lead(project: Project) -> None:
    """A former member may stay the lead of its past projects, but does not become one."""
    _validate_project(project)
    if project.lead_member_id and project.lead_member.status == MembershipStatus.FORMER:
        raise ValidationError(
            {"lead_member": _("« %(member)s » n'est plus membre du pôle.") % {"member": project.lead_member}}
        )


def _sync_lead(project: Project, *, by: User) -> None:
    """The lead member takes part with the role "lead"; a former lead stays as a partner."""
    for former in project.participants.filter(role=ParticipantRole.LEAD).exclude(member_id=project.lead_member_id):
        former.role = ParticipantRole.PARTNER
        save_validated(former, by=by)
    participant = project.participants.filter(member_id=project.lead_member_id).first()
    if participant is None:
        participant = ProjectParticipant(project=project, member_id=project.lead_member_id)
    if participant.role != ParticipantRole.LEAD:
        participant.role = ParticipantRole.LEAD
        save_validated(participant, by=by)


@transaction.atomic
def project_create(*, by: User, data: dict) -> Project:
    """A new project at the idea stage; its lead member becomes its first participant."""
    require_manager(by)
    project = Project(**take_fields(data, PROJECT_FIELDS, "project"), created_by=by, status=ProjectStatus.IDEA)
    save_validated(project, by=by, validate=_validate_new_lead)
    _sync_lead(project, by=by)
    log_activity(project, kind=ActivityKind.CREATED, by=by, message=_("Projet créé : « %s ».") % project.title)
    return project


@transaction.atomic
def project_update(*, project: Project, by: User, data: dict) -> Project:
    """Edit what the project is; its status moves only through project_change_status."""
    require_manager(by)
    fields = take_fields(data, PROJECT_FIELDS, "project")
    before = {name: project.serializable_value(name) for name in fields}
    for name, value in fields.items():
        setattr(project, name, value)
    changed = [name for name in fields if project.serializable_value(name) != before[name]]
    if not changed:
        return project
    save_validated(project, by=by, validate=_validate_new_lead if "lead_member" in changed else _validate_project)
    if "lead_member" in changed:
        _sync_lead(project, by=by)
    labels = ", ".join(str(Project._meta.get_field(name).verbose_name) for name in changed)
    log_activity(project, kind=ActivityKind.UPDATE, by=by, message=_("Fiche modifiée : %s.") % labels)
    return project


@transaction.atomic
def project_change_status(*, project: Project, by: User, to_status: str, reason: str = "") -> Project:
    """Move a project along the pipeline (see projects.transitions); abandoning needs a reason."""
    require_manager(by)
    from_status, reason = project.status, (reason or "").strip()
    _check_transition(project, to_status=to_status, reason=reason)
    project.status = to_status
    if to_status == ProjectStatus.ABANDONED:
        project.abandon_reason = reason
    elif from_status == ProjectStatus.ABANDONED:
        project.abandon_reason = ""
    today = timezone.localdate()
    if to_status == ProjectStatus.IMPLEMENTATION and project.start_date is None:
        project.start_date = today
    if to_status == ProjectStatus.CLOSED and project.end_date is None:
        project.end_date = max(today, project.start_date or today)
    # The history's reason column holds 100 characters; the whole reason stays in abandon_reason and the log.
    project._change_reason = reason[:100]
    save_validated(project, by=by, validate=_validate_project)
    message = _("Statut : « %(from)s » → « %(to)s ».") % {
        "from": ProjectStatus(from_status).label,
        "to": ProjectStatus(to_status).label,
    }
    log_activity(
        project,
        kind=ActivityKind.STATUS,
        by=by,
        message=f"{message} {reason}".strip(),
        from_status=from_status,
        to_status=to_status,
    )
    return project


def _check_transition(project: Project, *, to_status: str, reason: str) -> None:
    if to_status not in ProjectStatus.values:
        raise ValidationError({"status": _("Statut inconnu : « %s ».") % to_status})
    current = ProjectStatus(project.status)
    if to_status == current:
        raise ValidationError({"status": _("Le projet est déjà au statut « %s ».") % current.label})
    if not is_allowed(current, to_status):
        allowed = ", ".join(f"« {ProjectStatus(status).label} »" for status in next_statuses(current))
        raise ValidationError(
            {
                "status": _("Un projet « %(current)s » ne peut pas passer à « %(target)s ». Possible : %(allowed)s.")
                % {"current": current.label, "target": ProjectStatus(to_status).label, "allowed": allowed or "—"}
            }
        )
    if to_status == ProjectStatus.ABANDONED and not reason:
        raise ValidationError({"reason": _("Indiquez pourquoi le projet est abandonné.")})
    leaves_funding = current == ProjectStatus.FUNDING and to_status in FUNDED_STAGES
    if leaves_funding and not project.fundings.filter(amount_granted__gt=0).exists():
        raise ValidationError(
            {
                "status": _(
                    "Aucun financement n'est accordé : enregistrez au moins un montant accordé (les fonds "
                    "propres des membres comptent) avant la mise en œuvre."
                )
            }
        )


# --- Participants ------------------------------------------------------------------------------------


@transaction.atomic
def participant_save(
    *, project: Project, by: User, member: Member, role: str, commitment: str = ""
) -> ProjectParticipant:
    """Add an organisation to a project, or change its role and commitment."""
    require_manager(by)
    participant = project.participants.filter(member=member).first()
    created = participant is None
    if created:
        participant = ProjectParticipant(project=project, member=member)
    _check_role(project, member=member, role=role, created=created)
    old_role = participant.role
    participant.role, participant.commitment = role, commitment.strip()
    save_validated(participant, by=by)
    if created:
        message = _("« %(member)s » rejoint le projet (%(role)s).")
    elif old_role != role:
        message = _("« %(member)s » : rôle changé en %(role)s.")
    else:
        message = _("« %(member)s » : engagement mis à jour.")
    params = {"member": member, "role": participant.get_role_display().lower()}
    log_activity(project, kind=ActivityKind.PARTICIPANT, by=by, message=message % params)
    return participant


def _check_role(project: Project, *, member: Member, role: str, created: bool) -> None:
    is_lead = member.pk == project.lead_member_id
    if role == ParticipantRole.LEAD and not is_lead:
        raise ValidationError({"role": _("Le porteur se change dans la fiche du projet, pas dans les participants.")})
    if is_lead and role != ParticipantRole.LEAD:
        raise ValidationError({"role": _("La structure porteuse garde le rôle de porteur.")})
    if created and member.status == MembershipStatus.FORMER:
        raise ValidationError({"member": _("« %(member)s » n'est plus membre du pôle.") % {"member": member}})


@transaction.atomic
def participant_remove(*, participant: ProjectParticipant, by: User) -> None:
    require_manager(by)
    project = participant.project
    if participant.member_id == project.lead_member_id:
        raise ValidationError(_("La structure porteuse ne peut pas être retirée : changez d'abord de porteur."))
    member = participant.member
    participant._history_user = by
    participant.delete()
    log_activity(project, kind=ActivityKind.PARTICIPANT, by=by, message=_("« %s » quitte le projet.") % member)


@transaction.atomic
def commitment_update(*, participant: ProjectParticipant, by: User, commitment: str) -> ProjectParticipant:
    """What an organisation commits to (staff time, a site, tonnes a year…), stated by itself or the
    coordination."""
    if not permissions.can_edit_commitment(by, participant):
        raise PermissionDenied(_("Seuls la coordination et la structure concernée peuvent modifier cet engagement."))
    participant.commitment = commitment.strip()
    save_validated(participant, by=by)
    message = _("Engagement de « %s » mis à jour.") % participant.member
    log_activity(participant.project, kind=ActivityKind.PARTICIPANT, by=by, message=message)
    return participant


# --- Documents and comments ---------------------------------------------------------------------------


@transaction.atomic
def document_upload(*, project: Project, by: User, uploaded_file, title: str, kind: str) -> ProjectDocument:
    """Store a document with the default storage, after checking its size, type and content."""
    if not permissions.can_upload(by, project):
        raise PermissionDenied(_("Seuls la coordination et les structures participantes déposent des documents."))
    content_type = validate_document(uploaded_file)
    title = (title or "").strip() or uploaded_file.name.rsplit(".", 1)[0][:200]
    document = ProjectDocument(
        project=project,
        title=title,
        kind=kind or DocumentKind.OTHER,
        file=uploaded_file,
        size=uploaded_file.size,
        content_type=content_type,
        uploaded_by=by,
    )
    save_validated(document, by=by)
    message = _("Document ajouté : « %(title)s » (%(kind)s).") % {"title": title, "kind": document.get_kind_display()}
    log_activity(project, kind=ActivityKind.DOCUMENT, by=by, message=message)
    return document


@transaction.atomic
def document_delete(*, document: ProjectDocument, by: User) -> None:
    if not permissions.can_delete_document(by, document):
        raise PermissionDenied(_("Seuls la coordination et la personne qui l'a déposé peuvent retirer ce document."))
    project, title, storage, name = document.project, document.title, document.file.storage, document.file.name
    document._history_user = by
    document.delete()
    # The file goes only once the row is gone for good: a rolled-back deletion keeps both.
    transaction.on_commit(lambda: storage.delete(name))
    log_activity(project, kind=ActivityKind.DOCUMENT, by=by, message=_("Document retiré : « %s ».") % title)


@transaction.atomic
def comment_add(*, project: Project, by: User, message: str) -> ProjectActivity:
    if not permissions.can_comment(by, project):
        raise PermissionDenied(_("Seuls la coordination et les structures participantes commentent ce projet."))
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Le commentaire est vide.")})
    if len(message) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "message": _("Le commentaire dépasse %d caractères : résumez-le ou joignez un document.")
                % COMMENT_MAX_LENGTH
            }
        )
    return log_activity(project, kind=ActivityKind.COMMENT, by=by, message=message)


# --- Matches: where a project comes from ---------------------------------------------------------------

UNUSABLE_MATCH_STATUSES = (MatchStatus.REJECTED, MatchStatus.OBSOLETE)


@transaction.atomic
def project_create_from_match(*, match: Match, by: User) -> Project:
    """A project prefilled from an opportunity: title, type, lead, participants with their roles, place,
    a summary with the quantities and this year's indicator targets (see projects.from_match)."""
    require_manager(by)
    if match.status in UNUSABLE_MATCH_STATUSES:
        raise ValidationError(_("Une opportunité écartée ou obsolète ne peut pas devenir un projet."))
    prefill = prefill_from_match(match, year=timezone.localdate().year)
    project = Project(
        title=prefill.title,
        summary=prefill.summary,
        kind=prefill.kind,
        lead_member=prefill.lead_member,
        site=prefill.site,
        commune=prefill.commune,
        # The parties of a match are revealed to each other only by the coordination: so is the project.
        visibility=ProjectVisibility.COORDINATOR,
        created_by=by,
    )
    save_validated(project, by=by, validate=_validate_new_lead)
    _sync_lead(project, by=by)
    for member, role in prefill.participants:
        save_validated(ProjectParticipant(project=project, member=member, role=role), by=by)
    for indicator in prefill.indicators:
        save_validated(Indicator(project=project, **indicator), by=by)
    project.matches.add(match)
    message = _("Projet créé depuis l'opportunité n° %(match)s : %(participants)s participants et %(indicators)s "
                "indicateurs repris.") % {"match": match.pk, "participants": len(prefill.participants) + 1,
                                           "indicators": len(prefill.indicators)}  # fmt: skip
    log_activity(project, kind=ActivityKind.CREATED, by=by, message=message)
    return project


@transaction.atomic
def project_link_match(*, project: Project, match: Match, by: User) -> Project:
    require_manager(by)
    if project.matches.filter(pk=match.pk).exists():
        return project
    project.matches.add(match)
    message = _("Opportunité n° %(match)s liée : %(label)s.") % {"match": match.pk, "label": match}
    log_activity(project, kind=ActivityKind.MATCH, by=by, message=message)
    return project


@transaction.atomic
def project_unlink_match(*, project: Project, match: Match, by: User) -> Project:
    require_manager(by)
    if not project.matches.filter(pk=match.pk).exists():
        return project
    project.matches.remove(match)
    message = _("Opportunité n° %(match)s détachée : %(label)s.") % {"match": match.pk, "label": match}
    log_activity(project, kind=ActivityKind.MATCH, by=by, message=message)
    return project
