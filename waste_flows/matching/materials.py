"""Material fit: which offered material can feed which needed material.

Codes are dotted paths ("wood.pallets" is under "wood"). An offer fits a need when it is the same material
("same"), a more precise kind of it ("descendant": pallets feed a need for wood), or when a MaterialUse edge
leads from the offered material or one of its ancestors to the needed material or one of its ancestors
("use": pallets are shredded into wood fuel). The first rule that holds names the fit.
"""

from collections.abc import Iterable
from functools import lru_cache

FIT_SAME = "same"
FIT_DESCENDANT = "descendant"
FIT_USE = "use"


def ancestors(code: str) -> tuple[str, ...]:
    """The code itself, then each parent up to the root: "a.b.c" → ("a.b.c", "a.b", "a")."""
    parts = code.split(".")
    return tuple(".".join(parts[:length]) for length in range(len(parts), 0, -1))


def is_under(code: str, family: str) -> bool:
    """True when `code` is `family` or one of its descendants."""
    return code == family or code.startswith(family + ".")


def is_under_any(code: str, families: Iterable[str]) -> bool:
    return any(is_under(code, family) for family in families)


def material_fit(offer: str, need: str, uses: frozenset[tuple[str, str]]) -> str | None:
    """How the offered material fits the needed one: "same", "descendant", "use", or None."""
    if offer == need:
        return FIT_SAME
    if offer.startswith(need + "."):
        return FIT_DESCENDANT
    needed = set(ancestors(need))
    for source in ancestors(offer):
        if any(target in needed for target in _targets(uses).get(source, ())):
            return FIT_USE
    return None


@lru_cache(maxsize=16)
def _targets(uses: frozenset[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """MaterialUse edges as a lookup from the offered code to the needed codes (cached per graph)."""
    table: dict[str, list[str]] = {}
    for source, target in sorted(uses):
        table.setdefault(source, []).append(target)
    return {source: tuple(targets) for source, targets in table.items()}
