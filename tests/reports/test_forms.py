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


def test_two_months_make_a_range_that_wins_over_the_list():
    form = PeriodForm({"period": "2026-11", "first": "2026-03", "last": "2026-08"}, today=TODAY)

    assert form.period_or_default().code == "2026-03..2026-08"


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        ("2026-03", "", "last", "Give both months"),
        ("", "2026-08", "first", "Give both months"),
        ("2026-08", "2026-03", "first", "the first before the last"),
        ("tháng 3", "2026-08", "first", "Choose a month"),
    ],
)
def test_a_half_or_bad_range_says_why(first, last, field, message, english):
    form = PeriodForm({"period": "2026-11", "first": first, "last": last}, today=TODAY)

    assert form.period_or_default().code == "2026-12"
    assert message in " ".join(form.errors[field])


def test_a_range_from_a_link_stays_chosen_in_the_list(english):
    form = PeriodForm({"period": "2026-03..2026-08"}, today=TODAY)

    assert form.period_or_default().code == "2026-03..2026-08"
    choices = dict(form.fields["period"].widget.choices)
    assert choices["2026-03..2026-08"] == "months 3/2026 to 8/2026"
    assert 'value="2026-03..2026-08" selected' in str(form["period"])
