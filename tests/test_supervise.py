"""scripts/supervise.py with small real services (seconds): restarts, back-off, clean stops.

The same supervisor with the real servers, under `make run`'s launcher, is tested in
tests/e2e/test_serve_script.py.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from scripts.supervise import Backoff, api_arguments, backoff_from, main, services
from tests.support.processes import alive, descendants, group_members, listening_pids, process_group
from tests.support.servers import ROOT, free_port

# Runs a Supervisor over the services given as JSON (name, command, ready_url), in a
# process of its own as `make run` does, so signals reach it as they would.
DRIVER = """
import json, sys
from scripts.supervise import Backoff, Service, Supervisor
table = [Service(name, command, url) for name, command, url in json.loads(sys.argv[1])]
sys.exit(Supervisor(table, Backoff(first=0.5, stable_after=5)).run())
"""
# A service that forks a helper into its own process group's tree, as a server with workers would.
Entry = tuple[str, list[str], str | None]  # name, command, ready URL
Starter = Callable[[list[Entry]], tuple[subprocess.Popen, Path]]
FORKING = "import subprocess, time; subprocess.Popen(['sleep', '300']); time.sleep(300)"


@pytest.fixture
def supervise(tmp_path: Path) -> Iterator[Starter]:
    """Starts a supervisor over a table; any still running at the end is stopped, whatever failed."""
    started: list[subprocess.Popen] = []

    def start(table: list[Entry]) -> tuple[subprocess.Popen, Path]:
        log = tmp_path / f"supervise-{len(started)}.log"
        process = subprocess.Popen(
            [sys.executable, "-c", DRIVER, json.dumps(table)], cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        started.append(process)
        return process, log

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


def log_containing(log: Path, needle: str, timeout: float) -> str:
    """The supervisor's log once `needle` is in it."""
    return wait_for(lambda: (text := log.read_text()) and needle in text and text, timeout, f"{needle!r} logged")


def web_server(port: int) -> Entry:
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    return "web", command, f"http://127.0.0.1:{port}/"


def test_backoff_doubles_up_to_the_longest_wait() -> None:
    backoff = Backoff(first=0.5, factor=2, longest=30)
    assert [backoff.delay(n) for n in range(1, 9)] == [0.5, 1, 2, 4, 8, 16, 30, 30]


def test_a_killed_service_is_restarted_and_answers_again(supervise: Starter) -> None:
    port = free_port()
    supervisor, log = supervise([web_server(port)])
    try:
        first = wait_for(lambda: listening_pids(port), 20, "the web service listens")
        log_containing(log, "web answering after", 10)
        (pid,) = first
        signal_sent = time.monotonic()
        subprocess.run(["kill", "-TERM", str(pid)], check=True)
        second = wait_for(lambda: listening_pids(port) - first, 20, "a new web process listens")
        assert requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200
        assert time.monotonic() - signal_sent < 20
        assert not alive(pid) and second != first
        text = log_containing(log, "answering again", 10)
        assert "web was killed by SIGTERM" in text and "restart 1 in 0.5 s" in text, text
    finally:
        supervisor.send_signal(signal.SIGINT)
        supervisor.wait(timeout=30)


def test_a_service_that_keeps_failing_is_retried_less_and_less_often(supervise: Starter) -> None:
    failing = ("broken", [sys.executable, "-c", "import sys; sys.exit(3)"], None)
    supervisor, log = supervise([failing])
    try:
        text = log_containing(log, "restart 3 ", 20)
        assert "broken exited with code 3" in text
        assert "restart 1 in 0.5 s" in text and "restart 2 in 1.0 s" in text and "restart 3 in 2.0 s" in text, text
        assert supervisor.poll() is None  # never given up on
    finally:
        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=30) == 0


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_signal_ends_every_service_and_what_it_forked(supervise: Starter, stop: signal.Signals) -> None:
    port = free_port()
    table = [web_server(port), ("forking", [sys.executable, "-c", FORKING], None)]
    supervisor, log = supervise(table)
    children = wait_for(lambda: (d := descendants(supervisor.pid)) and len(d) >= 3 and d, 20, "3 processes")
    groups = {group for pid in children if (group := process_group(pid)) is not None}
    assert process_group(supervisor.pid) not in groups  # each service in a group of its own
    wait_for(lambda: listening_pids(port), 20, "the web service listens")
    supervisor.send_signal(stop)
    assert supervisor.wait(timeout=30) == 0
    assert not {pid for pid in children if alive(pid)}, log.read_text()
    assert not group_members(groups)
    assert not listening_pids(port)
    assert f"{stop.name}: stopping web, forking" in log.read_text()


def test_a_supervisor_killed_outright_takes_its_services_with_it(supervise: Starter) -> None:
    port = free_port()
    supervisor, _ = supervise([web_server(port)])
    (pid,) = wait_for(lambda: listening_pids(port), 20, "the web service listens")
    supervisor.kill()
    supervisor.wait(timeout=10)
    wait_for(lambda: not alive(pid), 10, "the service follows its supervisor (PR_SET_PDEATHSIG)")


def test_the_table_follows_the_launcher_settings() -> None:
    env = {"ACTIONS_PORT": "6055", "RASA_PORT": "6005", "RASA_HOST": "0.0.0.0", "ENDPOINTS": "var/e.yml"}
    table = {service.name: service for service in services(env)}  # more services may follow
    actions, rasa = table["actions"], table["rasa"]
    assert actions.name == "actions" and "6055" in actions.command
    assert actions.ready_url == "http://127.0.0.1:6055/health"
    assert rasa.command[rasa.command.index("--port") + 1] == "6005"
    assert rasa.command[rasa.command.index("--endpoints") + 1] == "var/e.yml"
    assert rasa.ready_url == "http://127.0.0.1:6005/"  # bound to every interface, asked locally
    assert "--enable-api" not in rasa.command
    token = "s3cret-token-0123456789"
    with_token = next(service for service in services({**env, "RASA_API_TOKEN": token}) if service.name == "rasa")
    assert with_token.command[-3:] == ["--enable-api", "--auth-token", token]


def test_the_http_api_opens_only_behind_a_jwt_or_a_long_token() -> None:
    assert api_arguments({}) == []  # off by default
    jwt = "jwt-secret-0123456789abcdef"
    assert api_arguments({"RASA_JWT_SECRET": jwt}) == ["--enable-api", "--jwt-secret", jwt, "--jwt-method", "HS256"]
    both = api_arguments({"RASA_JWT_SECRET": jwt, "RASA_JWT_METHOD": "HS512", "RASA_API_TOKEN": "t" * 16})
    assert both == ["--enable-api", "--jwt-secret", jwt, "--jwt-method", "HS512", "--auth-token", "t" * 16]
    for name in ("RASA_API_TOKEN", "RASA_JWT_SECRET"):
        with pytest.raises(SystemExit, match=f"{name} must be at least 16 characters"):
            api_arguments({name: "short"})


def test_the_action_server_runs_through_our_launcher() -> None:
    actions = next(service for service in services({}) if service.name == "actions")
    assert actions.command[1:3] == ["-m", "action_server"]  # loopback and the shared secret (action_server/)


def test_an_unknown_service_name_is_refused_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["action"])
    assert stopped.value.code == 2
    assert "unknown service action; known: actions, rasa, widget" in capsys.readouterr().err


def test_the_first_wait_can_be_set_and_a_bad_value_is_refused() -> None:
    assert backoff_from({}) == Backoff()
    assert backoff_from({"SUPERVISE_FIRST_BACKOFF": "3"}).delay(2) == 6
    for bad in ("soon", "-1", "31"):
        with pytest.raises(SystemExit, match="SUPERVISE_FIRST_BACKOFF must be a number of seconds from 0 to 30"):
            backoff_from({"SUPERVISE_FIRST_BACKOFF": bad})
