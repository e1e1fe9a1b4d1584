"""The production profile on one machine: PostgreSQL, Redis, two action servers, two Rasa
servers and nginx in front, all on loopback, from Debian packages (no Docker).

    python scripts/cluster.py start     `make run-cluster`: start everything, wait until it answers
    python scripts/cluster.py stop      `make stop-cluster`: stop everything it started
    python scripts/cluster.py status

Data, logs and pids live in var/cluster/ (CLUSTER_DIR). The Rasa servers read
deploy/cluster/endpoints.yml, whose values come from the environment this script gives them.
Passwords come from CLUSTER_DB_PASSWORD and CLUSTER_REDIS_PASSWORD; unset, a random one is
made for each start (PostgreSQL's is reset on every start) and handed to the servers in their
environment only: no secret is written to a file or a command line. The end-to-end test
(tests/e2e/test_cluster.py) and the bench (bench/cluster_load.py) start the same `Cluster`
on free ports.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RASA_CLI = [str(BIN / "python"), str(ROOT / "scripts" / "run_rasa.py")]  # `rasa` without JAX (see there)
ENDPOINTS = ROOT / "deploy" / "cluster" / "endpoints.yml"
NGINX_TEMPLATE = ROOT / "deploy" / "cluster" / "nginx.conf.template"
CHANNEL_PREFIXES = ("TELEGRAM_", "TWILIO_", "SLACK_")
DB_NAME = DB_USER = "rasa"


def server_env() -> dict[str, str]:
    """scripts/server.env, as `make run` applies it to the servers."""
    settings = {}
    for line in (ROOT / "scripts" / "server.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.strip().partition("=")
            settings[key] = value
    return settings


def postgres_bin() -> Path:
    """Debian's PostgreSQL binaries (PG_BIN, else the newest /usr/lib/postgresql/*/bin)."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL not found: apt-get install postgresql (or set PG_BIN)")
    return Path(found[-1]).parent


def find_program(name: str) -> str:
    for candidate in (shutil.which(name), f"/usr/sbin/{name}", f"/usr/bin/{name}"):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError(f"{name} not found: apt-get install {'redis-server' if name == 'redis-server' else name}")


def _postgres_can_enter(folder: Path) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(folder)], check=False).returncode == 0


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` system user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Ports:
    postgres: int = 25432  # below the ephemeral range, where tests take their free ports
    redis: int = 26379
    chat: int = 5080  # nginx: REST, socket.io, the HTTP API
    actions: int = 5180  # nginx: the action endpoint of every Rasa server
    rasa: tuple[int, ...] = (5101, 5102)
    action_servers: tuple[int, ...] = (5151, 5152)

    @classmethod
    def from_env(cls) -> Ports:
        env = os.environ
        return cls(
            postgres=int(env.get("CLUSTER_PG_PORT", 25432)), redis=int(env.get("CLUSTER_REDIS_PORT", 26379)),
            chat=int(env.get("CLUSTER_PORT", 5080)), actions=int(env.get("CLUSTER_ACTIONS_PORT", 5180)),
            rasa=tuple(int(p) for p in env.get("CLUSTER_RASA_PORTS", "5101,5102").split(",")),
            action_servers=tuple(int(p) for p in env.get("CLUSTER_ACTION_SERVER_PORTS", "5151,5152").split(",")),
        )  # fmt: skip


def upstream_servers(ports: tuple[int, ...]) -> str:
    # A server that refused a connection is left out for 5 s, then tried again.
    return "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports)


def wait_for(check: object, what: str, timeout: float, log: Path | None = None, process: object = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:  # type: ignore[attr-defined]
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with {process.returncode}; log:\n{tail}")  # type: ignore[attr-defined]
        with contextlib.suppress(Exception):
            if check():  # type: ignore[operator]
                return
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise TimeoutError(f"{what} not up after {timeout:.0f} s; log:\n{tail}")


def http_ok(url: str) -> bool:
    return requests.get(url, timeout=2).status_code == 200


@dataclass
class Cluster:
    """Every process of the profile; each part can be stopped and started on its own."""

    workdir: Path = ROOT / "var" / "cluster"
    ports: Ports = field(default_factory=Ports)
    model: Path = ROOT / "models"
    api_token: str = ""  # the Rasa HTTP API (tracker reads) is opened only with a token
    env: dict[str, str] = field(default_factory=dict)  # extra settings for the Rasa and action servers
    db_password: str = field(default_factory=lambda: os.environ.get("CLUSTER_DB_PASSWORD") or secrets.token_hex(16))
    # The action servers answer only calls carrying it (action_server/guard.py); both Rasa
    # servers send it from their environment (deploy/cluster/endpoints.yml headers).
    action_secret: str = field(default_factory=lambda: os.environ.get("ACTION_SERVER_SECRET") or secrets.token_hex(24))
    redis_password: str = field(
        default_factory=lambda: os.environ.get("CLUSTER_REDIS_PASSWORD") or secrets.token_hex(16)
    )
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Where people's chats go: nginx."""
        return f"http://127.0.0.1:{self.ports.chat}"

    def rasa_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports.rasa[index]}"

    @property
    def logs(self) -> Path:
        return self.workdir / "logs"

    @functools.cached_property
    def pg_root(self) -> Path:
        """Where PostgreSQL keeps its data, socket and log: the workdir, unless the `postgres`
        user (root runs it as that) cannot reach it (e.g. under a 0700 home or pytest's tmp):
        then a folder of its own under /tmp, named after the workdir."""
        if os.geteuid() != 0 or _postgres_can_enter(self.workdir):
            return self.workdir
        digest = hashlib.sha256(str(self.workdir.resolve()).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"acu-cluster-postgres-{digest}"

    @property
    def pg_data(self) -> Path:
        return self.pg_root / "postgres"

    @property
    def pg_socket_dir(self) -> Path:
        return self.pg_root / "postgres-run"

    @property
    def pg_log(self) -> Path:
        return self.pg_root / "postgres.log" if self.pg_root != self.workdir else self.logs / "postgres.log"

    def _prepare(self) -> None:
        for folder in (self.workdir, self.logs, self.workdir / "redis", self.workdir / "nginx"):
            folder.mkdir(parents=True, exist_ok=True)

    # --- PostgreSQL -------------------------------------------------------------------
    def _pg(self, program: str, *args: str, **kwargs: object) -> subprocess.CompletedProcess:
        return subprocess.run(as_postgres([str(postgres_bin() / program), *args]), check=True, **kwargs)  # type: ignore[call-overload]

    def _chown_postgres(self, *paths: Path) -> None:
        if os.geteuid() == 0:
            for path in paths:
                shutil.chown(path, "postgres", "postgres")

    def start_postgres(self) -> None:
        self._prepare()
        log = self.pg_log
        self.pg_root.mkdir(mode=0o755, exist_ok=True)
        for folder in (self.pg_data, self.pg_socket_dir):
            folder.mkdir(mode=0o700, exist_ok=True)
        if not log.exists():
            log.touch()
        self._chown_postgres(self.pg_data, self.pg_socket_dir, log)
        if not (self.pg_data / "PG_VERSION").exists():
            # Local (socket) logins are trusted, the socket is the owner's only (0700);
            # TCP logins need the password.
            self._pg("initdb", "-D", str(self.pg_data), "-U", "postgres", "-E", "UTF8", "--auth-local=trust",
                     "--auth-host=scram-sha-256", "--no-instructions", stdout=subprocess.DEVNULL)  # fmt: skip
        options = (f"-c port={self.ports.postgres} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.pg_socket_dir} -c unix_socket_permissions=0700")  # fmt: skip
        self._pg("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.pg_data), "-l", str(log), "-o", options,
                 stdout=subprocess.DEVNULL)  # fmt: skip
        self._ensure_database()

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL as the superuser over the private socket; returns psql's unaligned output."""
        result = self._pg(
            "psql", "-h", str(self.pg_socket_dir), "-p", str(self.ports.postgres), "-U", "postgres", "-d", database,
            "-v", "ON_ERROR_STOP=1", "-X", "-q", "-A", "-t", "-f", "-",
            input=sql, capture_output=True, text=True,
        )  # fmt: skip
        return result.stdout

    def _ensure_database(self) -> None:
        # The password goes in on stdin, never on a command line.
        password = self.db_password.replace("'", "''")
        self.psql(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rasa') THEN CREATE ROLE rasa LOGIN; "
            f"END IF; END $$;\nALTER ROLE rasa PASSWORD '{password}';\n"
        )
        if not self.psql("SELECT 1 FROM pg_database WHERE datname = 'rasa';").strip():
            self.psql("CREATE DATABASE rasa OWNER rasa;")

    def stop_postgres(self) -> None:
        if (self.pg_data / "postmaster.pid").exists():
            subprocess.run(as_postgres([str(postgres_bin() / "pg_ctl"), "stop", "-w", "-m", "fast", "-D",
                                        str(self.pg_data)]), stdout=subprocess.DEVNULL, check=False)  # fmt: skip

    def events_per_sender(self) -> dict[str, int]:
        rows = self.psql("SELECT sender_id, count(*) FROM events GROUP BY sender_id;", DB_NAME)
        return {sender: int(count) for sender, _, count in (line.rpartition("|") for line in rows.split()) if sender}

    def user_messages(self, sender: str) -> list[str]:
        """The texts of a conversation's user messages stored in PostgreSQL, in order."""
        quoted = sender.replace("'", "''")
        sql = f"SELECT data::json->>'text' FROM events WHERE sender_id = '{quoted}' AND type_name = 'user' ORDER BY id;"
        return [line for line in self.psql(sql, DB_NAME).splitlines() if line]

    # --- Redis ------------------------------------------------------------------------
    def start_redis(self) -> None:
        self._prepare()
        # The configuration (with the password) goes in on stdin: not in a file, not in `ps`.
        config = "\n".join([
            f"port {self.ports.redis}", "bind 127.0.0.1", f"dir {self.workdir / 'redis'}",
            'save ""', "appendonly no", "daemonize no", f"requirepass {self.redis_password}",
            f"logfile {self.logs / 'redis.log'}", "",
        ])  # fmt: skip
        process = subprocess.Popen(
            [find_program("redis-server"), "-"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        assert process.stdin is not None
        process.stdin.write(config.encode())
        process.stdin.close()
        self.processes["redis"] = process
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.ports.redis, password=self.redis_password)
        wait_for(client.ping, "redis", 20, self.logs / "redis.log", process)

    # --- nginx ------------------------------------------------------------------------
    def nginx_config(self) -> Path:
        run = self.workdir / "nginx"
        for sub in ("body", "proxy"):
            (run / sub).mkdir(parents=True, exist_ok=True)
        text = NGINX_TEMPLATE.read_text()
        replacements = {
            "run": str(run), "logs": str(self.logs), "chat_port": str(self.ports.chat),
            "action_port": str(self.ports.actions),
            "rasa_servers": upstream_servers(self.ports.rasa),
            "action_servers": upstream_servers(self.ports.action_servers),
        }  # fmt: skip
        for key, value in replacements.items():
            text = text.replace(f"@{key}@", value)
        config = run / "nginx.conf"
        config.write_text(text)
        return config

    def start_nginx(self) -> None:
        self._prepare()
        config = self.nginx_config()
        log = self.logs / "nginx-error.log"
        process = subprocess.Popen(
            [find_program("nginx"), "-c", str(config), "-p", str(self.workdir / "nginx"), "-g", "daemon off;"],
            stdout=(self.logs / "nginx.out").open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.processes["nginx"] = process
        wait_for(lambda: http_ok(f"{self.url}/nginx-health"), "nginx", 20, log, process)

    # --- the Python servers -----------------------------------------------------------
    def server_environment(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(CHANNEL_PREFIXES)}
        return {
            **inherited, **server_env(),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.ports.actions}/webhook",
            "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": str(self.ports.postgres),
            "TRACKER_DB_NAME": DB_NAME, "TRACKER_DB_USER": DB_USER, "TRACKER_DB_PASSWORD": self.db_password,
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(self.ports.redis), "REDIS_PASSWORD": self.redis_password,
            "ACTION_SERVER_SECRET": self.action_secret,
            # the action servers' privacy actions read the tracker store from the same file
            "ENDPOINTS": str(ENDPOINTS),
            **self.env,
        }  # fmt: skip

    def start_action_server(self, index: int) -> subprocess.Popen:
        port = self.ports.action_servers[index]
        log = self.logs / f"actions-{index + 1}.log"
        process = subprocess.Popen(
            [str(BIN / "python"), "-m", "action_server", "--port", str(port), "--actions", "actions"],
            cwd=ROOT, env=self.server_environment(), stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.processes[f"actions-{index + 1}"] = process
        return process

    def rasa_command(self, index: int, endpoints: Path = ENDPOINTS) -> list[str]:
        api = ["--enable-api", "--auth-token", self.api_token] if self.api_token else []
        return [*RASA_CLI, "run", "--model", str(self.model), "--endpoints", str(endpoints),
                "--credentials", str(ROOT / "credentials.yml"), "--interface", "127.0.0.1",
                "--port", str(self.ports.rasa[index]), *api]  # fmt: skip

    def start_rasa(self, index: int) -> subprocess.Popen:
        log = self.logs / f"rasa-{index + 1}.log"
        process = subprocess.Popen(
            self.rasa_command(index), cwd=ROOT, env=self.server_environment(), stdout=log.open("w"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.processes[f"rasa-{index + 1}"] = process
        return process

    def wait_for_servers(self) -> None:
        for index, port in enumerate(self.ports.action_servers):
            name = f"actions-{index + 1}"
            wait_for(lambda p=port: http_ok(f"http://127.0.0.1:{p}/health"), name, 60,
                     self.logs / f"{name}.log", self.processes.get(name))  # fmt: skip
        for index in range(len(self.ports.rasa)):
            name = f"rasa-{index + 1}"
            wait_for(lambda i=index: http_ok(f"{self.rasa_url(i)}/"), name, 240,
                     self.logs / f"{name}.log", self.processes.get(name))  # fmt: skip

    # --- all together -----------------------------------------------------------------
    def start(self) -> Cluster:
        self._prepare()
        self.start_postgres()
        self.start_redis()
        for index in range(len(self.ports.action_servers)):
            self.start_action_server(index)
        for index in range(len(self.ports.rasa)):
            self.start_rasa(index)  # both load the model at once: the schema race is handled
        self.wait_for_servers()
        self.start_nginx()
        self.write_pids()
        return self

    def write_pids(self) -> None:
        pids = {name: process.pid for name, process in self.processes.items() if process.poll() is None}
        (self.workdir / "pids.json").write_text(json.dumps(pids, indent=2))

    def stop_process(self, name: str, timeout: float = 20) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self) -> None:
        for name in [n for n in self.processes if n.startswith("nginx")]:
            self.stop_process(name)
        for name in [n for n in self.processes if n.startswith(("rasa", "actions"))]:
            self.stop_process(name)
        self.stop_process("redis")
        self.stop_postgres()
        (self.workdir / "pids.json").unlink(missing_ok=True)

    def remove_data(self) -> None:
        """Delete PostgreSQL's data when it lives outside the workdir (tests' clusters)."""
        if self.pg_root != self.workdir:
            shutil.rmtree(self.pg_root, ignore_errors=True)


def stop_from_pids(cluster: Cluster) -> None:
    """`make stop-cluster`: the processes `start` left running (their pids in pids.json)."""
    pids_file = cluster.workdir / "pids.json"
    pids = json.loads(pids_file.read_text()) if pids_file.exists() else {}
    order = sorted(pids, key=lambda n: (not n.startswith("nginx"), n == "redis"))
    for name in order:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pids[name], signal.SIGTERM)
            print(f"stopping {name} (pid {pids[name]})")
    deadline = time.monotonic() + 20
    for name in order:
        while time.monotonic() < deadline and _alive(pids[name]):
            time.sleep(0.2)
        if _alive(pids[name]):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pids[name], signal.SIGKILL)
    cluster.stop_postgres()
    pids_file.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "status"
    workdir = Path(os.environ.get("CLUSTER_DIR", ROOT / "var" / "cluster"))
    cluster = Cluster(workdir=workdir, ports=Ports.from_env(), api_token=os.environ.get("RASA_API_TOKEN", ""))
    if command == "start":
        if (workdir / "pids.json").exists():
            sys.exit(f"A cluster is already running from {workdir} (make stop-cluster first).")
        try:
            cluster.start()
        except BaseException:
            cluster.stop()
            raise
        print(f"Cluster up: chat at {cluster.url} (REST: POST /webhooks/rest/webhook), logs in {cluster.logs}.")
        print("Rasa servers: " + ", ".join(cluster.rasa_url(i) for i in range(len(cluster.ports.rasa))))
        print("`make stop-cluster` stops it.")
    elif command == "stop":
        stop_from_pids(cluster)
    elif command == "status":
        pids_file = workdir / "pids.json"
        pids = json.loads(pids_file.read_text()) if pids_file.exists() else {}
        for name, pid in pids.items():
            print(f"{name}: pid {pid} {'running' if _alive(pid) else 'gone'}")
        print(f"postgres: {'running' if (cluster.pg_data / 'postmaster.pid').exists() else 'stopped'}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
