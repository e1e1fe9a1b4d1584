"""Start the real action server and Rasa server as subprocesses, on free local ports.

Used by the end-to-end tests and by the benchmark, so both exercise exactly what
`make run` starts: two processes talking HTTP, conversations in an SQLite tracker store.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml

from action_server.guard import endpoint_headers
from scripts.supervise import RASA_CLI

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
# Quiet logs only, Rasa's defaults otherwise: what the bench's bare `rasa init` bot runs with.
QUIET_ENV = {
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "RASA_TELEMETRY_ENABLED": "false",
}
CHANNEL_PREFIXES = ("TELEGRAM_", "TWILIO_", "SLACK_")
# Scripted conversations and the bench send faster than any person: the per-sender limit is
# off in test stacks unless a test sets it (tests/e2e/test_hardening.py tests the defaults).
UNLIMITED = {"RATE_LIMIT_PER_MINUTE": "off"}


def server_env() -> dict[str, str]:
    """The servers' settings from scripts/server.env, as `make run` applies them."""
    settings = {}
    for line in (ROOT / "scripts" / "server.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.strip().partition("=")
            settings[key] = value
    return settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; log:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not up after {timeout}s; log:\n{log.read_text()[-3000:]}")


@dataclass
class RasaStack:
    """An action server plus a Rasa server with the REST channel and the tracker API."""

    workdir: Path
    model: Path = ROOT / "models"
    endpoints_extra: str = ""
    api_token: str = "e2e-secret-token"
    # Extra settings for both servers, e.g. ALLOWED_ORIGINS or a channel's TELEGRAM_...
    env: dict[str, str] = field(default_factory=dict)
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    startup_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def db(self) -> Path:
        return self.workdir / "tracker.db"

    def _env(self) -> dict[str, str]:
        # A messaging app's settings from the caller's shell never reach a test stack: it
        # must not talk to the real service. Tests give their own in env.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(CHANNEL_PREFIXES)}
        # ENDPOINTS: the action server reads the tracker store's database from the same file
        # as the Rasa server ("what do you know about me", "forget me": actions/privacy.py).
        return {**inherited, **server_env(), **UNLIMITED, "ENDPOINTS": str(self.workdir / "endpoints.yml"), **self.env}

    def start_actions(self) -> None:
        log = self.workdir / "actions.log"
        began = time.monotonic()
        self.processes["actions"] = subprocess.Popen(
            [BIN / "python", "-m", "action_server", "--port", str(self.actions_port), "--actions", "actions"],
            cwd=ROOT, env=self._env(), stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until_up(f"http://127.0.0.1:{self.actions_port}/health", self.processes["actions"], 60, log)
        self.startup_seconds["actions"] = time.monotonic() - began

    def start_rasa(self) -> None:
        endpoints = self.workdir / "endpoints.yml"
        # The project's endpoints (tracker store type and settings), pointed at this stack.
        settings = yaml.safe_load((ROOT / "endpoints.yml").read_text())
        settings["action_endpoint"]["url"] = f"http://127.0.0.1:{self.actions_port}/webhook"
        settings["tracker_store"]["db"] = str(self.db)
        if endpoint_headers(self._env()):  # ACTION_SERVER_SECRET, as scripts/serve.sh writes it
            settings["action_endpoint"]["headers"] = endpoint_headers(self._env())
        endpoints.write_text(yaml.safe_dump(settings) + self.endpoints_extra)
        log = self.workdir / "rasa.log"
        began = time.monotonic()
        self.processes["rasa"] = subprocess.Popen(
            [*RASA_CLI, "run", "--model", str(self.model), "--endpoints", str(endpoints),
             "--credentials", str(ROOT / "credentials.yml"), "--interface", "127.0.0.1",
             "--port", str(self.rasa_port), "--enable-api", "--auth-token", self.api_token],
            cwd=ROOT, env=self._env(), stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until_up(f"{self.url}/", self.processes["rasa"], 180, log)
        self.startup_seconds["rasa"] = time.monotonic() - began

    def start(self) -> RasaStack:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.start_actions()
        self.start_rasa()
        return self

    def stop(self, name: str | None = None) -> None:
        for key in [name] if name else list(self.processes):
            process = self.processes.pop(key, None)
            if process and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()

    def say(self, sender: str, message: object, timeout: float = 60) -> requests.Response:
        return requests.post(
            f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=timeout
        )

    def tracker(self, sender: str) -> dict:
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker", params={"token": self.api_token}, timeout=30
        )
        response.raise_for_status()
        return response.json()
