"""Slack's pure half: the signature (checked against slack_sdk's verifier), mrkdwn, blocks, events."""

from __future__ import annotations

import time

from slack_sdk.signature import SignatureVerifier

from rasa_server.slack_format import (
    SlackIncoming,
    buttons_block,
    read_action,
    read_event,
    sections,
    signature_valid,
    slack_signature,
    to_mrkdwn,
)

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def test_signature_is_the_one_slack_sdk_computes_and_checks() -> None:
    stamp, body = str(int(time.time())), b'{"type":"event_callback","event":{"text":"A&E"}}'
    ours = slack_signature(SECRET, stamp, body)
    assert ours == SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    assert signature_valid(SECRET, stamp, body, ours)
    assert not signature_valid(SECRET, stamp, body + b" ", ours)
    assert not signature_valid("other", stamp, body, ours)
    assert not signature_valid(SECRET, stamp, body, "")


def test_an_old_timestamp_is_a_replay() -> None:
    stamp, body = str(int(time.time()) - 301), b"{}"
    assert not signature_valid(SECRET, stamp, body, slack_signature(SECRET, stamp, body))
    assert not signature_valid(SECRET, "not-a-number", body, slack_signature(SECRET, "not-a-number", body))


def test_mrkdwn_and_sections_under_3000() -> None:
    assert to_mrkdwn("**1. LI4** A&E <now>") == "*1. LI4* A&amp;E &lt;now&gt;"
    blocks = sections("\n\n".join("Press slowly. " * 50 for _ in range(10)))
    assert len(blocks) > 1 and all(len(b["text"]["text"]) <= 3000 for b in blocks)


def test_buttons_block_carries_titles_and_payloads() -> None:
    block = buttons_block([{"title": "No", "payload": "/deny"}, {"title": "Yes", "payload": "/affirm"}])
    assert [(e["text"]["text"], e["value"], e["action_id"]) for e in block["elements"]] == [
        ("No", "/deny", "choice_0"),
        ("Yes", "/affirm", "choice_1"),
    ]


def test_events_direct_messages_mentions_and_the_rest() -> None:
    dm = {"event": {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "text": "hi", "ts": "1.0"}}
    assert read_event(dm) == SlackIncoming("hi", "U1", "D1", None)
    mention = {"event": {"type": "app_mention", "user": "U1", "channel": "C1", "text": "<@UB> my neck", "ts": "2.0"}}
    assert read_event(mention) == SlackIncoming("my neck", "C1:U1", "C1", "2.0")
    in_channel = {"event": {"type": "message", "channel_type": "channel", "user": "U1", "channel": "C1", "text": "x"}}
    assert isinstance(read_event(in_channel), str)
    assert isinstance(read_event({"event": {**dm["event"], "bot_id": "B1"}}), str)
    assert isinstance(read_event({"event": {**dm["event"], "subtype": "message_changed"}}), str)


def test_a_button_press_is_its_payload_from_the_presser() -> None:
    press = {
        "type": "block_actions",
        "user": {"id": "U2"},
        "channel": {"id": "C1"},
        "container": {"thread_ts": "5.0"},
        "actions": [{"value": "/deny"}],
    }
    assert read_action(press) == SlackIncoming("/deny", "C1:U2", "C1", "5.0")
    assert isinstance(read_action({"type": "view_submission"}), str)
