"""Browser views of the member registry, one module per area (registry, directory, import/export)."""
