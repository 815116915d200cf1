"""The feedback tag libraries: the state badges, and the meeting's feedback
card, which shows text that anyone at a meeting may have typed."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from feedback.models import FeedbackItem, FeedbackState
from feedback.templatetags.feedback_badges import STATE_BADGES, state_badge
from tests.factories import MeetingFactory

from .conftest import routed_item

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_every_state_has_its_own_badge():
    assert set(STATE_BADGES) == set(FeedbackState)
    assert state_badge(FeedbackItem(state="answered")) == "text-bg-success"
    assert state_badge(FeedbackItem(state="returned")) == "text-bg-warning"


def test_an_unknown_state_gets_the_neutral_badge():
    assert state_badge(FeedbackItem(state="archived")) == "text-bg-secondary"


def render_card(meeting, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    template = Template(
        "{% load feedback %}{% feedback_card meeting as card %}"
        "{{ card.may_record }}|{{ card.may_read_back }}|"
        "{% for i in card.raised %}{{ i.text }};{% endfor %}|"
        "{% for i in card.awaiting %}{{ i.pk }};{% endfor %}"
    )
    return template.render(Context({"meeting": meeting, "request": request, **context}))


@pytest.mark.django_db
def test_the_card_escapes_what_was_typed(world):
    routed_item(world, "new", text=HOSTILE)

    html = render_card(world.meeting_a1, world.secretary)

    assert "<script>" not in html and "<img" not in html
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        in html
    )


@pytest.mark.django_db
def test_the_card_takes_the_pages_edit_right_when_it_is_given(world):
    held = MeetingFactory(cell=world.a1, period=datetime.date(2026, 1, 1), state="held")
    answered = routed_item(world, "answered")

    # The secretary may edit: asked of access when the page does not say.
    assert render_card(held, world.secretary).startswith(f"True|True||{answered.pk};")
    # The page's answer wins, whatever access would say.
    assert render_card(held, world.secretary, may_edit="").startswith("False|False|")
    assert render_card(held, world.staff_c, may_edit=1).startswith("True|True|")
    assert render_card(held, world.staff_c).startswith("False|False|")


@pytest.mark.django_db
def test_the_card_shows_only_items_the_user_sees(world):
    routed_item(world, "new", text="Của chi bộ A1")

    assert render_card(world.meeting_a1, world.secretary_a2) == "False|False||"


@pytest.mark.django_db
def test_hostile_text_is_escaped_on_the_list_the_item_and_the_meeting(client, world):
    item = routed_item(world, "answered", text=HOSTILE, answer=HOSTILE)
    client.force_login(world.secretary)

    pages = [
        reverse("feedback_list"),
        reverse("feedback_detail", args=[item.pk]),
        reverse("meeting_detail", args=[world.meeting_a1.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "&lt;script&gt;" in html, url
        assert '<script>alert("x")' not in html, url
        assert "<img src=x" not in html, url
