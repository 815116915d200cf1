"""The feedback list's answering-body filter is a search picker: hundreds of
bodies in a province never become hundreds of <option>s."""

import pytest
from django.urls import reverse

from feedback.filters import FeedbackFilter
from feedback.models import AnsweringBody, FeedbackItem
from tests.factories import (
    AnsweringBodyFactory,
    CellFactory,
    FeedbackItemFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    commune = OrganizationFactory(name="Đảng bộ xã Cò Nòi")
    cell = CellFactory(parent=commune, name="Chi bộ bản Lếch")
    staff = UserFactory(username="body-staff")
    RoleFactory(user=staff, organization=commune, kind="staff")
    roads = AnsweringBodyFactory(name="Phòng Kinh tế - Hạ tầng", organization=commune)
    land = AnsweringBodyFactory(name="Phòng Tài nguyên và Môi trường", organization=commune)
    answerer = UserFactory(username="body-answerer")
    land.answerers.add(answerer)
    return {
        "commune": commune,
        "cell": cell,
        "staff": staff,
        "roads": roads,
        "land": land,
        "answerer": answerer,
    }


def ask(client, user, q=""):
    client.force_login(user)
    response = client.get(reverse("picker", kwargs={"name": "bodies"}), {"q": q})
    assert response.status_code == 200
    return [(r["label"], r["detail"]) for r in response.json()["results"]]


def test_bodies_are_found_without_diacritics_with_their_committee(client, world):
    assert ask(client, world["staff"], "tai nguyen") == [
        ("Phòng Tài nguyên và Môi trường", "Đảng bộ xã Cò Nòi")
    ]
    assert ask(client, world["staff"], "PHONG") == [
        ("Phòng Kinh tế - Hạ tầng", "Đảng bộ xã Cò Nòi"),
        ("Phòng Tài nguyên và Môi trường", "Đảng bộ xã Cò Nòi"),
    ]


def test_a_user_with_no_role_finds_only_the_bodies_they_answer_for(client, world):
    assert ask(client, world["answerer"], "phong") == [
        ("Phòng Tài nguyên và Môi trường", "Đảng bộ xã Cò Nòi")
    ]
    assert ask(client, UserFactory(username="body-nobody"), "phong") == []


def test_the_folded_name_follows_a_rename(world):
    body = world["roads"]
    body.name = "Phòng Văn hóa - Xã hội"
    body.save()

    assert AnsweringBody.objects.get(pk=body.pk).search_name == "phong van hoa - xa hoi"


def test_filter_by_a_chosen_body_and_by_typed_text(world):
    routed = FeedbackItemFactory(cell=world["cell"], routed_body=world["land"])
    FeedbackItemFactory(cell=world["cell"], routed_body=world["roads"])
    items = FeedbackItem.objects.all()

    by_id = FeedbackFilter({"body": str(world["land"].pk)}, queryset=items, user=world["staff"])
    typed = FeedbackFilter({"body_q": "moi truong"}, queryset=items, user=world["staff"])

    assert list(by_id.qs) == [routed]
    assert list(typed.qs) == [routed]


def test_a_body_the_user_may_not_see_is_refused_with_a_message(world):
    hidden = AnsweringBodyFactory(name="Phòng Nội vụ")
    nobody = UserFactory(username="body-outsider")
    world["land"].answerers.add(nobody)

    found = FeedbackFilter(
        {"body": str(hidden.pk)}, queryset=FeedbackItem.objects.all(), user=nobody
    )

    assert not found.form.is_valid()
    assert "body" in found.form.errors


def test_the_list_page_renders_no_option_per_body(client, world):
    client.force_login(world["staff"])
    before = client.get(reverse("feedback_list"))
    AnsweringBodyFactory.create_batch(200, organization=world["commune"])
    after = client.get(reverse("feedback_list"))

    assert before.status_code == after.status_code == 200
    assert abs(len(after.content) - len(before.content)) < 100
    assert b'name="body_q"' in after.content
