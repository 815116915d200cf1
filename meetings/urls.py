"""Meeting URLs. Each views module appends its own routes below."""

urlpatterns: list = []

# The minutes' PDF (meetings/views/pdf.py)
from django.urls import path  # noqa: E402

from .views import pdf as pdf_views  # noqa: E402

urlpatterns += [
    path("minutes/<int:pk>/pdf/", pdf_views.minutes_pdf, name="minutes_pdf"),
]
