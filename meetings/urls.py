"""Meeting URLs. Each views module appends its own routes below."""

urlpatterns: list = []

# The minutes' PDF (meetings/views/pdf.py)
from django.urls import path  # noqa: E402

from .views import pdf as pdf_views  # noqa: E402

urlpatterns += [
    path("minutes/<int:pk>/pdf/", pdf_views.minutes_pdf, name="minutes_pdf"),
]

# Schedules, assignments, cadre visits and quotas ----------------------------------------
from django.urls import path  # noqa: E402

from .views import cadres, schedule  # noqa: E402

urlpatterns += [
    path("", schedule.meeting_list, name="meeting_list"),
    path("new/", schedule.meeting_create, name="meeting_create"),
    path("<int:pk>/change/", schedule.meeting_reschedule, name="meeting_reschedule"),
    path("<int:pk>/visit/", cadres.visit_edit, name="visit_edit"),
    path("thematic/", schedule.thematic_report, name="thematic_report"),
    path("cadre/", cadres.cadre_home, name="cadre_home"),
    path("quotas/", cadres.quota_report, name="quota_report"),
    path("assignments/", cadres.assignment_list, name="assignment_list"),
    path("assignments/new/", cadres.assignment_create, name="assignment_create"),
    path("assignments/bulk/", cadres.assignment_bulk, name="assignment_bulk"),
    path("assignments/<int:pk>/end/", cadres.assignment_end, name="assignment_end"),
]
