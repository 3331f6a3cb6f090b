package dev.lsr.sim.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Maps method + path templates ({@code /v1/runs/{id}/stream}) to endpoint methods. */
final class Router {

    /** An endpoint method. */
    @FunctionalInterface
    interface Endpoint {
        void handle(Exchange exchange) throws Exception;
    }

    private record Route(String method, Pattern pattern, Endpoint endpoint) {}

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String template, Endpoint endpoint) {
        String regex = "^" + template.replaceAll("\\{[^/]+}", "([^/]+)") + "$";
        routes.add(new Route(method, Pattern.compile(regex), endpoint));
        return this;
    }

    /** The exchange for the matching route, or a 404/405 problem. */
    Match match(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        boolean pathMatched = false;
        for (Route route : routes) {
            Matcher matcher = route.pattern().matcher(path);
            if (!matcher.matches()) {
                continue;
            }
            pathMatched = true;
            if (route.method().equals(request.getMethod())) {
                List<String> params = new ArrayList<>();
                for (int i = 1; i <= matcher.groupCount(); i++) {
                    params.add(matcher.group(i));
                }
                return new Match(route.endpoint(), new Exchange(request, response, callback, params));
            }
        }
        throw pathMatched ? new HttpProblem(405, "Method Not Allowed") : HttpProblem.notFound("Not Found");
    }

    record Match(Endpoint endpoint, Exchange exchange) {}
}
