"""Writes on projects: who may do them, what they refuse (in French, on the right field), and the story
they leave behind (activity log and field history)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.enums import MemberRole, MembershipStatus
from projects import services
from projects.enums import ActivityKind, FundingSource, IndicatorKind, ParticipantRole, ProjectKind, ProjectStatus
from projects.models import Project, ProjectActivity, ProjectParticipant
from projects.permissions import can_upload

from ..members.factories import MemberFactory, UserFactory
from .factories import FundingFactory, IndicatorFactory, MilestoneFactory, ParticipantFactory, ProjectFactory

TODAY = timezone.localdate()


def project_data(lead, **overrides) -> dict:
    return {
        "title": "Chaufferie bois collective",
        "summary": "Palettes broyées des membres pour chauffer les bâtiments communaux.",
        "kind": ProjectKind.ENERGY,
        "lead_member": lead,
        "commune": "Fameck",
        **overrides,
    }


def activities(project, kind=None) -> list[ProjectActivity]:
    rows = ProjectActivity.objects.filter(project=project).order_by("pk")
    return list(rows.filter(kind=kind) if kind else rows)


def errors_of(raised) -> dict:
    return {field: [plain(message) for message in messages] for field, messages in raised.value.message_dict.items()}


def plain(text: str) -> str:
    """Amounts are written with no-break spaces (« 12 500 € »); the expectations below use plain ones."""
    return text.replace("\xa0", " ")


# --- Creating and editing ---------------------------------------------------------------------------


def test_coordinator_creates_a_project_at_the_idea_stage_with_its_lead_as_participant(coordinator, member_org):
    project = services.project_create(by=coordinator, data=project_data(member_org))

    assert project.status == ProjectStatus.IDEA
    assert project.created_by == coordinator
    lead = project.participants.get()
    assert (lead.member, lead.role) == (member_org, ParticipantRole.LEAD)
    created = activities(project)[0]
    assert (created.kind, created.actor) == (ActivityKind.CREATED, coordinator)
    assert project.history.get().history_user == coordinator


@pytest.mark.parametrize("role", ["member", "member_viewer", "partner", "plain_user"])
def test_only_the_coordination_creates_projects(request, role, member_org):
    user = request.getfixturevalue(role)

    with pytest.raises(PermissionDenied):
        services.project_create(by=user, data=project_data(member_org))
    assert not Project.objects.exists()


def test_a_project_cannot_end_before_it_starts(coordinator, member_org):
    data = project_data(member_org, start_date=date(2026, 5, 1), end_date=date(2026, 4, 1))

    with pytest.raises(ValidationError) as raised:
        services.project_create(by=coordinator, data=data)
    assert errors_of(raised) == {"end_date": ["La date de fin précède la date de début."]}


def test_a_former_member_cannot_lead_a_project(coordinator):
    former = MemberFactory(status=MembershipStatus.FORMER, name="Ancienne Fonderie")

    with pytest.raises(ValidationError) as raised:
        services.project_create(by=coordinator, data=project_data(former))
    assert errors_of(raised)["lead_member"] == ["« Ancienne Fonderie » n'est plus membre du pôle."]


def test_a_project_whose_lead_has_left_the_pole_can_still_be_edited_and_closed(coordinator):
    project = ProjectFactory(
        status=ProjectStatus.OPERATIONAL, lead_member=MemberFactory(status=MembershipStatus.FORMER)
    )

    services.project_update(project=project, by=coordinator, data={"summary": "Bilan final."})
    services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.CLOSED)

    project.refresh_from_db()
    assert (project.summary, project.status) == ("Bilan final.", ProjectStatus.CLOSED)


def test_an_unknown_field_fails_loudly_instead_of_being_ignored(coordinator, member_org):
    with pytest.raises(TypeError, match="status"):
        services.project_create(by=coordinator, data=project_data(member_org, status=ProjectStatus.OPERATIONAL))


def test_the_commune_of_the_site_fills_an_empty_commune(coordinator, member_org):
    site = member_org.sites.get()

    project = services.project_create(by=coordinator, data=project_data(member_org, commune="", site=site))

    assert project.commune == "Hayange"


def test_editing_a_project_logs_the_changed_fields_only(coordinator):
    project = ProjectFactory(title="Chaufferie", commune="Fameck")

    services.project_update(project=project, by=coordinator, data={"title": "Chaufferie bois", "commune": "Fameck"})
    services.project_update(project=project, by=coordinator, data={"title": "Chaufferie bois"})

    assert [row.message for row in activities(project)] == ["Fiche modifiée : intitulé."]
    assert project.history.first().title == "Chaufferie bois"


def test_changing_the_lead_makes_the_former_lead_a_partner(coordinator, member_org, other_member_org):
    project = ProjectFactory(lead_member=member_org)

    services.project_update(project=project, by=coordinator, data={"lead_member": other_member_org})

    roles = dict(project.participants.values_list("member__name", "role"))
    assert roles == {
        "Recyclerie du Val de Fensch": ParticipantRole.PARTNER,
        "Aciérie de Florange": ParticipantRole.LEAD,
    }


def test_the_status_is_not_edited_with_the_rest_of_the_project(coordinator):
    project = ProjectFactory()

    with pytest.raises(TypeError):
        services.project_update(project=project, by=coordinator, data={"status": ProjectStatus.CLOSED})


# --- Status ----------------------------------------------------------------------------------------


def test_moving_a_project_forward_logs_who_moved_it_from_where_to_where(coordinator):
    project = ProjectFactory(status=ProjectStatus.IDEA)

    services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.FEASIBILITY)

    project.refresh_from_db()
    assert project.status == ProjectStatus.FEASIBILITY
    (row,) = activities(project, ActivityKind.STATUS)
    assert (row.from_status, row.to_status, row.actor) == (ProjectStatus.IDEA, ProjectStatus.FEASIBILITY, coordinator)
    assert row.message == "Statut : « Idée » → « Étude de faisabilité »."
    assert project.history.first().status == ProjectStatus.FEASIBILITY


def test_skipping_a_stage_is_refused_with_the_possible_next_stages(coordinator):
    project = ProjectFactory(status=ProjectStatus.IDEA)

    with pytest.raises(ValidationError) as raised:
        services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.OPERATIONAL)

    assert errors_of(raised)["status"] == [
        "Un projet « Idée » ne peut pas passer à « En fonctionnement ». Possible : « Étude de faisabilité », "
        "« Abandonné »."
    ]
    project.refresh_from_db()
    assert project.status == ProjectStatus.IDEA
    assert activities(project) == []


def test_a_closed_project_cannot_be_reopened(coordinator):
    project = ProjectFactory(status=ProjectStatus.CLOSED)

    with pytest.raises(ValidationError) as raised:
        services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.OPERATIONAL)
    assert "Possible : —" in errors_of(raised)["status"][0]


def test_moving_to_the_same_status_is_refused(coordinator):
    project = ProjectFactory(status=ProjectStatus.FUNDING)

    with pytest.raises(ValidationError) as raised:
        services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.FUNDING)
    assert errors_of(raised)["status"] == ["Le projet est déjà au statut « Recherche de financement »."]


def test_abandoning_needs_a_reason_which_is_kept(coordinator):
    project = ProjectFactory(status=ProjectStatus.FEASIBILITY)

    with pytest.raises(ValidationError) as raised:
        services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.ABANDONED, reason=" ")
    assert errors_of(raised) == {"reason": ["Indiquez pourquoi le projet est abandonné."]}

    reason = "Gisement trop faible : 300 t/an au lieu des 800 t/an nécessaires."
    services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.ABANDONED, reason=reason)

    project.refresh_from_db()
    assert (project.status, project.abandon_reason) == (ProjectStatus.ABANDONED, reason)
    assert activities(project, ActivityKind.STATUS)[0].message.endswith(reason)
    assert project.history.first().history_change_reason == reason


def test_reopening_an_abandoned_project_clears_its_reason(coordinator):
    project = ProjectFactory(status=ProjectStatus.ABANDONED, abandon_reason="Pas de financement.")

    services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.FEASIBILITY)

    project.refresh_from_db()
    assert (project.status, project.abandon_reason) == (ProjectStatus.FEASIBILITY, "")


def test_implementation_needs_a_granted_funding_and_then_starts_today(coordinator):
    project = ProjectFactory(status=ProjectStatus.FUNDING, start_date=None)
    FundingFactory(project=project, amount_granted=None)

    with pytest.raises(ValidationError) as raised:
        services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.IMPLEMENTATION)
    assert "Aucun financement n'est accordé" in errors_of(raised)["status"][0]

    FundingFactory(project=project, source=FundingSource.OWN_FUNDS, amount_granted=Decimal("20000"))
    services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.IMPLEMENTATION)
    assert project.start_date == TODAY


def test_closing_a_project_sets_its_end_date(coordinator):
    project = ProjectFactory(status=ProjectStatus.OPERATIONAL, start_date=date(2024, 1, 1))

    services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.CLOSED)

    project.refresh_from_db()
    assert project.end_date == TODAY


def test_members_cannot_move_a_project_even_their_own(member, member_org):
    project = ProjectFactory(lead_member=member_org)

    with pytest.raises(PermissionDenied):
        services.project_change_status(project=project, by=member, to_status=ProjectStatus.FEASIBILITY)


# --- Participants ----------------------------------------------------------------------------------


def test_coordinator_adds_a_participant_then_changes_its_role(coordinator, other_member_org):
    project = ProjectFactory()

    participant = services.participant_save(
        project=project, by=coordinator, member=other_member_org, role=ParticipantRole.SUPPLIER, commitment="40 t/an"
    )
    services.participant_save(project=project, by=coordinator, member=other_member_org, role=ParticipantRole.PARTNER)

    participant.refresh_from_db()
    assert participant.role == ParticipantRole.PARTNER
    assert [row.message for row in activities(project, ActivityKind.PARTICIPANT)] == [
        "« Aciérie de Florange » rejoint le projet (fournisseur).",
        "« Aciérie de Florange » : rôle changé en partenaire.",
    ]


def test_the_lead_role_belongs_to_the_lead_member_only(coordinator, other_member_org):
    project = ProjectFactory()

    with pytest.raises(ValidationError) as raised:
        services.participant_save(project=project, by=coordinator, member=other_member_org, role=ParticipantRole.LEAD)
    assert "role" in errors_of(raised)
    with pytest.raises(ValidationError) as raised:
        services.participant_save(
            project=project, by=coordinator, member=project.lead_member, role=ParticipantRole.FUNDER
        )
    assert errors_of(raised)["role"] == ["La structure porteuse garde le rôle de porteur."]


def test_the_lead_cannot_be_removed_but_a_partner_can(coordinator):
    project = ProjectFactory()
    partner = ParticipantFactory(project=project)
    partner_id = partner.pk

    with pytest.raises(ValidationError):
        services.participant_remove(participant=project.participants.get(role=ParticipantRole.LEAD), by=coordinator)
    services.participant_remove(participant=partner, by=coordinator)

    assert list(project.participants.values_list("role", flat=True)) == [ParticipantRole.LEAD]
    assert ProjectParticipant.history.filter(id=partner_id, history_type="-").get().history_user == coordinator


def test_an_organisation_states_its_own_commitment(member, member_viewer, other_member, member_org):
    participant = ParticipantFactory(member=member_org)

    services.commitment_update(participant=participant, by=member, commitment="Deux salariés en insertion")

    participant.refresh_from_db()
    assert participant.commitment == "Deux salariés en insertion"
    for outsider in (member_viewer, other_member):
        with pytest.raises(PermissionDenied):
            services.commitment_update(participant=participant, by=outsider, commitment="Rien")


# --- Fundings, milestones, indicators ----------------------------------------------------------------


def funding_data(**overrides) -> dict:
    return {"source": FundingSource.ADEME, "amount_requested": Decimal("50000"), **overrides}


def test_a_funder_may_grant_more_than_requested(coordinator):
    project = ProjectFactory()

    funding = services.funding_save(
        project=project, by=coordinator, data=funding_data(amount_granted=Decimal("60000"))
    )

    assert funding.amount_granted == Decimal("60000")
    assert plain(activities(project, ActivityKind.FUNDING)[0].message) == (
        "Financement « ADEME » ajouté : 50 000 € demandés, 60 000 € accordés, — perçus."
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"amount_granted": Decimal("30000"), "amount_received": Decimal("35000")},
            "amount_received",
            "Le montant perçu (35 000 €) dépasse le montant accordé (30 000 €).",
        ),
        (
            {"amount_received": Decimal("1000")},
            "amount_received",
            "Un montant ne peut être perçu qu'une fois accordé : indiquez le montant accordé.",
        ),
        (
            {"amount_granted": Decimal("1000"), "requested_on": date(2025, 5, 1), "granted_on": date(2025, 4, 1)},
            "granted_on",
            "L'accord ne peut pas précéder la demande.",
        ),
        ({"source": FundingSource.OTHER, "funder_name": ""}, "funder_name", "Nommez le financeur."),
        ({"amount_requested": Decimal("-5")}, "amount_requested", None),
    ],
)
def test_inconsistent_fundings_are_refused_on_the_right_field(coordinator, overrides, field, message):
    project = ProjectFactory()

    with pytest.raises(ValidationError) as raised:
        services.funding_save(project=project, by=coordinator, data=funding_data(**overrides))
    assert field in errors_of(raised)
    if message:
        assert errors_of(raised)[field] == [message]
    assert not project.fundings.exists()


def test_a_milestone_owner_takes_part_in_the_project(coordinator, other_member_org):
    project = ProjectFactory()
    data = {"title": "Étude de gisement", "due_date": TODAY + timedelta(days=10), "owner": other_member_org}

    with pytest.raises(ValidationError) as raised:
        services.milestone_save(project=project, by=coordinator, data=data)
    assert errors_of(raised)["owner"] == ["Le responsable d'un jalon est le porteur ou un participant du projet."]

    ParticipantFactory(project=project, member=other_member_org)
    milestone = services.milestone_save(project=project, by=coordinator, data=data)
    assert milestone.owner == other_member_org


def test_a_milestone_cannot_be_done_in_the_future(coordinator):
    project = ProjectFactory()
    data = {"title": "Mise en service", "due_date": TODAY, "done_on": TODAY + timedelta(days=1)}

    with pytest.raises(ValidationError) as raised:
        services.milestone_save(project=project, by=coordinator, data=data)
    assert errors_of(raised) == {"done_on": ["Un jalon ne peut pas être réalisé à une date future."]}


def test_the_owner_organisation_completes_its_milestone_and_others_cannot(
    member, member_viewer, other_member, member_org
):
    project = ProjectFactory(lead_member=member_org)
    milestone = MilestoneFactory(project=project, owner=member_org, due_date=TODAY - timedelta(days=3))
    assert milestone.is_overdue

    for outsider in (member_viewer, other_member):
        with pytest.raises(PermissionDenied):
            services.milestone_complete(milestone=milestone, by=outsider)
    services.milestone_complete(milestone=milestone, by=member)

    milestone.refresh_from_db()
    assert milestone.done_on == TODAY and not milestone.is_overdue
    assert activities(project, ActivityKind.MILESTONE)[0].actor == member
    with pytest.raises(ValidationError):
        services.milestone_complete(milestone=milestone, by=member)


def test_a_free_indicator_needs_a_label_and_standard_ones_get_their_unit(coordinator):
    project = ProjectFactory()

    with pytest.raises(ValidationError) as raised:
        services.indicator_save(project=project, by=coordinator, data={"kind": IndicatorKind.CUSTOM, "year": 2025})
    assert errors_of(raised) == {"label": ["Un indicateur libre a besoin d'un libellé."]}

    jobs = services.indicator_save(
        project=project,
        by=coordinator,
        data={"kind": IndicatorKind.INSERTION_JOBS, "label": "ignoré", "year": 2025, "target": Decimal("4")},
    )
    assert (jobs.label, jobs.unit) == ("", "ETP")


def test_an_indicator_has_one_value_per_year(coordinator):
    project = ProjectFactory()
    IndicatorFactory(project=project, kind=IndicatorKind.TONNES, year=2025)

    with pytest.raises(ValidationError) as raised:
        services.indicator_save(
            project=project, by=coordinator, data={"kind": IndicatorKind.TONNES, "year": 2025, "target": 5}
        )
    assert errors_of(raised)["year"] == ["« Tonnes valorisées » a déjà une valeur pour 2025 : modifiez-la plutôt."]


def test_a_child_row_of_another_project_is_refused(coordinator):
    funding = FundingFactory()

    with pytest.raises(ValueError):
        services.funding_save(project=ProjectFactory(), by=coordinator, funding=funding, data={"notes": "x"})


@pytest.mark.parametrize("service", ["budget_line_save", "funding_save", "milestone_save", "indicator_save"])
def test_members_do_not_write_the_plan(member, member_org, service):
    project = ProjectFactory(lead_member=member_org)

    with pytest.raises(PermissionDenied):
        getattr(services, service)(project=project, by=member, data={})


# --- Comments -----------------------------------------------------------------------------------------


def test_every_user_of_a_participant_may_comment_viewers_included(member_viewer, member_org):
    project = ProjectFactory(lead_member=member_org)

    comment = services.comment_add(project=project, by=member_viewer, message="  Réunion de lancement mardi.  ")

    assert (comment.kind, comment.actor, comment.message) == (
        ActivityKind.COMMENT,
        member_viewer,
        "Réunion de lancement mardi.",
    )


def test_outsiders_and_partners_cannot_comment_and_empty_comments_are_refused(other_member, partner, member_org):
    project = ProjectFactory(lead_member=member_org)
    for outsider in (other_member, partner):
        with pytest.raises(PermissionDenied):
            services.comment_add(project=project, by=outsider, message="Bonjour")
    coordinator = UserFactory(coordinator=True)
    with pytest.raises(ValidationError) as raised:
        services.comment_add(project=project, by=coordinator, message="   ")
    assert errors_of(raised) == {"message": ["Le commentaire est vide."]}


def test_an_editor_of_a_participant_may_upload_but_not_a_viewer(member_org):
    project = ProjectFactory(lead_member=member_org)
    editor = UserFactory(member=member_org, member_role=MemberRole.EDITOR)
    viewer = UserFactory(member=member_org, member_role=MemberRole.VIEWER)

    assert can_upload(editor, project)
    assert not can_upload(viewer, project)


def test_a_long_abandon_reason_is_kept_whole_even_though_the_history_column_is_short(coordinator):
    """The history's reason column holds 100 characters (PostgreSQL enforces it); the project keeps it all."""
    project = ProjectFactory(status=ProjectStatus.FUNDING)
    reason = "Le financement régional a été refusé et les membres ne peuvent pas porter seuls l'investissement. " * 3

    services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.ABANDONED, reason=reason)

    project.refresh_from_db()
    assert project.abandon_reason == reason.strip()
    assert project.history.first().history_change_reason == reason.strip()[:100]
