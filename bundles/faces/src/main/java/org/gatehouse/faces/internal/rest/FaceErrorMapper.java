package org.gatehouse.faces.internal.rest;

import java.util.Locale;

import org.gatehouse.core.api.RestErrorMapper;
import org.gatehouse.core.api.RestException;
import org.gatehouse.faces.api.FaceRestErrors;
import org.gatehouse.recognition.api.FaceException;
import org.osgi.service.component.annotations.Component;

/**
 * Answers a {@link FaceException} from any module's handler as {@link FaceRestErrors#toRest}: its stable code, its
 * message in the caller's language, and a status that says whose fault it is.
 */
@Component(service = RestErrorMapper.class)
public class FaceErrorMapper implements RestErrorMapper {
    @Override
    public RestException toRest(Throwable error, Locale locale) {
        return error instanceof FaceException face ? FaceRestErrors.toRest(face, locale) : null;
    }
}
