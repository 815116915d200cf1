"""python manage.py render_minutes MEETING_ID -o FILE: the meeting's latest minutes as PDF."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting, Minutes
from meetings.pdf import pdf_filename, render_minutes_pdf


class Command(BaseCommand):
    help = (
        "Render the latest minutes of a meeting (an amendment if there is one) to PDF. "
        "Final minutes print their frozen snapshot; drafts are watermarked."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", type=int)
        parser.add_argument(
            "-o",
            "--output",
            help="PDF file to write (default: bien-ban-<cell>-<yyyy-mm>.pdf here).",
        )

    def handle(self, *args, meeting_id, output, **options):
        if not Meeting.objects.filter(pk=meeting_id).exists():
            raise CommandError(f"No meeting {meeting_id}.")
        minutes = (
            Minutes.objects.filter(meeting_id=meeting_id)
            .select_related("meeting__cell")
            .order_by("-pk")
            .first()
        )
        if minutes is None:
            raise CommandError(f"Meeting {meeting_id} has no minutes yet.")
        path = Path(output or pdf_filename(minutes))
        started = time.perf_counter()
        data = render_minutes_pdf(minutes)
        elapsed = time.perf_counter() - started
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from None
        kind = "final (snapshot)" if minutes.is_final else "draft"
        self.stdout.write(
            f"Wrote {path} ({len(data)} bytes) from the {kind} minutes {minutes.pk} "
            f"in {elapsed:.2f} s."
        )
