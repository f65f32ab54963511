package org.gatehouse.whitelist.internal.rest;

import java.util.Set;

import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.Roles;
import org.gatehouse.faces.api.FaceRestErrors;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.whitelist.internal.Refusal;

/** Shared bits of the whitelist's REST resources. */
final class Rest {
    /** Who manages the whitelist: city administrators and community offices (own communities via scope). */
    static final Set<String> MANAGE = Roles.OFFICE;
    /** Who may read residents: managers and the community police officer. Devices never. */
    static final Set<String> READ = Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE, Roles.POLICE);

    private Rest() {
    }

    interface Call {
        Object call() throws Exception;
    }

    /** Runs a handler, answering refusals and face errors in the caller's language. */
    static Object call(RestRequest r, Call call) throws Exception {
        try {
            return call.call();
        } catch (Refusal e) {
            throw e.localized(r.locale());
        } catch (FaceException e) {
            throw FaceRestErrors.toRest(e, r.locale());
        }
    }
}
