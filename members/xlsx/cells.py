"""Turning a raw cell value into a field value, or a message saying why not."""

import datetime
import re

from django.utils.translation import gettext as _

from .columns import BOOL, CHOICE, DATE, INT, NO, YES, Column, choice_keys, header_key

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TRUE = {header_key(w) for w in (YES, "x", "yes", "true", "1")}
_FALSE = {header_key(w) for w in (NO, "no", "false", "0")}


class CellError(ValueError):
    """A cell whose value cannot be used; the message is shown to the user."""


def parse(column: Column, value):
    """The field value of a cell; blanks are "" for text, else None/False."""
    if column.type == DATE:
        return parse_date(value)
    if column.type == BOOL:
        return parse_bool(value)
    if column.type == CHOICE:
        return parse_choice(value, column.labels)
    if column.type == INT:
        return parse_int(value)
    return parse_text(value, max_length=column.max_length)


def parse_text(value, *, max_length: int | None = None) -> str:
    if value is None:
        return ""
    # Excel stores typed card and phone numbers as numbers: 12345678.0 means "12345678".
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        value = f"{value:%d/%m/%Y}"
    text = " ".join(str(value).split())
    if max_length is not None and len(text) > max_length:
        raise CellError(
            _("Too long: at most %(max)d characters (this one has %(length)d).")
            % {"max": max_length, "length": len(text)}
        )
    return text


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = parse_text(value)
    if not text:
        return None
    if match := _DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise CellError(_("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": text})
    try:
        if not 1900 <= year <= 2100:
            raise ValueError
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a valid date (no such day).") % {"value": text}
        ) from None


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = parse_text(value)
    key = header_key(text)
    if not key or key in _FALSE:
        return False
    if key in _TRUE:
        return True
    raise CellError(
        _("“%(value)s” is not understood; write %(yes)s or %(no)s.")
        % {"value": text, "yes": YES, "no": NO}
    )


def parse_choice(value, labels: dict):
    text = parse_text(value)
    if not text:
        return ""
    found = choice_keys(labels).get(header_key(text))
    if found is None:
        raise CellError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(labels.values())}
        )
    return found


def parse_int(value) -> int | None:
    if isinstance(value, bool):
        raise CellError(_("Write a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = parse_text(value)
    if not text:
        return None
    if not text.isdigit():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(text)
