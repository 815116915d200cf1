"""Signing out, on a phone that others may use next."""

from django.contrib.auth.views import LogoutView


class SignOutView(LogoutView):
    """Signing out also wipes what this browser kept for the user: the
    minutes drafts in local storage, the editor's offline copy and its
    service worker. The browser does it (Clear-Site-Data), even if no script
    of ours runs again on this device."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
