"""The report's charts, drawn on the server as SVG with matplotlib from the
roll-up and its trends: meetings held by month over the year, the attendance
rate by sub-organization, the feedback of the period by state.

The page shows each chart as an SVG image of its own URL (an SVG image runs
no script, and the page's strict CSP forbids the inline styles matplotlib
writes). The PDF shows the same drawing as a PNG at PRINT_DPI (chibo.pdf's
`generated:` images): WeasyPrint takes 0.7 s to draw the three SVGs' paths,
nothing to place a PNG.
Text is drawn as paths with matplotlib's own DejaVu Sans, which has every
Vietnamese letter: no font depends on the browser or the machine.

matplotlib is imported inside the functions (about a second), like WeasyPrint.
"""

import io
import threading
from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo import figures
from feedback.models import FeedbackState

from .rollup import KINDS, Rollup, Trends, drawn_key

MONTHS, ATTENDANCE, FEEDBACK = "months", "attendance", "feedback"
NAMES = (MONTHS, ATTENDANCE, FEEDBACK)
# More bars than this would not read on a phone: the lowest rates are the ones to act on.
MOST_BARS = 25
RED, GREY, GOLD = "#a50e0e", "#9e9e9e", "#c58b00"
# Inches: the page scales the image to its column (a phone's 336 px: the 11 pt
# text reads at about 10 px), the PDF to 80 % of its text width.
WIDTH = 5.0
PRINT_DPI = 200
SVG, PNG = "svg", "png"

# matplotlib's figure machinery keeps some global state (font caches): one drawing at a time.
_lock = threading.Lock()


@dataclass(frozen=True)
class Chart:
    name: str
    title: str


def shown(result: Rollup) -> list[Chart]:
    """The charts a report has: a cell's report has no sub-organizations to compare."""
    year = result.period.start.year
    charts = [Chart(MONTHS, _("Meetings held by month, %(year)d") % {"year": year})]
    if result.root.kind != "cell":
        charts.append(Chart(ATTENDANCE, _("Attendance rate by organization (%)")))
    charts.append(Chart(FEEDBACK, _("Feedback of the period by state")))
    return charts


def cached_svg(user, name: str, result: Rollup, trends: Trends) -> str:
    """`svg`, memoised like the roll-up it draws, per language."""
    return cached(user, name, result, trends, SVG)


def cached(user, name: str, result: Rollup, trends: Trends, kind: str):
    """The chart as SVG text or PNG bytes, memoised like the roll-up it
    draws, per language."""
    return figures.memoised(
        f"report-chart-{name}-{kind}",
        kinds=KINDS,
        key=drawn_key(user, result),
        compute=lambda: svg(name, result, trends) if kind == SVG else png(name, result, trends),
    )


def svg(name: str, result: Rollup, trends: Trends) -> str:
    return _drawn(name, result, trends, SVG).decode()


def png(name: str, result: Rollup, trends: Trends) -> bytes:
    return _drawn(name, result, trends, PNG)


def _drawn(name: str, result: Rollup, trends: Trends, kind: str) -> bytes:
    draw = {MONTHS: _months, ATTENDANCE: _attendance, FEEDBACK: _feedback}[name]
    with _lock:
        from matplotlib import rc_context
        from matplotlib.figure import Figure

        # A fixed salt: the same figures give the same file (ids are hashes otherwise random).
        with rc_context(
            {
                "svg.hashsalt": "chibo",
                "font.size": 11,
                "axes.spines.top": False,
                "axes.spines.right": False,
            }
        ):
            figure = Figure(figsize=(WIDTH, 3.0), layout="constrained")
            draw(figure, result, trends)
            out = io.BytesIO()
            if kind == SVG:
                figure.savefig(out, format="svg", metadata={"Date": None})
            else:  # no timestamp either: the same figures give the same file
                figure.savefig(out, format="png", dpi=PRINT_DPI, metadata={"Software": None})
    return out.getvalue()


def _months(figure, result: Rollup, trends: Trends) -> None:
    axes = figure.subplots()
    positions = range(len(trends.by_month))
    regular = [held for _month, held, _thematic in trends.by_month]
    thematic = [thematic for _month, _held, thematic in trends.by_month]
    axes.bar([p - 0.2 for p in positions], regular, width=0.4, color=RED, label=_("Regular"))
    axes.bar([p + 0.2 for p in positions], thematic, width=0.4, color=GOLD, label=_("Thematic"))
    if result.total.cells:
        axes.axhline(result.total.cells, color=GREY, linestyle="--", linewidth=1)
        axes.annotate(
            ngettext("%(n)d cell", "%(n)d cells", result.total.cells) % {"n": result.total.cells},
            xy=(0, result.total.cells),
            xycoords=("axes fraction", "data"),
            xytext=(2, 2),
            textcoords="offset points",
            color="#555555",
        )
    axes.set_xticks(
        list(positions), labels=[date_format(month, "n") for month, _h, _t in trends.by_month]
    )
    axes.set_xlabel(_("Month"))
    axes.yaxis.set_major_locator(_whole_numbers())
    axes.set_ylim(bottom=0, top=max([*regular, *thematic, result.total.cells, 1]) * 1.15)
    figure.legend(loc="outside upper right", frameon=False, ncols=2)


def lowest_rates(rows: list) -> tuple[list, int]:
    """The rows with an attendance rate, lowest first, at most MOST_BARS of
    them, and how many have one."""
    rated = [row for row in rows if row.figures.attendance_rate is not None]
    rated.sort(key=lambda row: (row.figures.attendance_rate, row.organization.name))
    return rated[:MOST_BARS], len(rated)


def _attendance(figure, result: Rollup, trends: Trends) -> None:
    rows, rated = lowest_rates(result.rows)
    figure.set_figheight(max(1.6, 0.7 + 0.3 * len(rows)))
    axes = figure.subplots()
    if not rows:
        axes.set_axis_off()
        axes.text(0.5, 0.5, _("No meeting held in the period."), ha="center", va="center")
        return
    names = [_short(row.organization.name) for row in rows]
    rates = [row.figures.attendance_rate for row in rows]
    axes.barh(range(len(rows)), rates, height=0.6, color=RED)
    axes.set_yticks(range(len(rows)), labels=names)
    axes.set_ylim(len(rows) - 0.4, -0.6)  # the first row on top, bars of one height
    axes.set_xlim(0, 100)
    for index, rate in enumerate(rates):
        axes.text(rate + 1, index, number_format(rate), va="center", fontsize=10)
    if rated > len(rows):
        axes.set_title(
            _("The %(n)d lowest of %(total)d") % {"n": len(rows), "total": rated},
            loc="left",
            fontsize=10,
            color="#555555",
        )


def _feedback(figure, result: Rollup, trends: Trends) -> None:
    axes = figure.subplots()
    labels = [str(FeedbackState(state).label) for state, _n in trends.by_state]
    counts = [n for _state, n in trends.by_state]
    axes.barh(range(len(counts)), counts, height=0.6, color=RED)
    axes.set_yticks(range(len(counts)), labels=[label.capitalize() for label in labels])
    axes.invert_yaxis()
    axes.set_xlim(0, max([*counts, 1]) * 1.15)
    axes.xaxis.set_major_locator(_whole_numbers())
    for index, count in enumerate(counts):
        axes.text(count, index, f" {count}", va="center", fontsize=10)


def _whole_numbers():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _short(name: str, most: int = 26) -> str:
    return name if len(name) <= most else name[: most - 1] + "…"
