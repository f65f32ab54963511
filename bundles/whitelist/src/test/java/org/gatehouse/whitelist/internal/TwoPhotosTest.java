package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.RestHandler;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.whitelist.internal.Enrolment.EnrolledFace;
import org.gatehouse.whitelist.internal.Households.ResidentFaces;
import org.gatehouse.whitelist.internal.rest.CredentialResource;
import org.gatehouse.whitelist.internal.rest.HouseholdResource;
import org.junit.jupiter.api.Test;

/**
 * Two photos per resident: an enrollment that leaves the resident with one face template says to enrol a second photo
 * (the service, the REST answer), and the community's residents are listed with their face templates, or only those
 * with fewer than asked.
 */
class TwoPhotosTest extends ServicesOverFakes {
    String withConsent(String name) {
        String rid = w.add(name).resident().id();
        w.consentBook.giveConsent(w.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        return rid;
    }

    @Test
    void theFirstPhotoAsksForASecondTheSecondDoesNot() {
        String rid = withConsent("王芳");
        EnrolledFace first = w.enrolment.enrollFace(w.office, rid, "photo 1".getBytes());
        assertEquals(1, first.faceTemplates());
        assertTrue(first.secondPhotoAdvised());
        assertEquals(CredentialKind.FACE, first.credential().kind());

        EnrolledFace second = w.enrolment.enrollFace(w.office, rid, "photo 2".getBytes());
        assertEquals(2, second.faceTemplates());
        assertFalse(second.secondPhotoAdvised());
        assertEquals(2, w.enrolment.faceTemplates(w.office, rid));
        EnrolledFace third = w.enrolment.enrollFace(w.office, rid, "photo 3".getBytes());
        assertEquals(3, third.faceTemplates());
        assertFalse(third.secondPhotoAdvised());
    }

    @Test
    void revokedFacesCountNoMoreAndTheAdviceComesBack() {
        String rid = withConsent("王芳");
        EnrolledFace first = w.enrolment.enrollFace(w.office, rid, "photo 1".getBytes());
        w.enrolment.enrollFace(w.office, rid, "photo 2".getBytes());
        // revoking a face ends all of the resident's faces (the registry forgets per person)
        w.issuer.revokeCredential(w.office, rid, first.credential().id());
        assertEquals(0, w.enrolment.faceTemplates(w.office, rid));
        EnrolledFace again = w.enrolment.enrollFace(w.office, rid, "photo 3".getBytes());
        assertEquals(1, again.faceTemplates());
        assertTrue(again.secondPhotoAdvised());
    }

    @Test
    void theRestAnswerKeepsTheCredentialAndAddsTheAdviceInTheCallersLanguage() throws Exception {
        String rid = withConsent("王芳");
        Map<String, RestHandler> routes = routes(new CredentialResource(w.issuer, w.consentBook, w.enrolment));
        RestHandler enrol = routes.get("POST /residents/{id}/face");

        JsonNode first = json(enrol.handle(request(Map.of("id", rid), Map.of(), Locale.ENGLISH, "photo 1")));
        assertEquals("FACE", first.get("kind").asText());
        assertEquals(w.faces.templates.get(w.sunshine.id() + "/" + rid).get(0), first.get("reference").asText(),
                "the credential's fields as before");
        assertEquals(rid, first.get("residentId").asText());
        assertEquals(1, first.get("faceTemplates").asInt());
        assertTrue(first.get("secondPhotoAdvised").asBoolean());
        assertTrue(first.get("advice").asText().contains("second photo"), first.toString());
        assertTrue(first.get("advice").asText().contains("another day"), first.toString());

        String other = withConsent("王强");
        JsonNode zh = json(enrol.handle(request(Map.of("id", other), Map.of(), Locale.SIMPLIFIED_CHINESE, "photo")));
        assertTrue(zh.get("advice").asText().contains("再采集一张"), zh.toString());

        JsonNode second = json(enrol.handle(request(Map.of("id", rid), Map.of(), Locale.ENGLISH, "photo 2")));
        assertEquals(2, second.get("faceTemplates").asInt());
        assertFalse(second.get("secondPhotoAdvised").asBoolean());
        assertTrue(second.get("advice") == null || second.get("advice").isNull(), second.toString());
    }

    @Test
    void theCommunitysResidentsComeWithTheirFaceTemplatesAndCanBeNarrowedToWhoLacksASecondPhoto() throws Exception {
        String none = w.add("没有人脸").resident().id();
        String one = withConsent("一张");
        w.enrolment.enrollFace(w.office, one, "photo".getBytes());
        String two = withConsent("两张");
        w.enrolment.enrollFace(w.office, two, "photo 1".getBytes());
        w.enrolment.enrollFace(w.office, two, "photo 2".getBytes());

        Map<String, Integer> all = counts(w.register.communityResidentFaces(w.office, w.sunshine.id(),
                Integer.MAX_VALUE));
        assertEquals(Map.of(none, 0, one, 1, two, 2), all);
        assertEquals(Map.of(none, 0, one, 1), counts(w.register.communityResidentFaces(w.office, w.sunshine.id(), 2)));
        assertTrue(w.audit.entries.stream().anyMatch(e -> e.action().equals("resident.list")
                && e.detail().contains("fewer than 2")), "one audit entry for the list");

        // over REST: GET /communities/{id}/residents?fewerFacePhotosThan=2
        RestHandler list = routes(new HouseholdResource(w.register, w.communities))
                .get("GET /communities/{id}/residents");
        JsonNode some = json(list.handle(request(Map.of("id", w.sunshine.id()), Map.of("fewerFacePhotosThan", "2"),
                Locale.ENGLISH, null)));
        assertEquals(2, some.size());
        Map<String, Integer> shown = new HashMap<>();
        some.forEach(n -> shown.put(n.get("resident").get("id").asText(), n.get("faceTemplates").asInt()));
        assertEquals(Map.of(none, 0, one, 1), shown);
        assertEquals(3, json(list.handle(request(Map.of("id", w.sunshine.id()), Map.of(), Locale.ENGLISH, null)))
                .size(), "without the parameter: everyone");

        // the counts are the store's per-community count of active FACE credentials: a revoked face no longer counts
        String faceOfTwo = w.credentials.credentials(w.office.scope(), two).stream()
                .filter(c -> c.kind() == CredentialKind.FACE && c.isActive()).findFirst().orElseThrow().id();
        w.issuer.revokeCredential(w.office, two, faceOfTwo);
        assertEquals(w.credentials.activeFaceCounts(w.office.scope(), w.sunshine.id()).getOrDefault(two, 0),
                counts(w.register.communityResidentFaces(w.office, w.sunshine.id(), Integer.MAX_VALUE)).get(two));
        assertEquals(Map.of(none, 0, one, 1, two, 0), counts(w.register.communityResidentFaces(w.office,
                w.sunshine.id(), Integer.MAX_VALUE)), "revoking a face ends all of the resident's faces");
    }

    static Map<String, Integer> counts(List<ResidentFaces> list) {
        Map<String, Integer> m = new HashMap<>();
        list.forEach(f -> m.put(f.resident().id(), f.faceTemplates()));
        return m;
    }

    static Map<String, RestHandler> routes(RestResource resource) {
        Map<String, RestHandler> handlers = new HashMap<>();
        resource.routes(new RestRoutes() {
            @Override
            public RestRoutes route(String method, String path, Set<String> roles, String summary, Class<?> req,
                                    Class<?> resp, RestHandler handler) {
                handlers.put(method + " " + path, handler);
                return this;
            }
        });
        return handlers;
    }

    static JsonNode json(Object answer) throws Exception {
        Object body = answer instanceof RestResponse r ? r.body() : answer;
        return Fakes.JSON.readTree(Fakes.JSON.writeValueAsString(body));
    }

    /** A request of the office with these path and query values, in {@code locale}, with an 'image' part. */
    RestRequest request(Map<String, String> path, Map<String, String> query, Locale locale, String image) {
        Caller caller = w.office;
        return new RestRequest() {
            @Override
            public Caller caller() {
                return caller;
            }

            @Override
            public String path(String name) {
                return path.get(name);
            }

            @Override
            public Optional<String> query(String name) {
                return Optional.ofNullable(query.get(name));
            }

            @Override
            public Locale locale() {
                return locale;
            }

            @Override
            public <T> T body(Class<T> type) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<InputStream> part(String name) {
                return name.equals("image") && image != null
                        ? Optional.of(new ByteArrayInputStream(image.getBytes())) : Optional.empty();
            }
        };
    }
}
