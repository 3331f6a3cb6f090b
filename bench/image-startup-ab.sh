#!/usr/bin/env bash
# The recorder image's startup cache, A/B (docs/benchmarks.md, "a startup cache for recovery"): brings up
# Kafka and letta-sim with docker compose (profile sim), then ROUNDS times (default 5) starts a recorder
# container of the image as it ships (its entrypoint, on its startup cache) and one without the cache (the
# same entrypoint, with a /app/java.args mounted over the image's that holds its other options only), each
# SIGKILLed once RUNNING, so every start after the first is a restart after a crash. Prints, per start,
# the seconds from the container's JVM start (Docker's StartedAt) to the recorder's
# "recorder: STARTING -> RUNNING" line; then `down -v`. Build the images first (`docker compose build`, or
# docker/compose-e2e.sh); LSR_JDK_IMAGE / LSR_KAFKA_IMAGE as for docker-compose.yml.
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT=lsr-startup-ab
ROUNDS=${ROUNDS:-5}

. docker/lib/compose.sh
uncached=$(mktemp)
trap 'docker rm -f lsr-startup-ab-recorder >/dev/null 2>&1 || true; compose down -v >/dev/null 2>&1 || true; rm -f "$uncached"' EXIT
# the image's own java.args but its cache line
docker run --rm --entrypoint cat letta-stream-recorder:latest /app/java.args | grep -v -- -XX:AOTCache= >"$uncached"
chmod a+r "$uncached"

compose up -d kafka letta-sim >/dev/null 2>&1
until healthy kafka && healthy letta-sim; do sleep 2; done

echo "round cache seconds_to_RUNNING"
for round in $(seq 1 "$ROUNDS"); do
  for cache in on off; do
    without=()
    [ "$cache" = off ] && without=(-v "$uncached:/app/java.args:ro")
    docker run -d --name lsr-startup-ab-recorder --network "${PROJECT}_default" "${without[@]}" \
      -e LETTA_BASE_URL=http://letta-sim:8283 -e LSR_BOOTSTRAP_SERVERS=kafka:19092 letta-stream-recorder:latest >/dev/null
    running=""
    for _ in $(seq 1 600); do
      running=$(docker logs lsr-startup-ab-recorder 2>&1 | grep -m1 "recorder: STARTING -> RUNNING" | cut -d' ' -f1 || true)
      [ -n "$running" ] && break
      sleep 0.1
    done
    started=$(docker inspect -f '{{.State.StartedAt}}' lsr-startup-ab-recorder)
    docker rm -f lsr-startup-ab-recorder >/dev/null
    [ -n "$running" ] || { echo "$round $cache not RUNNING within 60 s"; continue; }
    python3 - "$round" "$cache" "$started" "$running" <<'EOF'
import sys
from datetime import datetime
def at(text):  # Docker gives nanoseconds, the recorder milliseconds; both UTC
    text = text.rstrip('Z')
    whole, _, fraction = text.partition('.')
    return datetime.fromisoformat(whole + '.' + (fraction + '000000')[:6])
print(sys.argv[1], sys.argv[2], '%.2f' % (at(sys.argv[4]) - at(sys.argv[3])).total_seconds())
EOF
  done
done
