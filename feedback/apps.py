from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        # Registers this app's access policies and picker source.
        from meetings import extensions

        from . import notices, pickers, policies  # noqa: F401
        from .selectors import answers_read_back

        # Feedback sits above meetings: it adds itself to the meeting's
        # minutes and page instead of meetings importing it.
        extensions.add_snapshot_part("answers_read_back", answers_read_back)
        extensions.add_page_panel("feedback/_meeting_feedback.html")
