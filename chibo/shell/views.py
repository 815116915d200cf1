"""The shell: dashboard and health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from chibo.shell.dashboard import MONTHLY_CARDS, dashboard_cards, pick_month
from feedback import selectors as feedback_selectors
from meetings import calendar


@login_required
def dashboard(request):
    today = timezone.localdate()
    month = pick_month(request.GET.get("month"), today=today)
    cards = dashboard_cards(request.user, month=month)
    return render(
        request,
        "chibo/dashboard.html",
        {
            "cards": cards,
            "feedback_counts": feedback_selectors.dashboard_counts(request.user),
            "month": month,
            "this_month": calendar.first_of_month(today),
            "previous_report_month": calendar.add_months(calendar.first_of_month(today), -1),
            "previous_month": calendar.add_months(month, -1),
            "next_month": calendar.add_months(month, 1),
            "month_matters": any(card.kind in MONTHLY_CARDS for card in cards),
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
