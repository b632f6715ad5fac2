"""Accounts of member users: invitations, activation and roles, managed by the coordinator or by the
member's own administrators."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import InvitationAcceptForm, InvitationForm, MemberUserForm
from ..models import Member, User
from .helpers import call_service


def _manageable_member(request, pk) -> Member:
    member = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
    if not request.user.can_manage_users_of(member):
        raise PermissionDenied
    return member


def invitation_create(request, member_pk):
    member = _manageable_member(request, member_pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = call_service(
            form, services.invitation_send, actor=request.user, member=member, **form.cleaned_data
        )
        if invitation:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s ; le lien est valable 7 jours et ne sert qu'une fois.")
                % {"email": invitation.email},
            )
            return redirect(member.get_absolute_url() + "#users")
    return render(
        request, "members/object_form.html", {"form": form, "member": member, "title": _("Inviter un utilisateur")}
    )


@require_POST
def member_user_update(request, member_pk, pk):
    """Deactivate, reactivate, or change the role of one user of the member."""
    member = _manageable_member(request, member_pk)
    user = get_object_or_404(User, pk=pk, member=member)
    action = request.POST.get("action")
    if action == "role":
        form = MemberUserForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest()
        changes = {"member_role": form.cleaned_data["member_role"]}
    elif action in ("activate", "deactivate"):
        changes = {"is_active": action == "activate"}
    else:
        return HttpResponseBadRequest()
    try:
        services.member_user_update(actor=request.user, user=user, **changes)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("Le compte de %(user)s est mis à jour.") % {"user": user})
    return redirect(member.get_absolute_url() + "#users")


@login_not_required
def invitation_accept(request, token):
    invitation = services.invitation_find(token=token)
    if invitation is None:
        return render(request, "members/invitation_invalid.html", status=410)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = call_service(
            form,
            services.invitation_accept,
            token=token,
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        if user:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Bienvenue ! Votre compte est créé."))
            return redirect("members:my_organisation")
    return render(request, "members/invitation_accept.html", {"form": form, "invitation": invitation})
