package org.gatehouse.apidocs.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code /}: what runs here (Gatehouse, its version, the modules installed now and whether each is
 * running), whether it is up (the page asks {@code /api/health}), and where to go: the API page, the
 * OpenAPI document. Any other path that nothing else serves answers a plain 404 that points here.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/",
        "osgi.http.whiteboard.servlet.name=gatehouse-home"})
public class HomeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String GATEHOUSE_BUNDLES = "org.gatehouse.";

    private final transient BundleContext context;

    @Activate
    public HomeServlet(BundleContext context) {
        this.context = context;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        Pages.securityHeaders(response);
        switch (path) {
            case "", "/", "/index.html" -> Pages.write(response, 200, "text/html", Pages.template("home.html",
                    Map.of("version", Pages.escape(context.getBundle().getVersion().toString()),
                            "modules", modules())));
            case "/home.js" -> Pages.write(response, 200, "text/javascript", Pages.template("home.js", Map.of()));
            default -> Pages.write(response, 404, "text/html", Pages.template("not-found.html",
                    Map.of("path", Pages.escape(path))));
        }
    }

    /** One table row per Gatehouse bundle: name, description, running or not. */
    String modules() {
        List<Bundle> bundles = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith(GATEHOUSE_BUNDLES)) {
                bundles.add(b);
            }
        }
        bundles.sort(Comparator.comparing(Bundle::getSymbolicName));
        StringBuilder rows = new StringBuilder();
        for (Bundle b : bundles) {
            String name = b.getHeaders().get(Constants.BUNDLE_NAME);
            String description = b.getHeaders().get(Constants.BUNDLE_DESCRIPTION);
            boolean active = b.getState() == Bundle.ACTIVE;
            rows.append("<tr><td>").append(Pages.escape(name == null ? b.getSymbolicName()
                            : name.replaceFirst("^Gatehouse :: ", "")))
                    .append("</td><td>").append(Pages.escape(description == null ? "" : description.replaceAll("\\s+", " ")))
                    .append("</td><td class=\"").append(active ? "up" : "down").append("\">")
                    .append(active ? "运行中 running" : "未运行 not running").append("</td></tr>\n");
        }
        return rows.toString();
    }
}
