"""How long a person waits when a server dies under `make run` (scripts/serve.sh, supervised).

Each server is killed once (SIGKILL, a crash) with the launcher's default back-off, and a
client chats throughout: for the action server, the time until point cards come back and
how many requests got no answer meanwhile; for the Rasa server, the time until a turn is
answered again.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import requests

from rasa_server.action_health import ACTIONS_DOWN_REPLY, TRY_AGAIN_REPLY
from tests.support.launcher import Launcher

GIVE_UP_S = 180.0


def _until(attempt, what: str) -> float:
    """Seconds until attempt() returns True; attempt may raise while the server is away."""
    began = time.monotonic()
    while time.monotonic() - began < GIVE_UP_S:
        if attempt():
            return time.monotonic() - began
        time.sleep(0.05)
    raise TimeoutError(f"{what} not within {GIVE_UP_S:.0f} s")


def restart_figures(workdir: Path) -> dict[str, float]:
    launcher = Launcher.start(workdir)
    figures = {"supervised_actions_unanswered": 0.0, "supervised_actions_try_again": 0.0}
    try:
        assert "BL23" in launcher.points_given()  # both up and warm before the crash

        def points_back() -> bool:
            try:
                text = launcher.points_given()
            except (requests.RequestException, AssertionError):
                figures["supervised_actions_unanswered"] += 1
                return False
            figures["supervised_actions_try_again"] += text in (ACTIONS_DOWN_REPLY, TRY_AGAIN_REPLY)
            return "BL23" in text

        os.kill(launcher.server_pid(launcher.actions_port), signal.SIGKILL)
        figures["supervised_actions_back_s"] = _until(points_back, "point cards after the action server was killed")

        def answered() -> bool:
            try:
                return bool(launcher.say("bench-supervised", "hello", timeout=30))
            except requests.RequestException:
                return False

        os.kill(launcher.server_pid(launcher.rasa_port), signal.SIGKILL)
        figures["supervised_rasa_back_s"] = _until(answered, "an answer after the Rasa server was killed")
    finally:
        launcher.stop()
    return figures
