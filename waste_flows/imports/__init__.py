"""Bulk import of streams (offers and needs) from a CSV or XLSX file, all or nothing.

It works like the registry import (`members.imports`), whose file reading and cell parsing it reuses:

1. `parse_stream_file` reads the file (format, size, encoding, separator, headers) or refuses it.
2. `stream_import_preview` converts every cell, finds each row's site among those the importing user may
   edit, finds the stream the row updates, and runs on every row the checks the services run
   (`stream_validate` and the model's `full_clean()`). It writes nothing and returns the plan with a
   row-by-row report.
3. `stream_import_apply` builds the plan again inside one transaction and writes it through
   `stream_declare` / `stream_update`, so the history names the importing user as author.

Stream has no field for the member's own reference of a stream, so a re-import recognises a stream by its
natural key: site, direction, material, waste code and description (compared without case, accents or
punctuation). Changing one of these in the file declares a new stream; the "Référence" column is read and
shown in the report, and two rows with the same reference are refused, but it is not stored.

A member user imports for the sites of its own organisation, named by SIRET or by site name; the
coordinator imports for every member and names sites by SIRET. An empty cell never erases anything: it
keeps the recorded value, or the default for a new stream.
"""

from .columns import COLUMNS, can_import_streams, infer_kind
from .planning import StreamImportPreview, stream_import_preview
from .reading import ParsedFile, parse_stream_file
from .template import stream_template_csv, stream_template_xlsx
from .writing import stream_import_apply

__all__ = [
    "COLUMNS",
    "ParsedFile",
    "StreamImportPreview",
    "can_import_streams",
    "infer_kind",
    "parse_stream_file",
    "stream_import_apply",
    "stream_import_preview",
    "stream_template_csv",
    "stream_template_xlsx",
]
