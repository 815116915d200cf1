"""The shell: dashboard and health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from chibo.shell.dashboard import dashboard_cards
from feedback import selectors as feedback_selectors


@login_required
def dashboard(request):
    return render(
        request,
        "chibo/dashboard.html",
        {
            "cards": dashboard_cards(request.user),
            "feedback_counts": feedback_selectors.dashboard_counts(request.user),
        },
    )


@never_cache
def health(request):
    """For load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return JsonResponse({"database": "down"}, status=503)
    return JsonResponse({"database": "ok"})
