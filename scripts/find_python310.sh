#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter: python3.10 on PATH, else one from pyenv.
# Rasa Open Source 3.6 supports Python 3.8-3.10 only.
set -u
is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

if command -v python3.10 >/dev/null 2>&1 && is_310 python3.10; then
  command -v python3.10; exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -V -r); do
    candidate="$(pyenv prefix "$version" 2>/dev/null)/bin/python"
    if [ -x "$candidate" ] && is_310 "$candidate"; then echo "$candidate"; exit 0; fi
  done
fi
cat >&2 <<'MSG'
error: Python 3.10 was not found.
Rasa Open Source 3.6 runs on Python 3.8-3.10 only. Install Python 3.10, for example:
  Debian/Ubuntu: apt-get install python3.10 python3.10-venv   (where your release has it)
  pyenv:         pyenv install 3.10.13
then run the make command again.
MSG
exit 1
