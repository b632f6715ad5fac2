import factory
from django.contrib.auth.models import Group

from members.enums import RoleGroup
from members.models import User

DEFAULT_PASSWORD = "mot-de-passe-de-test"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; `UserFactory(coordinator=True)` or `UserFactory(partner=True)` gives the role."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@pole.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def coordinator(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=RoleGroup.COORDINATORS))

    @factory.post_generation
    def partner(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=RoleGroup.PARTNERS))
