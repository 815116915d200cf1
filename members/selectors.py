"""Reads about members (the access check happens before these)."""

from django.db.models import Count
from django.utils import timezone

from .models import Member


def member_record(member: Member) -> dict:
    """Everything a member's page shows, in a fixed number of queries."""
    today = timezone.localdate()
    return {
        "member": member,
        "positions": member.positions.select_related("cell").order_by("-starts_on"),
        "seats": member.seats.select_related("organization").order_by("-starts_on"),
        "transfers": member.transfers.select_related("from_cell", "to_cell"),
        "temporary_stays": member.temporary_stays.select_related("host_cell"),
        "today": today,
    }


def member_history(member: Member, limit: int = 20):
    """Who changed the record, and when, newest first."""
    return member.history.select_related("history_user").order_by("-history_date")[:limit]


def on_roll_per_cell(cell_ids: list[int]) -> dict[int, int]:
    """How many members are on each cell's roll (cells with none left out)."""
    return dict(
        Member.objects.on_roll()
        .filter(cell_id__in=cell_ids)
        .values_list("cell_id")
        .annotate(n=Count("id"))
        .order_by()
    )
