"""The official report as PDF: the same figures as the page, in the 36-HD layout,
with what the clerk typed (escaped, never markup)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.meetings.test_pdf import pdf_text

from .conftest import staff_of

pytestmark = pytest.mark.django_db

HOSTILE = "Đánh giá <script>alert(1)</script> <img src=file:///etc/passwd>"


def download(client, user, organization, **data):
    client.force_login(user)
    url = f"{reverse('report_pdf', args=[organization.pk])}?period=2026-11"
    return client.post(url, data)


def test_the_pdf_has_the_header_title_figures_exceptions_and_signature(client, province, frozen):
    response = download(
        client,
        province.staff,
        province.A,
        assessment="Các chi bộ duy trì sinh hoạt đều.\nCần khắc phục biên bản chậm.",
        recipients="Ban Tổ chức Tỉnh ủy\nCác chi bộ",
        signer_title="T/M BAN THƯỜNG VỤ",
        signer_name="Lò Văn Thắng",
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    data = b"".join(response.streaming_content)
    text = pdf_text(data)
    for expected in (
        "ĐẢNG BỘ TỈNH SƠN LA",
        "ĐẢNG ỦY XÃ CÒ NÒI",
        "-BC/ĐU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Cò Nòi, ngày 01 tháng 12 năm 2026",
        "BÁO CÁO",
        "Kết quả sinh hoạt chi bộ tháng 11 năm 2026",
        "các chi bộ tổ chức 1/2 cuộc sinh hoạt thường kỳ",
        "Tỷ lệ đảng viên dự sinh hoạt: 66,7% (4/6",  # Vietnamese decimal comma
        "1 chưa hoàn thành",
        "Chi bộ chưa sinh hoạt thường kỳ",
        "Chi bộ bản Cang",
        "Cần khắc phục biên bản chậm.",
        "- Ban Tổ chức Tỉnh ủy,",
        "- Lưu văn phòng.",
        "Lò Văn Thắng",
    ):
        assert expected in text, expected


def test_hostile_text_is_printed_as_text(client, province, frozen):
    response = download(client, province.staff, province.A, assessment=HOSTILE)

    text = pdf_text(b"".join(response.streaming_content))
    assert "<script>alert(1)</script>" in text


def test_too_long_a_text_is_refused_with_the_page_and_what_was_typed(client, province, frozen):
    response = download(client, province.staff, province.A, signer_name="x" * 121)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["signature_form"].errors["signer_name"]
    assert "x" * 121 in response.content.decode()


def test_a_get_is_refused_and_a_report_out_of_sight_is_not_found(client, province, frozen):
    client.force_login(province.staff)
    assert client.get(reverse("report_pdf", args=[province.A.pk])).status_code == 405

    assert download(client, staff_of(province.B), province.A).status_code == 404


def test_a_cells_pdf_has_no_table_of_sub_organizations(client, province, frozen):
    response = download(client, province.staff, province.a2)

    text = pdf_text(b"".join(response.streaming_content))
    assert "CHI BỘ BẢN CANG" in text  # the cell issues it
    assert "theo tổ chức".upper() not in text.upper()
    assert "Biên bản chưa hoàn thành" in text


def test_a_quarters_pdf_names_the_quarter(client, province, frozen):
    client.force_login(province.staff)
    url = f"{reverse('report_pdf', args=[province.P.pk])}?period=2026-Q4"

    text = pdf_text(b"".join(client.post(url, {}).streaming_content))

    assert "Kết quả sinh hoạt chi bộ quý 4 năm 2026" in text
    assert "ĐẢNG ỦY TỈNH SƠN LA" in text and "Sơn La, ngày 01 tháng 12 năm 2026" in text


@pytest.mark.parametrize("period", ["2026-13", "=cmd", "1999"])
def test_a_bad_period_in_the_link_is_not_found(client, province, frozen, period):
    client.force_login(province.staff)
    url = f"{reverse('report_pdf', args=[province.P.pk])}?period={period}"

    assert client.post(url, {}).status_code == 404
    xlsx = client.get(reverse("report_xlsx", args=[province.P.pk]), {"period": period})
    assert xlsx.status_code == 404


def test_the_pdf_draws_the_pages_charts(client, province, frozen, caplog):
    with caplog.at_level("WARNING", logger="weasyprint"):
        response = download(client, province.staff, province.P, signer_name="Lò Văn Thắng")

    data = b"".join(response.streaming_content)
    text = " ".join(pdf_text(data).split())
    # WeasyPrint shares the images' resources between pages: count them once.
    images = {image.data for page in PdfReader(io.BytesIO(data)).pages for image in page.images}
    assert len(images) == 3  # the three charts, drawn by the page's own code
    for title in (
        "Số cuộc sinh hoạt theo tháng, năm 2026",
        "Tỷ lệ đảng viên dự sinh hoạt theo tổ chức (%)",
        "Kiến nghị trong kỳ theo trạng thái",
    ):
        assert title in text
    # Every image loaded, and no style of the charts leaked into the page's CSS.
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]
