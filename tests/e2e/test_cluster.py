"""End to end: the production profile (scripts/cluster.py) on free ports. Two Rasa servers
share conversations through PostgreSQL and a Redis lock, nginx spreads chats over them and
their action calls over two action servers.

- 20 conversations at once, each turn sent to the other Rasa server than the last (half
  of them directly, half through nginx): every conversation ends in the state a person
  would check (the area, the points shown, the pregnancy answer) and has exactly the events
  a conversation of its script has, counted in PostgreSQL;
- PostgreSQL stopped: the person is told "I can't reach my records right now", a server
  started meanwhile exits with a clear error, and the conversation resumes with its slots
  once the database is back, nothing kept in memory instead;
- Redis stopped: a clear reply too, and service resumes when it is back.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from rasa_server.store_guard import LOCKS_DOWN_REPLY, RECORDS_DOWN_REPLY
from scripts.cluster import ROOT, Cluster, Ports
from tests.support.servers import free_port

pytestmark = pytest.mark.e2e
CARD = re.compile(r"\*\*\d\. (?P<code>[A-Z]{2}\d{1,2}|EX-HN3) ")
TOKEN = "cluster-e2e-" + uuid.uuid4().hex
CONVERSATIONS = 20
# Two scripts, so a conversation that got another's state would show it.
SCRIPTS = {
    "back": ("hi", "my lower back is stiff", "no", "and my neck is stiff too"),
    "knee": ("hello", "my knees ache when I climb stairs", "no", "where is GB34?"),
}
FALLBACK_LOG = "Falling back to use the 'InMemoryTrackerStore'"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    ports = Ports(
        postgres=free_port(), redis=free_port(), chat=free_port(), actions=free_port(),
        rasa=(free_port(), free_port()), action_servers=(free_port(), free_port()),
    )  # fmt: skip
    servers = Cluster(workdir=Path(tmp_path_factory.mktemp("cluster")), ports=ports, api_token=TOKEN)
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()
        servers.remove_data()


def say(url: str, sender: str, text: str) -> str:
    response = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120)
    assert response.status_code == 200, response.text[:500]
    return "\n".join(reply.get("text", "") for reply in response.json())


def tracker(url: str, sender: str) -> dict:
    response = requests.get(f"{url}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=30)
    response.raise_for_status()
    return response.json()


def state(tracker_json: dict) -> dict:
    """What a person would check: the area asked about, the points shown, the pregnancy answer."""
    slots = tracker_json["slots"]
    keys = ("complaints", "recommended_points", "pregnancy_status", "triage")
    return {key: slots[key] for key in keys}


def converse(cluster: Cluster, index: int, script: tuple[str, ...]) -> tuple[str, list[str]]:
    """One person's conversation; turn k goes to the other server than turn k-1."""
    sender = f"cluster-{index}-{uuid.uuid4().hex[:8]}"
    texts = []
    for turn, text in enumerate(script):
        url = cluster.url if index % 2 else cluster.rasa_url((index + turn) % 2)
        texts.append(say(url, sender, text))
    return sender, texts


def test_conversations_alternating_between_servers_keep_their_state_and_events(cluster: Cluster) -> None:
    # One reference conversation per script, alone, on one server.
    reference = {}
    for name, script in SCRIPTS.items():
        sender = f"reference-{name}-{uuid.uuid4().hex[:8]}"
        texts = [say(cluster.rasa_url(0), sender, text) for text in script]
        reference[name] = (state(tracker(cluster.rasa_url(0), sender)), cluster.events_per_sender()[sender])
        if name == "back":
            assert CARD.findall(texts[2])[:2] == ["BL23", "BL52"], texts[2][:600]
    back, knee = reference["back"][0], reference["knee"][0]
    # The latest request's points (the neck, then the knee) and the pregnancy answer.
    assert back["recommended_points"][0] in {"GB20", "GB21"} and back["pregnancy_status"] == "not_pregnant"
    assert back["complaints"] != knee["complaints"] and knee["recommended_points"][0] in {"GB34", "ST35", "BL40"}

    names = [list(SCRIPTS)[i % 2] for i in range(CONVERSATIONS)]
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        results = list(pool.map(lambda i: converse(cluster, i, SCRIPTS[names[i]]), range(CONVERSATIONS)))

    counts = cluster.events_per_sender()
    for index, (sender, texts) in enumerate(results):
        expected_state, expected_events = reference[names[index]]
        assert RECORDS_DOWN_REPLY not in texts and LOCKS_DOWN_REPLY not in texts
        if names[index] == "back":
            assert CARD.findall(texts[2])[:2] == ["BL23", "BL52"], texts[2][:600]
        # Read back through the server that did not answer the last turn.
        assert state(tracker(cluster.rasa_url(index % 2), sender)) == expected_state, sender
        assert counts[sender] == expected_events, (sender, counts[sender], expected_events)
    # Both servers and both action servers took part (nginx logs the upstream of each request).
    access = (cluster.logs / "nginx-access.log").read_text()
    for port in (*cluster.ports.rasa, *cluster.ports.action_servers):
        assert re.search(rf"127\.0\.0\.1:{port}\b", access), port


def test_database_outage_gets_a_clear_reply_and_the_conversation_resumes(cluster: Cluster) -> None:
    sender = f"outage-{uuid.uuid4().hex[:8]}"
    say(cluster.url, sender, "my lower back is stiff")
    assert CARD.findall(say(cluster.url, sender, "no"))[:2] == ["BL23", "BL52"]
    before = cluster.events_per_sender()[sender]

    cluster.stop_postgres()
    try:
        for url in (cluster.rasa_url(0), cluster.rasa_url(1), cluster.url):
            assert say(url, sender, "and my neck is stiff too") == RECORDS_DOWN_REPLY
        # A server started now refuses to run without its records (Rasa would keep them in memory).
        log = cluster.logs / "rasa-late.log"
        env = {**cluster.server_environment(), "TRACKER_DB_STARTUP_WAIT_SECONDS": "2"}
        command = cluster.rasa_command(0)
        command[command.index("--port") + 1] = str(free_port())
        with log.open("w") as out:
            late = subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=120,
                                  check=False)  # fmt: skip
        assert late.returncode != 0
        assert "Cannot reach the tracker store database" in log.read_text()
    finally:
        cluster.start_postgres()

    # Back: the conversation goes on with its slots (no second pregnancy question), and the
    # turns during the outage were stored nowhere, not in some server's memory either.
    text = say(cluster.url, sender, "and my neck is stiff too")
    assert CARD.findall(text) and "are you pregnant" not in text.lower(), text[:600]
    full = tracker(cluster.rasa_url(1), sender)
    assert full["slots"]["recommended_points"][0] in {"GB20", "GB21"}  # the neck's, as on one server
    assert full["slots"]["pregnancy_status"] == "not_pregnant"
    assert cluster.user_messages(sender) == ["my lower back is stiff", "no", "and my neck is stiff too"]
    assert len(full["events"]) == cluster.events_per_sender()[sender] > before
    for index in (1, 2):
        assert FALLBACK_LOG not in (cluster.logs / f"rasa-{index}.log").read_text()


def test_redis_outage_gets_a_clear_reply_and_service_resumes(cluster: Cluster) -> None:
    sender = f"redis-{uuid.uuid4().hex[:8]}"
    say(cluster.url, sender, "hi")
    cluster.stop_process("redis")
    try:
        assert say(cluster.rasa_url(0), sender, "my lower back is stiff") == LOCKS_DOWN_REPLY
        assert say(cluster.url, sender, "my lower back is stiff") == LOCKS_DOWN_REPLY
    finally:
        cluster.start_redis()
    assert "are you pregnant" in say(cluster.url, sender, "my lower back is stiff").lower()
    assert CARD.findall(say(cluster.rasa_url(1), sender, "no"))[:2] == ["BL23", "BL52"]
