from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.services import coordinator_ensure

DEMO_COORDINATOR_EMAIL = "coordination@demo-ptce.fr"
DEMO_PASSWORD = "demo-ptce-2026"


class Command(BaseCommand):
    help = "Load the demo pole (idempotent). Refused in production."

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_demo creates accounts with a known password; it never runs in production.")
        coordinator, created = coordinator_ensure(
            email=DEMO_COORDINATOR_EMAIL, password=DEMO_PASSWORD, first_name="Camille", last_name="Moreau"
        )
        self.stdout.write(self.style.SUCCESS("Demo pole ready."))
        self.stdout.write(
            f"  coordinator: {coordinator.email} / {DEMO_PASSWORD}" + ("" if created else " (unchanged)")
        )
