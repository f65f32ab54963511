package org.gatehouse.core.internal.rest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.LocalApi;
import org.gatehouse.core.api.RestErrorMapper;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestException;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.internal.Json;
import org.gatehouse.core.internal.rest.RouteTable.Match;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api}: one servlet on Karaf's HTTP service (port 8181) that serves the routes of every
 * {@link RestResource} service, checks who calls and what role they have, and answers every error as
 * JSON {@code {status, code, message}}. {@code /api/openapi.json} describes the routes present now.
 */
@Component(service = {Servlet.class, LocalApi.class}, property = {
        "osgi.http.whiteboard.servlet.pattern=/api/*",
        "osgi.http.whiteboard.servlet.name=gatehouse-api",
        "osgi.http.whiteboard.servlet.multipart.enabled=true",
        "osgi.http.whiteboard.servlet.multipart.maxFileSize=52428800",
        "osgi.http.whiteboard.servlet.multipart.maxRequestSize=524288000"})
public class ApiServlet extends HttpServlet implements LocalApi {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    private final transient RouteTable routes = new RouteTable();
    private final transient List<RestErrorMapper> errorMappers = new CopyOnWriteArrayList<>();
    private final transient Authenticator authenticator;
    private final String version;

    @Activate
    public ApiServlet(@Reference Authenticator authenticator, BundleContext context) {
        this.authenticator = authenticator;
        this.version = context.getBundle().getVersion().toString();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addResource(RestResource resource) {
        routes.add(resource);
    }

    void removeResource(RestResource resource) {
        routes.remove(resource);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addErrorMapper(RestErrorMapper mapper) {
        errorMappers.add(mapper);
    }

    void removeErrorMapper(RestErrorMapper mapper) {
        errorMappers.remove(mapper);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String method = request.getMethod();
        try {
            if ("GET".equals(method) && "/openapi.json".equals(path)) {
                write(response, 200, OpenApiDocument.build(routes.routes(), version));
                return;
            }
            if ("GET".equals(method) && "/".equals(path)) {
                // /api itself: a browser goes to the API page, a program learns where things are
                String accept = request.getHeader("Accept");
                if ("document".equals(request.getHeader("Sec-Fetch-Dest"))
                        || accept != null && accept.contains("text/html") && accept.contains("application/xhtml+xml")) {
                    response.sendRedirect(request.getContextPath() + request.getServletPath() + "/docs/");
                } else {
                    write(response, 200, new ApiIndex("Gatehouse API", version, "/api/openapi.json", "/api/docs/",
                            "/api/health"));
                }
                return;
            }
            refuseCrossSite(request);
            Match match = routes.match(method, path)
                    .orElseThrow(() -> new ApiException(404, "NOT_FOUND", "No API route " + method + " " + path));
            Caller caller = authenticator.authenticate(request.getHeader("Authorization"), request.getRemoteAddr());
            authorize(match.route().roles(), caller);
            Object result = match.route().handler().handle(new ServletRestRequest(request, caller, match.parameters()));
            if (result instanceof RestResponse r) {
                write(response, r.status(), r.body());
            } else {
                write(response, 200, result);
            }
        } catch (Throwable t) {
            ApiError error = ErrorMapping.toError(t, request.getLocale(), errorMappers);
            if (error.status() >= 500 && error.status() != 503) {
                LOG.error("{} {} failed", method, path, t);
            }
            if (error.status() == 401) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"gatehouse\", Bearer");
            }
            if (t instanceof RestException rest && rest.retryAfterSeconds() > 0) {
                response.setHeader("Retry-After", String.valueOf(rest.retryAfterSeconds()));
            }
            drainBody(request);
            write(response, error.status(), error);
        }
    }

    /**
     * A web page of another site must not make a logged-in browser act here (the browser would send the
     * cached Basic credentials): every request that changes something is refused when the browser says it
     * comes from another site ({@code Sec-Fetch-Site}) or names another origin ({@code Origin}). Programs
     * (terminals, curl, integrations) send neither header and are not affected; the API page at /api/docs is
     * the same origin.
     */
    static void refuseCrossSite(HttpServletRequest request) {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
            return;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !"same-origin".equalsIgnoreCase(site) && !"none".equalsIgnoreCase(site)) {
            throw new ApiException(403, "CROSS_SITE_REQUEST", "Requests made by pages of other sites are refused");
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, request.getHeader("Host"))) {
            throw new ApiException(403, "CROSS_SITE_REQUEST", "Requests made by pages of other sites are refused");
        }
    }

    /** Whether {@code origin} (scheme://host[:port]) names the host the request was sent to. */
    static boolean sameOrigin(String origin, String host) {
        if (host == null || origin.isBlank() || "null".equals(origin)) {
            return false;
        }
        try {
            java.net.URI uri = java.net.URI.create(origin.strip());
            if (uri.getHost() == null) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            String authority = uri.getHost().toLowerCase(java.util.Locale.ROOT) + ":" + port;
            String h = host.strip().toLowerCase(java.util.Locale.ROOT);
            return authority.equals(h) || authority.equals(h + ":" + port) && !h.contains(":");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public Caller login(String user, char[] password, String address) {
        return authenticator.login(user, password, address);
    }

    @Override
    public Answer call(Caller caller, java.util.Locale locale, String method, String path, Map<String, String> query,
                       Object body, Map<String, byte[]> parts) {
        java.util.Locale language = locale == null ? java.util.Locale.SIMPLIFIED_CHINESE : locale;
        try {
            Match match = routes.match(method, path)
                    .orElseThrow(() -> new ApiException(404, "NOT_FOUND", "No API route " + method + " " + path));
            authorize(match.route().roles(), caller);
            Object result = match.route().handler().handle(
                    new LocalRestRequest(caller, language, match.parameters(), query, body, parts));
            if (result instanceof RestResponse r) {
                return new Answer(r.status(), plain(r.body()));
            }
            return new Answer(200, plain(result));
        } catch (Throwable t) {
            ApiError error = ErrorMapping.toError(t, language, errorMappers);
            if (error.status() >= 500 && error.status() != 503) {
                LOG.error("{} {} (in-process, {}) failed", method, path, caller.name(), t);
            }
            return new Answer(error.status(), plain(error));
        }
    }

    /** A result as plain JSON values (maps, lists, strings, numbers), as a client of the API would read it. */
    private static Object plain(Object value) {
        return value == null ? null : Json.mapper().convertValue(value, Object.class);
    }

    /** Request bodies at most this large are read to their end when refused, keeping the connection usable. */
    static final long MAX_DRAIN_BYTES = 64L * 1024 * 1024;

    /**
     * A request refused before its body was read (no credentials, wrong role, wrong content type…): the body is
     * read to its end and dropped, so that the client can finish sending it and read the answer, instead of
     * seeing the connection closed under it. Beyond {@link #MAX_DRAIN_BYTES} the server closes the connection.
     */
    private static void drainBody(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        if (length == 0 || length > MAX_DRAIN_BYTES) {
            return;
        }
        try (var in = request.getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            for (int n; read <= MAX_DRAIN_BYTES && (n = in.read(buffer)) > 0; ) {
                read += n;
            }
        } catch (IOException | IllegalStateException ignored) {
            // already read as parts, or the client is gone: nothing to keep
        }
    }

    /** What {@code GET /api} answers a program. */
    record ApiIndex(String name, String version, String openapi, String docs, String health) {
    }

    static void authorize(Set<String> allowed, Caller caller) {
        if (allowed.isEmpty()) {
            return;
        }
        if (!caller.isAuthenticated()) {
            throw Authenticator.unauthorized("Authentication required");
        }
        if (allowed.contains("*") || allowed.stream().anyMatch(caller::hasRole)) {
            return;
        }
        throw new ApiException(403, "FORBIDDEN", rolesNeeded(allowed));
    }

    /** "This needs the role city-admin." or "This needs one of the roles city-admin, community-office." */
    static String rolesNeeded(Set<String> allowed) {
        java.util.List<String> sorted = allowed.stream().sorted().toList();
        return sorted.size() == 1 ? "This needs the role " + sorted.get(0) + "."
                : "This needs one of the roles " + String.join(", ", sorted) + ".";
    }

    private static void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        if (body == null) {
            return;
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] bytes = Json.mapper().writeValueAsBytes(body);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** For the status command and tests: the routes present now. */
    public java.util.Collection<RouteTable.ApiRoute> routes() {
        return routes.routes();
    }
}
