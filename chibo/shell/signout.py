"""Signing out, on a phone that others may use next."""

from django.contrib.auth.views import LogoutView


class SignOutView(LogoutView):
    """Signing out also wipes what this browser kept for the user: the
    minutes drafts in local storage, the editor's offline copy and its
    service worker. The browser does it (Clear-Site-Data), even if no script
    of ours runs again on this device."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # "storage" only: the static files in the HTTP cache hold nothing of
        # the user's and a phone should not download them all again.
        response["Clear-Site-Data"] = '"storage"'
        return response
