"""Bulk import of streams: upload, preview with a row-by-row report, confirm (see waste_flows/imports.py)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from members.views import import_flow

from ..imports import (
    can_import_streams,
    parse_stream_file,
    stream_import_apply,
    stream_import_preview,
    stream_template_csv,
    stream_template_xlsx,
)


def _summary(result) -> str:
    return _("Import terminé : %(created)s flux créés, %(updated)s mis à jour, %(unchanged)s inchangés.") % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


STREAM_IMPORT = import_flow.ImportFlow(
    session_key="waste_flows_import",
    file_label=gettext_lazy("Fichier des flux"),
    may_import=can_import_streams,
    parse=parse_stream_file,
    preview=stream_import_preview,
    apply=stream_import_apply,
    summary=_summary,
    done_url=lambda user: "waste_flows:stream_list" if user.is_coordinator else "waste_flows:my_streams",
    template_file=lambda *, user, file_format: (
        stream_template_xlsx(user=user) if file_format == "xlsx" else stream_template_csv(user=user)
    ),
    template_name="modele-import-flux",
    upload_url="waste_flows:import",
    preview_url="waste_flows:import_preview",
    upload_page="waste_flows/import_upload.html",
    preview_page="waste_flows/import_preview.html",
)


@require_http_methods(["GET", "POST"])
def upload(request):
    return import_flow.upload(request, STREAM_IMPORT)


@require_http_methods(["GET", "POST"])
def preview(request):
    return import_flow.preview(request, STREAM_IMPORT)


def template(request, file_format: str):
    return import_flow.template(request, STREAM_IMPORT, file_format)
