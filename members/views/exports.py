"""Exports of the member list (coordinator): the filtered list of the registry page, as CSV or XLSX."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone

from ..exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, member_export_csv, member_export_xlsx
from ..filters import MemberFilter
from ..models import Member


def member_export(request, file_format: str):
    if not request.user.is_coordinator:
        raise PermissionDenied
    # Annotated before filtering: the list's ordering may sort on site count or fees due.
    members = Member.objects.visible_to(request.user).with_site_count().with_outstanding_fees()
    queryset = MemberFilter(request.GET, queryset=members, user=request.user).qs
    if file_format == "xlsx":
        response = HttpResponse(member_export_xlsx(queryset=queryset), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(member_export_csv(queryset=queryset), content_type=CSV_CONTENT_TYPE)
    filename = f"membres-{timezone.localdate():%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
