#!/usr/bin/env bash
# Installs what running or testing needs and a fresh Linux machine with the .NET SDK and Node.js lacks.
# Idempotent: each step is skipped when its result is already there, or is a no-op then.
#   scripts/bootstrap.sh            Azurite (npm) and the .NET local tools
#   scripts/bootstrap.sh --browser  also Debian's Chromium, for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

# Also when package-lock.json changed since the last install (npm keeps its copy in node_modules/.package-lock.json).
if [ ! -x node_modules/.bin/azurite ] || [ ! -x node_modules/.bin/spectral ] || [ ! -x node_modules/.bin/redocly ] \
   || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "bootstrap: installing Azurite, the OpenAPI linters and axe-core (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Always restored: `dotnet tool list --local` names what the manifest lists, restored or not, and a restore that finds
# everything in place takes about 4 s. On an empty package folder the first restore of a manifest with several tools
# misattributes one tool's commands to another and fails (dotnet/sdk#53783); the second one succeeds.
tools_log="$(mktemp)"
if ! dotnet tool restore >"$tools_log" 2>&1 && ! dotnet tool restore >"$tools_log" 2>&1; then
  cat "$tools_log" >&2; rm -f "$tools_log"
  echo "bootstrap: dotnet tool restore failed" >&2; exit 1
fi
rm -f "$tools_log"

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  echo "bootstrap: installing Chromium (apt)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
