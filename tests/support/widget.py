"""The widget server (python -m webwidget) on a free port, and a headless Debian Chromium for it.

Used by the browser tests and the bench. Playwright drives the system's chromium
(`.ci/run` installs Debian's package); Playwright's own browser download is never used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.servers import BIN, ROOT, RasaStack, free_port, wait_until_up

AXE = ROOT / "webwidget" / "node_modules" / "axe-core" / "axe.min.js"


def chromium_path() -> str:
    """Debian's chromium; a clear error when it is missing (`.ci/run` installs it)."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("no chromium on PATH: apt-get install chromium (.ci/run does)")


def widget_stack(workdir: Path) -> tuple[RasaStack, WidgetServer]:
    """A Rasa stack whose socket.io channel admits the page of a widget server on a free port."""
    widget = WidgetServer(workdir=workdir)
    # The action server puts ACU_PUBLIC_URL in front of each diagram's URL: this widget server.
    stack = RasaStack(workdir=workdir, env={"ALLOWED_ORIGINS": widget.origin, "ACU_PUBLIC_URL": widget.origin})
    widget.rasa_url = stack.url
    return stack, widget


@dataclass
class WidgetServer:
    workdir: Path
    rasa_url: str = ""
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.origin}/"

    def start(self) -> WidgetServer:
        log = self.workdir / "widget.log"
        env = {
            **os.environ,
            "WIDGET_HOST": "127.0.0.1",
            "WIDGET_PORT": str(self.port),
            "ACU_PUBLIC_URL": self.origin,
            "RASA_PUBLIC_URL": self.rasa_url,
            "ALLOWED_ORIGINS": self.origin,
        }
        self.process = subprocess.Popen(
            [BIN / "python", "-m", "webwidget"], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        wait_until_up(f"{self.origin}/health", self.process, 30, log)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
