#!/bin/sh
# install-deps.sh - installs the Debian 12 packages that embargo's build and tests need.
# Run as root (or with sudo). Safe to run again: it installs only what is missing.
set -eu

# chromium: the headless browser of tests/e2e/test_report_browser.sh (the HTML report).
PACKAGES="build-essential pkg-config clang libclang-rt-14-dev \
  libutf8proc-dev libicu-dev libexpat1-dev libjansson-dev zlib1g-dev libzip-dev \
  libcmocka-dev valgrind python3 chromium"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then
  SUDO="sudo"
fi
echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
