from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .dashboards.coordinator import coordinator_dashboard
from .dashboards.member import member_dashboard
from .health import broker_status, database_status


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: 503 only when the database is down (a broker outage degrades
    background work but the site still serves pages)."""
    status = {"database": database_status(), "broker": broker_status()}
    return JsonResponse(status, status=200 if status["database"] == "ok" else 503)


def home(request):
    user = request.user
    if user.is_coordinator:
        return coordinator_dashboard(request)
    if user.member_id and not user.is_coordinator:
        return member_dashboard(request)
    return render(request, "home.html")
