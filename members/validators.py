"""Validators for French company identifiers, NAF codes and uploaded logos.

Identifiers are checked with python-stdnum (Luhn checksum, La Poste exception for SIRET) rather than
hand-written checks.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from . import naf

LOGO_MAX_BYTES = 2 * 1024 * 1024


def compact_identifier(value: str) -> str:
    """Remove the spaces, dots and dashes people type in SIREN/SIRET numbers."""
    return stdnum_siret.compact(value or "")


def validate_siren(value: str) -> None:
    if not stdnum_siren.is_valid(value):
        raise ValidationError(
            _("« %(value)s » n'est pas un SIREN valide : il faut 9 chiffres et une clé de contrôle correcte."),
            code="invalid_siren",
            params={"value": value},
        )


def validate_siret(value: str) -> None:
    if not stdnum_siret.is_valid(value):
        raise ValidationError(
            _("« %(value)s » n'est pas un SIRET valide : il faut 14 chiffres et une clé de contrôle correcte."),
            code="invalid_siret",
            params={"value": value},
        )


def validate_naf_code(value: str) -> None:
    if not naf.is_valid_format(value):
        raise ValidationError(
            _(
                "« %(value)s » n'est pas un code NAF : le format attendu est 2 chiffres, un point, 2 chiffres et une lettre (ex. 62.01Z)."
            ),
            code="invalid_naf_format",
            params={"value": value},
        )
    if naf.label(value) is None:
        raise ValidationError(
            _("Le code NAF « %(value)s » n'existe pas dans la nomenclature NAF rév. 2."),
            code="unknown_naf",
            params={"value": value},
        )


def validate_logo_size(image) -> None:
    if image.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("Le logo pèse %(size)s ko ; la limite est de 2 Mo."),
            code="logo_too_large",
            params={"size": image.size // 1024},
        )
