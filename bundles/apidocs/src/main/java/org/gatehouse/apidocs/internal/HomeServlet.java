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
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code /}: what runs here (Gatehouse, its version, the modules installed now and whether each is
 * running), whether it is up (the page asks {@code /api/health}), and where to go: the API page, the
 * OpenAPI document, and the web portal when it runs. Any other path that nothing else serves answers a plain 404
 * that points here.
 *
 * <p>The portal runs on a web server of its own, on a port of its own; this bundle does not depend on it. Once that
 * server listens, the portal registers a service with the property {@value #PORTAL_PORT} (the port it listens on) and
 * {@value #PORTAL_HOST} (the address it was told to listen on), and takes it away when it stops: the page links to
 * that port on the host the browser used to reach this page.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/",
        "osgi.http.whiteboard.servlet.name=gatehouse-home"})
public class HomeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String GATEHOUSE_BUNDLES = "org.gatehouse.";
    /** Service property of the running portal: the port it listens on. */
    static final String PORTAL_PORT = "gatehouse.portal.port";
    /** Service property of the running portal: the address it listens on ({@code 0.0.0.0}, {@code 127.0.0.1}...). */
    static final String PORTAL_HOST = "gatehouse.portal.host";

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
                            "portal", portal(request), "modules", modules())));
            case "/home.js" -> Pages.write(response, 200, "text/javascript", Pages.template("home.js", Map.of()));
            default -> Pages.write(response, 404, "text/html", Pages.template("not-found.html",
                    Map.of("path", Pages.escape(path))));
        }
    }

    /**
     * Where the portal is, as HTML: a link to its port on the host the browser used (escaped: it comes from the
     * request's Host header); a note when it listens on this machine only and the browser is elsewhere (it is behind
     * a reverse proxy, whose address this page cannot know); the sentence that it is not installed when no portal
     * runs.
     */
    String portal(HttpServletRequest request) {
        ServiceReference<?>[] portals;
        try {
            portals = context.getServiceReferences((String) null, "(" + PORTAL_PORT + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        int port = -1;
        String listensOn = "";
        for (ServiceReference<?> ref : portals == null ? new ServiceReference<?>[0] : portals) {
            try {
                port = Integer.parseInt(String.valueOf(ref.getProperty(PORTAL_PORT)).strip());
            } catch (NumberFormatException e) {
                continue;
            }
            listensOn = String.valueOf(ref.getProperty(PORTAL_HOST));
            if (port > 0 && port < 65536) {
                break;
            }
            port = -1;
        }
        if (port < 0) {
            return "<p class=\"sub\">管理界面（门户）尚未安装：社区办公室目前使用接口和 Karaf 命令行（<code>./gatehouse shell</code>）。"
                    + "<br>\nThe web portal is not installed yet: community offices use the API and the Karaf shell "
                    + "(<code>./gatehouse shell</code>).</p>";
        }
        String host = request.getServerName() == null ? "localhost" : request.getServerName();
        if (isLoopback(listensOn) && !isLoopback(host)) {
            return "<p class=\"portal\">门户 Portal: 只在本机端口 " + port + " 上监听，请经反向代理访问"
                    + " · listens on port " + port + " of this machine only: open it through its reverse proxy</p>";
        }
        // an IPv6 address in a URL goes in brackets
        String authority = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String url = "http://" + authority + ":" + port + "/";
        return "<p class=\"portal\"><a href=\"" + Pages.escape(url) + "\">门户 Portal</a> — 社区办公室的管理界面"
                + " · the web screens community offices work in (" + Pages.escape(url) + ")</p>";
    }

    private static boolean isLoopback(String host) {
        String h = host.replace("[", "").replace("]", "");
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
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
