from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.template import loader
from django.utils.translation import gettext_lazy as _

from .enums import MemberRole
from .models import College, Contact, Fee, Member, Site, YearlyFigure
from .services import MEMBER_SELF_SERVICE_FIELDS
from .tasks import send_email


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, with the e-mail sent by a Celery task after the request has been answered."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        send_email.delay_on_commit(subject=subject, body=body, to=[to_email], html_body=html_body)


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form with a message that reads well in French for an e-mail login."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect. Vérifiez-les et réessayez."),
    }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MemberForm(forms.ModelForm):
    """The member profile. Member users get only the self-service fields (no status, college, dates)."""

    website = forms.URLField(label=_("site web"), required=False, assume_scheme="https")

    class Meta:
        model = Member
        fields = [
            "name", "short_name", "kind", "legal_form", "is_ess", "esus_approved", "iae_type", "siren", "naf_code",
            "website", "description", "logo", "status", "joined_on", "left_on", "college",
        ]  # fmt: skip
        widgets = {"joined_on": DateInput(), "left_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_coordinator:
            for name in set(self.fields) - MEMBER_SELF_SERVICE_FIELDS:
                del self.fields[name]

    def clean_siren(self):
        from .validators import compact_identifier

        return compact_identifier(self.cleaned_data["siren"])

    def clean_naf_code(self):
        from . import naf

        return naf.normalise(self.cleaned_data["naf_code"])


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["name", "siret", "address", "postcode", "commune", "latitude", "longitude", "is_main"]
        help_texts = {
            "latitude": _("Cliquez sur la carte pour placer le site, ou saisissez les coordonnées (ex. 49.3298)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.GEOCODING_ENABLED:
            # The address is geocoded when the coordinates are left empty.
            for name in ("latitude", "longitude"):
                self.fields[name].required = False
            self.fields["latitude"].help_text = _(
                "Laissez la latitude et la longitude vides pour les déduire de l'adresse (Base adresse nationale)."
            )

    def clean_siret(self):
        from .validators import compact_identifier

        return compact_identifier(self.cleaned_data["siret"])


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["first_name", "last_name", "job_title", "email", "phone", "consents_to_contact"]


class FeeForm(forms.ModelForm):
    class Meta:
        model = Fee
        fields = ["year", "amount_due", "amount_paid", "paid_on", "payment_reference"]
        widgets = {"paid_on": DateInput()}


class YearlyFigureForm(forms.ModelForm):
    class Meta:
        model = YearlyFigure
        fields = [
            "year", "permanent_headcount", "permanent_fte", "insertion_headcount", "insertion_fte", "turnover",
        ]  # fmt: skip


class CollegeForm(forms.ModelForm):
    class Meta:
        model = College
        fields = ["name", "description", "position"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne invitée"))
    member_role = forms.ChoiceField(label=_("Rôle"), choices=MemberRole.choices, initial=MemberRole.EDITOR)


class MemberUserForm(forms.Form):
    member_role = forms.ChoiceField(label=_("Rôle"), choices=MemberRole.choices)


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif password1:
            from .models import User

            candidate = User(
                email=self.email, first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
