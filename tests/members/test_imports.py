import csv
import io
import time
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from members.enums import IaeType, LegalForm, MemberKind, MembershipStatus
from members.imports import COLUMNS, parse_registry_file, registry_import_apply, registry_import_preview
from members.models import Member, Site

from .factories import CollegeFactory, MemberFactory, SiteFactory, valid_siren, valid_siret

SIREN = valid_siren(101)
OTHER_SIREN = valid_siren(102)
HEADER_OF = {column.field: column.header for column in COLUMNS}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def a_row(**values) -> dict:
    """One valid member site, keyed by the English column names; pass overrides as keyword arguments."""
    row = {
        "siren": SIREN,
        "name": "Ressourcerie des Deux Rives",
        "short_name": "R2R",
        "kind": "Entreprise de l'ESS",
        "legal_form": "Association",
        "is_ess": "oui",
        "esus_approved": "non",
        "iae_type": "ACI — atelier et chantier d'insertion",
        "naf_code": "38.32Z",
        "website": "https://r2r.example",
        "status": "Actif",
        "joined_on": "15/01/2024",
        "college": "",
        "siret": valid_siret(SIREN, 1),
        "site_name": "Atelier",
        "address": "12 rue des Artisans",
        "postcode": "57700",
        "commune": "Hayange",
        "latitude": "49,3298",
        "longitude": "6,0620",
        "is_main": "oui",
    }
    row.update(values)
    return row


def csv_text(rows, *, delimiter=";", fields=None) -> str:
    fields = fields or list(HEADER_OF)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([HEADER_OF.get(name, name) for name in fields])
    writer.writerows([row.get(name, "") for name in fields] for row in rows)
    return buffer.getvalue()


def csv_file(rows, *, delimiter=";", encoding="utf-8", name="membres.csv", fields=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_text(rows, delimiter=delimiter, fields=fields).encode(encoding))


def xlsx_file(header, rows, name="membres.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def run_import(actor, uploaded_file):
    return registry_import_apply(actor=actor, parsed=parse_registry_file(uploaded_file=uploaded_file))


def preview_of(uploaded_file):
    return registry_import_preview(parsed=parse_registry_file(uploaded_file=uploaded_file))


def errors_of(uploaded_file) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in preview_of(uploaded_file).errors]


def file_error(uploaded_file) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_registry_file(uploaded_file=uploaded_file)
    return " ".join(caught.value.messages)


# --- A valid file ----------------------------------------------------------------------------------


def test_valid_csv_imports_members_and_sites_with_history_recorded_for_the_importing_user(coordinator):
    rows = [
        a_row(),
        a_row(siret=valid_siret(SIREN, 2), site_name="Boutique", commune="Florange", is_main=""),
        a_row(siren=OTHER_SIREN, name="Mairie de Serémange", kind="local_authority", legal_form="commune",
              iae_type="", siret=valid_siret(OTHER_SIREN, 1), site_name="Hôtel de ville"),
    ]  # fmt: skip

    run_import(coordinator, csv_file(rows))

    member = Member.objects.get(siren=SIREN)
    assert (member.name, member.kind, member.legal_form) == (
        "Ressourcerie des Deux Rives",
        "ess_enterprise",
        "association",
    )
    assert (member.is_ess, member.esus_approved, member.iae_type) == (True, False, IaeType.ACI)
    assert (member.status, member.joined_on) == (MembershipStatus.ACTIVE, date(2024, 1, 15))
    assert [(site.name, site.is_main) for site in member.sites.order_by("name")] == [
        ("Atelier", True),
        ("Boutique", False),
    ]
    atelier = member.sites.get(name="Atelier")
    assert (atelier.latitude, atelier.longitude) == (Decimal("49.329800"), Decimal("6.062000"))
    assert Member.objects.get(siren=OTHER_SIREN).kind == MemberKind.LOCAL_AUTHORITY
    assert Site.objects.count() == 3
    assert member.history.get().history_user == coordinator
    assert atelier.history.get().history_user == coordinator
    assert "membres.csv" in member.history.get().history_change_reason


def test_several_rows_of_a_siren_make_one_member_whose_first_site_is_the_main_one(coordinator):
    rows = [a_row(is_main=""), a_row(siret=valid_siret(SIREN, 2), site_name="Dépôt", is_main="", name="")]

    run_import(coordinator, csv_file(rows))

    member = Member.objects.get()
    assert [(site.name, site.is_main) for site in member.sites.order_by("-is_main")] == [
        ("Atelier", True),
        ("Dépôt", False),
    ]


def test_french_labels_codes_and_spreadsheet_spellings_are_all_understood(coordinator):
    CollegeFactory(name="Entreprises de l'ESS")
    row = a_row(kind="ESS_ENTERPRISE", legal_form="scic", is_ess="X", esus_approved="Vrai", iae_type="ei",
                status="prospect", joined_on="2023-06-30", college="entreprises de l'ess", naf_code="3832z",
                siret=" ".join([SIREN[:3], SIREN[3:6], SIREN[6:], valid_siret(SIREN, 1)[9:]]),
                latitude="49.32981234", website="www.r2r.example")  # fmt: skip

    run_import(coordinator, csv_file([row]))

    member = Member.objects.get()
    assert (member.kind, member.legal_form, member.is_ess, member.esus_approved) == (
        "ess_enterprise",
        "scic",
        True,
        True,
    )
    assert (member.iae_type, member.status, member.joined_on) == ("ei", "prospect", date(2023, 6, 30))
    assert (member.college.name, member.naf_code, member.website) == (
        "Entreprises de l'ESS",
        "38.32Z",
        "https://www.r2r.example",
    )
    site = member.sites.get()
    assert (site.siret, site.latitude) == (valid_siret(SIREN, 1), Decimal("49.329812"))


def test_preview_counts_what_would_change_and_saves_nothing(coordinator):
    rows = [a_row(), a_row(siret=valid_siret(SIREN, 2), site_name="Boutique", is_main="")]

    report = preview_of(csv_file(rows))

    assert report.is_valid
    assert (len(report.members_to_create), len(report.sites_to_create)) == (1, 2)
    assert not Member.objects.exists()
    assert not Site.objects.exists()


# --- Invalid rows ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad_cells", "column", "reason"),
    [
        ({"siren": "123456789"}, "SIREN", "n'est pas un SIREN valide"),
        ({"siret": valid_siret(OTHER_SIREN, 7)}, "SIRET", "ne correspond pas au SIREN du membre"),
        ({"naf_code": "99.99Z"}, "Code NAF", "n'existe pas dans la nomenclature NAF"),
        ({"naf_code": "3832"}, "Code NAF", "n'est pas un code NAF"),
        ({"latitude": "123"}, "Latitude", "inférieure ou égale à 90"),
        ({"kind": "Start-up"}, "Type de structure", "n'est pas une valeur possible"),
        ({"is_main": "peut-être"}, "Site principal", "écrivez oui ou non"),
        ({"joined_on": "31/02/2024"}, "Adhérent depuis le", "n'est pas une date"),
        ({"college": "Collège fantôme"}, "Collège", "n'existe pas"),
        ({"commune": ""}, "Commune", "ne peut pas être vide"),
    ],
)
def test_file_with_one_bad_row_saves_nothing_and_the_report_names_row_column_and_reason(
    coordinator, bad_cells, column, reason
):
    good = a_row(siren=OTHER_SIREN, siret=valid_siret(OTHER_SIREN, 1))
    uploaded_file = csv_file([good, a_row(**bad_cells)])

    with pytest.raises(ValidationError, match="rien n'a été enregistré"):
        run_import(coordinator, uploaded_file)

    assert not Member.objects.exists()
    assert not Site.objects.exists()
    errors = errors_of(uploaded_file)
    assert {(row, col) for row, col, _message in errors} == {(3, column)}
    assert any(reason in message for _row, _col, message in errors)


def test_rows_of_one_siren_that_disagree_on_member_data_are_reported(db):
    rows = [a_row(), a_row(siret=valid_siret(SIREN, 2), site_name="Dépôt", is_main="", name="Autre nom")]

    assert errors_of(csv_file(rows)) == [
        (
            3,
            "Raison sociale",
            "Cette valeur contredit la ligne 2 (« Ressourcerie des Deux Rives ») pour le même SIREN.",
        )
    ]


def test_a_siret_twice_in_the_file_is_reported_on_its_second_row(db):
    rows = [a_row(), a_row(site_name="Doublon", is_main="")]

    assert errors_of(csv_file(rows)) == [(3, "SIRET", "Ce site figure déjà ligne 2 du fichier.")]


def test_two_main_sites_for_one_member_are_reported(db):
    rows = [a_row(), a_row(siret=valid_siret(SIREN, 2), site_name="Dépôt")]

    assert errors_of(csv_file(rows)) == [
        (3, "Site principal", "Un seul site principal par membre : la ligne 2 en désigne déjà un.")
    ]


def test_a_siret_already_used_by_another_member_is_reported(coordinator):
    squatter = MemberFactory(name="Ancienne fiche", siren="")
    SiteFactory(member=squatter, siret=valid_siret(SIREN, 1))

    [(row, column, message)] = errors_of(csv_file([a_row()]))

    assert (row, column) == (2, "SIRET")
    assert "d'un autre membre (Ancienne fiche)" in message


def test_a_row_with_a_wrong_siren_still_has_its_other_mistakes_reported(db):
    errors = errors_of(csv_file([a_row(siren="123456789", naf_code="99.99Z", latitude="123")]))

    assert {(row, column) for row, column, _message in errors} == {(2, "SIREN"), (2, "Code NAF"), (2, "Latitude")}


def test_a_row_without_siren_is_reported(db):
    assert errors_of(csv_file([a_row(siren="")])) == [
        (2, "SIREN", "Le SIREN est obligatoire : il identifie le membre.")
    ]


# --- Re-import -------------------------------------------------------------------------------------


def test_reimporting_the_same_file_updates_instead_of_duplicating(coordinator):
    rows = [a_row(), a_row(siret="", site_name="Jardin partagé", is_main="")]
    run_import(coordinator, csv_file(rows))

    rows[0]["name"] = rows[1]["name"] = "Ressourcerie des Deux Rives (nouveau nom)"
    rows[1]["commune"] = "Florange"
    report = run_import(coordinator, csv_file(rows))

    assert (len(report.members_to_create), len(report.members_to_update)) == (0, 1)
    assert (len(report.sites_to_create), len(report.sites_to_update)) == (0, 1)
    member = Member.objects.get()
    assert member.name == "Ressourcerie des Deux Rives (nouveau nom)"
    assert Site.objects.count() == 2
    assert member.sites.get(name="Jardin partagé").commune == "Florange"
    assert member.history.count() == 2
    assert member.history.latest().history_user == coordinator


def test_reimport_updates_dates_numbers_booleans_and_colleges(coordinator):
    CollegeFactory(name="Entreprises")
    run_import(coordinator, csv_file([a_row()]))

    changes = {"college": "Entreprises", "joined_on": "02/03/2021", "is_ess": "non", "latitude": "49,1", "is_main": ""}
    report = run_import(coordinator, csv_file([a_row(**changes)]))

    assert report.changed_fields[id(report.members_to_update[0])] == ("is_ess", "joined_on", "college")
    member = Member.objects.select_related("college").get()
    assert (member.college.name, member.joined_on, member.is_ess) == ("Entreprises", date(2021, 3, 2), False)
    site = member.sites.get()
    assert (site.latitude, site.is_main) == (Decimal("49.100000"), True)
    assert site.history.latest().history_type == "~"


def test_reimporting_an_unchanged_file_changes_nothing_and_writes_no_history(coordinator):
    run_import(coordinator, csv_file([a_row()]))

    report = run_import(coordinator, csv_file([a_row()]))

    assert (report.members_to_update, report.sites_to_update) == ([], [])
    assert Member.objects.get().history.count() == 1


def test_empty_cells_keep_the_values_already_recorded(coordinator):
    run_import(coordinator, csv_file([a_row()]))

    run_import(coordinator, csv_file([a_row(short_name="", website="", status="", address="")]))

    member = Member.objects.get()
    assert (member.short_name, member.website, member.status) == ("R2R", "https://r2r.example", "active")
    assert member.sites.get().address == "12 rue des Artisans"


def test_a_site_marked_as_main_takes_the_flag_from_the_previous_main_site(coordinator):
    member = MemberFactory(siren=SIREN)
    old_main = SiteFactory(member=member, name="Siège", siret=valid_siret(SIREN, 9))
    assert old_main.is_main

    run_import(coordinator, csv_file([a_row(name=member.name)]))

    old_main.refresh_from_db()
    assert not old_main.is_main
    assert member.sites.get(is_main=True).name == "Atelier"
    assert old_main.history.latest().history_user == coordinator


def test_the_main_site_cannot_be_unflagged_without_naming_another_one(coordinator):
    member = MemberFactory(siren=SIREN)
    SiteFactory(member=member, name="Atelier", siret=valid_siret(SIREN, 1))

    [(row, column, message)] = errors_of(csv_file([a_row(is_main="non")]))

    assert (row, column) == (2, "Site principal")
    assert "doit garder un site principal" in message


def test_a_joining_date_after_the_recorded_leaving_date_is_refused(coordinator):
    MemberFactory(siren=SIREN, status=MembershipStatus.FORMER, joined_on=date(2019, 1, 1), left_on=date(2022, 1, 1))

    [(row, column, message)] = errors_of(csv_file([a_row(status="", joined_on="01/01/2023")]))

    assert (row, column) == (2, "Adhérent depuis le")
    assert message == "La date de sortie ne peut pas précéder la date d'adhésion."


def test_a_site_recorded_without_siret_is_found_by_its_name_when_the_file_gives_its_siret(coordinator):
    member = MemberFactory(siren=SIREN)
    site = SiteFactory(member=member, name="Atelier", siret="")

    run_import(coordinator, csv_file([a_row()]))

    site.refresh_from_db()
    assert site.siret == valid_siret(SIREN, 1)
    assert member.sites.count() == 1


# --- Reading the file ------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_is_read_whatever_its_separator(coordinator, delimiter):
    run_import(coordinator, csv_file([a_row(name="Scop, Fils & Cie")], delimiter=delimiter))

    assert Member.objects.get().name == "Scop, Fils & Cie"


def test_csv_with_a_utf8_byte_order_mark_is_read(coordinator):
    run_import(coordinator, csv_file([a_row(commune="Sérémange-Erzange")], encoding="utf-8-sig"))

    assert Site.objects.get().commune == "Sérémange-Erzange"


def test_english_field_names_are_accepted_as_headers(coordinator):
    text = csv_text([a_row()])
    uploaded_file = SimpleUploadedFile(
        "members.csv", text.replace(";".join(HEADER_OF.values()), ";".join(HEADER_OF)).encode()
    )

    run_import(coordinator, uploaded_file)

    assert Member.objects.get().sites.get().commune == "Hayange"


def test_latin1_csv_gets_a_clear_encoding_error():
    message = file_error(csv_file([a_row(commune="Sérémange", iae_type="ACI")], encoding="latin-1"))

    assert "n'est pas encodé en UTF-8" in message
    assert "CSV UTF-8" in message


@pytest.mark.parametrize("name", ["membres.txt", "membres.pdf", "membres.xls", "membres"])
def test_files_other_than_csv_or_xlsx_are_rejected(name):
    message = file_error(SimpleUploadedFile(name, b"SIREN;Raison sociale\n"))

    assert "déposez un fichier .csv ou .xlsx" in message


def test_a_file_that_only_pretends_to_be_xlsx_is_rejected():
    assert "pas un classeur Excel .xlsx valide" in file_error(SimpleUploadedFile("membres.xlsx", b"SIREN;Nom\n1;2\n"))


def test_an_empty_file_is_rejected():
    assert file_error(SimpleUploadedFile("membres.csv", b"")) == "Le fichier est vide."


def test_a_file_with_headers_only_is_rejected():
    assert "aucune ligne de données" in file_error(csv_file([]))


def test_a_file_over_10_mb_is_rejected():
    uploaded_file = SimpleUploadedFile("membres.csv", csv_text([a_row()]).encode() + b" " * (10 * 1024 * 1024))

    assert "la limite est de 10 Mo" in file_error(uploaded_file)


def test_a_missing_required_column_is_named():
    fields = [name for name in HEADER_OF if name not in ("commune", "latitude")]

    message = file_error(csv_file([a_row()], fields=fields))

    assert "Colonnes obligatoires absentes : Commune, Latitude." in message


def test_unknown_columns_are_ignored_and_listed(coordinator):
    parsed = parse_registry_file(uploaded_file=csv_file([a_row(remarks="à rappeler")], fields=[*HEADER_OF, "remarks"]))

    assert parsed.ignored_headers == ("remarks",)


def test_xlsx_round_trip_with_typed_cells(coordinator):
    siren_with_leading_zero = next(valid_siren(n) for n in range(1, 10_000) if valid_siren(n).startswith("0"))
    siret = valid_siret(siren_with_leading_zero, 1)
    header = ["SIREN", "Raison sociale", "Type de structure", "Forme juridique", "Adhérent depuis le", "Statut ESS",
              "SIRET", "Nom du site", "Code postal", "Commune", "Latitude", "Longitude"]  # fmt: skip
    row = [int(siren_with_leading_zero), "Régie de quartier", "Entreprise de l'ESS", "Association",
           datetime(2022, 9, 1), True, int(siret), "Local", 1000, "Bourg-en-Bresse", 46.2052, 5.2255]  # fmt: skip

    run_import(coordinator, xlsx_file(header, [row]))

    member = Member.objects.get()
    assert (member.siren, member.joined_on, member.is_ess) == (siren_with_leading_zero, date(2022, 9, 1), True)
    site = member.sites.get()
    assert (site.siret, site.postcode, site.latitude) == (siret, "01000", Decimal("46.205200"))


def test_xlsx_errors_give_the_spreadsheet_row_number(db):
    header = [column.header for column in COLUMNS]
    rows = [[a_row()[name] for name in HEADER_OF], [], [a_row(siren="123")[name] for name in HEADER_OF]]

    assert [(row, column) for row, column, _message in errors_of(xlsx_file(header, rows))] == [(4, "SIREN")]


# --- Size ------------------------------------------------------------------------------------------


def ten_thousand_rows(*, last_row_bad=False) -> SimpleUploadedFile:
    """5,000 members with two sites each."""
    rows = []
    for n in range(1, 5_001):
        siren = valid_siren(1_000 + n)
        for establishment in (1, 2):
            rows.append(a_row(siren=siren, name=f"Membre {n}", siret=valid_siret(siren, establishment),
                              site_name=f"Site {establishment}", is_main="oui" if establishment == 1 else "non"))  # fmt: skip
    if last_row_bad:
        rows[-1]["latitude"] = "123"
    return csv_file(rows)


def test_ten_thousand_rows_import_in_one_transaction_with_a_bounded_number_of_queries(
    coordinator, django_assert_max_num_queries
):
    uploaded_file = ten_thousand_rows()
    started = time.monotonic()

    with django_assert_max_num_queries(1_000):
        report = run_import(coordinator, uploaded_file)

    assert time.monotonic() - started < 60
    assert (len(report.members_to_create), len(report.sites_to_create)) == (5_000, 10_000)
    assert Member.objects.count() == 5_000
    assert Site.objects.filter(is_main=True).count() == 5_000
    assert Member.history.filter(history_user=coordinator).count() == 5_000
    assert Site.history.filter(history_user=coordinator).count() == 10_000


def test_ten_thousand_rows_with_a_bad_last_row_save_nothing(coordinator):
    with pytest.raises(ValidationError):
        run_import(coordinator, ten_thousand_rows(last_row_bad=True))

    assert not Member.objects.exists()
    assert not Site.objects.exists()


# --- Service permission ----------------------------------------------------------------------------


def test_only_the_coordinator_may_apply_an_import(member):
    with pytest.raises(PermissionDenied):
        run_import(member, csv_file([a_row()]))


# --- Template --------------------------------------------------------------------------------------


def test_xlsx_template_opens_in_openpyxl_explains_every_column_and_imports_as_is(client, coordinator):
    CollegeFactory(name="Collectivités")
    client.force_login(coordinator)

    response = client.get(reverse("members:import_template", kwargs={"file_format": "xlsx"}))

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet, help_sheet = workbook.worksheets[0], workbook.worksheets[1]
    assert [cell.value for cell in sheet[1]] == [column.header for column in COLUMNS]
    assert help_sheet.title == "Aide"
    explained = {row[0]: row for row in help_sheet.iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert set(HEADER_OF.values()) <= set(explained)
    assert "Entreprise de l'ESS" in explained["Type de structure"][3]
    assert "Collectivités" in explained["Collège"][3]
    run_import(coordinator, SimpleUploadedFile("modele.xlsx", response.content))
    assert Member.objects.get().sites.get().commune == "Hayange"


def test_csv_template_headers_and_example_are_accepted_by_the_importer(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("members:import_template", kwargs={"file_format": "csv"}))

    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    run_import(coordinator, SimpleUploadedFile("modele.csv", response.content))
    assert Member.objects.get().legal_form == LegalForm.ASSOCIATION


# --- Pages -----------------------------------------------------------------------------------------


def test_coordinator_uploads_previews_and_confirms_an_import(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("members:import"), {"file": csv_file([a_row()])})
    assert response.status_code == 302
    assert response.url == reverse("members:import_preview")
    stored = client.session["members_import"]["path"]
    assert stored.startswith("imports/") and default_storage.exists(stored)

    page = client.get(reverse("members:import_preview")).content.decode()
    assert "Confirmer l'import" in page
    assert not Member.objects.exists()

    response = client.post(reverse("members:import_preview"))
    assert response.status_code == 302
    assert response.url == reverse("members:member_list")
    assert Member.objects.get().history.get().history_user == coordinator
    assert not default_storage.exists(stored)
    assert "members_import" not in client.session


def test_preview_of_a_bad_file_lists_errors_and_offers_no_confirmation(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("members:import"), {"file": csv_file([a_row(), a_row(siren="123456789", siret="")])})

    page = client.get(reverse("members:import_preview")).content.decode()

    assert "Confirmer l'import" not in page
    assert "<caption>" in page
    assert "n&#x27;est pas un SIREN valide" in page
    assert ">3</td>" in page


def test_confirming_a_bad_file_by_hand_saves_nothing(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("members:import"), {"file": csv_file([a_row(latitude="123")])})

    response = client.post(reverse("members:import_preview"))

    assert response.status_code == 200
    assert not Member.objects.exists()


def test_confirmation_validates_the_file_again(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("members:import"), {"file": csv_file([a_row()])})
    squatter = MemberFactory(name="Saisie concurrente", siren="")
    SiteFactory(member=squatter, siret=valid_siret(SIREN, 1))

    response = client.post(reverse("members:import_preview"))

    assert response.status_code == 200
    assert "Saisie concurrente" in response.content.decode()
    assert not Member.objects.filter(siren=SIREN).exists()


def test_unreadable_file_is_refused_on_the_upload_form_and_nothing_is_kept(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("members:import"), {"file": csv_file([a_row(iae_type="ACI")], encoding="latin-1")})

    assert response.status_code == 200
    assert "n&#x27;est pas encodé en UTF-8" in response.content.decode()
    assert "members_import" not in client.session
    assert not default_storage.exists("imports") or default_storage.listdir("imports") == ([], [])


def test_preview_without_an_uploaded_file_sends_back_to_the_upload_form(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("members:import_preview"))

    assert response.status_code == 302
    assert response.url == reverse("members:import")


IMPORT_PAGES = [
    ("members:import", {}),
    ("members:import_preview", {}),
    ("members:import_template", {"file_format": "xlsx"}),
    ("members:import_template", {"file_format": "csv"}),
]


@pytest.mark.parametrize(("page", "kwargs"), IMPORT_PAGES)
@pytest.mark.parametrize("role", ["member", "member_viewer", "partner", "plain_user"])
def test_import_pages_are_forbidden_to_everyone_but_the_coordinator(client, request, role, page, kwargs):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse(page, kwargs=kwargs)).status_code == 403
    assert client.post(reverse(page, kwargs=kwargs), {"file": csv_file([a_row()])}).status_code == 403
    assert not Member.objects.filter(siren=SIREN).exists()


@pytest.mark.parametrize(("page", "kwargs"), IMPORT_PAGES)
def test_anonymous_visitors_are_sent_to_login_from_import_pages(client, db, page, kwargs):
    response = client.get(reverse(page, kwargs=kwargs))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
