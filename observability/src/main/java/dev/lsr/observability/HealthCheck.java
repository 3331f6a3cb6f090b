package dev.lsr.observability;

/**
 * One condition of a server's health, e.g. "Kafka answers" or "every owned partition commits". Called on
 * each probe request (a Kubernetes probe, a person with curl), so it must be quick and must not block for
 * long; it must never put a secret into its detail, which is served as is.
 */
@FunctionalInterface
public interface HealthCheck {

    Result check();

    /** What a check found: up, or down with a short reason for the person reading the probe's body. */
    record Result(boolean up, String detail) {

        private static final Result OK = new Result(true, null);

        public static Result ok() {
            return OK;
        }

        public static Result failing(String detail) {
            return new Result(false, detail);
        }

        /** Up when {@code condition} holds, else down with {@code detail}. */
        public static Result of(boolean condition, String detail) {
            return condition ? OK : failing(detail);
        }
    }
}
