#!/usr/bin/env bash
# kafka-server-start.sh server.properties: the broker in the foreground, logging INFO to stdout.
export KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx1G -Xms256M}
export KAFKA_LOG_CONFIG=${KAFKA_LOG_CONFIG:-/etc/kafka/docker/logback.xml}
exec /opt/kafka/bin/kafka-run-class.sh kafka.Kafka "$@"
