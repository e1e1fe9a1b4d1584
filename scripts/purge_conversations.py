"""Remove stored conversations older than RETENTION_DAYS (or --days) once: `make purge`.

The Rasa server does this itself at start-up and every RETENTION_CHECK_MINUTES when
RETENTION_DAYS is set (rasa_server/privacy.py); this is for a database whose server is
stopped, or to apply a shorter period now. With SQLite, run it while the Rasa server is
stopped: a running server may still hold a removed conversation's last turns in memory.
Reads the tracker store from $ENDPOINTS, else var/endpoints.yml, else endpoints.yml.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions import privacy_store  # noqa: E402
from actions.core.privacy import retention_cutoff, retention_days  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, help="keep this many days (default: RETENTION_DAYS)")
    args = parser.parse_args()
    days = args.days if args.days is not None else retention_days()
    if not days or days <= 0:
        print("purge: set RETENTION_DAYS (or --days) to a positive number of days", file=sys.stderr)
        return 2
    endpoints = os.environ.get("ENDPOINTS") or next(
        (str(p) for p in (ROOT / "var" / "endpoints.yml", ROOT / "endpoints.yml") if p.exists()), None
    )
    with privacy_store.engine_from_endpoints(endpoints).begin() as connection:
        senders, deleted = privacy_store.purge_older_than(connection, retention_cutoff(days))
    print(f"purge: kept {days:g} days; {len(senders)} conversations and {deleted} rows removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
