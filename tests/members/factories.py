from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from stdnum import luhn

from members.enums import LegalForm, MemberKind, MemberRole, MembershipStatus, RoleGroup
from members.models import College, Contact, Fee, Member, Site, User, YearlyFigure

DEFAULT_PASSWORD = "mot-de-passe-de-test"


def valid_siren(n: int) -> str:
    """A SIREN with a correct Luhn key, different for each n."""
    body = f"{(n * 7919) % 10**8:08d}"
    return body + luhn.calc_check_digit(body)


def valid_siret(siren: str, establishment: int) -> str:
    body = f"{siren}{establishment:04d}"
    return body + luhn.calc_check_digit(body)


class CollegeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = College
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Collège {n}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"Entreprise {n}")
    kind = MemberKind.CLASSIC_ENTERPRISE
    legal_form = LegalForm.SAS
    siren = factory.Sequence(lambda n: valid_siren(n + 1))
    naf_code = "25.62B"
    status = MembershipStatus.ACTIVE
    joined_on = factory.Faker("date_between", start_date="-6y", end_date="-1y")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    member = factory.SubFactory(MemberFactory)
    name = factory.LazyAttribute(lambda site: f"Site de {site.commune}")
    siret = factory.LazyAttributeSequence(
        lambda site, n: valid_siret(site.member.siren, n + 1) if site.member.siren else ""
    )
    address = "1 rue de l'Usine"
    postcode = "57700"
    commune = "Hayange"
    latitude = Decimal("49.329800")
    longitude = Decimal("6.062000")
    is_main = factory.LazyAttribute(lambda site: not site.member.sites.exists())


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    member = factory.SubFactory(MemberFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    job_title = "Responsable RSE"
    email = factory.LazyAttributeSequence(lambda contact, n: f"contact{n}@membre.test")
    phone = "03 82 00 00 00"


class FeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fee

    member = factory.SubFactory(MemberFactory)
    year = 2026
    amount_due = Decimal("250.00")
    amount_paid = Decimal("0.00")


class YearlyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyFigure

    member = factory.SubFactory(MemberFactory)
    year = 2025
    permanent_headcount = 12
    permanent_fte = Decimal("10.50")
    insertion_headcount = 4
    insertion_fte = Decimal("3.20")
    turnover = Decimal("1250000.00")


class UserFactory(factory.django.DjangoModelFactory):
    """A user; `UserFactory(coordinator=True)` or `UserFactory(partner=True)` gives the role,
    `UserFactory(member=m, member_role="admin")` attaches it to an organisation."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@pole.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(DEFAULT_PASSWORD)
    member = None
    member_role = factory.LazyAttribute(lambda user: MemberRole.ADMIN if user.member else "")

    @factory.post_generation
    def coordinator(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=RoleGroup.COORDINATORS))

    @factory.post_generation
    def partner(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=RoleGroup.PARTNERS))
