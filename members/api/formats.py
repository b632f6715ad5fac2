"""Open formats of the API lists: JSON (paginated), CSV and, for places, GeoJSON; and conditional requests.

A list viewset that mixes in `OpenFormatsMixin` also answers `?format=csv` (or `Accept: text/csv`); with
`GeoFormatsMixin` it answers `?format=geojson` (or `Accept: application/geo+json`) too. CSV and GeoJSON go
through the same `get_queryset()`, filters, ordering and serializer as the JSON list, so a user gets exactly
the rows and fields the JSON would give them, but every matching row at once: they are not paginated and are
streamed in chunks of `CHUNK_SIZE` objects, each chunk costing the queries of one JSON page.

CSV is for machines first (RFC 4180: comma, `\\r\\n`) with a byte order mark so that Excel reads UTF-8. Its
columns are the serializer's fields, nested objects flattened into dotted columns (`college.name`) and lists
joined with ` | ` (`sites.commune` = `Hayange | Florange`). The columns are those of the fullest shape the
list can take, so they are the same for every user; cells a user may not see stay empty. A cell holds the
JSON value's text (numbers with a point, `true`/`false`), and text that a spreadsheet would run as a formula
is neutralised (`members.exports.neutralise_formula`).

`ApiConditionalGetMiddleware` gives every API answer a `Vary` that keeps users apart in caches, and every
200 of a GET or HEAD a strong `ETag` computed from the body: `If-None-Match` then answers 304. Being computed
from the body, the ETag changes when the data does and differs between users who see different data.
Streamed answers have no ETag: hashing them would mean holding them whole.
"""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import QuerySet
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance, is_list_serializer, is_serializer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from ..exports import neutralise_formula

CSV_MEDIA_TYPE = "text/csv"
GEOJSON_MEDIA_TYPE = "application/geo+json"
CHUNK_SIZE = 500
BOM = "\ufeff"
LIST_SEPARATOR = " | "
INNER_LIST_SEPARATOR = ", "
# Caches must keep apart answers in other formats, languages and for other users (session or API key).
API_VARY = ("Accept", "Accept-Language", "Cookie", "Authorization")
# A number written as text (DecimalField) starts with `-` when negative, yet no spreadsheet runs it.
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")

Rows = list[dict]  # named: inside a viewset, `list` is the list action


# --- Flattening rows ----------------------------------------------------------------------------------


def serializer_columns(serializer, prefix: str = "") -> list[str]:
    """The dotted columns of what `serializer` writes out. A serializer choosing between a public and a full
    shape per object (members.api.serializers) gives the columns of both: the public shape's first, then
    those only the full one has (the public shape may name a field differently, as contacts' `name`)."""
    if is_list_serializer(serializer):
        serializer = serializer.child
    shapes = [getattr(serializer, "public_class", None), getattr(serializer, "full_class", None)]
    if all(shapes):
        columns = [column for shape in shapes for column in serializer_columns(shape(context=serializer.context))]
        return [f"{prefix}{column}" for column in dict.fromkeys(columns)]
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        nested = field.child if isinstance(field, serializers.ListSerializer) else field
        if isinstance(nested, serializers.BaseSerializer):
            columns += serializer_columns(nested, f"{prefix}{name}.")
        else:
            columns.append(f"{prefix}{name}")
    return columns


def _value_at(value, path: list[str]):
    """Follow a dotted path through dicts, and through each item of a list."""
    if not path or value is None:
        return value
    if isinstance(value, list):
        return [_value_at(item, path) for item in value]
    if isinstance(value, dict):
        return _value_at(value.get(path[0]), path[1:])
    return None


def _cell(value, separator: str = LIST_SEPARATOR) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return separator.join(_cell(item, INNER_LIST_SEPARATOR) for item in value)
    if isinstance(value, str):
        return value if PLAIN_NUMBER.fullmatch(value) else neutralise_formula(value)
    # Numbers, booleans and objects as JSON writes them: `12.5`, `true`, `{"passed": true}`.
    return _json(value)


def flatten(row: dict, columns: list[str]) -> list[str]:
    return [_cell(_value_at(row, column.split("."))) for column in columns]


def csv_line(values: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def data_columns(rows: list[dict], prefix: str = "") -> list[str]:
    """Dotted columns read from the rows themselves, in order of first appearance (for non-streamed data)."""
    columns = {}
    for row in rows:
        for key, value in row.items():
            items = value if isinstance(value, list) and value and isinstance(value[0], dict) else [value]
            if isinstance(items[0], dict):
                columns.update(dict.fromkeys(data_columns(items, f"{prefix}{key}.")))
            else:
                columns[f"{prefix}{key}"] = None
    return list(columns)


# --- GeoJSON ------------------------------------------------------------------------------------------


def geojson_feature(row: dict) -> dict:
    """A Feature whose properties are the row as the JSON list gives it, placed at the row's own coordinates
    (a site) or at its site's (a stream, a project); without coordinates the geometry is null."""
    place = row if "latitude" in row else row.get("site")
    geometry = None
    if isinstance(place, dict) and place.get("latitude") is not None and place.get("longitude") is not None:
        # GeoJSON (RFC 7946) puts the longitude first.
        geometry = {"type": "Point", "coordinates": [float(place["longitude"]), float(place["latitude"])]}
    return {"type": "Feature", "id": row.get("id"), "geometry": geometry, "properties": row}


def _json(value) -> str:
    return json.dumps(value, cls=JSONEncoder, ensure_ascii=False)


# --- Renderers ----------------------------------------------------------------------------------------


class CSVRenderer(BaseRenderer):
    """Lists are streamed by `OpenFormatsMixin`; this renders data handed over whole (a list or one object)."""

    media_type = CSV_MEDIA_TYPE
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        columns = data_columns(rows)
        lines = [csv_line(columns), *(csv_line(flatten(row, columns)) for row in rows)]
        return (BOM + "".join(lines)).encode()


class GeoJSONRenderer(BaseRenderer):
    media_type = GEOJSON_MEDIA_TYPE
    format = "geojson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        return _json({"type": "FeatureCollection", "features": [geojson_feature(row) for row in rows]}).encode()


OPEN_RENDERERS = (CSVRenderer, GeoJSONRenderer)


def csv_stream(chunks: Iterable[list[dict]], columns: list[str]) -> Iterator[bytes]:
    yield (BOM + csv_line(columns)).encode()
    for rows in chunks:
        yield "".join(csv_line(flatten(row, columns)) for row in rows).encode()


def geojson_stream(chunks: Iterable[list[dict]]) -> Iterator[bytes]:
    yield b'{"type": "FeatureCollection", "features": ['
    separator = ""
    for rows in chunks:
        for row in rows:
            yield (separator + _json(geojson_feature(row))).encode()
            separator = ", "
    yield b"]}"


def in_chunks(objects, size: int | None = None) -> Iterator[list]:
    """Lists of `size` objects; a queryset is read with a cursor and its prefetches run once per chunk."""
    size = size or CHUNK_SIZE
    iterator = objects.iterator(chunk_size=size) if isinstance(objects, QuerySet) else iter(objects)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- Viewsets -----------------------------------------------------------------------------------------


class UnknownFormat(exceptions.NotFound):
    default_code = "unknown_format"
    default_detail = _("Format inconnu pour cette adresse.")


class FormatsSchema(AutoSchema):
    """Documents the `format` parameter of the lists, and their CSV and GeoJSON answers next to the JSON one,
    with examples made from the JSON example of the list."""

    def _open_renderers(self) -> list[BaseRenderer]:
        return [renderer for renderer in self.view.get_renderers() if isinstance(renderer, OPEN_RENDERERS)]

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        formats = [renderer.format for renderer in self._open_renderers()]
        if not formats:
            return parameters
        description = (
            "`json` (default): pages of results. "
            + ", ".join(f"`{name}`" for name in formats)
            + ": every row matching the filters, in the same order, in one streamed answer without pagination "
            "(`page` and `page_size` are ignored). The `Accept` header works too."
        )
        return [
            *parameters,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", *formats], description=description),
        ]

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        renderers = self._open_renderers()
        if media_types or not renderers:
            return super()._get_response_for_code(serializer, status_code, media_types, direction)
        open_types = [renderer.media_type for renderer in renderers]
        json_types = [media_type for media_type in self.map_renderers("media_type") if media_type not in open_types]
        response = super()._get_response_for_code(serializer, status_code, json_types, direction)
        if status_code.startswith("2") and "content" in response:
            for renderer in renderers:
                response["content"][renderer.media_type] = self._open_content(renderer, serializer, direction)
        return response

    def _open_content(self, renderer, serializer, direction) -> dict:
        example = next(
            (e.value for e in self.get_examples() if not e.request_only and isinstance(e.value, dict)), None
        )
        if isinstance(renderer, CSVRenderer):
            columns = serializer_columns(self._get_serializer())
            lines = csv_line(columns) + (csv_line(flatten(example, columns)) if example else "")
            return {
                "schema": {"type": "string", "description": "CSV, UTF-8 with a byte order mark; first line: columns."},
                "examples": {"Csv": {"summary": "Column names, then one line per object", "value": lines}},
            }
        collection = {"type": "FeatureCollection", "features": [geojson_feature(example)] if example else []}
        return {
            "schema": feature_collection_schema(self._row_schema(serializer, direction)),
            "examples": {"GeoJson": {"summary": "A FeatureCollection of one feature", "value": collection}},
        }

    def _row_schema(self, serializer, direction) -> dict:
        serializer = force_instance(serializer)
        if is_list_serializer(serializer):
            serializer = serializer.child
        if is_serializer(serializer):
            component = self.resolve_serializer(serializer, direction)
            if component:
                return component.ref
        return {"type": "object"}


def feature_collection_schema(properties: dict) -> dict:
    point = {
        "type": "object",
        "nullable": True,
        "description": "Null when the object has no coordinates.",
        "properties": {
            "type": {"type": "string", "enum": ["Point"]},
            "coordinates": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 2,
                "description": "[longitude, latitude] in WGS 84 (RFC 7946).",
            },
        },
    }
    feature = {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "integer"},
            "geometry": point,
            "properties": properties,
        },
    }
    return {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": feature},
        },
    }


class OpenFormatsMixin:
    """Put first in the bases of a list viewset: its list also answers in CSV (see the module docstring)."""

    open_renderer_classes = (CSVRenderer,)
    schema = FormatsSchema()

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) == "list":
            renderers += [renderer_class() for renderer_class in self.open_renderer_classes]
        return renderers

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            raise UnknownFormat() from None

    def list(self, request, *args, **kwargs):
        export = {"csv": self._csv_response, "geojson": self._geojson_response}.get(request.accepted_renderer.format)
        if export is None:
            return super().list(request, *args, **kwargs)
        return export(self.filter_queryset(self.get_queryset()))

    def finalize_response(self, request, response, *args, **kwargs):
        # An error (403, 400 on a filter…) is written in JSON whatever the format asked for.
        asked = getattr(request, "accepted_renderer", None)
        if isinstance(response, Response) and response.exception and isinstance(asked, OPEN_RENDERERS):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def serialized_chunks(self, queryset) -> Iterator[Rows]:
        # The chunks are serialized while the answer streams, after the view has returned: in the language
        # negotiated for the request (read now, not when the generator starts), whatever the thread's is by then.
        language = translation.get_language()

        def chunks():
            for objects in in_chunks(queryset):
                with translation.override(language):
                    yield self.get_serializer(objects, many=True).data

        return chunks()

    def _csv_response(self, queryset):
        columns = serializer_columns(self.get_serializer())
        response = StreamingHttpResponse(
            csv_stream(self.serialized_chunks(queryset), columns), content_type=f"{CSV_MEDIA_TYPE}; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self._file_stem()}.csv"'
        return response

    def _geojson_response(self, queryset):
        return StreamingHttpResponse(geojson_stream(self.serialized_chunks(queryset)), content_type=GEOJSON_MEDIA_TYPE)

    def _file_stem(self) -> str:
        # `/api/v1/match-runs/` → `match-runs-2026-01-15`; a format suffix (`members.csv`) is dropped.
        name = self.request.path.rstrip("/").rsplit("/", 1)[-1].split(".")[0]
        return f"{name}-{timezone.localdate().isoformat()}"


class GeoFormatsMixin(OpenFormatsMixin):
    """A list of places: CSV and GeoJSON."""

    open_renderer_classes = (CSVRenderer, GeoJSONRenderer)


# --- Conditional requests -----------------------------------------------------------------------------


class ApiConditionalGetMiddleware:
    """ETag, If-None-Match and Vary on the answers of DRF views (the API), see the module docstring. Placed
    above the session middleware so that it sees, and a 304 keeps, the final headers and cookies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _is_api_view(request):
            return response
        patch_vary_headers(response, API_VARY)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
            return response
        if not response.has_header("ETag"):
            # Django computes the body of a HEAD like a GET's and drops it later: the ETag is the GET's.
            set_response_etag(response)
        return get_conditional_response(request, etag=response.get("ETag"), response=response)


def _is_api_view(request) -> bool:
    match = getattr(request, "resolver_match", None)
    view_class = getattr(match.func, "cls", None) if match else None
    return isinstance(view_class, type) and issubclass(view_class, APIView)
