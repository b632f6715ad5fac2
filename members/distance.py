""" "Within N km of a point" as a database filter, for the API's `near` parameter (sites, streams).

A bounding box first (plain comparisons the indexes can serve), then the great-circle distance computed by
the database with the haversine formula, so that pagination and counts stay in SQL. Django provides the
trigonometric functions on SQLite too."""

import math

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, FloatField
from django.db.models.functions import ASin, Cast, Cos, Power, Radians, Sin, Sqrt
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.2
MAX_RADIUS_KM = 500


def within_km(queryset, *, prefix: str, latitude: float, longitude: float, km: float):
    """Rows whose `<prefix>latitude/longitude` lie within `km` of the point, annotated with `distance_km`."""
    lat_field, lon_field = f"{prefix}latitude", f"{prefix}longitude"
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    boxed = queryset.filter(
        **{
            f"{lat_field}__gte": latitude - dlat,
            f"{lat_field}__lte": latitude + dlat,
            f"{lon_field}__gte": longitude - dlon,
            f"{lon_field}__lte": longitude + dlon,
        }
    )
    lat = Radians(Cast(F(lat_field), FloatField()))
    lon = Radians(Cast(F(lon_field), FloatField()))
    point_lat, point_lon = math.radians(latitude), math.radians(longitude)
    half_chord = Power(Sin((lat - point_lat) / 2), 2) + math.cos(point_lat) * Cos(lat) * Power(
        Sin((lon - point_lon) / 2), 2
    )
    distance = 2 * EARTH_RADIUS_KM * ASin(Sqrt(half_chord))
    return boxed.annotate(distance_km=distance).filter(distance_km__lte=km)


class PointField(forms.CharField):
    """`lat,lon` in decimal degrees, e.g. `49.3298,6.1524`."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            latitude, longitude = (float(part) for part in value.split(","))
        except ValueError:
            raise ValidationError(
                _("Indiquez un point sous la forme latitude,longitude (par exemple 49.3298,6.1524)."), code="invalid"
            ) from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationError(_("Ce point est hors des coordonnées terrestres."), code="out_of_range")
        return latitude, longitude


@extend_schema_field(OpenApiTypes.STR)
class PointFilter(django_filters.Filter):
    field_class = PointField


class NearFilterMixin(django_filters.FilterSet):
    """Adds `near=lat,lon` and `radius_km` (default 20 km) to a FilterSet; `near_prefix` names the path to the
    coordinates (`""` on sites, `"site__"` on streams)."""

    near_prefix = ""
    near = PointFilter(method="filter_near", label=_("Autour du point (latitude,longitude)"))
    radius_km = django_filters.NumberFilter(
        method="filter_radius",
        label=_("Rayon autour du point, en km (20 par défaut)"),
        min_value=0,
        max_value=MAX_RADIUS_KM,
    )

    def filter_radius(self, queryset, name, value):
        return queryset  # read by filter_near

    def filter_near(self, queryset, name, value):
        if value is None:
            return queryset
        radius = self.form.cleaned_data.get("radius_km")
        km = float(radius) if radius is not None else 20.0
        latitude, longitude = value
        return within_km(queryset, prefix=self.near_prefix, latitude=latitude, longitude=longitude, km=km)
