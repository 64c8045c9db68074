#!/usr/bin/env bash
# Runs the whole Hemolink platform on this machine: PostgreSQL, Kafka and Keycloak (from Maven Central artifacts),
# the four services and the gateway. Needs only a JDK 17+.
#   deploy/local/up.sh            build what is missing, start, stay in the foreground (Ctrl-C stops everything)
#   deploy/local/up.sh --detach   return once every service is ready; stop with deploy/local/down.sh
#   deploy/local/up.sh --fresh    start from empty data (the data folder is .hemolink/data)
#   deploy/local/up.sh --rebuild  build again even if the jars exist
#   deploy/local/up.sh --pace=N   the living demo's steps a minute (default 20; 0 for none; --no-demo: no demo at all)
#   deploy/local/up.sh --replicas=N  N instances of each of the four services (instance i on its port + 1000 x (i-1)),
#                                 the gateway spreading calls across them (default 1)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HOME_DIR="$ROOT/.hemolink"
PID_FILE="$HOME_DIR/stack.pid"
READY_FILE="$HOME_DIR/ready"
DETACH=0; REBUILD=0; ARGS=()
for a in "$@"; do
  case "$a" in
    --detach) DETACH=1 ;;
    --rebuild) REBUILD=1 ;;
    --fresh|--no-demo|--pace=*|--replicas=*) ARGS+=("$a") ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option: $a (see --help)" >&2; exit 2 ;;
  esac
done

command -v java >/dev/null || { echo "Hemolink needs a JDK 17 or newer on the PATH" >&2; exit 1; }
JAVA_MAJOR=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [ "${JAVA_MAJOR%%.*}" -lt 17 ]; then echo "Hemolink needs Java 17 or newer (found $JAVA_MAJOR)" >&2; exit 1; fi

mkdir -p "$HOME_DIR"
if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  echo "Hemolink is already running (pid $(cat "$PID_FILE")); stop it with deploy/local/down.sh" >&2
  exit 1
fi
# the fixed ports (docs/operations.md "Ports"); the launcher checks them again, binding each, before it starts
for entry in 8080:gateway 8081:inventory 8082:order 8083:storage-point 8084:fee-waiver 8085:notification 8180:Keycloak \
             8181:"Keycloak management" 9092:Kafka 9093:"Kafka controller" 15432:PostgreSQL; do
  port="${entry%%:*}"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port (${entry#*:}) is already in use: is an end-to-end run (./mvnw verify) going on?" >&2
    echo "Hemolink needs 8080-8085, 8180, 8181, 9092, 9093 and 15432" >&2
    exit 1
  fi
done

JARS=(services/inventory services/order services/storage-point services/fee-waiver services/notification gateway)
missing=$REBUILD
for m in "${JARS[@]}"; do [ -f "$ROOT/$m/target/quarkus-app/quarkus-run.jar" ] || missing=1; done
[ -f "$ROOT/deploy/infra/target/launcher.classpath" ] || missing=1
if [ "$missing" = 1 ]; then
  echo "[hemolink] building (first run takes a few minutes)..."
  # package, never install: the jars stay in the work tree and ~/.m2 is left alone
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
fi

CP="$ROOT/deploy/infra/target/classes:$(cat "$ROOT/deploy/infra/target/launcher.classpath")"
rm -f "$READY_FILE"
if [ "$DETACH" = 1 ]; then
  LOG="$HOME_DIR/launcher.log"
  nohup java -Xmx256m -Dhemolink.root="$ROOT" -cp "$CP" io.hemolink.infra.LocalStack "${ARGS[@]}" >"$LOG" 2>&1 < /dev/null &
  echo $! > "$PID_FILE"
  echo "[hemolink] starting in the background (pid $!); log: $LOG"
  while [ ! -f "$READY_FILE" ]; do
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "Hemolink failed to start:" >&2; tail -n 20 "$LOG" >&2; rm -f "$PID_FILE"; exit 1
    fi
    sleep 1
  done
  sed -n '/Hemolink is up/,$p' "$LOG"
else
  echo $$ > "$PID_FILE"
  trap 'rm -f "$PID_FILE"' EXIT
  java -Xmx256m -Dhemolink.root="$ROOT" -cp "$CP" io.hemolink.infra.LocalStack "${ARGS[@]}" &
  JPID=$!
  echo $JPID > "$PID_FILE"
  trap 'kill -TERM $JPID 2>/dev/null; wait $JPID; rm -f "$PID_FILE"' INT TERM
  wait $JPID || true
  wait $JPID 2>/dev/null || true
  rm -f "$PID_FILE"
fi
