from django.contrib.auth import forms as auth_forms
from django.template import loader
from django.utils.translation import gettext_lazy as _

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
