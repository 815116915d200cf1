#!/usr/bin/env bash
# Creates the virtualenv (default .venv) with python3 -m venv, and makes sure it
# works. On Debian, python3 without the python3-venv package cannot create one
# (no ensurepip): scripts/system-deps.sh venv installs it when we are root.
set -euo pipefail

venv="${1:-.venv}"
python="${PYTHON:-python3}"

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import pip" >/dev/null 2>&1; then
  exit 0
fi

if ! command -v "$python" >/dev/null 2>&1; then
  echo "venv: $python not found; chibo needs Python 3.11 or newer" >&2
  exit 1
fi
"$python" - <<'EOF'
import sys

if sys.version_info < (3, 11):
    sys.exit(f"venv: chibo needs Python 3.11 or newer, {sys.executable} is {sys.version.split()[0]}")
EOF

if ! "$python" -c "import ensurepip, venv" >/dev/null 2>&1; then
  "$(dirname "$0")/system-deps.sh" venv
fi

# A half-made or broken virtualenv (an interrupted run, a moved interpreter) is
# rebuilt from scratch rather than patched.
rm -rf "$venv"
echo "venv: creating $venv with $("$python" --version)" >&2
"$python" -m venv "$venv"
"$venv/bin/python" -m pip --version >/dev/null
