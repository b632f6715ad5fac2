"""The directory every logged-in user sees: current members, public fields only."""

from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..filters import MemberFilter
from ..forms import CollegeForm
from ..models import College, Member
from ..selectors import member_list_queryset
from .helpers import call_service, paginate, query_without_page, require_coordinator


def directory(request):
    members = member_list_queryset(user=request.user).in_directory()
    member_filter = MemberFilter(request.GET, queryset=members, user=None)
    members = member_filter.qs if member_filter.is_valid() else Member.objects.none()
    page = paginate(request, members)
    return render(
        request,
        "members/directory.html",
        {"filter": member_filter, "page": page, "total": page.paginator.count, "query": query_without_page(request)},
    )


def college_list(request):
    require_coordinator(request.user)
    colleges = College.objects.annotate(member_count=Count("members"))
    return render(request, "members/college_list.html", {"colleges": colleges})


def college_edit(request, pk=None):
    require_coordinator(request.user)
    college = get_object_or_404(College, pk=pk) if pk else College()
    form = CollegeForm(request.POST or None, instance=college)
    if request.method == "POST":
        if request.POST.get("delete") and college.pk:
            if call_service(form, _delete_college, actor=request.user, college=college) is not None:
                return redirect("members:college_list")
        elif form.is_valid() and call_service(
            form, services.college_save, actor=request.user, college=college, **form.cleaned_data
        ):
            return redirect("members:college_list")
    title = _("Modifier le collège") if college.pk else _("Nouveau collège")
    return render(request, "members/college_form.html", {"form": form, "college": college, "title": title})


def _delete_college(*, actor, college):
    services.college_delete(actor=actor, college=college)
    return True
