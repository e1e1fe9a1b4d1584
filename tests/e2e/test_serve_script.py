"""`make run`'s launcher, scripts/serve.sh: both servers up on the ports it is given, talking."""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from pathlib import Path

import pytest
import requests

from tests.support.servers import ROOT, free_port, wait_until_up

pytestmark = pytest.mark.e2e


def test_serve_script_runs_both_servers_on_the_ports_it_is_given(tmp_path: Path) -> None:
    rasa_port, actions_port, widget_port = free_port(), free_port(), free_port()
    database = tmp_path / "conversations.db"
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port), "TRACKER_DB": str(database),
           "WIDGET_PORT": str(widget_port)}  # fmt: skip
    log = tmp_path / "serve.log"
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=env,
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", process, 180, log)
        sender, url = uuid.uuid4().hex, f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
        for message in ("my lower back is stiff", "no"):
            response = requests.post(url, json={"sender": sender, "message": message}, timeout=60)
            assert response.status_code == 200
        text = "\n".join(reply.get("text", "") for reply in response.json())
        # Point cards come from the action server: the Rasa server found it on ACTIONS_PORT.
        assert "BL23" in text and "How to press:" in text, text[:500]
        assert database.exists()
        page = requests.get(f"http://127.0.0.1:{widget_port}/", timeout=10)  # the chat page it printed
        assert page.status_code == 200 and "widget.js" in page.text
        assert f"http://localhost:{widget_port}/" in log.read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
