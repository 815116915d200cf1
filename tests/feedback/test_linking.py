"""The same matter from several cells: linked under one item, answered once."""

import datetime

import pytest
from django.urls import reverse

from chibo import access
from feedback import services
from feedback.models import FeedbackItem
from feedback.workflow import WorkflowError
from tests.factories import MeetingFactory

from .conftest import routed_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def main(world):
    return routed_item(world, "forwarded", cell="a1", text="Khai thác cát trái phép trên sông La")


def test_link_new_item_forwards_it_with_the_main_routing(world, main):
    child = routed_item(world, "new", cell="a2", text="Cát bị khai thác trái phép ở sông La")
    services.link_item(item=child, main=main, by=world.staff_c)
    child.refresh_from_db()
    assert (child.main_item, child.state, child.routed_organization, child.due_on) == (
        main,
        "forwarded",
        world.c,
        main.due_on,
    )
    assert child.events.latest("id").note == f"Linked under #{main.pk}."
    assert main.events.latest("id").note == f"#{child.pk} linked under this item."


def test_answer_once_reaches_every_linked_item(world, main):
    children = [routed_item(world, "new", cell=cell) for cell in ("a1", "a2")]
    for child in children:
        services.link_item(item=child, main=main, by=world.staff_c)
    services.start_item(item=main, by=world.answerer_c)
    services.answer_item(item=main, by=world.answerer_c, answer="Đã xử phạt, tịch thu phương tiện.")
    for item in [main, *children]:
        item.refresh_from_db()
        assert (item.state, item.answer, item.answered_by) == (
            "answered",
            "Đã xử phạt, tịch thu phương tiện.",
            world.answerer_c,
        )
    event = children[1].events.latest("id")
    assert (event.action, event.from_state, event.by, event.note) == (
        "answer_linked",
        "forwarded",
        None,
        f"Answered with #{main.pk}.",
    )


def test_each_cell_reads_back_its_own_linked_item(client, world, main):
    child = routed_item(world, "new", cell="a2")
    services.link_item(item=child, main=main, by=world.staff_c)
    services.start_item(item=main, by=world.answerer_c)
    services.answer_item(item=main, by=world.answerer_c, answer="Trả lời chung.")
    april_a2 = MeetingFactory(cell=world.a2, period=datetime.date(2026, 4, 1), state="planned")
    client.force_login(world.secretary_a2)
    response = client.get(reverse("feedback_readback", args=[april_a2.pk]))
    assert [item.pk for item in response.context["awaiting"]] == [child.pk]
    services.read_back_item(item=child, meeting=april_a2, by=world.secretary_a2, is_satisfied=False)
    child.refresh_from_db()
    # Not satisfied: the item leaves the group to get an answer of its own.
    assert (child.state, child.main_item) == ("reopened", None)
    main.refresh_from_db()
    assert main.state == "answered"


def test_linked_item_is_not_moved_on_its_own(world, main):
    child = routed_item(world, "new", cell="a2")
    services.link_item(item=child, main=main, by=world.staff_c)
    with pytest.raises(WorkflowError) as error:
        services.start_item(item=child, by=world.answerer_c)
    assert (
        str(error.value) == f"This item is linked under #{main.pk}: it is handled with that item."
    )


def test_body_sees_items_linked_under_its_item(world):
    main = routed_item(world, "forwarded", routed_organization=None, routed_body=world.body)
    child = routed_item(world, "new", cell="b1")
    services.link_item(item=child, main=main, by=world.admin_d)
    assert set(access.visible(world.body_user, FeedbackItem).values_list("pk", flat=True)) == {
        main.pk,
        child.pk,
    }


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("self", "An item cannot be linked to itself."),
        ("chain", "is itself linked under"),
        ("closed", "Only items still waiting for an answer can be linked."),
        ("has_children", "This item has linked items of its own."),
    ],
)
def test_illegal_links_refused(world, main, case, message):
    item = routed_item(world, "new", cell="a2")
    target = main
    if case == "self":
        target = item
    elif case == "chain":
        services.link_item(item=item, main=main, by=world.staff_c)
        target, item = item, routed_item(world, "new", cell="a2")
    elif case == "closed":
        target = routed_item(world, "closed")
    elif case == "has_children":
        services.link_item(item=routed_item(world, "new", cell="a2"), main=item, by=world.staff_c)
    with pytest.raises(WorkflowError) as error:
        services.link_item(item=item, main=target, by=world.staff_c)
    assert message in str(error.value)


def test_link_needs_forward_right_on_both(world, main):
    from django.core.exceptions import PermissionDenied

    other = routed_item(world, "new", cell="b1")
    with pytest.raises(PermissionDenied):
        services.link_item(item=other, main=main, by=world.staff_c)


def test_link_and_unlink_through_the_page(client, world, main):
    child = routed_item(world, "new", cell="a2")
    client.force_login(world.staff_c)
    response = client.post(reverse("feedback_link", args=[child.pk]), {"main": main.pk})
    assert response.status_code == 302
    assert FeedbackItem.objects.get(pk=child.pk).main_item_id == main.pk
    page = client.get(reverse("feedback_detail", args=[main.pk]))
    assert [item.pk for item in page.context["linked_items"]] == [child.pk]
    client.post(reverse("feedback_unlink", args=[child.pk]))
    assert FeedbackItem.objects.get(pk=child.pk).main_item_id is None
