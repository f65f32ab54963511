package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.FaceTemplateRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.api.Whitelist;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.BundleContext;

/** Residents, consent, face enrollment, withdrawal, lease end and bulk import in the built distribution. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WhitelistIT extends GatehouseTestSupport {

    @Inject
    BundleContext context;

    @Inject
    SessionFactory sessionFactory;

    @Inject
    @Filter(value = "(camel.context.name=gatehouse)", timeout = 60000)
    CamelContext camel;

    @Configuration
    public Option[] config() {
        List<Option> options = baseOptions();
        options.add(systemProperty("gatehouse.itest.fixtures")
                .value(new File(System.getProperty("gatehouse.fixtures")).getAbsolutePath()));
        File lfw7 = new File(System.getProperty("gatehouse.lfw7", "")).getAbsoluteFile();
        if (lfw7.isDirectory()) {
            options.add(systemProperty("gatehouse.itest.lfw7").value(lfw7.getPath()));
        }
        return options.toArray(new Option[0]);
    }

    private static byte[] fixture(String name) throws Exception {
        return Files.readAllBytes(Paths.get(System.getProperty("gatehouse.itest.fixtures"), name + ".jpg"));
    }


    @Test
    public void enrollIdentifyWithdrawConsentLeaseEndAndImport() throws Exception {
        CommunityRepository communities = service(context, CommunityRepository.class);
        HouseholdRepository households = service(context, HouseholdRepository.class);
        await("demo community", 60000, () -> communities.communityByCode(Scope.all(), "SUNSHINE").isPresent()
                && households.households(Scope.all(), communities.communityByCode(Scope.all(), "SUNSHINE")
                .orElseThrow().id()).size() >= 12);
        Community demo = communities.communityByCode(Scope.all(), "SUNSHINE").orElseThrow();
        Household household = households.households(Scope.all(), demo.id()).get(0);

        // a terminal-side consumer of the credential-changes stream, as an integrator would write it
        Path routeFile = Paths.get(System.getProperty("karaf.base"), "deploy", "terminals.camel.xml");
        Path outbox = Paths.get(System.getProperty("karaf.data"), "terminal-sync");
        Files.writeString(routeFile, """
                <routes xmlns="http://camel.apache.org/schema/spring">
                  <route id="itest-terminal-sync"><from uri="gatehouse:credential-changes"/><to uri="mock:terminals"/>
                    <to uri="file:%s"/></route>
                </routes>""".formatted(outbox));
        await("terminal sync route", 30000, () -> camel.getRoute("itest-terminal-sync") != null);
        MockEndpoint terminals = camel.getEndpoint("mock:terminals", MockEndpoint.class);

        // register a tenant: an app token (non-face way in) comes with it
        Response created = http("POST", "/households/" + household.id() + "/residents", OFFICE,
                "{\"name\":\"鲍威尔 Powell\",\"role\":\"TENANT\",\"validUntil\":\"" + LocalDate.now().plusYears(1) + "\"}");
        assertEquals(created.body(), 201, created.status());
        assertTrue(created.body(), created.body().contains("otpauth://"));
        String resident = JsonBodies.text(created.body(), "/resident/id");

        // no consent, no face
        Response refused = upload("/residents/" + resident + "/face", OFFICE, "image", fixture("Colin_Powell_0001"), "zh-CN");
        assertEquals(refused.body(), 409, refused.status());
        assertTrue("answered in Chinese: " + refused.body(),
                JsonBodies.text(refused.body(), "/message").codePoints()
                        .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN));
        Response consent = http("POST", "/residents/" + resident + "/consents", OFFICE,
                "{\"purpose\":\"face-access\",\"noticeVersion\":\"2026-11\",\"channel\":\"paper\"}");
        assertEquals(consent.body(), 201, consent.status());
        String consentId = JsonBodies.text(consent.body(), "/id");
        Response enrolled = upload("/residents/" + resident + "/face", OFFICE, "image", fixture("Colin_Powell_0001"), null);
        assertEquals(enrolled.body(), 201, enrolled.status());

        FaceRegistry faces = service(context, FaceRegistry.class);
        FaceTemplateRepository templates = service(context, FaceTemplateRepository.class);
        assertEquals(resident, faces.identify(Scope.all(), demo.id(), fixture("Colin_Powell_0003"), 3).subjectId());
        assertEquals(1, templates.templatesOf(Scope.all(), resident).size());

        // withdrawing consent deletes the template everywhere and tells the terminals
        Response withdrawn = http("POST", "/consents/" + consentId + "/withdraw", OFFICE, "{}");
        assertEquals(withdrawn.body(), 200, withdrawn.status());
        assertEquals(0, templates.templatesOf(Scope.all(), resident).size());
        assertFalse(faces.identify(Scope.all(), demo.id(), fixture("Colin_Powell_0003"), 3).known());
        await("FACE_DELETED on gatehouse:credential-changes", 30000, () -> terminals.getExchanges().stream()
                .anyMatch(e -> e.getIn().getBody(String.class).contains("FACE_DELETED")
                        && e.getIn().getBody(String.class).contains(resident)));

        // lease end closes access
        Whitelist whitelist = service(context, Whitelist.class);
        assertTrue(whitelist.check(Scope.all(), resident, Instant.now()).allowed());
        AccessCheck later = whitelist.check(Scope.all(), resident, Instant.now().plus(400, ChronoUnit.DAYS));
        assertEquals(AccessCheck.Reason.LEASE_ENDED, later.reason());

        // bulk import (the lfw7 people when ../shared is there, else the fixtures) with one bad row
        StringBuilder csv = new StringBuilder("building,flat,household,name,role,phone,validFrom,validUntil,photo,faceConsent\n");
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        int people = 0;
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            String lfw7 = System.getProperty("gatehouse.itest.lfw7");
            List<Path> photos = new java.util.ArrayList<>();
            if (lfw7 != null) {
                try (var dirs = Files.list(Paths.get(lfw7))) {
                    for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                        photos.add(dir.resolve(dir.getFileName() + "_0002.jpg"));
                    }
                }
            } else {
                photos.add(Paths.get(System.getProperty("gatehouse.itest.fixtures"), "George_W_Bush_0001.jpg"));
                photos.add(Paths.get(System.getProperty("gatehouse.itest.fixtures"), "Tony_Blair_0002.jpg"));
            }
            for (Path photo : photos) {
                String name = photo.getFileName().toString().replaceAll("_\\d+\\.jpg$", "").replace('_', ' ');
                csv.append("2,").append(people % 2 == 0 ? "101" : "102").append(',').append(name).append("家,")
                        .append(name).append(",TENANT,1390000").append(String.format("%04d", people)).append(",,,")
                        .append(photo.getFileName()).append(",yes\n");
                out.putNextEntry(new ZipEntry(photo.getFileName().toString()));
                out.write(Files.readAllBytes(photo));
                out.closeEntry();
                people++;
            }
        }
        csv.append("9,999,无此楼,Nobody,TENANT,,,,,no\n");
        Response job = uploadParts("/communities/" + demo.id() + "/imports", OFFICE,
                List.of(new Part("csv", "residents.csv", csv.toString().getBytes(StandardCharsets.UTF_8)),
                        new Part("photos", "photos.zip", zip.toByteArray())));
        assertEquals(job.body(), 202, job.status());
        String jobId = JsonBodies.text(job.body(), "/id");
        await("import finished", 120000, () -> {
            try {
                String body = http("GET", "/imports/" + jobId, OFFICE, null).body();
                return body.contains("\"percent\":100") && !body.contains("\"status\":\"RUNNING\"")
                        && !body.contains("\"status\":\"QUEUED\"");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        String report = http("GET", "/imports/" + jobId, OFFICE, null).body();
        assertTrue(report, report.contains("\"total\":" + (people + 1)));
        int imported = report.split("\"ok\":true", -1).length - 1;
        assertTrue(imported + " of " + people + " imported: " + report, imported >= people - 1);
        assertTrue(report, report.contains("UNKNOWN_BUILDING"));
        String bush = faces.identify(Scope.all(), demo.id(), fixture("George_W_Bush_0003"), 1).subjectId();
        assertTrue("imported with a face", bush != null);

        String audit = shell(sessionFactory, "gatehouse:audit-verify");
        assertTrue(audit, audit.contains("Audit log intact"));
        Response entries = http("GET", "/audit?communityId=" + demo.id() + "&limit=500", admin(), null);
        assertTrue(entries.body(), entries.body().contains("consent.withdraw"));
        Response sentOut = http("GET", "/audit?limit=500", admin(), null);
        assertTrue("what the integration route wrote to files is audited: " + sentOut.body(),
                sentOut.body().contains("integration.delivered") && sentOut.body().contains("route:itest-terminal-sync"));
        Files.delete(routeFile);
    }
}
