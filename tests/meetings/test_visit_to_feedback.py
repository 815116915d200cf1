"""From a saved visit to a feedback item: the offer after saving, and the
feedback form filled in with what the cadre heard (the cadre's own visit only)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from meetings.models import CadreVisit
from tests.meetings.test_cadre_views import in_days, make_cadre, meeting_at, user_with, world

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the fixture, shared with the cadre views' tests

HEARD = "Đề nghị sửa đường liên thôn bị sạt lở sau mưa lũ."


@pytest.fixture
def cadre(world, client):
    user, member = make_cadre(world)
    client.force_login(user)
    return member


@pytest.fixture
def held(world):
    return meeting_at(world["A1"], in_days(-3), state="held")


def record_url(visit: CadreVisit) -> str:
    return f"{reverse('feedback_create')}?visit={visit.pk}"


def save_visit(client, meeting, heard):
    return client.post(
        reverse("visit_edit", args=[meeting.pk]),
        {"attended": "on", "reported": "", "heard": heard},
        follow=True,
    )


def test_saving_a_visit_with_feedback_heard_offers_to_record_it(client, cadre, held):
    response = save_visit(client, held, HEARD)

    visit = CadreVisit.objects.get()
    with translation.override("vi"):
        saved = gettext("Your visit to %(cell)s is recorded.") % {"cell": held.cell}
    assert response.redirect_chain == [(reverse("cadre_home"), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f'{saved} <a class="alert-link" href="{record_url(visit)}">'
        "Ghi ý kiến, kiến nghị đã nghe</a>"
    ]
    assert f'href="{record_url(visit)}">Ghi ý kiến, kiến nghị đã nghe</a>' in (
        response.content.decode()
    )


def test_saving_a_visit_with_nothing_heard_only_confirms(client, cadre, held):
    response = save_visit(client, held, "  ")

    with translation.override("vi"):
        saved = gettext("Your visit to %(cell)s is recorded.") % {"cell": held.cell}
    assert [str(m) for m in response.context["messages"]] == [saved]
    assert "?visit=" not in response.content.decode()


def test_the_offer_escapes_the_cell_name(client, cadre, held):
    type(held.cell).objects.filter(pk=held.cell_id).update(name="Chi bộ <b>thôn</b> Đông")

    response = save_visit(client, held, HEARD)

    assert "Chi bộ &lt;b&gt;thôn&lt;/b&gt; Đông" in str(list(response.context["messages"])[0])


def test_the_feedback_form_from_the_own_visit_holds_what_was_heard(client, cadre, held):
    save_visit(client, held, HEARD)
    visit = CadreVisit.objects.get()

    response = client.get(record_url(visit))

    assert response.status_code == 200
    assert response.context["form"].initial == {"text": HEARD}
    assert (response.context["meeting"], response.context["visit"]) == (held, visit)
    page = response.content.decode()
    assert f"\n{HEARD}</textarea>" in page
    assert str(held) in page


def test_another_cadres_visit_to_the_same_cell_is_403(client, world, cadre, held):
    _, other = make_cadre(world)
    theirs = CadreVisit.objects.create(meeting=held, cadre=other, heard="Của người khác")

    response = client.get(record_url(theirs))

    assert response.status_code == 403
    assert "Của người khác" not in response.content.decode()


def test_the_cells_secretary_opening_a_cadres_visit_gets_an_empty_form(client, world, held):
    _, member = make_cadre(world)
    visit = CadreVisit.objects.create(meeting=held, cadre=member, heard=HEARD)
    client.force_login(user_with("secretary", world["A1"]))

    response = client.get(record_url(visit))

    assert response.status_code == 200
    assert response.context["form"].initial == {}
    assert HEARD not in response.content.decode()


def test_a_visit_outside_the_scope_is_404(client, world, held):
    _, member = make_cadre(world)
    visit = CadreVisit.objects.create(meeting=held, cadre=member, heard=HEARD)
    client.force_login(user_with("secretary", world["B1"]))

    assert client.get(record_url(visit)).status_code == 404
