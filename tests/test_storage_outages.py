"""The production stores against a real PostgreSQL and Redis, stopped and started again.

No Rasa server here (tests/e2e/test_cluster.py has those): the windowed tracker store on
PostgreSQL and the checked Redis lock store, the way Rasa calls them, and Rasa's own
factories with our guard installed (rasa_server/store_guard.py).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.core.lock_store import LockError, LockStore
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import rasa_server  # noqa: F401 - installs the guard, as the Rasa server does
from rasa_server.lock_store import CheckedRedisLockStore
from rasa_server.store_guard import (
    LOCKS_DOWN_REPLY,
    RECORDS_DOWN_REPLY,
    LockStoreUnavailable,
    TrackerStoreNotLoaded,
    TrackerStoreUnavailable,
    outage_reply,
)
from rasa_server.tracker_store import WindowedSQLTrackerStore
from scripts.cluster import Cluster, Ports
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory):
    ports = Ports(postgres=free_port(), redis=free_port(), chat=free_port(), actions=free_port())
    cluster = Cluster(workdir=Path(tmp_path_factory.mktemp("stores")), ports=ports)
    cluster.start_postgres()
    cluster.start_redis()
    yield cluster
    cluster.stop()
    cluster.remove_data()


def postgres_store(cluster: Cluster, domain: Domain) -> WindowedSQLTrackerStore:
    endpoint = EndpointConfig(
        url="127.0.0.1", type="rasa_server.tracker_store.WindowedSQLTrackerStore", dialect="postgresql",
        port=str(cluster.ports.postgres), db="rasa", username="rasa", password=cluster.db_password,
        cached_senders=0,
    )  # fmt: skip
    store = TrackerStore.create(endpoint, domain=domain)
    assert isinstance(store, WindowedSQLTrackerStore)
    return store


def one_turn(sender: str, domain: Domain, area: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, domain.slots)
    for event in (
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
        UserUttered(f"my {area} hurts", {"name": "describe_symptom", "confidence": 1.0}),
        SlotSet("complaints", [area]), ActionExecuted("action_listen"),
    ):  # fmt: skip
        tracker.update(event)
    return tracker


def test_rasa_uses_our_store_without_its_in_memory_fallback(services: Cluster, domain: Domain) -> None:
    store = postgres_store(services, domain)
    assert Agent._create_tracker_store(store, domain) is store
    # Other stores keep Rasa's behaviour.
    assert isinstance(Agent._create_tracker_store(InMemoryTrackerStore(domain), domain), FailSafeTrackerStore)


def test_a_tracker_store_type_that_cannot_be_loaded_stops_the_start_up(domain: Domain) -> None:
    endpoint = EndpointConfig(type="rasa_server.tracker_store.NoSuchStore")
    with pytest.raises(TrackerStoreNotLoaded, match="NoSuchStore' cannot be loaded"):
        TrackerStore.create(endpoint, domain=domain)


def test_database_outage_is_named_and_service_resumes(services: Cluster, domain: Domain) -> None:
    store = postgres_store(services, domain)
    asyncio.run(store.save(one_turn("outage-1", domain, "neck")))
    assert asyncio.run(store.retrieve("outage-1")).get_slot("complaints") == ["neck"]

    services.stop_postgres()
    try:
        with pytest.raises(TrackerStoreUnavailable) as raised:
            asyncio.run(store.retrieve("outage-1"))
        assert outage_reply(raised.value) == RECORDS_DOWN_REPLY
        with pytest.raises(TrackerStoreUnavailable):
            asyncio.run(store.save(one_turn("outage-2", domain, "knee")))
    finally:
        services.start_postgres()

    # The pooled connections died with the server; the next turn works without a restart.
    assert asyncio.run(store.retrieve("outage-1")).get_slot("complaints") == ["neck"]
    assert asyncio.run(store.retrieve("outage-2")) is None  # the failed save was not kept anywhere
    asyncio.run(store.save(one_turn("outage-2", domain, "knee")))
    assert services.events_per_sender()["outage-2"] == 6


def test_start_up_with_the_database_down_fails_loudly(
    services: Cluster, domain: Domain, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("TRACKER_DB_STARTUP_WAIT_SECONDS", "1")
    endpoint = EndpointConfig(
        url="127.0.0.1", type="rasa_server.tracker_store.WindowedSQLTrackerStore", dialect="postgresql",
        port=str(free_port()), db="rasa", username="rasa", password="wrong",
    )  # fmt: skip
    began = time.monotonic()
    with pytest.raises(TrackerStoreUnavailable, match="Cannot reach the tracker store database"):
        TrackerStore.create(endpoint, domain=domain)
    assert time.monotonic() - began < 15  # Rasa's own constructor retries forever
    assert "Not starting" in caplog.text and "wrong" not in caplog.text  # the password stays hidden


def redis_lock_store(cluster: Cluster, port: int | None = None) -> CheckedRedisLockStore:
    endpoint = EndpointConfig(
        url="127.0.0.1", type="rasa_server.lock_store.CheckedRedisLockStore", port=str(port or cluster.ports.redis),
        password=cluster.redis_password, db="1",
    )  # fmt: skip
    store = LockStore.create(endpoint)
    assert isinstance(store, CheckedRedisLockStore)
    return store


async def take_lock(store: CheckedRedisLockStore, sender: str) -> str:
    async with store.lock(sender):
        return "locked"


def test_redis_outage_is_named_and_service_resumes(services: Cluster) -> None:
    store = redis_lock_store(services)
    assert asyncio.run(take_lock(store, "lock-1")) == "locked"
    services.stop_process("redis")
    try:
        with pytest.raises(LockError) as raised:
            asyncio.run(take_lock(store, "lock-1"))
        assert outage_reply(raised.value) == LOCKS_DOWN_REPLY
    finally:
        services.start_redis()
    assert asyncio.run(take_lock(store, "lock-1")) == "locked"


def test_start_up_with_redis_down_fails_loudly(services: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCK_STORE_STARTUP_WAIT_SECONDS", "1")
    with pytest.raises(LockStoreUnavailable, match="Cannot reach the lock store"):
        redis_lock_store(services, port=free_port())


async def failing_turn(error: Exception) -> list[dict]:
    """What a REST turn sends when handling the message raised `error` (no agent: no health check)."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from rasa_server.channel_turn import run_turn

    async def on_new_message(message: UserMessage) -> None:
        raise error

    collector = CollectingOutputChannel()
    await run_turn(on_new_message, UserMessage("my neck hurts", collector, "someone", input_channel="rest"), None)
    return collector.messages


def test_channels_name_the_outage_and_keep_try_again_for_other_failures() -> None:
    records = asyncio.run(failing_turn(TrackerStoreUnavailable("tracker store unavailable while saving a turn")))
    assert [m["text"] for m in records] == [RECORDS_DOWN_REPLY]
    try:
        raise LockStoreUnavailable("lock store down")
    except LockStoreUnavailable:
        try:
            raise LockError("Error while acquiring lock.")  # how Rasa wraps it
        except LockError as wrapped:
            locks = asyncio.run(failing_turn(wrapped))
    assert [m["text"] for m in locks] == [LOCKS_DOWN_REPLY]
    from rasa_server.action_health import TRY_AGAIN_REPLY

    assert [m["text"] for m in asyncio.run(failing_turn(ValueError("a bug")))] == [TRY_AGAIN_REPLY]
