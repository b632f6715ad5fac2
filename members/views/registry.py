"""The member registry: list and detail, and edits of a member's profile, sites, contacts, fees and
figures. Coordinators reach every member; member users reach their own organisation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..enums import MemberRole
from ..filters import MemberFilter
from ..forms import ContactForm, FeeForm, MemberForm, SiteForm, YearlyFigureForm
from ..models import Contact, Fee, Member, Site, YearlyFigure
from ..selectors import member_for_detail, member_history, member_list_queryset
from .helpers import call_service, paginate, query_without_page, require_coordinator


def member_list(request):
    """The coordinator's registry; other users are sent to the directory."""
    if not request.user.is_coordinator:
        return redirect("members:directory")
    member_filter = MemberFilter(request.GET, queryset=member_list_queryset(user=request.user), user=request.user)
    members = member_filter.qs if member_filter.is_valid() else Member.objects.none()
    page = paginate(request, members)
    return render(
        request,
        "members/member_list.html",
        {
            "filter": member_filter,
            "page": page,
            "total": page.paginator.count,
            "query": query_without_page(request),
            "export_query": request.GET.urlencode(),
        },
    )


def my_organisation(request):
    if request.user.member_id is None:
        raise Http404
    return redirect("members:member_detail", pk=request.user.member_id)


def member_detail(request, pk):
    try:
        member = member_for_detail(pk=pk, user=request.user)
    except Member.DoesNotExist as missing:
        raise Http404 from missing
    user = request.user
    context = {
        "member": member,
        "can_edit": user.can_edit_member(member),
        "can_manage_users": user.can_manage_users_of(member),
        "private": user.can_see_private_data_of(member),
        "member_roles": MemberRole.choices,
        "site_points": [
            {"name": site.name, "lat": float(site.latitude), "lon": float(site.longitude), "main": site.is_main}
            for site in member.sites.all()
        ],
    }
    return render(request, "members/member_detail.html", context)


def member_create(request):
    require_coordinator(request.user)
    form = MemberForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        member = call_service(form, services.member_create, actor=request.user, **form.cleaned_data)
        if member:
            messages.success(
                request,
                _("Le membre « %(name)s » est créé. Ajoutez maintenant son site principal.") % {"name": member},
            )
            return redirect("members:site_create", member_pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "title": _("Nouveau membre")})


def member_edit(request, pk):
    member = _editable_member(request, pk)
    form = MemberForm(request.POST or None, request.FILES or None, instance=member, user=request.user)
    updated = (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.member_update, actor=request.user, member=member, **form.cleaned_data)
    )
    if updated:
        messages.success(request, _("Les informations du membre sont enregistrées."))
        return redirect(member)
    return render(
        request,
        "members/member_form.html",
        {"form": form, "member": member, "title": _("Modifier %(name)s") % {"name": member}},
    )


def member_archive(request, pk):
    require_coordinator(request.user)
    member = get_object_or_404(Member, pk=pk)
    if request.method == "POST":
        services.member_archive(actor=request.user, member=member)
        messages.success(
            request,
            _(
                "« %(name)s » est désormais un ancien membre ; ses comptes sont désactivés, ses données sont conservées."
            )
            % {"name": member},
        )
        return redirect(member)
    return render(request, "members/member_archive.html", {"member": member})


def member_history_view(request, pk):
    require_coordinator(request.user)
    member = get_object_or_404(Member, pk=pk)
    return render(request, "members/member_history.html", {"member": member, "entries": member_history(member=member)})


# --- Sites, contacts, figures (editors of the member), fees (coordinator) --------------------------


def site_create(request, member_pk):
    member = _editable_member(request, member_pk)
    return _object_form(request, member, SiteForm, Site(member=member), services.site_save, "site", _("Nouveau site"))


def site_edit(request, member_pk, pk):
    member = _editable_member(request, member_pk)
    site = get_object_or_404(Site, pk=pk, member=member)
    return _object_form(request, member, SiteForm, site, services.site_save, "site", _("Modifier le site"))


@require_POST
def site_delete(request, member_pk, pk):
    member = _editable_member(request, member_pk)
    site = get_object_or_404(Site, pk=pk, member=member)
    return _delete(request, member, services.site_delete, site=site, done=_("Le site est supprimé."))


def contact_create(request, member_pk):
    member = _editable_member(request, member_pk)
    return _object_form(
        request, member, ContactForm, Contact(member=member), services.contact_save, "contact", _("Nouveau contact")
    )


def contact_edit(request, member_pk, pk):
    member = _editable_member(request, member_pk)
    contact = get_object_or_404(Contact, pk=pk, member=member)
    return _object_form(
        request, member, ContactForm, contact, services.contact_save, "contact", _("Modifier le contact")
    )


@require_POST
def contact_delete(request, member_pk, pk):
    member = _editable_member(request, member_pk)
    contact = get_object_or_404(Contact, pk=pk, member=member)
    return _delete(request, member, services.contact_delete, contact=contact, done=_("Le contact est supprimé."))


def figure_create(request, member_pk):
    member = _editable_member(request, member_pk)
    figure = YearlyFigure(member=member)
    return _object_form(
        request, member, YearlyFigureForm, figure, services.yearly_figure_save, "figure", _("Chiffres d'une année")
    )


def figure_edit(request, member_pk, pk):
    member = _editable_member(request, member_pk)
    figure = get_object_or_404(YearlyFigure, pk=pk, member=member)
    return _object_form(
        request, member, YearlyFigureForm, figure, services.yearly_figure_save, "figure", _("Chiffres d'une année")
    )


def fee_create(request, member_pk):
    require_coordinator(request.user)
    member = get_object_or_404(Member, pk=member_pk)
    return _object_form(
        request, member, FeeForm, Fee(member=member), services.fee_save, "fee", _("Nouvelle cotisation")
    )


def fee_edit(request, member_pk, pk):
    require_coordinator(request.user)
    member = get_object_or_404(Member, pk=member_pk)
    fee = get_object_or_404(Fee, pk=pk, member=member)
    return _object_form(request, member, FeeForm, fee, services.fee_save, "fee", _("Modifier la cotisation"))


def _editable_member(request, pk) -> Member:
    """The member if the user may edit it; 404 if they may not even see it, 403 if they only may read it."""
    member = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
    if not request.user.can_edit_member(member):
        raise PermissionDenied
    return member


def _object_form(request, member, form_class, instance, service, argument, title):
    form = form_class(request.POST or None, instance=instance)
    saved = (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, service, actor=request.user, **{argument: instance}, **form.cleaned_data)
    )
    if saved:
        messages.success(request, _("C'est enregistré."))
        return redirect(reverse("members:member_detail", kwargs={"pk": member.pk}) + f"#{argument}s")
    return render(
        request,
        "members/object_form.html",
        {"form": form, "member": member, "title": title, "map_picker": form_class is SiteForm},
    )


def _delete(request, member, service, *, done, **target):
    try:
        service(actor=request.user, **target)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, done)
    return redirect(member)
