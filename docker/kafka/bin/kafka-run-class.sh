#!/usr/bin/env bash
# kafka-run-class.sh CLASS [ARGS...]: runs a class from /opt/kafka/libs. KAFKA_HEAP_OPTS, KAFKA_OPTS and
# KAFKA_LOG_CONFIG (a logback file; the tools' quiet one by default) as in Kafka's own script.
set -euo pipefail
log_config=${KAFKA_LOG_CONFIG:-/etc/kafka/docker/tools-logback.xml}
# shellcheck disable=SC2086 # the *_OPTS variables are word lists
exec "${JAVA_HOME:-/opt/java/openjdk}/bin/java" ${KAFKA_HEAP_OPTS:--Xmx256M} ${KAFKA_OPTS:-} \
  --enable-native-access=ALL-UNNAMED \
  -Dlogback.configurationFile="$log_config" \
  -cp '/opt/kafka/libs/*' "$@"
