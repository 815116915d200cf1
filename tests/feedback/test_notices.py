"""Who the feedback moves tell (feedback/notices.py), in the inbox and by e-mail."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from chibo.models import Notification
from feedback import services
from feedback.notices import ANSWERED, FORWARDED, REOPENED, RETURNED
from tests.factories import FeedbackItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_forwarding_tells_the_answerers_of_the_committee(world):
    item = FeedbackItemFactory(meeting=world.meeting_a1)

    services.forward_item(item=item, organization=world.c, by=world.cadre_user)

    assert told(FORWARDED) == {"answerer.c"}


def test_forwarding_to_a_body_tells_its_answerers_not_the_forwarder(world):
    item = FeedbackItemFactory(meeting=world.meeting_a1)
    world.body.answerers.add(world.staff_c)

    services.forward_item(item=item, body=world.body, by=world.staff_c)

    assert told(FORWARDED) == {"ubnd.ducl"}  # staff.c forwarded it


def test_routing_again_tells_again(world):
    item = FeedbackItemFactory(meeting=world.meeting_a1)
    services.forward_item(item=item, organization=world.c, by=world.cadre_user)
    services.return_item(item=item, by=world.answerer_c, note="Không phải việc của xã.")
    services.forward_item(item=item, body=world.body, by=world.staff_c)

    assert told(FORWARDED) == {"answerer.c", "ubnd.ducl"}


def test_answering_tells_the_secretary_and_the_forwarder(world, django_capture_on_commit_callbacks):
    world.secretary.email = "bithu@example.vn"
    world.secretary.save()
    item = FeedbackItemFactory(meeting=world.meeting_a1)
    services.forward_item(item=item, organization=world.c, by=world.cadre_user)
    services.start_item(item=item, by=world.answerer_c)

    with django_capture_on_commit_callbacks(execute=True):
        services.answer_item(item=item, by=world.answerer_c, answer="Đã sửa đường.")

    assert told(ANSWERED) == {"bithu.a1", "cadre.c"}
    assert [m.to for m in mail.outbox] == [["bithu@example.vn"]]  # the cadre has no address
    assert f"#{item.pk}" in mail.outbox[0].subject


def test_the_bell_rings_for_the_answerer(client, world, django_capture_on_commit_callbacks):
    item = FeedbackItemFactory(meeting=world.meeting_a1)
    client.force_login(world.answerer_c)
    client.get(reverse("inbox"))  # counted: nothing yet

    with django_capture_on_commit_callbacks(execute=True):
        services.forward_item(item=item, organization=world.c, by=world.cadre_user)

    page = client.get(reverse("inbox")).content.decode()
    assert "badge rounded-pill" in page
    assert world.a1.name in page


def test_returning_tells_the_forwarder(world):
    item = FeedbackItemFactory(meeting=world.meeting_a1)
    services.forward_item(item=item, organization=world.c, by=world.cadre_user)

    services.return_item(item=item, by=world.answerer_c, note="Đoạn đường nào?")

    assert told(RETURNED) == {"cadre.c"}


def test_an_unsatisfied_read_back_tells_the_answerers_again(world):
    item = FeedbackItemFactory(meeting=world.meeting_a1)
    services.forward_item(item=item, organization=world.c, by=world.cadre_user)
    services.start_item(item=item, by=world.answerer_c)
    services.answer_item(item=item, by=world.answerer_c, answer="Đã sửa.")
    march = MeetingFactory(cell=world.a1, period=datetime.date(2026, 3, 1), state="planned")

    services.read_back_item(item=item, meeting=march, by=world.secretary, is_satisfied=False)

    assert told(REOPENED) == {"answerer.c"}
    assert Notification.objects.filter(kind=FORWARDED).count() == 1  # not told twice of that
