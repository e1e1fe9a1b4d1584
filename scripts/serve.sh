#!/usr/bin/env bash
# Start the action server and the Rasa server together; Ctrl-C stops both.
#   scripts/serve.sh            REST channel on $RASA_PORT (5005), actions on $ACTIONS_PORT (5055)
#   scripts/serve.sh shell      the same action server, with a chat in this terminal
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
RASA_HOST=${RASA_HOST:-127.0.0.1}
public_url=${ACU_PUBLIC_URL:-}
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
print("# Written by scripts/serve.sh from endpoints.yml; edit that file instead.")
print(yaml.safe_dump(settings, sort_keys=False), end="")
PY

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# rasa_sdk's own server, not `rasa run actions`: that one imports Rasa, and with the
# TensorFlow settings of server.env Rasa's CLI loads TensorFlow (477 MB instead of ~120).
"$BIN/python" -m rasa_sdk --port "$ACTIONS_PORT" --actions actions &
pids+=($!)

if [ "${1:-}" = "shell" ]; then
  "$BIN/rasa" shell --model models --endpoints "$endpoints"
  exit 0
fi

api_args=()
if [ -n "${RASA_API_TOKEN:-}" ]; then
  # The HTTP API (tracker reads) is opened only with a token; see README "Settings".
  api_args=(--enable-api --auth-token "$RASA_API_TOKEN")
fi
"$BIN/rasa" run --model models --endpoints "$endpoints" --credentials credentials.yml \
  --interface "$RASA_HOST" --port "$RASA_PORT" "${api_args[@]}" &
pids+=($!)
echo "Rasa server: http://$RASA_HOST:$RASA_PORT (REST: POST /webhooks/rest/webhook); Ctrl-C stops."
wait -n "${pids[@]}"
