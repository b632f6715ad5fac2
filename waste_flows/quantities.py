"""Annual quantities of streams, in the base unit of their material's dimension (pure Python).

Every stream is compared with others on one figure: how much per year, in kg, kWh, m³, m², h or
pieces. A quantity declared per day, week, month or hour is multiplied by the number of such periods
in a year (calendar year: 365 days, 52 weeks, 12 months, 8,760 hours, i.e. continuous operation); a
seasonal stream only counts the months it is available. A one-off quantity counts once. A mass
material declared in a volume unit (or the reverse) is converted with the material's bulk density.
"""

from dataclasses import dataclass
from decimal import Decimal

PERIODS_PER_YEAR = {
    "one_off": Decimal(1),
    "year": Decimal(1),
    "month": Decimal(12),
    "week": Decimal(52),
    "day": Decimal(365),
    "hour": Decimal(8760),
}
MONTHS_PER_YEAR = Decimal(12)


class DimensionMismatch(ValueError):
    """The unit measures something else than the material (kWh of pallets, tonnes of training)."""


@dataclass(frozen=True)
class UnitFactor:
    dimension: str
    factor_to_base: Decimal


def annual_quantity(
    *,
    quantity: Decimal,
    unit: UnitFactor,
    period: str,
    material_dimension: str,
    density_kg_per_m3: Decimal | None = None,
    seasonal_months: int | None = None,
) -> Decimal:
    """How much per year, in the base unit of `material_dimension`."""
    in_base = quantity * unit.factor_to_base
    if unit.dimension != material_dimension:
        in_base = _mass_volume(in_base, unit.dimension, material_dimension, density_kg_per_m3)
    per_year = in_base * PERIODS_PER_YEAR[period]
    if seasonal_months and period in ("month", "week", "day", "hour"):
        per_year = per_year * Decimal(seasonal_months) / MONTHS_PER_YEAR
    return per_year


def _mass_volume(value: Decimal, unit_dimension: str, material_dimension: str, density: Decimal | None) -> Decimal:
    if density and {unit_dimension, material_dimension} == {"mass", "volume"}:
        return value * density if unit_dimension == "volume" else value / density
    raise DimensionMismatch(f"{unit_dimension} cannot measure a {material_dimension} material")


def units_compatible(*, unit_dimension: str, material_dimension: str, density_kg_per_m3: Decimal | None) -> bool:
    if unit_dimension == material_dimension:
        return True
    return bool(density_kg_per_m3) and {unit_dimension, material_dimension} == {"mass", "volume"}
