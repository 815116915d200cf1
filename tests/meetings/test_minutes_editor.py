"""The minutes editor as a browser sees it: its inputs post back what they
show, over-long text is refused with its field named and the rest kept, a
conflict covers speeches and tasks, the service worker and sign-out."""

import copy
import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.models import Minutes
from meetings.services.attendance import Entry, save_attendance
from meetings.services.minutes import SpeechData, TaskData, save_minutes, start_minutes
from tests.factories import MeetingFactory, MemberFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=7))


class BrowserForm(HTMLParser):
    """What a browser posts for a form: the successful controls, outside any
    <template>, with a date or time input's value sanitized as the HTML
    standard says (a value not in ISO form is shown, and sent, as empty)."""

    VALID = {
        "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
        "time": re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"),
    }

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.template = form_id, False, 0
        self.data, self.widgets = [], {}
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "template":
            self.template += 1
        if self.template or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            self.widgets[name] = (kind, a.get("value", ""))
            value = a.get("value", "")
            if kind in self.VALID and not self.VALID[kind].match(value):
                value = ""
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.data.append((name, value))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            if self._select[2] is None:
                self._select[2] = a.get("value", "")
            if "selected" in a:
                self._select[1] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self.template -= 1
        elif tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea:
            name, text = self._textarea
            # A browser drops the one newline right after <textarea>.
            self.data.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select:
            name, chosen, first = self._select
            self.data.append((name, chosen if chosen is not None else first))
            self._select = None


def posted_by_browser(html: str) -> BrowserForm:
    parser = BrowserForm("minutes-form")
    parser.feed(html)
    return parser


@pytest.fixture
def members(cell):
    return [MemberFactory(cell=cell, full_name=n) for n in ("Lò Văn An", "Lò Thị Bình")]


@pytest.fixture
def alice(cell):
    user = UserFactory(username="alice", first_name="Alice")
    RoleFactory(user=user, organization=cell, kind="secretary")
    return user


@pytest.fixture
def bob(cell):
    user = UserFactory(username="bob", first_name="Bob")
    RoleFactory(user=user, organization=cell, kind="deputy")
    return user


@pytest.fixture
def minutes(cell, members, alice):
    meeting = MeetingFactory(
        cell=cell, state="planned", scheduled_at=datetime.datetime(2026, 2, 5, 19, 30, tzinfo=TZ)
    )
    save_attendance(meeting=meeting, members=[Entry(m.pk, "present") for m in members], by=None)
    draft = start_minutes(meeting=meeting, by=alice)
    return save_minutes(
        minutes=draft,
        version=1,
        content={
            "chair_id": members[0].pk,
            "minute_taker_id": members[1].pk,
            "started_at": datetime.datetime(2026, 2, 5, 19, 30, tzinfo=TZ),
            "ended_at": datetime.datetime(2026, 2, 5, 21, 15, tzinfo=TZ),
            "news": "Dòng một\nDòng hai",
            "resolution": "Giúp hộ nghèo",
            "votes_for": 2,
            "votes_against": 0,
            "votes_abstain": 0,
            "read_back_adopted": True,
        },
        speeches=[SpeechData("Nhất trí", member_id=members[1].pk, key="s1")],
        tasks=[
            TaskData("Giúp hộ nghèo", assignee_id=members[0].pk, due_on=datetime.date(2026, 12, 31))
        ],
        by=alice,
    )


def state(minutes: Minutes):
    minutes.refresh_from_db()
    fields = [f.attname for f in Minutes._meta.concrete_fields]
    # The autosave's bookkeeping (shown_version, posted_digests) is not content.
    skip = {"version", "updated_at", "updated_by_id", "shown_version", "posted_digests"}
    return (
        {f: getattr(minutes, f) for f in fields if f not in skip},
        list(minutes.speeches.values_list("member_id", "speaker_name", "text", "order", "key")),
        list(minutes.tasks.values_list("title", "assignee_id", "assignee_text", "due_on", "key")),
    )


@pytest.mark.parametrize("language", ["vi", "en"])
def test_minutes_editor_posted_back_as_rendered_changes_nothing(client, minutes, alice, language):
    client.force_login(alice)
    client.cookies["django_language"] = language
    before = state(minutes)
    with translation.override(language):
        page = client.get(reverse("minutes_edit", args=[minutes.meeting_id]))
    form = posted_by_browser(page.content.decode())

    assert form.widgets["tasks-0-due_on"] == ("date", "2026-12-31")
    assert form.widgets["started_time"] == ("time", "19:30")
    assert form.widgets["ended_time"] == ("time", "21:15")
    rows = minutes.history.count()
    response = client.post(reverse("minutes_autosave", args=[minutes.pk]), dict(form.data))

    assert response.status_code == 200
    # Nothing changed, so nothing is written: the same version, no history row.
    assert response.json()["version"] == 2
    assert state(minutes) == before
    assert minutes.history.count() == rows


def test_every_date_and_time_input_of_the_product_sends_iso(settings):
    """A native date/time input shows nothing for a localized value: every
    form of the product renders them in ISO, through the shared widgets."""
    import chibo.forms
    import chibo.orgs.forms
    import feedback.filters
    import feedback.forms
    import meetings.forms_cadres
    import meetings.forms_minutes
    import meetings.forms_schedule
    import members.forms

    modules = [
        chibo.orgs.forms,
        feedback.filters,
        feedback.forms,
        meetings.forms_cadres,
        meetings.forms_minutes,
        meetings.forms_schedule,
        members.forms,
    ]
    found = []
    for module in modules:
        for thing in vars(module).values():
            declared = getattr(thing, "base_fields", None) or getattr(thing, "base_filters", None)
            for name, field in (declared or {}).items():
                # A copy: a filter caches its form field, and a field cached on
                # the class would outlive the queryset a FilterSet sets per user.
                widget = getattr(field, "widget", None) or copy.deepcopy(field).field.widget
                if getattr(widget, "input_type", "") in ("date", "time"):
                    found.append((thing.__name__, name))
                    assert type(widget) in (chibo.forms.DateInput, chibo.forms.TimeInput), name
    with translation.override("vi"):
        day = chibo.forms.DateInput().format_value(datetime.date(2026, 12, 31))
        time = chibo.forms.TimeInput().format_value(datetime.time(19, 30))
    assert (day, time) == ("2026-12-31", "19:30")
    assert len(found) >= 10


# Limits --------------------------------------------------------------------------------------


def test_minutes_edit_over_long_text_is_refused_and_the_rest_is_kept(client, minutes, alice):
    client.force_login(alice)
    with translation.override("vi"):
        page = client.get(reverse("minutes_edit", args=[minutes.meeting_id]))
    data = dict(posted_by_browser(page.content.decode()).data)
    data.update({"news": "Tin" + "x" * 8001, "criticism": "Phê bình mới", "speeches-0-text": "Sửa"})

    with translation.override("vi"):
        response = client.post(reverse("minutes_edit", args=[minutes.meeting_id]), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "“Thông tin thời sự, quán triệt văn bản mới” quá dài: tối đa 8000 ký tự (đã nhập 8004)."
        in html
    )
    assert "Phê bình mới</textarea>" in html
    assert "\nSửa</textarea>" in html
    assert Minutes.objects.get(pk=minutes.pk).version == 2


def test_minutes_autosave_over_long_task_names_the_field(client, minutes, alice):
    client.force_login(alice)
    page = client.get(reverse("minutes_edit", args=[minutes.meeting_id]))
    data = dict(posted_by_browser(page.content.decode()).data)
    data["tasks-0-title"] = "x" * 1001

    response = client.post(
        reverse("minutes_autosave", args=[minutes.pk]), data, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "tasks-0-title": ["“Task” is too long: at most 1000 characters (it has 1001)."]
    }


# Conflicts over speeches and tasks -------------------------------------------------------------


def test_minutes_autosave_conflict_on_a_speech_shows_both_and_merges_the_rest(
    client, minutes, members, alice, bob
):
    client.force_login(alice)
    page = client.get(reverse("minutes_edit", args=[minutes.meeting_id]))
    data = dict(posted_by_browser(page.content.decode()).data)
    save_minutes(
        minutes=minutes,
        version=2,
        content={},
        speeches=[SpeechData("Bob sửa", member_id=members[1].pk, key="s1")],
        tasks=[TaskData("Việc của Bob", key="bob-task")],
        by=bob,
    )
    data.update({"speeches-0-text": "Alice sửa", "news": "Tin của Alice"})

    response = client.post(
        reverse("minutes_autosave", args=[minutes.pk]), data, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    body = response.json()
    assert body["conflicts"] == [
        {
            "key": "speech:s1",
            "label": "Speech",
            "mine": "Lò Thị Bình: Alice sửa",
            "theirs": "Lò Thị Bình: Bob sửa",
        }
    ]
    fields = dict(body["fields"])
    assert (fields["news"], fields["speeches-0-text"], fields["version"]) == (
        "Tin của Alice",
        "Alice sửa",
        "3",
    )
    # Alice's task was removed by Bob's save (it was unchanged here): gone;
    # Bob's new task is in the merged form.
    assert [fields[k] for k in sorted(fields) if k.endswith("-title")] == ["Việc của Bob"]
    assert 'name="resolve-speech:s1"' in body["html"]
    assert Minutes.objects.get(pk=minutes.pk).news == "Dòng một\nDòng hai"

    data = {**fields, "resolve-speech:s1": "both"}
    response = client.post(reverse("minutes_autosave", args=[minutes.pk]), data)

    assert response.status_code == 200
    minutes.refresh_from_db()
    assert minutes.news == "Tin của Alice"
    assert list(minutes.speeches.values_list("text", flat=True)) == ["Alice sửa", "Bob sửa"]
    assert list(minutes.tasks.values_list("title", flat=True)) == ["Việc của Bob"]


def test_minutes_autosave_resent_save_answers_as_saved(client, minutes, alice):
    client.force_login(alice)
    page = client.get(reverse("minutes_edit", args=[minutes.meeting_id]))
    data = dict(posted_by_browser(page.content.decode()).data)
    data.update({"news": "Gửi hai lần", "editor_token": "t1", "save_id": "s1"})
    url = reverse("minutes_autosave", args=[minutes.pk])

    first = client.post(url, data)
    second = client.post(url, data)

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["version"] == second.json()["version"] == 3


# The service worker and signing out -------------------------------------------------------------


def test_minutes_service_worker_is_served_above_the_editor(client):
    response = client.get(reverse("minutes_service_worker"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/meetings/"
    assert reverse("minutes_service_worker") == "/meetings/minutes-sw.js"
    assert 'new RegExp("^/meetings/\\\\d+/minutes/$")' in response.content.decode()


def test_sign_out_tells_the_browser_to_clear_what_it_kept(client, alice):
    client.force_login(alice)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'


def test_minutes_edit_without_script_conflict_then_choice_keeps_both(
    client, minutes, members, alice, bob
):
    client.force_login(alice)
    url = reverse("minutes_edit", args=[minutes.meeting_id])
    data = dict(posted_by_browser(client.get(url).content.decode()).data)
    save_minutes(
        minutes=minutes,
        version=2,
        content={"criticism": "Bob phê bình"},
        speeches=[SpeechData("Nhất trí", member_id=members[1].pk, key="s1")],
        tasks=[TaskData("Việc của Bob", key="bob-task")],
        by=bob,
    )
    data["criticism"] = "Alice phê bình"

    conflict = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert conflict.status_code == 409
    form = posted_by_browser(conflict.content.decode())
    assert ("resolve-field:criticism", "mine") in form.data  # checked by default
    choices = [(k, v) for k, v in form.data if not k.startswith("resolve-")]
    response = client.post(url, {**dict(choices), "resolve-field:criticism": "both"})

    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.criticism == "Alice phê bình\n\nBob phê bình"
    assert list(minutes.tasks.values_list("title", flat=True)) == ["Việc của Bob"]
    assert list(minutes.speeches.values_list("text", flat=True)) == ["Nhất trí"]
