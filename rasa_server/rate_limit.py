"""Per-sender rate limiting for the channels: a token bucket per conversation.

A sender may send `burst` messages at once and then `per_minute` a minute; a message over
that is not run through the model but answered with RATE_LIMITED_REPLY (REST: HTTP 429),
so one sender's flood cannot take the event loop, the lock store and the CPU from everyone
else. People typing stay far below the defaults; a script flooding one conversation hits
them within a second. Settings from the environment (README, "Settings"):

    RATE_LIMIT_PER_MINUTE   messages a minute per sender (default 60); 0 or "off" turns it off
    RATE_LIMIT_BURST        messages a sender may send at once (default 10)

Senders are keyed by channel and sender id. The table is bounded: past MAX_SENDERS, the
least recently seen sender is forgotten.
A flood spread over many sender ids is the proxy's to limit (per client address).
"""

from __future__ import annotations

import math
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

RATE_LIMITED_REPLY = (
    "You're sending messages faster than I can answer. Please wait a few seconds, then send "
    "your message again. If your pain is severe or you feel unwell, don't wait for me: contact "
    "a doctor or your local emergency number."
)
DEFAULT_PER_MINUTE = 60.0
DEFAULT_BURST = 10
MAX_SENDERS = 10_000


@dataclass(frozen=True)
class RateSettings:
    per_minute: float = DEFAULT_PER_MINUTE  # 0: no limit
    burst: int = DEFAULT_BURST

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> RateSettings:
        """The settings from RATE_LIMIT_PER_MINUTE and RATE_LIMIT_BURST; a bad value stops start-up."""
        raw_rate = env.get("RATE_LIMIT_PER_MINUTE", "").strip().lower()
        raw_burst = env.get("RATE_LIMIT_BURST", "").strip()
        try:
            rate = 0.0 if raw_rate == "off" else float(raw_rate or DEFAULT_PER_MINUTE)
            burst = int(raw_burst or DEFAULT_BURST)
        except ValueError:
            raise ValueError(
                f"RATE_LIMIT_PER_MINUTE must be a number or 'off' and RATE_LIMIT_BURST a whole number, "
                f"not {raw_rate!r} and {raw_burst!r}"
            ) from None
        if not math.isfinite(rate) or rate < 0 or burst < 1:
            raise ValueError(f"RATE_LIMIT_PER_MINUTE must be >= 0 and RATE_LIMIT_BURST >= 1, not {rate} and {burst}")
        return cls(per_minute=rate, burst=burst)


@dataclass
class Bucket:
    tokens: float
    updated: float


class SenderRateLimiter:
    """Token buckets keyed by sender; `allow(key)` takes a token if there is one."""

    def __init__(
        self, settings: RateSettings, clock: Callable[[], float] = time.monotonic, max_senders: int = MAX_SENDERS
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.max_senders = max_senders
        self.buckets: OrderedDict[str, Bucket] = OrderedDict()

    @property
    def per_second(self) -> float:
        return self.settings.per_minute / 60.0

    def allow(self, key: str) -> bool:
        if not self.settings.enabled:
            return True
        now = self.clock()
        bucket = self.buckets.get(key)
        if bucket is None:
            self._make_room()
            bucket = self.buckets[key] = Bucket(float(self.settings.burst), now)
        else:
            self.buckets.move_to_end(key)
            refill = (now - bucket.updated) * self.per_second
            bucket.tokens, bucket.updated = min(float(self.settings.burst), bucket.tokens + refill), now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return True
        return False

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` has a token again (for HTTP Retry-After)."""
        bucket = self.buckets.get(key)
        if bucket is None or not self.settings.enabled:
            return 0
        missing = max(0.0, 1.0 - bucket.tokens)
        return max(1, math.ceil(missing / self.per_second))

    def _make_room(self) -> None:
        """Room for one more sender: forget the least recently seen (O(1); most likely full again)."""
        while len(self.buckets) >= self.max_senders:
            self.buckets.popitem(last=False)


_limiter: SenderRateLimiter | None = None


def limiter() -> SenderRateLimiter:
    """The process's limiter, from the environment on first use."""
    global _limiter
    if _limiter is None:
        _limiter = SenderRateLimiter(RateSettings.from_env())
    return _limiter
