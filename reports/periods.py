"""The period a report covers: a month, a quarter, a year or a range of
months, written in the URL as `2026-11`, `2026-Q4`, `2026` or
`2026-03..2026-08`, always whole months (the regular meeting is the month's,
DOMAIN.md)."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from meetings import calendar

MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"
FIRST_YEAR = 2000
# A range longer than this is a year's or several years' report.
LONGEST_RANGE = 24


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date  # the first day
    end: datetime.date  # the first day after it

    @property
    def code(self) -> str:
        """What the URL carries (parse() reads it back)."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return quarter_code(self.start)
        if self.kind == RANGE:
            return f"{self.start:%Y-%m}..{self.months[-1]:%Y-%m}"
        return f"{self.start.year}"

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def months(self) -> list[datetime.date]:
        """The first day of each month of the period."""
        months, month = [], self.start
        while month < self.end:
            months.append(month)
            month = calendar.add_months(month, 1)
        return months

    @property
    def quarters(self) -> list[tuple[datetime.date, datetime.date]]:
        """The bounds of each quarter the period lies in (a month lies in one)."""
        first = calendar.quarter_of(self.start)
        last = calendar.quarter_of(self.last_day)
        index, stop = first[0] * 4 + first[1] - 1, last[0] * 4 + last[1] - 1
        return [calendar.quarter_bounds(i // 4, i % 4 + 1) for i in range(index, stop + 1)]

    @property
    def label(self) -> str:
        """As the report's title says it: 'tháng 11 năm 2026'."""
        if self.kind == MONTH:
            return _("month %(m)d of %(y)d") % {"m": self.start.month, "y": self.start.year}
        if self.kind == QUARTER:
            quarter = calendar.quarter_of(self.start)[1]
            return _("quarter %(q)d of %(y)d") % {"q": quarter, "y": self.start.year}
        if self.kind == RANGE:
            last = self.months[-1]
            return _("months %(m1)d/%(y1)d to %(m2)d/%(y2)d") % {
                "m1": self.start.month,
                "y1": self.start.year,
                "m2": last.month,
                "y2": last.year,
            }
        return _("year %(y)d") % {"y": self.start.year}

    def previous(self) -> "Period":
        return self._shifted(-1)

    def next(self) -> "Period":
        return self._shifted(1)

    def _shifted(self, step: int) -> "Period":
        size = {MONTH: 1, QUARTER: 3, YEAR: 12}.get(self.kind) or len(self.months)
        start = calendar.add_months(self.start, step * size)
        return Period(self.kind, start, calendar.add_months(start, size))


def quarter_code(day: datetime.date) -> str:
    """The quarter `day` lies in, as the URL writes it: '2026-Q4'."""
    year, number = calendar.quarter_of(day)
    return f"{year}-Q{number}"


def month(day: datetime.date) -> Period:
    start = calendar.first_of_month(day)
    return Period(MONTH, start, calendar.add_months(start, 1))


def quarter(year: int, number: int) -> Period:
    return Period(QUARTER, *calendar.quarter_bounds(year, number))


def year(number: int) -> Period:
    return Period(YEAR, datetime.date(number, 1, 1), datetime.date(number + 1, 1, 1))


def months_between(first: datetime.date, last: datetime.date) -> Period:
    """The months from `first`'s to `last`'s, both included."""
    start = calendar.first_of_month(first)
    return Period(RANGE, start, calendar.add_months(calendar.first_of_month(last), 1))


def parse(text: str | None, *, today: datetime.date) -> Period:
    """The period `text` names; this month when it is empty. ValueError, with
    a message for the user, when it names none."""
    text = (text or "").strip()
    if not text:
        return month(today)
    ranged = re.fullmatch(r"(\d{4}-\d{2})\.\.(\d{4}-\d{2})", text)
    try:
        if ranged:
            first, last = (calendar.parse_month(part) for part in ranged.groups())
            found = months_between(first, min(last, calendar.add_months(first, LONGEST_RANGE)))
        elif re.fullmatch(r"\d{4}", text):
            found = year(int(text))
        elif re.fullmatch(r"\d{4}-[Qq][1-4]", text):
            found = quarter(*calendar.parse_quarter(text))
        else:
            found = month(calendar.parse_month(text))
    except ValueError:
        raise ValueError(
            _(
                "Choose a month (2026-11), a quarter (2026-Q4), a year (2026) "
                "or months (2026-03..2026-08)."
            )
        ) from None
    if ranged and not first <= last < calendar.add_months(first, LONGEST_RANGE):
        raise ValueError(
            _("Choose from 1 to %(n)d months, the first before the last.") % {"n": LONGEST_RANGE}
        )
    if not FIRST_YEAR <= found.start.year <= found.last_day.year <= today.year + 1:
        raise ValueError(
            _("Choose a period between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": today.year + 1}
        )
    return found


def choices(today: datetime.date, *, back: int = 12) -> list[tuple[str, str]]:
    """The picker's periods, newest first: the last months, quarters and years."""
    options, period = [], month(today)
    for _i in range(back):
        options.append((period.code, period.label))
        period = period.previous()
    period = quarter(*calendar.quarter_of(today))
    for _i in range(4):
        options.append((period.code, period.label))
        period = period.previous()
    for number in (today.year, today.year - 1):
        options.append((year(number).code, year(number).label))
    return options
