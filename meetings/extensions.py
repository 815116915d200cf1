"""What the apps above meetings add to a meeting, without meetings importing
them: parts of the minutes' snapshot and panels of the meeting's page. The
apps register them in their AppConfig.ready() (feedback: the answers read
back, and its card on the meeting's page)."""

from collections.abc import Callable

# snapshot key -> meeting -> JSON-serialisable value
_snapshot_parts: dict[str, Callable] = {}
# template names included at the foot of the meeting's page, in order
_page_panels: list[str] = []


def add_snapshot_part(key: str, provider: Callable) -> None:
    _snapshot_parts[key] = provider


def snapshot_parts(meeting) -> dict:
    """Each registered part of the snapshot, computed for `meeting`."""
    return {key: provider(meeting) for key, provider in _snapshot_parts.items()}


def add_page_panel(template_name: str) -> None:
    if template_name not in _page_panels:
        _page_panels.append(template_name)


def page_panels() -> list[str]:
    return list(_page_panels)
