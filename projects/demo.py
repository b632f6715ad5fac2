"""The demo pole's cooperation projects, written through the services as the coordination would have
written them: the activity log and the history tell each project's story.

The data is in projects/demo_data.py. A project is known by its title: one that already exists is left as
it is, so that the seed can run at every `make run`. The log's dates are those of the story (creation,
each change of status, each comment), not the day the seed ran. Runs after `seed_matches`, whose matches
the projects link to (the wood boiler to the pallets pooled for it).
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.demo import MEMBERS, SeedSummary, demo_siren, demo_siret
from members.models import Member, Site, User
from waste_flows.enums import MatchStatus
from waste_flows.matches import Match

from . import services
from .demo_data import DEMO_PROJECTS, DemoProject, money
from .enums import ProjectStatus
from .models import Project, ProjectActivity
from .permissions import can_comment

UNUSABLE_MATCHES = (MatchStatus.REJECTED, MatchStatus.OBSOLETE)


@transaction.atomic
def seed_projects(*, actor: User) -> SeedSummary:
    summary = SeedSummary()
    existing = set(Project.objects.filter(title__in=[p.title for p in DEMO_PROJECTS]).values_list("title", flat=True))
    members = _demo_members()
    for demo in DEMO_PROJECTS:
        created = demo.title not in existing
        summary.count("projects", created=created)
        if created:
            linked = _seed_project(demo, members=members, actor=actor)
            summary.total["project links to matches"] += linked
            summary.created["project links to matches"] += linked
    return summary


def _demo_members() -> dict[str, Member]:
    by_siren = {member.siren: member for member in Member.objects.filter(siren__in=[demo_siren(m) for m in MEMBERS])}
    return {demo.key: by_siren[demo_siren(demo)] for demo in MEMBERS if demo_siren(demo) in by_siren}


class _Story:
    """Dates the log rows a service just wrote: rows written during this run are "now", older ones are
    already dated."""

    def __init__(self, project: Project, *, started):
        self.project, self.started = project, started

    def dated(self, day: date) -> None:
        moment = timezone.make_aware(datetime.combine(day, time(9, 30)))
        ProjectActivity.objects.filter(project=self.project, created_at__gte=self.started).update(created_at=moment)


def _seed_project(demo: DemoProject, *, members: dict[str, Member], actor: User) -> int:
    started = timezone.now()
    project = services.project_create(by=actor, data=_project_data(demo, members))
    story = _Story(project, started=started)
    created_on = demo.steps[0][1]
    for key, role, commitment in demo.participants:
        services.participant_save(project=project, by=actor, member=members[key], role=role, commitment=commitment)
    for category, label, amount in demo.budget:
        services.budget_line_save(
            project=project, by=actor, data={"category": category, "label": label, "amount": Decimal(amount)}
        )
    story.dated(created_on)
    _seed_fundings(demo, project, actor=actor, story=story)
    _seed_milestones(demo, project, members=members, actor=actor)
    story.dated(created_on)
    _seed_indicators(demo, project, actor=actor)
    story.dated(_last_news(demo))
    linked = _link_matches(demo, project, actor=actor)
    story.dated(created_on)
    for status, day in demo.steps[1:]:
        reason = demo.abandon_reason if status == ProjectStatus.ABANDONED else ""
        services.project_change_status(project=project, by=actor, to_status=status, reason=reason)
        story.dated(day)
    _seed_comments(demo, project, actor=actor, story=story)
    # Last, so that no later save of the project writes "now" back.
    Project.objects.filter(pk=project.pk).update(created_at=timezone.make_aware(datetime.combine(created_on, time(9))))
    return linked


def _project_data(demo: DemoProject, members: dict[str, Member]) -> dict:
    lead = members[demo.lead]
    return {
        "title": demo.title,
        "summary": demo.summary,
        "kind": demo.kind,
        "lead_member": lead,
        "site": _site(demo.lead, demo.site),
        "commune": demo.commune,
        "visibility": demo.visibility,
        "start_date": demo.start_date,
        "end_date": demo.end_date,
    }


def _site(member_key: str, index: int | None) -> Site | None:
    if index is None:
        return None
    demo = next(member for member in MEMBERS if member.key == member_key)
    return Site.objects.filter(siret=demo_siret(demo, index)).first()


def _seed_fundings(demo: DemoProject, project: Project, *, actor: User, story: _Story) -> None:
    for funding in demo.fundings:
        data = {
            "source": funding.source,
            "funder_name": funding.funder_name,
            "amount_requested": money(funding.requested),
            "amount_granted": money(funding.granted),
            "amount_received": money(funding.received),
            "requested_on": funding.requested_on,
            "granted_on": funding.granted_on,
            "received_on": funding.received_on,
            "notes": funding.notes,
        }
        services.funding_save(project=project, by=actor, data=data)
        story.dated(funding.requested_on)


def _seed_milestones(demo: DemoProject, project: Project, *, members: dict[str, Member], actor: User) -> None:
    for milestone in demo.milestones:
        data = {
            "title": milestone.title,
            "due_date": milestone.due,
            "done_on": milestone.done,
            "owner": members[milestone.owner] if milestone.owner else None,
        }
        services.milestone_save(project=project, by=actor, data=data)


def _last_news(demo: DemoProject) -> date:
    """Indicators are reported once the figures are known: the latest event of the project's story."""
    done = [milestone.done for milestone in demo.milestones if milestone.done]
    return max([day for _status, day in demo.steps] + done)


def _seed_indicators(demo: DemoProject, project: Project, *, actor: User) -> None:
    for indicator in demo.indicators:
        for year, (target, actual) in indicator.values.items():
            data = {
                "kind": indicator.kind,
                "label": indicator.label,
                "unit": indicator.unit,
                "year": year,
                "target": _decimal(target),
                "actual": _decimal(actual),
            }
            services.indicator_save(project=project, by=actor, data=data)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _link_matches(demo: DemoProject, project: Project, *, actor: User) -> int:
    """The best current match of each filter; a demo whose run found none simply links nothing."""
    linked = 0
    for filters in demo.matches:
        match = Match.objects.filter(**filters).exclude(status__in=UNUSABLE_MATCHES).order_by("-score", "pk").first()
        if match is not None:
            services.project_link_match(project=project, match=match, by=actor)
            linked += 1
    return linked


def _seed_comments(demo: DemoProject, project: Project, *, actor: User, story: _Story) -> None:
    authors = {user.email: user for user in User.objects.filter(email__in=[c[0] for c in demo.comments if c[0]])}
    for email, day, message in demo.comments:
        author = authors.get(email, actor) if email else actor
        if not can_comment(author, project):
            author = actor
        services.comment_add(project=project, by=author, message=message)
        story.dated(day)
