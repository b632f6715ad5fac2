"""The demo's valorisation channels, and the matching run that makes its opportunities appear."""

from decimal import Decimal

from members.demo import MEMBERS, SeedSummary, demo_siret
from members.models import Site, User

from .enums import RunScope, RunTrigger
from .match_services import match_run_create, match_run_execute
from .matches import Channel
from .models import Material

DEMO_CHANNELS = (
    {
        "name": "Chaufferie bois collective de Fameck",
        "description": "Chaufferie biomasse de la SCIC Bois Énergie : viable à partir de 800 t/an de bois de "
        "classe A broyé (palettes, emballages et bois non traités) collecté à moins de 25 km.",
        "materials": ("wood.pallets", "wood.packaging", "wood.untreated", "wood.fuel"),
        "min_annual_quantity": Decimal("800000"),
        "max_annual_quantity": Decimal("2500000"),
        "site_member": "scic-bois-energie",
        "radius_km": 25,
    },
    {
        "name": "Unité de méthanisation territoriale",
        "description": "Projet de méthaniseur de l'agglomération : viable à partir de 5 000 t/an de biodéchets "
        "et sous-produits agroalimentaires dans un rayon de 30 km.",
        "materials": ("biowaste.food", "biowaste.agrifood", "biowaste.green", "biowaste.methanisation_feedstock"),
        "min_annual_quantity": Decimal("5000000"),
        "max_annual_quantity": None,
        "site_member": None,
        "radius_km": 30,
    },
)


def seed_channels(*, actor: User) -> SeedSummary:
    summary = SeedSummary()
    for spec in DEMO_CHANNELS:
        channel, created = Channel.objects.get_or_create(
            name=spec["name"],
            defaults={
                "description": spec["description"],
                "min_annual_quantity": spec["min_annual_quantity"],
                "max_annual_quantity": spec["max_annual_quantity"],
                "site": _main_site(spec["site_member"]),
                "radius_km": spec["radius_km"],
            },
        )
        if created:
            channel.materials.set(Material.objects.filter(code__in=spec["materials"]))
        summary.count("channels", created=created)
    return summary


def seed_matches(*, actor: User) -> SeedSummary:
    """One full matching run, so that the demo shows real opportunities (the pallets-to-boiler pool…)."""
    run = match_run_execute(run_id=match_run_create(scope=RunScope.FULL, trigger=RunTrigger.COMMAND).pk)
    summary = SeedSummary()
    summary.total["matches found by the run"] = run.matches_created + run.matches_updated
    summary.created["matches found by the run"] = run.matches_created
    return summary


def _main_site(member_key: str | None) -> Site | None:
    if member_key is None:
        return None
    demo = next(member for member in MEMBERS if member.key == member_key)
    return Site.objects.filter(siret=demo_siret(demo, 0)).first()
