"""The per-sender token bucket (rasa_server/rate_limit.py), on a clock the test moves."""

from __future__ import annotations

import pytest

from rasa_server.rate_limit import RateSettings, SenderRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def limiter(per_minute: float = 60, burst: int = 3, max_senders: int = 100) -> tuple[SenderRateLimiter, Clock]:
    clock = Clock()
    return SenderRateLimiter(RateSettings(per_minute, burst), clock, max_senders), clock


def test_a_burst_is_allowed_then_one_message_per_refill() -> None:
    bucket, clock = limiter(per_minute=60, burst=3)
    assert [bucket.allow("a") for _ in range(5)] == [True, True, True, False, False]
    assert bucket.retry_after("a") == 1
    clock.now += 0.5
    assert not bucket.allow("a")  # half a token
    clock.now += 0.5
    assert bucket.allow("a") and not bucket.allow("a")
    clock.now += 60  # refills up to the burst, not beyond
    assert [bucket.allow("a") for _ in range(4)] == [True, True, True, False]


def test_one_sender_over_its_limit_does_not_touch_another() -> None:
    bucket, _ = limiter(burst=2)
    for _ in range(1000):
        bucket.allow("flood")
    assert bucket.allow("quiet") and bucket.allow("quiet")


def test_off_allows_everything() -> None:
    bucket, _ = limiter(per_minute=0)
    assert all(bucket.allow("a") for _ in range(10_000))


def test_the_table_of_senders_stays_bounded() -> None:
    bucket, clock = limiter(burst=2, max_senders=50)
    for sender in range(30):
        bucket.allow(f"idle-{sender}")
    clock.now += 10  # the idle ones are full again: forgetting them changes nothing
    for sender in range(500):
        bucket.allow(f"new-{sender}")
    assert len(bucket.buckets) <= 50
    assert not any(key.startswith("idle-") for key in bucket.buckets)
    assert bucket.allow("new-499") and not bucket.allow("new-499")  # the newest keeps its count (1 of 2 used)


@pytest.mark.parametrize(
    "env,expected",
    [
        ({}, RateSettings(60, 10)),
        ({"RATE_LIMIT_PER_MINUTE": "off"}, RateSettings(0, 10)),
        ({"RATE_LIMIT_PER_MINUTE": "0"}, RateSettings(0, 10)),
        ({"RATE_LIMIT_PER_MINUTE": "30", "RATE_LIMIT_BURST": "5"}, RateSettings(30, 5)),
    ],
)
def test_settings_from_the_environment(env: dict[str, str], expected: RateSettings) -> None:
    assert RateSettings.from_env(env) == expected


@pytest.mark.parametrize(
    "env", [{"RATE_LIMIT_PER_MINUTE": "fast"}, {"RATE_LIMIT_PER_MINUTE": "-1"}, {"RATE_LIMIT_BURST": "0"}]
)
def test_bad_settings_stop_start_up(env: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="RATE_LIMIT"):
        RateSettings.from_env(env)
