"""Bulk import of the registry (coordinator): upload, preview with a row-by-row report, confirm."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..exports import registry_template_csv, registry_template_xlsx
from ..imports import parse_registry_file, registry_import_apply, registry_import_preview
from . import import_flow


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


REGISTRY_IMPORT = import_flow.ImportFlow(
    session_key="members_import",
    file_label=gettext_lazy("Fichier du registre"),
    may_import=lambda user: user.is_coordinator,
    parse=parse_registry_file,
    preview=lambda *, actor, parsed: registry_import_preview(parsed=parsed),
    apply=registry_import_apply,
    summary=_summary,
    done_url=lambda user: "members:member_list",
    template_file=lambda *, user, file_format: (
        registry_template_xlsx() if file_format == "xlsx" else registry_template_csv()
    ),
    template_name="modele-import-membres",
    upload_url="members:import",
    preview_url="members:import_preview",
    upload_page="members/import_upload.html",
    preview_page="members/import_preview.html",
)


@require_http_methods(["GET", "POST"])
def upload(request):
    return import_flow.upload(request, REGISTRY_IMPORT)


@require_http_methods(["GET", "POST"])
def preview(request):
    return import_flow.preview(request, REGISTRY_IMPORT)


def template(request, file_format: str):
    return import_flow.template(request, REGISTRY_IMPORT, file_format)
