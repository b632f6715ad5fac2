"""Impact of a match: tonnes diverted, CO2e avoided, euros saved (pure Python).

- Tonnes per year: the quantity exchanged (the offer, capped by what the need takes), for materials
  measured in mass. Energy is counted in MWh for the CO2e and not added to tonnes.
- CO2e avoided: quantity × factor of the offer's family and current route (kg CO2e per tonne, or per MWh
  for energy), from a table the coordinator edits, minus transport: tonnes × road km × 0.1 kg CO2e per
  tonne-kilometre (ADEME Base Carbone order of magnitude for a 40 t articulated lorry).
- Euros saved: the offer's declared yearly cost of its current route, in the share of the offer exchanged.
"""

from dataclasses import dataclass

TRANSPORT_KG_CO2E_PER_TONNE_KM = 0.1
DEFAULT_FAMILY = "*"


@dataclass(frozen=True)
class Impact:
    tonnes_per_year: float
    co2e_avoided_t: float
    euros_saved: float


def exchange_impact(
    *,
    exchanged: float,
    offered: float,
    dimension: str,
    family: str,
    route: str,
    route_cost: float | None,
    distance_km: float,
    factors: dict[tuple[str, str], float],
) -> Impact:
    """Impact of moving `exchanged` (base unit per year) out of an offer of `offered` per year."""
    factor = factors.get((family, route), factors.get((DEFAULT_FAMILY, route), 0.0))
    if dimension == "mass":
        tonnes = exchanged / 1000
        transport = tonnes * distance_km * TRANSPORT_KG_CO2E_PER_TONNE_KM
        co2e_kg = tonnes * factor - transport
    elif dimension == "energy":
        tonnes = 0.0
        co2e_kg = exchanged / 1000 * factor  # factor per MWh for energy families
    else:
        tonnes, co2e_kg = 0.0, 0.0
    share = min(exchanged / offered, 1.0) if offered else 0.0
    euros = (route_cost or 0.0) * share
    return Impact(
        tonnes_per_year=round(tonnes, 3),
        co2e_avoided_t=round(max(co2e_kg, 0.0) / 1000, 3),
        euros_saved=round(euros, 2),
    )
