from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Registers this app's access policies and picker sources.
        from . import notices, pickers, policies  # noqa: F401
