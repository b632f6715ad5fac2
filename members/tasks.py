from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    name="members.send_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_email(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> int:
    """Send one e-mail outside the request. Returns the number of messages sent (0 or 1).

    An SMTP server that is briefly unreachable raises OSError; the task is retried with backoff
    rather than losing a password reset or an invitation.
    """
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()
