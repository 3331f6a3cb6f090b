#!/usr/bin/env bash
# Kafka's kafka-console-consumer tool.
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.consumer.ConsoleConsumer "$@"
