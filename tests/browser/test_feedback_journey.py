"""The feedback loop through the browser, on a phone: a cadre forwards an
item raised at a cell meeting, the people's committee answers it, and the
secretary reads the answer back at the cell's next meeting."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from chibo.models import OrganizationKind
from feedback.models import FeedbackItem, ReadBack
from tests.factories import (
    AnsweringBodyFactory,
    AssignmentFactory,
    CellFactory,
    FeedbackItemFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
    feedback_category,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Duc-Tho-2026-phan-hoi"  # noqa: S105 - a test fixture
SAND = "Đề nghị xử lý khai thác cát trái phép trên sông La gây sạt lở bờ."
ANSWER = "UBND xã đã lập biên bản, đình chỉ bến cát trái phép."


@pytest.fixture
def loop():
    district = OrganizationFactory(kind=OrganizationKind.DISTRICT, name="Đảng bộ huyện Đức Thọ")
    commune = OrganizationFactory(parent=district, name="Đảng bộ xã Đức Lâm")
    cell = CellFactory(parent=commune, name="Chi bộ thôn Hoa Ích Lâm")
    users = {
        name: UserFactory(username=name, password=PASSWORD)
        for name in ["canbo.ductho", "ubnd.duclam", "bithu.hoaichlam"]
    }
    RoleFactory(user=users["bithu.hoaichlam"], organization=cell, kind="secretary")
    RoleFactory(user=users["canbo.ductho"], organization=commune, kind="cadre")
    cadre = MemberFactory(cell=cell, user=users["canbo.ductho"], full_name="Trần Đức Cán")
    AssignmentFactory(cadre=cadre, cell=cell, starts_on=datetime.date(2020, 1, 1))
    body = AnsweringBodyFactory(name="Ủy ban nhân dân xã Đức Lâm", organization=commune)
    body.answerers.add(users["ubnd.duclam"])
    february = MeetingFactory(cell=cell, period=datetime.date(2026, 2, 1))
    march = MeetingFactory(cell=cell, period=datetime.date(2026, 3, 1), state="planned")
    item = FeedbackItemFactory(
        meeting=february, text=SAND, category=feedback_category("tai-nguyen-moi-truong")
    )
    # The category list is data a transactional test may have flushed.
    for code in ["dat-dai", "an-sinh-xa-hoi"]:
        feedback_category(code)
    return {"item": item, "body": body, "march": march}


def test_cadre_forwards_body_answers_secretary_reads_back(page, sign_in, loop):
    item = loop["item"]

    # 1. The cadre forwards the item to the people's committee.
    sign_in(page, "canbo.ductho", PASSWORD)
    page.goto(f"/feedback/{item.pk}/")
    expect(page.locator(".feedback-text")).to_have_text(SAND)
    page.locator("a.js-forward").click()
    page.select_option("select[name=target]", f"body:{loop['body'].pk}")
    page.locator("form [type=submit]").filter(visible=True).last.click()
    expect(page.locator(".js-answering-party")).to_have_text("Ủy ban nhân dân xã Đức Lâm")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.context.clear_cookies()

    # 2. The people's committee finds it among what it must answer, takes it up, answers.
    # The bell says so; its notification opens the item.
    sign_in(page, "ubnd.duclam", PASSWORD)
    page.goto("/feedback/?todo=answer")
    expect(page.get_by_role("link", name=SAND[:40]).first).to_be_visible()
    expect(page.locator("#bell .badge")).to_contain_text("1")
    page.locator("#bell").click()
    page.locator("form[action$='/open/'] button[type=submit]").first.click()
    expect(page.locator(".feedback-text")).to_have_text(SAND)
    expect(page.locator("#bell .badge")).to_have_count(0)
    page.locator("button.js-start").click()
    page.fill("#id_answer_text", ANSWER)
    page.locator(".js-answer-form [type=submit]").click()
    expect(page.locator(".feedback-answer")).to_have_text(ANSWER)
    expect(page.locator(".js-state [data-state]")).to_have_attribute("data-state", "answered")
    page.context.clear_cookies()

    # 3. The secretary reads it back at the March meeting; the cell is satisfied.
    sign_in(page, "bithu.hoaichlam", PASSWORD)
    page.goto(reverse("meeting_detail", args=[loop["march"].pk]))
    expect(page.locator("#bell .badge")).to_contain_text("1")  # the answer came
    page.locator("#feedback a[href$='/read-back/']").click()
    card = page.locator(f".readback-item[data-item='{item.pk}']")
    expect(card).to_contain_text(ANSWER)
    card.locator("input[value=yes]").check()
    card.locator("input[name=note]").fill("Chi bộ nhất trí")
    card.locator("[type=submit]").click()
    expect(page.locator(".read-back-row")).to_have_count(1)
    expect(page.locator(".readback-item")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    item.refresh_from_db()
    assert item.state == "closed"
    assert list(ReadBack.objects.values_list("meeting", "is_satisfied", "answer")) == [
        (loop["march"].pk, True, ANSWER)
    ]
    assert list(item.events.values_list("action", flat=True)) == [
        "forward",
        "start",
        "answer",
        "close",
    ]
    assert FeedbackItem.objects.count() == 1


def test_secretary_records_feedback_and_sees_a_similar_item(page, sign_in, loop):
    february = loop["item"].meeting
    sign_in(page, "bithu.hoaichlam", PASSWORD)
    page.goto(f"/feedback/new/?meeting={february.pk}")
    page.locator("input[name=raiser_kind][value=citizens]").check()
    page.fill("input[name=raiser_name]", "Bà con xóm Bến")
    page.select_option("select[name=category]", label="Tài nguyên, môi trường")
    # Typed without accents: the open item about the same sand is suggested.
    page.fill("textarea[name=text]", "khai thac cat trai phep tren song La lam sat lo bo")
    page.locator("textarea[name=text]").press("End")
    expect(page.locator("#similar-items .similar-item")).to_have_count(1)
    expect(page.locator("#similar-items")).to_contain_text(f"#{loop['item'].pk}")
    page.locator("form [type=submit]").filter(visible=True).last.click()
    expect(page.locator(".feedback-text")).to_have_text(
        "khai thac cat trai phep tren song La lam sat lo bo"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert FeedbackItem.objects.count() == 2
