"""The member dashboard (« Mon espace »): the home page of member users.

What the organisation declared and what is missing, the opportunities the coordination introduced it to, its
projects and milestones, its yearly figures, and, at the top, what to do next. Only its own data: every read
goes through `member_dashboard_data(member_id=...)`.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.enums import MemberRole

from .member_selectors import UPCOMING_DAYS, MemberDashboard, member_dashboard_data


@dataclass(frozen=True)
class NextAction:
    text: str
    url: str
    link_text: str
    urgent: bool = False


def member_dashboard(request):
    user = request.user
    if user.member_id is None:
        if user.is_coordinator:
            return redirect("home")
        raise PermissionDenied
    today = timezone.localdate()
    dashboard = member_dashboard_data(member_id=user.member_id, today=today)
    can_edit = user.member_role in (MemberRole.ADMIN, MemberRole.EDITOR)
    context = {
        "member": user.member,
        "dashboard": dashboard,
        "next_actions": next_actions(dashboard, member_id=user.member_id, can_edit=can_edit, year=today.year),
        "can_edit": can_edit,
        "upcoming_days": UPCOMING_DAYS,
    }
    return render(request, "ptce/dashboard/member.html", context)


def next_actions(dashboard: MemberDashboard, *, member_id: int, can_edit: bool, year: int) -> list[NextAction]:
    """What the organisation should do now, most pressing first. Viewers get links to read, not to edit."""
    actions = _opportunity_actions(dashboard, can_edit) + _project_actions(dashboard)
    actions += _declaration_actions(dashboard, can_edit)
    latest = dashboard.figures.latest
    if can_edit and (latest is None or latest.year < year - 1):
        actions.append(
            NextAction(
                text=_("Les chiffres de %(year)s (emplois, chiffre d'affaires) ne sont pas encore saisis.")
                % {"year": year - 1},
                url=reverse("members:figure_create", kwargs={"member_pk": member_id}),
                link_text=_("Saisir les chiffres"),
            )
        )
    return actions


def _opportunity_actions(dashboard: MemberDashboard, can_edit: bool) -> list[NextAction]:
    count = dashboard.opportunities.awaiting_count
    if not count:
        return []
    text = ngettext(
        "%(count)s opportunité attend votre réponse.", "%(count)s opportunités attendent votre réponse.", count
    ) % {"count": count}
    link_text = _("Répondre") if can_edit else _("Voir les opportunités")
    return [NextAction(text, reverse("waste_flows:my_opportunities"), link_text, urgent=True)]


def _project_actions(dashboard: MemberDashboard) -> list[NextAction]:
    actions = []
    if count := dashboard.projects.overdue_count:
        text = ngettext(
            "%(count)s jalon dont vous êtes responsable est en retard.",
            "%(count)s jalons dont vous êtes responsable sont en retard.",
            count,
        ) % {"count": count}
        actions.append(NextAction(text, "#milestones", _("Voir les jalons"), urgent=True))
    if count := dashboard.projects.upcoming_count:
        text = ngettext(
            "%(count)s jalon dont vous êtes responsable arrive à échéance dans les %(days)s jours.",
            "%(count)s jalons dont vous êtes responsable arrivent à échéance dans les %(days)s jours.",
            count,
        ) % {"count": count, "days": UPCOMING_DAYS}
        actions.append(NextAction(text, "#milestones", _("Voir les jalons")))
    return actions


def _declaration_actions(dashboard: MemberDashboard, can_edit: bool) -> list[NextAction]:
    streams, my_streams = dashboard.streams, reverse("waste_flows:my_streams")
    actions = []
    if streams.total == 0 and can_edit:
        actions.append(
            NextAction(
                _("Votre structure n'a encore déclaré aucun flux."),
                reverse("waste_flows:stream_create"),
                _("Déclarer un flux"),
            )
        )
    if count := streams.incomplete_count:
        text = ngettext("%(count)s flux déclaré est incomplet.", "%(count)s flux déclarés sont incomplets.", count) % {
            "count": count
        }
        actions.append(NextAction(text, "#declarations", _("Voir ce qui manque")))
    if count := streams.drafts:
        text = ngettext(
            "%(count)s brouillon n'est pas encore publié.", "%(count)s brouillons ne sont pas encore publiés.", count
        ) % {"count": count}
        actions.append(NextAction(text, my_streams, _("Voir mes flux")))
    return actions
