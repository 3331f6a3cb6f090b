#!/usr/bin/env bash
# `docker compose --profile sim up` end to end, as a CI step (.ci/run runs it when bin/lib/docker-ci.sh
# brought up Docker; run it by hand against any engine): builds the images from the repository's
# Dockerfile, brings up Kafka, letta-sim and the recorder, waits until Kafka and letta-sim are healthy
# and the recorder keeps running, until `consumer runs` (run with `docker compose run`) lists at least
# MIN_RUNS finished runs, then `down -v` and checks that no container, network or volume of the project
# is left. Exit 0 on success; the compose logs are printed on failure.
#   LSR_KAFKA_IMAGE / LSR_JDK_IMAGE: local stand-ins for the public images (docker-ci.sh exports them).
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT=${LSR_E2E_PROJECT:-lsr-e2e}
MIN_RUNS=${LSR_E2E_MIN_RUNS:-3}
TIMEOUT_SECONDS=${LSR_E2E_TIMEOUT_SECONDS:-600}
# The legacy builder: BuildKit would pull its Dockerfile frontend (the `# syntax=` line) from a registry.
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0

say() {
  echo "compose-e2e: $*"
}

. docker/lib/compose.sh

left_behind() {
  local filter="label=com.docker.compose.project=$PROJECT"
  { docker ps -aq --filter "$filter"; docker network ls -q --filter "$filter"; docker volume ls -q --filter "$filter"; } | wc -l
}

finish() {
  local status=$?
  if [ "$status" -ne 0 ]; then
    compose logs --no-color --tail 80 2>&1 | tail -200 || true
  fi
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  exit "$status"
}
trap finish EXIT

running() {
  [ "$(docker inspect -f '{{.State.Running}} {{.State.Restarting}}' "$(compose ps -q "$1")" 2>/dev/null)" = "true false" ]
}

# `consumer runs` through compose run. Its exit code is not checked: on a live log it warns about the runs
# still streaming (truncated at the end of the replay) and exits non-zero; the rows are what counts.
consumer_runs() {
  compose run --rm -T --entrypoint java recorder-sim -jar /app/consumer.jar --bootstrap-servers kafka:19092 runs \
    2>/dev/null || true
}

finished_runs() {
  consumer_runs | awk 'NR > 1 && / completed | failed | cancelled /' | wc -l
}

started=$SECONDS
say "building images (log: target/compose-e2e-build.log)"
mkdir -p target
compose build --force-rm >target/compose-e2e-build.log 2>&1 || { tail -40 target/compose-e2e-build.log; exit 1; }
say "images built in $((SECONDS - started)) s; up"
compose up -d

deadline=$((SECONDS + TIMEOUT_SECONDS))
until healthy kafka && healthy letta-sim && running recorder-sim; do
  [ "$SECONDS" -lt "$deadline" ] || { say "FAILED: services not healthy within ${TIMEOUT_SECONDS} s"; compose ps; exit 1; }
  sleep 3
done
say "kafka and letta-sim healthy, recorder running after $((SECONDS - started)) s"

runs=0
until [ "$runs" -ge "$MIN_RUNS" ]; do
  [ "$SECONDS" -lt "$deadline" ] || { say "FAILED: only $runs finished runs listed within ${TIMEOUT_SECONDS} s"; exit 1; }
  running recorder-sim || { say "FAILED: the recorder stopped"; exit 1; }
  sleep 5
  runs=$(finished_runs)
done
say "consumer runs lists $runs finished runs"
listing=$(consumer_runs)
sed -n 1,6p <<<"$listing"

# The image's startup cache (docker/recorder/java-args.sh): a container of the image must start on it with
# -XX:AOTMode=on (which refuses a cache it cannot use), and the running recorder must not have printed the
# JVM's complaints about it (a cache that does not map is otherwise ignored with a few lines on stdout).
java_args=$(compose run --rm -T --entrypoint cat recorder-sim /app/java.args)
if grep -q -- "-XX:AOTCache=" <<<"$java_args"; then
  compose run --rm -T --entrypoint java recorder-sim @/app/java.args -XX:AOTMode=on -jar /app/recorder.jar --version \
    >/dev/null || { say "FAILED: a container of the image does not start on its startup cache"; exit 1; }
  if compose logs --no-color recorder-sim 2>&1 | grep -E "\[(aot|cds)[],]"; then
    say "FAILED: the recorder's JVM complained about its startup cache (above)"
    exit 1
  fi
  say "the recorder image starts on its startup cache ($(tr '\n' ' ' <<<"$java_args"))"
else
  say "the recorder image has no startup cache (java.args: $(tr '\n' ' ' <<<"$java_args"))"
fi

compose down -v --remove-orphans >/dev/null 2>&1
left=$(left_behind)
[ "$left" -eq 0 ] || { say "FAILED: down -v left $left containers, networks or volumes of project $PROJECT"; exit 1; }
say "down -v left nothing behind; passed in $((SECONDS - started)) s"
