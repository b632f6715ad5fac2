"""The coordinator's board: one column per status, one card per project. Moving a card is a POST of the
card's own form (a select of the allowed statuses), sent by htmx when the card is dragged; the service
checks the transition and logs it in the project's activity, a refusal is shown as a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.views.helpers import require_coordinator

from .. import services
from ..enums import ProjectStatus
from ..forms import StatusChangeForm
from ..models import Project
from ..selectors import projects_by_status
from ..transitions import allowed_next_statuses


def project_board(request):
    require_coordinator(request.user)
    labels = dict(ProjectStatus.choices)
    columns = [
        {
            "status": status,
            "label": labels[status],
            "cards": [
                {"project": project, "allowed": [(to, labels[to]) for to in allowed_next_statuses(project)]}
                for project in projects
            ],
        }
        for status, projects in projects_by_status(user=request.user).items()
    ]
    context = {"columns": columns, "is_htmx": _is_htmx(request)}
    return render(request, "projects/project_board.html", context)


@require_POST
def project_status(request, pk):
    """Change a project's status from the board (drag or card form) or from the project page."""
    require_coordinator(request.user)
    project = get_object_or_404(Project, pk=pk)
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        _change_status(request, project, form.cleaned_data["to_status"], form.cleaned_data["reason"])
    else:
        messages.error(request, _("Choisissez le nouveau statut du projet."))
    if request.POST.get("return_to") != "board":
        return redirect(project)
    if _is_htmx(request):
        # htmx swaps the board in place: it gets the refreshed board, with the message, right away.
        return project_board(request)
    return redirect("projects:project_board")


def _change_status(request, project: Project, to_status: str, reason: str) -> None:
    previous = project.get_status_display()
    try:
        changed = services.project_change_status(project=project, by=request.user, to_status=to_status, reason=reason)
    except ValidationError as refusal:
        messages.error(
            request,
            _("« %(title)s » reste « %(status)s » : %(reason)s")
            % {"title": project.title, "status": previous, "reason": " ".join(refusal.messages)},
        )
    else:
        messages.success(
            request,
            _("« %(title)s » passe de « %(from)s » à « %(to)s ».")
            % {"title": project.title, "from": previous, "to": changed.get_status_display()},
        )


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
