"""Pure rules of a cadre's yearly visit quota: no database, no clock.

One function says where a cadre stands, so the quota report, the cadre's
page, the dashboard and any later reminder agree:

- **behind**: the pace is missed. After `elapsed` whole days of the year
  (today not counted: a visit may still happen today), an even pace owes
  ``quota × elapsed / days in the year`` visits, kept as an exact fraction.
  Behind when fewer visits are done. Nothing is rounded, so a quota of 2
  is behind with 0 visits from 2 January and with 1 visit from 2 July
  (rounding down flagged 1 of 2 only on 31 December). A past year owes the
  whole quota; a future year owes nothing yet.
- **at risk**: the quota can no longer be met: the visits still needed are
  more than the meetings of the cadre's assigned cells left this year
  (counted by meetings_left in meetings.selectors.cadres). Only while the
  year is not over; a past year that fell short is behind.
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction


def _days_in(year: int) -> int:
    return (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days


def elapsed_days(*, year: int, today: datetime.date) -> int:
    """Whole days of `year` that have passed by `today` (today excluded)."""
    if today.year < year:
        return 0
    if today.year > year:
        return _days_in(year)
    return (today - datetime.date(year, 1, 1)).days


def pace(quota: int | None, *, year: int, today: datetime.date) -> Fraction:
    """Visits an even pace owes by `today`, exactly (0 without a quota)."""
    if not quota:
        return Fraction(0)
    return Fraction(quota * elapsed_days(year=year, today=today), _days_in(year))


@dataclass(frozen=True)
class QuotaProgress:
    done: int
    quota: int | None
    # Meetings of the assigned cells left in the year; None when not counted.
    meetings_left: int | None
    expected: Fraction
    is_behind: bool
    is_at_risk: bool

    @property
    def is_met(self) -> bool:
        return self.quota is not None and self.done >= self.quota

    @property
    def needed(self) -> int:
        return max((self.quota or 0) - self.done, 0)


def quota_progress(
    *,
    done: int,
    quota: int | None,
    meetings_left: int | None,
    year: int,
    today: datetime.date,
) -> QuotaProgress:
    """Where a cadre stands on `today` against the quota of `year` (see the
    module docstring for the exact definitions of behind and at risk)."""
    expected = pace(quota, year=year, today=today)
    needed = max((quota or 0) - done, 0)
    year_open = today.year <= year
    return QuotaProgress(
        done=done,
        quota=quota,
        meetings_left=meetings_left if year_open else None,
        expected=expected,
        is_behind=quota is not None and done < expected,
        is_at_risk=(
            quota is not None and year_open and meetings_left is not None and needed > meetings_left
        ),
    )


@dataclass(frozen=True)
class QuotaTally:
    """How many cadres of a group stand where (the report's summary rows)."""

    cadres: int = 0
    met: int = 0
    behind: int = 0
    at_risk: int = 0


def tally(progresses) -> QuotaTally:
    """Count a group's cadres by the same flags as each cadre's row, so a
    summary and its drill-down always agree."""
    cadres = met = behind = at_risk = 0
    for progress in progresses:
        cadres += 1
        met += progress.is_met
        behind += progress.is_behind
        at_risk += progress.is_at_risk
    return QuotaTally(cadres=cadres, met=met, behind=behind, at_risk=at_risk)
