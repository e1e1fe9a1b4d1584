"""The chat widget in a real browser (headless Debian Chromium via Playwright), against the
real widget server, Rasa server and action server, as a visitor uses it.

Screenshots (desktop and a 360 px phone) go to results/browser/.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.support.servers import ROOT, RasaStack
from tests.support.widget import AXE, WidgetServer, chromium_path, widget_stack

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "results" / "browser"
Servers = tuple[RasaStack, WidgetServer]
TURN_MS = 60_000  # generous: two cores shared with training and other tests


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    stack, widget = widget_stack(Path(tmp_path_factory.mktemp("e2e-widget")))
    stack.start()
    widget.start()
    yield stack, widget
    widget.stop()
    stack.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, servers: Servers) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.dialogs = []  # type: ignore[attr-defined]
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    opened.goto(servers[1].url)
    expect(opened.locator(".acu-widget")).to_have_attribute("data-connection", "online", timeout=TURN_MS)
    yield opened
    context.close()


def bot_texts(page: Page) -> list[str]:
    return page.locator(".acu-log .acu-bot").all_inner_texts()


def say(page: Page, text: str) -> None:
    """Type a message and press Enter; wait until a new bot message has rendered."""
    before = page.locator(".acu-log .acu-bot").count()
    page.locator("#acu-input").fill(text)
    page.locator("#acu-input").press("Enter")
    expect(page.locator(".acu-log .acu-bot")).not_to_have_count(before, timeout=TURN_MS)
    page.wait_for_timeout(800)  # the rest of a turn's replies


def click_reply(page: Page, title: str) -> None:
    before = page.locator(".acu-log .acu-bot").count()
    page.locator(".acu-reply", has_text=re.compile(f"^{re.escape(title)}$")).click()
    expect(page.locator(".acu-log .acu-bot")).not_to_have_count(before, timeout=TURN_MS)
    page.wait_for_timeout(800)


def session_id(page: Page) -> str:
    return page.evaluate("sessionStorage.getItem('acu-widget:session')")


def user_turns(stack: RasaStack, sender: str) -> list[str]:
    return [event.get("text") for event in stack.tracker(sender)["events"] if event["event"] == "user"]


def test_page_has_a_strict_csp_and_no_outside_requests(servers: Servers, browser: Browser) -> None:
    csp = requests.get(servers[1].url, timeout=10).headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    context = browser.new_context()
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(re.sub(r"^\w+://([^/]+).*", r"\1", request.url)))
    page.goto(servers[1].url)
    expect(page.locator(".acu-widget")).to_have_attribute("data-connection", "online", timeout=TURN_MS)
    # An inline script, as injected markup would bring one, is refused by the CSP.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.append(s); }"
    )
    assert page.evaluate("window.ran") is None
    allowed = {servers[1].origin.split("//")[1], servers[0].url.split("//")[1]}
    assert hosts <= allowed, hosts - allowed
    context.close()


def test_lower_back_conversation_with_buttons_diagram_and_reload(servers: Servers, page: Page) -> None:
    say(page, "my lower back is stiff")
    assert any("pregnant" in text.lower() for text in bot_texts(page))
    expect(page.locator(".acu-reply").first).to_be_visible()
    click_reply(page, "No")  # answers the pregnancy question with a quick-reply button
    expect(page.locator(".acu-log .acu-bot", has_text="BL23").first).to_be_visible(timeout=TURN_MS)
    # The point's diagram: an <img> in the conversation, fetched and decoded, with a real size.
    diagram = page.locator(".acu-log .acu-image img").first
    expect(diagram).to_be_visible(timeout=TURN_MS)
    diagram.scroll_into_view_if_needed()
    size = diagram.evaluate("img => img.decode().then(() => [img.naturalWidth, img.naturalHeight])")
    assert size[0] > 0 and size[1] > 0
    assert diagram.get_attribute("alt")
    page.screenshot(path=str(ARTIFACTS / "desktop-conversation.png"))

    sender = session_id(page)
    assert re.fullmatch(r"[0-9a-f]{32}", sender)  # 128 random bits
    before = bot_texts(page)
    page.reload()
    expect(page.locator(".acu-widget")).to_have_attribute("data-connection", "online", timeout=TURN_MS)
    assert bot_texts(page) == before  # the history is back, nothing doubled
    assert session_id(page) == sender
    # A guided session with its buttons: its questions (side, pain, one safety check), step 1,
    # the next point, stop.
    click_reply(page, "Guide me step by step")
    click_reply(page, "Both")
    say(page, "5")
    click_reply(page, "No")
    expect(page.locator(".acu-reply", has_text=re.compile("^Done$"))).to_be_visible(timeout=TURN_MS)
    steps = page.locator(".acu-log .acu-image img").count()
    click_reply(page, "Done")
    expect(page.locator(".acu-reply", has_text="Stop")).to_be_visible(timeout=TURN_MS)
    assert page.locator(".acu-log .acu-image img").count() >= steps  # a step shows its point's diagram too
    click_reply(page, "Stop")
    say(page, "thanks")
    turns = user_turns(servers[0], sender)
    assert turns.count("my lower back is stiff") == 1 and turns[-1] == "thanks", turns
    assert "/start_guided_session" in turns and "/next_step" in turns, turns


def test_body_map_by_tap_and_keyboard(servers: Servers, page: Page) -> None:
    page.get_by_role("button", name="Show me where it hurts").click()
    expect(page.locator(".acu-map")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "desktop-body-map.png"))
    # Keyboard: Tab to the lower back (back view) and press Enter.
    page.keyboard.press("Tab")
    for _ in range(60):
        if page.evaluate("document.activeElement.dataset.area") == "lower_back":
            break
        page.keyboard.press("Tab")
    before = page.locator(".acu-log .acu-bot").count()
    page.keyboard.press("Enter")
    expect(page.locator(".acu-log .acu-user").last).to_have_text(re.compile("My lower back hurts"))
    expect(page.locator(".acu-log .acu-bot")).not_to_have_count(before, timeout=TURN_MS)
    assert page.evaluate("document.activeElement.id") == "acu-input"  # focus back where typing goes
    page.wait_for_timeout(800)
    assert any("pregnant" in text.lower() for text in bot_texts(page))
    sender = session_id(page)
    # Tap, with a side: the person's left knee is on the viewer's right in the front view.
    page.get_by_role("button", name="Show me where it hurts").click()
    knee = page.locator('.acu-area[data-area="knee-left"]').first
    assert knee.bounding_box()["x"] > page.locator(".acu-map-figure").first.bounding_box()["x"] + 60
    knee.click()
    expect(page.locator(".acu-log .acu-user").last).to_have_text(re.compile("My left knee hurts"))
    # An area the catalogue has no points for says so.
    page.get_by_role("button", name="Show me where it hurts").click()
    page.locator('.acu-area[data-area="elbow-right"]').first.click()
    note = page.locator(".acu-log .acu-note").last
    expect(note).to_have_text(re.compile("No points in this guide for the right elbow"))
    time.sleep(2)
    assert {"My lower back hurts", "My left knee hurts"} <= set(user_turns(servers[0], sender))


def test_html_from_the_user_or_the_bot_shows_as_text(servers: Servers, page: Page) -> None:
    attack = "<img src=x onerror=alert(1)>"
    say(page, attack)
    expect(page.locator(".acu-log .acu-user", has_text=attack)).to_have_count(1)
    assert page.locator(".acu-log img[src='x']").count() == 0
    # The bot echoing it back (a message pushed to this session) renders as text too.
    sender = session_id(page)
    before = page.locator(".acu-log .acu-bot").count()
    page.evaluate(f"window.acupressureWidget.instance.onBot({json.dumps({'text': '**Bold** ' + attack})})")
    expect(page.locator(".acu-log .acu-bot")).to_have_count(before + 1)
    last = page.locator(".acu-log .acu-bot").last
    assert attack in last.inner_text() and last.locator("strong").inner_text() == "Bold"
    page.wait_for_timeout(500)
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.locator(".acu-log img").count() == 0
    assert sender


def test_a_message_pushed_later_arrives_without_a_user_turn(servers: Servers, page: Page) -> None:
    stack = servers[0]
    say(page, "hello")
    sender = session_id(page)
    before = page.locator(".acu-log .acu-bot").count()
    # What a reminder or timer does: the server triggers an intent; the reply goes to the socket.
    response = requests.post(
        f"{stack.url}/conversations/{sender}/trigger_intent",
        params={"token": stack.api_token, "output_channel": "socketio"},
        json={"name": "help"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    expect(page.locator(".acu-log .acu-bot")).not_to_have_count(before, timeout=TURN_MS)


def test_rasa_restart_shows_reconnecting_and_loses_no_message(servers: Servers, page: Page) -> None:
    stack = servers[0]
    say(page, "my neck is stiff")
    sender = session_id(page)
    stack.stop("rasa")
    expect(page.locator(".acu-status")).to_contain_text("Reconnecting", timeout=30_000)
    page.locator("#acu-input").fill("what is it for?")  # typed while the server is down
    page.locator("#acu-input").press("Enter")
    expect(page.locator(".acu-log .acu-user.acu-pending")).to_have_count(1)
    stack.start_rasa()
    expect(page.locator(".acu-widget")).to_have_attribute("data-connection", "online", timeout=TURN_MS)
    expect(page.locator(".acu-log .acu-user.acu-pending")).to_have_count(0, timeout=TURN_MS)
    page.wait_for_timeout(3000)
    say(page, "thanks")
    turns = user_turns(stack, sender)
    assert turns.count("what is it for?") == 1 and turns.count("my neck is stiff") == 1, turns
    assert page.locator(".acu-log .acu-user", has_text="what is it for?").count() == 1


def test_accessibility_and_phone_layout(servers: Servers, browser: Browser) -> None:
    for name, viewport in (("desktop", {"width": 1280, "height": 800}), ("phone", {"width": 360, "height": 740})):
        context = browser.new_context(viewport=viewport, is_mobile=name == "phone", has_touch=name == "phone")
        page = context.new_page()
        page.goto(servers[1].url)
        expect(page.locator(".acu-widget")).to_have_attribute("data-connection", "online", timeout=TURN_MS)
        say(page, "I have a headache")
        panel = page.locator(".acu-panel").bounding_box()
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= viewport["width"] + 0.5
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=str(ARTIFACTS / f"{name}-chat.png"))
        for state in ("chat", "map"):
            if state == "map":
                page.get_by_role("button", name="Show me where it hurts").click()
                page.screenshot(path=str(ARTIFACTS / f"{name}-body-map.png"))
            page.evaluate(AXE.read_text())  # DevTools evaluation, not an inline script: the CSP stays on
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            serious = [
                f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert not serious, f"{name} {state}: {serious}"
        context.close()


def test_socket_from_an_unlisted_origin_is_refused(servers: Servers) -> None:
    url = f"{servers[0].url}/socket.io/?EIO=4&transport=polling"
    refused = requests.get(url, headers={"Origin": "http://evil.example"}, timeout=10)
    allowed = requests.get(url, headers={"Origin": servers[1].origin}, timeout=10)
    assert refused.status_code == 400
    assert allowed.status_code == 200 and allowed.headers.get("Access-Control-Allow-Origin") == servers[1].origin
