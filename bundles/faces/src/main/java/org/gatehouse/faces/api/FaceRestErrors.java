package org.gatehouse.faces.api;

import java.util.Locale;

import org.gatehouse.core.api.RestException;
import org.gatehouse.recognition.api.FaceException;

/**
 * How a face failure answers over REST, the same for every module that takes photos: its stable code,
 * its message in the caller's language, and a status that says whose fault it is (413 too large, 415
 * not an image, 422 an image whose face cannot be used, 503 engine busy). The faces bundle registers it as the
 * API's mapper of {@link FaceException}, so handlers let a face failure through.
 */
public final class FaceRestErrors {
    private FaceRestErrors() {
    }

    public static RestException toRest(FaceException e, Locale locale) {
        return new RestException(status(e.code()), e.code().name(), e.getLocalizedMessage(locale));
    }

    public static int status(FaceException.Code code) {
        return switch (code) {
            case IMAGE_TOO_LARGE, IMAGE_DIMENSIONS_TOO_LARGE -> 413;
            case NOT_AN_IMAGE, UNSUPPORTED_FORMAT -> 415;
            case ENGINE_UNAVAILABLE -> 503;
            case INTERNAL_ERROR -> 500;
            case EMPTY_IMAGE, TRUNCATED_IMAGE, DECODE_FAILED, INVALID_ARGUMENT, DIMENSION_MISMATCH -> 400;
            default -> 422; // NO_FACE, MULTIPLE_FACES, FACE_TOO_SMALL, NOT_FRONTAL, BLURRY, TOO_DARK, TOO_BRIGHT
        };
    }
}
