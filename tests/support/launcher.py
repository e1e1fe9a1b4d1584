"""`make run`'s launcher (scripts/serve.sh) on free ports, as the e2e test and the bench run it."""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.support.processes import listening_pids
from tests.support.servers import ROOT, free_port, wait_until_up


@dataclass
class Launcher:
    process: subprocess.Popen
    log: Path
    rasa_port: int
    actions_port: int
    database: Path
    widget_port: int = 0

    @classmethod
    def start(cls, workdir: Path, extra_env: dict[str, str] | None = None, timeout: float = 180) -> Launcher:
        """scripts/serve.sh in a session of its own (so a test can Ctrl-C its process group)."""
        workdir.mkdir(parents=True, exist_ok=True)
        rasa_port, actions_port, widget_port = free_port(), free_port(), free_port()
        database, log = workdir / "conversations.db", workdir / "serve.log"
        env = {
            **os.environ, "RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port),
            "WIDGET_PORT": str(widget_port), "TRACKER_DB": str(database), **(extra_env or {}),
        }  # fmt: skip
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=env,
            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        launcher = cls(process, log, rasa_port, actions_port, database, widget_port)
        try:
            wait_until_up(f"http://127.0.0.1:{rasa_port}/", process, timeout, log)
        except BaseException:
            launcher.stop()
            raise
        return launcher

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"

    def say(self, sender: str, message: str, timeout: float = 60) -> list[dict]:
        response = requests.post(self.url, json={"sender": sender, "message": message}, timeout=timeout)
        assert response.status_code == 200, response.text[:300]
        return response.json()

    def points_given(self) -> str:
        """A fresh conversation up to the point cards; the text of its last replies."""
        sender = uuid.uuid4().hex
        self.say(sender, "my lower back is stiff")
        return text_of(self.say(sender, "no"))

    def server_pid(self, port: int) -> int:
        pids = listening_pids(port)
        assert len(pids) == 1, f"expected one process listening on {port}, got {pids}"
        return next(iter(pids))


def text_of(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)
