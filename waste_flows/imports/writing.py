"""Step 3 of the stream import: writing the plan in one transaction, with history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import User

from ..services import rescoring_batched, stream_declare, stream_update
from .columns import CREATE, UPDATE
from .planning import StreamImportPreview, stream_import_preview
from .reading import ParsedFile

# --- Step 3: writing ----------------------------------------------------------------------------------


@transaction.atomic
def stream_import_apply(*, actor: User, parsed: ParsedFile) -> StreamImportPreview:
    """Validate the file again and, if every row is right, write it all in one transaction through the
    services (which check the rights and the data once more, and record the importing user as author)."""
    preview = stream_import_preview(actor=actor, parsed=parsed)
    if not preview.is_valid:
        raise ValidationError(_("Le fichier contient des erreurs : rien n'a été enregistré."), code="invalid_rows")
    # One full matching run after the import rather than one incremental run per row.
    with rescoring_batched():
        _apply_plans(actor=actor, preview=preview)
    return preview


def _apply_plans(*, actor: User, preview) -> None:
    for plan in preview.planned:
        try:
            if plan.action == CREATE:
                plan.stream = stream_declare(actor=actor, **plan.fields)
            elif plan.action == UPDATE:
                stream_update(actor=actor, stream=plan.stream, **plan.fields)
        except ValidationError as error:  # the data changed since the preview
            raise ValidationError(
                _("Ligne %(row)s : %(errors)s Rien n'a été enregistré."),
                params={"row": plan.row, "errors": " ".join(error.messages)}, code="conflict",
            ) from None  # fmt: skip
