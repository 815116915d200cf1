from django.urls import path

from . import views

urlpatterns = [
    path("", views.organization_tree, name="organization_tree"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("<int:pk>/children/", views.organization_children, name="organization_children"),
    path("<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("<int:pk>/reorganize/", views.organization_reorganize, name="organization_reorganize"),
]
