package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.whitelist.internal.imports.DurableImports;
import org.gatehouse.whitelist.internal.imports.SafeZip;
import org.gatehouse.whitelist.internal.rest.CredentialResource;
import org.gatehouse.whitelist.internal.rest.HouseholdResource;
import org.gatehouse.whitelist.internal.rest.ImportResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesAndMessagesTest {
    record Route(String method, String path, Set<String> roles) {
    }

    @Test
    void managersChangePoliceOnlyReadDevicesNever(@TempDir Path dir) throws Exception {
        World w = new World();
        DurableImports imports = new DurableImports(w.register, w.enrolment, w.communities, w.jobs, w.dates,
                SafeZip.Limits.of(Fakes.config()), 1000, 5, "v", dir, Duration.ofMinutes(10), w.trails);
        List<Route> routes = new ArrayList<>();
        RestRoutes collector = new RestRoutes() {
            @Override
            public RestRoutes route(String method, String path, Set<String> roles, String summary, Class<?> req,
                                    Class<?> resp, org.gatehouse.core.api.RestHandler handler) {
                routes.add(new Route(method, path, roles));
                return this;
            }
        };
        for (RestResource r : List.of(new HouseholdResource(w.register, w.communities),
                new CredentialResource(w.issuer, w.consentBook, w.enrolment), new ImportResource(imports))) {
            r.routes(collector);
        }
        imports.close();
        assertEquals(21, routes.size(), routes.toString());
        for (Route r : routes) {
            assertFalse(r.roles().isEmpty() || r.roles().contains("*"), "no public or any-caller route: " + r);
            assertFalse(r.roles().contains(Roles.DEVICE), r.toString());
            assertTrue(r.roles().containsAll(Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE)), r.toString());
            boolean policeReads = r.method().equals("GET") && !r.path().contains("/imports");
            assertEquals(policeReads, r.roles().contains(Roles.POLICE), r.toString());
        }
    }

    @Test
    void everyEnglishMessageHasAChineseOne() throws Exception {
        Properties en = load("messages.properties");
        Properties zh = load("messages_zh_CN.properties");
        assertEquals(en.keySet(), zh.keySet());
        assertTrue(zh.getProperty("face.noConsent").contains("知情同意"));
    }

    private static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream(name)) {
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return p;
    }
}
