"""Look event classes up by type name in a table instead of walking every subclass.

Rasa 3.6 (`Event.resolve_by_type`) walks all Event subclasses recursively, with an
`inspect.isabstract` check on each, for every event it deserialises: 1.4 of the 7 ms a
window load took (cProfile, 2026-11-26), and again for every event the action server
returns. The table is built from the same walk and rebuilt when a name is missing, so
classes imported later are still found, and the answers (including the errors) are Rasa's.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_classes: dict[str, type[Event]] = {}
_original: Any = Event.resolve_by_type  # Rasa's walk: the answer for names not in the table


def _rebuild() -> None:
    table: dict[str, type[Event]] = {}
    for cls in all_subclasses(Event):
        table.setdefault(cls.type_name, cls)  # the first match wins, as in Rasa's walk
    _classes.clear()
    _classes.update(table)


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Drop-in for `Event.resolve_by_type` (a staticmethod)."""
    if type_name not in _classes:
        _rebuild()
    if type_name in _classes:
        return _classes[type_name]
    return _original(type_name, default)


def install() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]
