#!/usr/bin/env bash
# Runs the whole system locally: Azurite (storage), smtp4dev (mail catcher), and the local runner (API + portal).
# Installs what is missing first. Stops everything it started on Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")"
# --demo: once the runner is healthy, fill the directory with sample data through the API (tools/PocDirectory.Demo).
demo=false
for arg in "$@"; do
  case "$arg" in
    --demo) demo=true ;;
    *) echo "Unknown option '$arg'. Usage: ./run.sh [--demo]" >&2; exit 2 ;;
  esac
done
scripts/bootstrap.sh

state=".local"
mkdir -p "$state/azurite"
pids=()
any_running() {
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && return 0; done
  return 1
}
cleanup() {
  trap - EXIT INT TERM
  echo; echo "Stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  # Azurite sometimes outlives its first SIGTERM: give everything 10 s to stop cleanly, then SIGKILL what is left.
  for _ in $(seq 1 20); do
    any_running || break
    sleep 0.5
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

wait_for_port() { # port, name
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && { exec 3>&- 3<&-; return 0; }
    sleep 0.5
  done
  echo "$2 did not start on port $1; see $state/$2.log" >&2; exit 1
}

node_modules/.bin/azurite --silent --disableTelemetry --skipApiVersionCheck --location "$state/azurite" \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >"$state/azurite.log" 2>&1 &
pids+=($!)
# Empty IMAP and POP3 ports turn those servers off (0 would open them on random ports); an empty --db keeps mail in memory.
# It keeps 100 messages unless told: a campaign to the demo's 280 POCs alone is more, and the demo reads its links there.
dotnet smtp4dev --urls=http://127.0.0.1:5080 --smtpport=2525 --imapport= --pop3port= --bindaddress=127.0.0.1 \
  --nousersettings --db= --messagestokeep=5000 --sessionstokeep=1000 >"$state/smtp4dev.log" 2>&1 &
pids+=($!)
wait_for_port 10002 azurite
wait_for_port 2525 smtp4dev

# A fresh development signing key per run: tokens die with the run, and no key is ever committed.
export Auth__DevSigningKey="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# The acknowledgement-link key is kept across runs (links in caught mails stay valid), outside git.
[ -f "$state/ack.key" ] || head -c 32 /dev/urandom | base64 > "$state/ack.key"
export Campaigns__AcknowledgementKey="$(cat "$state/ack.key")"
# The directory's OpenPGP signing key: made by the runner at its first start, kept across runs beside the ack key, outside git.
export Pgp__SigningKeyFile="$state/pgp-signing-key.asc" Pgp__CreateIfMissing=true
export DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development
if $demo; then
  # The demo makes about 600 writes from one user in a minute: above the local write limit, which stays as it is without --demo.
  export RateLimits__WritesPerMinute=100000
fi
# No build servers: they would outlive Ctrl+C, and run.sh stops everything it started.
dotnet build functions/PocDirectory.LocalHost -c Debug -nologo -clp:ErrorsOnly --disable-build-servers
if $demo; then
  dotnet build tools/PocDirectory.Demo -c Debug -nologo -clp:ErrorsOnly --disable-build-servers
fi
dotnet functions/PocDirectory.LocalHost/bin/Debug/net10.0/PocDirectory.LocalHost.dll --urls http://127.0.0.1:7071 &
pids+=($!)
wait_for_port 7071 runner
if $demo; then
  for _ in $(seq 1 120); do
    curl -fs http://127.0.0.1:7071/api/health 2>/dev/null | grep -q Healthy && break
    sleep 0.5
  done
  dotnet tools/PocDirectory.Demo/bin/Debug/net10.0/PocDirectory.Demo.dll --api http://127.0.0.1:7071/ --mail http://127.0.0.1:5080/ \
    || echo "The demo data could not be made (see above); the directory runs without it." >&2
fi

cat <<INFO

  POC Directory is running.
    Portal and API   http://127.0.0.1:7071/        (API under /api, e.g. /api/health)
    OpenAPI          http://127.0.0.1:7071/api/openapi.json
    Mail catcher     http://127.0.0.1:5080/        (SMTP on 127.0.0.1:2525)
    Storage          Azurite on 127.0.0.1:10000-10002 (data in $state/azurite)

  Get a token (the bootstrap Secretariat user is secretariat@example.org):
    curl -s -X POST http://127.0.0.1:7071/api/dev/token -H 'Content-Type: application/json' \\
         -d '{"email":"secretariat@example.org","name":"Secretariat"}'
  then call the API with:  -H "Authorization: Bearer <token>"

  Press Ctrl+C to stop everything.
INFO
wait -n "${pids[@]}"
