package org.gatehouse.apidocs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

/**
 * The start page links to the web portal when one runs — found by its service property, without depending on its
 * bundle — on the host the browser used, and says it is not installed when none runs.
 */
class HomeServletTest {
    static final String NOT_INSTALLED = "The web portal is not installed yet";

    /** The services registered now, each as its properties; the framework's own filter picks them. */
    private final List<Map<String, Object>> services = new ArrayList<>();

    private final BundleContext context = fake(BundleContext.class, (name, args) -> switch (name) {
        case "getBundle" -> fake(Bundle.class, (n, a) -> n.equals("getVersion") ? new Version("0.1.0") : null);
        case "getBundles" -> new Bundle[0];
        case "getServiceReferences" -> references((String) args[1]);
        default -> null;
    });

    private ServiceReference<?>[] references(String filter) throws Exception {
        List<ServiceReference<?>> found = new ArrayList<>();
        for (Map<String, Object> properties : services) {
            ServiceReference<?> ref = fake(ServiceReference.class, (n, a) -> switch (n) {
                case "getProperty" -> properties.get((String) a[0]);
                case "getPropertyKeys" -> properties.keySet().toArray(new String[0]);
                default -> null;
            });
            if (FrameworkUtil.createFilter(filter).match(ref)) {
                found.add(ref);
            }
        }
        return found.isEmpty() ? null : found.toArray(new ServiceReference<?>[0]);
    }

    private String startPage(String serverName) throws Exception {
        HttpServletRequest request = fake(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getServletPath" -> "/";
            case "getServerName" -> serverName;
            default -> null;
        });
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] status = new int[1];
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        };
        HttpServletResponse response = fake(HttpServletResponse.class, (name, args) -> {
            if (name.equals("setStatus")) {
                status[0] = (Integer) args[0];
            }
            return name.equals("getOutputStream") ? out : null;
        });
        new HomeServlet(context).doGet(request, response);
        assertEquals(200, status[0]);
        return body.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutAPortalThePageSaysItIsNotInstalled() throws Exception {
        services.add(Map.of("objectClass", new String[] {"javax.servlet.Servlet"}));
        String page = startPage("gate.example");
        assertTrue(page.contains(NOT_INSTALLED), page);
        assertTrue(page.contains("管理界面（门户）尚未安装"));
        assertFalse(page.contains("门户 Portal</a>"));
        assertFalse(page.contains("${portal}"));
    }

    @Test
    void aRunningPortalIsLinkedOnTheHostTheBrowserUsed() throws Exception {
        services.add(Map.of(HomeServlet.PORTAL_PORT, 18090, HomeServlet.PORTAL_HOST, "0.0.0.0"));
        String page = startPage("gate.example");
        assertTrue(page.contains("<a href=\"http://gate.example:18090/\">门户 Portal</a>"), page);
        assertFalse(page.contains(NOT_INSTALLED));

        assertTrue(startPage("::1").contains("<a href=\"http://[::1]:18090/\">"), "an IPv6 address in brackets");
        assertTrue(startPage("[::1]").contains("<a href=\"http://[::1]:18090/\">"));
    }

    @Test
    void aHostileHostHeaderIsEscaped() throws Exception {
        services.add(Map.of(HomeServlet.PORTAL_PORT, "8090", HomeServlet.PORTAL_HOST, "0.0.0.0"));
        String page = startPage("x\"><script>alert(1)</script><a b='");
        assertFalse(page.contains("<script>alert"), page);
        assertFalse(page.contains("x\">"));
        assertTrue(page.contains("<a href=\"http://x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;a b=&#39;:8090/\">"
                + "门户 Portal</a>"), page);
    }

    @Test
    void aPortalOnThisMachineOnlyIsLinkedOnlyForABrowserOnThisMachine() throws Exception {
        services.add(Map.of(HomeServlet.PORTAL_PORT, 8090, HomeServlet.PORTAL_HOST, "127.0.0.1"));
        assertTrue(startPage("localhost").contains("<a href=\"http://localhost:8090/\">门户 Portal</a>"));
        String elsewhere = startPage("gate.example");
        assertFalse(elsewhere.contains("<a href=\"http://gate.example"), "that link would lead nowhere");
        assertTrue(elsewhere.contains("reverse proxy"));
        assertFalse(elsewhere.contains(NOT_INSTALLED));
    }

    @Test
    void aPortalWithoutAUsablePortCountsAsNone() throws Exception {
        services.add(Map.of(HomeServlet.PORTAL_PORT, "none"));
        services.add(Map.of(HomeServlet.PORTAL_PORT, 0));
        assertTrue(startPage("gate.example").contains(NOT_INSTALLED));
    }

    interface Answer {
        Object answer(String method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    static <T> T fake(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(HomeServletTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "fake " + type.getSimpleName();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> answer.answer(method.getName(), args == null ? new Object[0] : args);
                });
    }
}
