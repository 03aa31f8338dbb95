#!/usr/bin/env bash
# watchdog.sh OWNER_PID TARGET_PID [SIGNAL]
# Stops TARGET when OWNER dies. A test run killed hard (SIGKILL, a CI timeout) never reaches its
# teardown; without this its Kafka or Postgres would outlive it and hold ports and memory.
set -u
owner=$1 target=$2 sig=${3:-TERM}
while kill -0 "$owner" 2>/dev/null; do
  kill -0 "$target" 2>/dev/null || exit 0
  sleep 1
done
kill -"$sig" "$target" 2>/dev/null || exit 0
for _ in $(seq 1 30); do
  kill -0 "$target" 2>/dev/null || exit 0
  sleep 1
done
kill -KILL "$target" 2>/dev/null || true
