"""The small-numbers rule: no figure shown to anyone but the coordination is built from fewer than 3 members.

Every statistic is computed as *buckets* (a family × route, a member kind, a match kind…), each carrying the
number of distinct members it is built from. For a non-coordinator, a bucket of fewer than `MIN_MEMBERS`
members keeps its key but loses its figures (null), with `masked: true` and the reason. A total shown to a
non-coordinator adds up the buckets that are shown, never the masked ones: otherwise the total minus the
visible buckets would give the masked one back. Such a total says so (`masked: true`, and the number of
buckets left out in its reason).

Period figures are named `<name>_<index>` in bucket rows, one index per period asked for (0 the current one,
1 the previous one, or one per year for trends); `<members>_<index>` is the bucket's member count then.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MIN_MEMBERS = 3


def applies_to(user) -> bool:
    return not user.is_coordinator


def masking_info(user) -> dict:
    return {"applies": applies_to(user), "min_members": MIN_MEMBERS}


def is_hidden(members: int | None, user) -> bool:
    """An empty bucket (no member at all) hides nothing: it is shown as zero. The count is looked at first:
    the coordination's buckets carry none, and asking for the user's permission costs more than a comparison
    when a page checks thousands of buckets."""
    return 0 < (members or 0) < MIN_MEMBERS and applies_to(user)


def small_numbers_reason() -> str:
    return _("Chiffre masqué : il porte sur moins de %(count)s membres.") % {"count": MIN_MEMBERS}


def coordination_only_reason() -> str:
    return _("Chiffre réservé à la coordination du pôle.")


def partial_reason(left_out: int) -> str:
    return ngettext(
        "Total des seuls chiffres affichés : %(count)s groupe de moins de %(min)s membres est masqué.",
        "Total des seuls chiffres affichés : %(count)s groupes de moins de %(min)s membres sont masqués.",
        left_out,
    ) % {"count": left_out, "min": MIN_MEMBERS}


def mask_row(row: dict, *, members: int | None, fields: Iterable[str], user) -> dict:
    """A copy of one bucket for `user`: its `fields` (and its member count) nulled when it is too small."""
    hidden = is_hidden(members, user)
    shown = dict(row)
    shown["members"] = None if hidden else members
    for name in fields:
        if hidden:
            shown[name] = None
    shown["masked"] = hidden
    shown["masked_reason"] = small_numbers_reason() if hidden else ""
    return shown


def shown_total(rows: Sequence[dict], name: str, index: int, *, user, members: str = "members") -> tuple:
    """Sum of `<name>_<index>` over the buckets `user` may see at that period.

    Returns (total or None when every non-empty bucket is masked, number of non-empty buckets left out)."""
    total, shown_any, left_out = Decimal(0), False, 0
    for row in rows:
        value = row.get(f"{name}_{index}") or 0
        if is_hidden(row.get(f"{members}_{index}"), user):
            left_out += 1 if value else 0
            continue
        total += Decimal(str(value))
        shown_any = True
    if not shown_any and left_out:
        return None, left_out
    return total, left_out


def figure(value, previous, *, left_out: int = 0, previous_left_out: int = 0, digits: int = 1) -> dict:
    """A figure at the end of the period, at the end of the previous one, and the change between them."""
    value, previous = _number(value, digits), _number(previous, digits)
    masked = value is None or left_out > 0 or previous_left_out > 0
    if value is None:
        reason = small_numbers_reason()
    elif left_out or previous_left_out:
        reason = partial_reason(max(left_out, previous_left_out))
    else:
        reason = ""
    change = None if value is None or previous is None else _number(value - previous, digits)
    return {"value": value, "previous": previous, "change": change, "masked": masked, "masked_reason": reason}


def coordination_only_figure() -> dict:
    return {
        "value": None,
        "previous": None,
        "change": None,
        "masked": True,
        "masked_reason": coordination_only_reason(),
    }


def _number(value, digits: int):
    if value is None:
        return None
    if digits == 0:
        return int(value)
    return round(float(value), digits)
