#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests (tests/web), which
# drive it through Playwright; Playwright's own browser downloads are never used. Quiet unless
# something goes wrong; needs root (or sudo) only when Chromium is missing.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [[ -x "$CHROMIUM" ]]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "test-browser: $CHROMIUM is missing and apt-get is not available; browser tests will skip" >&2
    exit 0
fi
SUDO=()
if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo -n)
    else
        echo "test-browser: $CHROMIUM is missing and installing it needs root; browser tests will skip" >&2
        exit 0
    fi
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { "${SUDO[@]}" apt-get update -qq && \
       "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; } >"$log" 2>&1; then
    echo "test-browser: installing chromium failed:" >&2
    tail -n 20 "$log" >&2
    exit 1
fi
