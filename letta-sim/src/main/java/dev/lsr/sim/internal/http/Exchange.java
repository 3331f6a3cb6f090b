package dev.lsr.sim.internal.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.sim.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One HTTP exchange: the request, its path parameters, and ways to answer it. */
final class Exchange {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final List<String> pathParams;

    Exchange(Request request, Response response, Callback callback, List<String> pathParams) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.pathParams = pathParams;
    }

    /** The n-th {@code {param}} of the matched route. */
    String path(int index) {
        return pathParams.get(index);
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    Fields query() {
        return Request.extractQueryParameters(request, UTF_8);
    }

    /** The JSON body as an object, or null when the body is empty; 422 when it is not a JSON object. */
    ObjectNode jsonBody() throws IOException {
        String body = Content.Source.asString(request, UTF_8);
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode node = Json.parseOrNull(body);
        if (node == null || !node.isObject()) {
            throw HttpProblem.unprocessable("Request body must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    /** Answers with a JSON body. */
    void json(int status, String json) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(json.getBytes(UTF_8)), callback);
    }

    /** Answers with a JSON body and extra headers. */
    void json(int status, String json, java.util.Map<String, String> headers) {
        headers.forEach((name, value) -> response.getHeaders().put(name, value));
        json(status, json);
    }

    /** Answers with {@code {"detail": ...}} (and extra fields). */
    void problem(HttpProblem problem) {
        ObjectNode body = Json.object().put("detail", problem.detail());
        problem.extra().forEach(body::put);
        json(problem.status(), Json.write(body));
    }

    /** Starts an SSE body. */
    SseSink sse() {
        return new SseSink(response, callback);
    }
}
