"""WhatsApp's pure half: Twilio's signature (checked against Twilio's own library), choices, TwiML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from twilio.request_validator import RequestValidator

from rasa_server.whatsapp_format import (
    CHOICE_PROMPT,
    choices_text,
    picked,
    signature_valid,
    split_body,
    to_whatsapp,
    twilio_signature,
    twiml,
)

URL = "https://bot.example.org/webhooks/whatsapp/webhook"
FORM = {"MessageSid": "SM1", "From": "whatsapp:+447700900123", "Body": "", "NumMedia": "1", "MediaUrl0": "https://x/y"}


def test_signature_is_the_one_twilios_library_computes() -> None:
    expected = RequestValidator("secret").compute_signature(URL, FORM)
    assert twilio_signature("secret", URL, {k: [v] for k, v in FORM.items()}) == expected
    assert signature_valid("secret", URL, {k: [v] for k, v in FORM.items()}, expected)


@pytest.mark.parametrize(
    "url,form,token",
    [(URL + "?x=1", FORM, "secret"), (URL, {**FORM, "Body": "hi"}, "secret"), (URL, FORM, "other")],
)
def test_a_changed_url_word_or_token_breaks_the_signature(url: str, form: dict, token: str) -> None:
    good = RequestValidator("secret").compute_signature(URL, FORM)
    assert not signature_valid(token, url, {k: [v] for k, v in form.items()}, good)
    assert not signature_valid("secret", URL, {k: [v] for k, v in FORM.items()}, "")


def test_numbered_choices_and_picking_one() -> None:
    assert choices_text(["Yes", "No"]) == f"1. Yes\n2. No\n\n{CHOICE_PROMPT}"
    assert picked(" 2 ", ["/affirm", "/deny"]) == (True, "/deny")
    assert picked("2.", ["/affirm", "/deny"]) == (True, "/deny")
    assert picked("3", ["/affirm", "/deny"]) == (True, None)
    assert picked("2 days ago", ["/affirm", "/deny"]) == (False, None)


def test_bold_and_long_bodies() -> None:
    assert to_whatsapp("**1. LI4** press") == "*1. LI4* press"
    text = "\n\n".join("Press slowly and breathe. " * 20 for _ in range(10)) + " " + "x" * 2000
    pieces = split_body(text)
    assert len(pieces) > 2 and all(len(p) <= 1600 for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_twiml_escapes_and_carries_media() -> None:
    root = ET.fromstring(twiml([("A&E <now>", None), ("Where LI4 is", "https://x/diagrams/LI4.png?a=1&b=2")]))
    messages = root.findall("Message")
    assert messages[0].findtext("Body") == "A&E <now>" and messages[0].find("Media") is None
    assert messages[1].findtext("Media") == "https://x/diagrams/LI4.png?a=1&b=2"
    assert ET.fromstring(twiml([])).findall("Message") == []
