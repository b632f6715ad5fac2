"""Matches built directly, without the engine: the tests are about what people do with them."""

from unittest import mock

import factory
import pytest

from waste_flows.enums import Direction, MatchKind, MatchStatus
from waste_flows.matches import Match, MatchParticipant
from waste_flows.matching.types import EngineResult

from .factories import StreamFactory, material


class MatchFactory(factory.django.DjangoModelFactory):
    """A suggested substitution of wood pallets between two members' sites, 12 km apart.

    Pass `offer`/`need` streams to choose the members; participants are created from them."""

    class Meta:
        model = Match
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"substitution:test:{n}")
    kind = MatchKind.SUBSTITUTION
    status = MatchStatus.SUGGESTED
    score = 0.8
    material = factory.LazyFunction(lambda: material("wood.pallets"))
    offer = factory.SubFactory(StreamFactory)
    need = factory.SubFactory(StreamFactory, direction=Direction.NEED)
    distance_km = 12.4
    coverage = 0.85
    total_quantity = 12000
    tonnes_per_year = 12
    co2e_avoided_t = 3.5
    euros_saved = 1200
    explanation = factory.LazyFunction(
        lambda: [
            {"name": "material", "passed": True, "score": 1.0, "detail": {"fit": "same"}},
            {"name": "distance", "passed": True, "score": 0.6, "detail": {"km": 12.4, "limit_km": 30}},
            {"name": "quantity", "passed": True, "score": 0.85, "detail": {"coverage": 0.85}},
            {"name": "route_gain", "passed": True, "score": 1.0, "detail": {"route": "landfill"}},
        ]
    )

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if not create:
            return
        streams = [s for s in (self.offer, self.need) if s is not None]
        self.streams.set(streams)
        for member_id in sorted({s.site.member_id for s in streams}):
            MatchParticipant.objects.get_or_create(match=self, member_id=member_id)


@pytest.fixture(name="engine_stub")
def engine_stub_fixture(monkeypatch):
    """match_services needs the engine package; its `run` is replaced by an empty result.

    The engine is written separately: its input types are put in place if the package does not export them yet."""
    import waste_flows.matching as matching
    from waste_flows.matching import types

    for name in ("StreamInput", "ChannelInput", "MaterialGraph", "EngineResult"):
        monkeypatch.setattr(matching, name, getattr(types, name), raising=False)
    empty = EngineResult(substitutions=(), poolings=(), shared_needs=(), candidate_pairs=0)
    monkeypatch.setattr(matching, "run", mock.Mock(return_value=empty), raising=False)
    return matching
