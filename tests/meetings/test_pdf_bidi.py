"""Bidirectional control characters cannot reorder what the official PDF shows."""

import io

import pytest
from pypdf import PdfReader

from chibo.text import strip_bidi_controls
from meetings.pdf import render_minutes_pdf
from tests.factories import CellFactory, MinutesFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_strip_bidi_controls_removes_every_control_and_keeps_the_rest():
    assert strip_bidi_controls(f"Lò{CONTROLS} Văn\u202e Chủ 10/12") == "Lò Văn Chủ 10/12"


def test_minutes_pdf_prints_text_with_a_right_to_left_override_in_reading_order():
    cell = CellFactory(
        parent=OrganizationFactory(name="Đảng bộ xã Cò Nòi", code="co-noi"),
        name="Chi bộ bản Lếch",
        code="ban-lech",
    )
    minutes = MinutesFactory(
        meeting__cell=cell,
        chair__full_name="Lò Văn \u202eChủ Trì",
        minute_taker__full_name="Quàng \u2067Thị Ký\u2069",
        news="Quán triệt \u202eNghị quyết số 57\u202c trong tháng.",
    )

    data = render_minutes_pdf(minutes)
    text = pdf_text(data)

    assert "Lò Văn Chủ Trì" in text
    assert "Quàng Thị Ký" in text
    assert "Quán triệt Nghị quyết số 57 trong tháng." in text
    assert not set(CONTROLS) & set(text)
