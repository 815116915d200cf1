"""Meeting URLs. Each views module appends its own routes below."""

urlpatterns: list = []

# The minutes' PDF (meetings/views/pdf.py)
from django.urls import path  # noqa: E402

from .views import pdf as pdf_views  # noqa: E402

urlpatterns += [
    path("minutes/<int:pk>/pdf/", pdf_views.minutes_pdf, name="minutes_pdf"),
]

# A meeting's page, attendance and minutes (meetings/views/meeting.py, attendance.py, minutes.py)
from .views import attendance as attendance_views  # noqa: E402
from .views import meeting as meeting_views  # noqa: E402
from .views import minutes as minutes_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/attendance/", attendance_views.attendance_edit, name="attendance_edit"),
    path("<int:pk>/minutes/", minutes_views.minutes_edit, name="minutes_edit"),
    path(
        "<int:pk>/minutes/autosave/",
        minutes_views.minutes_autosave_first,
        name="minutes_autosave_first",
    ),
    path("minutes/<int:pk>/autosave/", minutes_views.minutes_autosave, name="minutes_autosave"),
    path("minutes/<int:pk>/finalize/", minutes_views.minutes_finalize, name="minutes_finalize"),
    path("minutes/<int:pk>/amend/", minutes_views.minutes_amend, name="minutes_amend"),
    path("minutes/<int:pk>/history/", minutes_views.minutes_history, name="minutes_history"),
    path("minutes-sw.js", minutes_views.minutes_service_worker, name="minutes_service_worker"),
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
    path("quotas/<int:pk>/", cadres.quota_report_org, name="quota_report_org"),
    path("assignments/", cadres.assignment_list, name="assignment_list"),
    path("assignments/new/", cadres.assignment_create, name="assignment_create"),
    path("assignments/bulk/", cadres.assignment_bulk, name="assignment_bulk"),
    path("assignments/<int:pk>/end/", cadres.assignment_end, name="assignment_end"),
]
