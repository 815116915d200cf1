"""Report numbers: the issuing body's next of the year, kept by the period's report."""

import datetime

import pytest
from django.db.models import QuerySet
from django.urls import reverse

from reports import periods, services
from reports.models import IssuedReport
from tests.meetings.test_pdf import pdf_text

from .conftest import NOVEMBER, staff_of

pytestmark = pytest.mark.django_db

DEC_1 = datetime.date(2026, 12, 1)


def issue(province, organization, period, on=DEC_1):
    return services.issue(organization=organization, period=period, on=on, by=province.staff)


def test_numbers_follow_each_other_per_body_and_year_and_a_period_keeps_its_own(province):
    november, october = periods.month(NOVEMBER), periods.month(datetime.date(2026, 10, 1))

    first = issue(province, province.P, november)
    assert (first.number, first.year, first.issued_by) == (1, 2026, province.staff)
    assert issue(province, province.P, october).number == 2
    assert issue(province, province.P, november).pk == first.pk  # asked again: the same
    assert issue(province, province.A, november).number == 1  # another body counts its own
    quarter = periods.quarter(2026, 4)
    assert issue(province, province.P, quarter, on=datetime.date(2027, 1, 5)).number == 1


def test_two_clerks_at_once_get_two_numbers(province, monkeypatch):
    issue(province, province.P, periods.month(NOVEMBER))
    real = QuerySet.aggregate
    stale = iter([{"n": None}])  # the other clerk's number not yet seen

    def aggregate(self, *args, **kwargs):
        return next(stale, None) or real(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "aggregate", aggregate)
    second = issue(province, province.P, periods.month(datetime.date(2026, 10, 1)))

    assert second.number == 2
    assert IssuedReport.objects.count() == 2


def test_the_pdf_prints_the_number_and_the_page_says_who_issued_it(
    client, province, frozen, english_pages
):
    client.force_login(province.staff)
    url = f"{reverse('report_pdf', args=[province.A.pk])}?period=2026-11"

    draft = pdf_text(b"".join(client.post(url, {}).streaming_content))
    assert "-BC/ĐU" in draft and "Số 01-BC" not in draft and not IssuedReport.objects.exists()
    issued = pdf_text(b"".join(client.post(url, {"issue": "on"}).streaming_content))
    again = pdf_text(b"".join(client.post(url, {"issue": "on"}).streaming_content))

    assert "Số 01-BC/ĐU" in issued and "Số 01-BC/ĐU" in again
    page = client.get(reverse("report", args=[province.A.pk]), {"period": "2026-11"})
    assert "Issued as number 01 of 2026 by" in page.content.decode()
    other = client.get(reverse("report", args=[province.A.pk]), {"period": "2026-10"})
    assert "data-issued" not in other.content.decode()


def test_a_large_reports_number_goes_to_the_worker(
    client, province, frozen, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_BACKGROUND_CELLS = 1
    user = staff_of(province.P)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{reverse('report_pdf', args=[province.P.pk])}?period=2026-11", {"issue": "1"})

    export = user.export_files.get()
    assert export.parameters["number"] == 1
    with export.file.open("rb") as stored:
        assert "Số 01-BC/ĐU" in pdf_text(stored.read())
