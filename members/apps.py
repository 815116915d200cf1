from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Party members")

    def ready(self):
        # Registers this app's access policies with chibo.access, and its
        # member and organization exports with chibo.exports.
        from . import exports, policies  # noqa: F401
