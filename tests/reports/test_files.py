"""What the report's files hold beyond the page: every line of every list,
text that stays text, archived PDFs checked against their hash."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from chibo.models import ExportFile
from meetings.models import Minutes
from meetings.services.finalize import archive_minutes_pdf
from meetings.snapshot import build_snapshot
from reports import rollup as rollup_module
from tests.factories import (
    AttendanceFactory,
    CellFactory,
    FeedbackItemFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
)
from tests.meetings.test_pdf import pdf_text

from .conftest import NOVEMBER, staff_of

pytestmark = pytest.mark.django_db


def workbook(client, user, organization):
    client.force_login(user)
    response = client.get(reverse("report_xlsx", args=[organization.pk]), {"period": "2026-11"})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_spreadsheet_has_every_line_the_page_cuts(
    client, province, frozen, monkeypatch, english_pages
):
    monkeypatch.setattr(rollup_module, "SHOWN", 1)
    for n in range(3):
        CellFactory(parent=province.B, name=f"Chi bộ thôn Mới {n}")

    client.force_login(province.staff)
    page = client.get(reverse("report", args=[province.P.pk]), {"period": "2026-11"})
    book = workbook(client, province.staff, province.P)

    assert len(page.context["report"].exceptions.no_regular) == 1
    lacking = [row[0] for row in book["No regular meeting"].iter_rows(min_row=2, values_only=True)]
    assert len(lacking) == 5  # a2, b2 and the three new cells


def test_hostile_feedback_stays_text_in_the_overdue_sheet(client, province, frozen, english_pages):
    FeedbackItemFactory(
        meeting=province.regular_b1,
        text="=1+2 @SUM(A1) +cmd|' /C calc'!A0",
        state="forwarded",
        due_on=NOVEMBER,
    )

    book = workbook(client, province.staff, province.P)

    cells = [c for row in book["Overdue feedback"].iter_rows(min_row=2) for c in row]
    hostile = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=1+2")]
    assert hostile and hostile[0].data_type == "s" and hostile[0].quotePrefix


def test_the_sheets_and_their_headers(client, province, frozen, english_pages):
    book = workbook(client, province.staff, province.A)

    assert book.sheetnames == [
        "Summary",
        "By organization",
        "Cells",
        "No regular meeting",
        "Minutes unfinished",
        "Short meetings",
        "No thematic meeting",
        "Overdue feedback",
        "Absent three in a row",
        "Cadres behind",
    ]
    header = next(book["By organization"].iter_rows(values_only=True))
    assert header[:3] == ("Organization", "Cells", "Regular meetings due")
    unfinished = list(book["Minutes unfinished"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in unfinished] == ["Chi bộ bản Cang"]


def archive(minutes: Minutes) -> Minutes:
    minutes.number, minutes.term = 7, "2025-2030"
    minutes.snapshot = build_snapshot(minutes)
    minutes.save(update_fields=["number", "term", "snapshot"])
    assert archive_minutes_pdf(minutes_id=minutes.pk)
    return Minutes.objects.get(pk=minutes.pk)


def queue_zip(client, user, organization, captured):
    client.force_login(user)
    url = f"{reverse('report_minutes_zip', args=[organization.pk])}?period=2026-11"
    with captured(execute=True):
        client.post(url)
    return ExportFile.objects.get(owner=user)


def test_the_zip_carries_the_archived_pdf_itself(
    client, province, frozen, django_capture_on_commit_callbacks
):
    archived = archive(province.regular_b1.minutes.get())
    with archived.pdf.open("rb") as stored:
        original = stored.read()

    export = queue_zip(client, staff_of(province.B), province.B, django_capture_on_commit_callbacks)

    with export.file.open("rb") as stored, zipfile.ZipFile(io.BytesIO(stored.read())) as bundle:
        pdfs = [name for name in bundle.namelist() if name.endswith(".pdf")]
        assert bundle.read(pdfs[0]) == original


def test_a_tampered_archive_fails_the_zip_instead_of_being_replaced(
    client, province, frozen, django_capture_on_commit_callbacks
):
    archived = archive(province.regular_b1.minutes.get())
    with archived.pdf.open("wb") as stored:
        stored.write(b"%PDF-1.7 altered")

    export = queue_zip(client, staff_of(province.B), province.B, django_capture_on_commit_callbacks)

    assert export.status == "failed"
    assert not export.file


def test_a_month_without_final_minutes_gives_an_index_alone(
    client, frozen, django_capture_on_commit_callbacks
):
    commune = OrganizationFactory(name="Đảng bộ xã Trống")
    MeetingFactory(cell=CellFactory(parent=commune), period=NOVEMBER)  # minutes not written

    export = queue_zip(client, staff_of(commune), commune, django_capture_on_commit_callbacks)

    with export.file.open("rb") as stored, zipfile.ZipFile(io.BytesIO(stored.read())) as bundle:
        assert bundle.namelist() == ["muc-luc.csv"]


def test_the_absentees_and_the_median_are_the_same_on_the_page_in_the_pdf_and_the_sheets(
    client, province, frozen, english_pages
):
    meetings = [
        *(
            MeetingFactory(cell=province.a2, period=NOVEMBER.replace(month=month))
            for month in (8, 9, 10)
        ),
        province.extraordinary_a2,
    ]
    member = MemberFactory(cell=province.a2, full_name="Lò Văn Vắng =HYPERLINK(1)")
    for meeting, status in zip(meetings, ["present"] + ["absent_unexcused"] * 3, strict=True):
        AttendanceFactory(meeting=meeting, member=member, status=status)
    forwarded = province.regular_b1.scheduled_at
    FeedbackItemFactory(
        meeting=province.regular_b1,
        state="answered",
        forwarded_at=forwarded,
        answered_at=forwarded + datetime.timedelta(days=4, hours=12),
    )

    client.force_login(province.staff)
    html = client.get(reverse("report", args=[province.P.pk]), {"period": "2026-11"})
    html = html.content.decode()
    text = pdf_text(
        b"".join(
            client.post(
                f"{reverse('report_pdf', args=[province.P.pk])}?period=2026-11"
            ).streaming_content
        )
    )
    book = workbook(client, province.staff, province.P)

    assert reverse("member_detail", args=[member.pk]) in html
    assert "Lò Văn Vắng =HYPERLINK(1)" in html and "data-median>4,5<" in html
    assert "Lò Văn Vắng =HYPERLINK(1) (Chi bộ bản Cang" in " ".join(text.split())
    assert "trung vị 4,5 ngày" in " ".join(text.split())
    (line,) = book["Absent three in a row"].iter_rows(min_row=2)
    assert line[0].value == "Lò Văn Vắng =HYPERLINK(1)" and line[0].data_type == "s"
    assert line[1].value == "Chi bộ bản Cang"
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=4, values_only=True)}
    assert summary["Median days to answer"] == 4.5
    assert summary["Members absent without reason three meetings in a row"] == 1
