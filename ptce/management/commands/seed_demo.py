import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.demo import DemoLogin, SeedSummary, seed_coordinator, seed_members
from projects.demo import seed_projects
from waste_flows.demo import seed_streams
from waste_flows.demo_matching import seed_channels, seed_matches
from waste_flows.services import rescoring_batched

# Each app's seed, in layer order: an app's demo data refers to the records of the apps before it.
# Every seed takes the coordinator as `actor` and returns a SeedSummary. The matching runs once, before
# the projects, which link the matches it found.
SEEDS = (seed_members, seed_streams, seed_channels, seed_matches, seed_projects)


class Command(BaseCommand):
    help = "Load the demo pole (idempotent: re-running creates nothing twice). Refused in production."

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_demo creates accounts with a known password; it never runs in production.")
        started = time.monotonic()
        # The demo follows some matches up to introductions, which notify the members by e-mail: demo
        # accounts have made-up addresses, so those messages stay in memory instead of being printed or sent.
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        # Streams written by the seed do not each enqueue a matching run: seed_matches runs once at the end.
        with transaction.atomic(), rescoring_batched(then_full_run=False):
            coordinator, coordinator_login = seed_coordinator()
            summaries = [seed(actor=coordinator) for seed in SEEDS]
        self.stdout.write(self.style.SUCCESS(f"Demo pole ready in {time.monotonic() - started:.1f} s."))
        for summary in summaries:
            self._write_counts(summary)
        self.stdout.write("Logins:")
        for login in [coordinator_login, *(login for summary in summaries for login in summary.logins)]:
            self._write_login(login)

    def _write_counts(self, summary: SeedSummary) -> None:
        for label, total in summary.total.items():
            self.stdout.write(f"  {label}: {total} ({summary.created[label]} created)")

    def _write_login(self, login: DemoLogin) -> None:
        note = "" if login.created else " (existing account: password left as it was)"
        self.stdout.write(f"  {login.email} / {login.password} — {login.role}{note}")
