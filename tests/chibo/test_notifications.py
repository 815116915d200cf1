"""The notifications' outbox, relay, bell and inbox (chibo.notifications).

The kind used here is the feedback app's "feedback_forwarded"; the feedback
moves that write it are tested in tests/feedback/test_notices.py."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chibo import notifications
from chibo.models import EmailState, Notification
from chibo.notifications import relay
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KIND = "feedback_forwarded"
PARAMS = {
    "pk": 7,
    "due": "10/12/2026",
    "cell": "Chi bộ thôn 1",
    "target": "UBND xã",
    "text": "Đường hỏng",
}


def tell(users, event="item 7 forwarded", **fields):
    return notifications.notify(
        KIND, users, event=event, params=PARAMS, link="/feedback/7/", **fields
    )


@pytest.fixture
def reader():
    return UserFactory(username="reader", email="reader@example.vn")


def test_the_same_event_twice_is_one_row_per_recipient(reader):
    other = UserFactory(email="")
    assert tell([reader, other.pk]) == 2
    tell([reader, other])

    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient_id, n.email_state) for n in rows] == [
        (reader.pk, EmailState.PENDING),
        (other.pk, EmailState.NONE),  # no address: the inbox holds it
    ]
    tell([reader], event="item 7 forwarded again")
    assert Notification.objects.filter(recipient=reader).count() == 2


def test_inactive_users_and_nobody_get_nothing(reader):
    gone = UserFactory(is_active=False, email="gone@example.vn")
    assert tell([gone, None]) == 0
    assert not Notification.objects.exists()


def test_an_unknown_kind_is_refused(reader):
    with pytest.raises(ValueError):
        notifications.notify("no_such_kind", [reader], event="x", params={})


def test_the_rows_commit_with_the_event_or_not_at_all(reader):
    with pytest.raises(RuntimeError), transaction.atomic():
        tell([reader])
        raise RuntimeError("the event's transaction fails")
    assert not Notification.objects.exists()


def test_after_the_commit_the_email_goes_once(reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell([reader])

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["reader@example.vn"]
    assert "#7" in sent.subject and "Đường hỏng" in sent.body
    assert f"{settings.SITE_URL}/feedback/7/" in sent.body
    assert f'href="{settings.SITE_URL}/feedback/7/"' in sent.alternatives[0][0]
    assert Notification.objects.get().email_state == EmailState.SENT
    assert relay.deliver_pending() == 0  # a second run (a second beat) sends nothing
    assert len(mail.outbox) == 1


def test_the_broker_down_costs_the_request_nothing(reader, django_capture_on_commit_callbacks):
    with (
        mock.patch(
            "chibo.tasks.deliver_notifications_task.apply_async",
            side_effect=ConnectionError("Redis is down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tell([reader])

    assert Notification.objects.get().email_state == EmailState.PENDING
    assert relay.deliver_pending() == 1  # the beat's next run
    assert len(mail.outbox) == 1


def test_a_refusal_is_retried_later_then_fails_visibly(reader):
    tell([reader])
    now = timezone.now()
    refusal = smtplib.SMTPResponseException(421, b"Try again later")
    with mock.patch("chibo.notifications.relay.send_mail", side_effect=refusal):
        assert relay.deliver_pending(now=now) == 0
        row = Notification.objects.get()
        assert (row.email_state, row.email_attempts) == (EmailState.PENDING, 1)
        assert row.email_not_before == now + datetime.timedelta(minutes=1)
        assert relay.deliver_pending(now=now) == 0  # not due yet: not tried
        assert Notification.objects.get().email_attempts == 1
        for minutes in (1, 5, 15, 60):
            now += datetime.timedelta(minutes=minutes)
            relay.deliver_pending(now=now)
    row = Notification.objects.get()
    assert (row.email_state, row.email_attempts) == (EmailState.FAILED, relay.MAX_ATTEMPTS)
    assert "421" in row.email_error

    assert relay.resend(Notification.objects.all()) == 1
    assert relay.deliver_pending() == 1
    assert Notification.objects.get().email_state == EmailState.SENT


@pytest.mark.parametrize(
    "refusal",
    [
        smtplib.SMTPRecipientsRefused({"reader@example.vn": (550, b"No such user")}),
        smtplib.SMTPResponseException(554, b"Transaction failed"),
    ],
)
def test_a_permanent_refusal_fails_at_once(reader, refusal):
    tell([reader])
    with mock.patch("chibo.notifications.relay.send_mail", side_effect=refusal):
        relay.deliver_pending()
    row = Notification.objects.get()
    assert (row.email_state, row.email_attempts) == (EmailState.FAILED, 1)


def test_a_dropped_connection_is_retried(reader):
    tell([reader])
    with mock.patch("chibo.notifications.relay.send_mail", side_effect=ConnectionResetError()):
        relay.deliver_pending()
    assert Notification.objects.get().email_state == EmailState.PENDING


def test_the_bell_counts_unread_and_costs_no_query_once_counted(
    client, reader, django_assert_num_queries
):
    tell([reader])
    client.force_login(reader)
    page = client.get(reverse("inbox")).content.decode()
    assert 'id="bell"' in page and ">1<" in page.replace(" ", "")
    client.get(reverse("export_list"))

    with django_assert_num_queries(5):  # session, user, roles, member, the files: no COUNT
        client.get(reverse("export_list"))


def test_opening_marks_read_and_follows_the_link(
    client, reader, django_capture_on_commit_callbacks
):
    tell([reader])
    notification = Notification.objects.get()
    client.force_login(reader)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notification_open", args=[notification.pk]))

    assert response.status_code == 302 and response.url == "/feedback/7/"
    assert Notification.objects.get().read_at is not None
    assert "badge rounded-pill" not in client.get(reverse("inbox")).content.decode()


def test_a_link_to_another_site_is_not_followed(client, reader):
    tell([reader])
    Notification.objects.update(link="https://evil.example/")
    client.force_login(reader)

    response = client.post(reverse("notification_open", args=[Notification.objects.get().pk]))

    assert response.url == reverse("inbox")


def test_the_inbox_filters_and_marks_all_read(client, reader):
    tell([reader], event="one")
    tell([reader], event="two")
    Notification.objects.filter(key__contains=":one:").update(read_at=timezone.now())
    client.force_login(reader)

    assert len(client.get(reverse("inbox"), {"unread": "1"}).context["shown"]) == 1
    assert len(client.get(reverse("inbox"), {"kind": KIND}).context["shown"]) == 2
    assert len(client.get(reverse("inbox"), {"kind": "<script>"}).context["shown"]) == 2
    client.post(reverse("notifications_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_hostile_text_stays_text(client, reader):
    hostile = "<script>alert(1)</script>"
    notifications.notify(
        KIND, [reader], event="x", params={**PARAMS, "text": hostile, "cell": hostile}
    )
    client.force_login(reader)

    page = client.get(reverse("inbox")).content.decode()

    assert hostile not in page and "&lt;script&gt;" in page


def test_a_row_whose_params_no_longer_fit_is_listed_by_its_kind(client, reader):
    Notification.objects.create(recipient=reader, kind=KIND, key="old", params={"pk": 1})
    client.force_login(reader)

    response = client.get(reverse("inbox"))

    assert response.status_code == 200
    assert response.context["shown"][0]["subject"] == "Kiến nghị cần trả lời"
