"""`python -m action_server --actions actions --port 5055`: rasa-sdk's server, as `python -m
rasa_sdk` runs it, but bound to ACTIONS_HOST (default 127.0.0.1) and behind
ACTION_SERVER_SECRET when that is set (action_server/guard.py). No CORS: only the Rasa
server calls it, never a browser."""

from __future__ import annotations

import logging
import sys

from action_server.lean import block_unused_imports

block_unused_imports()  # before rasa_sdk loads the actions, which use spaCy

from rasa_sdk import utils  # noqa: E402
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME  # noqa: E402
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context  # noqa: E402
from rasa_sdk.plugin import plugin_manager  # noqa: E402
from sanic import Sanic, response  # noqa: E402
from sanic.request import Request  # noqa: E402

from action_server.guard import SECRET_HEADER, action_secret, allowed, bind_host  # noqa: E402

logger = logging.getLogger(__name__)


def protect(app: Sanic, secret: str | None) -> None:
    """Answer 401 to requests without the shared secret (when one is set)."""

    async def check_secret(request: Request) -> response.HTTPResponse | None:
        if not allowed(request.path, request.headers.get(SECRET_HEADER), secret):
            logger.warning("Action server request without the right %s header refused", SECRET_HEADER)
            return response.json({"error": f"missing or wrong {SECRET_HEADER} header"}, status=401)
        return None

    app.register_middleware(check_secret, "request")


def main(argv: list[str] | None = None) -> int:
    args = create_argument_parser().parse_args(argv)
    if args.cors:
        sys.exit("action_server: no --cors; only the Rasa server calls the action server")
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel, args.logging_config_file
    )
    utils.update_sanic_log_level()
    secret, host = action_secret(), bind_host()
    app = create_app(args.actions, cors_origins=None, auto_reload=args.auto_reload)
    protect(app, secret)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    logger.info("Action server on http://%s:%s (%s)", host, args.port, "secret required" if secret else "no secret")
    app.run(host, args.port, ssl=ssl_context, workers=utils.number_of_sanic_workers())
    return 0


if __name__ == "__main__":
    sys.exit(main())
