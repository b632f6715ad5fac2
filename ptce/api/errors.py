"""One JSON shape for every API error, so that clients can rely on it.

    {"code": "invalid", "detail": "<translated message>", "errors": [{"field": "siren", "code": ..., "message": ...}]}

`field` is null for errors that are not about one field. Messages follow the request's language.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; the API reports it like a serializer error.
        exc = exceptions.ValidationError(_django_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        # Keep the service's message: it says why (e.g. which fields are reserved to the coordination).
        exc = exceptions.PermissionDenied(*exc.args)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "detail": _("Les données envoyées ne sont pas valides."),
            "errors": list(_flatten(exc.get_full_details())),
        }
        response.status_code = status.HTTP_400_BAD_REQUEST
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        response.data = {
            "code": exc.get_codes() if isinstance(exc, exceptions.APIException) else "error",
            "detail": str(detail),
            "errors": [],
        }
    return Response(response.data, status=response.status_code, headers=_kept_headers(response))


def _kept_headers(response):
    return {name: value for name, value in response.items() if name in ("Retry-After", "WWW-Authenticate", "Allow")}


def _django_error_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {field or "non_field_errors": [str(m) for m in errors.messages] for field, errors in _items(exc)}
    return {"non_field_errors": [str(message) for message in exc.messages]}


def _items(exc: DjangoValidationError):
    for field, errors in exc.error_dict.items():
        yield (None if field == "__all__" else field), DjangoValidationError(errors)


def _flatten(details, prefix=None):
    """Yield {"field", "code", "message"} for every leaf of DRF's nested error details."""
    if isinstance(details, dict) and "message" in details and "code" in details:
        yield {"field": prefix, "code": details["code"], "message": str(details["message"])}
    elif isinstance(details, dict):
        for key, value in details.items():
            field = None if key in ("non_field_errors", "__all__") and prefix is None else _join(prefix, key)
            yield from _flatten(value, field)
    elif isinstance(details, list):
        for index, value in enumerate(details):
            nested = isinstance(value, dict) and not ("message" in value and "code" in value)
            yield from _flatten(value, _join(prefix, str(index)) if nested else prefix)


def _join(prefix, key):
    return f"{prefix}.{key}" if prefix else key
