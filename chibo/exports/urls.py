from django.urls import path

from . import views

urlpatterns = [
    path("", views.export_list, name="export_list"),
    path("<int:pk>/", views.export_detail, name="export_detail"),
    path("<int:pk>/download/", views.export_download, name="export_download"),
    path("<int:pk>/rebuild/", views.export_rebuild, name="export_rebuild"),
]
