"""Declarations of offers and needs in the browser: the form, the organisation's list (« Mes flux »), the
exchange of members (« Bourse des flux »), the coordinator's list and its exports, the detail with its
history, and the small endpoints behind the form's autocomplete and suggestions.

Every read goes through `Stream.objects.visible_to(user)`: a stream outside it answers 404, as if it did
not exist. Every write goes through the services, which check the author's rights again."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members.models import Member, Site
from members.views.helpers import paginate, query_without_page, require_coordinator

from .. import search, services
from ..enums import Direction
from ..exports import stream_export_csv, stream_export_xlsx
from ..filters import StreamFilter
from ..forms import ExchangeStreamFilter, StreamForm, normalise_ewc_code, site_groups, unit_fits, unit_groups
from ..models import EwcCode, Material, Stream, Unit
from ..selectors import (
    declaration_hints,
    exchange_queryset,
    member_streams_queryset,
    stream_direction_counts,
    stream_for_detail,
    stream_history,
    stream_list_queryset,
)

AUTOCOMPLETE_LIMIT = 12
SUGGESTED_EWC_LIMIT = 8
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_declare_for(user, member_id: int | None) -> bool:
    """The rule of the services (`User.can_edit_member`), without loading the member."""
    return member_id is not None and user.can_edit_member(Member(pk=member_id))


# --- Lists ------------------------------------------------------------------------------------------


def stream_list(request):
    """The coordinator's list of every stream of the pole; other users are sent to the exchange."""
    if not request.user.is_coordinator:
        return redirect("waste_flows:exchange")
    return _filtered_list(request, StreamFilter, stream_list_queryset(user=request.user), "stream_list.html")


def exchange(request):
    """« Bourse des flux »: the active streams the user may read (their own, and what others share)."""
    return _filtered_list(request, ExchangeStreamFilter, exchange_queryset(user=request.user), "exchange.html")


def _filtered_list(request, filter_class, queryset, template):
    stream_filter = filter_class(request.GET, queryset=queryset)
    streams = stream_filter.qs if stream_filter.is_valid() else Stream.objects.none()
    page = paginate(request, streams)
    context = {
        "filter": stream_filter,
        "page": page,
        "total": page.paginator.count,
        "counts": stream_direction_counts(streams),
        "query": query_without_page(request),
        "export_query": request.GET.urlencode(),
        "can_declare": can_declare_for(request.user, request.user.member_id),
    }
    return render(request, f"waste_flows/{template}", context)


def my_streams(request):
    """The organisation's streams, drafts and archives included, with what is still missing."""
    user = request.user
    if user.member_id is None:
        return redirect("waste_flows:stream_list" if user.is_coordinator else "waste_flows:exchange")
    streams = list(member_streams_queryset(member_id=user.member_id))
    context = {
        "member": user.member,
        "streams": streams,
        "hints": declaration_hints(member_id=user.member_id, streams=streams),
        "can_declare": can_declare_for(user, user.member_id),
    }
    return render(request, "waste_flows/my_streams.html", context)


def stream_export(request, file_format: str):
    """The coordinator's filtered list as a spreadsheet. Members never export: the file would carry every
    field of the streams, and others' streams are theirs to share stream by stream."""
    require_coordinator(request.user)
    stream_filter = StreamFilter(request.GET, queryset=stream_list_queryset(user=request.user))
    streams = stream_filter.qs if stream_filter.is_valid() else Stream.objects.none()
    if file_format == "xlsx":
        response = HttpResponse(stream_export_xlsx(queryset=streams), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(stream_export_csv(queryset=streams), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="flux-{timezone.localdate():%Y-%m-%d}.{file_format}"'
    return response


# --- One stream -------------------------------------------------------------------------------------


def stream_detail(request, pk):
    user = request.user
    try:
        stream = stream_for_detail(pk=pk, user=user)
    except Stream.DoesNotExist as missing:
        raise Http404 from missing
    member = stream.site.member
    # Who declared and changed what, and the cost of the current route, stay between the organisation
    # and the coordination: other members see what the stream is, not the people nor the money.
    private = user.can_see_private_data_of(member)
    context = {
        "stream": stream,
        "private": private,
        "can_edit": user.can_edit_member(member),
        "history": stream_history(stream=stream) if private else [],
    }
    return render(request, "waste_flows/stream_detail.html", context)


def stream_create(request):
    user = request.user
    if not (user.is_coordinator or can_declare_for(user, user.member_id)):
        raise PermissionDenied
    initial = {}
    if request.GET.get("direction") in Direction.values:
        initial["direction"] = request.GET["direction"]
    for name in ("member", "site"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])  # the form offers only what the user may choose
    form = StreamForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        stream = _call_service(form, services.stream_declare, actor=user, **form.service_fields())
        if stream:
            messages.success(request, _("Le flux est déclaré."))
            return redirect(stream)
    return _form_page(request, form, title=_("Déclarer un flux"))


def stream_edit(request, pk):
    stream = _editable_stream(request, pk)
    form = StreamForm(request.POST or None, user=request.user, stream=stream)
    if request.method == "POST" and form.is_valid():
        saved = _call_service(form, services.stream_update, actor=request.user, stream=stream, **form.service_fields())
        if saved:
            messages.success(request, _("Les modifications du flux sont enregistrées."))
            return redirect(saved)
        stream = _editable_stream(request, pk)  # the refused values stay in the form, not on the page's title
    return _form_page(request, form, title=_("Modifier le flux"), stream=stream)


@require_POST
def stream_duplicate(request, pk):
    stream = _editable_stream(request, pk)
    try:
        copy = services.stream_duplicate(actor=request.user, stream=stream)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect(stream)
    messages.success(request, _("Une copie est créée en brouillon : adaptez-la puis activez-la."))
    return redirect("waste_flows:stream_edit", pk=copy.pk)


@require_POST
def stream_archive(request, pk):
    stream = _editable_stream(request, pk)
    try:
        services.stream_archive(actor=request.user, stream=stream)
    except ValidationError as refusal:
        messages.error(
            request,
            _("Ce flux ne peut pas être archivé tant que sa déclaration est incomplète : %(problems)s")
            % {"problems": " ".join(refusal.messages)},
        )
    else:
        messages.success(request, _("Le flux est archivé : il reste dans l'historique, hors bourse des flux."))
    return redirect(_safe_next(request) or stream.get_absolute_url())


def _editable_stream(request, pk) -> Stream:
    """The stream if the user may edit it; 404 if they may not even read it, 403 if they only may read it."""
    user = request.user
    try:
        stream = stream_list_queryset(user=user).get(pk=pk)
    except Stream.DoesNotExist as missing:
        raise Http404 from missing
    if not user.can_edit_member(stream.site.member):
        raise PermissionDenied
    return stream


def _safe_next(request) -> str | None:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if target and allowed else None


def _form_page(request, form, *, title, stream=None):
    context = {"form": form, "title": title, "stream": stream}
    return render(request, "waste_flows/stream_form.html", context)


# Check constraints report on the whole form; their messages belong next to one field.
CONSTRAINT_FIELDS = {"stream_available_until_after_from": "available_until", "stream_quantity_positive": "quantity"}


def _call_service(form, service, **kwargs):
    """Run a service; every message of its ValidationError lands next to its field, in plain French."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        for field, messages_ in _errors_by_field(error).items():
            form.add_error(field if field in form.fields else None, messages_)
        return None


def _errors_by_field(error: ValidationError) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {NON_FIELD_ERRORS: error.messages}
    constraint_fields = {
        str(constraint.violation_error_message): CONSTRAINT_FIELDS[constraint.name]
        for constraint in Stream._meta.constraints
        if constraint.name in CONSTRAINT_FIELDS
    }
    by_field: dict[str, list[str]] = {}
    for field, errors in error.message_dict.items():
        for message in errors:
            target = constraint_fields.get(message, field) if field == NON_FIELD_ERRORS else field
            if message not in by_field.setdefault(target, []):
                by_field[target].append(message)
    return by_field


# --- Autocomplete and suggestions of the form (reference data only, never a stream) ------------------


@dataclass(frozen=True)
class Result:
    value: str
    label: str
    hint: str = ""
    hazardous: bool = False


@require_GET
def material_search(request):
    codes = search.rank(request.GET.get("q", "")[:100], search.material_entries(), limit=AUTOCOMPLETE_LIMIT)
    families = {code.split(".", 1)[0] for code in codes}
    materials = Material.objects.in_bulk([*codes, *families], field_name="code")
    results = [
        Result(
            value=code,
            label=materials[code].name,
            hint="" if "." not in code else materials[materials[code].family_code].name,
        )
        for code in codes
        if code in materials
    ]
    return _results(request, results, listbox="material")


@require_GET
def ewc_search(request):
    codes = search.rank(request.GET.get("q", "")[:100], search.ewc_entries(), limit=AUTOCOMPLETE_LIMIT)
    entries = EwcCode.objects.in_bulk(codes)
    results = [_ewc_result(entries[code]) for code in codes if code in entries]
    return _results(request, results, listbox="ewc")


def _ewc_result(ewc: EwcCode) -> Result:
    return Result(value=ewc.code, label=str(ewc), hazardous=bool(ewc.hazardous))


def _results(request, results, *, listbox):
    return render(
        request,
        "waste_flows/includes/search_results.html",
        {"results": results, "listbox": listbox, "searched": bool(request.GET.get("q", "").strip())},
    )


@require_GET
def suggest_ewc_codes(request):
    """The waste codes that usually name the chosen material: its own and its sub-categories' first; if it
    has none (pallets are "wooden packaging" in the list), those of its family."""
    code = request.GET.get("material", "")
    entries = []
    if code:
        entries = list(_ewc_codes_of(code, own_first=True))
    if code and not entries:
        entries = list(_ewc_codes_of(code.split(".", 1)[0], own_first=False))
    return render(
        request,
        "waste_flows/includes/suggested_ewc_codes.html",
        {"results": [_ewc_result(entry) for entry in entries]},
    )


def _ewc_codes_of(code: str, *, own_first: bool):
    """Entries mapped to a material or its sub-categories; in the list's order, or the material's own first."""
    entries = EwcCode.objects.filter(level="entry").filter(
        Q(material__code=code) | Q(material__code__startswith=f"{code}.")
    )
    if own_first:
        own = Case(When(material__code=code, then=Value(0)), default=Value(1), output_field=IntegerField())
        entries = entries.annotate(own=own).order_by("own", "code")
    else:
        entries = entries.order_by("code")
    return entries[:SUGGESTED_EWC_LIMIT]


@require_GET
def suggest_material(request):
    """The material a waste code usually is, unless it is the one already chosen."""
    code = normalise_ewc_code(request.GET.get("ewc_code", ""))
    ewc = EwcCode.objects.select_related("material").filter(code=code).first() if code else None
    material = ewc.material if ewc else None
    if material is not None and material.code == request.GET.get("material"):
        material = None
    return render(request, "waste_flows/includes/suggested_material.html", {"ewc": ewc, "material": material})


@require_GET
def unit_options(request):
    """The <option>s of the units able to measure the chosen material (all of them without a material)."""
    material = Material.objects.filter(code=request.GET.get("material", "")).first()
    units = list(Unit.objects.all())
    if material is not None:
        units = [unit for unit in units if unit_fits(unit, material)]
    return _options(request, unit_groups(units), selected=request.GET.get("unit", ""))


@require_GET
def site_options(request):
    """The <option>s of the sites a user may declare for: one member's (coordinators choose it first)."""
    user = request.user
    sites = Site.objects.select_related("member").order_by("member__name", "-is_main", "name")
    if not user.is_coordinator:
        sites = sites.filter(member_id=user.member_id) if can_declare_for(user, user.member_id) else sites.none()
    elif request.GET.get("member", "").isdigit():
        sites = sites.filter(member_id=int(request.GET["member"]))
    groups = site_groups(sites)
    if len(groups) == 1:  # one member: no group heading
        groups = groups[0][1]
    return _options(request, [("", "—"), *groups], selected=request.GET.get("site", ""))


def _options(request, choices, *, selected: str):
    """Render Django-style choices, grouped or not, as <option>s and <optgroup>s for an htmx swap."""
    groups = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            groups.append({"label": value, "options": [(str(v), text) for v, text in label]})
        else:
            groups.append({"label": None, "options": [(str(value), label)]})
    return render(request, "waste_flows/includes/options.html", {"groups": groups, "selected": str(selected)})
