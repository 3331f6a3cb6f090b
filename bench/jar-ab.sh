#!/usr/bin/env bash
# Two bench jars A/B on one system scenario (docs/benchmarks.md): ROUNDS rounds, each running
# `java [JAVA_OPTS] -jar JAR system --scenario SCENARIO --pairs PAIRS [ARGS]` once per jar, the order swapped every
# round (A B, B A, ...) so a machine that drifts slows both alike. Each run's table and log go to
# OUT_DIR/<a|b>-<round>.md and .log; OUT_DIR/progress has the start, the load average and the exit code of
# each run. Build each jar with `./mvnw -B -ntp -pl bench -am package -DskipTests` on its commit and copy
# bench/target/bench-all.jar aside first. ARGS: more `system` options, e.g. ARGS=--smoke to try the script.
#
#   bench/jar-ab.sh A.jar B.jar [ROUNDS=4] [SCENARIO=latency] [OUT_DIR=./jar-ab]
#   JAVA_OPTS='-Dbench.latency.windows=' PAIRS=3 bench/jar-ab.sh main.jar branch.jar 4 latency /tmp/ab
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
a=$1 b=$2 rounds=${3:-4} scenario=${4:-latency} out=${5:-./jar-ab}
pairs=${PAIRS:-3}
mkdir -p "$out"
for round in $(seq 1 "$rounds"); do
  order="a b"
  (( round % 2 )) || order="b a"
  for arm in $order; do
    jar=$a
    [ "$arm" = b ] && jar=$b
    echo "$(date +%T) round $round $arm ($jar) load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/progress"
    status=0
    # shellcheck disable=SC2086 # JAVA_OPTS and ARGS hold several words
    java ${JAVA_OPTS:-} -jar "$jar" system --scenario "$scenario" --pairs "$pairs" \
      --out "$out/$arm-$round.md" ${ARGS:-} >"$out/$arm-$round.log" 2>&1 || status=$?
    echo "$(date +%T) round $round $arm exit $status" >>"$out/progress"
  done
done
echo "done: tables in $out/{a,b}-*.md" | tee -a "$out/progress"
