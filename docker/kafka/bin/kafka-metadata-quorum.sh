#!/usr/bin/env bash
# Kafka's kafka-metadata-quorum tool.
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.MetadataQuorumCommand "$@"
