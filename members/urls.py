from django.urls import path

from .views import roll

urlpatterns = [
    path("", roll.member_list, name="member_list"),
    path("new/", roll.member_create, name="member_create"),
    path("<int:pk>/", roll.member_detail, name="member_detail"),
    path("<int:pk>/edit/", roll.member_edit, name="member_edit"),
]
