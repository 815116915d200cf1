"""A small tree with every kind of feedback user.

P (province) ── D (district) ─┬─ C (commune) ─┬─ A1 (cell)
                              │               └─ A2 (cell)
                              └─ E (commune) ── B1 (cell)
The people's committee of C is an AnsweringBody with its own answerer.
"""

import datetime
from types import SimpleNamespace

import pytest

from tests.factories import (
    AnsweringBodyFactory,
    AssignmentFactory,
    CellFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)


def user_with(kind=None, organization=None, username=None):
    user = UserFactory(**({"username": username} if username else {}))
    if kind:
        RoleFactory(user=user, organization=organization, kind=kind)
    return user


@pytest.fixture
def world(db):
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Hà Tĩnh")
    d = OrganizationFactory(parent=p, kind="district", name="Đảng bộ huyện Đức Thọ")
    c = OrganizationFactory(parent=d, name="Đảng bộ xã Đức Lâm")
    e = OrganizationFactory(parent=d, name="Đảng bộ xã Đức Đồng")
    a1 = CellFactory(parent=c, name="Chi bộ thôn Hoa Ích Lâm")
    a2 = CellFactory(parent=c, name="Chi bộ thôn Yên Thành")
    b1 = CellFactory(parent=e, name="Chi bộ thôn Trung Tiến")
    body_user = UserFactory(username="ubnd.ducl")
    body = AnsweringBodyFactory(name="Ủy ban nhân dân xã Đức Lâm", organization=c)
    body.answerers.add(body_user)
    cadre_user = user_with("cadre", c, "cadre.c")
    cadre = MemberFactory(cell=a2, user=cadre_user, full_name="Trần Đức Cán")
    AssignmentFactory(cadre=cadre, cell=a1, starts_on=datetime.date(2020, 1, 1))
    world = SimpleNamespace(
        p=p,
        d=d,
        c=c,
        e=e,
        a1=a1,
        a2=a2,
        b1=b1,
        body=body,
        body_user=body_user,
        cadre=cadre,
        cadre_user=cadre_user,
        secretary=user_with("secretary", a1, "bithu.a1"),
        secretary_a2=user_with("secretary", a2, "bithu.a2"),
        answerer_c=user_with("answerer", c, "answerer.c"),
        answerer_d=user_with("answerer", d, "answerer.d"),
        staff_c=user_with("staff", c, "staff.c"),
        staff_e=user_with("staff", e, "staff.e"),
        admin_d=user_with("admin", d, "admin.d"),
        outsider=user_with(username="outsider"),
        meeting_a1=MeetingFactory(cell=a1, period=datetime.date(2026, 2, 1)),
        meeting_a2=MeetingFactory(cell=a2, period=datetime.date(2026, 2, 1)),
        meeting_b1=MeetingFactory(cell=b1, period=datetime.date(2026, 2, 1)),
    )
    return world


def routed_item(world, state="forwarded", *, cell="a1", meeting=None, **fields):
    """An item of `cell` already in `state`, routed to commune C where routed."""
    from tests.factories import FeedbackItemFactory

    meeting = meeting or getattr(world, f"meeting_{cell}")
    if state != "new":
        fields.setdefault("routed_organization", world.c)
        fields.setdefault("answer_organization", world.c)
        fields.setdefault("due_on", datetime.date(2099, 1, 1))
    if state in ("answered", "closed"):
        fields.setdefault("answer", "Đã chỉ đạo xử lý.")
    return FeedbackItemFactory(meeting=meeting, state=state, **fields)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English source; the catalog may change."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """A client that asks for English, so the thread's language stays English."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})
