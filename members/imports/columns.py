"""The columns of the registry file: headers in French or English, and the model field each one fills."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from ..enums import IaeType, LegalForm, MemberKind, MembershipStatus
from ..models import Member

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
EXTENSIONS = ("csv", "xlsx")
MEMBER, SITE = "member", "site"
# SQLite refuses more than a few thousand parameters in one query: `__in` lookups are chunked.
LOOKUP_CHUNK = 900


@dataclass(frozen=True)
class Column:
    field: str  # English name, accepted as a header too
    header: str  # French header of the template: a file format, so it does not follow the UI language
    target: str  # MEMBER or SITE
    attribute: str  # model field
    kind: str  # how the cell is read: text, siren, siret, postcode, choice, bool, date, decimal, naf, url, college
    required: bool = False  # the column must be in the file
    choices: type | None = None
    help: str = ""


COLUMNS = (
    Column("siren", "SIREN", MEMBER, "siren", "siren", True, help=gettext_lazy("9 chiffres. Les lignes d'un même SIREN sont les sites d'un même membre.")),
    Column("name", "Raison sociale", MEMBER, "name", "text", True, help=gettext_lazy("Obligatoire pour un nouveau membre.")),
    Column("short_name", "Nom court", MEMBER, "short_name", "text"),
    Column("kind", "Type de structure", MEMBER, "kind", "choice", True, MemberKind),
    Column("legal_form", "Forme juridique", MEMBER, "legal_form", "choice", True, LegalForm),
    Column("is_ess", "Statut ESS", MEMBER, "is_ess", "bool"),
    Column("esus_approved", "Agrément ESUS", MEMBER, "esus_approved", "bool"),
    Column("iae_type", "Structure d'insertion", MEMBER, "iae_type", "choice", choices=IaeType),
    Column("naf_code", "Code NAF", MEMBER, "naf_code", "naf", help=gettext_lazy("Code NAF rév. 2, par exemple 38.11Z.")),
    Column("website", "Site web", MEMBER, "website", "url"),
    Column("status", "Statut d'adhésion", MEMBER, "status", "choice", choices=MembershipStatus, help=gettext_lazy("Prospect si vide pour un nouveau membre.")),
    Column("joined_on", "Adhérent depuis le", MEMBER, "joined_on", "date", help=gettext_lazy("Date du jour si vide pour un membre actif.")),
    Column("college", "Collège", MEMBER, "college", "college", help=gettext_lazy("Nom d'un collège existant.")),
    Column("siret", "SIRET", SITE, "siret", "siret", help=gettext_lazy("14 chiffres commençant par le SIREN. Sans SIRET, le site est reconnu par son nom.")),
    Column("site_name", "Nom du site", SITE, "name", "text", True),
    Column("address", "Adresse", SITE, "address", "text"),
    Column("postcode", "Code postal", SITE, "postcode", "postcode"),
    Column("commune", "Commune", SITE, "commune", "text", True),
    Column("latitude", "Latitude", SITE, "latitude", "decimal", True, help=gettext_lazy("En degrés décimaux, par exemple 49,3298.")),
    Column("longitude", "Longitude", SITE, "longitude", "decimal", True, help=gettext_lazy("En degrés décimaux, par exemple 6,0620.")),
    Column("is_main", "Site principal", SITE, "is_main", "bool", help=gettext_lazy("Le premier site d'un nouveau membre devient son site principal.")),
)  # fmt: skip
COLUMN_OF = {(column.target, column.attribute): column for column in COLUMNS}
MEMBER_FIELDS = [column.attribute for column in COLUMNS if column.target == MEMBER]
SITE_FIELDS = [column.attribute for column in COLUMNS if column.target == SITE]
LEFT_AFTER_JOINED = next(c for c in Member._meta.constraints if c.name == "member_left_after_joined")
TRUE_WORDS = frozenset({"oui", "o", "vrai", "true", "yes", "y", "1", "x"})
FALSE_WORDS = frozenset({"non", "n", "faux", "false", "no", "0"})
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
