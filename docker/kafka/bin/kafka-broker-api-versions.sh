#!/usr/bin/env bash
# Kafka's kafka-broker-api-versions tool.
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
