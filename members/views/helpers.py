from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator

PAGE_SIZE = 25


def require_coordinator(user) -> None:
    if not user.is_coordinator:
        raise PermissionDenied


def call_service(form, service, **kwargs):
    """Run a service for a bound, valid form; its ValidationError lands on the form's fields.

    Returns the service's result, or None when it refused (the form then carries the errors)."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(NON_FIELD_ERRORS, error)
        return None


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current filters as a query string, to build pagination and sort links that keep them."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
