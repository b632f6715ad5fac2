"""Declarations in the browser: pages per role, confidentiality in pages and exports, the form's French
errors, the autocomplete endpoints, and query counts of the lists."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.enums import MemberRole
from waste_flows.enums import Confidentiality, Direction, Period, Route, StreamKind, StreamStatus
from waste_flows.models import Stream
from waste_flows.services import stream_update
from waste_flows.templatetags.stream_tags import human_annual_quantity

from ..members.factories import MemberFactory, SiteFactory, UserFactory
from .factories import StreamFactory, ewc, material

SECRET = "Recette confidentielle de l'aciérie"


@pytest.fixture
def own_streams(member_org):
    site = member_org.sites.get()
    return {
        "shared": StreamFactory(site=site, description="Palettes de la recyclerie"),
        "secret": StreamFactory(site=site, confidentiality=Confidentiality.COORDINATOR, description="Notre secret"),
        "draft": StreamFactory(site=site, status=StreamStatus.DRAFT, description="Notre brouillon"),
    }


@pytest.fixture
def other_streams(other_member_org):
    site = other_member_org.sites.get()
    return {
        "public": StreamFactory(
            site=site, confidentiality=Confidentiality.PUBLIC, material=material("metals.ferrous"),
            description="Ferrailles publiques",
        ),
        "members": StreamFactory(
            site=site, confidentiality=Confidentiality.MEMBERS, material=material("minerals.ash.bottom"),
            description="Mâchefers pour les membres", current_route_cost=Decimal("4321"),
        ),
        "secret": StreamFactory(
            site=site, confidentiality=Confidentiality.COORDINATOR, material=material("minerals.slag"),
            description=SECRET,
        ),
        "draft": StreamFactory(
            site=site, status=StreamStatus.DRAFT, confidentiality=Confidentiality.PUBLIC,
            material=material("minerals.foundry_sand"), description="Brouillon de l'aciérie",
        ),
    }  # fmt: skip


def listed(response) -> set[int]:
    return {stream.pk for stream in response.context["page"]}


def valid_post(site, **overrides):
    data = {
        "site": site.pk,
        "direction": Direction.OFFER,
        "kind": StreamKind.WASTE,
        "material": "wood.pallets",
        "ewc_code": "",
        "quantity": "1,2",
        "unit": "t",
        "period": Period.MONTH,
        "regularity": "continuous",
        "current_route": Route.LANDFILL,
        "current_route_cost": "1 500",
        "confidentiality": Confidentiality.MEMBERS,
        "status": StreamStatus.ACTIVE,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Who may open what ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("waste_flows:stream_list", []),
        ("waste_flows:my_streams", []),
        ("waste_flows:exchange", []),
        ("waste_flows:stream_create", []),
        ("waste_flows:material_search", []),
        ("waste_flows:ewc_search", []),
    ],
)
def test_anonymous_visitors_are_sent_to_login(client, db, url_name, args):
    response = client.get(reverse(url_name, args=args))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_visitors_cannot_read_a_stream(client, own_streams):
    response = client.get(own_streams["shared"].get_absolute_url())

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_members_and_partners_are_sent_from_the_coordinator_list_to_the_exchange(client, member, partner):
    for user in (member, partner):
        client.force_login(user)
        assert client.get(reverse("waste_flows:stream_list")).url == reverse("waste_flows:exchange")


def test_coordinator_without_organisation_is_sent_from_my_streams_to_the_stream_list(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("waste_flows:my_streams")).url == reverse("waste_flows:stream_list")


def test_navigation_offers_each_role_its_stream_pages(client, coordinator, member, partner):
    def labels(user):
        client.force_login(user)
        return [entry["label"] for entry in client.get(reverse("home")).context["navigation"]]

    assert "Flux déclarés" in labels(coordinator) and "Membres" in labels(coordinator)
    assert {"Mes flux", "Bourse des flux", "Ma structure"} <= set(labels(member))
    assert "Flux déclarés" not in labels(member)
    assert not {"Mes flux", "Flux déclarés"} & set(labels(partner))


# --- Coordinator's list -----------------------------------------------------------------------------------


def test_coordinator_lists_every_stream_of_the_pole_with_counts(client, coordinator, own_streams, other_streams):
    StreamFactory(site=own_streams["shared"].site, direction=Direction.NEED)
    client.force_login(coordinator)

    response = client.get(reverse("waste_flows:stream_list"))

    assert listed(response) == set(Stream.objects.values_list("pk", flat=True))
    content = response.content.decode()
    assert "8 flux" in content
    assert "7 offres" in content and "1 besoin" in content
    assert "Exporter en CSV" in content


def test_coordinator_list_filters(client, coordinator, own_streams, other_streams):
    hazardous = StreamFactory(site=own_streams["shared"].site, ewc_code=ewc("10 01 14"),
                              material=material("minerals.ash.bottom"))  # fmt: skip
    packaging = StreamFactory(site=own_streams["shared"].site, ewc_code=ewc("15 01 03"))
    client.force_login(coordinator)

    def pks(**query):
        return listed(client.get(reverse("waste_flows:stream_list"), query))

    assert pks(confidentiality=Confidentiality.COORDINATOR) == {own_streams["secret"].pk, other_streams["secret"].pk}
    assert pks(status=StreamStatus.DRAFT) == {own_streams["draft"].pk, other_streams["draft"].pk}
    assert pks(family="metals") == {other_streams["public"].pk}
    assert pks(hazardous="true") == {hazardous.pk}
    assert pks(ewc_chapter="15") == {packaging.pk}
    assert pks(commune="florange") == {stream.pk for stream in other_streams.values()}
    assert pks(q="Mâchefers pour") == {other_streams["members"].pk}
    assert pks(direction=Direction.NEED) == set()


def test_coordinator_list_sorts_by_annual_quantity_both_ways(client, coordinator, member_org):
    site = member_org.sites.get()
    small, large = StreamFactory(site=site, quantity=Decimal("1")), StreamFactory(site=site, quantity=Decimal("90"))
    client.force_login(coordinator)

    def order(ordering):
        return [
            stream.pk
            for stream in client.get(reverse("waste_flows:stream_list"), {"ordering": ordering}).context["page"]
        ]

    assert order("annual_quantity") == [small.pk, large.pk]
    assert order("-annual_quantity") == [large.pk, small.pk]


def test_stream_lists_are_paginated_by_25(client, coordinator, member_org):
    StreamFactory.create_batch(30, site=member_org.sites.get())
    client.force_login(coordinator)

    assert len(client.get(reverse("waste_flows:stream_list")).context["page"]) == 25
    assert len(client.get(reverse("waste_flows:stream_list"), {"page": 2}).context["page"]) == 5


def _streams_of_new_members(count):
    for _ in range(count):
        site = SiteFactory(member=MemberFactory())
        StreamFactory(site=site, ewc_code=ewc("15 01 03"), confidentiality=Confidentiality.PUBLIC)


@pytest.mark.parametrize(
    "url_name, role",
    [
        ("waste_flows:stream_list", "coordinator"),
        ("waste_flows:exchange", "member"),
        ("waste_flows:exchange", "partner"),
    ],
)
def test_stream_lists_cost_the_same_number_of_queries_for_3_or_20_streams(
    client, django_assert_num_queries, url_name, role, request
):
    client.force_login(request.getfixturevalue(role))
    _streams_of_new_members(3)
    client.get(reverse(url_name))  # warm the session and permission caches
    with django_assert_num_queries(8) as few:
        client.get(reverse(url_name))
    _streams_of_new_members(17)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name))

    assert len(response.context["page"]) == 20


def test_my_streams_costs_the_same_number_of_queries_for_3_or_20_streams(
    client, member, member_org, django_assert_num_queries
):
    site = member_org.sites.get()
    StreamFactory.create_batch(3, site=site, ewc_code=ewc("15 01 03"))
    client.force_login(member)
    client.get(reverse("waste_flows:my_streams"))
    with django_assert_num_queries(7) as few:
        client.get(reverse("waste_flows:my_streams"))
    StreamFactory.create_batch(17, site=site, ewc_code=ewc("15 01 03"))

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("waste_flows:my_streams"))

    assert len(response.context["streams"]) == 20


# --- Exchange (members, partners) -------------------------------------------------------------------------


def test_exchange_shows_a_member_its_own_and_what_others_share(client, member, own_streams, other_streams):
    client.force_login(member)

    response = client.get(reverse("waste_flows:exchange"))

    expected = {own_streams["shared"].pk, own_streams["secret"].pk, other_streams["public"].pk,
                other_streams["members"].pk}  # fmt: skip
    assert listed(response) == expected
    content = response.content.decode()
    assert "Scories" not in content and "Laitiers" not in content  # the other member's confidential stream
    assert "Sables de fonderie" not in content  # … and its draft
    assert "4321" not in content and "4 321" not in content


def test_exchange_offers_no_confidentiality_status_or_cost_filters(client, member):
    client.force_login(member)

    form = client.get(reverse("waste_flows:exchange")).context["filter"].form

    assert not {"confidentiality", "status"} & set(form.fields)
    assert "current_route_cost" not in dict(form.fields["ordering"].choices)


def test_exchange_ignores_filters_on_what_it_does_not_show(client, member, other_streams):
    client.force_login(member)

    response = client.get(reverse("waste_flows:exchange"), {"confidentiality": "coordinator", "status": "draft"})

    assert other_streams["secret"].pk not in listed(response)
    assert other_streams["draft"].pk not in listed(response)


def test_partner_sees_public_active_streams_only(client, partner, own_streams, other_streams):
    client.force_login(partner)

    assert listed(client.get(reverse("waste_flows:exchange"))) == {other_streams["public"].pk}


# --- Detail --------------------------------------------------------------------------------------------------


def test_detail_shows_the_annual_quantity_in_a_human_unit_and_the_hazardous_badge(client, member, member_org):
    stream = StreamFactory(
        site=member_org.sites.get(), material=material("minerals.ash.bottom"), ewc_code=ewc("19 01 11"),
        quantity=Decimal("1.2"), period=Period.MONTH, annual_quantity=Decimal("14400"),
    )  # fmt: skip
    client.force_login(member)

    content = client.get(stream.get_absolute_url()).content.decode()

    assert "14,4 t/an" in content
    assert "Déchet dangereux" in content
    assert "19 01 11*" in content


def test_owner_sees_the_history_of_changes_with_who_and_what(client, member, coordinator, member_org):
    stream = StreamFactory(site=member_org.sites.get())
    stream_update(actor=coordinator, stream=stream, quantity=Decimal("15"), current_route=Route.ENERGY_RECOVERY)
    client.force_login(member)

    response = client.get(stream.get_absolute_url())

    history = response.context["history"]
    assert history[0].who == str(coordinator)
    assert ("Quantité", "12", "15") in history[0].changes
    assert ("Devenir actuel", "Enfouissement", "Valorisation énergétique") in history[0].changes
    assert "Valorisation énergétique" in response.content.decode()


def test_other_members_read_a_shared_stream_without_its_history_nor_cost(client, member, other_streams):
    client.force_login(member)

    response = client.get(other_streams["members"].get_absolute_url())

    assert response.status_code == 200
    assert response.context["history"] == []
    content = response.content.decode()
    assert "Historique" not in content
    assert "4 321" not in content and "4321" not in content
    assert "Modifier" not in content


@pytest.mark.parametrize("which", ["secret", "draft"])
def test_member_cannot_read_another_members_confidential_or_draft_stream(client, member, other_streams, which):
    client.force_login(member)

    assert client.get(other_streams[which].get_absolute_url()).status_code == 404
    assert client.get(reverse("waste_flows:stream_edit", args=[other_streams[which].pk])).status_code == 404


def test_partner_cannot_read_a_members_only_stream(client, partner, other_streams):
    client.force_login(partner)

    assert client.get(other_streams["members"].get_absolute_url()).status_code == 404
    assert client.get(other_streams["public"].get_absolute_url()).status_code == 200


def test_member_reads_its_own_confidential_stream(client, member, own_streams):
    client.force_login(member)

    assert client.get(own_streams["secret"].get_absolute_url()).status_code == 200


# --- Writes: rights ----------------------------------------------------------------------------------------


def test_viewer_reads_its_streams_but_cannot_declare_or_edit(client, member_viewer, own_streams):
    client.force_login(member_viewer)
    stream = own_streams["shared"]

    content = client.get(reverse("waste_flows:my_streams")).content.decode()

    assert "Palettes" in content and "Déclarer une offre" not in content and "Dupliquer" not in content
    assert client.get(reverse("waste_flows:stream_create")).status_code == 403
    assert client.get(reverse("waste_flows:stream_edit", args=[stream.pk])).status_code == 403
    assert client.post(reverse("waste_flows:stream_archive", args=[stream.pk])).status_code == 403
    assert client.post(reverse("waste_flows:stream_duplicate", args=[stream.pk])).status_code == 403


def test_other_member_cannot_edit_a_stream_it_may_read(client, other_member, own_streams):
    client.force_login(other_member)
    stream = own_streams["shared"]

    assert client.get(reverse("waste_flows:stream_edit", args=[stream.pk])).status_code == 403
    assert client.post(reverse("waste_flows:stream_archive", args=[stream.pk])).status_code == 403
    stream.refresh_from_db()
    assert stream.status == StreamStatus.ACTIVE


def test_partner_cannot_declare(client, partner):
    client.force_login(partner)

    assert client.get(reverse("waste_flows:stream_create")).status_code == 403


def test_member_cannot_declare_on_another_members_site(client, member, other_member_org):
    client.force_login(member)

    response = client.post(reverse("waste_flows:stream_create"), valid_post(other_member_org.sites.get()))

    assert response.status_code == 200
    assert "Choisissez un des sites proposés." in response.content.decode()
    assert not Stream.objects.exists()


def test_duplicate_and_archive_only_answer_post(client, member, own_streams):
    client.force_login(member)

    assert client.get(reverse("waste_flows:stream_duplicate", args=[own_streams["shared"].pk])).status_code == 405
    assert client.get(reverse("waste_flows:stream_archive", args=[own_streams["shared"].pk])).status_code == 405


# --- Writes: the form ---------------------------------------------------------------------------------------


def test_member_declares_an_offer_and_sees_its_annual_quantity(client, member, member_org):
    client.force_login(member)
    site = member_org.sites.get()

    response = client.post(reverse("waste_flows:stream_create"), valid_post(site, ewc_code="150103"), follow=True)

    stream = Stream.objects.get()
    assert (stream.site, stream.material.code, stream.ewc_code_id) == (site, "wood.pallets", "15 01 03")
    assert stream.quantity == Decimal("1.2") and stream.current_route_cost == Decimal("1500")
    assert stream.declared_by == member
    assert "14,4 t/an" in response.content.decode()


def test_the_form_works_without_javascript(client, member):
    client.force_login(member)

    content = client.get(reverse("waste_flows:stream_create")).content.decode()

    assert '<select name="material"' in content and '<optgroup label="Bois">' in content
    assert 'name="ewc_code"' in content and 'placeholder="15 01 03"' in content
    assert 'role="listbox"' in content and "vendor/htmx/htmx.min.js" in content and "js/stream-form.js" in content


def test_htmx_is_loaded_only_by_the_pages_that_need_it(client, member):
    client.force_login(member)

    assert "htmx" not in client.get(reverse("waste_flows:exchange")).content.decode()


def test_a_member_with_one_site_has_it_chosen_and_sees_only_its_sites(client, member, member_org, other_member_org):
    client.force_login(member)

    form = client.get(reverse("waste_flows:stream_create"), {"direction": "need"}).context["form"]

    assert [value for value, _label in form.fields["site"].choices if value] == [member_org.sites.get().pk]
    assert form["site"].value() == member_org.sites.get().pk
    assert form["direction"].value() == "need"
    assert "member" not in form.fields


def test_errors_are_explained_in_french_next_to_their_fields(client, member, member_org):
    client.force_login(member)
    data = valid_post(member_org.sites.get(), unit="kWh", quantity="-2", regularity="seasonal",
                      available_from="2026-06-01", available_until="2026-01-01")  # fmt: skip

    response = client.post(reverse("waste_flows:stream_create"), data)

    form = response.context["form"]
    assert form.errors["unit"] == ["L'unité « kWh » mesure une énergie ; « Palettes » se mesure en masse."]
    assert form.errors["quantity"] == ["La quantité doit être supérieure à zéro."]
    assert form.errors["months"] == ["Indiquez les mois de disponibilité (de 1 à 12) d'un flux saisonnier."]
    assert form.errors["available_until"] == ["La fin de disponibilité ne peut pas précéder son début."]
    content = response.content.decode()
    assert "La déclaration n’est pas enregistrée" in content
    assert 'id="id_unit_error"' in content
    assert not Stream.objects.exists()


@pytest.mark.parametrize(
    "typed, message",
    [
        ("99 99 99", "Le code « 99 99 99 » n'existe pas dans la nomenclature européenne des déchets."),
        ("15", "Choisissez un code déchet complet à 6 chiffres, pas un chapitre."),
        ("15 01", "Choisissez un code déchet complet à 6 chiffres, pas un chapitre."),
        ("bois", "Saisissez un code de 6 chiffres, par exemple « 15 01 03 », ou choisissez-le dans la liste."),
    ],
)
def test_a_typed_waste_code_is_checked_on_the_server(client, member, member_org, typed, message):
    client.force_login(member)

    response = client.post(reverse("waste_flows:stream_create"), valid_post(member_org.sites.get(), ewc_code=typed))

    assert response.context["form"].errors["ewc_code"] == [message]


@pytest.mark.parametrize("typed", ["15 01 03", "150103", "15 01 03 — emballages en bois", "15 01 03*"])
def test_a_waste_code_is_accepted_however_it_is_typed(client, member, member_org, typed):
    client.force_login(member)

    client.post(reverse("waste_flows:stream_create"), valid_post(member_org.sites.get(), ewc_code=typed))

    assert Stream.objects.get().ewc_code_id == "15 01 03"


def test_an_unknown_material_or_unit_is_refused_in_french(client, member, member_org):
    client.force_login(member)

    response = client.post(reverse("waste_flows:stream_create"), valid_post(member_org.sites.get(),
                                                                            material="wood.unobtainium", unit="zz"))  # fmt: skip

    errors = response.context["form"].errors
    assert errors["material"] == ["Choisissez une matière dans la liste proposée."]
    assert errors["unit"] == ["Choisissez une unité dans la liste."]


def test_the_unit_list_offers_only_units_of_the_materials_dimension(client, member, own_streams):
    client.force_login(member)

    form = client.get(reverse("waste_flows:stream_edit", args=[own_streams["shared"].pk])).context["form"]

    offered = [code for _group, options in form.fields["unit"].widget.choices for code, _label in options]
    assert set(offered) == {"kg", "t"}


def test_seasonal_months_are_saved(client, member, member_org):
    client.force_login(member)
    data = valid_post(member_org.sites.get(), regularity="seasonal")
    data["months"] = ["6", "7", "8"]

    client.post(reverse("waste_flows:stream_create"), data)

    stream = Stream.objects.get()
    assert stream.months == [6, 7, 8]
    assert stream.annual_quantity == Decimal("3600")


def test_member_edits_its_stream_and_the_form_shows_its_values(client, member, own_streams):
    stream = own_streams["shared"]
    client.force_login(member)
    url = reverse("waste_flows:stream_edit", args=[stream.pk])

    form = client.get(url).context["form"]
    data = valid_post(stream.site, quantity="20", period=Period.YEAR)
    response = client.post(url, data)

    assert form["material"].value() == "wood.pallets" and form["quantity"].value() == Decimal("12")
    assert response.url == stream.get_absolute_url()
    stream.refresh_from_db()
    assert stream.annual_quantity == Decimal("20000")


def test_coordinator_corrects_any_declaration_and_the_history_says_so(client, coordinator, other_streams):
    stream = other_streams["secret"]
    client.force_login(coordinator)
    data = valid_post(stream.site, material="minerals.slag", quantity="30", period=Period.YEAR,
                      member=stream.site.member_id, confidentiality=Confidentiality.COORDINATOR)  # fmt: skip

    client.post(reverse("waste_flows:stream_edit", args=[stream.pk]), data)

    stream.refresh_from_db()
    assert stream.quantity == Decimal("30")
    assert stream.history.latest().history_user == coordinator


def test_coordinator_declares_for_a_member_after_choosing_it(client, coordinator, member_org, other_member_org):
    client.force_login(coordinator)

    form = client.get(reverse("waste_flows:stream_create"), {"member": member_org.pk}).context["form"]
    mismatch = client.post(reverse("waste_flows:stream_create"),
                           valid_post(other_member_org.sites.get(), member=member_org.pk))  # fmt: skip
    client.post(reverse("waste_flows:stream_create"), valid_post(member_org.sites.get(), member=member_org.pk))

    assert form["member"].value() == member_org.pk
    assert mismatch.context["form"].errors["site"] == ["Ce site n'appartient pas au membre choisi."]
    assert Stream.objects.get().site.member == member_org


def test_duplicate_creates_a_draft_and_opens_it(client, member, own_streams):
    client.force_login(member)

    response = client.post(reverse("waste_flows:stream_duplicate", args=[own_streams["shared"].pk]))

    copy = Stream.objects.latest("pk")
    assert copy.status == StreamStatus.DRAFT
    assert response.url == reverse("waste_flows:stream_edit", args=[copy.pk])


def test_archive_keeps_the_stream_and_returns_to_the_list(client, member, own_streams):
    client.force_login(member)
    stream = own_streams["shared"]

    response = client.post(
        reverse("waste_flows:stream_archive", args=[stream.pk]), {"next": reverse("waste_flows:my_streams")}
    )

    assert response.url == reverse("waste_flows:my_streams")
    stream.refresh_from_db()
    assert stream.status == StreamStatus.ARCHIVED


def test_archive_does_not_follow_a_next_url_to_another_site(client, member, own_streams):
    client.force_login(member)
    stream = own_streams["shared"]

    response = client.post(reverse("waste_flows:stream_archive", args=[stream.pk]), {"next": "https://evil.test/"})

    assert response.url == stream.get_absolute_url()


# --- My streams ----------------------------------------------------------------------------------------------


def test_my_streams_lists_every_stream_of_the_organisation_only(client, member, own_streams, other_streams):
    client.force_login(member)

    streams = client.get(reverse("waste_flows:my_streams")).context["streams"]

    assert {stream.pk for stream in streams} == {stream.pk for stream in own_streams.values()}


def test_my_streams_hints_at_what_is_missing(client, member, member_org):
    bare_site = SiteFactory(member=member_org, commune="Knutange", name="Dépôt")
    StreamFactory(site=member_org.sites.get(is_main=True), current_route=Route.UNKNOWN, current_route_cost=None)
    client.force_login(member)

    content = client.get(reverse("waste_flows:my_streams")).content.decode()

    assert f"Aucun flux n’est déclaré pour le site {bare_site}" in content
    assert "le devenir actuel n’est pas précisé" in content
    assert "le coût annuel du devenir actuel n’est pas renseigné" in content


def test_my_streams_has_no_hint_when_everything_is_declared(client, member, member_org):
    StreamFactory(site=member_org.sites.get(), current_route_cost=Decimal("800"))
    client.force_login(member)

    assert "Pour compléter vos déclarations" not in client.get(reverse("waste_flows:my_streams")).content.decode()


# --- Exports -------------------------------------------------------------------------------------------------


def test_coordinator_exports_the_filtered_list_as_csv(client, coordinator, own_streams, other_streams):
    other_streams["secret"].site.member.name = '=HYPERLINK("https://evil.test")'
    other_streams["secret"].site.member.save()
    client.force_login(coordinator)

    response = client.get(reverse("waste_flows:stream_export", kwargs={"file_format": "csv"}),
                          {"confidentiality": "coordinator"})  # fmt: skip

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Membre", "Site", "Commune", "Sens"]
    assert len(rows) == 3
    by_material = {row[5]: row for row in rows[1:]}
    slag = by_material["Laitiers et scories"]
    assert slag[0].startswith("'=HYPERLINK")
    assert slag[9] == "12,000" and slag[12] == "12000,000" and slag[13] == "kg"
    assert slag[16] == "Coordination seulement"


def test_coordinator_exports_the_list_as_xlsx(client, coordinator, own_streams):
    client.force_login(coordinator)

    response = client.get(reverse("waste_flows:stream_export", kwargs={"file_format": "xlsx"}))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Membre" and len(rows) == 4
    assert {row[5] for row in rows[1:]} == {"Palettes"}


@pytest.mark.parametrize("role", ["member", "member_viewer", "partner"])
def test_only_the_coordinator_exports(client, role, own_streams, request):
    client.force_login(request.getfixturevalue(role))

    for file_format in ("csv", "xlsx"):
        response = client.get(reverse("waste_flows:stream_export", kwargs={"file_format": file_format}))
        assert response.status_code == 403


def test_exchange_page_offers_no_export(client, member, own_streams):
    client.force_login(member)

    assert "Exporter" not in client.get(reverse("waste_flows:exchange")).content.decode()


# --- Autocomplete and suggestions: reference data only --------------------------------------------------------


def test_material_search_returns_ranked_options(client, member):
    client.force_login(member)

    content = client.get(reverse("waste_flows:material_search"), {"q": "machefer"}).content.decode()

    assert content.startswith('<li role="option"')
    assert 'data-value="minerals.ash.bottom"' in content and "Mâchefers et cendres sous foyer" in content


def test_material_search_puts_the_synonym_match_first(client, member):
    client.force_login(member)

    content = client.get(reverse("waste_flows:material_search"), {"q": "ferraille"}).content.decode()

    assert content.index('data-value="metals.ferrous"') < content.index('data-value="metals.mixed"')


def test_ewc_search_finds_a_code_typed_without_spaces_first_and_flags_hazardous_ones(client, member):
    client.force_login(member)

    exact = client.get(reverse("waste_flows:ewc_search"), {"q": "150103"}).content.decode()
    hazardous = client.get(reverse("waste_flows:ewc_search"), {"q": "10 01 14"}).content.decode()

    assert 'id="ewc-option-0" aria-selected="false" data-value="15 01 03"' in exact
    assert "dangereux" in hazardous


def test_searches_say_when_nothing_matches_and_stay_silent_before_typing(client, member):
    client.force_login(member)

    assert "Aucun résultat" in client.get(reverse("waste_flows:material_search"), {"q": "zzyzx"}).content.decode()
    assert client.get(reverse("waste_flows:material_search")).content.decode().strip() == ""


def test_autocomplete_never_returns_stream_data(client, other_member, own_streams, other_streams):
    client.force_login(other_member)

    for url_name, query in [("waste_flows:material_search", "secret"), ("waste_flows:ewc_search", "secret"),
                            ("waste_flows:material_search", "recette"), ("waste_flows:ewc_search", "notre")]:  # fmt: skip
        content = client.get(reverse(url_name), {"q": query}).content.decode()
        assert "Notre secret" not in content and SECRET not in content and "Recyclerie" not in content


def test_a_material_suggests_its_usual_waste_codes(client, member):
    client.force_login(member)

    packaging = client.get(reverse("waste_flows:suggest_ewc_codes"), {"material": "wood.packaging"})
    pallets = client.get(reverse("waste_flows:suggest_ewc_codes"), {"material": "wood.pallets"})

    assert 'data-pick-ewc="15 01 03"' in packaging.content.decode()
    assert 'data-pick-ewc="15 01 03"' in pallets.content.decode()  # through the wood family
    assert pallets.content.decode().count("data-pick-ewc") <= 8


def test_a_waste_code_suggests_its_usual_material_unless_already_chosen(client, member):
    client.force_login(member)
    url = reverse("waste_flows:suggest_material")

    suggested = client.get(url, {"ewc_code": "15 01 03"}).content.decode()
    already = client.get(url, {"ewc_code": "15 01 03", "material": "wood.packaging"}).content.decode()

    assert 'data-pick-material="wood.packaging"' in suggested
    assert already.strip() == ""


def test_unit_options_follow_the_dimension_of_the_material(client, member):
    client.force_login(member)
    url = reverse("waste_flows:unit_options")

    pallets = client.get(url, {"material": "wood.pallets", "unit": "t"}).content.decode()
    sawdust = client.get(url, {"material": "wood.sawdust"}).content.decode()
    heat = client.get(url, {"material": "energy.heat"}).content.decode()

    assert '<option value="t" selected>' in pallets and 'value="kWh"' not in pallets and 'value="m3"' not in pallets
    assert 'value="m3"' in sawdust  # sawdust has a bulk density
    assert 'value="MWh"' in heat and 'value="t"' not in heat


def test_site_options_give_a_member_only_its_own_sites(client, member, member_org, other_member_org):
    client.force_login(member)

    content = client.get(reverse("waste_flows:site_options"), {"member": other_member_org.pk}).content.decode()

    assert "Hayange" in content and "Florange" not in content


def test_site_options_give_the_coordinator_the_chosen_members_sites(client, coordinator, member_org, other_member_org):
    client.force_login(coordinator)

    content = client.get(reverse("waste_flows:site_options"), {"member": other_member_org.pk}).content.decode()

    assert "Florange" in content and "Hayange" not in content


# --- Display helpers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "material_code, annual, expected",
    [
        ("wood.pallets", "14400", "14,4\xa0t/an"),
        ("wood.pallets", "12000", "12\xa0t/an"),
        ("wood.pallets", "500", "500\xa0kg/an"),
        ("wood.pallets", "1234567", "1\xa0235\xa0t/an"),
        ("energy.heat", "1250000", "1\xa0250\xa0MWh/an"),
        ("energy.heat", "800", "800\xa0kWh/an"),
        ("water.process", "2500", "2\xa0500\xa0m³/an"),
    ],
)
def test_annual_quantities_read_in_tonnes_or_megawatt_hours_past_a_thousand(db, material_code, annual, expected):
    stream = Stream(material=material(material_code), annual_quantity=Decimal(annual))

    assert human_annual_quantity(stream).replace(" ", "\xa0") == expected


def test_an_editor_of_the_organisation_may_declare(client, member_org):
    editor = UserFactory(member=member_org, member_role=MemberRole.EDITOR)
    client.force_login(editor)

    assert client.get(reverse("waste_flows:stream_create")).status_code == 200
