package dev.lsr.replay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A failure answered before any body byte, in Letta's error body shape: {@code {"detail": "..."}} as
 * FastAPI answers Letta's HTTPExceptions; a validation failure (422) carries FastAPI's list of errors.
 */
final class HttpProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient JsonNode body;

    private HttpProblem(int status, String message, JsonNode body) {
        super(message, null, false, false);
        this.status = status;
        this.body = body;
    }

    static HttpProblem detail(int status, String detail) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("detail", detail);
        return new HttpProblem(status, detail, body);
    }

    static HttpProblem notFound(String detail) {
        return detail(404, detail);
    }

    static HttpProblem badRequest(String detail) {
        return detail(400, detail);
    }

    /**
     * FastAPI's request validation error: {@code {"detail":[{"type":…,"loc":["body"|"query",name],"msg":…,"input":…}]}}.
     */
    static HttpProblem invalid(String where, String name, String type, String message, JsonNode input) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("type", type);
        var loc = error.putArray("loc");
        loc.add(where);
        if (name != null) {
            loc.add(name);
        }
        error.put("msg", message);
        error.set("input", input == null ? JsonNodeFactory.instance.nullNode() : input);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("detail").add(error);
        return new HttpProblem(422, message, body);
    }

    int status() {
        return status;
    }

    byte[] body() {
        return Json.write(body);
    }
}
