from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str):
    """A table header that sorts by `field`, toggling the direction, keeping the other filters."""
    request = context["request"]
    current = request.GET.get("ordering", "")
    query = request.GET.copy()
    query.pop("page", None)
    descending = current == field
    query["ordering"] = f"-{field}" if descending else field
    if current == field:
        aria, arrow = "ascending", " ▲"
    elif current == f"-{field}":
        aria, arrow = "descending", " ▼"
    else:
        aria, arrow = "none", ""
    hint = _("trier par ordre décroissant") if descending else _("trier par ordre croissant")
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="?{}" title="{}">{}{}</a></th>',
        aria,
        query.urlencode(),
        hint,
        label,
        arrow,
    )


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
