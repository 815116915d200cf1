"""The attendance figures a secretary reads: the assigned cadres counted from the
list the page shows, switch words that follow the switch, the guests joined
without a trailing comma."""

import re

import pytest
from django.urls import reverse

from meetings.models import CadreVisit, Guest
from meetings.selectors.meeting_page import attendance_sheet
from tests.factories import AssignmentFactory
from tests.meetings.test_attendance import cell, commune, meeting, people, secretary

pytestmark = pytest.mark.django_db
__all__ = ["cell", "commune", "meeting", "people", "secretary"]  # shared fixtures
# The pages answer in Vietnamese, the default language.


@pytest.fixture
def cadres(cell, meeting):
    """Two cadres assigned to the cell; only the first came."""
    came = AssignmentFactory(cell=cell, cadre__full_name="Hoàng Văn Cán").cadre
    away = AssignmentFactory(cell=cell, cadre__full_name="Vì Thị Vắng").cadre
    CadreVisit.objects.create(meeting=meeting, cadre=came, attended=True)
    return came, away


def badge(html: str) -> str:
    found = re.search(r"Cán bộ được phân công dự <b[^>]*>(\d+)</b>/(\d+)", html)
    return found and "/".join(found.groups())


def test_the_attendance_page_counts_the_cadres_it_lists(client, meeting, people, secretary, cadres):
    client.force_login(secretary)

    response = client.get(reverse("attendance_edit", args=[meeting.pk]))

    html = response.content.decode()
    assert html.count('class="form-check-input js-cadre"') == 2
    assert badge(html) == "1/2"
    assert response.context["summary"]["cadres"] == 2
    assert response.context["summary"]["cadres_present"] == 1


def test_no_cadre_came_still_shows_the_count(client, meeting, people, secretary, cell):
    AssignmentFactory(cell=cell)
    client.force_login(secretary)

    html = client.get(reverse("attendance_edit", args=[meeting.pk])).content.decode()

    assert badge(html) == "0/1"


def test_the_meeting_page_shows_the_same_cadre_count(client, meeting, people, secretary, cadres):
    client.force_login(secretary)

    html = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()

    assert badge(html) == "1/2"


def test_a_cadre_switch_carries_both_words_for_its_state(
    client, meeting, people, secretary, cadres
):
    came, away = cadres
    client.force_login(secretary)

    html = client.get(reverse("attendance_edit", args=[meeting.pk])).content.decode()

    words = '<span class="when-on">đã dự</span><span class="when-off">không dự</span></label>'
    assert re.search(rf'id="id_cadre_{came.pk}" checked>', html)
    assert re.search(rf'id="id_cadre_{away.pk}">', html)
    assert html.count(words) == 2
    assert "· đã dự</label>" not in html


def test_guest_names_join_cadres_and_guests(meeting, cadres):
    Guest.objects.create(meeting=meeting, name="Trưởng bản Lò Văn Minh")

    assert attendance_sheet(meeting).guest_names == ["Hoàng Văn Cán", "Trưởng bản Lò Văn Minh"]


def test_the_minutes_editor_lists_a_lone_cadre_without_a_trailing_comma(
    client, meeting, people, secretary, cadres
):
    client.force_login(secretary)

    html = client.get(reverse("minutes_edit", args=[meeting.pk])).content.decode()

    assert re.search(r"· khách mời: Hoàng Văn Cán\s*·", html)
    assert "Hoàng Văn Cán," not in html


def test_the_minutes_editor_joins_cadres_and_guests_with_commas(
    client, meeting, people, secretary, cadres
):
    Guest.objects.create(meeting=meeting, name="Trưởng bản <Minh>")
    client.force_login(secretary)

    html = client.get(reverse("minutes_edit", args=[meeting.pk])).content.decode()

    assert re.search(r"· khách mời: Hoàng Văn Cán, Trưởng bản &lt;Minh&gt;\s*·", html)
