#!/usr/bin/env bash
# Installs the Debian packages chibo needs beyond Python, only when missing.
#
#   scripts/system-deps.sh run    # serving pages and PDFs: pango, fonts, gettext
#   scripts/system-deps.sh test   # + Chromium for the browser tests, poppler-utils
#   scripts/system-deps.sh venv   # python3-venv, when `python3 -m venv` cannot work
#   scripts/system-deps.sh bench  # + wrk, for `make bench-load`
#
# A no-op when everything is present (dpkg -s only, no network). As root it runs
# apt-get (update first, only when something is missing); otherwise it prints the
# command to run and carries on, so that a developer without root still gets a
# test run (browser tests then skip outside CI, and fail in CI).
set -euo pipefail

profile="${1:-test}"

# WeasyPrint loads pango through ctypes (the PDF fonts ship in static/fonts:
# Debian 12's fonts-liberation 1.07 lacks Vietnamese letters); msgfmt
# (gettext) compiles the translations.
run_packages=(libpango-1.0-0 libpangoft2-1.0-0 gettext)
test_packages=("${run_packages[@]}" chromium poppler-utils)
# wrk drives the load benchmark (scripts/bench_load.py).
bench_packages=("${run_packages[@]}" wrk)

case "$profile" in
  run) wanted=("${run_packages[@]}") ;;
  test) wanted=("${test_packages[@]}") ;;
  bench) wanted=("${bench_packages[@]}") ;;
  venv)
    # Debian splits venv and ensurepip out of its python3.
    wanted=(python3-venv)
    ;;
  *)
    echo "usage: $0 run|test|venv|bench" >&2
    exit 2
    ;;
esac

if ! command -v dpkg >/dev/null 2>&1; then
  echo "system-deps: not a Debian system; make sure these are installed: ${wanted[*]}" >&2
  exit 0
fi

is_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for package in "${wanted[@]}"; do
  is_installed "$package" || missing+=("$package")
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

command_line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  {
    echo "system-deps: missing Debian packages: ${missing[*]}"
    echo "system-deps: install them with:"
    echo "    sudo apt-get update && sudo $command_line"
  } >&2
  if [ "$profile" = venv ]; then
    exit 1  # nothing else can work without a virtualenv
  fi
  exit 0
fi

echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt_options=(-o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)
apt-get "${apt_options[@]}" update -qq
apt-get "${apt_options[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for package in "${missing[@]}"; do
  if ! is_installed "$package"; then
    echo "system-deps: $package is still not installed after apt-get" >&2
    exit 1
  fi
done
