from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Party members")

    def ready(self):
        # Registers this app's access policies with chibo.access.
        from . import policies  # noqa: F401
