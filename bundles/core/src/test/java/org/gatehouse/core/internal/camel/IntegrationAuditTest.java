package org.gatehouse.core.internal.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.api.AuditTrail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrationAuditTest {
    @TempDir
    Path dir;

    /** Keeps what was appended. */
    static class Entries implements AuditLog {
        final List<String> lines = new CopyOnWriteArrayList<>();
        /** The subject id of each line. */
        final List<String> subjects = new CopyOnWriteArrayList<>();

        @Override
        public AuditEntry append(String actor, String action, String communityId, String subjectId, String detail) {
            lines.add(actor + " " + action + " " + communityId + " " + detail);
            subjects.add(subjectId);
            return null;
        }

        @Override
        public List<AuditEntry> entries(Scope scope, String communityId, Instant from, Instant to, int limit) {
            return List.of();
        }

        @Override
        public List<AuditEntry> entriesAbout(Scope scope, String subjectId, long afterSequence, int limit) {
            return List.of();
        }

        @Override
        public Verification verify() {
            return new Verification(true, lines.size(), -1, "");
        }
    }

    @Test
    void whatAnIntegrationRouteSendsOutIsAuditedAndInternalHopsAreNot() throws Exception {
        Entries entries = new Entries();
        AuditTrail trail = new AuditTrail("integration");
        trail.set(entries);
        CamelContext context = new DefaultCamelContext();
        context.addComponent(Streams.SCHEME, new StreamComponent());
        context.getManagementStrategy().addEventNotifier(new IntegrationAudit(trail));
        context.start();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:alerts").routeId("police-feed").to("log:alerts")
                        .to("file:" + dir + "?fileName=${header.GatehouseEventId}.json");
            }
        });
        context.createProducerTemplate().send("gatehouse:alerts", e -> {
            e.getIn().setBody("{}");
            e.getIn().setHeader(Streams.HEADER_EVENT_ID, "a1");
            e.getIn().setHeader(Streams.HEADER_COMMUNITY_ID, "c1");
        });
        assertEquals(1, entries.lines.size(), entries.lines.toString());
        String line = entries.lines.get(0);
        assertTrue(line.startsWith("route:police-feed integration.send c1 stream alerts, event a1 -> file://"), line);
        assertTrue(!line.contains("fileName"), "no query in the audit: " + line);
        context.stop();
    }
}
