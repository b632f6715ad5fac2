"""Bulk import of streams: upload, preview with a row-by-row report, confirm (see waste_flows/imports.py).

As for the registry import, the uploaded file stays on the server (default storage, named in the session)
between the preview and the confirmation, and is read and validated again when the import is confirmed.
"""

import uuid
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from members.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from ..imports import (
    can_import_streams,
    parse_stream_file,
    stream_import_apply,
    stream_import_preview,
    stream_template_csv,
    stream_template_xlsx,
)

SESSION_KEY = "waste_flows_import"
MAX_ROWS_SHOWN = 500


class StreamUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier des flux"),
        help_text=gettext_lazy("CSV (UTF-8, séparateur ; ou ,) ou Excel .xlsx, 10 Mo au plus."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _require_importer(request) -> None:
    if not can_import_streams(request.user):
        raise PermissionDenied


def _forget_pending_file(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        default_storage.delete(pending["path"])


@require_http_methods(["GET", "POST"])
def upload(request):
    _require_importer(request)
    form = StreamUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded_file = form.cleaned_data["file"]
        try:
            parse_stream_file(uploaded_file=uploaded_file)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            _forget_pending_file(request)
            extension = PurePath(uploaded_file.name).suffix.lower()
            uploaded_file.seek(0)
            path = default_storage.save(f"imports/{uuid.uuid4().hex}{extension}", uploaded_file)
            request.session[SESSION_KEY] = {"path": path, "filename": PurePath(uploaded_file.name).name}
            return redirect("waste_flows:import_preview")
    return render(request, "waste_flows/import_upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
def preview(request):
    _require_importer(request)
    pending = request.session.get(SESSION_KEY)
    if not pending or not default_storage.exists(pending["path"]):
        messages.warning(request, _("Aucun fichier en attente : déposez le fichier à importer."))
        return redirect("waste_flows:import")
    with default_storage.open(pending["path"]) as stored_file:
        stored_file.name = pending["filename"]
        try:
            parsed = parse_stream_file(uploaded_file=stored_file)
        except ValidationError as error:
            _forget_pending_file(request)
            messages.error(request, " ".join(error.messages))
            return redirect("waste_flows:import")
    if request.method == "POST":
        try:
            result = stream_import_apply(actor=request.user, parsed=parsed)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            _forget_pending_file(request)
            messages.success(request, _summary(result))
            return redirect("waste_flows:stream_list" if request.user.is_coordinator else "waste_flows:my_streams")
    report = stream_import_preview(actor=request.user, parsed=parsed)
    context = {
        "parsed": parsed,
        "report": report,
        "errors_shown": report.errors[:MAX_ROWS_SHOWN],
        "errors_hidden": max(len(report.errors) - MAX_ROWS_SHOWN, 0),
        "planned_shown": report.planned[:MAX_ROWS_SHOWN],
        "planned_hidden": max(len(report.planned) - MAX_ROWS_SHOWN, 0),
    }
    return render(request, "waste_flows/import_preview.html", context)


def _summary(result) -> str:
    return _("Import terminé : %(created)s flux créés, %(updated)s mis à jour, %(unchanged)s inchangés.") % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


def template(request, file_format: str):
    _require_importer(request)
    if file_format == "xlsx":
        content, content_type = stream_template_xlsx(user=request.user), XLSX_CONTENT_TYPE
    else:
        content, content_type = stream_template_csv(user=request.user), CSV_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="modele-import-flux.{file_format}"'
    return response
