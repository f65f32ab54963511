package org.gatehouse.visitor.internal;

import java.util.Locale;

import org.gatehouse.core.api.RestException;

/**
 * A rule of the visitor module said no: an HTTP status, a stable code and a message key from the resource
 * bundle. The English text is the exception's message; {@link #message(Locale)} gives the caller's language.
 */
public class Refusal extends RestException {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final transient Object[] args;

    public Refusal(int status, String code, String key, Object... args) {
        super(status, code, Messages.en(key, args));
        this.key = key;
        this.args = args.clone();
    }

    public String key() {
        return key;
    }

    public String message(Locale locale) {
        return Messages.get(locale, key, args);
    }

    public RestException localized(Locale locale) {
        return new RestException(status(), code(), message(locale));
    }

    static Refusal badRequest(String key, Object... args) {
        return new Refusal(400, "BAD_REQUEST", key, args);
    }

    static Refusal conflict(String code, String key, Object... args) {
        return new Refusal(409, code, key, args);
    }
}
