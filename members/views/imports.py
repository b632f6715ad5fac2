"""Bulk import of the registry (coordinator): upload, preview with a row-by-row report, confirm.

The uploaded file stays on the server (default storage, `imports/<uuid>.<ext>`, named in the session)
between the preview and the confirmation, and is read and validated again when the import is confirmed:
nothing parsed on the way is trusted from the browser.
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

from ..exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, registry_template_csv, registry_template_xlsx
from ..imports import parse_registry_file, registry_import_apply, registry_import_preview

SESSION_KEY = "members_import"
MAX_ERRORS_SHOWN = 500


class RegistryUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier du registre"),
        help_text=gettext_lazy("CSV (UTF-8, séparateur ; ou ,) ou Excel .xlsx, 10 Mo au plus."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _require_coordinator(request) -> None:
    if not request.user.is_coordinator:
        raise PermissionDenied


def _forget_pending_file(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        default_storage.delete(pending["path"])


@require_http_methods(["GET", "POST"])
def upload(request):
    _require_coordinator(request)
    form = RegistryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded_file = form.cleaned_data["file"]
        try:
            parse_registry_file(uploaded_file=uploaded_file)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            _forget_pending_file(request)
            extension = PurePath(uploaded_file.name).suffix.lower()
            uploaded_file.seek(0)
            path = default_storage.save(f"imports/{uuid.uuid4().hex}{extension}", uploaded_file)
            request.session[SESSION_KEY] = {"path": path, "filename": PurePath(uploaded_file.name).name}
            return redirect("members:import_preview")
    return render(request, "members/import_upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
def preview(request):
    _require_coordinator(request)
    pending = request.session.get(SESSION_KEY)
    if not pending or not default_storage.exists(pending["path"]):
        messages.warning(request, _("Aucun fichier en attente : déposez le fichier à importer."))
        return redirect("members:import")
    with default_storage.open(pending["path"]) as stored_file:
        stored_file.name = pending["filename"]
        try:
            parsed = parse_registry_file(uploaded_file=stored_file)
        except ValidationError as error:
            _forget_pending_file(request)
            messages.error(request, " ".join(error.messages))
            return redirect("members:import")
    if request.method == "POST":
        try:
            result = registry_import_apply(actor=request.user, parsed=parsed)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            _forget_pending_file(request)
            messages.success(request, _summary(result))
            return redirect("members:member_list")
    report = registry_import_preview(parsed=parsed)
    context = {
        "parsed": parsed,
        "report": report,
        "errors_shown": report.errors[:MAX_ERRORS_SHOWN],
        "errors_hidden": max(len(report.errors) - MAX_ERRORS_SHOWN, 0),
    }
    return render(request, "members/import_preview.html", context)


def _summary(result) -> str:
    return _(
        "Import terminé : %(members_created)s membres créés, %(members_updated)s mis à jour ; "
        "%(sites_created)s sites créés, %(sites_updated)s mis à jour."
    ) % {
        "members_created": len(result.members_to_create),
        "members_updated": len(result.members_to_update),
        "sites_created": len(result.sites_to_create),
        "sites_updated": len(result.sites_to_update),
    }


def template(request, file_format: str):
    _require_coordinator(request)
    if file_format == "xlsx":
        content, content_type = registry_template_xlsx(), XLSX_CONTENT_TYPE
    else:
        content, content_type = registry_template_csv(), CSV_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="modele-import-membres.{file_format}"'
    return response
