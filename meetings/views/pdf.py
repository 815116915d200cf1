"""Download the minutes as PDF: final ones from the archive (from their snapshot while
the archive is being printed), drafts freshly rendered."""

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseServerError
from django.utils.translation import gettext as _

from chibo import access

from ..models import Minutes
from ..pdf import ArchiveError, archived_pdf, pdf_filename, render_minutes_pdf

logger = logging.getLogger(__name__)


@login_required
def minutes_pdf(request, pk):
    minutes = access.get_or_deny(
        request.user, Minutes, access.VIEW, pk=pk, related=["meeting__cell"]
    )
    if minutes.is_final and not minutes.pdf_sha256:
        # Finalized a moment ago, the archive is being printed in the
        # background: print the same snapshot now rather than make them wait.
        data = render_minutes_pdf(minutes)
    elif minutes.is_final:
        try:
            data = archived_pdf(minutes)
        except ArchiveError:
            # Never hand out a file that may have been altered: the archive is
            # the legal record. Logged at ERROR so the administrators see it.
            logger.exception("Refused to serve the archived PDF of minutes %s", minutes.pk)
            return HttpResponseServerError(
                _(
                    "The archived file of these minutes failed its integrity check and was not "
                    "served. The administrators have been told."
                ),
                content_type="text/plain; charset=utf-8",
            )
    else:
        data = render_minutes_pdf(minutes)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(minutes)}"'
    # Drafts change with every save; nobody between should keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response
