"""The report's spreadsheet: a summary sheet, a sheet of the figures per
sub-organization, one of every cell and one per list of exceptions (every line of them),
written in openpyxl's write-only mode through chibo.xlsx (no text can act
as a formula). Small reports are sent at once, large ones built by a worker
(chibo.exports) from the same function."""

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Font

from chibo import xlsx
from chibo.exports import Builder, register
from chibo.models import Organization

from . import periods
from .rollup import LABELS, cell_figures, data_version, report_root, rollup
from .then import NOW

REPORT = "report"
CONTENT_TYPE = xlsx.CONTENT_TYPE
BOLD = Font(bold=True)


def filename(organization: Organization, period: periods.Period) -> str:
    return f"bao-cao-{slugify(organization.code or organization.pk)}-{period.code}.xlsx"


def build(*, user, parameters: dict, progress):
    """The workbook of the report `parameters` name, for `user` as they are now
    (a worker checks their access again: 404 or 403 if it was withdrawn)."""
    organization = report_root(user, parameters["organization"])
    period = periods.parse(parameters["period"], today=timezone.localdate())
    now = timezone.now()
    tree = parameters.get("tree", NOW)
    result = rollup(user, root=organization, period=period, now=now, every_line=True, tree=tree)
    everything = result.exceptions
    cells = cell_figures(user, root=organization, period=period, now=now, tree=tree)
    progress.start(len(result.rows) + len(cells) + 5)
    workbook, summary = xlsx.write_only(_("Summary"))
    xlsx.append(summary, [xlsx.cell(summary, result.root.name, font=BOLD)])
    xlsx.append(summary, [_("Period"), str(period.label)])
    xlsx.append(summary, [])
    for name, label in LABELS:
        xlsx.append(summary, [str(label), getattr(result.total, name)])
    xlsx.append(summary, [_("Median days to answer"), result.median_answer_days])
    rows = workbook.create_sheet(_("By organization"))
    xlsx.append(rows, [_("Organization"), *(str(label) for _name, label in LABELS)])
    for row in result.rows:
        xlsx.append(rows, [row.organization.name, *(getattr(row.figures, n) for n, _l in LABELS)])
        progress.advance()
    by_cell = workbook.create_sheet(_("Cells"))
    xlsx.append(by_cell, [_("Cell"), *(str(label) for _name, label in LABELS[1:])])
    for row in progress.track(cells):
        xlsx.append(
            by_cell, [row.organization.name, *(getattr(row.figures, n) for n, _l in LABELS[1:])]
        )
    _sheet(
        workbook,
        _("No regular meeting"),
        [_("Cell"), _("Months missing")],
        ([cell.name, missing] for cell, missing in everything.no_regular),
    )
    meeting_columns = [_("Cell"), _("Date"), _("Meeting")]
    for title, meetings in (
        (_("Minutes unfinished"), everything.unfinished),
        (_("Short meetings"), everything.short),
    ):
        _sheet(
            workbook,
            title,
            meeting_columns,
            (
                [
                    m.cell.name,
                    _local(m.scheduled_at),
                    m.get_kind_display(),
                ]
                for m in meetings
            ),
        )
    _sheet(
        workbook,
        _("No thematic meeting"),
        [_("Cell"), _("Quarter")],
        (
            [cell.name, f"{start.year}-Q{(start.month - 1) // 3 + 1}"]
            for cell, start in everything.no_thematic
        ),
    )
    _sheet(
        workbook,
        _("Overdue feedback"),
        [_("Cell"), "#", _("Feedback"), _("Due on")],
        ([i.cell.name, i.pk, i.text, i.due_on] for i in everything.overdue),
    )
    _sheet(
        workbook,
        _("Absent three in a row"),
        [_("Member"), _("Cell"), _("Last meeting")],
        ([a.full_name, a.cell_name, _local(a.scheduled_at)] for a in everything.absent_in_a_row),
    )
    _sheet(
        workbook,
        _("Cadres behind"),
        [_("Cadre"), _("Visits done"), _("Quota"), _("At risk")],
        (
            [
                c.full_name,
                c.progress.done,
                c.progress.quota,
                _("yes") if c.progress.is_at_risk else "",
            ]
            for c in everything.cadres_at_risk
        ),
    )
    progress.advance(5)
    output = xlsx.spooled()
    workbook.save(output)
    output.seek(0)
    return output


def _local(moment):
    """Excel keeps no time zone: the local time as it is read in Vietnam."""
    return timezone.localtime(moment).replace(tzinfo=None)


def _sheet(workbook, title, header, lines) -> None:
    sheet = workbook.create_sheet(title[:31])
    xlsx.append(sheet, [xlsx.cell(sheet, text, font=BOLD) for text in header])
    for line in lines:
        xlsx.append(sheet, line)


register(
    Builder(
        kind=REPORT,
        title=gettext_lazy("Report"),
        build=build,
        content_type=CONTENT_TYPE,
        suffix=".xlsx",
        version=data_version,
    )
)
