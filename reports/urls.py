from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_home, name="report_home"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("<int:pk>/charts/<slug:name>.svg", views.report_chart, name="report_chart"),
    path("<int:pk>/minutes.zip/", views.report_minutes_zip, name="report_minutes_zip"),
]
