"""The columns of the stream file, and who may import streams."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

from members.enums import MemberRole
from members.models import User

from ..enums import (
    Confidentiality,
    Direction,
    MaterialKind,
    Period,
    PhysicalForm,
    Regularity,
    Route,
    StreamKind,
    StreamStatus,
)
from ..models import Material


@dataclass(frozen=True)
class Column:
    field: str  # English name, accepted as a header too; the Stream field when there is one
    header: str  # French header of the template: a file format, so it does not follow the UI language
    kind: str  # how the cell is read: text, siret, choice, material, ewc, unit, quantity, money, integer, months...
    choices: type | None = None
    help: str = ""
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("siret", "SIRET", "siret", help=gettext_lazy("SIRET du site (14 chiffres). Obligatoire pour la coordination."), aliases=("siret du site",)),
    Column("site", "Site", "text", help=gettext_lazy("Nom du site, si vous ne donnez pas son SIRET (sites de votre structure seulement)."), aliases=("nom du site", "site name", "site_name")),
    Column("reference", "Référence", "text", help=gettext_lazy("Votre référence du flux : affichée dans l'aperçu, unique pour une même structure dans le fichier, non enregistrée."), aliases=("ref", "votre reference")),
    Column("direction", "Sens", "choice", Direction, gettext_lazy("Offre ou besoin. Obligatoire.")),
    Column("kind", "Nature", "choice", StreamKind, gettext_lazy("Si vide : déchet, surplus ou capacité pour une offre ; intrant ou service pour un besoin, selon la matière.")),
    Column("material", "Matière", "material", help=gettext_lazy("Code (wood.pallets) ou nom français (Palettes). Si vide, la matière du code déchet."), aliases=("matiere ou ressource", "code matiere")),
    Column("ewc_code", "Code déchet", "ewc", help=gettext_lazy("Code à 6 chiffres de la liste européenne des déchets, par exemple 15 01 03. Facultatif."), aliases=("code ewc", "ewc", "code ced", "ced", "ewc code")),
    Column("description", "Description", "text"),
    Column("quantity", "Quantité", "quantity", help=gettext_lazy("Nombre supérieur à zéro, par exemple 12,5. Obligatoire.")),
    Column("unit", "Unité", "unit", help=gettext_lazy("Code ou symbole : t, kg, m3, L, MWh, kWh, GJ, t_steam, m2, h, piece, pallet. Obligatoire.")),
    Column("period", "Période", "choice", Period, gettext_lazy("Par an si vide. Un débit en t/h s'écrit : quantité par heure.")),
    Column("regularity", "Régularité", "choice", Regularity, gettext_lazy("Continu si vide.")),
    Column("months", "Mois", "months", help=gettext_lazy("Pour un flux saisonnier : numéros des mois séparés par des points-virgules, par exemple 4;5;6, ou une plage 4-9.")),
    Column("available_from", "Disponible du", "date", aliases=("disponible a partir du",)),
    Column("available_until", "Disponible au", "date", aliases=("disponible jusqu au",)),
    Column("physical_form", "Forme physique", "choice", PhysicalForm),
    Column("quality_notes", "Qualité, conditionnement", "text", aliases=("qualite",)),
    Column("current_route", "Devenir actuel", "choice", Route, gettext_lazy("Pour les offres seulement.")),
    Column("current_route_cost", "Coût annuel (€)", "money", help=gettext_lazy("Ce que le devenir actuel coûte par an, en euros."), aliases=("cout annuel", "cout")),
    Column("max_distance_km", "Distance max (km)", "integer", help=gettext_lazy("Nombre entier de kilomètres, 1 000 au plus."), aliases=("distance max", "distance maximale")),
    Column("accepts_hazardous", "Accepte dangereux", "bool", help=gettext_lazy("Pour un besoin : le site est autorisé à recevoir des déchets dangereux."), aliases=("accepte les dechets dangereux",)),
    Column("confidentiality", "Confidentialité", "choice", Confidentiality, gettext_lazy("Membres du pôle si vide.")),
    Column("status", "Statut", "choice", StreamStatus, gettext_lazy("Active si vide.")),
)  # fmt: skip
COLUMN_OF = {column.field: column for column in COLUMNS}
STREAM_COLUMNS = tuple(column for column in COLUMNS if column.field not in ("siret", "site", "reference"))
REQUIRED = (("direction",), ("quantity",), ("unit",), ("siret", "site"), ("material", "ewc_code"))
# Model fields resolved from rows loaded once, so that full_clean() does not query each of them per row.
RESOLVED_FIELDS = ["site", "material", "unit", "ewc_code", "declared_by"]
CHOICE_ALIASES = {
    Direction: {"offre": Direction.OFFER, "besoin": Direction.NEED, "demande": Direction.NEED},
    StreamKind: {"dechet": StreamKind.WASTE, "capacite": StreamKind.CAPACITY},
    Period: {"an": Period.YEAR, "annee": Period.YEAR, "annuel": Period.YEAR, "mois": Period.MONTH,
             "mensuel": Period.MONTH, "semaine": Period.WEEK, "jour": Period.DAY, "heure": Period.HOUR,
             "h": Period.HOUR, "une fois": Period.ONE_OFF, "ponctuel": Period.ONE_OFF},
    Regularity: {"continu": Regularity.CONTINUOUS},
    PhysicalForm: {"solide": PhysicalForm.SOLID, "vrac": PhysicalForm.SOLID, "conditionne": PhysicalForm.PACKAGED,
                   "poudre": PhysicalForm.POWDER, "boue": PhysicalForm.SLUDGE, "gaz": PhysicalForm.GAS,
                   "vapeur": PhysicalForm.GAS, "energie": PhysicalForm.ENERGY, "immateriel": PhysicalForm.IMMATERIAL},
    Route: {"inconnu": Route.UNKNOWN, "decharge": Route.LANDFILL},
    Confidentiality: {"membres": Confidentiality.MEMBERS, "coordination": Confidentiality.COORDINATOR},
    StreamStatus: {"actif": StreamStatus.ACTIVE, "archive": StreamStatus.ARCHIVED},
}  # fmt: skip
MONTH_NAMES = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
               "novembre", "decembre")  # fmt: skip
THOUSANDTH, CENT = Decimal("0.001"), Decimal("0.01")
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


def can_import_streams(user: User) -> bool:
    """The coordinator, and the administrators and editors of a member (for their own sites)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_coordinator or (
        user.member_id is not None and user.member_role in (MemberRole.ADMIN, MemberRole.EDITOR)
    )


def infer_kind(*, direction: str, material: Material) -> str:
    """The nature of a stream when none is given: what the material says it most likely is."""
    if direction == Direction.NEED:
        return StreamKind.SERVICE if material.kind == MaterialKind.SERVICE else StreamKind.INPUT
    if material.kind == MaterialKind.SERVICE:
        return StreamKind.CAPACITY
    return StreamKind.WASTE if material.kind == MaterialKind.MATERIAL else StreamKind.SURPLUS
