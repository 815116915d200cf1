"""The pure date rules of meetings/calendar.py."""

import datetime

import pytest

from meetings import calendar

D = datetime.date
TET_2026 = {D(2026, 2, 14) + datetime.timedelta(days=i) for i in range(9)}  # 14–22/02


def test_meeting_day_defaults_to_the_3rd():
    assert calendar.meeting_day(D(2026, 3, 1)) == D(2026, 3, 3)


def test_meeting_day_keeps_the_cells_own_day():
    assert calendar.meeting_day(D(2026, 3, 1), day=24) == D(2026, 3, 24)


def test_meeting_day_clamps_the_31st_to_februarys_last_day():
    assert calendar.meeting_day(D(2026, 2, 1), day=31) == D(2026, 2, 28)
    assert calendar.meeting_day(D(2028, 2, 1), day=31) == D(2028, 2, 29)
    assert calendar.meeting_day(D(2026, 4, 1), day=31) == D(2026, 4, 30)


def test_meeting_day_on_the_nth_weekday():
    # March 2026 starts on a Sunday: its 2nd Saturday is the 14th.
    assert calendar.meeting_day(D(2026, 3, 1), week=2, weekday=5) == D(2026, 3, 14)
    assert calendar.meeting_day(D(2026, 3, 1), week=1, weekday=6) == D(2026, 3, 1)
    assert calendar.meeting_day(D(2026, 3, 1), week=1, weekday=0) == D(2026, 3, 2)


def test_meeting_day_on_the_last_weekday():
    # The last Friday of February 2026 is the 27th, of January the 30th.
    assert calendar.meeting_day(D(2026, 2, 1), week=5, weekday=4) == D(2026, 2, 27)
    assert calendar.meeting_day(D(2026, 1, 1), week=5, weekday=4) == D(2026, 1, 30)
    # The last Saturday of January 2026 is its last day.
    assert calendar.meeting_day(D(2026, 1, 1), week=5, weekday=5) == D(2026, 1, 31)


def test_meeting_day_uses_the_day_when_only_one_week_field_is_set():
    assert calendar.meeting_day(D(2026, 3, 1), day=10, week=2, weekday=None) == D(2026, 3, 10)


def test_meeting_day_moves_off_a_holiday():
    holidays = {D(2026, 9, 2)}
    assert calendar.meeting_day(D(2026, 9, 1), day=2, holidays=holidays) == D(2026, 9, 3)


def test_meeting_day_moves_past_consecutive_holidays():
    holidays = {D(2026, 4, 30), D(2026, 5, 1)}
    assert calendar.meeting_day(D(2026, 4, 1), day=30, holidays=holidays) == D(2026, 5, 2)


def test_meeting_day_moves_past_the_whole_tet_break():
    # Tết Bính Ngọ is 17/02/2026; the break runs 14–22/02.
    assert calendar.meeting_day(D(2026, 2, 1), day=17, holidays=TET_2026) == D(2026, 2, 23)
    assert calendar.meeting_day(D(2026, 2, 1), day=14, holidays=TET_2026) == D(2026, 2, 23)


def test_meeting_day_on_a_weekend_does_not_move():
    # 03/01/2026 is a Saturday: village cells meet on weekends.
    assert calendar.meeting_day(D(2026, 1, 1), holidays={D(2026, 1, 1)}) == D(2026, 1, 3)
    assert calendar.next_working_day(D(2026, 1, 4), set()) == D(2026, 1, 4)


def test_nth_weekday_refuses_bad_rules():
    with pytest.raises(ValueError):
        calendar.nth_weekday(D(2026, 3, 1), week=6, weekday=0)
    with pytest.raises(ValueError):
        calendar.nth_weekday(D(2026, 3, 1), week=1, weekday=7)


def test_nominal_day_refuses_day_zero():
    with pytest.raises(ValueError):
        calendar.nominal_day(D(2026, 3, 1), day=0)


def test_next_working_day_refuses_a_month_of_holidays():
    holidays = {D(2026, 1, 1) + datetime.timedelta(days=i) for i in range(40)}
    with pytest.raises(ValueError):
        calendar.next_working_day(D(2026, 1, 1), holidays)


def test_add_months_crosses_years():
    assert calendar.add_months(D(2026, 11, 1), 2) == D(2027, 1, 1)
    assert calendar.add_months(D(2026, 1, 1), -1) == D(2025, 12, 1)


def test_parse_month_reads_year_and_month():
    assert calendar.parse_month("2026-03") == D(2026, 3, 1)


@pytest.mark.parametrize("text", ["2026-3", "03-2026", "2026-13", "march", ""])
def test_parse_month_refuses_other_text(text):
    with pytest.raises(ValueError):
        calendar.parse_month(text)


def test_quarters():
    assert calendar.quarter_of(D(2026, 11, 25)) == (2026, 4)
    assert calendar.quarter_bounds(2026, 4) == (D(2026, 10, 1), D(2027, 1, 1))
    assert calendar.parse_quarter("2026-q1") == (2026, 1)
    with pytest.raises(ValueError):
        calendar.parse_quarter("2026-Q5")
