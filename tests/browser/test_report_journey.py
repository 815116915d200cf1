"""A commune's office clerk on a phone: last month's report from the
dashboard, what needs action, a drill-down to a cell, then the XLSX, the
official PDF with the assessment typed in, and the ZIP of the month's minutes."""

import datetime
import zipfile

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chibo.models import OrganizationKind
from meetings import calendar
from tests.factories import (
    AttendanceFactory,
    CellFactory,
    MeetingFactory,
    MinutesFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)
from tests.meetings.test_pdf import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Bao-cao-2026"  # noqa: S105 - a test fixture


@pytest.fixture
def commune():
    last_month = calendar.add_months(calendar.first_of_month(timezone.localdate()), -1)
    commune = OrganizationFactory(kind=OrganizationKind.COMMUNE, name="Đảng bộ xã Liên Khê")
    met = CellFactory(parent=commune, name="Chi bộ thôn Đông")
    CellFactory(parent=commune, name="Chi bộ thôn Tây")  # did not meet
    meeting = MeetingFactory(cell=met, period=last_month)
    MinutesFactory(
        meeting=meeting,
        state="final",
        finalized_at=meeting.scheduled_at + datetime.timedelta(hours=20),
    )
    for status in ("present", "present", "absent_unexcused"):
        AttendanceFactory(meeting=meeting, status=status)
    clerk = UserFactory(username="vanphong", password=PASSWORD)
    RoleFactory(user=clerk, organization=commune, kind="staff")
    return last_month


def test_the_clerk_reads_last_months_report_and_downloads_it(page, sign_in, commune, tmp_path):
    sign_in(page, "vanphong", PASSWORD)

    page.get_by_role("link", name=f"tháng trước ({commune:%m/%Y})").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Kết quả sinh hoạt chi bộ tháng {commune.month} năm {commune.year}"
    )
    needs = page.locator("[data-exception=no_regular]")
    expect(needs).to_contain_text("Chưa sinh hoạt thường kỳ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The charts are images the page's CSP lets load, scaled to the phone.
    charts = page.locator("[data-chart] img")
    expect(charts).to_have_count(3)
    for index in range(3):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )
        assert chart.bounding_box()["width"] <= 360

    needs.get_by_role("link", name="Chi bộ thôn Tây").click()
    expect(page.locator("[data-rows]")).to_contain_text("0 / 1")
    page.get_by_role("link", name="Đảng bộ xã Liên Khê").click()  # back up the drill-down
    expect(page.locator("[data-summary]")).to_contain_text("1 / 2")

    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Tải XLSX").click()
    xlsx.value.save_as(tmp_path / "bao-cao.xlsx")
    summary = openpyxl.load_workbook(tmp_path / "bao-cao.xlsx")["Tổng hợp"]
    values = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row}
    assert values["Sinh hoạt thường kỳ đã tổ chức"] == 1
    assert values["Tỷ lệ đảng viên dự họp (%)"] == 66.7

    page.get_by_label("Đánh giá chung").fill("Chi bộ thôn Tây cần sinh hoạt bù.")
    page.get_by_label("Họ tên người ký").fill("Lò Văn Thắng")
    with page.expect_download() as document:
        page.get_by_role("button", name="Tải PDF").click()
    assert document.value.suggested_filename.endswith(".pdf")
    text = pdf_text(_read(document.value))
    assert "BÁO CÁO" in text and "Chi bộ thôn Tây cần sinh hoạt bù." in text
    assert "Lò Văn Thắng" in text

    # Every final minutes of the month in one ZIP, built in the background.
    page.get_by_role("link", name="Toàn bộ biên bản (ZIP)").click()
    page.get_by_role("button", name="Tạo tệp").click()
    with page.expect_download() as bundle:
        page.get_by_role("link", name="Tải xuống").click()
    with zipfile.ZipFile(bundle.value.path()) as archive:
        names = archive.namelist()
    assert "muc-luc.csv" in names and len([n for n in names if n.endswith(".pdf")]) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _read(download) -> bytes:
    with open(download.path(), "rb") as file:
        return file.read()
