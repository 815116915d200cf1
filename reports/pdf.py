"""The official report as PDF (format guidance 36-HD/VPTW, as the minutes):
the issuing committee's header, the party's name and the date line, the
title, the sections, the recipients and the signature block. Built from the
roll-up the page shows, with the clerk's assessment and signature typed in
the form; summaries and lists of exceptions, never a table of every cell.
The fixed words are Vietnamese: it is an official Vietnamese document."""

import datetime
import io
import unicodedata

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from chibo.exports import Builder, register
from chibo.models import Organization
from chibo.pdf import GENERATED, render_pdf
from meetings.snapshot import PARTY, committee_name, date_words

from . import charts, periods
from .rollup import Rollup, Trends, cached_rollup, cached_trends, data_version, report_root
from .then import NOW

REPORT_PDF = "report-pdf"
# What the clerk types in (forms.SignatureForm), as the worker's parameters carry it.
SIGNATURE_FIELDS = ("assessment", "recipients", "signer_title", "signer_name")

TITLE = "BÁO CÁO"
BLANK_NUMBER = "\u00a0" * 6


def document(
    result: Rollup,
    *,
    pictures: list[tuple[str, str]] = (),
    superior: Organization | None,
    assessment: str,
    recipients: str,
    signer_title: str,
    signer_name: str,
    on: datetime.date,
    number: int | None = None,
) -> dict:
    """What the template prints: plain values, already in Vietnamese."""
    root = result.root
    with translation.override("vi"):
        period = str(result.period.label)
    issuer = committee_name(root.name)
    place = root.place_name or _place(root.name)
    return {
        "header": {
            "superior": (superior.name if superior else "").upper(),
            "cell": issuer.upper(),  # the issuing body, named as in the minutes' header
            "number_text": f"Số {BLANK_NUMBER if number is None else f'{number:02d}'}"
            f"-BC/{_initials(issuer)}",
            "party": PARTY,
            "date_line": f"{place}, {date_words(on)}",
        },
        "title": TITLE,
        "summary": f"Kết quả sinh hoạt chi bộ {period}",
        "period": period,
        "total": result.total,
        "rows": result.rows,
        "exceptions": result.exceptions,
        "median_answer_days": _comma(result.median_answer_days),
        "root": root,
        "assessment": [line for line in assessment.splitlines() if line.strip()],
        "recipients": [line.strip() for line in recipients.splitlines() if line.strip()],
        "signer_title": signer_title.strip(),
        "signer_name": signer_name.strip(),
        "issuer_short": issuer,
        "charts": list(pictures),
    }


def render(result: Rollup, *, user, trends: Trends, **form) -> bytes:
    """The PDF; its charts are the page's own drawings, as PNG images."""
    with translation.override("vi"):
        shown = charts.shown(result)
        drawn = {
            f"{chart.name}.png": (
                charts.cached(user, chart.name, result, trends, charts.PNG),
                "image/png",
            )
            for chart in shown
        }
    pictures = [(chart.title, f"{GENERATED}{chart.name}.png") for chart in shown]
    return render_pdf(
        "reports/pdf/report.html",
        {"doc": document(result, pictures=pictures, **form)},
        generated=drawn,
    )


def build(*, user, parameters: dict, progress):
    """The PDF a worker builds for a large report (chibo.exports), with what
    the clerk typed, on the day they asked for it."""
    organization = report_root(user, parameters["organization"])
    period = periods.parse(parameters["period"], today=timezone.localdate())
    tree = parameters.get("tree", NOW)
    progress.start(1)
    result = cached_rollup(user, root=organization, period=period, tree=tree)
    content = render(
        result,
        user=user,
        trends=cached_trends(user, root=organization, period=period, tree=tree),
        superior=Organization.objects.get_parent(organization),
        on=datetime.date.fromisoformat(parameters["on"]),
        number=parameters.get("number"),
        **{name: parameters.get(name, "") for name in SIGNATURE_FIELDS},
    )
    progress.advance()
    return io.BytesIO(content)


def filename(organization: Organization, period) -> str:
    return f"bao-cao-{slugify(organization.code or organization.pk)}-{period.code}.pdf"


def _comma(number: float | None) -> str | None:
    """A decimal as Vietnamese writes it: 4,5."""
    return None if number is None else f"{number:g}".replace(".", ",")


def _initials(name: str) -> str:
    """'Đảng ủy xã Cò Nòi' -> 'ĐU': the sign after the number (-BC/ĐU)."""
    # The base letter of each word: 'ủy' gives U (NFD splits off the marks; Đ has none).
    return "".join(unicodedata.normalize("NFD", word)[0].upper() for word in name.split()[:2])


def _place(name: str) -> str:
    """'Đảng bộ xã Cò Nòi' -> 'Cò Nòi': the date line's place without a place name."""
    for prefix in ("Đảng bộ xã", "Đảng bộ phường", "Đảng bộ tỉnh", "Đảng bộ thành phố", "Chi bộ"):
        if name.startswith(prefix):
            return name[len(prefix) :].strip() or name
    return name


register(
    Builder(
        kind=REPORT_PDF,
        title=gettext_lazy("Report (PDF)"),
        build=build,
        content_type="application/pdf",
        suffix=".pdf",
        version=data_version,
    )
)
