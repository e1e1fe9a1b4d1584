"""The web widget in headless Chromium: page load, and send to first rendered reply against
the same turns over a plain socket.io client (tests/support/sio_client.py).

Page load: fresh browser contexts (nothing cached), the page's load event and the moment the
widget's socket.io session is confirmed (a `performance.mark` the widget sets). A turn in the
widget: the user message's time stamp (set when it is sent) to the first bot message's (set
when it is put in the page); both are `performance.now()` values the widget writes as data-t.
"""

from __future__ import annotations

import asyncio
import statistics
import uuid

from playwright.sync_api import sync_playwright

from bench.client import percentile
from tests.support.sio_client import SocketIOUser
from tests.support.widget import WidgetServer, chromium_path

TIMEOUT_MS = 60_000


def _page_loads(browser, url: str, loads: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    load_ms, ready_ms = [], []
    for _ in range(loads):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector(".acu-widget[data-connection=online]", timeout=TIMEOUT_MS)
        load_ms.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
        ready_ms.append(page.evaluate("performance.getEntriesByName('acu-widget-online')[0].startTime"))
        context.close()
    return load_ms, ready_ms


def _widget_turns(browser, url: str, opener: tuple[str, ...], messages: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(".acu-widget[data-connection=online]", timeout=TIMEOUT_MS)
    samples = []
    for index, text in enumerate((*opener, *messages)):
        bots = page.locator(".acu-log .acu-bot").count()
        page.fill("#acu-input", text)
        page.press("#acu-input", "Enter")
        # A function, not an expression string: the page's CSP forbids eval, which a string would need.
        page.wait_for_function(
            "n => document.querySelectorAll('.acu-log .acu-bot').length > n", arg=bots, timeout=TIMEOUT_MS
        )
        page.wait_for_timeout(1000)  # the turn's other replies
        if index >= len(opener):
            samples.append(
                page.evaluate(
                    """() => {
                      const users = document.querySelectorAll('.acu-log .acu-user');
                      const sent = users[users.length - 1];
                      let next = sent.nextElementSibling;
                      while (next && !next.classList.contains('acu-bot')) next = next.nextElementSibling;
                      return Number(next.dataset.t) - Number(sent.dataset.t);
                    }"""
                )
            )
    context.close()
    return samples


def _socketio_turns(rasa_url: str, opener: tuple[str, ...], messages: list[str]) -> list[float]:
    async def run() -> list[float]:
        user = SocketIOUser(rasa_url, uuid.uuid4().hex)
        await user.connect()
        try:
            for text in opener:
                await user.first_reply_ms(text)
            return [await user.first_reply_ms(text) for text in messages]
        finally:
            await user.close(linger=0)

    return asyncio.run(run())


def measure(widget: WidgetServer, opener: tuple[str, ...], messages: list[str], loads: int) -> dict[str, float]:
    """The widget's figures; the plain socket.io turns run first (outside Playwright's event
    loop), then the same turns in the widget."""
    plain = _socketio_turns(widget.rasa_url, opener, messages)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            load_ms, ready_ms = _page_loads(browser, widget.url, loads)
            in_widget = _widget_turns(browser, widget.url, opener, messages)
        finally:
            browser.close()
    return {
        "widget_page_load_ms": statistics.median(load_ms),
        "widget_ready_ms": statistics.median(ready_ms),
        "widget_turn_p50_ms": statistics.median(in_widget),
        "widget_turn_p95_ms": percentile(in_widget, 95),
        "sio_turn_p50_ms": statistics.median(plain),
        "sio_turn_p95_ms": percentile(plain, 95),
        "widget_loads": float(loads),
        "widget_turns": float(len(in_widget)),
    }
