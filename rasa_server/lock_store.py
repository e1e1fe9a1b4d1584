"""Rasa's Redis lock store, checked at start-up and loud when Redis is down.

Several Rasa servers sharing conversations need one lock per conversation across all of
them (Rasa field notes D.2), so two turns of one person never interleave their saves.
Rasa's `RedisLockStore` connects lazily: a server started with Redis down comes up and
fails on the first message. This one pings Redis at start-up (waiting up to
LOCK_STORE_STARTUP_WAIT_SECONDS, 30) and exits with a clear error otherwise; mid-run, a
Redis that cannot be reached raises `LockStoreUnavailable`, which the channels answer with
a clear reply. redis-py reconnects on the next command, so service resumes when Redis does.

endpoints.yml:
    lock_store:
      type: rasa_server.lock_store.CheckedRedisLockStore
      url: 127.0.0.1
      port: 6379
      password: ${REDIS_PASSWORD}   # optional; from the environment, never in the file
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from typing import Any

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import RedisLockStore
from redis.backoff import NoBackoff
from redis.retry import Retry

from rasa_server.store_guard import LockStoreUnavailable

logger = logging.getLogger(__name__)

STARTUP_WAIT_ENV = "LOCK_STORE_STARTUP_WAIT_SECONDS"
DEFAULT_STARTUP_WAIT_SECONDS = 30.0
CONNECT_TIMEOUT_SECONDS = 2.0  # loopback or a LAN: a Redis that does not answer in 2 s is down


class CheckedRedisLockStore(RedisLockStore):
    """`RedisLockStore` that refuses to start without Redis and names its outages."""

    def __init__(self, endpoint_config: Any) -> None:
        settings = {key: value for key, value in endpoint_config.kwargs.items() if value not in (None, "")}
        super().__init__(host=endpoint_config.url or "localhost", **settings)
        connection = self.red.connection_pool.connection_kwargs
        connection["socket_connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        # A connection Redis closed (a restart) is retried once on a new one, not failed.
        connection["retry_on_error"] = [redis.exceptions.ConnectionError]
        connection["retry"] = Retry(NoBackoff(), 1)
        self._wait_for_redis(float(os.environ.get(STARTUP_WAIT_ENV, DEFAULT_STARTUP_WAIT_SECONDS)))

    def _where(self) -> str:
        kwargs = self.red.connection_pool.connection_kwargs
        return f"redis://{kwargs.get('host')}:{kwargs.get('port')}/{kwargs.get('db')}"

    def _wait_for_redis(self, wait_seconds: float) -> None:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                self.red.ping()
                return
            except redis.RedisError as error:
                if time.monotonic() >= deadline:
                    message = (
                        f"Cannot reach the lock store {self._where()} after {wait_seconds:.0f} s ({error}). "
                        "Not starting: without it, servers sharing conversations could interleave their turns."
                    )
                    logger.error(message)
                    raise LockStoreUnavailable(message) from error
                logger.warning("Waiting for the lock store %s: %s", self._where(), error)
                time.sleep(1)

    @contextlib.contextmanager
    def _reachable(self) -> Iterator[None]:
        try:
            yield
        except redis.RedisError as error:
            logger.error("Lock store %s unavailable: %s", self._where(), error)
            raise LockStoreUnavailable(f"lock store {self._where()} unavailable") from error

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        with self._reachable():
            return super().get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        with self._reachable():
            super().delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        with self._reachable():
            super().save_lock(lock)
