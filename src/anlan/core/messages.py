"""Notification messages: a registry of message keys, rendered in the reader's language.

A notification stores a message key and its parameters, never text. Each app registers its
messages once (at import of its ``tasks.py``) with English msgids, translated in ``django.po``::

    DUE_SOON = message(
        "hazard.due_soon",
        _("Rectification deadline approaching ({deadline}): {subject}"),
        _("{number} Responsible person: {responsible}"),
    )
    notify(people, key=..., message=DUE_SOON, params={"deadline": day(h.deadline), ...})

Title and body are ``str.format`` templates. Parameters are JSON values, or one of the typed
values below, turned back into objects when the text is rendered:

- :func:`moment` (an instant) renders in the local time zone; :func:`day` is a calendar date.
  Both render in the site's one format (``{start}``: 2026-12-02 15:04; ``{deadline}``:
  2026-12-02; the language's DATETIME_FORMAT and DATE_FORMAT, anlan/formats); a template may
  still give its own (``{day:%d}``).
- :func:`text` is a label (a choice's label, a role name) translated into the reader's language.
- :func:`fragment` is a smaller registered message (its title), with its own parameters.
- :func:`items` is a list of values, joined with the language's list separator.

Rendering happens when the message is read: the inbox page in the request's language, email and
webhook at send time in the recipient's language (:func:`language_of`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    title: str | Promise
    body: str | Promise = ""


MESSAGES: dict[str, Message] = {}


def message(key: str, title: str | Promise, body: str | Promise = "") -> str:
    """Register a message under ``key`` (``<app>.<what>``) and return the key."""
    known = MESSAGES.get(key)
    if known is not None and known != Message(title, body):
        raise ValueError(f"message {key} registered twice with different texts")
    MESSAGES[key] = Message(title, body)
    return key


# Rows written before messages were keys: their stored Chinese text, shown as it is.
STORED_TEXT = message("core.stored_text", "{title}", "{body}")
LIST_SEPARATOR = message("core.list_separator", _(", "))


def moment(value: datetime) -> dict[str, str]:
    """An instant, rendered in the local time zone."""
    return {"$moment": value.isoformat()}


def day(value: date) -> dict[str, str]:
    """A calendar date."""
    return {"$day": value.isoformat()}


def text(label: str | Promise) -> dict[str, str]:
    """A label to translate when read: a lazy translation (its English msgid is stored) or an
    English msgid. Not for labels with a context (pgettext)."""
    with translation.override("en"):
        return {"$text": str(label)}


def label(instance: Any, field_name: str) -> dict[str, str]:
    """The label of a choice field's value (a hazard's level), translated when read."""
    value = getattr(instance, field_name)
    choices = dict(instance._meta.get_field(field_name).flatchoices)
    return text(choices.get(value, value))


def fragment(key: str, **params: Any) -> dict[str, Any]:
    """A registered message's title, with its own parameters, inside another message."""
    return {"$fragment": key, "params": params}


def items(values: list[Any]) -> dict[str, Any]:
    """Values joined with the reader's list separator (、 in Chinese)."""
    return {"$items": values}


class _Moment(datetime):
    """An instant in local time that formats as the site's DATETIME_FORMAT unless told."""

    def __format__(self, spec: str) -> str:
        return super().__format__(spec) if spec else formats.date_format(self, "DATETIME_FORMAT")

    def __str__(self) -> str:
        return format(self, "")


class _Day(date):
    """A calendar date that formats as the site's DATE_FORMAT unless told."""

    def __format__(self, spec: str) -> str:
        return super().__format__(spec) if spec else formats.date_format(self, "DATE_FORMAT")

    def __str__(self) -> str:
        return format(self, "")


def _value(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "$moment" in value:
        local = timezone.localtime(datetime.fromisoformat(value["$moment"]))
        return _Moment(*local.timetuple()[:6], local.microsecond, tzinfo=local.tzinfo)
    if "$day" in value:
        return _Day.fromisoformat(value["$day"])
    if "$text" in value:
        return gettext(value["$text"])
    if "$fragment" in value:
        return _format(MESSAGES[value["$fragment"]].title, value["params"])
    if "$items" in value:
        return str(MESSAGES[LIST_SEPARATOR].title).join(str(_value(v)) for v in value["$items"])
    return value


def _format(template: str | Promise, params: dict[str, Any]) -> str:
    return str(template).format(**{name: _value(v) for name, v in params.items()})


def render(key: str, params: dict[str, Any]) -> tuple[str, str]:
    """(title, body) of a message in the active language.

    A translation that does not fit its parameters (a typo in a placeholder) falls back to the
    English text, and an unknown key to the key itself: reading the inbox never fails."""
    found = MESSAGES.get(key)
    if found is None:
        log.warning("unknown message %s", key)
        return key, ""
    try:
        return _format(found.title, params), _format(found.body, params)
    except (KeyError, IndexError, ValueError, TypeError):
        log.exception("message %s does not render in %s", key, translation.get_language())
    with translation.override("en"):
        try:
            return _format(found.title, params), _format(found.body, params)
        except (KeyError, IndexError, ValueError, TypeError):
            return key, ""


def language_of(user: Any) -> str:
    """The language to write to ``user`` in when no request says it (email, webhook).

    Users have no language preference yet, so this is the site's language
    (settings.LANGUAGE_CODE, zh-hans); a ``language`` attribute on the user would be used."""
    chosen = getattr(user, "language", "") or ""
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE
