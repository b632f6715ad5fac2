"""Display helpers of streams: annual quantities in a unit people read, and small badges."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

register = template.Library()

# Symbol of the base unit of each dimension: annual quantities are stored in it (see quantities.py).
BASE_SYMBOLS = {"mass": "kg", "volume": "m³", "energy": "kWh", "area": "m²", "time": "h", "count": "u."}
# A larger unit reads better past a thousand base units: 14 400 kg is 14,4 t, 1 250 000 kWh is 1 250 MWh.
LARGER_UNITS = {"mass": ("t", Decimal(1000)), "energy": ("MWh", Decimal(1000))}
THOUSAND = Decimal(1000)


def human_quantity(value: Decimal, dimension: str) -> tuple[str, str]:
    """(number formatted for the current language, unit symbol) of a quantity in its dimension's base unit."""
    symbol = BASE_SYMBOLS.get(dimension, "")
    if dimension in LARGER_UNITS and abs(value) >= THOUSAND:
        symbol, factor = LARGER_UNITS[dimension]
        value = value / factor
    return _format_number(value), symbol


def _format_number(value: Decimal) -> str:
    """Fewer decimals as the number grows: 1 250 · 14,4 · 2,35 · 0,125 (trailing zeros dropped)."""
    magnitude = abs(value)
    places = 0 if magnitude >= 100 else 1 if magnitude >= 10 else 2 if magnitude >= 1 else 3
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        rounded, places = rounded.quantize(Decimal(1)), 0
    else:
        rounded = rounded.normalize()
        places = max(0, -rounded.as_tuple().exponent)
    return formats.number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def human_annual_quantity(stream) -> str:
    """« 14,4 t/an », « 1 250 MWh/an »: the stream's annual quantity in a unit people read."""
    if stream.annual_quantity is None:
        return "—"
    number, symbol = human_quantity(stream.annual_quantity, stream.material.dimension)
    return _("%(number)s %(unit)s/an") % {"number": number, "unit": symbol}


@register.filter
def base_unit_symbol(stream) -> str:
    return BASE_SYMBOLS.get(stream.material.dimension, "")


@register.filter
def plain_number(value) -> str:
    """12.500 → « 12,5 », 1250 → « 1 250 »: a declared figure without its stored trailing zeros."""
    if value is None:
        return "—"
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    places = max(0, -value.as_tuple().exponent)
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def month_names(months) -> str:
    return ", ".join(str(MONTHS[month]) for month in months or [] if month in MONTHS)
