#!/usr/bin/env bash
# Kafka's kafka-transactions tool.
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.TransactionsCommand "$@"
