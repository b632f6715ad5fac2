from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members import services
from members.enums import MemberKind, MemberRole, MembershipStatus
from members.models import Invitation, Member, Site, User

from .factories import CollegeFactory, MemberFactory, SiteFactory, UserFactory


def test_coordinator_creates_a_member_with_a_siren_typed_with_spaces(coordinator):
    member = services.member_create(
        actor=coordinator,
        name="Brasserie de la Fensch",
        kind=MemberKind.CLASSIC_ENTERPRISE,
        legal_form="sarl",
        siren="732 829 320",
        naf_code="1105z",
        status=MembershipStatus.ACTIVE,
    )

    assert member.siren == "732829320"
    assert member.naf_code == "11.05Z"
    assert member.joined_on == timezone.localdate()
    assert member.history.get().history_user == coordinator


def test_member_user_cannot_create_members(member):
    with pytest.raises(PermissionDenied):
        services.member_create(actor=member, name="X", kind=MemberKind.OTHER, legal_form="other")


def test_member_admin_updates_its_own_description(member, member_org):
    services.member_update(actor=member, member=member_org, description="Nous réparons et revendons.")

    member_org.refresh_from_db()
    assert member_org.description == "Nous réparons et revendons."
    assert member_org.history.latest().history_user == member


def test_member_admin_cannot_change_its_own_status_or_college(member, member_org):
    with pytest.raises(PermissionDenied, match="réservés à la coordination"):
        services.member_update(actor=member, member=member_org, status=MembershipStatus.FORMER)
    with pytest.raises(PermissionDenied):
        services.member_update(actor=member, member=member_org, college=CollegeFactory())


def test_member_viewer_cannot_edit_its_organisation(member_viewer, member_org):
    with pytest.raises(PermissionDenied):
        services.member_update(actor=member_viewer, member=member_org, description="x")


def test_member_cannot_edit_another_member(member, other_member_org):
    with pytest.raises(PermissionDenied):
        services.member_update(actor=member, member=other_member_org, name="Piraté")
    other_member_org.refresh_from_db()
    assert other_member_org.name == "Aciérie de Florange"


def test_an_invalid_update_changes_nothing(coordinator, member_org):
    with pytest.raises(ValidationError):
        services.member_update(actor=coordinator, member=member_org, name="Nouveau nom", siren="123")

    member_org.refresh_from_db()
    assert member_org.name == "Recyclerie du Val de Fensch"


def test_archiving_a_member_keeps_its_data_and_deactivates_its_users(coordinator, member, member_org):
    services.member_archive(actor=coordinator, member=member_org)

    member_org.refresh_from_db()
    member.refresh_from_db()
    assert member_org.status == MembershipStatus.FORMER
    assert member_org.left_on == timezone.localdate()
    assert member_org.sites.count() == 1
    assert not member.is_active


def test_a_siret_must_start_with_the_members_siren(coordinator, member_org):
    other_siren_siret = "55210055400013"
    site = Site(member=member_org, name="Dépôt", commune="Fameck", latitude=49.3, longitude=6.1)

    with pytest.raises(ValidationError) as refusal:
        services.site_save(actor=coordinator, site=site, siret=other_siren_siret)

    assert "ne correspond pas au SIREN du membre" in refusal.value.message_dict["siret"][0]


def test_the_first_site_of_a_member_becomes_its_main_site(coordinator):
    member = MemberFactory()
    site = services.site_save(
        actor=coordinator, site=Site(member=member), name="Siège", commune="Hayange", latitude=49.33, longitude=6.06
    )

    assert site.is_main


def test_marking_a_site_as_main_moves_the_flag(coordinator, member_org):
    first = member_org.sites.get()
    second = SiteFactory(member=member_org, commune="Florange", is_main=False)

    services.site_save(actor=coordinator, site=second, is_main=True)

    first.refresh_from_db()
    assert not first.is_main
    assert member_org.sites.get(is_main=True) == second


def test_the_main_site_cannot_be_deleted(coordinator, member_org):
    with pytest.raises(ValidationError):
        services.site_delete(actor=coordinator, site=member_org.sites.get())


def test_a_member_cannot_be_left_without_a_main_site(coordinator, member_org):
    SiteFactory(member=member_org, commune="Florange", is_main=False)

    with pytest.raises(ValidationError):
        services.site_save(actor=coordinator, site=member_org.sites.get(is_main=True), is_main=False)


def test_the_only_site_of_a_member_stays_its_main_site(coordinator, member_org):
    site = services.site_save(actor=coordinator, site=member_org.sites.get(), is_main=False)

    assert site.is_main


def test_recording_a_payment_dates_it(coordinator, member_org):
    from members.models import Fee

    fee = services.fee_save(
        actor=coordinator, fee=Fee(member=member_org), year=2026, amount_due=Decimal("250"), amount_paid=Decimal("250")
    )

    assert fee.paid_on == timezone.localdate()
    assert not fee.is_outstanding


def test_member_users_cannot_record_fees(member, member_org):
    from members.models import Fee

    with pytest.raises(PermissionDenied):
        services.fee_save(actor=member, fee=Fee(member=member_org), year=2026, amount_due=Decimal("0"))


def test_a_college_with_members_cannot_be_deleted(coordinator):
    college = CollegeFactory()
    MemberFactory(college=college)

    with pytest.raises(ValidationError):
        services.college_delete(actor=coordinator, college=college)


def test_an_invitation_sends_a_one_time_link_and_stores_only_its_hash(
    coordinator, member_org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            actor=coordinator, member=member_org, email="Nouvelle@Recyclerie.test", member_role=MemberRole.EDITOR
        )

    assert invitation.email == "nouvelle@recyclerie.test"
    token = mail.outbox[0].body.split("/invitation/")[1].split("/")[0]
    assert token not in invitation.token_hash
    assert invitation.token_hash == Invitation.hash_token(token)

    user = services.invitation_accept(
        token=token, password="un-mot-de-passe-solide", first_name="Léa", last_name="Roux"
    )

    assert user.member == member_org and user.member_role == MemberRole.EDITOR
    assert user.check_password("un-mot-de-passe-solide")
    with pytest.raises(ValidationError, match="n'est plus valable"):
        services.invitation_accept(token=token, password="un-autre-mot-de-passe", first_name="X", last_name="Y")
    assert User.objects.filter(email="nouvelle@recyclerie.test").count() == 1


def test_an_expired_invitation_cannot_be_used(coordinator, member_org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            actor=coordinator, member=member_org, email="tard@recyclerie.test", member_role=MemberRole.VIEWER
        )
    token = mail.outbox[0].body.split("/invitation/")[1].split("/")[0]
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert services.invitation_find(token=token) is None
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, password="un-mot-de-passe-solide", first_name="A", last_name="B")


def test_member_admin_invites_colleagues_but_not_for_another_member(member, member_org, other_member_org):
    services.invitation_send(
        actor=member, member=member_org, email="collegue@recyclerie.test", member_role=MemberRole.VIEWER
    )

    with pytest.raises(PermissionDenied):
        services.invitation_send(
            actor=member, member=other_member_org, email="x@acierie.test", member_role=MemberRole.ADMIN
        )


def test_member_viewer_cannot_invite(member_viewer, member_org):
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            actor=member_viewer, member=member_org, email="x@y.test", member_role=MemberRole.VIEWER
        )


def test_an_existing_account_cannot_be_invited_again(coordinator, member, member_org):
    with pytest.raises(ValidationError):
        services.invitation_send(
            actor=coordinator, member=member_org, email=member.email, member_role=MemberRole.VIEWER
        )


def test_coordinator_deactivates_a_member_user(coordinator, member_viewer):
    services.member_user_update(actor=coordinator, user=member_viewer, is_active=False)

    member_viewer.refresh_from_db()
    assert not member_viewer.is_active


def test_member_admin_cannot_remove_its_own_admin_rights(member):
    with pytest.raises(ValidationError):
        services.member_user_update(actor=member, user=member, member_role=MemberRole.VIEWER)


def test_every_registry_change_is_recorded_with_its_author(coordinator, member_org):
    services.member_update(actor=coordinator, member=member_org, short_name="Recyclerie")

    latest = Member.history.filter(id=member_org.pk).latest()
    delta = latest.diff_against(latest.prev_record)
    assert latest.history_user == coordinator
    assert [(change.field, change.old, change.new) for change in delta.changes] == [("short_name", "", "Recyclerie")]


def test_creating_a_user_attached_to_a_member_requires_a_role(member_org):
    user = UserFactory.build(email="sansrole@x.test", member=member_org, member_role="")

    with pytest.raises(ValidationError):
        user.full_clean()


def test_geocoding_is_off_by_default_and_coordinates_stay_required(coordinator, member_org):
    with pytest.raises(ValidationError) as refusal:
        services.site_save(actor=coordinator, site=Site(member=member_org), name="Dépôt", commune="Fameck")

    assert {"latitude", "longitude"} <= set(refusal.value.message_dict)


def test_when_geocoding_is_on_a_site_without_coordinates_gets_those_of_its_address(
    coordinator, member_org, settings, monkeypatch
):
    import io
    import json

    settings.GEOCODING_ENABLED = True
    answer = {"features": [{"geometry": {"coordinates": [6.1123, 49.3051]}, "properties": {"score": 0.93}}]}
    asked = []

    def fake_urlopen(url, timeout):
        asked.append(url)
        return io.BytesIO(json.dumps(answer).encode())

    monkeypatch.setattr("members.geocoding.urlopen", fake_urlopen)

    site = services.site_save(
        actor=coordinator, site=Site(member=member_org), name="Dépôt", address="2 rue de la Gare", postcode="57290",
        commune="Fameck",
    )  # fmt: skip

    assert (site.latitude, site.longitude) == (Decimal("49.305100"), Decimal("6.112300"))
    assert "q=2+rue+de+la+Gare+57290+Fameck" in asked[0]
