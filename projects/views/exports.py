"""Export of the project list (coordinator): what the list shows with the same filters, as CSV or XLSX."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone

from members.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from ..exports import project_export_csv, project_export_xlsx
from ..filters import ProjectFilter
from ..permissions import can_manage
from ..selectors import project_list


def project_export(request, file_format: str):
    if not can_manage(request.user):
        raise PermissionDenied
    project_filter = ProjectFilter(request.GET, queryset=project_list(user=request.user), user=request.user)
    projects = project_filter.qs if project_filter.is_valid() else project_list(user=request.user).none()
    if file_format == "xlsx":
        response = HttpResponse(project_export_xlsx(queryset=projects), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(project_export_csv(queryset=projects), content_type=CSV_CONTENT_TYPE)
    filename = f"projets-{timezone.localdate():%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
