#!/usr/bin/env bash
# System packages some tests use, installed only when missing (Debian/Ubuntu):
#   chromium      - renders the HTML 通报 headless (tests/test_report_browser.py)
#   redis-server  - the shared frontier of the distributed mode (tests/test_distributed*.py)
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
