"""The official minutes as PDF, rendered from their snapshot."""

import hashlib
import hmac

from chibo.pdf import render_pdf

from .models import Minutes
from .snapshot import build_snapshot

TEMPLATE = "meetings/pdf/minutes.html"


class ArchiveError(Exception):
    """The archived PDF of final minutes is missing or does not match its hash."""


def render_minutes_pdf(minutes: Minutes, snapshot: dict | None = None) -> bytes:
    """The minutes as PDF bytes.

    Final minutes always print their stored snapshot, so later changes to
    names never alter them. Otherwise `snapshot` (finalize passes the one it
    is about to store) or a fresh one is printed; without a given snapshot,
    draft minutes carry a "DỰ THẢO" watermark.
    """
    if minutes.is_final and minutes.snapshot:
        snapshot, is_draft = minutes.snapshot, False
    elif snapshot is not None:
        is_draft = False
    else:
        snapshot, is_draft = build_snapshot(minutes), not minutes.is_final
    return render_pdf(TEMPLATE, minutes_context(snapshot, is_draft=is_draft))


def minutes_context(snapshot: dict, *, is_draft: bool) -> dict:
    """The template's context: the snapshot, and its free texts cut into
    paragraphs (one per line typed) so each gets the first-line indent."""
    return {
        "doc": snapshot,
        "is_draft": is_draft,
        "text": {key: paragraphs(value) for key, value in snapshot["sections"].items()},
        "speeches": [
            {"label": speech["label"], "paragraphs": paragraphs(speech["text"])}
            for speech in snapshot["speeches"]
        ],
    }


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def archived_pdf(minutes: Minutes) -> bytes:
    """The PDF stored when the minutes were finalized, checked against its hash."""
    if not minutes.pdf or not minutes.pdf_sha256:
        raise ArchiveError(f"Final minutes {minutes.pk} have no archived PDF.")
    try:
        with minutes.pdf.open("rb") as stored:
            data = stored.read()
    except OSError as error:
        raise ArchiveError(f"The archived PDF of minutes {minutes.pk} cannot be read.") from error
    digest = hashlib.sha256(data).hexdigest()
    if not hmac.compare_digest(digest, minutes.pdf_sha256):
        raise ArchiveError(
            f"The archived PDF of minutes {minutes.pk} ({minutes.pdf.name}) does not match "
            f"its sha256: stored {minutes.pdf_sha256}, file {digest}."
        )
    return data


def pdf_filename(minutes: Minutes) -> str:
    """bien-ban-<cell code>-<yyyy-mm>.pdf (an amendment adds -dinh-chinh)."""
    meeting = minutes.meeting
    suffix = "-dinh-chinh" if minutes.amends_id else ""
    return f"bien-ban-{meeting.cell.code}-{meeting.period:%Y-%m}{suffix}.pdf"
