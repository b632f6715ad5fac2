"""One project: its page (what the user may see and do on it), its printable sheet, its creation (from
scratch or from an opportunity) and edition, comments and linked opportunities.

Reading goes through `project_detail`, which answers 404 for a project the user may not read (a
coordinator-only project of another organisation looks like it does not exist)."""

import copy
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.views.helpers import call_service, require_coordinator
from waste_flows.matches import Match

from .. import services
from ..documents import max_bytes
from ..enums import BudgetCategory
from ..forms import CommentForm, DocumentForm, LinkMatchForm, ProjectForm, StatusChangeForm
from ..models import Project
from ..permissions import (
    can_comment,
    can_complete_milestone,
    can_delete_document,
    can_edit_commitment,
    can_manage,
    can_see_documents,
    can_upload,
    is_involved,
)
from ..selectors import indicator_table
from ..selectors import project_detail as project_for_detail
from ..transitions import allowed_next_statuses
from .helpers import run_service, section_url


def project_detail(request, pk):
    project = project_for_detail(user=request.user, pk=pk)
    return render_detail(request, project)


def render_detail(request, project: Project, *, status: int = 200, **forms):
    """The project page; `forms` replaces the empty comment or document form by one carrying errors."""
    return render(request, "projects/project_detail.html", detail_context(request, project, **forms), status=status)


def detail_context(request, project: Project, *, comment_form=None, document_form=None) -> dict:
    user = request.user
    participants = list(project.participants.all())
    own = next((p for p in participants if user.member_id and p.member_id == user.member_id), None)
    allowed = allowed_next_statuses(project)
    manage = can_manage(user)
    return {
        **sheet_context(project, user),
        "can_manage": manage,
        "involved": is_involved(user, project),
        "can_print": can_see_documents(user, project),
        "can_see_documents": can_see_documents(user, project),
        "can_upload": can_upload(user, project),
        "can_comment": can_comment(user, project),
        "own_participant": own,
        "can_edit_commitment": own is not None and can_edit_commitment(user, own),
        "allowed_statuses": allowed,
        "status_form": StatusChangeForm(allowed=allowed) if manage else None,
        "comment_form": comment_form or CommentForm(),
        "document_form": document_form or DocumentForm(max_bytes=max_bytes()),
        "link_match_form": LinkMatchForm(),
        "documents": [
            {"document": document, "can_delete": can_delete_document(user, document)}
            for document in project.documents.all()
        ],
        "activities": list(project.activities.all()),
    }


def sheet_context(project: Project, user) -> dict:
    """What both the page and the printable sheet show, from the prefetched project (no query)."""
    lines = list(project.budget_lines.all())
    return {
        "project": project,
        "participants": list(project.participants.all()),
        "budget_lines": lines,
        "fundings": list(project.fundings.all()),
        "totals": {
            "investment": _sum(line.amount for line in lines if line.category == BudgetCategory.INVESTMENT),
            "operation": _sum(line.amount for line in lines if line.category == BudgetCategory.OPERATION),
            "budget": project.budget_total,
            "requested": project.funding_requested,
            "granted": project.funding_granted,
            "received": project.funding_received,
            "gap": project.funding_gap,
        },
        "milestones": [
            {"milestone": milestone, "can_complete": can_complete_milestone(user, milestone)}
            for milestone in project.milestones.all()
        ],
        "indicators": indicator_table(project),
        "matches": list(project.matches.all()),
        "today": timezone.localdate(),
    }


def _sum(amounts) -> Decimal:
    return sum(amounts, Decimal("0"))


def project_print(request, pk):
    project = project_for_detail(user=request.user, pk=pk)
    if not can_see_documents(request.user, project):
        raise PermissionDenied
    context = {**sheet_context(project, request.user), "printable": True}
    return render(request, "projects/project_print.html", context)


# --- Creation and edition (coordinator) -------------------------------------------------------------


def project_create(request):
    require_coordinator(request.user)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = call_service(form, services.project_create, by=request.user, data=form.cleaned_data)
        if project:
            messages.success(request, _("Le projet est créé. Ajoutez ses participants, son budget et ses jalons."))
            return redirect(project)
    context = {"form": form, "title": _("Nouveau projet"), "cancel_url": reverse("projects:project_list")}
    return render(request, "projects/object_form.html", context)


def project_edit(request, pk):
    require_coordinator(request.user)
    project = get_object_or_404(Project, pk=pk)
    # A model form writes the posted values into its instance while validating: it gets a copy, so that the
    # service still sees the project as stored and can tell (and log) what changed.
    form = ProjectForm(request.POST or None, instance=copy.copy(project))
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, services.project_update, project=project, by=request.user, data=form.cleaned_data)
        if saved:
            messages.success(request, _("Le projet est enregistré."))
            return redirect(saved)
    context = {
        "form": form,
        "project": project,
        "title": _("Modifier le projet"),
        "cancel_url": project.get_absolute_url(),
    }
    return render(request, "projects/object_form.html", context)


@require_POST
def project_from_match(request, match_pk):
    """A project started from an opportunity: participants, quantities and impact come from the match; the
    coordinator lands on the edit page to complete it."""
    require_coordinator(request.user)
    match = get_object_or_404(Match, pk=match_pk)
    try:
        project = services.project_create_from_match(match=match, by=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect(match)
    messages.success(
        request,
        _("Le projet « %(title)s » est créé à partir de la mise en relation : vérifiez-le et complétez-le.")
        % {"title": project.title},
    )
    return redirect("projects:project_edit", pk=project.pk)


# --- Comments and linked opportunities --------------------------------------------------------------


@require_POST
def comment_add(request, pk):
    project = project_for_detail(user=request.user, pk=pk)
    if not can_comment(request.user, project):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        comment = call_service(
            form, services.comment_add, project=project, by=request.user, message=form.cleaned_data["message"]
        )
        if comment:
            messages.success(request, _("Votre commentaire est ajouté au journal du projet."))
            return redirect(section_url(project, "activity"))
    return render_detail(request, project, status=400, comment_form=form)


@require_POST
def match_link(request, pk):
    require_coordinator(request.user)
    project = get_object_or_404(Project, pk=pk)
    form = LinkMatchForm(request.POST)
    match = Match.objects.filter(pk=form.cleaned_data["match"]).first() if form.is_valid() else None
    if match is None:
        messages.error(request, _("Aucune mise en relation ne porte ce numéro."))
    else:
        run_service(
            request,
            services.project_link_match,
            project=project,
            match=match,
            by=request.user,
            done=_("La mise en relation est liée au projet."),
        )
    return redirect(section_url(project, "matches"))


@require_POST
def match_unlink(request, pk, match_pk):
    require_coordinator(request.user)
    project = get_object_or_404(Project, pk=pk)
    match = get_object_or_404(project.matches, pk=match_pk)
    run_service(
        request,
        services.project_unlink_match,
        project=project,
        match=match,
        by=request.user,
        done=_("Le lien avec la mise en relation est retiré."),
    )
    return redirect(section_url(project, "matches"))
