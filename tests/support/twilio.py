"""Twilio's side of a WhatsApp conversation: signed webhook calls, TwiML answers read back.

Twilio's servers cannot be reached from here, so the tests do what Twilio does: POST the
form it posts, signed as its documentation says (written out again here rather than
imported, so a mistake in the channel's own check cannot hide), and read the TwiML.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import requests

_sids = itertools.count(1)


def sign(auth_token: str, url: str, form: dict[str, str]) -> str:
    # https://www.twilio.com/docs/usage/security#validating-requests
    payload = url + "".join(f"{key}{form[key]}" for key in sorted(form))
    return base64.b64encode(hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()).decode()


def read_twiml(xml: str) -> list[tuple[str, str | None]]:
    """(body, media URL) of each <Message> of a TwiML answer."""
    root = ET.fromstring(xml)
    assert root.tag == "Response"
    return [(m.findtext("Body") or "", m.findtext("Media")) for m in root.findall("Message")]


@dataclass
class WhatsAppUser:
    webhook_url: str  # where the Rasa server listens
    signed_url: str  # the public URL Twilio calls and signs
    auth_token: str
    number: str  # e.g. "+447700900123"

    @property
    def sender_id(self) -> str:
        return f"whatsapp:{self.number}"

    def form(self, body: str, **extra: str) -> dict[str, str]:
        form = {
            "MessageSid": f"SM{next(_sids):032d}",
            "AccountSid": "AC" + "0" * 32,
            "From": self.sender_id,
            "To": "whatsapp:+14155238886",
            "Body": body,
            "NumMedia": "0",
        }
        form.update(extra)
        return form

    def post(self, form: dict[str, str], signature: str | None = "valid") -> requests.Response:
        headers = {}
        if signature is not None:
            headers["X-Twilio-Signature"] = (
                sign(self.auth_token, self.signed_url, form) if signature == "valid" else signature
            )
        return requests.post(self.webhook_url, data=form, headers=headers, timeout=120)

    def say(self, body: str, **extra: str) -> list[tuple[str, str | None]]:
        reply = self.post(self.form(body, **extra))
        assert reply.status_code == 200, reply.text[:300]
        assert reply.headers["Content-Type"].startswith("application/xml")
        return read_twiml(reply.text)
