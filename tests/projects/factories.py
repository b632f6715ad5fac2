"""Projects built directly (no service, no activity row): the tests are about what reads and writes do
with them. `ProjectFactory` makes its lead member a participant with the role "lead", as the services do."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from projects.enums import (
    BudgetCategory,
    FundingSource,
    IndicatorKind,
    ParticipantRole,
    ProjectKind,
    ProjectStatus,
    ProjectVisibility,
)
from projects.models import BudgetLine, Funding, Indicator, Milestone, Project, ProjectParticipant

from ..members.factories import MemberFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projet coopératif {n}")
    summary = "Mutualiser une chaufferie bois entre plusieurs membres du pôle."
    kind = ProjectKind.ENERGY
    status = ProjectStatus.IDEA
    lead_member = factory.SubFactory(MemberFactory)
    commune = "Florange"
    visibility = ProjectVisibility.MEMBERS

    @factory.post_generation
    def lead_participant(self, create, extracted, **kwargs):
        if create and extracted is not False:
            ProjectParticipant.objects.get_or_create(
                project=self, member=self.lead_member, defaults={"role": ParticipantRole.LEAD}
            )


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectParticipant

    project = factory.SubFactory(ProjectFactory)
    member = factory.SubFactory(MemberFactory)
    role = ParticipantRole.PARTNER
    commitment = "Met à disposition 40 t de palettes par an."


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    project = factory.SubFactory(ProjectFactory)
    category = BudgetCategory.INVESTMENT
    label = factory.Sequence(lambda n: f"Poste {n}")
    amount = Decimal("10000.00")


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    project = factory.SubFactory(ProjectFactory)
    source = FundingSource.REGION
    funder_name = "Région Grand Est"
    amount_requested = Decimal("5000.00")
    amount_granted = None
    amount_received = None
    requested_on = date(2025, 3, 1)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Jalon {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    done_on = None
    owner = None


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    kind = IndicatorKind.TONNES
    label = ""
    unit = "t"
    year = 2025
    target = Decimal("100")
    actual = None
