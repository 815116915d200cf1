from django.urls import path

from .views import roll

urlpatterns = [
    path("", roll.member_list, name="member_list"),
    path("new/", roll.member_create, name="member_create"),
    path("<int:pk>/", roll.member_detail, name="member_detail"),
    path("<int:pk>/edit/", roll.member_edit, name="member_edit"),
]

from .views import xlsx  # noqa: E402

urlpatterns += [
    path("import/", xlsx.member_import, name="member_import"),
    path("export.xlsx", xlsx.member_export, name="member_export"),
    path("import/template.xlsx", xlsx.member_import_template, name="member_import_template"),
    path("organizations/import/", xlsx.organization_import, name="organization_import"),
    path("organizations/export.xlsx", xlsx.organization_export, name="organization_export"),
    path(
        "organizations/import/template.xlsx",
        xlsx.organization_import_template,
        name="organization_import_template",
    ),
]
