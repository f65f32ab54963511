package org.gatehouse.apidocs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

/** The pages' templates (resources of this bundle) and how every answer is written. */
final class Pages {
    private Pages() {
    }

    /** {@code name} from this bundle's resources with each {@code ${key}} replaced by its (already escaped) value. */
    static byte[] template(String name, Map<String, String> values) {
        try (InputStream in = Pages.class.getResourceAsStream("/org/gatehouse/apidocs/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing page template " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (var e : values.entrySet()) {
                text = text.replace("${" + e.getKey() + "}", e.getValue());
            }
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** No sniffing, no framing by other sites, nothing loaded from elsewhere. */
    static void securityHeaders(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                + "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'");
    }

    static void write(HttpServletResponse response, int status, String type, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(type.startsWith("text/") ? type + ";charset=UTF-8" : type);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
