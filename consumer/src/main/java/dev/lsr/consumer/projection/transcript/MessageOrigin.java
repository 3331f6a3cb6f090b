package dev.lsr.consumer.projection.transcript;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Where a transcript message came from: the ids its chunks carried, the log positions of its first and
 * last chunk (chunk-log {@code Position} text form), and when its first chunk was received (null if unknown).
 */
public record MessageOrigin(
        @JsonProperty("message_id") String messageId,
        @JsonProperty("otid") String otid,
        @JsonProperty("step_id") String stepId,
        @JsonProperty("first_position") String firstPosition,
        @JsonProperty("last_position") String lastPosition,
        @JsonProperty("received_at") Instant receivedAt) {

    public MessageOrigin through(String position) {
        return new MessageOrigin(messageId, otid, stepId, firstPosition, position, receivedAt);
    }
}
