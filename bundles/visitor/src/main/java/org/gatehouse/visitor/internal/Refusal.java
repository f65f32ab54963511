package org.gatehouse.visitor.internal;

/** A rule of the visitor module said no; texts from this module's {@link Messages}. */
public class Refusal extends org.gatehouse.core.api.Refusal {
    private static final long serialVersionUID = 1L;

    public Refusal(int status, String code, String key, Object... args) {
        super(Messages.BUNDLE, status, code, key, args);
    }

    static Refusal badRequest(String key, Object... args) {
        return new Refusal(400, "BAD_REQUEST", key, args);
    }

    static Refusal conflict(String code, String key, Object... args) {
        return new Refusal(409, code, key, args);
    }
}
