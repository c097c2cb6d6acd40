#!/usr/bin/env bash
# Installs what running or testing needs and a fresh Linux machine with the .NET SDK and Node.js lacks.
# Idempotent: each step is skipped when its result is already there.
#   scripts/bootstrap.sh            Azurite (npm) and the .NET local tools
#   scripts/bootstrap.sh --browser  also Debian's Chromium, for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/azurite ] || [ ! -x node_modules/.bin/spectral ] || [ ! -x node_modules/.bin/redocly ]; then
  echo "bootstrap: installing Azurite and the OpenAPI linters (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if ! dotnet tool list --local 2>/dev/null | grep -q smtp4dev; then
  echo "bootstrap: restoring .NET local tools (smtp4dev)"
  dotnet tool restore >/dev/null
fi

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  echo "bootstrap: installing Chromium (apt)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
