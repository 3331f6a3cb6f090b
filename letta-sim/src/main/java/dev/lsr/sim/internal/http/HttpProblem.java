package dev.lsr.sim.internal.http;

import java.util.Map;

/**
 * A pre-stream failure answered with a status and a {@code {"detail": ...}} body (plus extra fields,
 * e.g. {@code run_id} on a 409), as FastAPI answers Letta's HTTPExceptions.
 */
public final class HttpProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> extra; // an unchecked signal inside the server, never serialised

    public HttpProblem(int status, String detail) {
        this(status, detail, Map.of());
    }

    public HttpProblem(int status, String detail, Map<String, String> extra) {
        super(detail, null, false, false);
        this.status = status;
        this.extra = Map.copyOf(extra);
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, String> extra() {
        return extra;
    }

    public static HttpProblem notFound(String detail) {
        return new HttpProblem(404, detail);
    }

    public static HttpProblem badRequest(String detail) {
        return new HttpProblem(400, detail);
    }

    public static HttpProblem unprocessable(String detail) {
        return new HttpProblem(422, detail);
    }
}
