"""Bulk import of the member registry from a CSV or XLSX file.

One row is one site of a member; rows sharing a SIREN are the sites of one member (a row whose site
cells are all empty only carries member data). The import runs in three steps, so that nothing is
written unless the whole file is right:

1. `parse_registry_file` reads the file (size, encoding, separator, headers) into raw cells, or refuses it.
2. `registry_import_preview` converts the cells, matches them with the registry — members by SIREN, sites
   by SIRET, or by member and site name when there is no SIRET — and validates every instance with the
   model's own `full_clean()`. It only reads, and returns the plan with a row-by-row report.
3. `registry_import_apply` builds the plan again inside one transaction and writes it with bulk queries
   that also write the history, under the importing user.

Validation happens in memory so that 10,000 rows do not cost tens of thousands of queries: existing rows
are loaded in bulk, and `full_clean()` skips only the checks that would query the database once per row.
Those are done here against the loaded rows and the rest of the file: foreign keys (resolved from loaded
rows), SIREN and SIRET uniqueness (they are the matching keys), one main site per member, the joined/left
dates. If the registry changes between validation and writing, the database constraints still catch it
and the whole import is rolled back.

An empty cell never erases anything: it keeps the current value, or the default for a new row.
"""

from .columns import COLUMNS, MAX_FILE_BYTES, MAX_ROWS, Column
from .planning import CellConverter, ImportPreview, RowError, chunked_filter, error_messages, registry_import_preview
from .reading import ParsedFile, ParsedRow, is_empty_cell, normalise, parse_registry_file, read_spreadsheet
from .writing import registry_import_apply

__all__ = [
    "COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "CellConverter",
    "Column",
    "ImportPreview",
    "ParsedFile",
    "ParsedRow",
    "RowError",
    "chunked_filter",
    "error_messages",
    "is_empty_cell",
    "normalise",
    "parse_registry_file",
    "read_spreadsheet",
    "registry_import_apply",
    "registry_import_preview",
]
