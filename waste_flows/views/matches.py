"""Pages of the matching: the coordinator's board, one match with its lifecycle, members' opportunities,
runs with their live progress, and channels.

The coordinator sees every match; a member user sees only the revealed matches (introduced, in discussion,
implemented) their organisation takes part in, through `match_view_for`: anything else answers 404, as if it
did not exist (see waste_flows.match_selectors for why no anonymised state is shown)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from members.views.helpers import call_service, paginate, query_without_page, require_coordinator

from .. import channel_services, match_lifecycle
from ..enums import MatchKind, MatchStatus, RejectionReason
from ..forms_matches import ChannelForm, NoteForm, TransitionForm
from ..match_filters import MatchFilter
from ..match_selectors import (
    awaiting_answer_count,
    match_board_queryset,
    match_for_coordinator,
    match_history,
    match_implemented_totals,
    match_status_counts,
    match_view_for,
    member_matches_queryset,
    recent_runs,
)
from ..matches import Channel, Match, MatchRun

STOP_POLLING = 286  # htmx stops an `every` trigger when the response has this status

# The coordinator's buttons, in the order they are shown: target status → label.
ACTIONS = {
    MatchStatus.REVIEWED: gettext_lazy("Valider"),
    MatchStatus.INTRODUCED: gettext_lazy("Mettre en relation"),
    MatchStatus.IN_DISCUSSION: gettext_lazy("Marquer en discussion"),
    MatchStatus.IMPLEMENTED: gettext_lazy("Marquer réalisée"),
    MatchStatus.REJECTED: gettext_lazy("Écarter"),
}


# --- Board -------------------------------------------------------------------------------------------


def match_board(request):
    require_coordinator(request.user)
    match_filter = MatchFilter(request.GET, queryset=match_board_queryset())
    matches = match_filter.qs if match_filter.is_valid() else Match.objects.none()
    page = paginate(request, matches)
    context = {
        "filter": match_filter,
        "page": page,
        "total": page.paginator.count,
        "status_counts": match_status_counts(matches),
        "totals": match_implemented_totals(Match.objects.all()),
        "query": query_without_page(request),
        "runs": recent_runs(limit=3),
    }
    return render(request, "waste_flows/matches/board.html", context)


# --- One match ---------------------------------------------------------------------------------------


def match_detail(request, pk, transition_form=None, note_form=None):
    user = request.user
    if not user.is_coordinator:
        return _member_detail(request, pk, note_form=note_form)
    try:
        match = match_for_coordinator(pk=pk)
    except Match.DoesNotExist as missing:
        raise Http404 from missing
    allowed = match_lifecycle.TRANSITIONS[match.status]
    actions = [
        {"status": status, "label": _("Reconsidérer") if match.status == MatchStatus.REJECTED else label}
        for status, label in ACTIONS.items()
        if status in allowed
    ]
    context = {
        "match": match,
        "criteria": match.explanation or [],
        "participants": list(match.participants.all()),
        "contributors": [s for s in match.streams.all() if s.pk not in (match.offer_id, match.need_id)],
        "notes": list(match.notes.all()),
        "history": match_history(match=match),
        "actions": actions,
        "rejection_reasons": RejectionReason.choices,
        "transition_form": transition_form,
        "note_form": note_form or NoteForm(),
        "site_points": _site_points(match) if match.kind == MatchKind.POOLING else None,
    }
    return render(request, "waste_flows/matches/detail.html", context)


def _member_detail(request, pk, note_form=None):
    match = _member_match(request, pk)
    view = match_view_for(user=request.user, match=match)
    context = {"view": view, "match": match, "notes": list(match.notes.select_related("author")),
               "note_form": note_form or NoteForm()}  # fmt: skip
    return render(request, "waste_flows/matches/member_detail.html", context)


def _member_match(request, pk) -> Match:
    """The match if the member may see it, else 404 (not participating, or not yet introduced)."""
    match = member_matches_queryset(member_id=request.user.member_id).filter(pk=pk).first()
    if match is None:
        raise Http404
    return match


def _site_points(match: Match) -> list[dict]:
    sites = {stream.site_id: stream.site for stream in match.streams.all()}  # one point per site
    points = [
        {"name": f"{site.member.name} · {site.commune}", "lat": float(site.latitude),
         "lon": float(site.longitude), "main": site.pk == match.hub_site_id}
        for site in sites.values()
    ]  # fmt: skip
    if match.channel and match.channel.site:
        site = match.channel.site
        points.append({"name": match.channel.name, "lat": float(site.latitude), "lon": float(site.longitude),
                       "main": match.hub_site_id is None})  # fmt: skip
    return points


@require_POST
def match_transition(request, pk):
    require_coordinator(request.user)
    match = get_object_or_404(Match, pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = call_service(
            form,
            match_lifecycle.match_transition,
            actor=request.user,
            match=match,
            status=data["status"],
            reason=data["reason"],
            note=data["note"],
            actual_tonnes_per_year=data["actual_tonnes_per_year"],
        )
        if done:
            messages.success(request, _("La mise en relation est maintenant « %(status)s ».") % {
                "status": done.get_status_display()})  # fmt: skip
            return redirect(done)
    response = match_detail(request, pk, transition_form=form)
    response.status_code = 400
    return response


@require_POST
def match_answer(request, pk):
    match = _member_match(request, pk)
    interested = request.POST.get("interested") == "1"
    try:
        match_lifecycle.match_answer(actor=request.user, match=match, interested=interested)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("Votre réponse est enregistrée."))
    return redirect(match)


@require_POST
def match_note(request, pk):
    match = get_object_or_404(Match, pk=pk) if request.user.is_coordinator else _member_match(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        note = call_service(form, match_lifecycle.match_note_add, actor=request.user, match=match,
                            text=form.cleaned_data["text"])  # fmt: skip
        if note:
            messages.success(request, _("La note est ajoutée."))
            return redirect(match)
    response = match_detail(request, pk, note_form=form)
    response.status_code = 400
    return response


# --- Members ---------------------------------------------------------------------------------------


def my_opportunities(request):
    user = request.user
    if user.member_id is None:
        if user.is_coordinator:
            return redirect("waste_flows:match_board")
        raise PermissionDenied
    matches = member_matches_queryset(member_id=user.member_id)
    page = paginate(request, matches)
    views = [match_view_for(user=user, match=match) for match in page]
    return render(request, "waste_flows/matches/mine.html", {"page": page, "views": views})


def my_opportunities_badge(request):
    """The navigation counter: introductions still waiting for the organisation's answer."""
    count = awaiting_answer_count(member_id=request.user.member_id)
    label = ngettext(
        "%(count)s mise en relation attend votre réponse", "%(count)s mises en relation attendent votre réponse", count
    ) % {"count": count}
    return JsonResponse({"count": count, "label": label})


# --- Runs -------------------------------------------------------------------------------------------


@require_POST
def run_start(request):
    require_coordinator(request.user)
    from ..match_services import match_run_start  # imported late: it loads the engine package

    run = match_run_start(actor=request.user)
    messages.success(request, _("La recherche de synergies est lancée."))
    return redirect("waste_flows:match_run_detail", pk=run.pk)


def run_list(request):
    require_coordinator(request.user)
    return render(request, "waste_flows/matches/run_list.html", {"runs": recent_runs(limit=30)})


def run_detail(request, pk):
    require_coordinator(request.user)
    run = get_object_or_404(MatchRun.objects.select_related("started_by"), pk=pk)
    return render(request, "waste_flows/matches/run_detail.html", {"run": run, "runs": recent_runs()})


def run_progress(request, pk):
    """The fragment htmx polls every second; once the run is finished it answers 286 to stop the polling."""
    require_coordinator(request.user)
    run = get_object_or_404(MatchRun, pk=pk)
    if not run.is_finished:
        return render(request, "waste_flows/matches/run_progress.html", {"run": run})
    # The last poll also refreshes the table of recent runs (out-of-band swap), which still said "pending".
    context = {"run": run, "runs": recent_runs(), "refresh_table": True}
    response = render(request, "waste_flows/matches/run_progress.html", context)
    response.status_code = STOP_POLLING
    return response


# --- Channels -------------------------------------------------------------------------------------


def channel_list(request):
    require_coordinator(request.user)
    channels = Channel.objects.select_related("site__member").prefetch_related("materials").order_by("name")
    return render(request, "waste_flows/matches/channel_list.html", {"channels": channels})


def channel_create(request):
    require_coordinator(request.user)
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel = call_service(form, channel_services.channel_create, actor=request.user, **form.service_fields())
        if channel:
            messages.success(request, _("Le débouché est créé."))
            return redirect("waste_flows:channel_list")
    return render(request, "waste_flows/matches/channel_form.html", {"form": form, "title": _("Nouveau débouché")})


def channel_edit(request, pk):
    require_coordinator(request.user)
    channel = get_object_or_404(Channel, pk=pk)
    form = ChannelForm(request.POST or None, channel=channel)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, channel_services.channel_update, actor=request.user, channel=channel, **form.service_fields()
        )
        if saved:
            messages.success(request, _("Le débouché est enregistré."))
            return redirect("waste_flows:channel_list")
    title = _("Modifier le débouché « %(name)s »") % {"name": channel.name}
    return render(request, "waste_flows/matches/channel_form.html", {"form": form, "title": title})
