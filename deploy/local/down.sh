#!/usr/bin/env bash
# Stops what deploy/local/up.sh started and leaves no process behind.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PID_FILE="$ROOT/.hemolink/stack.pid"
if [ ! -f "$PID_FILE" ] || ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  echo "Hemolink is not running"
  rm -f "$PID_FILE"
  exit 0
fi
PID=$(cat "$PID_FILE")
descendants() { local c; for c in $(pgrep -P "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done; }
TREE="$PID $(descendants "$PID")"
kill -TERM "$PID" 2>/dev/null
for _ in $(seq 1 60); do
  alive=0; for p in $TREE; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ "$alive" = 0 ] && break
  sleep 1
done
for p in $TREE; do kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null; done
rm -f "$PID_FILE" "$ROOT/.hemolink/ready"
echo "Hemolink stopped"
