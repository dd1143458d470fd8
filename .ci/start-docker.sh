#!/usr/bin/env bash
# Make a Docker engine reachable: reuse a running one, else install docker.io (Debian) and
# start dockerd in the background. Idempotent; run as root.
#   DOCKERD_LOG            daemon log file            (default /var/log/dockerd.log)
#   DOCKER_START_TIMEOUT   seconds to wait for ready  (default 30)
set -euo pipefail

log=${DOCKERD_LOG:-/var/log/dockerd.log}
timeout=${DOCKER_START_TIMEOUT:-30}
pidfile=/var/run/docker.pid

say() { echo "start-docker: $*"; }
die() { echo "start-docker: ERROR: $*" >&2; exit 1; }

engine_up() { docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_up; then
  say "Docker engine already reachable (server $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "must run as root to install or start dockerd"

# Debian's docker.io brings dockerd, the client, containerd and runc; no other registry is needed.
if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  say "installing docker.io from Debian (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  # Quiet, but show apt's full output if it fails.
  apt_log=$(mktemp)
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker.io; } >"$apt_log" 2>&1 \
    || { cat "$apt_log" >&2; rm -f "$apt_log"; die "apt-get install docker.io failed"; }
  rm -f "$apt_log"
fi

# Start a daemon only if none is alive: a second dockerd would fight over the pidfile and socket.
if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  say "dockerd already running (pid $(cat "$pidfile")), waiting for it to answer"
else
  say "starting dockerd in the background (log: $log)"
  mkdir -p "$(dirname "$log")"
  # setsid + nohup: the daemon must outlive this script and the shell or CI step that ran it.
  nohup setsid dockerd --data-root /var/lib/docker </dev/null >>"$log" 2>&1 &
  started=$!   # the dockerd pid itself: without job control setsid does not fork
fi

# Bounded wait: dockerd is normally ready in about a second.
for _ in $(seq "$timeout"); do
  if engine_up; then
    say "Docker engine ready (server $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    exit 0
  fi
  # A daemon that died (bad config, no iptables, ...) will never answer: stop waiting.
  if [ -n "${started:-}" ] && ! kill -0 "$started" 2>/dev/null; then
    echo "start-docker: ERROR: dockerd exited during start-up; last lines of $log:" >&2
    tail -n 20 "$log" >&2 2>/dev/null || true
    exit 1
  fi
  sleep 1
done

echo "start-docker: ERROR: Docker engine not reachable after ${timeout} s; last lines of $log:" >&2
tail -n 20 "$log" >&2 2>/dev/null || true
exit 1
