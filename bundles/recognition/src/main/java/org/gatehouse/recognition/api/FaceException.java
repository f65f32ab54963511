package org.gatehouse.recognition.api;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Failure of a face operation, with a stable {@link Code} for programs and a human message in
 * English or Simplified Chinese ({@link #getLocalizedMessage(Locale)}).
 */
public class FaceException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final String BUNDLE = "org.gatehouse.recognition.api.messages";

    /** Stable error codes. Never renamed; new codes are only appended. */
    public enum Code {
        EMPTY_IMAGE,
        NOT_AN_IMAGE,
        UNSUPPORTED_FORMAT,
        TRUNCATED_IMAGE,
        IMAGE_TOO_LARGE,
        IMAGE_DIMENSIONS_TOO_LARGE,
        DECODE_FAILED,
        NO_FACE,
        MULTIPLE_FACES,
        FACE_TOO_SMALL,
        NOT_FRONTAL,
        BLURRY,
        TOO_DARK,
        TOO_BRIGHT,
        DIMENSION_MISMATCH,
        INVALID_ARGUMENT,
        ENGINE_UNAVAILABLE,
        INTERNAL_ERROR
    }

    private final Code code;
    private final transient Object[] args;

    public FaceException(Code code, Object... args) {
        this(code, null, args);
    }

    public FaceException(Code code, Throwable cause, Object... args) {
        super(code.name() + ": " + format(code, Locale.ROOT, args), cause);
        this.code = code;
        this.args = args == null ? new Object[0] : args.clone();
    }

    public Code code() {
        return code;
    }

    /** Message arguments (copy). */
    public Object[] args() {
        return args.clone();
    }

    /**
     * The message alone, in the given locale (zh_CN and English are provided; others fall back to English),
     * for people: the code travels beside it ({@link #code()}). {@link #getMessage()} is for logs and starts
     * with the code.
     */
    public String getLocalizedMessage(Locale locale) {
        return format(code, locale, args);
    }

    @Override
    public String getLocalizedMessage() {
        return getLocalizedMessage(Locale.getDefault());
    }

    static String format(Code code, Locale locale, Object[] args) {
        String pattern;
        try {
            ResourceBundle rb = ResourceBundle.getBundle(BUNDLE, locale, FaceException.class.getClassLoader(),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            pattern = rb.getString(code.name());
        } catch (MissingResourceException e) {
            pattern = code.name();
        }
        try {
            return new MessageFormat(pattern, locale).format(args == null ? new Object[0] : args);
        } catch (IllegalArgumentException e) {
            return pattern;
        }
    }
}
