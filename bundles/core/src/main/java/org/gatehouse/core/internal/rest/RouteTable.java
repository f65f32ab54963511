package org.gatehouse.core.internal.rest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.gatehouse.core.api.RestHandler;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;

/** The routes of every registered {@link RestResource}, matched by method and path template. */
public final class RouteTable {
    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    /** One route; {@code tag} is its resource's. */
    public record ApiRoute(String tag, String method, String path, Set<String> roles, String summary,
                           Class<?> requestType, Class<?> responseType, RestHandler handler, Pattern pattern,
                           List<String> parameterNames) {
    }

    /** A route matched against a request path, with its path parameters. */
    public record Match(ApiRoute route, Map<String, String> parameters) {
    }

    private final Map<RestResource, List<ApiRoute>> byResource = new ConcurrentHashMap<>();

    public void add(RestResource resource) {
        List<ApiRoute> routes = new ArrayList<>();
        resource.routes(new RestRoutes() {
            @Override
            public RestRoutes route(String method, String path, Set<String> roles, String summary,
                                    Class<?> requestType, Class<?> responseType, RestHandler handler) {
                routes.add(compile(resource.tag(), method, path, roles, summary, requestType, responseType, handler));
                return this;
            }
        });
        byResource.put(resource, List.copyOf(routes));
    }

    public void remove(RestResource resource) {
        byResource.remove(resource);
    }

    public Collection<ApiRoute> routes() {
        List<ApiRoute> all = new ArrayList<>();
        byResource.values().forEach(all::addAll);
        all.sort(java.util.Comparator.comparing(ApiRoute::path).thenComparing(ApiRoute::method));
        return all;
    }

    /** The route for method and path; empty if no path matches; {@link ApiException} 405 if only the method is wrong. */
    public Optional<Match> match(String method, String path) {
        boolean pathKnown = false;
        for (ApiRoute route : routes()) {
            Matcher m = route.pattern().matcher(path);
            if (m.matches()) {
                pathKnown = true;
                if (route.method().equals(method)) {
                    Map<String, String> params = new LinkedHashMap<>();
                    for (int i = 0; i < route.parameterNames().size(); i++) {
                        params.put(route.parameterNames().get(i), java.net.URLDecoder.decode(m.group(i + 1),
                                java.nio.charset.StandardCharsets.UTF_8));
                    }
                    return Optional.of(new Match(route, params));
                }
            }
        }
        if (pathKnown) {
            throw new ApiException(405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + path);
        }
        return Optional.empty();
    }

    static ApiRoute compile(String tag, String method, String path, Set<String> roles, String summary,
                            Class<?> requestType, Class<?> responseType, RestHandler handler) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("API paths start with '/': " + path);
        }
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(path);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(path.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        return new ApiRoute(tag, method.toUpperCase(java.util.Locale.ROOT), path, Set.copyOf(roles), summary,
                requestType, responseType, handler, Pattern.compile(regex.toString()), List.copyOf(names));
    }
}
