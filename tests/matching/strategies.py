"""Hypothesis strategies: small random territories where every rule gets exercised."""

from datetime import date

from hypothesis import strategies as st

from waste_flows.matching.types import ChannelInput, MaterialGraph, StreamInput

MATERIALS = ["wood", "wood.pallets", "wood.fuel", "wood.treated", "plastics.pet", "services.waste_collection"]
GRAPH = MaterialGraph(uses=frozenset({("wood.pallets", "wood.fuel"), ("wood", "plastics.pet")}))
# A few fixed sites so that equal coordinates (zero distance) and shared sites happen often.
SITES = [(45.75, 4.85), (45.76, 4.86), (45.9, 4.7), (45.5, 5.1)]


@st.composite
def coordinates(draw):
    if draw(st.integers(0, 9)) == 0:
        return None, None
    if draw(st.booleans()):
        return draw(st.sampled_from(SITES))
    return draw(st.floats(45.3, 46.2)), draw(st.floats(4.3, 5.4))


@st.composite
def windows(draw):
    start = draw(st.none() | st.dates(date(2025, 1, 1), date(2025, 12, 31)))
    end = draw(st.none() | st.dates(date(2025, 1, 1), date(2026, 12, 31)))
    months = draw(st.sampled_from([(), (), (1, 2, 3), (6, 7, 8), (3, 4), tuple(range(1, 13))]))
    return start, end, months


@st.composite
def stream_inputs(draw, stream_id: int) -> StreamInput:
    direction = draw(st.sampled_from(["offer", "need"]))
    latitude, longitude = draw(coordinates())
    start, end, months = draw(windows())
    return StreamInput(
        id=stream_id,
        member_id=draw(st.integers(1, 6)),
        site_id=draw(st.integers(1, 8)),
        direction=direction,
        kind="waste" if direction == "offer" else "input",
        material=draw(st.sampled_from(MATERIALS)),
        material_kind="material",
        dimension=draw(st.sampled_from(["mass", "mass", "mass", "volume"])),
        annual_quantity=draw(st.sampled_from([0.0, 100.0, 500.0, 1000.0, 2500.0])),
        latitude=latitude,
        longitude=longitude,
        max_distance_km=draw(st.none() | st.sampled_from([5.0, 20.0, 40.0, 80.0])),
        available_from=start,
        available_until=end,
        months=months,
        hazardous=draw(st.booleans()),
        accepts_hazardous=draw(st.booleans()),
        current_route=draw(st.sampled_from(["", "landfill", "incineration", "local_valorisation", "odd"])),
    )


@st.composite
def territories(draw, max_size: int = 40) -> list[StreamInput]:
    size = draw(st.integers(0, max_size))
    return [draw(stream_inputs(stream_id)) for stream_id in range(1, size + 1)]


@st.composite
def channel_inputs(draw) -> list[ChannelInput]:
    channels = []
    for channel_id in range(1, draw(st.integers(0, 2)) + 1):
        latitude, longitude = draw(coordinates())
        channels.append(
            ChannelInput(
                id=channel_id,
                name=f"channel {channel_id}",
                materials=tuple(draw(st.lists(st.sampled_from(MATERIALS), min_size=1, max_size=2, unique=True))),
                min_annual_quantity=draw(st.sampled_from([500.0, 1500.0, 3000.0])),
                max_annual_quantity=draw(st.none() | st.just(2600.0)),
                latitude=latitude,
                longitude=longitude,
                radius_km=draw(st.sampled_from([10.0, 30.0])),
            )
        )
    return channels
