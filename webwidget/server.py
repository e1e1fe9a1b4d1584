"""The widget's web server (aiohttp): static files, config, body map, diagrams, with a strict CSP.

    python -m webwidget            # http://127.0.0.1:8080/ (WIDGET_HOST, WIDGET_PORT)

Every response carries a Content-Security-Policy without 'unsafe-inline' for scripts, so
text that slips into the page as markup still cannot run. Cross-origin reads (an embedding
site loading /config.json and /bodymap.json) are answered only for ALLOWED_ORIGINS.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from aiohttp import web

from webwidget.bodymap import load_body_map
from webwidget.settings import WidgetSettings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STATIC = HERE / "static"
NODE_MODULES = HERE / "node_modules"
DIAGRAMS = ROOT / "build" / "diagrams"
# Browser files taken from npm packages (installed by `npm ci` in the setup step).
VENDOR = {"socket.io.min.js": NODE_MODULES / "socket.io-client" / "dist" / "socket.io.min.js"}

logger = logging.getLogger(__name__)


def content_security_policy(settings: WidgetSettings) -> str:
    connect = " ".join(["'self'", *settings.connect_sources()])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src {connect}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'self'",
        ]
    )


def create_app(settings: WidgetSettings | None = None) -> web.Application:
    settings = settings or WidgetSettings.from_env()
    missing = [str(path) for path in VENDOR.values() if not path.is_file()]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: run `make install` (npm ci in webwidget/)")
    csp = content_security_policy(settings)
    body_map = json.dumps(load_body_map())
    config = json.dumps(
        {
            "serverUrl": settings.rasa_url,
            "title": settings.title,
            "initialMessage": settings.initial_message,
        }
    )

    @web.middleware
    async def headers(request: web.Request, handler):  # type: ignore[no-untyped-def]
        try:
            response = await handler(request)
        except web.HTTPException as problem:
            response = problem
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        origin = request.headers.get("Origin")
        if origin and origin in settings.origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
        if isinstance(response, web.HTTPException) and response.status >= 400:
            raise response
        return response

    def json_response(text: str) -> web.Response:
        return web.Response(text=text, content_type="application/json", headers={"Cache-Control": "no-cache"})

    async def index(_: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    async def vendor(request: web.Request) -> web.FileResponse:
        path = VENDOR.get(request.match_info["name"])
        if path is None:
            raise web.HTTPNotFound(text="not found")
        return web.FileResponse(path)

    app = web.Application(middlewares=[headers])
    app.router.add_get("/", index)
    app.router.add_get("/config.json", lambda _: json_response(config))
    app.router.add_get("/bodymap.json", lambda _: json_response(body_map))
    app.router.add_get("/vendor/{name}", vendor)
    app.router.add_get("/health", lambda _: json_response('{"status": "ok"}'))
    DIAGRAMS.mkdir(parents=True, exist_ok=True)  # the diagrams step fills it; empty is served as 404s
    app.router.add_static("/diagrams/", DIAGRAMS, show_index=False)
    app.router.add_static("/", STATIC, show_index=False)
    return app


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    settings = WidgetSettings.from_env()
    print(f"Widget: {settings.public_url}/ (serving on {settings.host}:{settings.port})", flush=True)
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None, access_log=None)
