"""Edit pages of a project's parts: participants, budget lines, fundings, milestones and indicators
(coordinator), a participant's own commitment (the coordination or that organisation's admins and
editors), and marking a milestone done (also the owner organisation's admins and editors)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from members.views.helpers import call_service, require_coordinator

from .. import services
from ..forms import BudgetLineForm, CommitmentForm, FundingForm, IndicatorForm, MilestoneForm, ParticipantForm
from ..models import BudgetLine, Funding, Indicator, Milestone, Project, ProjectParticipant
from ..permissions import can_edit_commitment
from ..selectors import project_detail
from .helpers import run_service, section_url


def _managed_project(request, pk) -> Project:
    require_coordinator(request.user)
    return get_object_or_404(Project, pk=pk)


def _part_form(request, project, form, save, *, title, anchor, delete_url=None):
    """Show `form`; on a valid POST run `save()` (a service call) and go back to the project's section."""
    saved = request.method == "POST" and form.is_valid() and call_service(form, save)
    if saved:
        messages.success(request, _("C'est enregistré."))
        return redirect(section_url(project, anchor))
    context = {
        "form": form,
        "project": project,
        "title": title,
        "cancel_url": section_url(project, anchor),
        "delete_url": delete_url,
        "delete_label": _("Supprimer"),
    }
    return render(request, "projects/object_form.html", context, status=400 if request.method == "POST" else 200)


def _delete(request, project, service, *, anchor, **target):
    run_service(request, service, by=request.user, done=_("C'est supprimé."), **target)
    return redirect(section_url(project, anchor))


# --- Participants -----------------------------------------------------------------------------------


def participant_form(request, pk, participant_pk=None):
    project = _managed_project(request, pk)
    participant = (
        get_object_or_404(ProjectParticipant, pk=participant_pk, project=project)
        if participant_pk
        else ProjectParticipant(project=project)
    )
    form = ParticipantForm(request.POST or None, instance=participant)

    def save():
        data = form.cleaned_data
        return services.participant_save(
            project=project, by=request.user, member=data["member"], role=data["role"], commitment=data["commitment"]
        )

    delete_url = participant.pk and reverse("projects:participant_delete", args=[project.pk, participant.pk])
    title = _("Modifier le participant") if participant.pk else _("Ajouter un participant")
    return _part_form(request, project, form, save, title=title, anchor="participants", delete_url=delete_url)


@require_POST
def participant_delete(request, pk, participant_pk):
    project = _managed_project(request, pk)
    participant = get_object_or_404(ProjectParticipant, pk=participant_pk, project=project)
    return _delete(request, project, services.participant_remove, anchor="participants", participant=participant)


def commitment_edit(request, pk, participant_pk):
    """A member organisation states what it brings to a project it takes part in."""
    project = project_detail(user=request.user, pk=pk)
    participant = next((p for p in project.participants.all() if p.pk == participant_pk), None)
    if participant is None:
        raise Http404
    if not can_edit_commitment(request.user, participant):
        raise PermissionDenied
    form = CommitmentForm(request.POST or None, instance=participant)

    def save():
        return services.commitment_update(
            participant=participant, by=request.user, commitment=form.cleaned_data["commitment"]
        )

    title = _("Engagement de %(name)s") % {"name": participant.member.name}
    return _part_form(request, project, form, save, title=title, anchor="participants")


# --- The plan: budget lines, fundings, milestones, indicators ------------------------------------------


@dataclass(frozen=True)
class PlanPart:
    """One kind of row of a project's plan, edited the same way: its model and form, the services that save
    (`save(project=, by=, data=, <keyword>=row or None)`) and delete (`delete(by=, <keyword>=row)`) it, the
    project section it belongs to, its URL names (`projects:<name>_delete`) and its titles."""

    name: str
    model: type
    form: type
    keyword: str
    save: Callable
    delete: Callable
    anchor: str
    add_title: str
    edit_title: str


BUDGET_LINE = PlanPart(
    "budget_line", BudgetLine, BudgetLineForm, "line", services.budget_line_save, services.budget_line_delete,
    "budget", gettext_lazy("Ajouter une dépense"), gettext_lazy("Modifier la dépense"),
)  # fmt: skip
FUNDING = PlanPart(
    "funding", Funding, FundingForm, "funding", services.funding_save, services.funding_delete,
    "budget", gettext_lazy("Ajouter un financement"), gettext_lazy("Modifier le financement"),
)  # fmt: skip
MILESTONE = PlanPart(
    "milestone", Milestone, MilestoneForm, "milestone", services.milestone_save, services.milestone_delete,
    "milestones", gettext_lazy("Ajouter un jalon"), gettext_lazy("Modifier le jalon"),
)  # fmt: skip
INDICATOR = PlanPart(
    "indicator", Indicator, IndicatorForm, "indicator", services.indicator_save, services.indicator_delete,
    "indicators", gettext_lazy("Ajouter un indicateur"), gettext_lazy("Modifier l'indicateur"),
)  # fmt: skip


def _plan_part_form(request, pk, row_pk, part: PlanPart):
    project = _managed_project(request, pk)
    row = get_object_or_404(part.model, pk=row_pk, project=project) if row_pk else part.model(project=project)
    form = part.form(request.POST or None, instance=row)

    def save():
        target = {part.keyword: row if row.pk else None}
        return part.save(project=project, by=request.user, data=form.cleaned_data, **target)

    delete_url = row.pk and reverse(f"projects:{part.name}_delete", args=[project.pk, row.pk])
    title = part.edit_title if row.pk else part.add_title
    return _part_form(request, project, form, save, title=title, anchor=part.anchor, delete_url=delete_url)


def _plan_part_delete(request, pk, row_pk, part: PlanPart):
    project = _managed_project(request, pk)
    row = get_object_or_404(part.model, pk=row_pk, project=project)
    return _delete(request, project, part.delete, anchor=part.anchor, **{part.keyword: row})


def budget_line_form(request, pk, line_pk=None):
    return _plan_part_form(request, pk, line_pk, BUDGET_LINE)


@require_POST
def budget_line_delete(request, pk, line_pk):
    return _plan_part_delete(request, pk, line_pk, BUDGET_LINE)


def funding_form(request, pk, funding_pk=None):
    return _plan_part_form(request, pk, funding_pk, FUNDING)


@require_POST
def funding_delete(request, pk, funding_pk):
    return _plan_part_delete(request, pk, funding_pk, FUNDING)


def milestone_form(request, pk, milestone_pk=None):
    return _plan_part_form(request, pk, milestone_pk, MILESTONE)


@require_POST
def milestone_delete(request, pk, milestone_pk):
    return _plan_part_delete(request, pk, milestone_pk, MILESTONE)


@require_POST
def milestone_complete(request, pk, milestone_pk):
    """Mark a milestone done today; the service lets the coordination and the owner organisation do it."""
    project = project_detail(user=request.user, pk=pk)
    milestone = next((m for m in project.milestones.all() if m.pk == milestone_pk), None)
    if milestone is None:
        raise Http404
    run_service(
        request,
        services.milestone_complete,
        milestone=milestone,
        by=request.user,
        done=_("Le jalon « %(title)s » est réalisé.") % {"title": milestone.title},
    )
    return redirect(section_url(project, "milestones"))


def indicator_form(request, pk, indicator_pk=None):
    return _plan_part_form(request, pk, indicator_pk, INDICATOR)


@require_POST
def indicator_delete(request, pk, indicator_pk):
    return _plan_part_delete(request, pk, indicator_pk, INDICATOR)
