"""Postprocessing hooks of the OpenAPI schema (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

`document_errors` documents the error answers every operation can give, in the shape of ptce.api.errors.

drf-spectacular only writes the success of each operation. Clients (and schemathesis, which checks that every
answer is documented) need the errors too. Which ones an operation can give follows from what it is, read
from the generated operation itself, so that a new endpoint is documented without being listed here:

- 401: a key that is unknown, revoked or expired (`Authorization: Bearer …`), on every operation: the key is
  checked before anything else, even where keys are not accepted.
- 403: no session and no key, a key without the scope, or a user without the right: every operation.
- 429: over the rate limit of the key or the user: every operation.
- 404: an object that does not exist or that the user may not see (paths with a parameter), a page past the
  end (paginated lists) and an unknown `format`.
- 400: a request body that does not validate, or a query filter that does not (an unknown choice, a date
  that is not one…).
- 415: a request body that is not JSON.
- 304: a GET whose `If-None-Match` still matches the answer's ETag (members.api.formats).
"""

ERROR_COMPONENT = "ApiError"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API has this shape (ptce.api.errors).",
    "properties": {
        "code": {"type": "string", "description": "Stable machine-readable code: `invalid`, `not_found`…"},
        "detail": {"type": "string", "description": "A sentence in the request's language."},
        "errors": {
            "type": "array",
            "description": "One entry per invalid field (400); empty for the other errors.",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True, "description": "Dotted path, or null."},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
                "required": ["field", "code", "message"],
            },
        },
    },
    "required": ["code", "detail", "errors"],
}
HEADER_WWW_AUTHENTICATE = {
    "WWW-Authenticate": {"schema": {"type": "string"}, "required": True, "description": '`Bearer realm="api"`'}
}
HEADER_RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer"}, "required": True, "description": "Seconds to wait."}
}
# Query parameters that are not filters: a wrong value is ignored (pages) or answers 404 (format).
NOT_FILTERS = {"page", "page_size", "format"}
# Writes whose body is JSON.
BODY_MEDIA_TYPE = "application/json"


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                _add_errors(path, method, operation)
    return result


def _add_errors(path: str, method: str, operation: dict) -> None:
    responses = operation.setdefault("responses", {})
    query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    codes = {
        "401": ("Unknown, revoked or expired API key.", HEADER_WWW_AUTHENTICATE),
        "403": ("Not authenticated, or not allowed (the key's scope or the user's rights).", None),
        "429": ("Too many requests: over the rate limit of the key or the user.", HEADER_RETRY_AFTER),
    }
    if "{" in path or query & {"page", "format"}:
        codes["404"] = ("Not found, not visible to this user, past the last page, or an unknown format.", None)
    if "requestBody" in operation or query - NOT_FILTERS:
        codes["400"] = ("Invalid data or query parameters: see `errors`.", None)
    if "requestBody" in operation:
        codes["415"] = ("The request body is not JSON.", None)
    for code, (description, headers) in codes.items():
        if code not in responses:
            responses[code] = _error_response(description, headers)
    if method == "get" and "304" not in responses:
        responses["304"] = {"description": "Not modified: `If-None-Match` matches the answer's current ETag."}


def _error_response(description: str, headers: dict | None) -> dict:
    response = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}},
    }
    if headers:
        response["headers"] = headers
    return response


def nested_shapes_as_any_of(result, generator, request, public):
    """A public shape and its full shape (`MemberPublic`/`MemberFull`, `SitePublic`/`SiteFull`) are documented by
    drf-spectacular's PolymorphicProxySerializer as `oneOf`. The full shape only adds fields to the public one,
    so a full object is also a valid public one, and `oneOf` (exactly one) rejected every answer made of full
    objects. `anyOf` says what these answers are: each object has at least the public shape."""
    for schema in result.get("components", {}).get("schemas", {}).values():
        _any_of_without_discriminator(schema)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values() if isinstance(operation, dict) else ():
                for media in response.get("content", {}).values():
                    _any_of_without_discriminator(media.get("schema", {}))
    return result


def _any_of_without_discriminator(schema: dict) -> None:
    # Only a choice between components without a discriminator: `oneOf: [X, {type: null}]` (nullable) stays.
    for node in (schema, schema.get("items") or {}):
        choices = node.get("oneOf")
        if choices and "discriminator" not in node and all("$ref" in choice for choice in choices):
            node["anyOf"] = node.pop("oneOf")
