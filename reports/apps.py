from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Registers the report's spreadsheet and PDF (built by a worker when
        # large) and the ZIP of the period's minutes (always by a worker) with
        # chibo.exports.
        from . import minutes_zip, pdf, xlsx  # noqa: F401
