from django.core.management.base import BaseCommand, CommandError

from waste_flows.enums import RunScope, RunStatus, RunTrigger
from waste_flows.match_services import match_run_create, match_run_execute


class Command(BaseCommand):
    help = "Run the matching synchronously and print a summary (full run, or one stream with --stream)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Re-score every active stream (the default).")
        parser.add_argument("--stream", type=int, help="Only re-score what this stream touches (incremental).")

    def handle(self, *args, full=False, stream=None, **options):
        if full and stream:
            raise CommandError("--full and --stream exclude each other.")
        scope = RunScope.INCREMENTAL if stream else RunScope.FULL
        run = match_run_create(scope=scope, trigger=RunTrigger.COMMAND, stream_id=stream)
        run = match_run_execute(run_id=run.pk)
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"Run #{run.pk} failed: {run.error}")
        self.stdout.write(
            self.style.SUCCESS(f"Run #{run.pk} ({run.get_scope_display()}) done: ")
            + f"{run.streams_loaded} streams, {run.candidate_pairs} pairs examined, "
            f"{run.matches_created} matches created, {run.matches_updated} updated, "
            f"{run.matches_obsoleted} obsolete; load {run.load_seconds:.2f} s, engine {run.engine_seconds:.2f} s, "
            f"save {run.save_seconds:.2f} s."
        )
