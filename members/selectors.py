"""Reads of the member registry that are more than one queryset call."""

from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from .models import Contact, Fee, Invitation, Member, Site, User, YearlyFigure

HISTORY_LIMIT_PER_MODEL = 200


def member_list_queryset(*, user) -> QuerySet[Member]:
    """Members the user may list, with what the list shows, in a constant number of queries."""
    members = (
        Member.objects.visible_to(user)
        .select_related("college")
        .with_site_count()
        .prefetch_related(Prefetch("sites", queryset=Site.objects.filter(is_main=True), to_attr="main_sites"))
        .order_by("name", "pk")
    )
    return members.with_outstanding_fees() if user.is_coordinator else members


def member_for_detail(*, pk: int, user) -> Member:
    """One member with everything its page shows; raises Member.DoesNotExist outside the user's scope."""
    private = user.can_see_private_data_of(Member(pk=pk))
    contacts = Contact.objects.all() if private else Contact.objects.filter(consents_to_contact=True)
    prefetches = [
        Prefetch("sites", queryset=Site.objects.order_by("-is_main", "name")),
        Prefetch("contacts", contacts),
    ]
    if private:
        prefetches += [
            Prefetch("fees", queryset=Fee.objects.order_by("-year")),
            Prefetch("yearly_figures", queryset=YearlyFigure.objects.order_by("-year")),
            Prefetch("users", queryset=User.objects.order_by("-is_active", "email")),
            Prefetch("invitations", queryset=Invitation.objects.filter(accepted_at__isnull=True)),
        ]
    return Member.objects.visible_to(user).select_related("college").prefetch_related(*prefetches).get(pk=pk)


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    action: str  # "+" created, "~" changed, "-" deleted (simple-history's history_type)
    object_label: str
    object_type: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, old, new)


def member_history(*, member: Member) -> list[HistoryEntry]:
    """Every recorded change to the member, its sites, contacts, fees, yearly figures and users, newest first.

    Records are diffed against the previous record of the same object in memory, so the page costs
    one query per model whatever the number of changes.
    """
    sources = [
        (Member.history.filter(id=member.pk), Member),
        (Site.history.filter(member_id=member.pk), Site),
        (Contact.history.filter(member_id=member.pk), Contact),
        (Fee.history.filter(member_id=member.pk), Fee),
        (YearlyFigure.history.filter(member_id=member.pk), YearlyFigure),
        (User.history.filter(member_id=member.pk), User),
    ]
    entries = []
    for records, model in sources:
        ordered = records.select_related("history_user").order_by("id", "history_date", "history_id")
        for _object_id, object_records in groupby(
            ordered[: HISTORY_LIMIT_PER_MODEL * 5], key=lambda record: record.id
        ):
            entries.extend(_entries_of_one_object(list(object_records), model))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _entries_of_one_object(records, model) -> list[HistoryEntry]:
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                model_field = model._meta.get_field(change.field)
                changes.append(
                    (
                        str(model_field.verbose_name),
                        _display(model_field, change.old),
                        _display(model_field, change.new),
                    )
                )
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "",
                action=record.history_type,
                object_label=_object_label(record, model),
                object_type=str(model._meta.verbose_name),
                changes=changes,
            )
        )
        previous = record
    return entries


def _object_label(record, model) -> str:
    # Fees and yearly figures are named by their year: their __str__ would load the member once per record.
    if model in (Fee, YearlyFigure):
        return str(record.year)
    return str(record.instance)


def _display(model_field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)
