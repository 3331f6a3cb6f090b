package dev.lsr.consumer.kafka;

import dev.lsr.kernel.TransactionalErrors;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Kafka answered, but refused this client: its credentials (SASL, TLS) or an ACL. Not an outage: waiting or retrying
 * does not help, the configuration does. The message is one line for a person, without secrets.
 */
public final class KafkaRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaRefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when {@code error} or one of its causes is Kafka refusing the client's credentials or an operation. */
    public static boolean isRefusal(Throwable error) {
        return TransactionalErrors.inChain(error, AuthenticationException.class)
                || TransactionalErrors.inChain(error, AuthorizationException.class);
    }

    /**
     * The refusal of {@code who} ({@code Kafka at host:9092}, or just {@code Kafka}) that {@code cause} carries, as one
     * line for a person.
     */
    public static String message(String who, Throwable cause) {
        return who + " refused this client: " + describeRefusal(cause)
                + " (check the credentials given with --kafka-property and the ACLs)";
    }

    /** The refusal in {@code error}'s chain, as {@code SimpleName: first line of its message}. */
    private static String describeRefusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                String message = t.getMessage();
                return t.getClass().getSimpleName()
                        + (message == null
                                ? ""
                                : ": " + message.lines().findFirst().orElse(message));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return error.toString();
    }
}
