"""Pure date rules of the meeting calendar: no database, no clock.

A cell's regular meeting falls on a day of the month (the 3rd by default,
national guidance of 2025; a cell may keep its own, such as the 24th) or on
the nth weekday of the month (week 1–4, 5 = the last one). A day past the
month's end is clamped to its last day (the 31st in February is the 28th or
29th).

A meeting day that falls on a public holiday moves to the next day that is
not a holiday. Weekends do NOT move a meeting: village cells often meet on
Saturday or Sunday evenings, when members are home from the fields or from
work. Days off around Tết that fall on a weekend are therefore listed as
holidays themselves (the Holiday table holds every day of the break).
"""

import calendar
import datetime
from collections.abc import Container

LAST_WEEK = 5
MAX_SHIFT_DAYS = 31


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(period: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after `period`'s month."""
    index = period.year * 12 + period.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_of_month(period: datetime.date) -> datetime.date:
    return add_months(period, 1) - datetime.timedelta(days=1)


def parse_month(text: str) -> datetime.date:
    """'2026-03' -> 2026-03-01; ValueError for anything else."""
    try:
        year, month = text.strip().split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(f"Expected a month as YYYY-MM, got {text!r}.") from None


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First day of the quarter and first day of the next one (exclusive end)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"A quarter is 1 to 4, got {quarter}.")
    start = datetime.date(year, 3 * quarter - 2, 1)
    return start, add_months(start, 3)


def parse_quarter(text: str) -> tuple[int, int]:
    """'2026-Q1' (or '2026-q1') -> (2026, 1); ValueError otherwise."""
    try:
        year, quarter = text.strip().upper().split("-Q")
        result = int(year), int(quarter)
        quarter_bounds(*result)
        return result
    except ValueError:
        raise ValueError(f"Expected a quarter as YYYY-Qn, got {text!r}.") from None


def nominal_day(
    period: datetime.date,
    *,
    day: int = 3,
    week: int | None = None,
    weekday: int | None = None,
) -> datetime.date:
    """The rule's day in the month of `period`, before any holiday shift."""
    if week is not None and weekday is not None:
        return nth_weekday(period, week=week, weekday=weekday)
    if not 1 <= day <= 31:
        raise ValueError(f"A meeting day is 1 to 31, got {day}.")
    return period.replace(day=min(day, calendar.monthrange(period.year, period.month)[1]))


def nth_weekday(period: datetime.date, *, week: int, weekday: int) -> datetime.date:
    """The `week`-th `weekday` (0 = Monday) of the month; week 5 is the last."""
    if not 1 <= week <= LAST_WEEK or not 0 <= weekday <= 6:
        raise ValueError(f"Week is 1 to 5 and weekday 0 to 6, got {week}, {weekday}.")
    if week == LAST_WEEK:
        last = last_of_month(period)
        return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)
    first = first_of_month(period)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def next_working_day(day: datetime.date, holidays: Container[datetime.date]) -> datetime.date:
    """`day` itself, or the first following day that is not a holiday.

    Only holidays count: Saturdays and Sundays are working days for a cell
    (see the module docstring)."""
    for _ in range(MAX_SHIFT_DAYS):
        if day not in holidays:
            return day
        day += datetime.timedelta(days=1)
    raise ValueError("More than a month of consecutive holidays: check the holiday data.")


def meeting_day(
    period: datetime.date,
    *,
    day: int = 3,
    week: int | None = None,
    weekday: int | None = None,
    holidays: Container[datetime.date] = frozenset(),
) -> datetime.date:
    """The date of a cell's regular meeting for the month of `period`."""
    return next_working_day(nominal_day(period, day=day, week=week, weekday=weekday), holidays)
