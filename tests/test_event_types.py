"""Event classes are looked up from a table, with Rasa's own answers."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

import rasa_server  # noqa: F401  (installs the table lookup)
from rasa_server import event_types


def test_rasa_uses_the_table() -> None:
    assert Event.resolve_by_type is event_types.resolve_by_type


def test_every_event_type_resolves_to_the_class_rasas_walk_finds() -> None:
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "slot", "action", "session_started", "active_loop"} <= names
    for name in names:
        assert Event.resolve_by_type(name) is event_types._original(name)


def test_unknown_names_behave_as_in_rasa() -> None:
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None


def test_event_classes_defined_later_are_found() -> None:
    class NoteAdded(UserUttered):
        type_name = "test_note_added"

    assert Event.resolve_by_type("test_note_added") is NoteAdded


def test_stored_events_deserialise_as_before() -> None:
    event = Event.from_parameters({"event": "slot", "name": "age", "value": 40.0, "timestamp": 1.0})
    assert event == SlotSet("age", 40.0, timestamp=1.0)
