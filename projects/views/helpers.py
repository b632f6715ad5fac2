from django.contrib import messages
from django.core.exceptions import ValidationError


def run_service(request, service, *, done: str, **kwargs) -> bool:
    """Run a service behind a button (no form to show errors on): its refusal becomes an error message."""
    try:
        service(**kwargs)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return False
    messages.success(request, done)
    return True


def section_url(project, anchor: str) -> str:
    return f"{project.get_absolute_url()}#{anchor}"
