#!/usr/bin/env bash
# The platform benchmark (docs/operations.md "Benchmarks"): builds what is missing (package, never install), starts
# the platform as deploy/local/up.sh does, on FRESH data (the local .hemolink/data is wiped) without the demo,
# measures, prints the table with its raw references, stops the platform and deletes the benchmark's data.
#   bench/run.sh                the platform figures (about 10 minutes on the shared 2-core machine)
#   bench/run.sh --scaling      also the inventory's allocation size-scaling benchmark (10^4 → 10^6 bags, its own
#                               PostgreSQL and Kafka; InventoryBenchmark), after the platform is stopped; its options
#                               in SCALING_OPTS, e.g. SCALING_OPTS="-Dbench.sizes=10000,100000 -Dbench.orders=100"
#   bench/run.sh --replicas=2   the platform with two instances of each service behind the gateway (up.sh --replicas);
#                               the harness's direct calls go to the first instance, the gateway spreads the others
# Options for the harness as JAVA_OPTS system properties, e.g. JAVA_OPTS="-Dbench.steps=100,300 -Dbench.units=4000";
# HEMOLINK_JVM_OPTS / HEMOLINK_JVM_OPTS_<SERVICE> change the services' JVM flags (ADR 0027).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCALING=0
REPLICAS=1
for a in "$@"; do
  case "$a" in
    --scaling) SCALING=1 ;;
    --replicas=*) REPLICAS="${a#--replicas=}" ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $a (see --help)" >&2; exit 2 ;;
  esac
done
cd "$ROOT"
if [ -f .hemolink/stack.pid ] && kill -0 "$(cat .hemolink/stack.pid)" 2>/dev/null; then
  echo "the platform is running: stop it first (deploy/local/down.sh); the benchmark starts its own on fresh data" >&2
  exit 1
fi
missing=0
for m in services/inventory services/order services/storage-point services/fee-waiver services/notification gateway; do
  [ -f "$m/target/quarkus-app/quarkus-run.jar" ] || missing=1
done
[ -f deploy/infra/target/launcher.classpath ] || missing=1
if [ "$missing" = 1 ]; then
  echo "[bench] building the platform (package -DskipTests)..."
  ./mvnw -B -q package -DskipTests
fi
echo "[bench] building the harness..."
./mvnw -B -q -Pbench -pl bench -am package -DskipTests
CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/bench.classpath")"

trap 'deploy/local/down.sh >/dev/null; rm -rf "$ROOT/.hemolink/data"' EXIT
deploy/local/up.sh --detach --fresh --no-demo --replicas="$REPLICAS" >/dev/null
echo "[bench] platform up ($REPLICAS instance(s) of each service)"
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -Dhemolink.root="$ROOT" -cp "$CP" io.hemolink.bench.PlatformBenchmark
deploy/local/down.sh
rm -rf "$ROOT/.hemolink/data"
trap - EXIT

if [ "$SCALING" = 1 ]; then
  echo "[bench] inventory size-scaling benchmark (InventoryBenchmark)..."
  # the benchmark is a program in the inventory's test sources: run it on their classpath (the same as the module's
  # -Pbench profile, without needing exec-maven-plugin)
  ./mvnw -B -q -pl services/inventory -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/test.classpath
  INV="$ROOT/services/inventory"
  # shellcheck disable=SC2086
  java ${SCALING_OPTS:-} -Dbench.module="$INV" -cp "$INV/target/test-classes:$INV/target/classes:$(cat "$INV/target/test.classpath")" \
    io.hemolink.inventory.bench.InventoryBenchmark
fi
