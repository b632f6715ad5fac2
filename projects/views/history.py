"""The field-by-field history of a project and its parts (coordinator), from simple-history's records.

Records are diffed in memory against the previous record of the same object, so the page costs one query
per model, plus one for the names of the members the records point to, whatever the number of changes.
The members' registry does the same for a member (members.selectors.member_history)."""

from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from members.models import Member
from members.views.helpers import require_coordinator

from ..models import BudgetLine, Funding, Indicator, Milestone, Project, ProjectDocument, ProjectParticipant

RECORDS_PER_MODEL = 500
MEMBER_FIELDS = {"lead_member", "member", "owner"}


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    action: str  # "+" created, "~" changed, "-" deleted (simple-history's history_type)
    object_type: str
    object_label: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, old, new)


def project_history(request, pk):
    require_coordinator(request.user)
    project = get_object_or_404(Project, pk=pk)
    return render(request, "projects/project_history.html", {"project": project, "entries": history_of(project)})


def history_of(project: Project) -> list[HistoryEntry]:
    sources = [(Project, Project.history.filter(id=project.pk))] + [
        (model, model.history.filter(project_id=project.pk))
        for model in (ProjectParticipant, BudgetLine, Funding, Milestone, Indicator, ProjectDocument)
    ]
    records_by_model = [
        (
            model,
            list(
                records.select_related("history_user").order_by("id", "history_date", "history_id")[:RECORDS_PER_MODEL]
            ),
        )
        for model, records in sources
    ]
    member_names = _member_names(records_by_model)
    entries = []
    for model, records in records_by_model:
        for _object_id, object_records in groupby(records, key=lambda record: record.id):
            entries.extend(_entries_of_one_object(list(object_records), model, member_names))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _member_names(records_by_model) -> dict[int, str]:
    ids = {
        getattr(record, f"{name}_id")
        for _model, records in records_by_model
        for record in records
        for name in MEMBER_FIELDS
        if getattr(record, f"{name}_id", None)
    }
    return dict(Member.objects.filter(pk__in=ids).values_list("pk", "name"))


def _entries_of_one_object(records, model, member_names) -> list[HistoryEntry]:
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                model_field = model._meta.get_field(change.field)
                old = _display(model_field, change.old, member_names)
                new = _display(model_field, change.new, member_names)
                changes.append((str(model_field.verbose_name), old, new))
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "",
                action=record.history_type,
                object_type=str(model._meta.verbose_name),
                object_label=_label(record, model, member_names),
                changes=changes,
            )
        )
        previous = record
    return entries


def _label(record, model, member_names) -> str:
    # Built from the record's own columns: `str(record.instance)` would load related rows once per record.
    if model is ProjectParticipant:
        return member_names.get(record.member_id, "?")
    if model is Funding:
        return record.funder_name or record.get_source_display()
    if model is Indicator:
        label = record.label or record.get_kind_display()
        return f"{label} {record.year}"
    if model is BudgetLine:
        return record.label
    return record.title


def _display(model_field, value, member_names) -> str:
    if value is None or value == "":
        return "—"
    if model_field.name in MEMBER_FIELDS:
        return member_names.get(value, str(value))
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)
