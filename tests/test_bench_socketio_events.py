"""The bench's count of socket.io events per turn, which its load runs wait for."""

from __future__ import annotations

from bench.client import socketio_events


def test_a_diagram_is_one_socketio_event_and_other_payloads_count_as_before() -> None:
    diagram = [{"custom": {"type": "diagram", "code": "LI4", "src": "u", "alt": "a"}}, {"image": "u"}]
    assert socketio_events(diagram) == 1
    assert socketio_events([{"text": "a\n\nb", "buttons": [{}]}, *diagram, {"custom": {"data": 1}}]) == 4
