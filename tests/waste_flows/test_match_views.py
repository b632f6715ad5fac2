"""Matches in the browser: the coordinator's board and a match's lifecycle, members' opportunities (and
what they must not see before an introduction), runs with their progress, channels, and query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from waste_flows.enums import Direction, MatchKind, MatchStatus, ParticipantAnswer, RunStatus
from waste_flows.matches import Channel, MatchRun
from waste_flows.templatetags.match_tags import explain

from ..members.factories import ContactFactory, MemberFactory
from .factories import StreamFactory, material
from .match_factories import MatchFactory, engine_stub_fixture  # noqa: F401 - the engine_stub fixture


@pytest.fixture
def between_members(member_org, other_member_org):
    """Build a match between the `member` (offer) and the `other_member` (need) organisations."""

    def build(**kwargs):
        offer = StreamFactory(site=member_org.sites.get())
        need = StreamFactory(site=other_member_org.sites.get(), direction=Direction.NEED)
        return MatchFactory(offer=offer, need=need, **kwargs)

    return build


# --- Board ---------------------------------------------------------------------------------------------


def test_only_the_coordinator_opens_the_board(client, member, partner):
    for user in (member, partner):
        client.force_login(user)
        assert client.get(reverse("waste_flows:match_board")).status_code == 403


def test_board_lists_matches_with_funnel_counts_and_implemented_totals(client, coordinator, between_members):
    between_members(status=MatchStatus.SUGGESTED)
    between_members(status=MatchStatus.IMPLEMENTED, tonnes_per_year=40, co2e_avoided_t=10, euros_saved=500)
    between_members(status=MatchStatus.REJECTED, rejection_reason="distance")
    client.force_login(coordinator)
    response = client.get(reverse("waste_flows:match_board"))
    assert response.status_code == 200
    counts = {item["status"]: item["count"] for item in response.context["status_counts"]}
    assert counts == {"suggested": 1, "reviewed": 0, "introduced": 0, "in_discussion": 0, "implemented": 1,
                      "rejected": 1, "obsolete": 0}  # fmt: skip
    assert response.context["totals"]["tonnes_per_year"] == 40
    assert "Lancer une recherche" in response.content.decode()


def test_board_filters_by_status_kind_member_and_family(client, coordinator, between_members, member_org):
    suggested = between_members(status=MatchStatus.SUGGESTED)
    pooling = between_members(status=MatchStatus.REVIEWED, kind=MatchKind.POOLING, near_miss=True)
    outsider = MatchFactory(material=material("metals.ferrous"))
    client.force_login(coordinator)

    def listed(**query):
        return {m.pk for m in client.get(reverse("waste_flows:match_board"), query).context["page"]}

    assert listed(status="suggested") == {suggested.pk, outsider.pk}
    assert listed(kind="pooling") == {pooling.pk}
    assert listed(near_miss="true") == {pooling.pk}
    assert listed(member=member_org.pk) == {suggested.pk, pooling.pk}
    assert listed(family="metals") == {outsider.pk}


def test_board_sorts_by_impact(client, coordinator, between_members):
    small = between_members(co2e_avoided_t=1)
    large = between_members(co2e_avoided_t=9)
    client.force_login(coordinator)
    page = client.get(reverse("waste_flows:match_board"), {"ordering": "-co2e_avoided_t"}).context["page"]
    assert [m.pk for m in page] == [large.pk, small.pk]


def test_board_query_count_does_not_grow_with_matches(client, coordinator, between_members, django_assert_num_queries):
    client.force_login(coordinator)
    url = reverse("waste_flows:match_board")
    between_members()
    client.get(url)  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        between_members(kind=MatchKind.POOLING)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    # session, user, count, page, participants, funnel, totals, recent runs, filter choices (families, members)…
    with django_assert_num_queries(11):
        client.get(url)


# --- One match (coordinator) ---------------------------------------------------------------------


def test_coordinator_reads_the_explanation_in_words(client, coordinator, between_members):
    match = between_members()
    client.force_login(coordinator)
    content = client.get(match.get_absolute_url()).content.decode()
    assert "Même matière" in content
    assert "12,4 km par la route, sous la limite de 30 km" in content
    assert "L&#x27;offre couvre 85 % du besoin" in content
    assert "part aujourd&#x27;hui en enfouissement" in content
    assert "Recyclerie du Val de Fensch" in content and "Aciérie de Florange" in content


def test_explain_says_how_much_of_a_threshold_a_pool_reaches():
    sentence = explain({"name": "threshold", "passed": True, "detail": {"share": 1.12, "threshold": 800000, "gap": 0}})
    assert sentence == "Atteint 112 % du seuil de 800 t/an"
    short = explain(
        {"name": "threshold", "passed": False, "detail": {"share": 0.7, "threshold": 800000, "gap": 240000}}
    )
    assert short == "Atteint 70 % du seuil de 800 t/an ; il manque 240 t/an"
    assert explain({"name": "material", "passed": True, "detail": {"fit": "use", "offer": "palettes",
                                                                    "need": "combustible bois"}}) == (
        "Usage connu : palettes → combustible bois"
    )  # fmt: skip


def test_coordinator_moves_a_match_along_with_the_buttons(client, coordinator, between_members):
    match = between_members()
    client.force_login(coordinator)
    url = reverse("waste_flows:match_transition", args=[match.pk])
    assert client.post(url, {"status": "reviewed"}).status_code == 302
    assert client.post(url, {"status": "introduced"}).status_code == 302
    assert client.post(url, {"status": "in_discussion"}).status_code == 302
    assert client.post(url, {"status": "implemented", "actual_tonnes_per_year": "9.5"}).status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.IMPLEMENTED and match.actual_tonnes_per_year == 9.5
    content = client.get(match.get_absolute_url()).content.decode()
    assert "Réalisée" in content and "Historique" in content


def test_a_refused_transition_is_explained_in_french(client, coordinator, between_members):
    match = between_members()
    client.force_login(coordinator)
    url = reverse("waste_flows:match_transition", args=[match.pk])
    response = client.post(url, {"status": "implemented"})
    assert response.status_code == 400
    assert "ne peut pas passer à" in response.content.decode()
    response = client.post(url, {"status": "rejected"})
    assert "Indiquez pourquoi la mise en relation est écartée." in response.content.decode()
    assert client.post(url, {"status": "rejected", "reason": "distance", "note": "45 km"}).status_code == 302
    match.refresh_from_db()
    assert (match.status, match.rejection_reason, match.rejection_note) == ("rejected", "distance", "45 km")
    assert "Reconsidérer" in client.get(match.get_absolute_url()).content.decode()


def test_members_cannot_move_a_match(client, member, between_members):
    match = between_members(status=MatchStatus.REVIEWED)
    client.force_login(member)
    assert (
        client.post(reverse("waste_flows:match_transition", args=[match.pk]), {"status": "introduced"}).status_code
        == 403
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.REVIEWED


def test_coordinator_adds_a_note(client, coordinator, between_members):
    match = between_members()
    client.force_login(coordinator)
    client.post(reverse("waste_flows:match_note", args=[match.pk]), {"text": "Appeler l'aciérie"})
    assert match.notes.get().text == "Appeler l'aciérie"


def test_pooling_detail_draws_contributors_and_hub_on_a_map(client, coordinator, member_org, other_member_org):
    hub = member_org.sites.get()
    offers = [StreamFactory(site=hub), StreamFactory(site=other_member_org.sites.get())]
    match = MatchFactory(kind=MatchKind.POOLING, offer=None, need=None, hub_site=hub, threshold=800000,
                         total_quantity=900000, explanation=[])  # fmt: skip
    match.streams.set(offers)
    client.force_login(coordinator)
    response = client.get(match.get_absolute_url())
    points = response.context["site_points"]
    assert sorted((p["name"], p["main"]) for p in points) == [
        ("Aciérie de Florange · Florange", False),
        ("Recyclerie du Val de Fensch · Hayange", True),
    ]
    assert 'id="site-points"' in response.content.decode()


# --- Members ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [MatchStatus.SUGGESTED, MatchStatus.REVIEWED, MatchStatus.REJECTED,
                                    MatchStatus.OBSOLETE])  # fmt: skip
def test_members_never_see_a_match_before_its_introduction(client, member, between_members, status):
    match = between_members(status=status)
    client.force_login(member)
    content = client.get(reverse("waste_flows:my_opportunities")).content.decode()
    assert "Aciérie de Florange" not in content and "Florange" not in content
    assert client.get(match.get_absolute_url()).status_code == 404


def test_members_see_the_counterpart_once_introduced(client, member, between_members, other_member_org):
    ContactFactory(member=other_member_org, email="oui@acierie.test", consents_to_contact=True)
    ContactFactory(member=other_member_org, email="non@acierie.test", consents_to_contact=False)
    match = between_members(status=MatchStatus.INTRODUCED)
    client.force_login(member)
    content = client.get(reverse("waste_flows:my_opportunities")).content.decode()
    assert "Aciérie de Florange" in content and "Florange" in content
    assert "oui@acierie.test" in content and "non@acierie.test" not in content
    assert "Intéressé" in content
    detail = client.get(match.get_absolute_url())
    assert detail.status_code == 200 and "Aciérie de Florange" in detail.content.decode()


def test_members_of_other_organisations_get_404(client, between_members):
    from ..members.factories import UserFactory

    match = between_members(status=MatchStatus.INTRODUCED)
    outsider = UserFactory(member=MemberFactory(), member_role="admin")
    client.force_login(outsider)
    assert client.get(match.get_absolute_url()).status_code == 404
    assert client.post(reverse("waste_flows:match_answer", args=[match.pk]), {"interested": "1"}).status_code == 404


def test_members_answer_and_the_match_goes_to_discussion_when_all_accept(
    client, member, other_member, between_members
):
    match = between_members(status=MatchStatus.INTRODUCED)
    for user in (member, other_member):
        client.force_login(user)
        client.post(reverse("waste_flows:match_answer", args=[match.pk]), {"interested": "1"})
    match.refresh_from_db()
    assert match.status == MatchStatus.IN_DISCUSSION
    assert set(match.participants.values_list("answer", flat=True)) == {ParticipantAnswer.ACCEPTED}


def test_viewers_see_their_opportunities_without_answer_buttons(client, member_viewer, between_members):
    between_members(status=MatchStatus.INTRODUCED)
    client.force_login(member_viewer)
    content = client.get(reverse("waste_flows:my_opportunities")).content.decode()
    assert "Aciérie de Florange" in content and 'name="interested"' not in content


def test_members_add_notes_to_an_introduced_match(client, member, between_members):
    match = between_members(status=MatchStatus.INTRODUCED)
    client.force_login(member)
    client.post(reverse("waste_flows:match_note", args=[match.pk]), {"text": "Disponible en mars"})
    assert match.notes.get().author == member


def test_my_opportunities_query_count_does_not_grow(client, member, between_members):
    client.force_login(member)
    url = reverse("waste_flows:my_opportunities")
    between_members(status=MatchStatus.INTRODUCED)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        between_members(status=MatchStatus.IN_DISCUSSION)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # match_view_for reads the counterparts' communes and contacts: two queries per card, bounded by the page.
    assert len(many) - len(few) == 4 * 2


def test_navigation_shows_matches_to_each_role(client, coordinator, member):
    client.force_login(coordinator)
    assert "Mises en relation" in client.get(reverse("home")).content.decode()
    client.force_login(member)
    assert "Mes opportunités" in client.get(reverse("home")).content.decode()


# --- Runs ---------------------------------------------------------------------------------------------


def test_the_button_starts_a_run_and_shows_its_progress(
    client, coordinator, engine_stub, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("waste_flows:match_run_start"))
    run = MatchRun.objects.get()
    assert response.url == reverse("waste_flows:match_run_detail", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.progress == 100
    page = client.get(response.url).content.decode()
    assert "<progress" in page and "Terminée" in page
    last_poll = client.get(reverse("waste_flows:match_run_progress", args=[run.pk]))
    assert last_poll.status_code == 286
    # the last poll also replaces the table of recent runs, which would otherwise still say "pending"
    assert 'id="run-table" aria-labelledby="runs-title" hx-swap-oob="true"' in last_poll.content.decode()


def test_a_running_run_keeps_polling(client, coordinator):
    run = MatchRun.objects.create(scope="full", trigger="button", status=RunStatus.RUNNING, progress=30)
    client.force_login(coordinator)
    fragment = client.get(reverse("waste_flows:match_run_progress", args=[run.pk]))
    assert fragment.status_code == 200
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert "hx-swap-oob" not in fragment.content.decode()
    assert "Rafraîchir" in client.get(reverse("waste_flows:match_run_detail", args=[run.pk])).content.decode()


def test_members_cannot_start_runs(client, member):
    client.force_login(member)
    assert client.post(reverse("waste_flows:match_run_start")).status_code == 403
    assert not MatchRun.objects.exists()


# --- Channels -----------------------------------------------------------------------------------------


def test_coordinator_creates_a_channel_in_tonnes(client, coordinator, member_org):
    client.force_login(coordinator)
    site = member_org.sites.get()
    response = client.post(
        reverse("waste_flows:channel_create"),
        {"name": "Chaufferie bois de Hayange", "materials": [material("wood").pk], "min_quantity": "800",
         "unit": "t", "site": site.pk, "radius_km": "25", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.min_annual_quantity == Decimal("800000") and channel.site == site
    edit = client.get(reverse("waste_flows:channel_edit", args=[channel.pk]))
    assert edit.context["form"].initial["min_quantity"] == Decimal("800")
    assert "Chaufferie bois de Hayange" in client.get(reverse("waste_flows:channel_list")).content.decode()


def test_members_cannot_manage_channels(client, member):
    client.force_login(member)
    assert client.get(reverse("waste_flows:channel_list")).status_code == 403
    assert client.post(reverse("waste_flows:channel_create"), {"name": "x"}).status_code == 403
