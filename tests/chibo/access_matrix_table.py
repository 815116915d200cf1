"""Who gets what from every view: the expected answers of the access matrix.

One entry per named URL. `place` says what the view is about: "organization"
(an organization's page), "cell" (a record kept in a cell: a member, a
meeting, its minutes, an assignment, a feedback item) or None (a page of the
user's own scope, such as a list). For placed views each role's answer reads
"own child sibling parent" (see access_world.py for where each one points;
"-" where the relation does not exist for that user); for the others it is one
status. POST sends no data: a form re-rendered with its errors (200), a
refusal of the service (302 with a message) or a 400/409 from a JSON endpoint
all mean the user was let in. 405: the view takes the other method only.
Anonymous users are sent to sign in (302) except where `anonymous` says otherwise.

Reading a row: staff of A see and edit A and below; secretaries write their
cell's records, deputies and cadres read them; out of scope is 404, in scope
but not allowed 403.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    place: str | None
    answers: dict  # role -> (GET, POST)
    kwargs: Callable | None = None  # (world, place) -> URL kwargs
    query: Callable | None = None  # (world, place) -> query string
    anonymous: tuple = (302, 302)  # (GET, POST), sent to sign in
    headers: dict | None = None  # sent with the request (an htmx fragment's HX-Request)

    def expected(self, method: str, role: str):
        answers = self.anonymous if role == "anonymous" else self.answers[role]
        return answers[("GET", "POST").index(method)]


def org(world, place):
    return {"pk": world.orgs[place].pk}


def member(world, place):
    return {"pk": world.members[place].pk}


def meeting(world, place):
    return {"pk": world.meetings[place].pk}


def minutes(world, place):
    return {"pk": world.minutes[place].pk}


def assignment(world, place):
    return {"pk": world.assignments[place].pk}


def item(world, place):
    return {"pk": world.items[place].pk}


def answer(world, place):
    return {"pk": world.items[place].pk, "action": "answer"}


def attachment(world, place):
    return {"pk": world.attachments[place].pk}


def export_file(world, place):
    return {"pk": world.export_file.pk}


def notification(world, place):
    return {"pk": world.notification.pk}


def of_meeting(world, place):
    return {"meeting": world.meetings[place].pk}


TABLE = {
    # Everyone signed in has a dashboard; its cards count only their scope.
    "dashboard": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (200, 200),
            "deputy": (200, 200),
            "cadre": (200, 200),
            "answerer": (200, 200),
            "body": (200, 200),
            "stranger": (200, 200),
        },
    ),
    # For load balancers: open to anyone, any method.
    "health": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (200, 200),
            "deputy": (200, 200),
            "cadre": (200, 200),
            "answerer": (200, 200),
            "body": (200, 200),
            "stranger": (200, 200),
        },
        anonymous=(200, 200),
    ),
    # List pages answer everyone; what they list is scoped (and LEAK-checked).
    "organization_tree": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (200, 200),
            "deputy": (200, 200),
            "cadre": (200, 200),
            "answerer": (200, 200),
            "body": (200, 200),
            "stranger": (200, 200),
        },
    ),
    # Any role on a node sees that node; only admin and staff see below it.
    "organization_detail": View(
        "organization",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("200 - 404 404", "200 - 404 404"),
            "deputy": ("200 - 404 404", "200 - 404 404"),
            "cadre": ("200 404 404 404", "200 404 404 404"),
            "answerer": ("200 404 404 404", "200 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=org,
    ),
    # The htmx fragment of an organization's children: seen as its page is
    # (without HX-Request a GET is sent to the tree page's `?open=`); GET only.
    "organization_children": View(
        "organization",
        answers={
            "admin": ("200 200 404 404", "405 405 405 405"),
            "staff": ("200 200 404 404", "405 405 405 405"),
            "secretary": ("200 - 404 404", "405 - 405 405"),
            "deputy": ("200 - 404 404", "405 - 405 405"),
            "cadre": ("200 404 404 404", "405 405 405 405"),
            "answerer": ("200 404 404 404", "405 405 405 405"),
            "body": ("404 404 404 404", "405 405 405 405"),
            "stranger": ("404 404 404 404", "405 405 405 405"),
        },
        kwargs=org,
        headers={"HX-Request": "true"},
    ),
    "organization_edit": View(
        "organization",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("403 - 404 404", "403 - 404 404"),
            "deputy": ("403 - 404 404", "403 - 404 404"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("403 404 404 404", "403 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=org,
    ),
    "organization_reorganize": View(
        "organization",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("403 - 404 404", "403 - 404 404"),
            "deputy": ("403 - 404 404", "403 - 404 404"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("403 404 404 404", "403 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=org,
    ),
    "member_list": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (200, 200),
            "deputy": (200, 200),
            "cadre": (200, 200),
            "answerer": (200, 200),
            "body": (200, 200),
            "stranger": (200, 200),
        },
    ),
    # Only those who keep a cell's roll add members: secretaries, staff, admins.
    "member_create": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (200, 200),
            "deputy": (403, 403),
            "cadre": (403, 403),
            "answerer": (403, 403),
            "body": (403, 403),
            "stranger": (403, 403),
        },
    ),
    # Deputies and assigned cadres read the roll; answerers and bodies never.
    "member_detail": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("200 - 404 -", "200 - 404 -"),
            "cadre": ("200 404 404 404", "200 404 404 404"),
            "answerer": ("404 404 404 404", "404 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=member,
    ),
    "member_edit": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("403 - 404 -", "403 - 404 -"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("404 404 404 404", "404 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=member,
    ),
    # Same writers as member_create.
    "member_import": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (200, 200),
            "deputy": (403, 403),
            "cadre": (403, 403),
            "answerer": (403, 403),
            "body": (403, 403),
            "stranger": (403, 403),
        },
    ),
    # A file of what the user sees (empty for a stranger); a POST (or a large
    # scope's button) builds it in the background and shows its page.
    "member_export": View(
        None,
        answers={
            "admin": (200, 302),
            "staff": (200, 302),
            "secretary": (200, 302),
            "deputy": (200, 302),
            "cadre": (200, 302),
            "answerer": (200, 302),
            "body": (200, 302),
            "stranger": (200, 302),
        },
    ),
    # Everyone's own notifications (the LEAK one is an outsider's).
    "inbox": View(
        None,
        answers={
            "admin": (200, 405),
            "staff": (200, 405),
            "secretary": (200, 405),
            "deputy": (200, 405),
            "cadre": (200, 405),
            "answerer": (200, 405),
            "body": (200, 405),
            "stranger": (200, 405),
        },
    ),
    # Opening one marks it read and follows its link: the recipient's alone.
    "notification_open": View(
        None,
        answers={
            "admin": (405, 404),
            "staff": (405, 302),
            "secretary": (405, 404),
            "deputy": (405, 404),
            "cadre": (405, 404),
            "answerer": (405, 404),
            "body": (405, 404),
            "stranger": (405, 404),
        },
        kwargs=notification,
    ),
    "notifications_read": View(
        None,
        answers={
            "admin": (405, 302),
            "staff": (405, 302),
            "secretary": (405, 302),
            "deputy": (405, 302),
            "cadre": (405, 302),
            "answerer": (405, 302),
            "body": (405, 302),
            "stranger": (405, 302),
        },
    ),
    # Everyone's own background files (the LEAK one is an outsider's).
    "export_list": View(
        None,
        answers={
            "admin": (200, 405),
            "staff": (200, 405),
            "secretary": (200, 405),
            "deputy": (200, 405),
            "cadre": (200, 405),
            "answerer": (200, 405),
            "body": (200, 405),
            "stranger": (200, 405),
        },
    ),
    # A background file is its owner's (staff's) alone: even an admin gets 404.
    "export_detail": View(
        None,
        answers={
            "admin": (404, 405),
            "staff": (200, 405),
            "secretary": (404, 405),
            "deputy": (404, 405),
            "cadre": (404, 405),
            "answerer": (404, 405),
            "body": (404, 405),
            "stranger": (404, 405),
        },
        kwargs=export_file,
    ),
    "export_download": View(
        None,
        answers={
            "admin": (404, 405),
            "staff": (200, 405),
            "secretary": (404, 405),
            "deputy": (404, 405),
            "cadre": (404, 405),
            "answerer": (404, 405),
            "body": (404, 405),
            "stranger": (404, 405),
        },
        kwargs=export_file,
    ),
    # Building it again is a POST: a new file, or the one being built.
    "export_rebuild": View(
        None,
        answers={
            "admin": (405, 404),
            "staff": (405, 302),
            "secretary": (405, 404),
            "deputy": (405, 404),
            "cadre": (405, 404),
            "answerer": (405, 404),
            "body": (405, 404),
            "stranger": (405, 404),
        },
        kwargs=export_file,
    ),
    "member_import_template": View(
        None,
        answers={
            "admin": (200, 405),
            "staff": (200, 405),
            "secretary": (200, 405),
            "deputy": (200, 405),
            "cadre": (200, 405),
            "answerer": (200, 405),
            "body": (200, 405),
            "stranger": (200, 405),
        },
    ),
    # Staff and admins only: the tree is theirs.
    "organization_import": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (403, 403),
            "deputy": (403, 403),
            "cadre": (403, 403),
            "answerer": (403, 403),
            "body": (403, 403),
            "stranger": (403, 403),
        },
    ),
    "organization_export": View(
        None,
        answers={
            "admin": (200, 302),
            "staff": (200, 302),
            "secretary": (200, 302),
            "deputy": (200, 302),
            "cadre": (200, 302),
            "answerer": (200, 302),
            "body": (200, 302),
            "stranger": (200, 302),
        },
    ),
    "organization_import_template": View(
        None,
        answers={
            "admin": (200, 405),
            "staff": (200, 405),
            "secretary": (200, 405),
            "deputy": (200, 405),
            "cadre": (200, 405),
            "answerer": (200, 405),
            "body": (200, 405),
            "stranger": (200, 405),
        },
    ),
    # Whoever sees the meeting downloads its minutes.
    "minutes_pdf": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("200 - 404 -", "200 - 404 -"),
            "cadre": ("200 404 404 404", "200 404 404 404"),
            "answerer": ("404 404 404 404", "404 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=minutes,
    ),
    "meeting_detail": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("200 - 404 -", "200 - 404 -"),
            "cadre": ("200 404 404 404", "200 404 404 404"),
            "answerer": ("404 404 404 404", "404 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=meeting,
    ),
    # Meetings are written by the cell's secretary and deputy and by admins; staff read.
    "attendance_edit": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("403 403 404 404", "403 403 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("200 - 404 -", "200 - 404 -"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("404 404 404 404", "404 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=meeting,
    ),
    "minutes_edit": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("403 403 404 404", "403 403 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("200 - 404 -", "200 - 404 -"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("404 404 404 404", "404 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=meeting,
    ),
    # 400: allowed, but an empty form is not saved (nor the draft created).
    "minutes_autosave_first": View(
        "cell",
        answers={
            "admin": ("405 405 405 405", "400 400 404 404"),
            "staff": ("405 405 405 405", "403 403 404 404"),
            "secretary": ("405 - 405 -", "400 - 404 -"),
            "deputy": ("405 - 405 -", "400 - 404 -"),
            "cadre": ("405 405 405 405", "403 404 404 404"),
            "answerer": ("405 405 405 405", "404 404 404 404"),
            "body": ("405 405 405 405", "404 404 404 404"),
            "stranger": ("405 405 405 405", "404 404 404 404"),
        },
        kwargs=meeting,
    ),
    # 400: allowed, but an empty form is not saved.
    "minutes_autosave": View(
        "cell",
        answers={
            "admin": ("405 405 405 405", "400 400 404 404"),
            "staff": ("405 405 405 405", "403 403 404 404"),
            "secretary": ("405 - 405 -", "400 - 404 -"),
            "deputy": ("405 - 405 -", "400 - 404 -"),
            "cadre": ("405 405 405 405", "403 404 404 404"),
            "answerer": ("405 405 405 405", "404 404 404 404"),
            "body": ("405 405 405 405", "404 404 404 404"),
            "stranger": ("405 405 405 405", "404 404 404 404"),
        },
        kwargs=minutes,
    ),
    # 302: allowed; the empty draft is refused with a message.
    "minutes_finalize": View(
        "cell",
        answers={
            "admin": ("405 405 405 405", "302 302 404 404"),
            "staff": ("405 405 405 405", "403 403 404 404"),
            "secretary": ("405 - 405 -", "302 - 404 -"),
            "deputy": ("405 - 405 -", "302 - 404 -"),
            "cadre": ("405 405 405 405", "403 404 404 404"),
            "answerer": ("405 405 405 405", "404 404 404 404"),
            "body": ("405 405 405 405", "404 404 404 404"),
            "stranger": ("405 405 405 405", "404 404 404 404"),
        },
        kwargs=minutes,
    ),
    "minutes_amend": View(
        "cell",
        answers={
            "admin": ("405 405 405 405", "302 302 404 404"),
            "staff": ("405 405 405 405", "403 403 404 404"),
            "secretary": ("405 - 405 -", "302 - 404 -"),
            "deputy": ("405 - 405 -", "302 - 404 -"),
            "cadre": ("405 405 405 405", "403 404 404 404"),
            "answerer": ("405 405 405 405", "404 404 404 404"),
            "body": ("405 405 405 405", "404 404 404 404"),
            "stranger": ("405 405 405 405", "404 404 404 404"),
        },
        kwargs=minutes,
    ),
    "minutes_history": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("200 - 404 -", "200 - 404 -"),
            "cadre": ("200 404 404 404", "200 404 404 404"),
            "answerer": ("404 404 404 404", "404 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=minutes,
    ),
    # The editor's service worker: a script with no user data, GET only.
    "minutes_service_worker": View(
        None,
        answers={
            "admin": (200, 405),
            "staff": (200, 405),
            "secretary": (200, 405),
            "deputy": (200, 405),
            "cadre": (200, 405),
            "answerer": (200, 405),
            "body": (200, 405),
            "stranger": (200, 405),
        },
        anonymous=(200, 405),
    ),
    "meeting_list": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (200, 200),
            "deputy": (200, 200),
            "cadre": (200, 200),
            "answerer": (200, 200),
            "body": (200, 200),
            "stranger": (200, 200),
        },
    ),
    "meeting_create": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (403, 403),
            "secretary": (200, 200),
            "deputy": (200, 200),
            "cadre": (403, 403),
            "answerer": (403, 403),
            "body": (403, 403),
            "stranger": (403, 403),
        },
    ),
    "meeting_reschedule": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("403 403 404 404", "403 403 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("200 - 404 -", "200 - 404 -"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("404 404 404 404", "404 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=meeting,
    ),
    # Only the cadre assigned to the cell records a visit.
    "visit_edit": View(
        "cell",
        answers={
            "admin": ("403 403 404 404", "403 403 404 404"),
            "staff": ("403 403 404 404", "403 403 404 404"),
            "secretary": ("403 - 404 -", "403 - 404 -"),
            "deputy": ("403 - 404 -", "403 - 404 -"),
            "cadre": ("200 404 404 404", "200 404 404 404"),
            "answerer": ("404 404 404 404", "404 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=meeting,
    ),
    # Reports: offices (staff, admin) only.
    "thematic_report": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (403, 403),
            "deputy": (403, 403),
            "cadre": (403, 403),
            "answerer": (403, 403),
            "body": (403, 403),
            "stranger": (403, 403),
        },
    ),
    # Only a cadre with a member record has this page.
    "cadre_home": View(
        None,
        answers={
            "admin": (403, 403),
            "staff": (403, 403),
            "secretary": (403, 403),
            "deputy": (403, 403),
            "cadre": (200, 200),
            "answerer": (403, 403),
            "body": (403, 403),
            "stranger": (403, 403),
        },
    ),
    "quota_report": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (403, 403),
            "deputy": (403, 403),
            "cadre": (403, 403),
            "answerer": (403, 403),
            "body": (403, 403),
            "stranger": (403, 403),
        },
    ),
    # The drill-down of the quota report: an organization the user watches as
    # office staff or admin; out of sight 404, in sight without the right 403.
    "quota_report_org": View(
        "organization",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("403 - 404 404", "403 - 404 404"),
            "deputy": ("403 - 404 404", "403 - 404 404"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("403 404 404 404", "403 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=org,
    ),
    # Reports: an office reads the roll-up of any organization it watches.
    "report_home": View(
        None,
        answers={
            "admin": (200, 405),
            "staff": (200, 405),
            "secretary": (403, 405),
            "deputy": (403, 405),
            "cadre": (403, 405),
            "answerer": (403, 405),
            "body": (403, 405),
            "stranger": (403, 405),
        },
    ),
    "report": View(
        "organization",
        answers={
            "admin": ("200 200 404 404", "405 405 405 405"),
            "staff": ("200 200 404 404", "405 405 405 405"),
            "secretary": ("403 - 404 404", "405 - 405 405"),
            "deputy": ("403 - 404 404", "405 - 405 405"),
            "cadre": ("403 404 404 404", "405 405 405 405"),
            "answerer": ("403 404 404 404", "405 405 405 405"),
            "body": ("404 404 404 404", "405 405 405 405"),
            "stranger": ("404 404 404 404", "405 405 405 405"),
        },
        kwargs=org,
    ),
    # A chart of the report, as an SVG image (every organization has this one).
    "report_chart": View(
        "organization",
        answers={
            "admin": ("200 200 404 404", "405 405 405 405"),
            "staff": ("200 200 404 404", "405 405 405 405"),
            "secretary": ("403 - 404 404", "405 - 405 405"),
            "deputy": ("403 - 404 404", "405 - 405 405"),
            "cadre": ("403 404 404 404", "405 405 405 405"),
            "answerer": ("403 404 404 404", "405 405 405 405"),
            "body": ("404 404 404 404", "405 405 405 405"),
            "stranger": ("404 404 404 404", "405 405 405 405"),
        },
        kwargs=lambda world, place: {**org(world, place), "name": "months"},
    ),
    # The official PDF: a POST of the clerk's assessment and signature.
    "report_pdf": View(
        "organization",
        answers={
            "admin": ("405 405 405 405", "200 200 404 404"),
            "staff": ("405 405 405 405", "200 200 404 404"),
            "secretary": ("405 - 405 405", "403 - 404 404"),
            "deputy": ("405 - 405 405", "403 - 404 404"),
            "cadre": ("405 405 405 405", "403 404 404 404"),
            "answerer": ("405 405 405 405", "403 404 404 404"),
            "body": ("405 405 405 405", "404 404 404 404"),
            "stranger": ("405 405 405 405", "404 404 404 404"),
        },
        kwargs=org,
    ),
    # The ZIP of the period's minutes: always offered (GET), queued on POST.
    "report_minutes_zip": View(
        "organization",
        answers={
            "admin": ("200 200 404 404", "302 302 404 404"),
            "staff": ("200 200 404 404", "302 302 404 404"),
            "secretary": ("403 - 404 404", "403 - 404 404"),
            "deputy": ("403 - 404 404", "403 - 404 404"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("403 404 404 404", "403 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=org,
    ),
    # The spreadsheet: sent at once (GET) or queued in the background (POST: 302).
    "report_xlsx": View(
        "organization",
        answers={
            "admin": ("200 200 404 404", "302 302 404 404"),
            "staff": ("200 200 404 404", "302 302 404 404"),
            "secretary": ("403 - 404 404", "403 - 404 404"),
            "deputy": ("403 - 404 404", "403 - 404 404"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("403 404 404 404", "403 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=org,
    ),
    "assignment_list": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (200, 200),
            "deputy": (200, 200),
            "cadre": (200, 200),
            "answerer": (200, 200),
            "body": (200, 200),
            "stranger": (200, 200),
        },
    ),
    # Offices assign cadres in their subtree.
    "assignment_create": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (403, 403),
            "deputy": (403, 403),
            "cadre": (403, 403),
            "answerer": (403, 403),
            "body": (403, 403),
            "stranger": (403, 403),
        },
    ),
    "assignment_bulk": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (403, 403),
            "deputy": (403, 403),
            "cadre": (403, 403),
            "answerer": (403, 403),
            "body": (403, 403),
            "stranger": (403, 403),
        },
    ),
    # Cadres see their assignments but do not end them.
    "assignment_end": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("403 - 404 -", "403 - 404 -"),
            "deputy": ("403 - 404 -", "403 - 404 -"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("404 404 404 404", "404 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=assignment,
    ),
    "feedback_list": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (200, 200),
            "deputy": (200, 200),
            "cadre": (200, 200),
            "answerer": (200, 200),
            "body": (200, 200),
            "stranger": (200, 200),
        },
    ),
    # From ?meeting=: whoever writes the meeting (cadres record from their visit).
    "feedback_create": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("403 403 404 404", "403 403 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("200 - 404 -", "200 - 404 -"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("404 404 404 404", "404 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        query=of_meeting,
    ),
    # A picker's matches: everyone signed in gets an answer, only of their own
    # scope (a stranger's is empty); the LEAK check reads it. GET only.
    "picker": View(
        None,
        answers={
            "admin": (200, 405),
            "staff": (200, 405),
            "secretary": (200, 405),
            "deputy": (200, 405),
            "cadre": (200, 405),
            "answerer": (200, 405),
            "body": (200, 405),
            "stranger": (200, 405),
        },
        kwargs=lambda world, place: {"name": "cells"},
    ),
    "feedback_similar": View(
        None,
        answers={
            "admin": (200, 200),
            "staff": (200, 200),
            "secretary": (200, 200),
            "deputy": (200, 200),
            "cadre": (200, 200),
            "answerer": (200, 200),
            "body": (200, 200),
            "stranger": (200, 200),
        },
    ),
    "feedback_detail": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("200 - 404 -", "200 - 404 -"),
            "cadre": ("200 404 404 404", "200 404 404 404"),
            "answerer": ("200 404 404 404", "200 404 404 404"),
            "body": ("200 404 404 404", "200 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=item,
    ),
    # Admins, the cell's secretary and deputy, and its cadre correct an item.
    "feedback_edit": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("403 403 404 404", "403 403 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("200 - 404 -", "200 - 404 -"),
            "cadre": ("200 404 404 404", "200 404 404 404"),
            "answerer": ("403 404 404 404", "403 404 404 404"),
            "body": ("403 404 404 404", "403 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=item,
    ),
    # Forwarding is the cadre's and the offices' job.
    "feedback_forward": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("403 - 404 -", "403 - 404 -"),
            "deputy": ("403 - 404 -", "403 - 404 -"),
            "cadre": ("200 404 404 404", "200 404 404 404"),
            "answerer": ("403 404 404 404", "403 404 404 404"),
            "body": ("403 404 404 404", "403 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=item,
    ),
    "feedback_due_date": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("403 - 404 -", "403 - 404 -"),
            "deputy": ("403 - 404 -", "403 - 404 -"),
            "cadre": ("200 404 404 404", "200 404 404 404"),
            "answerer": ("403 404 404 404", "403 404 404 404"),
            "body": ("403 404 404 404", "403 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=item,
    ),
    # 302: allowed; no main item chosen, so a message.
    "feedback_link": View(
        "cell",
        answers={
            "admin": ("405 405 405 405", "302 302 404 404"),
            "staff": ("405 405 405 405", "302 302 404 404"),
            "secretary": ("405 - 405 -", "403 - 404 -"),
            "deputy": ("405 - 405 -", "403 - 404 -"),
            "cadre": ("405 405 405 405", "302 404 404 404"),
            "answerer": ("405 405 405 405", "403 404 404 404"),
            "body": ("405 405 405 405", "403 404 404 404"),
            "stranger": ("405 405 405 405", "404 404 404 404"),
        },
        kwargs=item,
    ),
    "feedback_unlink": View(
        "cell",
        answers={
            "admin": ("405 405 405 405", "302 302 404 404"),
            "staff": ("405 405 405 405", "302 302 404 404"),
            "secretary": ("405 - 405 -", "403 - 404 -"),
            "deputy": ("405 - 405 -", "403 - 404 -"),
            "cadre": ("405 405 405 405", "302 404 404 404"),
            "answerer": ("405 405 405 405", "403 404 404 404"),
            "body": ("405 405 405 405", "403 404 404 404"),
            "stranger": ("405 405 405 405", "404 404 404 404"),
        },
        kwargs=item,
    ),
    # The answering side: the answerer of A, the body, admins above.
    "feedback_move": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("403 403 404 404", "403 403 404 404"),
            "secretary": ("403 - 404 -", "403 - 404 -"),
            "deputy": ("403 - 404 -", "403 - 404 -"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("200 404 404 404", "200 404 404 404"),
            "body": ("200 404 404 404", "200 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=answer,
    ),
    # Files follow their item.
    "feedback_attachment": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("200 200 404 404", "200 200 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("200 - 404 -", "200 - 404 -"),
            "cadre": ("200 404 404 404", "200 404 404 404"),
            "answerer": ("200 404 404 404", "200 404 404 404"),
            "body": ("200 404 404 404", "200 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=attachment,
    ),
    # Read back at the cell's meeting: secretary, deputy, admins.
    "feedback_readback": View(
        "cell",
        answers={
            "admin": ("200 200 404 404", "200 200 404 404"),
            "staff": ("403 403 404 404", "403 403 404 404"),
            "secretary": ("200 - 404 -", "200 - 404 -"),
            "deputy": ("200 - 404 -", "200 - 404 -"),
            "cadre": ("403 404 404 404", "403 404 404 404"),
            "answerer": ("404 404 404 404", "404 404 404 404"),
            "body": ("404 404 404 404", "404 404 404 404"),
            "stranger": ("404 404 404 404", "404 404 404 404"),
        },
        kwargs=meeting,
    ),
}
