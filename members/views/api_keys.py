"""API keys in the browser: the coordination issues keys to partners, a member's administrators issue
keys for their organisation's systems. A new key's plaintext is shown once, on the page that answers the
form, and kept nowhere."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from .. import api_key_services
from ..api_key_services import WRITE_SCOPES
from ..api_keys import ApiKey
from ..enums import ApiScope, MemberRole, RoleGroup
from ..forms import DateInput
from ..models import Member, User
from .helpers import call_service, paginate

PARTNER_OWNER = "partners"


class ApiKeyForm(forms.Form):
    """The coordination picks the partner; a member admin's key acts as the admin."""

    user = forms.ModelChoiceField(queryset=User.objects.none(), label=gettext_lazy("partenaire"))
    name = forms.CharField(
        label=gettext_lazy("nom de la clé"),
        max_length=100,
        help_text=gettext_lazy("Pour la reconnaître : l'outil ou le système qui l'utilise."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("droits"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=gettext_lazy("valable jusqu'au (inclus)"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Vide : la clé reste valable jusqu'à ce qu'elle soit révoquée."),
    )

    def __init__(self, *args, issuer: User, **kwargs):
        super().__init__(*args, **kwargs)
        if issuer.is_coordinator:
            self.fields["user"].queryset = (
                User.objects.filter(is_active=True, groups__name=RoleGroup.PARTNERS)
                .exclude(groups__name=RoleGroup.COORDINATORS)
                .distinct()
            )
            self.fields["user"].help_text = _("La clé lit ce que ce partenaire peut lire, en lecture seule.")
            # Partners are read-only.
            self.fields["scopes"].choices = [(v, label) for v, label in ApiScope.choices if v not in WRITE_SCOPES]
        else:
            del self.fields["user"]

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("La date d'expiration doit être dans le futur."))
        return day

    def expires_at(self) -> datetime | None:
        """The end of the chosen day, in the platform's time zone."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _require_key_manager(user) -> None:
    if not (user.is_coordinator or (user.member_id and user.member_role == MemberRole.ADMIN)):
        raise PermissionDenied


def api_key_list(request):
    _require_key_manager(request.user)
    keys = ApiKey.objects.managed_by(request.user).select_related("user", "member", "created_by")
    owner = request.GET.get("owner", "")
    owners = []
    if request.user.is_coordinator:
        owners = Member.objects.filter(api_keys__isnull=False).distinct().order_by("name").values_list("pk", "name")
        if owner == PARTNER_OWNER:
            keys = keys.filter(member__isnull=True)
        elif owner.isdigit():
            keys = keys.filter(member_id=int(owner))
    context = {
        "page": paginate(request, keys),
        "owners": owners,
        "owner": owner,
        "partner_owner": PARTNER_OWNER,
    }
    return render(request, "members/api_keys/list.html", context)


@never_cache  # the answer to a successful POST holds the plaintext key
def api_key_create(request):
    _require_key_manager(request.user)
    form = ApiKeyForm(request.POST or None, issuer=request.user)
    if request.method == "POST" and form.is_valid():
        issued = call_service(
            form,
            api_key_services.api_key_issue,
            issued_by=request.user,
            user=form.cleaned_data.get("user", request.user),
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.expires_at(),
        )
        if issued:
            key, plaintext = issued
            return render(request, "members/api_keys/created.html", {"key": key, "plaintext": plaintext})
    return render(request, "members/api_keys/form.html", {"form": form})


def api_key_revoke(request, pk):
    """A confirmation page, then the revocation on POST."""
    _require_key_manager(request.user)
    key = get_object_or_404(ApiKey.objects.managed_by(request.user).select_related("user", "member"), pk=pk)
    if request.method != "POST":
        return render(request, "members/api_keys/revoke.html", {"key": key})
    try:
        api_key_services.api_key_revoke(key=key, by=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(
            request, _("La clé « %(name)s » est révoquée : elle ne donne plus accès à l'API.") % {"name": key.name}
        )
    return redirect("members:api_key_list")
