"""The REST API of waste flows: reference data (EWC codes, materials, units), streams and the territory
inventory, under /api/v1/ (registered in ptce.api.router)."""
