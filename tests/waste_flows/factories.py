from decimal import Decimal

import factory

from waste_flows.enums import Confidentiality, Direction, Period, Route, StreamKind, StreamStatus
from waste_flows.models import EwcCode, Material, Stream, Unit

from ..members.factories import SiteFactory


def material(code: str) -> Material:
    return Material.objects.get(code=code)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def ewc(code: str) -> EwcCode:
    return EwcCode.objects.get(code=code)


class StreamFactory(factory.django.DjangoModelFactory):
    """An active offer of 12 t/year of wood pallets going to landfill; override what the test is about.

    The reference data (materials, units, EWC codes) comes from the data migration."""

    class Meta:
        model = Stream

    site = factory.SubFactory(SiteFactory)
    direction = Direction.OFFER
    kind = factory.LazyAttribute(lambda s: StreamKind.WASTE if s.direction == Direction.OFFER else StreamKind.INPUT)
    material = factory.LazyFunction(lambda: material("wood.pallets"))
    ewc_code = None
    quantity = Decimal("12")
    unit = factory.LazyFunction(lambda: unit("t"))
    period = Period.YEAR
    annual_quantity = factory.LazyAttribute(lambda s: s.quantity * s.unit.factor_to_base)
    current_route = factory.LazyAttribute(lambda s: Route.LANDFILL if s.direction == Direction.OFFER else "")
    confidentiality = Confidentiality.MEMBERS
    status = StreamStatus.ACTIVE
