"""The legal moves of a feedback item: one table, used by every service.

    new ──forward──▶ forwarded ──start──▶ in progress ──answer──▶ answered ──close──▶ closed
                        │  ▲                  │                      │
                 return │  │ forward   return │                      │ reopen (not satisfied)
                        ▼  │                  ▼                      ▼
                     returned ◀─────────────────               reopened ──start──▶ in progress
                                                               reopened ──forward─▶ forwarded

`answer_linked` is the one move no user makes: answering a main item
answers every item linked under it, from whatever open state it is in.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import FeedbackState as S


class WorkflowError(ValueError):
    """A move the workflow refuses; str() is a translated message for the user."""


@dataclass(frozen=True)
class Move:
    action: str
    label: str
    sources: frozenset
    target: str
    # Which access action (feedback/policies.py) a user needs to make it.
    permission: str


FORWARD, ANSWER, READBACK = "forward", "answer", "readback"

MOVES: dict[str, Move] = {
    move.action: move
    for move in [
        Move(
            "forward",
            _("Forward"),
            frozenset({S.NEW, S.RETURNED, S.REOPENED}),
            S.FORWARDED,
            FORWARD,
        ),
        Move("start", _("Take up"), frozenset({S.FORWARDED, S.REOPENED}), S.IN_PROGRESS, ANSWER),
        Move(
            "return",
            _("Return for clarification"),
            frozenset({S.FORWARDED, S.IN_PROGRESS}),
            S.RETURNED,
            ANSWER,
        ),
        Move("answer", _("Answer"), frozenset({S.IN_PROGRESS}), S.ANSWERED, ANSWER),
        Move("close", _("Satisfied: close"), frozenset({S.ANSWERED}), S.CLOSED, READBACK),
        Move("reopen", _("Not satisfied: reopen"), frozenset({S.ANSWERED}), S.REOPENED, READBACK),
        Move(
            "answer_linked",
            _("Answered with the main item"),
            frozenset({S.NEW, S.FORWARDED, S.IN_PROGRESS, S.RETURNED, S.REOPENED}),
            S.ANSWERED,
            ANSWER,
        ),
    ]
}

# (from, to) pairs that some move allows: the whole graph, for tests and docs.
TRANSITIONS = frozenset((source, move.target) for move in MOVES.values() for source in move.sources)


def check(state: str, action: str) -> Move:
    """The move `action` from `state`, or WorkflowError with a clear message."""
    move = MOVES.get(action)
    if move is None:
        raise WorkflowError(_("Unknown action “%(action)s”.") % {"action": action})
    if state not in move.sources:
        raise WorkflowError(
            _("An item that is “%(state)s” cannot be moved by “%(action)s”.")
            % {"state": S(state).label, "action": move.label}
        )
    return move


def moves_from(state: str) -> list[Move]:
    """The moves a user could make from `state` (not the automatic one)."""
    return [m for m in MOVES.values() if state in m.sources and m.action != "answer_linked"]
