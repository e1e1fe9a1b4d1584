"""The widget server's pure parts: the body map read against the catalogue, settings, CSP, routes."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from actions.core.errors import DataFileError
from actions.shared import CATALOGUE, VOCABULARY
from webwidget.bodymap import covered_complaints, load_body_map
from webwidget.server import create_app
from webwidget.settings import WidgetSettings, allowed_origins


def test_every_area_is_covered_exactly_when_a_catalogue_point_is_used_for_it() -> None:
    covered = covered_complaints(CATALOGUE)
    body_map = load_body_map()
    for area in body_map["areas"]:
        assert area["covered"] == (area["complaint"] in covered), area["id"]
        assert area["covered"] or area["complaint"] in VOCABULARY.uncovered
    ids = {area["id"] for area in body_map["areas"]}
    assert {"lower_back", "neck", "head", "knee-left", "knee-right", "calf-left", "hip-right"} <= ids
    assert not next(a for a in body_map["areas"] if a["id"] == "elbow-left")["covered"]


def test_sided_areas_name_the_side_and_mirror_the_shape() -> None:
    areas = {area["id"]: area for area in load_body_map()["areas"]}
    right, left = areas["knee-right"], areas["knee-left"]
    assert (right["message"], left["message"]) == ("My right knee hurts", "My left knee hurts")
    assert right["side"] == "right" and areas["lower_back"]["side"] is None
    # From the front the person's right is on the viewer's left; from behind, on the right.
    assert right["shapes"]["front"]["ellipse"][0] < 100 < left["shapes"]["front"]["ellipse"][0]
    assert right["shapes"]["back"]["ellipse"][0] > 100 > left["shapes"]["back"]["ellipse"][0]
    assert right["shapes"]["front"]["ellipse"][0] + left["shapes"]["front"]["ellipse"][0] == 200


@pytest.mark.parametrize(
    ("area", "problem"),
    [
        ("{id: x, label: x, complaint: toenail, say: 'My toe', shapes: {front: {rect: [1, 2, 3, 4]}}}", "neither"),
        ("{id: x, label: x, complaint: knee, say: 'My knee', shapes: {side: {rect: [1, 2, 3, 4]}}}", "views"),
        ("{id: x, label: x, complaint: knee, say: 'My knee', shapes: {front: {circle: [1, 2, 3]}}}", "ellipse"),
        (
            "{id: x, label: x, complaint: knee, sided: true, say: 'My knee', shapes: {back: {rect: [1, 2, 3, 4]}}}",
            "{side}",
        ),  # fmt: skip
        ("{id: x, label: x, complaint: knee, shapes: {front: {rect: [1, 2, 3, 4]}}}", "required"),
    ],
)
def test_a_broken_area_is_a_schema_error_naming_it(tmp_path: Path, area: str, problem: str) -> None:
    path = tmp_path / "areas.yml"
    path.write_text(f"areas:\n  - {area}\nuncovered_note: 'No points for the {{label}}.'\n")
    with pytest.raises(DataFileError, match="x") as error:
        load_body_map(path)
    assert problem in str(error.value)


def test_allowed_origins_default_to_the_widget_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALLOWED_ORIGINS", raising=False)
    monkeypatch.delenv("ACU_PUBLIC_URL", raising=False)
    monkeypatch.setenv("WIDGET_PORT", "9090")
    assert allowed_origins() == ["http://localhost:9090", "http://127.0.0.1:9090"]
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://clinic.example, https://www.clinic.example/")
    assert allowed_origins() == ["https://clinic.example", "https://www.clinic.example"]


async def test_server_sends_a_strict_csp_and_cors_only_for_listed_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://clinic.example")
    monkeypatch.setenv("RASA_PUBLIC_URL", "https://bot.clinic.example")
    client = TestClient(TestServer(create_app(WidgetSettings.from_env())))
    await client.start_server()
    try:
        page = await client.get("/")
        csp = page.headers["Content-Security-Policy"]
        assert page.status == 200 and "script-src 'self';" in csp and "unsafe" not in csp
        assert "connect-src 'self' https://bot.clinic.example wss://bot.clinic.example" in csp
        listed = await client.get("/config.json", headers={"Origin": "https://clinic.example"})
        assert listed.headers["Access-Control-Allow-Origin"] == "https://clinic.example"
        assert (await listed.json())["serverUrl"] == "https://bot.clinic.example"
        other = await client.get("/bodymap.json", headers={"Origin": "https://evil.example"})
        assert other.status == 200 and "Access-Control-Allow-Origin" not in other.headers
        missing = await client.get("/diagrams/NOPE.png")
        assert missing.status == 404 and "Content-Security-Policy" in missing.headers
        assert (await client.get("/vendor/socket.io.min.js")).status == 200
        assert (await client.get("/vendor/../server.py")).status == 404
    finally:
        await client.close()


@pytest.mark.parametrize(
    "entry",
    ["*", "https://*.clinic.example", "https://clinic\\.example", "https://clinic.example/page", "clinic.example"],
)
def test_allowed_origins_refuse_patterns_and_anything_not_an_exact_origin(
    monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    # Pattern origins are what CVE-2026-37737 (Sanic-Cors, unanchored re.match) bypasses.
    monkeypatch.setenv("ALLOWED_ORIGINS", f"https://clinic.example, {entry}")
    with pytest.raises(ValueError, match="not an exact origin"):
        allowed_origins()


def test_exact_origins_with_ports_and_addresses_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", "http://localhost:8080,http://127.0.0.1:9000,http://[::1]:8080")
    assert allowed_origins() == ["http://localhost:8080", "http://127.0.0.1:9000", "http://[::1]:8080"]
