from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Registers the report's spreadsheet with chibo.exports (built by a worker when large).
        from . import xlsx  # noqa: F401
