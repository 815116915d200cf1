from django.contrib import admin
from django.urls import include, path

from chibo import pickers
from chibo.shell.signout import SignOutView

urlpatterns = [
    path("", include("chibo.shell.urls")),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("chibo.orgs.urls")),
    path("files/", include("chibo.exports.urls")),
    path("notifications/", include("chibo.notifications.urls")),
    path("pick/<slug:name>/", pickers.pick, name="picker"),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("feedback/", include("feedback.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
