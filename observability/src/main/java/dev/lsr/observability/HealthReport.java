package dev.lsr.observability;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of every check of a probe, in the order they were declared; up when all are. Its JSON is the
 * probe's body: {@code {"status":"UP","checks":{"kafka":{"status":"UP"},"letta":{"status":"DOWN","detail":"..."}}}}.
 */
public record HealthReport(boolean up, Map<String, HealthCheck.Result> checks) {

    public HealthReport {
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** What {@code check} found; down when it throws, with its exception's type as the detail ({@link #failed}). */
    static HealthCheck.Result resultOf(HealthCheck check) {
        try {
            return check.check();
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    /** A check that threw {@code e}: its type only, as messages may hold anything. */
    static HealthCheck.Result failed(Throwable e) {
        return HealthCheck.Result.failing("check failed: " + e.getClass().getSimpleName());
    }

    public String toJson() {
        StringBuilder json =
                new StringBuilder("{\"status\":").append(status(up)).append(",\"checks\":{");
        String separator = "";
        for (Map.Entry<String, HealthCheck.Result> check : checks.entrySet()) {
            json.append(separator).append(Json.string(check.getKey())).append(":{\"status\":");
            json.append(status(check.getValue().up()));
            if (check.getValue().detail() != null) {
                json.append(",\"detail\":").append(Json.string(check.getValue().detail()));
            }
            json.append('}');
            separator = ",";
        }
        return json.append("}}").toString();
    }

    private static String status(boolean up) {
        return up ? "\"UP\"" : "\"DOWN\"";
    }
}
