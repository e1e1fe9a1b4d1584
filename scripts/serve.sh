#!/usr/bin/env bash
# Start the action server, the Rasa server and the chat widget page together, restart any
# that dies; Ctrl-C stops them all.
#   scripts/serve.sh            REST and socket.io on $RASA_PORT (5005), actions on $ACTIONS_PORT
#                               (5055), the chat page on $WIDGET_PORT (8080)
#   scripts/serve.sh shell      the same action server, with a chat in this terminal
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
RASA_HOST=${RASA_HOST:-127.0.0.1}
public_url=${ACU_PUBLIC_URL:-${WIDGET_PORT:+http://localhost:$WIDGET_PORT}}  # follows WIDGET_PORT unless set
set -a; source scripts/server.env; set +a  # the servers' settings, shared with the tests
# The public address is the deployment's to choose: a value set outside wins over the default.
if [ -n "$public_url" ]; then export ACU_PUBLIC_URL=$public_url; fi
mkdir -p var

# endpoints.yml names the action server on 5055 and var/tracker.db; the servers read a
# copy pointed at ACTIONS_PORT (and TRACKER_DB if set), so setting those alone is enough.
endpoints=var/endpoints.yml
ACTIONS_PORT="$ACTIONS_PORT" "$BIN/python" - > "$endpoints" <<'PY'
import os

import yaml

settings = yaml.safe_load(open("endpoints.yml"))
settings["action_endpoint"]["url"] = f"http://localhost:{os.environ['ACTIONS_PORT']}/webhook"
settings["tracker_store"]["db"] = os.environ.get("TRACKER_DB") or settings["tracker_store"]["db"]
from action_server.guard import endpoint_headers  # ACTION_SERVER_SECRET: a ${...} placeholder, never the value

if endpoint_headers():
    settings["action_endpoint"]["headers"] = endpoint_headers()
print("# Written by scripts/serve.sh from endpoints.yml; edit that file instead.")
print(yaml.safe_dump(settings, sort_keys=False), end="")
PY

# scripts/supervise.py keeps the servers up: a server that dies is restarted (with back-off),
# and the Rasa server keeps answering "please try again" while the action server is down.
export ACTIONS_PORT RASA_PORT RASA_HOST ENDPOINTS="$endpoints"
if [ "${1:-}" = "shell" ]; then
  # The action server under the supervisor in the background, the chat in this terminal.
  "$BIN/python" scripts/supervise.py actions </dev/null &
  supervisor=$!
  trap 'kill -TERM "$supervisor" 2>/dev/null || true; wait "$supervisor" 2>/dev/null || true' EXIT
  "$BIN/rasa" shell --model models --endpoints "$endpoints" --port "$RASA_PORT"
  exit 0
fi

# The socket.io channel admits pages from ALLOWED_ORIGINS only; by default the widget's own
# page (webwidget/settings.py), so both servers must see the same WIDGET_PORT and RASA_PORT.
export WIDGET_PORT=${WIDGET_PORT:-8080}
echo "Rasa server: http://$RASA_HOST:$RASA_PORT (REST: POST /webhooks/rest/webhook); Ctrl-C stops."
echo "Chat page: ${ACU_PUBLIC_URL:-http://localhost:$WIDGET_PORT}/ (open it in a browser once the Rasa server says it is up)"
# exec: Ctrl-C and a SIGTERM to this script's pid reach the supervisor itself.
exec "$BIN/python" scripts/supervise.py
