from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members import naf
from members.models import Member, Site

from .factories import FeeFactory, MemberFactory, SiteFactory, valid_siren


def _errors(instance) -> dict:
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


@pytest.mark.parametrize("siren", ["123456789", "73282932", "7328293201", "ABCDEFGHI"])
def test_a_siren_with_a_bad_checksum_or_length_is_refused(db, siren):
    member = MemberFactory.build(siren=siren)

    assert "n'est pas un SIREN valide" in _errors(member)["siren"][0]


def test_a_valid_siren_is_accepted(db):
    MemberFactory.build(siren="732829320").full_clean()


@pytest.mark.parametrize("naf_code", ["6201Z", "62.01", "62.01ZZ", "AB.CDE"])
def test_a_naf_code_in_the_wrong_format_is_refused(db, naf_code):
    assert "format attendu" in _errors(MemberFactory.build(naf_code=naf_code))["naf_code"][0]


def test_a_naf_code_that_does_not_exist_is_refused(db):
    assert "n'existe pas" in _errors(MemberFactory.build(naf_code="99.99Z"))["naf_code"][0]


def test_the_naf_label_and_section_are_derived_from_the_code(db):
    member = MemberFactory.build(naf_code="38.11Z")

    assert member.naf_label == "Collecte des déchets non dangereux"
    assert member.naf_section == "E"


def test_naf_codes_typed_without_the_dot_are_normalised():
    assert naf.normalise("3811z") == "38.11Z"
    assert naf.normalise(" 38.11Z ") == "38.11Z"


def test_the_naf_nomenclature_is_complete():
    levels = [row["level"] for row in naf._rows().values()]

    assert levels.count("section") == 21
    assert levels.count("subclass") == 732


def test_a_siret_with_a_bad_checksum_is_refused(db):
    site = SiteFactory.build(member=MemberFactory(), siret="73282932000075")

    assert "n'est pas un SIRET valide" in _errors(site)["siret"][0]


@pytest.mark.parametrize(("latitude", "longitude", "field"), [("91", "6", "latitude"), ("49", "-181", "longitude")])
def test_coordinates_out_of_range_are_refused(db, latitude, longitude, field):
    site = SiteFactory.build(member=MemberFactory(), latitude=Decimal(latitude), longitude=Decimal(longitude))

    assert field in _errors(site)


def test_coordinates_are_required_because_matching_works_on_distances(db):
    site = SiteFactory.build(member=MemberFactory(), latitude=None, longitude=None)

    assert {"latitude", "longitude"} <= set(_errors(site))


def test_two_members_cannot_share_a_siren(db):
    MemberFactory(siren=valid_siren(42))

    assert "Un membre avec ce SIREN existe déjà." in str(_errors(MemberFactory.build(siren=valid_siren(42))))


def test_members_without_siren_do_not_collide(db):
    MemberFactory(siren="")
    MemberFactory.build(siren="").full_clean()


def test_a_fee_tells_what_is_still_owed(db):
    fee = FeeFactory(amount_due=Decimal("300"), amount_paid=Decimal("120"))

    assert fee.outstanding == Decimal("180")
    assert fee.is_outstanding


def test_an_overpaid_fee_owes_nothing(db):
    assert FeeFactory(amount_due=Decimal("300"), amount_paid=Decimal("350")).outstanding == Decimal("0")


def test_outstanding_fees_are_summed_in_the_database(db):
    owing = MemberFactory()
    FeeFactory(member=owing, year=2025, amount_due=Decimal("200"), amount_paid=Decimal("50"))
    FeeFactory(member=owing, year=2026, amount_due=Decimal("200"), amount_paid=Decimal("0"))
    settled = MemberFactory()
    FeeFactory(member=settled, amount_due=Decimal("200"), amount_paid=Decimal("200"))

    totals = dict(Member.objects.with_outstanding_fees().values_list("pk", "outstanding_fees"))

    assert totals[owing.pk] == Decimal("350")
    assert totals[settled.pk] == Decimal("0")
    assert list(Member.objects.with_fee_outstanding()) == [owing]


def test_member_search_finds_by_name_siren_siret_and_commune(db):
    member = MemberFactory(name="Menuiserie Fenschoise", siren="732829320")
    site = SiteFactory(member=member, commune="Knutange")
    MemberFactory(name="Autre")

    assert list(Member.objects.search("fenschoise")) == [member]
    assert list(Member.objects.search("732 829 320")) == [member]
    assert list(Member.objects.search(site.siret)) == [member]
    assert list(Member.objects.search("knutange")) == [member]


def test_the_main_site_is_found_among_prefetched_sites(db):
    member = MemberFactory()
    main = SiteFactory(member=member)
    SiteFactory(member=member, commune="Florange")

    assert Site.objects.filter(member=member, is_main=True).get() == main
    assert member.main_site == main
