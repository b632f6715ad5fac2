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


IMPORTS_FOLDER = "imports"


@shared_task(name="members.purge_stale_imports", soft_time_limit=120, time_limit=180)
def purge_stale_imports(*, max_age_hours: int = 24) -> int:
    """Delete uploaded import files that were previewed but never confirmed. Returns how many went.

    Files wait in the default storage between preview and confirmation; a file older than a day will
    not be confirmed any more (the session holding its name has moved on)."""
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    if not default_storage.exists(IMPORTS_FOLDER):
        return 0
    limit = timezone.now() - timedelta(hours=max_age_hours)
    purged = 0
    for name in default_storage.listdir(IMPORTS_FOLDER)[1]:
        path = f"{IMPORTS_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < limit:
            default_storage.delete(path)
            purged += 1
    return purged
