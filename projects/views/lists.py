"""Project lists: the coordinator's list of every project, "Mes projets" of a member organisation, and the
projects of the pole that a member user or a partner may read (visibility decides, see
`Project.objects.visible_to`)."""

from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members.views.helpers import paginate, query_without_page

from ..enums import ProjectStatus
from ..filters import ProjectFilter
from ..models import Project
from ..permissions import can_manage
from ..selectors import BOARD_COLUMNS
from ..selectors import project_list as project_list_queryset


def project_list(request):
    user = request.user
    if can_manage(user):
        title, intro = _("Projets"), ""
    else:
        title = _("Projets du pôle")
        intro = _("Les projets ouverts aux membres du pôle et ceux auxquels votre structure participe.")
        if not user.member_id:
            intro = _("Les projets que le pôle rend publics.")
    return _render_list(request, project_list_queryset(user=user), title=title, intro=intro, mine=False)


def my_projects(request):
    """The projects the user's organisation leads or takes part in, whatever their visibility."""
    user = request.user
    if user.member_id is None:
        return redirect("projects:project_list")
    involved = Project.objects.involving(user.member_id).values("pk")
    projects = project_list_queryset(user=user).filter(pk__in=involved)
    intro = _("Les projets que votre structure porte ou auxquels elle participe.")
    return _render_list(request, projects, title=_("Mes projets"), intro=intro, mine=True)


def _render_list(request, projects, *, title, intro, mine):
    project_filter = ProjectFilter(request.GET, queryset=projects, user=request.user)
    filtered = project_filter.qs if project_filter.is_valid() else Project.objects.none()
    page = paginate(request, filtered)
    context = {
        "title": title,
        "intro": intro,
        "mine": mine,
        "filter": project_filter,
        "page": page,
        "total": page.paginator.count,
        "status_counts": status_counts(filtered),
        "can_manage": can_manage(request.user),
        "query": query_without_page(request),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "projects/project_list.html", context)


def status_counts(projects) -> list[dict]:
    """How many of the listed projects stand at each status, in pipeline order (one query)."""
    counts = dict(
        Project.objects.filter(pk__in=projects.values("pk"))
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    labels = dict(ProjectStatus.choices)
    return [
        {"status": status, "label": labels[status], "count": counts[status]}
        for status in BOARD_COLUMNS
        if counts.get(status)
    ]
