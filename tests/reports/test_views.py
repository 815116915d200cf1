"""The report page and its spreadsheet, as office staff use them."""

import io

import openpyxl
import pytest
from django.urls import reverse

from chibo import figures
from chibo.models import ExportFile
from meetings.models import Meeting
from meetings.services.planning import create_meeting
from tests.factories import CellFactory, RoleFactory, UserFactory
from tests.meetings.test_pdf import pdf_text

from .conftest import local, staff_of

pytestmark = pytest.mark.django_db


def page(client, user, organization, **params):
    client.force_login(user)
    return client.get(reverse("report", args=[organization.pk]), params)


def test_the_page_shows_the_figures_the_exceptions_and_the_drill_down(
    client, province, frozen, english_pages
):
    response = page(client, province.staff, province.P, period="2026-11")

    assert response.status_code == 200
    html = response.content.decode()
    report = response.context["report"]
    assert report.total.regular_held == 2 and report.total.regular_owed == 4
    assert "Cell meetings, month 11 of 2026" in html
    a_report = reverse("report", args=[province.A.pk])
    assert f'href="{a_report}?period=2026-11"' in html  # drill down to the commune
    assert reverse("meeting_detail", args=[province.extraordinary_a2.pk]) in html
    assert reverse("feedback_detail", args=[province.overdue.pk]) in html
    assert f'href="{reverse("report", args=[province.b2.pk])}?period=2026-11"' in html
    assert 'href="?period=2026-10"' in html and 'href="?period=2026-12"' in html


def test_a_drill_down_leads_back_up(client, province, frozen):
    html = page(client, province.staff, province.a1, period="2026-11").content.decode()

    for above in (province.P, province.A):
        assert f'href="{reverse("report", args=[above.pk])}?period=2026-11"' in html


def test_without_a_period_it_is_this_month_and_a_bad_one_says_why(
    client, province, frozen, english_pages
):
    plain = page(client, province.staff, province.P)
    bad = page(client, province.staff, province.P, period="=1+1")

    assert plain.context["period"].code == "2026-12"
    assert bad.status_code == 200
    assert bad.context["period"].code == "2026-12"
    assert "Select a valid choice" in bad.content.decode() or (
        "Choose a month (2026-11)" in bad.content.decode()
    )


def test_the_report_home_is_the_report_of_the_users_own_organization(client, province, frozen):
    client.force_login(staff_of(province.A))

    response = client.get(reverse("report_home"), {"period": "2026-Q4"})

    assert response.status_code == 200
    assert response.context["report"].root == province.A
    assert response.context["period"].code == "2026-Q4"


@pytest.mark.parametrize("name", ["report", "report_xlsx"])
def test_an_organization_out_of_sight_is_not_found(client, province, frozen, name):
    client.force_login(staff_of(province.A))

    assert client.get(reverse(name, args=[province.B.pk])).status_code == 404
    assert client.get(reverse(name, args=[province.b1.pk])).status_code == 404


def test_a_secretary_reads_no_report(client, province, frozen):
    secretary = UserFactory()
    RoleFactory(user=secretary, organization=province.a1, kind="secretary")
    client.force_login(secretary)

    assert client.get(reverse("report", args=[province.a1.pk])).status_code in (403, 404)
    assert client.get(reverse("report_home")).status_code == 403


def test_the_spreadsheet_holds_the_same_figures(client, province, frozen, english_pages):
    client.force_login(province.staff)

    response = client.get(reverse("report_xlsx", args=[province.P.pk]), {"period": "2026-11"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert summary["Regular meetings held"] == 2
    assert summary["Minutes unfinished"] == 1
    assert summary["Attendance rate (%)"] == 66.7
    rows = list(book["By organization"].iter_rows(values_only=True))
    assert [row[0] for row in rows] == ["Organization", "Đảng bộ xã Cò Nòi", "Đảng bộ xã Mường Bon"]
    cells = list(book["Cells"].iter_rows(values_only=True))
    assert [row[0] for row in cells[1:]] == [
        c.name
        for c in sorted([province.a1, province.a2, province.b1, province.b2], key=lambda c: c.path)
    ]
    missing = list(book["No regular meeting"].iter_rows(values_only=True))
    assert missing == [("Cell", "Months missing"), ("Chi bộ bản Cang", 1), ("Chi bộ bản Mới", 1)]


def test_a_hostile_name_stays_text_in_the_spreadsheet(client, province, frozen):
    CellFactory(parent=province.A, name='=HYPERLINK("http://evil.example","x")')
    client.force_login(province.staff)

    response = client.get(reverse("report_xlsx", args=[province.A.pk]), {"period": "2026-11"})

    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in book.worksheets[1].iter_rows() for c in row if c.value]
    hostile = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert hostile and all(c.data_type == "s" and c.quotePrefix for c in hostile)


def test_a_large_report_is_offered_in_the_background(
    client, province, frozen, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_BACKGROUND_CELLS = 3
    client.force_login(province.staff)
    url = reverse("report_xlsx", args=[province.P.pk])

    offered = client.get(url, {"period": "2026-11"})
    assert offered.status_code == 200 and ExportFile.objects.count() == 0  # GET writes nothing

    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(f"{url}?period=2026-11")
    export = ExportFile.objects.get()
    assert queued.status_code == 302
    assert (export.kind, export.parameters) == (
        "report",
        {"organization": province.P.pk, "period": "2026-11"},
    )
    assert export.status == "done"  # no REDIS_URL in the tests: built inline
    assert export.filename == f"bao-cao-{province.P.code}-2026-11.xlsx"


def test_the_office_dashboard_links_this_and_last_months_report(client, province, frozen):
    client.force_login(province.staff)

    html = client.get(reverse("dashboard")).content.decode()

    report = reverse("report", args=[province.P.pk])
    assert f'href="{report}?period=2026-12"' in html
    assert f'href="{report}?period=2026-11"' in html


def test_the_report_is_read_from_the_cache_until_a_meeting_changes(
    client, province, frozen, django_assert_max_num_queries
):
    from chibo import figures

    page(client, province.staff, province.P, period="2026-11")
    url = reverse("report", args=[province.P.pk])
    # Session, user, roles, access checks and the report's number: no figures.
    with django_assert_max_num_queries(9):
        cached = client.get(url, {"period": "2026-11"})
    figures.changed(figures.MEETINGS)  # what every meeting service does
    fresh = page(client, province.staff, province.P, period="2026-11")

    assert cached.context["report"].total == fresh.context["report"].total


def test_a_large_reports_pdf_is_built_by_a_worker_with_what_the_clerk_typed(
    client, province, frozen, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_BACKGROUND_CELLS = 3
    client.force_login(province.staff)
    url = f"{reverse('report_pdf', args=[province.P.pk])}?period=2026-11"
    typed = {
        "assessment": "Các chi bộ duy trì nền nếp.",
        "recipients": "Ban Tổ chức Tỉnh ủy",
        "signer_title": "T/M BAN THƯỜNG VỤ",
        "signer_name": "Lò Văn Thắng",
    }

    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(url, typed)

    export = ExportFile.objects.get()
    assert queued.status_code == 302 and queued["Location"] == reverse(
        "export_detail", args=[export.pk]
    )
    assert export.kind == "report-pdf" and export.status == "done"
    assert export.parameters == {
        "organization": province.P.pk,
        "period": "2026-11",
        "on": "2026-12-01",
        "number": None,  # a draft
        **typed,
    }
    with export.file.open("rb") as stored:
        text = " ".join(pdf_text(stored.read()).split())
    assert "Các chi bộ duy trì nền nếp." in text and "Lò Văn Thắng" in text
    assert "ngày 01 tháng 12 năm 2026" in text


def test_the_same_report_asked_again_is_the_stored_file_until_a_meeting_changes(
    client, province, frozen, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_BACKGROUND_CELLS = 3
    client.force_login(province.staff)
    url = f"{reverse('report_xlsx', args=[province.P.pk])}?period=2026-11"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    first = ExportFile.objects.get()

    again = client.post(url)
    assert again.status_code == 302
    assert again["Location"] == reverse("export_download", args=[first.pk])
    assert ExportFile.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):  # a new meeting in the province
        create_meeting(
            cell=province.b2,
            kind="extraordinary",
            scheduled_at=local(28),
            place="Nhà văn hóa",
            by=province.staff,
        )
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post(url)
    assert ExportFile.objects.count() == 2
    assert fresh["Location"] == reverse("export_detail", args=[ExportFile.objects.first().pk])


def test_a_range_of_months_is_one_report_and_its_links_keep_the_range(
    client, province, frozen, english_pages
):
    response = page(client, province.staff, province.P, first="2026-10", last="2026-11")

    report = response.context["report"]
    assert report.period.code == "2026-10..2026-11"
    assert (report.total.regular_owed, report.total.regular_held) == (7, 3)
    html = response.content.decode()
    assert "Cell meetings, months 10/2026 to 11/2026" in html
    assert f'href="{reverse("report", args=[province.A.pk])}?period=2026-10..2026-11"' in html
    assert 'href="?period=2026-08..2026-09"' in html


def test_the_figures_part_of_the_page_is_drawn_again_after_a_change(client, province, frozen):
    def figures_part(response):
        html = response.content.decode()
        return html[html.index("data-summary") : html.index("data-pdf-form")]

    first = figures_part(page(client, province.staff, province.P, period="2026-11"))
    assert figures_part(page(client, province.staff, province.P, period="2026-11")) == first

    # a2's extraordinary meeting, its minutes unfinished, is cancelled.
    Meeting.objects.filter(pk=province.extraordinary_a2.pk).update(state="cancelled")
    figures.changed(figures.MEETINGS)  # what every meeting service does
    again = page(client, province.staff, province.P, period="2026-11")

    assert again.context["report"].total.minutes_missing == 0
    assert figures_part(again) != first and 'data-exception="unfinished"' not in figures_part(again)


def test_the_forms_fields_are_drawn_once_per_language_and_choice(client, province, frozen):
    from reports import page as rendering

    rendering._rendered.cache_clear()
    page(client, province.staff, province.P, period="2026-11")
    page(client, province.staff, province.P, period="2026-11")
    page(client, province.staff, province.P, period="2026-10")

    info = rendering._rendered.cache_info()
    assert (info.hits, info.misses) == (3, 3)  # the signature form: one for all
    bad = page(client, province.staff, province.P, period="2026-13")
    assert bad.context["form"].errors and "is-invalid" in bad.content.decode()
