import logging

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

log = logging.getLogger("chibo")


class ChiboConfig(AppConfig):
    name = "chibo"
    verbose_name = _("Organizations and access")

    def ready(self):
        # Registers the organizations' access policies with chibo.access, and
        # the base's picker sources (cells, organizations); apps add theirs.
        from . import pickers  # noqa: F401
        from .access import policies  # noqa: F401

        if settings.CELERY_TASK_ALWAYS_EAGER:
            log.info("REDIS_URL is not set: Celery tasks run inline in the web process.")
