"""Annual quantities (waste_flows/quantities.py): plain pytest and hypothesis, no database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waste_flows.quantities import (
    PERIODS_PER_YEAR,
    DimensionMismatch,
    UnitFactor,
    annual_quantity,
    units_compatible,
)

KG = UnitFactor(dimension="mass", factor_to_base=Decimal(1))
TONNE = UnitFactor(dimension="mass", factor_to_base=Decimal(1000))
LITRE = UnitFactor(dimension="volume", factor_to_base=Decimal("0.001"))
M3 = UnitFactor(dimension="volume", factor_to_base=Decimal(1))
KWH = UnitFactor(dimension="energy", factor_to_base=Decimal(1))
MWH = UnitFactor(dimension="energy", factor_to_base=Decimal(1000))

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000000"), places=3)


def yearly(quantity, unit, period="year", dimension="mass", **kwargs):
    return annual_quantity(
        quantity=Decimal(quantity), unit=unit, period=period, material_dimension=dimension, **kwargs
    )


def test_twelve_tonnes_a_year_are_twelve_thousand_kilograms():
    assert yearly("12", TONNE) == Decimal("12000")


def test_one_tonne_a_day_is_365_tonnes_a_year():
    assert yearly("1", TONNE, "day") == Decimal("365000")


def test_one_tonne_a_week_counts_52_weeks():
    assert yearly("1", TONNE, "week") == Decimal("52000")


def test_two_tonnes_a_month_are_24_tonnes_a_year():
    assert yearly("2", TONNE, "month") == Decimal("24000")


def test_a_continuous_flow_per_hour_runs_8760_hours_a_year():
    assert yearly("0.5", MWH, "hour", "energy") == Decimal("4380000")


def test_a_one_off_quantity_counts_once():
    assert yearly("40", TONNE, "one_off") == Decimal("40000")


def test_a_seasonal_stream_counts_only_its_months():
    assert yearly("3", TONNE, "month", seasonal_months=4) == Decimal("12000")


def test_a_seasonal_yearly_or_one_off_quantity_is_already_a_total():
    assert yearly("10", TONNE, "year", seasonal_months=3) == Decimal("10000")
    assert yearly("10", TONNE, "one_off", seasonal_months=3) == Decimal("10000")


def test_a_volume_of_a_mass_material_is_converted_with_its_density():
    # 10 m³ of sawdust at 200 kg/m³ weigh 2 t.
    assert yearly("10", M3, density_kg_per_m3=Decimal("200")) == Decimal("2000")


def test_a_mass_of_a_volume_material_is_converted_with_its_density():
    # 1 t of water at 1000 kg/m³ is 1 m³.
    assert yearly("1", TONNE, dimension="volume", density_kg_per_m3=Decimal("1000")) == Decimal("1")


def test_a_volume_of_a_mass_material_without_density_cannot_be_converted():
    with pytest.raises(DimensionMismatch):
        yearly("10", M3)


def test_energy_never_measures_a_mass_material():
    with pytest.raises(DimensionMismatch):
        yearly("10", KWH, density_kg_per_m3=Decimal("200"))


def test_units_compatible_follows_the_dimension_or_the_density():
    assert units_compatible(unit_dimension="mass", material_dimension="mass", density_kg_per_m3=None)
    assert units_compatible(unit_dimension="volume", material_dimension="mass", density_kg_per_m3=Decimal("200"))
    assert not units_compatible(unit_dimension="volume", material_dimension="mass", density_kg_per_m3=None)
    assert not units_compatible(unit_dimension="energy", material_dimension="mass", density_kg_per_m3=Decimal("200"))


# --- Properties -------------------------------------------------------------------------------------


@given(quantities)
def test_tonnes_are_a_thousand_kilograms(quantity):
    assert annual_quantity(quantity=quantity, unit=TONNE, period="year", material_dimension="mass") == (
        annual_quantity(quantity=quantity * 1000, unit=KG, period="year", material_dimension="mass")
    )


@given(quantities)
def test_megawatt_hours_are_a_thousand_kilowatt_hours(quantity):
    assert yearly(quantity, MWH, dimension="energy") == yearly(quantity, KWH, dimension="energy") * 1000


@given(quantities)
def test_litres_are_thousandths_of_cubic_metres(quantity):
    assert yearly(quantity, LITRE, dimension="volume") == yearly(quantity, M3, dimension="volume") / 1000


@given(quantities)
def test_a_twelfth_of_a_yearly_quantity_per_month_gives_the_yearly_quantity_back(quantity):
    per_year = yearly(quantity, TONNE, "year")
    assert yearly(quantity / 12, TONNE, "month") == pytest.approx(per_year, rel=Decimal("1e-20"))


@given(quantities, st.sampled_from(sorted(PERIODS_PER_YEAR)))
def test_the_annual_quantity_is_the_quantity_times_the_periods_in_a_year(quantity, period):
    assert yearly(quantity, KG, period) == quantity * PERIODS_PER_YEAR[period]


@given(quantities, st.integers(min_value=1, max_value=12))
def test_a_seasonal_monthly_stream_is_its_monthly_quantity_times_its_months(quantity, months):
    assert yearly(quantity, KG, "month", seasonal_months=months) == quantity * months


@given(quantities, st.integers(min_value=1, max_value=11))
def test_a_seasonal_stream_never_exceeds_the_same_stream_all_year(quantity, months):
    for period in ("day", "week", "month", "hour"):
        assert yearly(quantity, KG, period, seasonal_months=months) < yearly(quantity, KG, period)


@given(quantities, st.decimals(min_value=Decimal("1"), max_value=Decimal("3000"), places=2))
def test_converting_a_volume_to_a_mass_and_back_is_lossless(quantity, density):
    mass = yearly(quantity, M3, density_kg_per_m3=density)
    volume = yearly(mass, KG, dimension="volume", density_kg_per_m3=density)
    assert volume == pytest.approx(quantity, rel=Decimal("1e-20"))
