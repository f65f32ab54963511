package org.gatehouse.portal.api;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.LocalApi;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.server.VaadinSession;

/**
 * Who is logged in to this browser session, the community they work on, and the Gatehouse API called as them. A
 * screen does everything through {@link #call}: the API's own roles, scope checks, validation and audit apply, so a
 * screen cannot let anyone do what the API would refuse them.
 */
public final class PortalSession implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Caller caller;
    private final transient Supplier<LocalApi> api;
    private final ZoneId zone;
    private volatile String community;
    private volatile List<Doc> communities = List.of();

    public PortalSession(Caller caller, Supplier<LocalApi> api, ZoneId zone) {
        this.caller = Objects.requireNonNull(caller, "caller");
        this.api = Objects.requireNonNull(api, "api");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** The session of the current browser tab, or {@code null} when nobody is logged in. */
    public static PortalSession current() {
        VaadinSession session = VaadinSession.getCurrent();
        return session == null ? null : session.getAttribute(PortalSession.class);
    }

    public Caller caller() {
        return caller;
    }

    public String user() {
        return caller.name();
    }

    public boolean hasRole(String role) {
        return caller.hasRole(role);
    }

    /** The community time zone dates and times are shown in. */
    public ZoneId zone() {
        return zone;
    }

    /** The communities this user may see ({@code GET /communities}), loaded at login. */
    public List<Doc> communities() {
        return communities;
    }

    public void communities(List<Doc> list) {
        this.communities = List.copyOf(list);
        if (community == null || list.stream().noneMatch(c -> c.text("id").equals(community))) {
            community = list.isEmpty() ? null : list.get(0).text("id");
        }
    }

    /** The id of the community the user works on now ({@code null} when they may see none). */
    public String community() {
        return community;
    }

    public void community(String id) {
        if (communities.stream().noneMatch(c -> c.text("id").equals(id))) {
            throw new IllegalArgumentException("Not one of this user's communities: " + id);
        }
        this.community = id;
    }

    /** Calls the API as this user, in the current language. */
    public LocalApi.Answer call(String method, String path, Map<String, String> query, Object body,
                                Map<String, byte[]> parts) {
        LocalApi local = api.get();
        if (local == null) {
            return new LocalApi.Answer(503, Map.of("status", 503, "code", "API_UNAVAILABLE",
                    "message", "The Gatehouse API is not running"));
        }
        return local.call(caller, Texts.currentLocale(), method, path, query == null ? Map.of() : query, body,
                parts == null ? Map.of() : parts);
    }

    public LocalApi.Answer get(String path, Map<String, String> query) {
        return call("GET", path, query, null, null);
    }

    public LocalApi.Answer get(String path) {
        return get(path, Map.of());
    }

    public LocalApi.Answer post(String path, Object body) {
        return call("POST", path, Map.of(), body, null);
    }

    /** {@code GET path} as a list of objects; an error is shown to the user and reads as an empty list. */
    public List<Doc> list(String path, Map<String, String> query) {
        LocalApi.Answer answer = get(path, query);
        if (!answer.ok()) {
            showError(answer);
            return new ArrayList<>();
        }
        Object body = answer.body();
        if (body instanceof Map<?, ?> m && m.get("items") instanceof List<?> items) {
            return Doc.list(items);
        }
        return Doc.list(body);
    }

    /** A JSON object built in order, for request bodies: {@code PortalSession.json("name", n, "phone", p)}. */
    public static Map<String, Object> json(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
            }
        }
        return map;
    }

    /** An API refusal shown to the user (its message is already in their language where the module has one). */
    public static void showError(LocalApi.Answer answer) {
        if (UI.getCurrent() == null) {
            return;
        }
        Notification n = Notification.show(answer.message(), 6000, Notification.Position.TOP_CENTER);
        n.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    public static void showDone(String message) {
        if (UI.getCurrent() == null) {
            return;
        }
        Notification n = Notification.show(message, 3000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }

    /** An instant as the API gives it (ISO-8601 text) in the community's zone and the user's language. */
    public String dateTime(String isoInstant) {
        if (isoInstant == null || isoInstant.isBlank()) {
            return "";
        }
        try {
            ZonedDateTime t = Instant.parse(isoInstant).atZone(zone);
            return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale()).format(t);
        } catch (RuntimeException e) {
            return isoInstant;
        }
    }

    public Locale locale() {
        return Texts.currentLocale();
    }
}
