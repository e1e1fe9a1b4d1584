"""Settings from the environment, read once. Each has a default and a line in the README."""

from __future__ import annotations

import os

from actions.core.diagrams import DEFAULT_PUBLIC_URL

# Who to call in an emergency, shown word for word. Set per locale, e.g. "999" (UK).
EMERGENCY_NUMBER = os.environ.get("EMERGENCY_NUMBER", "").strip()
# Where to get same-day advice, shown word for word.
URGENT_CARE = os.environ.get("URGENT_CARE", "").strip()
# Public address of the web server that serves /diagrams/<CODE>.png (scripts/server.env).
PUBLIC_URL = (os.environ.get("ACU_PUBLIC_URL", "").strip() or DEFAULT_PUBLIC_URL).rstrip("/")


def emergency_contact() -> str:
    if EMERGENCY_NUMBER:
        return f"call {EMERGENCY_NUMBER}"
    return "call your local emergency number (999 in the UK, 112 in the EU, 911 in the US)"


def urgent_contact() -> str:
    if URGENT_CARE:
        return URGENT_CARE
    return "your GP or an urgent care service today (in the UK, NHS 111)"


# How long to press each side of a point in a guided session, in seconds; the timer
# message ("time's up, switch sides") comes after this. Tests set a few seconds.
GUIDE_PRESS_SECONDS = max(1, int(os.environ.get("GUIDE_PRESS_SECONDS", "60") or 60))
