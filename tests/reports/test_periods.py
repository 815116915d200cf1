"""Report periods: what the URL says, what the title says, and bad input."""

import datetime

import pytest

from reports import periods

TODAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026-11", "month", datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)),
        ("2026-12", "month", datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)),
        ("2026-Q4", "quarter", datetime.date(2026, 10, 1), datetime.date(2027, 1, 1)),
        ("2026-q1", "quarter", datetime.date(2026, 1, 1), datetime.date(2026, 4, 1)),
        ("2025", "year", datetime.date(2025, 1, 1), datetime.date(2026, 1, 1)),
        ("", "month", datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)),
    ],
)
def test_parse_reads_months_quarters_and_years(text, kind, start, end):
    period = periods.parse(text, today=TODAY)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    if text:
        assert period.code == text.upper()


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26-11", "tháng 11", "2026-11-01", "<b>"])
def test_parse_refuses_what_names_no_period(text, english):
    with pytest.raises(ValueError, match="Choose a month"):
        periods.parse(text, today=TODAY)


@pytest.mark.parametrize("text", ["1999", "2028-01"])
def test_parse_refuses_years_out_of_range(text, english):
    with pytest.raises(ValueError, match="between 2000 and 2027"):
        periods.parse(text, today=TODAY)


def test_months_quarters_and_neighbours():
    year = periods.year(2026)
    assert len(year.months) == 12 and len(year.quarters) == 4
    assert periods.month(datetime.date(2026, 11, 17)).quarters == [
        (datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))
    ]
    assert periods.parse("2026-Q4", today=TODAY).next().code == "2027-Q1"
    assert periods.parse("2026-01", today=TODAY).previous().code == "2025-12"
    assert periods.year(2026).previous().code == "2025"
    assert periods.month(datetime.date(2026, 11, 1)).last_day == datetime.date(2026, 11, 30)


def test_the_picker_offers_a_year_of_months_then_quarters_then_years():
    codes = [code for code, _label in periods.choices(TODAY)]
    assert codes[:3] == ["2026-12", "2026-11", "2026-10"]
    assert codes[12:16] == ["2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1"]
    assert codes[16:] == ["2026", "2025"]


def test_labels_in_vietnamese():
    from django.utils import translation

    with translation.override("vi"):
        assert periods.parse("2026-11", today=TODAY).label == "tháng 11 năm 2026"
        assert periods.parse("2026-Q4", today=TODAY).label == "quý 4 năm 2026"
        assert periods.parse("2026", today=TODAY).label == "năm 2026"


def test_a_range_of_months_reads_back_and_moves_by_its_length():
    period = periods.parse("2026-03..2026-08", today=TODAY)

    assert (period.kind, period.start, period.end) == (
        "range",
        datetime.date(2026, 3, 1),
        datetime.date(2026, 9, 1),
    )
    assert period.code == "2026-03..2026-08" and len(period.months) == 6
    assert [q[0].month for q in period.quarters] == [1, 4, 7]
    assert period.next().code == "2026-09..2027-02"
    assert period.previous().code == "2025-09..2026-02"
    assert periods.parse("2026-11..2026-11", today=TODAY).months == [datetime.date(2026, 11, 1)]


def test_a_range_says_its_months(english):
    assert periods.parse("2025-11..2026-02", today=TODAY).label == "months 11/2025 to 2/2026"


@pytest.mark.parametrize("text", ["2026-08..2026-03", "2024-01..2026-01", "2025-12..2028-01"])
def test_a_range_backwards_too_long_or_too_late_is_refused(text, english):
    with pytest.raises(ValueError, match="Choose"):
        periods.parse(text, today=TODAY)


@pytest.mark.parametrize(
    "text", ["2026-03..", "..2026-03", "2026-03..2026-13", "2026-03...2026-04"]
)
def test_a_broken_range_names_no_period(text, english):
    with pytest.raises(ValueError, match="Choose a month"):
        periods.parse(text, today=TODAY)
