"""The bare `rasa init` bot (the moodbot, Rasa's default config), created, trained and served
the way a newcomer would: `rasa init --no-prompt`, then `rasa run --enable-api`, in-memory
tracker store, REST plus socket.io (session persistence, like ours).

Training time is `rasa init`'s own run (scaffold copy, well under a second, plus training)
with a fresh private RASA_CACHE_DIRECTORY, so it trains every component from scratch.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.procstats import timed_run
from tests.support.servers import BIN, QUIET_ENV, free_port, wait_until_up

# `rasa init` writes a credentials.yml with only `rest` (socketio commented out) and the
# Rasa X `rasa` channel; the bench serves both bots on the same two channels.
CREDENTIALS = """rest:
socketio:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: true
"""


@dataclass
class BareBot:
    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    startup_s: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def cache(self) -> Path:
        return self.workdir.parent / f"cache-{self.workdir.name}"

    def _env(self) -> dict[str, str]:
        return {**os.environ, **QUIET_ENV, "RASA_CACHE_DIRECTORY": str(self.cache)}

    def model(self) -> Path | None:
        models = sorted((self.workdir / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
        return models[-1] if models else None

    def create(self) -> tuple[float, float]:
        """`rasa init --no-prompt` from scratch (fresh dir, fresh cache); (seconds, peak RSS MB)."""
        for folder in (self.workdir, self.cache):
            shutil.rmtree(folder, ignore_errors=True)
        self.workdir.mkdir(parents=True)
        cmd = [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(self.workdir)]
        seconds, peak, code = timed_run(cmd, self.workdir.parent / "init-bare.log", self.workdir.parent, self._env())
        if code or not self.model():
            raise RuntimeError(f"rasa init failed ({code}); see {self.workdir.parent / 'init-bare.log'}")
        return seconds, peak

    def start(self) -> None:
        model = self.model()
        if model is None:
            raise RuntimeError(f"no trained model in {self.workdir / 'models'}")
        credentials = self.workdir / "credentials-bench.yml"
        credentials.write_text(CREDENTIALS)
        log = self.workdir.parent / "serve-bare.log"
        began = time.monotonic()
        self.process = subprocess.Popen(
            [BIN / "rasa", "run", "--model", str(model), "--endpoints", "endpoints.yml",
             "--credentials", str(credentials), "--interface", "127.0.0.1", "--port", str(self.port),
             "--enable-api"],
            cwd=self.workdir, env=self._env(), stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until_up(f"{self.url}/", self.process, 180, log)
        self.startup_s = time.monotonic() - began

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
