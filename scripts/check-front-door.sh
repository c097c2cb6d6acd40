#!/usr/bin/env bash
# The README's first command on a fresh machine: a clean clone of HEAD, empty NuGet and .NET CLI folders, `./run.sh`.
# Passes when the API answers Healthy, the portal, the mail catcher's UI and its SMTP port answer (a mail sent there is
# caught), everything listens on loopback only, and Ctrl+C leaves no process it started and no port taken.
# Any other outcome exits 1 with the reason and the tail of run.sh's output. It needs the ports run.sh uses free.
set -euo pipefail
repo="$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)"
ports=(7071 5080 2525 10000 10001 10002)
start_timeout=1200 # seconds; an empty package folder means a full restore and build on a possibly busy machine
work="$(mktemp -d)"
run_pid=""

say() { echo "front door: $*"; }
fail() {
  echo "front door: FAILED: $*" >&2
  for log in "$work/run.log" "$work"/clone/.local/*.log; do
    [ -f "$log" ] && { echo "--- last lines of ${log#"$work/"}:" >&2; tail -n 30 "$log" >&2; }
  done
  exit 1
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
group_alive() { [ -n "$run_pid" ] && pgrep -g "$run_pid" >/dev/null; }
finish() {
  # Whatever happened, nothing of the check's own run survives it.
  if group_alive; then kill -KILL -- "-$run_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap finish EXIT

for port in "${ports[@]}"; do
  port_open "$port" && fail "port $port is taken before the check started; stop whatever holds it"
done

git clone --quiet "$repo" "$work/clone"
mkdir "$work/nuget" "$work/cli-home"
say "cloned $(git -C "$work/clone" rev-parse --short HEAD); ./run.sh with empty NUGET_PACKAGES and DOTNET_CLI_HOME"
began=$(date +%s)

# Job control gives run.sh its own process group with SIGINT not ignored, as in a terminal, so that the group can be
# sent Ctrl+C and every process run.sh started can be found by its group afterwards.
set -m
NUGET_PACKAGES="$work/nuget" DOTNET_CLI_HOME="$work/cli-home" "$work/clone/run.sh" </dev/null >"$work/run.log" 2>&1 &
run_pid=$!
set +m

healthy=""
while [ $(($(date +%s) - began)) -lt "$start_timeout" ]; do
  kill -0 "$run_pid" 2>/dev/null || fail "./run.sh exited before the API was healthy"
  health="$(curl -s --max-time 5 http://127.0.0.1:7071/api/health || true)"
  if [[ "$health" == *'"status":"Healthy"'* ]]; then healthy=yes; break; fi
  sleep 2
done
[ -n "$healthy" ] || fail "GET /api/health did not answer Healthy within ${start_timeout}s (last answer: ${health:-none})"
say "healthy after $(($(date +%s) - began)) s: $health"

curl -fsS --max-time 10 http://127.0.0.1:7071/ | grep -qi '<html' || fail "the portal (/) did not answer with a page"
curl -fsS --max-time 10 http://127.0.0.1:5080/ | grep -qi '<html' || fail "the mail catcher's UI (5080) did not answer with a page"
subject="front door check $$"
printf 'From: check@example.org\r\nTo: someone@example.org\r\nSubject: %s\r\n\r\nhello\r\n' "$subject" >"$work/mail.txt"
curl -fsS --max-time 10 smtp://127.0.0.1:2525 --mail-from check@example.org --mail-rcpt someone@example.org \
  -T "$work/mail.txt" || fail "SMTP on 2525 did not take a message"
curl -fsS --max-time 10 'http://127.0.0.1:5080/api/messages?pageSize=10' | grep -q "$subject" ||
  fail "the mail sent to 2525 is not in the mail catcher"
say "portal, mail catcher UI and SMTP answer"

started="$(pgrep -g "$run_pid" | tr '\n' ' ')"
# Nothing the front door starts may listen beyond loopback (smtp4dev listens on all interfaces unless told otherwise).
exposed="$(ss -Hltnp | grep -E "pid=($(tr ' ' '|' <<<"${started% }")),"  | awk '$4 !~ /^(127\.0\.0\.1|\[::1\]):/ {print $4}' || true)"
[ -z "$exposed" ] || fail "listening beyond loopback: $exposed"

say "Ctrl+C"
kill -INT -- "-$run_pid"
for _ in $(seq 1 60); do group_alive || break; sleep 0.5; done
if group_alive; then fail "30 s after Ctrl+C still running: $(pgrep -g "$run_pid" -a | tr '\n' ';')"; fi
for pid in $started; do
  kill -0 "$pid" 2>/dev/null && fail "process $pid is still running after Ctrl+C: $(tr '\0' ' ' </proc/"$pid"/cmdline)"
done
for port in "${ports[@]}"; do
  port_open "$port" && fail "port $port is still taken after Ctrl+C"
done
grep -q '^Stopping' "$work/run.log" || fail "./run.sh did not say it was stopping"
say "passed in $(($(date +%s) - began)) s: stopped cleanly, no process left, ports ${ports[*]} free"
