#!/bin/sh
# Run once while the recorder image is built (Dockerfile, target recorder): writes /app/java.args, the JVM
# options the image's entrypoint passes with `java @/app/java.args`, for the Java the image runs.
#
#   Java 25+: an AOT cache (JEP 483, 514) made by a training run, /app/recorder.aot: the recorder's
#             classes loaded and linked, and the method profiles of the run, ready at the next start.
#             A recorder started on it reaches RUNNING in about half the time (docs/benchmarks.md,
#             "a startup cache for recovery"), which is what a restart after a crash or a rolling
#             update waits for.
#             The training run is the demo (embedded broker, letta-sim, 30 runs): every class a
#             recorder loads on its way to RUNNING and while it records, plus the broker's and the
#             simulator's, which the cache carries unused (~100 MB).
#   Java 24+: the flags that keep Kafka's clients and lz4 from warning on stderr (JEP 471/498, 472),
#             as bin/lib/launch.sh passes them.
#
# STARTUP_CACHE=off (the first argument; docker build --build-arg STARTUP_CACHE=off) skips the training run.
# The cache is checked before the image is kept: a recorder must start on it with -XX:AOTMode=on, which
# refuses to run on a cache it cannot use, and without a word from the JVM about it, so an image never
# ships a cache its JVM ignores or complains about at every start.
set -eu

startup_cache=${1:-on}
args=/app/java.args
cache=/app/recorder.aot
major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')

: >"$args"
if [ "$major" -ge 24 ]; then
  echo "--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED" >>"$args"
fi

if [ "$startup_cache" = off ]; then
  echo "java-args: no startup cache (STARTUP_CACHE=off)"
elif [ "$major" -lt 25 ]; then
  echo "java-args: no startup cache (Java $major; the AOT cache needs Java 25+)"
else
  training=$(mktemp -d)
  echo "java-args: training run for the startup cache (the demo, about a minute; log: $training/demo.log)"
  # The options in $args must be the entrypoint's: a cache made with another --enable-native-access is
  # refused whole. No adapter caching: on Temurin 25.0.3 two adapters of this workload are saved under
  # another adapter's fingerprint, and every start on the cache then warns about them on stdout.
  # shellcheck disable=SC2046 # the options in $args are separate words
  if ! (cd "$training" && java $(cat "$args") -XX:AOTCacheOutput="$cache" -Xlog:aot*=off -Xlog:cds*=off \
    -XX:+UnlockDiagnosticVMOptions -XX:-AOTAdapterCaching -jar /app/recorder.jar >demo.log 2>&1); then
    tail -40 "$training/demo.log"
    echo "java-args: the training run failed" >&2
    exit 1
  fi
  rm -rf "$training"
  echo "-XX:AOTCache=$cache" >>"$args"
  check=$(java @"$args" -XX:AOTMode=on -jar /app/recorder.jar --version 2>&1) || {
    echo "$check"
    echo "java-args: the recorder does not start on its startup cache" >&2
    exit 1
  }
  if echo "$check" | grep -E "\[(aot|cds)[],]"; then
    echo "java-args: the recorder's JVM complains about its startup cache (above)" >&2
    exit 1
  fi
  echo "java-args: startup cache $cache ($(du -m "$cache" | cut -f1) MB): the recorder starts on it without a complaint"
fi
echo "java-args: $(tr '\n' ' ' <"$args")"
