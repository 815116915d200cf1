"""All of a period's final minutes of a subtree in one ZIP, always built by a
worker (chibo.exports): the archived PDFs (checked against their SHA-256;
minutes not archived yet are printed from their snapshot), and an index
(`muc-luc.csv`: cell, date, number, file, SHA-256) that a spreadsheet opens
as text, every value written so that none acts as a formula."""

import csv
import hashlib
import io
import zipfile

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from chibo import xlsx
from chibo.exports import Builder, register
from chibo.models import Organization
from meetings.models import Minutes, MinutesState
from meetings.pdf import archived_pdf, pdf_filename, render_minutes_pdf
from meetings.selectors.schedule import report_cells

from . import periods
from .rollup import data_version, report_root

MINUTES_ZIP = "minutes-zip"
INDEX = "muc-luc.csv"
INDEX_HEADER = ["Chi bộ", "Ngày họp", "Số biên bản", "Tệp", "SHA-256"]


def filename(organization: Organization, period: periods.Period) -> str:
    return f"bien-ban-{slugify(organization.code or organization.pk)}-{period.code}.zip"


def final_minutes(user, organization: Organization, period: periods.Period):
    """The final minutes of the subtree's meetings of the period, by cell and date."""
    cells = report_cells(user, period.start, period.end).filter(path__startswith=organization.path)
    return (
        Minutes.objects.filter(
            state=MinutesState.FINAL,
            meeting__cell__in=cells.values("pk"),
            meeting__period__gte=period.start,
            meeting__period__lt=period.end,
        )
        .select_related("meeting__cell")
        .order_by("meeting__cell__path", "meeting__scheduled_at", "pk")
    )


def build(*, user, parameters: dict, progress):
    organization = report_root(user, parameters["organization"])
    period = periods.parse(parameters["period"], today=timezone.localdate())
    minutes = final_minutes(user, organization, period)
    progress.start(minutes.count())
    output = xlsx.spooled()
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow(INDEX_HEADER)
    names = set()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for row in progress.track(minutes.iterator(chunk_size=200)):
            data = _pdf(row)
            name = _unique(
                f"{slugify(row.meeting.cell.code or row.meeting.cell_id)}/{pdf_filename(row)}",
                names,
            )
            archive.writestr(name, data)
            writer.writerow(
                [
                    _text(row.meeting.cell.name),
                    f"{timezone.localtime(row.meeting.scheduled_at):%d/%m/%Y}",
                    row.number or "",
                    name,
                    hashlib.sha256(data).hexdigest(),
                ]
            )
        # With a byte-order mark so that a spreadsheet reads the Vietnamese right.
        archive.writestr(INDEX, "\ufeff" + index.getvalue())
    output.seek(0)
    return output


def _pdf(minutes: Minutes) -> bytes:
    """The archived PDF; a file that no longer matches its hash fails the
    whole ZIP (ArchiveError) rather than be replaced silently."""
    if not minutes.pdf_sha256:  # not archived yet (the worker is behind): print the snapshot
        return render_minutes_pdf(minutes)
    return archived_pdf(minutes)


def _unique(name: str, taken: set) -> str:
    stem, dot, suffix = name.rpartition(".")
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{stem}-{n}{dot}{suffix}", n + 1
    taken.add(candidate)
    return candidate


def _text(value: str) -> str:
    """A cell name as the index holds it: never a formula in a spreadsheet."""
    return f"'{value}" if xlsx.is_formula_like(value) else value


register(
    Builder(
        kind=MINUTES_ZIP,
        title=gettext_lazy("Minutes of the period (ZIP)"),
        build=build,
        content_type="application/zip",
        suffix=".zip",
        version=data_version,
    )
)
