package org.gatehouse.portal.internal;

import java.util.Locale;
import java.util.Map;

import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.LocalApi;

/**
 * The API as one portal session calls it: each call first asks the session's {@link LoginWatch}. A screen's action
 * goes through here ({@code PortalSession.call}) however long the screen has been open, so a login changed or
 * removed meanwhile is caught at the next click: the session is ended, the browser sent to the login page, and the
 * call refused (401) — the action does nothing. While the realm's accounts cannot be asked, calls are refused (503)
 * and the session kept.
 */
final class SessionApi implements LocalApi {
    static final String LOGIN_CHANGED = "LOGIN_CHANGED";
    static final String LOGIN_UNCHECKED = "LOGIN_UNCHECKED";

    private final LocalApi api;
    private final LoginWatch watch;
    private final Runnable endSession;

    SessionApi(LocalApi api, LoginWatch watch, Runnable endSession) {
        this.api = api;
        this.watch = watch;
        this.endSession = endSession;
    }

    @Override
    public Caller login(String user, char[] password, String address) {
        return api.login(user, password, address);
    }

    @Override
    public Answer call(Caller caller, Locale locale, String method, String path, Map<String, String> query, Object body,
                       Map<String, byte[]> parts) {
        Locale language = locale == null ? Languages.CHINESE : locale;
        switch (watch.state()) {
            case CHANGED -> {
                endSession.run();
                return refusal(401, LOGIN_CHANGED, PortalTexts.T.t(language, "login.changed"));
            }
            case UNKNOWN -> {
                return refusal(503, LOGIN_UNCHECKED, PortalTexts.T.t(language, "login.unavailable"));
            }
            default -> {
                return api.call(caller, locale, method, path, query, body, parts);
            }
        }
    }

    private static Answer refusal(int status, String code, String message) {
        return new Answer(status, Map.of("status", status, "code", code, "message", message));
    }
}
