"""Reads about feedback (the access check happens before these)."""

import datetime
import re
from collections.abc import Callable

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone

from chibo import access, figures
from chibo.text import fold
from meetings.models import Meeting, MeetingState

from .models import (
    OPEN_STATES,
    FeedbackItem,
    FeedbackState,
    ReadBack,
)
from .services.moves import readback_refusal_by_day
from .workflow import ANSWER, FORWARD, READBACK, moves_from

# pg_trgm's own default threshold; the SQLite fallback computes the same measure.
SIMILARITY_THRESHOLD = 0.3
# The fallback compares in Python: only the newest open items, a bounded set.
FALLBACK_CANDIDATES = 500


def for_list(queryset: QuerySet) -> QuerySet:
    """Everything a list row shows, in the same query."""
    return queryset.select_related(
        "category", "cell", "routed_organization", "routed_body", "raiser_member"
    )


# The roles whose list spans a subtree of offices: thousands of items.
WIDE_ROLES = {"admin", "staff"}


def newest_first(queryset: QuerySet, *, user) -> QuerySet:
    """The list's order, newest first, in the plan that suits the user's scope.

    PostgreSQL cannot estimate the scope's arms (lists computed at run time,
    see feedback/policies.py), so it walks the (raised_on, id) index and
    filters, which is right for an office's thousands of items and wrong for
    a cell's few: a secretary's page read the whole table (88 ms). Ordering
    by an expression the index cannot give makes it fetch the few rows by
    their indexes and sort them (0.4 ms). Same order either way."""
    if access.role_kinds(user) & WIDE_ROLES:
        return queryset.order_by("-raised_on", "-id")
    return queryset.order_by(Coalesce("raised_on", "raised_on").desc(), "-id")


def state_counts(queryset: QuerySet) -> list[dict]:
    """[{state, label, count}] in workflow order, zeros included: one query."""
    counts = dict(
        queryset.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return [
        {"state": state, "label": label, "count": counts.get(state, 0)}
        for state, label in FeedbackState.choices
    ]


def tab_counts(user, params: QueryDict, filtered: Callable[[], QuerySet]) -> list[dict]:
    """`state_counts` of the list `filtered()` gives, memoised until feedback,
    the tree or the assignments change: counting an office's whole scope is
    the list's one costly query (57,000 items: 27 ms), while its page of rows
    is cheap. Keyed by the user (the bodies they answer for are theirs), their
    scope, the filter and the day (overdue turns with the date)."""
    query = sorted((k, v) for k, v in params.lists() if k not in ("page", "state"))
    return figures.memoised(
        "feedback-tabs",
        kinds=[figures.FEEDBACK, figures.TREE, figures.VISITS],
        key=[user.pk, access.scope_key(user), timezone.localdate(), query],
        compute=lambda: state_counts(filtered()),
    )


def listed_count(counts: list[dict], state: str | None) -> int:
    """How many items a list filtered like the tabs of `counts` shows: the
    tab of `state`, or all of them without a state."""
    if state:
        return sum(c["count"] for c in counts if c["state"] == state)
    return sum(c["count"] for c in counts)


def _trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before, one after."""
    grams = set()
    for word in re.findall(r"\w+", text):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """Shared trigrams over all trigrams, as pg_trgm's similarity()."""
    first, second = _trigrams(a), _trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def similar_items(
    *, text: str, queryset: QuerySet, exclude_pk: int | None = None, limit: int = 5
) -> list[FeedbackItem]:
    """Open items, not linked under another, whose text resembles `text`
    (compared without diacritics), most similar first."""
    folded = fold(text)
    if len(folded) < 3:
        return []
    candidates = queryset.filter(state__in=OPEN_STATES, main_item__isnull=True)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        return list(
            for_list(candidates)
            .annotate(similarity=TrigramSimilarity("search_text", folded))
            .filter(similarity__gte=SIMILARITY_THRESHOLD)
            .order_by("-similarity", "-pk")[:limit]
        )
    rows = candidates.order_by("-pk").values_list("pk", "search_text")[:FALLBACK_CANDIDATES]
    scored = sorted(
        ((trigram_similarity(folded, search_text), pk) for pk, search_text in rows),
        reverse=True,
    )
    best = {pk: score for score, pk in scored[:limit] if score >= SIMILARITY_THRESHOLD}
    items = for_list(FeedbackItem.objects.filter(pk__in=best))
    found = sorted(items, key=lambda item: (-best[item.pk], -item.pk))
    for item in found:
        item.similarity = best[item.pk]
    return found


def next_meeting(cell_id: int, after) -> Meeting | None:
    """The cell's first meeting on or after `after` that will take place."""
    return (
        Meeting.objects.filter(
            cell_id=cell_id,
            scheduled_at__date__gte=timezone.localdate(after),
            state__in=[MeetingState.PLANNED, MeetingState.HELD],
        )
        .order_by("scheduled_at")
        .first()
    )


def item_page(item: FeedbackItem, user) -> dict:
    """Everything the item's page shows: timeline, files, links, the moves
    this user may make; a fixed number of queries."""
    rights = {
        name: access.can(user, name, item) for name in (access.EDIT, FORWARD, ANSWER, READBACK)
    }
    moves = [m for m in moves_from(item.state) if rights[m.permission]]
    if item.main_item_id:
        moves = [m for m in moves if m.permission == READBACK]
    linked = for_list(item.linked_items.all())
    page = {
        "item": item,
        "events": item.events.select_related("by"),
        "attachments": list(item.attachments.all()),
        "linked_items": list(linked),
        "read_backs": item.read_backs.select_related("meeting", "by"),
        "moves": moves,
        "rights": rights,
        "is_overdue": item.is_overdue(),
        "similar": [],
        "readback_meeting": None,
    }
    if rights[FORWARD] and item.state in OPEN_STATES and not item.main_item_id:
        page["similar"] = similar_items(
            text=item.text,
            queryset=access.visible(user, FeedbackItem, FORWARD),
            exclude_pk=item.pk,
        )
    if item.state == FeedbackState.ANSWERED:
        page["readback_meeting"] = next_meeting(item.cell_id, item.answered_at)
    return page


def awaiting_read_back(queryset: QuerySet, *, cell_id: int) -> QuerySet:
    """The cell's answered items, waiting to be read back to it."""
    return for_list(
        queryset.filter(cell_id=cell_id, state=FeedbackState.ANSWERED).order_by("answered_at", "pk")
    )


def answers_read_back(meeting: Meeting) -> list[dict]:
    """The answers read back at `meeting`, for its minutes and their PDF
    (JSON-serialisable: the minutes snapshot keeps it)."""
    rows = (
        ReadBack.objects.filter(meeting=meeting)
        .select_related("item", "item__category", "item__routed_body", "item__routed_organization")
        .order_by("at", "pk")
    )
    answers = []
    for read_back in rows:
        body = str(read_back.item.answering_party or "")
        answers.append(
            {
                "item": read_back.item_id,
                "text": read_back.item.text,
                "category": read_back.item.category.name,
                "body": body,
                "answer": read_back.answer,
                "satisfied": read_back.is_satisfied,
                "note": read_back.note,
                # The names the minutes PDF template reads.
                "question": read_back.item.text,
                "answered_by": body,
            }
        )
    return answers


def meeting_feedback(meeting: Meeting, user, *, may_edit: bool | None = None) -> dict:
    """The feedback card of a meeting's page, in one query: items raised there,
    the cell's answers waiting to be read back, those read back there.
    `may_edit` (the meeting's EDIT right) is passed when the page knows it."""
    if may_edit is None:
        may_edit = access.can(user, access.EDIT, meeting)
    read_here = ReadBack.objects.filter(meeting=meeting, item=OuterRef("pk"))
    items = list(
        for_list(access.visible(user, FeedbackItem))
        # All three are the cell's items (raised at its meeting, answered to it, read
        # back at its meeting: the services hold to it): the cell's index bounds the OR.
        .filter(cell_id=meeting.cell_id)
        .filter(
            Q(meeting=meeting)
            | Q(cell_id=meeting.cell_id, state=FeedbackState.ANSWERED)
            | Q(pk__in=ReadBack.objects.filter(meeting=meeting).values("item_id"))
        )
        .annotate(is_read_here=Exists(read_here))
        .order_by("pk")
    )
    return {
        "raised": [i for i in items if i.meeting_id == meeting.pk],
        "awaiting": [i for i in items if i.state == FeedbackState.ANSWERED],
        "read_back": [i for i in items if i.is_read_here],
        "may_record": may_edit,
        # A meeting still to come offers no read-back (the service refuses it).
        "may_read_back": may_edit and not readback_refusal_by_day(meeting),
    }


def dashboard_counts(user) -> dict[str, int]:
    """`todo_counts`, cached (chibo.figures) per user and day until feedback
    or the tree change (a user's answering bodies are feedback data; what
    waits for a read-back follows the meetings too)."""
    today = timezone.localdate()
    return figures.memoised(
        "feedback-todo",
        kinds=[figures.TREE, figures.MEETINGS, figures.FEEDBACK],
        key=[user.pk, access.scope_key(user), today],
        compute=lambda: todo_counts(user, today=today),
    )


def todo_counts(user, *, today: datetime.date) -> dict[str, int]:
    """What waits for this user, as the list's "to do" tabs count it (a few
    COUNT queries, whatever the number of items)."""
    from .filters import FeedbackFilter

    items = access.visible(user, FeedbackItem)
    counts = {
        todo: FeedbackFilter({"todo": todo}, queryset=items, user=user).qs.count()
        for todo in ("forward", "answer", "read_back")
    }
    counts["overdue"] = items.overdue(today).count()
    return counts
