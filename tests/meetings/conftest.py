"""Fixtures that several meetings test files share: a commune with the cell of
bản Lếch, its members (three, or five for attendance), its planned meeting and
secretary, and two users who edit minutes."""

import datetime

import pytest

from tests.factories import (
    CellFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)


@pytest.fixture
def commune():
    return OrganizationFactory(name="Đảng bộ xã Cò Nòi")


@pytest.fixture
def cell(commune):
    return CellFactory(name="Chi bộ bản Lếch", parent=commune)


@pytest.fixture
def members(cell):
    return [
        MemberFactory(cell=cell, full_name="Lò Văn An"),
        MemberFactory(cell=cell, full_name="Lò Thị Bình"),
        MemberFactory(cell=cell, full_name="Cầm Văn Cường"),
    ]


@pytest.fixture
def alice():
    return UserFactory(username="alice", first_name="Lò Văn", last_name="An")


@pytest.fixture
def bob():
    return UserFactory(username="bob", first_name="Lò Thị", last_name="Bình")


@pytest.fixture
def meeting(cell):
    return MeetingFactory(cell=cell, state="planned")


@pytest.fixture
def people(cell):
    """Three official members, one probationary, one exempted."""
    return {
        "an": MemberFactory(cell=cell, full_name="Lò Văn An"),
        "binh": MemberFactory(cell=cell, full_name="Lò Thị Bình"),
        "cuong": MemberFactory(cell=cell, full_name="Cầm Văn Cường"),
        "dung": MemberFactory(
            cell=cell,
            full_name="Quàng Văn Dũng",
            probationary=True,
            joined_on=datetime.date(2025, 8, 1),
        ),
        "ha": MemberFactory(cell=cell, full_name="Lò Thị Hà", exempt=True),
    }


@pytest.fixture
def secretary(cell):
    user = UserFactory(username="bithu", first_name="Lò Văn", last_name="An")
    RoleFactory(user=user, organization=cell, kind="secretary")
    return user
