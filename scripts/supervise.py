"""Keep `make run`'s servers up: start every service, restart any that exits, stop all on Ctrl-C.

    python scripts/supervise.py            every service in SERVICES
    python scripts/supervise.py actions    only the named ones (`make shell` runs the action server)

Adding a service is one entry in `services()`: a name, a command, and optionally a URL that
answers 200 once the service is ready (only used to log how long a (re)start took).

Each service runs in its own process group, so stopping it also stops anything it forked,
and a terminal's Ctrl-C reaches only this supervisor, which then stops the services in
order (SIGTERM, then SIGKILL after STOP_GRACE_SECONDS). A service that exits is restarted
after a back-off (`Backoff`), never given up on: on a clinic machine nobody is watching.
Its settings come from the environment scripts/serve.sh prepares (ports, var/endpoints.yml).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RASA_CLI = [str(BIN / "python"), str(ROOT / "scripts" / "run_rasa.py")]  # `rasa` without JAX (see there)
TICK_SECONDS = 0.2
STOP_GRACE_SECONDS = 15.0  # Rasa closes its tracker store and Sanic app on SIGTERM in ~1-2 s
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Service:
    """One long-running command the supervisor keeps up."""

    name: str
    command: list[str]
    ready_url: str | None = None


def local_url(host: str, port: str, path: str) -> str:
    """The URL this machine reaches a server on that binds `host` (0.0.0.0 means any interface)."""
    reachable = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    return f"http://{reachable}:{port}{path}"


def services(env: Mapping[str, str]) -> list[Service]:
    """What `make run` runs, from the settings scripts/serve.sh exports."""
    actions_port, rasa_port = env.get("ACTIONS_PORT", "5055"), env.get("RASA_PORT", "5005")
    host = env.get("RASA_HOST", "127.0.0.1")
    api_args = api_arguments(env)
    endpoints = env.get("ENDPOINTS", "var/endpoints.yml")
    # rasa_sdk's own server, not `rasa run actions`: that one imports Rasa, and with the
    # TensorFlow settings of server.env Rasa's CLI loads TensorFlow (477 MB instead of ~120).
    # Through action_server/: bound to ACTIONS_HOST (loopback) and behind ACTION_SERVER_SECRET.
    actions = [str(BIN / "python"), "-m", "action_server", "--port", actions_port, "--actions", "actions"]
    rasa = [*RASA_CLI, "run", "--model", "models", "--endpoints", endpoints, "--credentials",
            "credentials.yml", "--interface", host, "--port", rasa_port, *api_args]  # fmt: skip
    # the chat widget's page (webwidget/): reads WIDGET_PORT, WIDGET_HOST and RASA_PORT itself
    widget_host, widget_port = env.get("WIDGET_HOST", "127.0.0.1"), env.get("WIDGET_PORT", "8080")
    widget = [str(BIN / "python"), "-m", "webwidget"]
    return [
        Service("actions", actions, local_url("127.0.0.1", actions_port, "/health")),
        Service("rasa", rasa, local_url(host, rasa_port, "/")),
        Service("widget", widget, local_url(widget_host, widget_port, "/health")),
    ]


MIN_API_SECRET_CHARS = 16


def api_arguments(env: Mapping[str, str]) -> list[str]:
    """Rasa's HTTP API flags: off unless RASA_JWT_SECRET or RASA_API_TOKEN is set, never open.

    A JWT (RASA_JWT_SECRET, RASA_JWT_METHOD default HS256) is preferred: Rasa compares the
    plain token with `==` and it travels in the URL (`?token=`), so access logs hold it."""
    jwt_secret, token = env.get("RASA_JWT_SECRET", ""), env.get("RASA_API_TOKEN", "")
    for name, value in (("RASA_JWT_SECRET", jwt_secret), ("RASA_API_TOKEN", token)):
        if value and len(value) < MIN_API_SECRET_CHARS:
            raise SystemExit(f"{name} must be at least {MIN_API_SECRET_CHARS} characters long")
    if not (jwt_secret or token):
        return []
    args = ["--enable-api"]
    if jwt_secret:
        args += ["--jwt-secret", jwt_secret, "--jwt-method", env.get("RASA_JWT_METHOD") or "HS256"]
    if token:
        args += ["--auth-token", token]
    return args


@dataclass(frozen=True)
class Backoff:
    """How long to wait before restarting a service that exited.

    The first restart is quick (a crash is usually a one-off); a service that keeps failing
    is retried less and less often, up to `longest`; one that stayed up for `stable_after`
    seconds counts as healthy again and starts over at `first`.
    """

    first: float = 0.5
    factor: float = 2.0
    longest: float = 30.0
    stable_after: float = 60.0

    def delay(self, quick_failures: int) -> float:
        """The wait before the next start, after `quick_failures` exits in a row (>= 1)."""
        return min(self.longest, self.first * self.factor ** max(0, quick_failures - 1))


@dataclass
class Running:
    """The supervisor's state for one service."""

    service: Service
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    exited_at: float | None = None  # when it last exited, until it answers again
    restart_at: float | None = None
    quick_failures: int = 0
    ready: bool = False
    restarts: int = field(default=0)


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} supervise: {message}", file=sys.stderr, flush=True)


def _prctl() -> object | None:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (AttributeError, OSError):
        return None  # not Linux: Ctrl-C and SIGTERM still stop everything


PRCTL = _prctl()  # looked up before any fork: the child between fork and exec should do little


def _child_setup(parent: int) -> None:
    """In the child before exec: a process group of its own, and die with the supervisor."""
    os.setsid()
    if PRCTL is not None:
        # If the supervisor is killed outright (SIGKILL), the kernel sends SIGTERM to the child.
        PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        os._exit(1)  # the supervisor died before prctl took effect


def exit_reason(code: int) -> str:
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


def is_ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=0.5) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def kill_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


class Supervisor:
    def __init__(self, wanted: list[Service], backoff: Backoff = Backoff()) -> None:
        self.running = [Running(service) for service in wanted]
        self.backoff = backoff
        self.stop_signal: int | None = None

    def start(self, state: Running) -> None:
        parent = os.getpid()
        state.process = subprocess.Popen(
            state.service.command, cwd=ROOT, stdin=subprocess.DEVNULL, preexec_fn=lambda: _child_setup(parent)
        )
        state.started_at, state.restart_at, state.ready = time.monotonic(), None, False
        log(f"{state.service.name} started (pid {state.process.pid})")

    def on_exit(self, state: Running, now: float) -> None:
        assert state.process is not None
        code, uptime = state.process.returncode, now - state.started_at
        kill_group(state.process.pid, signal.SIGKILL)  # anything it forked must not hold its port
        state.process = None
        state.quick_failures = 1 if uptime >= self.backoff.stable_after else state.quick_failures + 1
        wait = self.backoff.delay(state.quick_failures)
        state.restart_at, state.restarts = now + wait, state.restarts + 1
        if state.exited_at is None:
            state.exited_at = now
        name = state.service.name
        log(f"{name} {exit_reason(code)} after {uptime:.1f} s up; restart {state.restarts} in {wait:.1f} s")

    def check_ready(self, state: Running, now: float) -> None:
        url = state.service.ready_url
        if state.ready or url is None or not is_ready(url):
            return
        state.ready, took = True, now - state.started_at
        if state.exited_at is None:
            log(f"{state.service.name} answering after {took:.1f} s")
        else:
            down = now - state.exited_at
            log(f"{state.service.name} answering again after {took:.1f} s, {down:.1f} s after it went down")
            state.exited_at = None

    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._request_stop)
        for state in self.running:
            self.start(state)
        while self.stop_signal is None:
            now = time.monotonic()
            for state in self.running:
                if state.process is not None and state.process.poll() is not None:
                    self.on_exit(state, now)
                elif state.process is None and state.restart_at is not None and now >= state.restart_at:
                    self.start(state)
                elif state.process is not None:
                    self.check_ready(state, now)
            time.sleep(TICK_SECONDS)
        self.stop_all()
        return 0

    def _request_stop(self, signum: int, frame: object) -> None:
        self.stop_signal = signum

    def stop_all(self) -> None:
        """SIGTERM every service's group, then SIGKILL whatever is left after the grace period."""
        assert self.stop_signal is not None
        log(f"{signal.Signals(self.stop_signal).name}: stopping {', '.join(s.service.name for s in self.running)}")
        live = [state.process for state in self.running if state.process is not None]
        for process in live:
            kill_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in live:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"pid {process.pid} ignored SIGTERM for {STOP_GRACE_SECONDS:.0f} s; killing it")
            kill_group(process.pid, signal.SIGKILL)  # and any forks that outlived their parent
            process.wait()
        log("all stopped")


def backoff_from(env: Mapping[str, str]) -> Backoff:
    """The back-off, with the first wait from SUPERVISE_FIRST_BACKOFF (seconds) if set."""
    value = env.get("SUPERVISE_FIRST_BACKOFF", "")
    if not value:
        return Backoff()
    try:
        first = float(value)
    except ValueError:
        first = -1.0
    if not 0 <= first <= Backoff.longest:
        limit = f"{Backoff.longest:g}"
        raise SystemExit(f"SUPERVISE_FIRST_BACKOFF must be a number of seconds from 0 to {limit}, not {value!r}")
    return Backoff(first=first)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="services to run (default: all)")
    args = parser.parse_args(argv)
    table = services(os.environ)
    known = {service.name: service for service in table}
    unknown = [name for name in args.names if name not in known]
    if unknown:
        parser.error(f"unknown service {', '.join(unknown)}; known: {', '.join(known)}")
    wanted = [known[name] for name in args.names] if args.names else table
    return Supervisor(wanted, backoff_from(os.environ)).run()


if __name__ == "__main__":
    sys.exit(main())
