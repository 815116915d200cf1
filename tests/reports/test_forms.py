"""The report's two forms: the period picker and what the clerk adds to the PDF."""

import datetime

import pytest

from reports.forms import PeriodForm, SignatureForm

TODAY = datetime.date(2026, 12, 1)


def test_the_period_form_reads_a_code_and_offers_the_picker_choices():
    form = PeriodForm({"period": "2026-Q3"}, today=TODAY)

    assert form.is_valid()
    assert form.period_or_default().code == "2026-Q3"
    codes = [code for code, _label in form.fields["period"].widget.choices]
    assert codes[0] == "2026-12" and "2025" in codes


@pytest.mark.parametrize("text", ["2026-13", "'; DROP TABLE", "<script>", "9999"])
def test_a_bad_period_falls_back_to_this_month_with_the_error_kept(text, english):
    form = PeriodForm({"period": text}, today=TODAY)

    assert form.period_or_default().code == "2026-12"
    assert form.errors["period"]


def test_an_empty_period_form_is_this_month():
    assert PeriodForm(None, today=TODAY).period_or_default().code == "2026-12"


def test_the_signature_form_keeps_the_clerks_text_and_refuses_what_is_too_long():
    typed = {
        "assessment": "Dòng một.\nDòng hai.",
        "recipients": "Ban Tổ chức Tỉnh ủy",
        "signer_title": "T/M BAN THƯỜNG VỤ",
        "signer_name": "Lò Văn Thắng",
    }
    assert SignatureForm(typed).is_valid()
    assert SignatureForm({}).is_valid()  # everything may be filled in by hand later

    too_long = SignatureForm({**typed, "assessment": "x" * 8001, "signer_title": "y" * 121})
    assert not too_long.is_valid()
    assert set(too_long.errors) == {"assessment", "signer_title"}
