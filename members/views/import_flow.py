"""The upload → preview → confirm flow shared by every bulk import (registry, streams).

The uploaded file stays on the server (default storage, `imports/<uuid>.<ext>`, named in the session)
between the preview and the confirmation, and is read and validated again when the import is confirmed:
nothing parsed on the way is trusted from the browser. Files never confirmed are purged every night
(members.tasks.purge_stale_imports).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from ..tasks import IMPORTS_FOLDER

MAX_ROWS_SHOWN = 500


@dataclass(frozen=True)
class ImportFlow:
    """What differs from one import to another; the views below do the rest."""

    session_key: str
    file_label: str
    may_import: Callable  # (user) -> bool
    parse: Callable  # (*, uploaded_file) -> parsed file; raises ValidationError for a file-level problem
    preview: Callable  # (*, actor, parsed) -> report with `.errors` (and `.planned` when it lists rows)
    apply: Callable  # (*, actor, parsed) -> result; atomic, raises ValidationError
    summary: Callable  # (result) -> translated success message
    done_url: Callable  # (user) -> URL name to go to after the import
    template_file: Callable  # (*, user, file_format) -> bytes
    template_name: str  # file name of the downloadable template, without extension
    upload_url: str
    preview_url: str
    upload_page: str
    preview_page: str


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text=gettext_lazy("CSV (UTF-8, séparateur ; ou ,) ou Excel .xlsx, 10 Mo au plus."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label


def _require_importer(request, flow: ImportFlow) -> None:
    if not flow.may_import(request.user):
        raise PermissionDenied


def _forget_pending_file(request, flow: ImportFlow) -> None:
    pending = request.session.pop(flow.session_key, None)
    if pending:
        default_storage.delete(pending["path"])


def upload(request, flow: ImportFlow):
    _require_importer(request, flow)
    form = UploadForm(request.POST or None, request.FILES or None, label=flow.file_label)
    if request.method == "POST" and form.is_valid():
        uploaded_file = form.cleaned_data["file"]
        try:
            flow.parse(uploaded_file=uploaded_file)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            _forget_pending_file(request, flow)
            extension = PurePath(uploaded_file.name).suffix.lower()
            uploaded_file.seek(0)
            path = default_storage.save(f"{IMPORTS_FOLDER}/{uuid.uuid4().hex}{extension}", uploaded_file)
            request.session[flow.session_key] = {"path": path, "filename": PurePath(uploaded_file.name).name}
            return redirect(flow.preview_url)
    return render(request, flow.upload_page, {"form": form})


def preview(request, flow: ImportFlow):
    _require_importer(request, flow)
    pending = request.session.get(flow.session_key)
    if not pending or not default_storage.exists(pending["path"]):
        messages.warning(request, _("Aucun fichier en attente : déposez le fichier à importer."))
        return redirect(flow.upload_url)
    with default_storage.open(pending["path"]) as stored_file:
        stored_file.name = pending["filename"]
        try:
            parsed = flow.parse(uploaded_file=stored_file)
        except ValidationError as error:
            _forget_pending_file(request, flow)
            messages.error(request, " ".join(error.messages))
            return redirect(flow.upload_url)
    if request.method == "POST":
        try:
            result = flow.apply(actor=request.user, parsed=parsed)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            _forget_pending_file(request, flow)
            messages.success(request, flow.summary(result))
            return redirect(flow.done_url(request.user))
    report = flow.preview(actor=request.user, parsed=parsed)
    planned = getattr(report, "planned", [])
    context = {
        "parsed": parsed,
        "report": report,
        "errors_shown": report.errors[:MAX_ROWS_SHOWN],
        "errors_hidden": max(len(report.errors) - MAX_ROWS_SHOWN, 0),
        "planned_shown": planned[:MAX_ROWS_SHOWN],
        "planned_hidden": max(len(planned) - MAX_ROWS_SHOWN, 0),
    }
    return render(request, flow.preview_page, context)


def template(request, flow: ImportFlow, file_format: str):
    _require_importer(request, flow)
    content_type = XLSX_CONTENT_TYPE if file_format == "xlsx" else CSV_CONTENT_TYPE
    response = HttpResponse(flow.template_file(user=request.user, file_format=file_format), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{flow.template_name}.{file_format}"'
    return response
