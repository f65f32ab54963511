package org.gatehouse.core.api;

import java.util.Locale;

/**
 * A module's rule said no: an HTTP status, a stable code and a message key of the module's
 * {@link MessageBundle}. The English text is the exception's message; the API answers with
 * {@link #message(Locale)} in the caller's language.
 */
public class Refusal extends RestException {
    private static final long serialVersionUID = 1L;
    private final transient MessageBundle messages;
    private final String key;
    private final transient Object[] args;

    public Refusal(MessageBundle messages, int status, String code, String key, Object... args) {
        super(status, code, messages.en(key, args));
        this.messages = messages;
        this.key = key;
        this.args = args.clone();
    }

    public String key() {
        return key;
    }

    public String message(Locale locale) {
        return messages.get(locale, key, args);
    }
}
