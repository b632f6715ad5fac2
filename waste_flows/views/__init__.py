"""Browser views of waste flows, one module per area (declarations, inventory, import)."""
