package org.gatehouse.testing;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.RestHandler;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;

/**
 * A resource's REST routes as the core sees them ("METHOD /path" → roles and handler), and a call through one with a
 * request as the core would hand it (caller, path and query values, the body already read, Simplified Chinese).
 */
public final class RestHarness {
    /** One route: who may call it, and its handler. */
    public record Route(Set<String> roles, RestHandler handler) {
    }

    private final Map<String, Route> routes = new HashMap<>();

    private RestHarness() {
    }

    public static RestHarness of(RestResource resource) {
        RestHarness harness = new RestHarness();
        resource.routes(new RestRoutes() {
            @Override
            public RestRoutes route(String method, String path, Set<String> roles, String summary, Class<?> req,
                                    Class<?> resp, RestHandler handler) {
                harness.routes.put(method + " " + path, new Route(roles, handler));
                return this;
            }
        });
        return harness;
    }

    /** The route {@code "METHOD /path"}; an unknown one fails the test at once. */
    public Route route(String route) {
        Route r = routes.get(route);
        if (r == null) {
            throw new AssertionError("no route " + route + " among " + routes.keySet());
        }
        return r;
    }

    public Object call(String route, Caller caller, Map<String, String> path, Map<String, String> query, Object body)
            throws Exception {
        return route(route).handler().handle(new Request(caller, path, query, body));
    }

    /** A request with its body already read (no multipart parts), in Simplified Chinese. */
    public record Request(Caller caller, Map<String, String> path, Map<String, String> query, Object body)
            implements RestRequest {
        @Override
        public String path(String name) {
            return path.get(name);
        }

        @Override
        public Optional<String> query(String name) {
            return Optional.ofNullable(query.get(name));
        }

        @Override
        public Locale locale() {
            return Locale.SIMPLIFIED_CHINESE;
        }

        @Override
        public <T> T body(Class<T> type) {
            return type.cast(body);
        }

        @Override
        public Optional<InputStream> part(String name) {
            return Optional.empty();
        }
    }
}
