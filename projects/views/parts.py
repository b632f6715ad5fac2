"""Edit pages of a project's parts: participants, budget lines, fundings, milestones and indicators
(coordinator), a participant's own commitment (the coordination or that organisation's admins and
editors), and marking a milestone done (also the owner organisation's admins and editors)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
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


# --- Budget lines and fundings ------------------------------------------------------------------------


def budget_line_form(request, pk, line_pk=None):
    project = _managed_project(request, pk)
    line = get_object_or_404(BudgetLine, pk=line_pk, project=project) if line_pk else BudgetLine(project=project)
    form = BudgetLineForm(request.POST or None, instance=line)

    def save():
        return services.budget_line_save(
            project=project, by=request.user, line=line if line.pk else None, data=form.cleaned_data
        )

    delete_url = line.pk and reverse("projects:budget_line_delete", args=[project.pk, line.pk])
    title = _("Modifier la dépense") if line.pk else _("Ajouter une dépense")
    return _part_form(request, project, form, save, title=title, anchor="budget", delete_url=delete_url)


@require_POST
def budget_line_delete(request, pk, line_pk):
    project = _managed_project(request, pk)
    line = get_object_or_404(BudgetLine, pk=line_pk, project=project)
    return _delete(request, project, services.budget_line_delete, anchor="budget", line=line)


def funding_form(request, pk, funding_pk=None):
    project = _managed_project(request, pk)
    funding = get_object_or_404(Funding, pk=funding_pk, project=project) if funding_pk else Funding(project=project)
    form = FundingForm(request.POST or None, instance=funding)

    def save():
        return services.funding_save(
            project=project, by=request.user, funding=funding if funding.pk else None, data=form.cleaned_data
        )

    delete_url = funding.pk and reverse("projects:funding_delete", args=[project.pk, funding.pk])
    title = _("Modifier le financement") if funding.pk else _("Ajouter un financement")
    return _part_form(request, project, form, save, title=title, anchor="budget", delete_url=delete_url)


@require_POST
def funding_delete(request, pk, funding_pk):
    project = _managed_project(request, pk)
    funding = get_object_or_404(Funding, pk=funding_pk, project=project)
    return _delete(request, project, services.funding_delete, anchor="budget", funding=funding)


# --- Milestones and indicators ------------------------------------------------------------------------


def milestone_form(request, pk, milestone_pk=None):
    project = _managed_project(request, pk)
    milestone = (
        get_object_or_404(Milestone, pk=milestone_pk, project=project) if milestone_pk else Milestone(project=project)
    )
    form = MilestoneForm(request.POST or None, instance=milestone)

    def save():
        return services.milestone_save(
            project=project, by=request.user, milestone=milestone if milestone.pk else None, data=form.cleaned_data
        )

    delete_url = milestone.pk and reverse("projects:milestone_delete", args=[project.pk, milestone.pk])
    title = _("Modifier le jalon") if milestone.pk else _("Ajouter un jalon")
    return _part_form(request, project, form, save, title=title, anchor="milestones", delete_url=delete_url)


@require_POST
def milestone_delete(request, pk, milestone_pk):
    project = _managed_project(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, project=project)
    return _delete(request, project, services.milestone_delete, anchor="milestones", milestone=milestone)


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
    project = _managed_project(request, pk)
    indicator = (
        get_object_or_404(Indicator, pk=indicator_pk, project=project) if indicator_pk else Indicator(project=project)
    )
    form = IndicatorForm(request.POST or None, instance=indicator)

    def save():
        return services.indicator_save(
            project=project, by=request.user, indicator=indicator if indicator.pk else None, data=form.cleaned_data
        )

    delete_url = indicator.pk and reverse("projects:indicator_delete", args=[project.pk, indicator.pk])
    title = _("Modifier l'indicateur") if indicator.pk else _("Ajouter un indicateur")
    return _part_form(request, project, form, save, title=title, anchor="indicators", delete_url=delete_url)


@require_POST
def indicator_delete(request, pk, indicator_pk):
    project = _managed_project(request, pk)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, project=project)
    return _delete(request, project, services.indicator_delete, anchor="indicators", indicator=indicator)
