"""Answers go back to the cell: listed at its next meeting, read back,
satisfied or not; the minutes get the list of answers read back."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.models import FeedbackItem, ReadBack
from feedback.selectors import answers_read_back, next_meeting
from feedback.workflow import WorkflowError
from tests.factories import MeetingFactory, MinutesFactory

from .conftest import routed_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def march(world):
    return MeetingFactory(cell=world.a1, period=datetime.date(2026, 3, 1), state="planned")


def test_readback_page_lists_the_cells_answered_items(client, world, march):
    answered = routed_item(world, "answered", answer="Huyện đã đình chỉ khai thác cát.")
    routed_item(world, "forwarded")
    routed_item(world, "answered", cell="a2")
    client.force_login(world.secretary)
    response = client.get(reverse("feedback_readback", args=[march.pk]))
    assert response.status_code == 200
    assert [item.pk for item in response.context["awaiting"]] == [answered.pk]
    assert "Huyện đã đình chỉ khai thác cát." in response.content.decode()


def test_readback_satisfied_closes(client, world, march):
    item = routed_item(world, "answered", answer="Đã cấp giấy chứng nhận.")
    client.force_login(world.secretary)
    response = client.post(
        reverse("feedback_readback", args=[march.pk]),
        {"item": item.pk, "is_satisfied": "yes", "note": "Chi bộ nhất trí"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "closed"
    read_back = ReadBack.objects.get(item=item)
    assert (read_back.meeting, read_back.is_satisfied, read_back.answer, read_back.by) == (
        march,
        True,
        "Đã cấp giấy chứng nhận.",
        world.secretary,
    )


def test_readback_not_satisfied_reopens(client, world, march):
    item = routed_item(world, "answered")
    client.force_login(world.secretary)
    client.post(
        reverse("feedback_readback", args=[march.pk]),
        {"item": item.pk, "is_satisfied": "no", "note": "Chưa thỏa đáng"},
    )
    item.refresh_from_db()
    assert item.state == "reopened"
    assert item.events.latest("id").note == "Chưa thỏa đáng"
    assert access_can_answer(world, item)


def access_can_answer(world, item):
    from chibo import access
    from feedback.workflow import ANSWER

    return access.can(world.answerer_c, ANSWER, item)


def test_readback_refused_for_another_cells_item(client, world, march):
    other = routed_item(world, "answered", cell="a2")
    client.force_login(world.secretary)
    response = client.post(
        reverse("feedback_readback", args=[march.pk]), {"item": other.pk, "is_satisfied": "yes"}
    )
    assert response.status_code == 302
    assert FeedbackItem.objects.get(pk=other.pk).state == "answered"
    with pytest.raises(WorkflowError) as error:
        services.read_back_item(item=other, meeting=march, by=world.admin_d, is_satisfied=True)
    assert str(error.value) == "An answer is read back at a meeting of the cell that raised it."


def test_readback_page_denied_to_other_roles(client, world, march):
    client.force_login(world.secretary_a2)
    assert client.get(reverse("feedback_readback", args=[march.pk])).status_code == 404
    client.force_login(world.staff_c)
    assert client.get(reverse("feedback_readback", args=[march.pk])).status_code == 403


def test_readback_refused_when_minutes_final_or_meeting_cancelled(world, march):
    item = routed_item(world, "answered")
    MinutesFactory(meeting=march, state="final")
    with pytest.raises(WorkflowError) as error:
        services.read_back_item(item=item, meeting=march, by=world.secretary, is_satisfied=True)
    assert str(error.value) == "The minutes of that meeting are final."
    cancelled = MeetingFactory(cell=world.a1, period=datetime.date(2026, 4, 1), state="cancelled")
    with pytest.raises(WorkflowError):
        services.read_back_item(item=item, meeting=cancelled, by=world.secretary, is_satisfied=True)
    assert FeedbackItem.objects.get(pk=item.pk).state == "answered"


def test_readback_twice_at_one_meeting_refused(world, march):
    item = routed_item(world, "answered")
    services.read_back_item(item=item, meeting=march, by=world.secretary, is_satisfied=False)
    services.start_item(item=item, by=world.answerer_c)
    services.answer_item(item=item, by=world.answerer_c, answer="Trả lời lần hai.")
    with pytest.raises(WorkflowError) as error:
        services.read_back_item(item=item, meeting=march, by=world.secretary, is_satisfied=True)
    assert str(error.value) == "This answer was already read back at that meeting."


def test_answers_read_back_is_json_for_the_minutes(world, march):
    first = routed_item(world, "answered", answer="Trả lời một.", text="Khai thác cát trái phép")
    second = routed_item(
        world, "answered", answer="Trả lời hai.", routed_organization=None, routed_body=world.body
    )
    services.read_back_item(item=first, meeting=march, by=world.secretary, is_satisfied=True)
    services.read_back_item(
        item=second, meeting=march, by=world.secretary, is_satisfied=False, note="Chưa rõ"
    )
    rows = answers_read_back(march)
    assert json.loads(json.dumps(rows)) == rows
    assert [(r["item"], r["body"], r["answer"], r["satisfied"], r["note"]) for r in rows] == [
        (first.pk, "Đảng bộ xã Đức Lâm", "Trả lời một.", True, ""),
        (second.pk, "Ủy ban nhân dân xã Đức Lâm", "Trả lời hai.", False, "Chưa rõ"),
    ]
    assert rows[0]["text"] == rows[0]["question"] == "Khai thác cát trái phép"
    assert answers_read_back(world.meeting_a1) == []


def test_next_meeting_is_the_cells_first_after_the_answer(world, march):
    MeetingFactory(cell=world.a1, period=datetime.date(2026, 4, 1), state="planned")
    MeetingFactory(cell=world.a2, period=datetime.date(2026, 3, 1), state="planned")
    answered_at = datetime.datetime(2026, 2, 20, 9, 0, tzinfo=datetime.UTC)
    assert next_meeting(world.a1.pk, answered_at) == march


def test_detail_says_where_the_answer_will_be_read_back(client, world, march):
    item = routed_item(world, "answered")
    item.answered_at = datetime.datetime(2026, 2, 20, 9, 0, tzinfo=datetime.UTC)
    item.save()
    client.force_login(world.secretary)
    response = client.get(reverse("feedback_detail", args=[item.pk]))
    assert response.context["readback_meeting"] == march


def test_answers_read_back_reach_the_minutes_snapshot_and_pdf(world, march):
    import io

    from pypdf import PdfReader

    from meetings.pdf import render_minutes_pdf
    from meetings.snapshot import build_snapshot
    from tests.factories import MinutesFactory

    satisfied = routed_item(world, "answered", answer="Đã đình chỉ bến cát trái phép.")
    unhappy = routed_item(world, "answered", answer="Đang xem xét.")
    services.read_back_item(item=satisfied, meeting=march, by=world.secretary, is_satisfied=True)
    services.read_back_item(
        item=unhappy, meeting=march, by=world.secretary, is_satisfied=False, note="Chưa cụ thể."
    )
    minutes = MinutesFactory(meeting=march)
    snapshot = build_snapshot(minutes)
    assert [(a["item"], a["satisfied"]) for a in snapshot["answers_read_back"]] == [
        (satisfied.pk, True),
        (unhappy.pk, False),
    ]
    pages = PdfReader(io.BytesIO(render_minutes_pdf(minutes))).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Thông báo kết quả trả lời ý kiến, kiến nghị của đảng viên" in text
    assert "Đảng bộ xã Đức Lâm trả lời: Đã đình chỉ bến cát trái phép." in text
    assert "Chi bộ thống nhất với nội dung trả lời." in text
    assert "Chi bộ chưa thống nhất, đề nghị xem xét trả lời lại. Chưa cụ thể." in text


def test_meeting_page_shows_the_feedback_card(client, world, march):
    raised = routed_item(world, "new", meeting=march, text="Đề nghị lắp đèn đường")
    answered = routed_item(world, "answered")
    routed_item(world, "answered", cell="a2")
    client.force_login(world.secretary)
    response = client.get(reverse("meeting_detail", args=[march.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("feedback_create")}?meeting={march.pk}"' in html
    assert "Đề nghị lắp đèn đường" in html
    assert "1 answer to read back to the cell." in html
    assert f'href="{reverse("feedback_readback", args=[march.pk])}"' in html
    services.read_back_item(item=answered, meeting=march, by=world.secretary, is_satisfied=True)
    html = client.get(reverse("meeting_detail", args=[march.pk])).content.decode()
    assert "1 answer read back at this meeting." in html
    assert f'href="{reverse("feedback_detail", args=[raised.pk])}"' in html


def test_meeting_page_card_for_a_reader_has_no_buttons(client, world, march):
    routed_item(world, "answered")
    client.force_login(world.staff_c)
    html = client.get(reverse("meeting_detail", args=[march.pk])).content.decode()
    assert 'id="feedback"' in html
    assert reverse("feedback_create") not in html
    assert reverse("feedback_readback", args=[march.pk]) not in html


# Read back only at a meeting that has begun (issue 7, item 9) ----------------------------


def _meeting_on(world, day: datetime.date, hour: int = 19):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))
    return MeetingFactory(
        cell=world.a1,
        kind="extraordinary",
        period=day.replace(day=1),
        scheduled_at=moment,
        state="planned",
    )


def test_readback_refused_at_a_meeting_not_yet_held(world):
    item = routed_item(world, "answered")
    tomorrow = _meeting_on(world, timezone.localdate() + datetime.timedelta(days=1))

    with pytest.raises(WorkflowError) as error:
        services.read_back_item(item=item, meeting=tomorrow, by=world.secretary, is_satisfied=True)

    day = tomorrow.scheduled_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y")
    assert str(error.value) == (
        "Answers are read back at a meeting that has been held or is being held today; "
        f"this meeting is on {day}."
    )
    assert FeedbackItem.objects.get(pk=item.pk).state == "answered"
    assert not ReadBack.objects.exists()


def test_readback_allowed_at_a_meeting_held_today_even_before_its_hour(world):
    item = routed_item(world, "answered")
    today = _meeting_on(world, timezone.localdate(), hour=23)

    services.read_back_item(item=item, meeting=today, by=world.secretary, is_satisfied=True)

    assert FeedbackItem.objects.get(pk=item.pk).state == "closed"


def test_readback_page_of_a_future_meeting_says_why_and_offers_no_form(client, world):
    item = routed_item(world, "answered", answer="Đã cấp giấy chứng nhận.")
    later = _meeting_on(world, timezone.localdate() + datetime.timedelta(days=7))
    client.force_login(world.secretary)
    url = reverse("feedback_readback", args=[later.pk])

    html = client.get(url).content.decode()

    assert '<div class="alert alert-warning" role="alert" id="readback-refused">' in html
    assert "Answers are read back at a meeting that has been held" in html
    assert "Đã cấp giấy chứng nhận." in html  # the answer is listed, to prepare the meeting
    assert f'<input type="hidden" name="item" value="{item.pk}">' not in html
    response = client.post(url, {"item": item.pk, "is_satisfied": "yes"}, follow=True)
    assert "Answers are read back at a meeting that has been held" in response.content.decode()
    assert FeedbackItem.objects.get(pk=item.pk).state == "answered"


def test_meeting_page_offers_no_read_back_before_the_meeting(client, world):
    routed_item(world, "answered", answer="Đã cấp giấy chứng nhận.")
    later = _meeting_on(world, timezone.localdate() + datetime.timedelta(days=7))
    today = _meeting_on(world, timezone.localdate())
    client.force_login(world.secretary)
    readback_link = 'href="{}"'

    future_html = client.get(reverse("meeting_detail", args=[later.pk])).content.decode()
    today_html = client.get(reverse("meeting_detail", args=[today.pk])).content.decode()

    assert readback_link.format(reverse("feedback_readback", args=[later.pk])) not in future_html
    assert readback_link.format(reverse("feedback_readback", args=[today.pk])) in today_html
