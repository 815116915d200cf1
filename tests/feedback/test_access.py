"""Who sees which item, who may move it, who may download its files.

Items: a1_new (A1, new), a1_commune (A1, routed to commune C),
a2_body (A2, routed to C's people's committee), b1 (B1, routed to E),
a1_overdue (A1, routed to C, past due). Escalation: the district's
answerer sees only the overdue one among those it does not answer.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chibo import access
from feedback.models import Attachment, FeedbackItem
from feedback.workflow import ANSWER, FORWARD, READBACK

from .conftest import routed_item

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def items(world):
    past = datetime.date(2020, 1, 1)
    return {
        "a1_new": routed_item(world, "new"),
        "a1_commune": routed_item(world, "forwarded"),
        "a2_body": routed_item(
            world, "in_progress", cell="a2", routed_organization=None, routed_body=world.body
        ),
        "b1": routed_item(
            world, "forwarded", cell="b1", routed_organization=world.e, answer_organization=world.e
        ),
        "a1_overdue": routed_item(world, "forwarded", due_on=past),
    }


EVERYTHING = {"a1_new", "a1_commune", "a2_body", "b1", "a1_overdue"}
SEES = {
    "secretary": {"a1_new", "a1_commune", "a1_overdue"},
    "secretary_a2": {"a2_body"},
    "cadre_user": {"a1_new", "a1_commune", "a1_overdue"},
    "answerer_c": {"a1_commune", "a1_overdue"},
    "body_user": {"a2_body"},
    "answerer_d": {"a1_overdue"},
    "staff_c": {"a1_new", "a1_commune", "a2_body", "a1_overdue"},
    "staff_e": {"b1"},
    "admin_d": EVERYTHING,
    "outsider": set(),
}
MAY = {
    FORWARD: {
        "cadre_user": {"a1_new", "a1_commune", "a1_overdue"},
        "staff_c": {"a1_new", "a1_commune", "a2_body", "a1_overdue"},
        "staff_e": {"b1"},
        "admin_d": EVERYTHING,
    },
    ANSWER: {
        "answerer_c": {"a1_commune", "a1_overdue"},
        "body_user": {"a2_body"},
        # the admin answers what is owed in the subtree: C and E are below D
        "admin_d": EVERYTHING - {"a1_new"},
    },
    READBACK: {
        "secretary": {"a1_new", "a1_commune", "a1_overdue"},
        "secretary_a2": {"a2_body"},
        "admin_d": EVERYTHING,
    },
}


def names(items, queryset):
    pks = set(queryset.values_list("pk", flat=True))
    return {name for name, item in items.items() if item.pk in pks}


@pytest.mark.parametrize("user", sorted(SEES))
def test_visible_items_per_user(world, items, user):
    assert names(items, access.visible(getattr(world, user), FeedbackItem)) == SEES[user]


@pytest.mark.parametrize("action", [FORWARD, ANSWER, READBACK])
@pytest.mark.parametrize("user", sorted(SEES))
def test_allowed_moves_per_user(world, items, user, action):
    allowed = access.visible(getattr(world, user), FeedbackItem, action)
    assert names(items, allowed) == MAY[action].get(user, set())


@pytest.mark.parametrize("user", sorted(SEES))
def test_detail_page_status_per_user(client, world, items, user):
    client.force_login(getattr(world, user))
    for name, item in items.items():
        response = client.get(reverse("feedback_detail", args=[item.pk]))
        assert response.status_code == (200 if name in SEES[user] else 404), name


def test_list_page_shows_only_visible_items(client, world, items):
    client.force_login(world.body_user)
    response = client.get(reverse("feedback_list"))
    assert [row.pk for row in response.context["page_obj"]] == [items["a2_body"].pk]


def test_answerer_linked_under_routed_item_is_visible(world, items):
    child = routed_item(world, "forwarded", cell="b1", main_item=items["a1_commune"])
    visible = access.visible(world.answerer_c, FeedbackItem)
    assert visible.filter(pk=child.pk).exists()
    assert not access.visible(world.body_user, FeedbackItem).filter(pk=child.pk).exists()


def test_body_answerer_sees_the_items_linked_under_its_items(world, items):
    child = routed_item(world, "forwarded", cell="b1", main_item=items["a2_body"])
    assert access.visible(world.body_user, FeedbackItem).filter(pk=child.pk).exists()
    assert not access.visible(world.secretary, FeedbackItem).filter(pk=child.pk).exists()


def test_own_bodies_and_visits_are_read_once_a_request(world, items, django_assert_num_queries):
    user = world.body_user
    with django_assert_num_queries(3):  # the roles, the member, then the bodies and visits
        access.visible(user, FeedbackItem)
    with django_assert_num_queries(0):  # building the other scopes reads nothing more
        access.visible(user, FeedbackItem, ANSWER)
        access.visible(user, FeedbackItem, FORWARD)


def test_escalation_ends_when_answered(world, items):
    overdue = items["a1_overdue"]
    FeedbackItem.objects.filter(pk=overdue.pk).update(state="answered")
    assert not access.visible(world.answerer_d, FeedbackItem).filter(pk=overdue.pk).exists()


def test_too_low_role_gets_403_on_a_move(client, world, items):
    client.force_login(world.secretary)
    url = reverse("feedback_forward", args=[items["a1_new"].pk])
    assert client.get(url).status_code == 403
    client.force_login(world.answerer_d)
    url = reverse("feedback_move", args=[items["a1_overdue"].pk, "answer"])
    assert client.post(url, {"text": "x"}).status_code == 403
    client.force_login(world.staff_e)
    assert client.post(url, {"text": "x"}).status_code == 404
    assert FeedbackItem.objects.get(pk=items["a1_overdue"].pk).state == "forwarded"


@pytest.fixture
def attachment(world, items):
    item = items["a2_body"]
    attachment = Attachment(
        item=item, original_name="don-kien-nghi.pdf", content_type="application/pdf", size=len(PDF)
    )
    attachment.file.save("don-kien-nghi.pdf", SimpleUploadedFile("x.pdf", PDF), save=True)
    return attachment


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("secretary_a2", 200),
        ("body_user", 200),
        ("staff_c", 200),
        ("admin_d", 200),
        ("secretary", 404),
        ("cadre_user", 404),
        ("answerer_c", 404),
        ("answerer_d", 404),
        ("staff_e", 404),
        ("outsider", 404),
    ],
)
def test_attachment_download_per_user(client, world, attachment, user, status):
    client.force_login(getattr(world, user))
    response = client.get(reverse("feedback_attachment", args=[attachment.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == 'attachment; filename="don-kien-nghi.pdf"'


def test_attachment_refused_to_anonymous(client, attachment):
    response = client.get(reverse("feedback_attachment", args=[attachment.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_attachment_is_stored_under_a_random_name(attachment):
    assert attachment.file.name.startswith("feedback/")
    assert "don-kien-nghi" not in attachment.file.name
    assert attachment.file.name.endswith(".pdf")
