package org.gatehouse.apidocs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code /api/docs}: the interactive API page. Swagger UI's own files come from its WebJar, installed
 * as a bundle of the feature (nothing is fetched from the network, by the server or the browser); the
 * page is ours and points Swagger UI at {@code /api/openapi.json}, the routes present right now. Only
 * the files the page needs are served.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/api/docs/*",
        "osgi.http.whiteboard.servlet.name=gatehouse-api-docs"})
public class ApiDocsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String WEBJAR = "org.webjars.swagger-ui";

    /** Swagger UI files the page loads, and their types. */
    static final Map<String, String> FILES = Map.of(
            "swagger-ui.css", "text/css",
            "swagger-ui-bundle.js", "text/javascript",
            "swagger-ui-standalone-preset.js", "text/javascript",
            "favicon-16x16.png", "image/png",
            "favicon-32x32.png", "image/png");

    private final transient BundleContext context;

    @Activate
    public ApiDocsServlet(BundleContext context) {
        this.context = context;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        Pages.securityHeaders(response);
        if (path.isEmpty()) {
            response.sendRedirect(request.getContextPath() + request.getServletPath() + "/");
            return;
        }
        if ("/".equals(path) || "/index.html".equals(path)) {
            Pages.write(response, 200, "text/html", Pages.template("api-docs.html", Map.of()));
            return;
        }
        if ("/init.js".equals(path)) {
            Pages.write(response, 200, "text/javascript", Pages.template("api-docs.js", Map.of()));
            return;
        }
        String name = path.substring(1);
        String type = FILES.get(name);
        Bundle webjar = webjar();
        URL entry = type == null || webjar == null ? null
                : webjar.getEntry("META-INF/resources/webjars/swagger-ui/" + webjarVersion(webjar) + "/" + name);
        if (entry == null) {
            Pages.write(response, 404, "text/plain", (webjar == null && type != null
                    ? "The Swagger UI bundle (" + WEBJAR + ") is not installed"
                    : "No such file: " + name).getBytes(StandardCharsets.UTF_8));
            return;
        }
        response.setHeader("Cache-Control", "public, max-age=86400");
        try (InputStream in = entry.openStream()) {
            Pages.write(response, 200, type, in.readAllBytes());
        }
    }

    private Bundle webjar() {
        for (Bundle b : context.getBundles()) {
            if (WEBJAR.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED) {
                return b;
            }
        }
        return null;
    }

    private static String webjarVersion(Bundle webjar) {
        var v = webjar.getVersion();
        return v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
    }
}
