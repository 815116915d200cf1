"""Writes to feedback: recording items and moving them through the workflow."""

from ..workflow import WorkflowError
from .items import EDITABLE_STATES, due_date, record_item, update_item
from .moves import (
    answer_item,
    forward_item,
    link_item,
    mark_overdue,
    read_back_item,
    readback_refusal,
    return_item,
    set_due_date,
    start_item,
    unlink_item,
)

__all__ = [
    "EDITABLE_STATES",
    "WorkflowError",
    "answer_item",
    "due_date",
    "forward_item",
    "link_item",
    "mark_overdue",
    "read_back_item",
    "readback_refusal",
    "record_item",
    "return_item",
    "set_due_date",
    "start_item",
    "unlink_item",
    "update_item",
]
