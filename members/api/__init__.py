"""The REST API of the member registry: /api/v1/members/ and /api/v1/sites/ (registered in ptce.api.router)."""
