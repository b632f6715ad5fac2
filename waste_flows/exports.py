"""Exports of the coordinator's stream list (CSV and XLSX), one row per stream.

They reuse the spreadsheet conventions of the member exports (`members.exports`): formulas neutralised,
CSV for French Excel (UTF-8 with BOM, `;`, decimal comma), XLSX written row by row. Only the coordinator
exports: the file holds every field of every stream, confidential ones included."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from members.exports import Sheet, csv_bytes, xlsx_bytes

from .enums import Direction
from .templatetags.stream_tags import BASE_SYMBOLS


def stream_export_headers() -> list[str]:
    return [
        _("Membre"), _("Site"), _("Commune"), _("Sens"), _("Nature du flux"), _("Matière"), _("Code matière"),
        _("Code déchet"), _("Dangereux"), _("Quantité"), _("Unité"), _("Période"),
        _("Quantité annuelle (unité de base)"), _("Unité de base"), _("Devenir actuel"),
        _("Coût annuel du devenir actuel (€)"), _("Confidentialité"), _("Statut"), _("Mis à jour le"),
    ]  # fmt: skip


def stream_export_rows(streams) -> Iterable[list]:
    """`streams` must carry select_related("site__member", "material", "unit", "ewc_code")."""
    for stream in streams:
        site = stream.site
        yield [
            site.member.name, site.name, site.commune, _direction(stream), stream.get_kind_display(),
            stream.material.name, stream.material.code, stream.ewc_code_id or "",
            stream.is_hazardous if stream.ewc_code_id else None, stream.quantity, stream.unit.symbol,
            stream.get_period_display(), stream.annual_quantity, BASE_SYMBOLS.get(stream.material.dimension, ""),
            stream.get_current_route_display(), stream.current_route_cost, stream.get_confidentiality_display(),
            stream.get_status_display(), timezone.localdate(stream.updated_at),
        ]  # fmt: skip


def _direction(stream) -> str:
    # "Offre (ce que le site produit…)" is a form label; a spreadsheet cell needs the word only.
    return _("Offre") if stream.direction == Direction.OFFER else _("Besoin")


def stream_export_csv(*, queryset) -> bytes:
    return csv_bytes(headers=stream_export_headers(), rows=stream_export_rows(queryset.iterator(chunk_size=500)))


def stream_export_xlsx(*, queryset) -> bytes:
    rows = stream_export_rows(queryset.iterator(chunk_size=500))
    widths = (32, 28, 18, 10, 22, 30, 24, 12, 10, 12, 8, 14, 16, 10, 26, 14, 22, 12, 14)
    return xlsx_bytes(sheets=[Sheet(_("Flux"), stream_export_headers(), rows, widths)])
