#!/usr/bin/env bash
# Kafka's kafka-topics tool.
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.TopicCommand "$@"
