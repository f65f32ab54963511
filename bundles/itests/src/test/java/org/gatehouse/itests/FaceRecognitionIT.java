package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.FaceException;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Face recognition inside the built distribution on the LFW fixtures committed with the recognition bundle:
 * two people enrolled, the third a stranger; REST and shell too. The same on the lfw7 set is
 * {@link FaceRecognitionLfw7IT}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FaceRecognitionIT extends GatehouseTestSupport {
    @Inject
    BundleContext context;

    @Inject
    SessionFactory sessionFactory;

    @Configuration
    public Option[] config() {
        List<Option> options = baseOptions();
        options.add(systemProperty("gatehouse.itest.fixtures")
                .value(new File(System.getProperty("gatehouse.fixtures")).getAbsolutePath()));
        // this community searches through the approximate path (sign sketches) from 4 templates on;
        // with so few rows every one is still scored exactly, so the answers must equal exact search
        options.add(editConfigurationFilePut("etc/org.gatehouse.recognition.cfg", "galleryApproximateThreshold", "3"));
        return options.toArray(new Option[0]);
    }

    /** The LFW fixtures committed with the recognition bundle: two people enrolled, the third a stranger. */
    @Test
    public void committedFixturesResidentsIdentifiedStrangerRejectedApiAndShell() throws Exception {
        Path fixtures = Paths.get(System.getProperty("gatehouse.itest.fixtures"));
        Map<String, List<Path>> people = photos(fixtures, false);
        List<String> residents = List.of("Colin_Powell", "George_W_Bush");
        Community community = identification(context, people, residents, false);
        apiAndShell(community, people, residents, 1);
    }

    /**
     * Enrols {@code residents} (three photos each with the full set, two with the fixtures) in a new community,
     * identifies each one's held-back photos and checks every stranger is rejected.
     */
    static Community identification(BundleContext context, Map<String, List<Path>> people, List<String> residents,
                                    boolean full) throws Exception {
        List<String> names = new ArrayList<>(people.keySet());
        List<String> strangers = names.stream().filter(n -> !residents.contains(n)).toList();
        int enrollPerPerson = full ? 3 : 2;
        int heldBack = full ? 10 : 1;

        FaceRegistry registry = service(context, FaceRegistry.class);
        CommunityRepository communities = service(context, CommunityRepository.class);
        Community community = communities.createCommunity("FACES-" + System.nanoTime() % 100000, "人脸测试小区", null);

        for (String person : residents) {
            int enrolled = 0;
            for (Path photo : people.get(person)) {
                if (enrolled == enrollPerPerson) {
                    break;
                }
                try {
                    registry.enroll(Scope.all(), community.id(), person, Files.readAllBytes(photo));
                    enrolled++;
                } catch (FaceException refused) {
                    // a photo below enrollment quality: the office would take another one
                }
            }
            assertEquals(person + " enrolled", enrollPerPerson, enrolled);
        }

        int identified = 0;
        int tried = 0;
        for (String person : residents) {
            List<Path> photos = people.get(person);
            for (Path photo : photos.subList(photos.size() - heldBack, photos.size())) {
                FaceRegistry.Identification id = registry.identify(Scope.all(), community.id(), Files.readAllBytes(photo), 3);
                tried++;
                assertEquals(photo.getFileName() + " score " + id.score(), person, id.subjectId());
                identified++;
            }
        }
        int rejected = 0;
        for (String stranger : strangers) {
            for (Path photo : people.get(stranger).subList(0, Math.min(full ? 20 : 2, people.get(stranger).size()))) {
                FaceRegistry.Identification id = registry.identify(Scope.all(), community.id(), Files.readAllBytes(photo), 3);
                assertTrue(photo.getFileName() + " taken for " + id.subjectId() + " at " + id.score(), !id.known());
                rejected++;
            }
        }
        assertEquals(tried, identified);
        assertTrue(rejected > 0);
        return community;
    }

    private void apiAndShell(Community community, Map<String, List<Path>> people, List<String> residents, int heldBack)
            throws Exception {
        byte[] photo = Files.readAllBytes(people.get(residents.get(0)).get(heldBackIndex(people.get(residents.get(0)), heldBack)));
        Response detect = upload("/faces/detect", admin(), "image", photo, null);
        assertEquals(detect.body(), 200, detect.status());
        assertTrue(detect.body(), detect.body().contains("\"livenessScore\""));
        // 1:N identification: office and city administrators only, every call audited, read against the gallery's
        // operating bands, no candidate below the reject threshold (the other resident scores below it)
        AuditLog audit = service(context, AuditLog.class);
        service(context, org.gatehouse.core.api.Accounts.class).create("faceprop", "faceprop".toCharArray(),
                List.of("property", "community:" + community.code()));
        Response property = upload("/faces/identify?communityId=" + community.id(), "faceprop:faceprop", "image", photo, null);
        assertEquals(property.body(), 403, property.status());
        assertEquals(0, identifyAudits(audit, community).size());
        Response identify = upload("/faces/identify?communityId=" + community.id(), admin(), "image", photo, null);
        assertEquals(identify.body(), 200, identify.status());
        assertTrue(identify.body(), identify.body().contains("\"subjectId\":\"" + residents.get(0) + "\""));
        assertTrue(identify.body(), !identify.body().contains(residents.get(1)));
        assertTrue(identify.body(), identify.body().contains("\"band\":\"ACCEPT\""));
        assertTrue(identify.body(), identify.body().contains("\"gallerySize\":"));
        List<AuditLog.AuditEntry> audited = identifyAudits(audit, community);
        assertEquals(audited.toString(), 1, audited.size());
        assertEquals(residents.get(0), audited.get(0).subjectId());
        assertTrue(audited.get(0).detail(), audited.get(0).detail().startsWith("ACCEPT, score "));
        Response bands = http("GET", "/faces/bands?communityId=" + community.id(), admin(), null);
        assertEquals(bands.body(), 200, bands.status());
        assertTrue(bands.body(), bands.body().contains("\"targetFpir\":0.001"));
        String bandsShown = shell(sessionFactory, "gatehouse:gallery-stats");
        assertTrue(bandsShown, bandsShown.contains("Bands: target FPIR 0.10%"));
        Response notImage = upload("/faces/detect", admin(), "image", "plain text".getBytes(), "zh-CN");
        assertEquals(notImage.body(), 415, notImage.status());
        assertTrue(notImage.body(), notImage.body().contains("\"code\":\"NOT_AN_IMAGE\""));
        Response empty = upload("/faces/detect", admin(), "image", new byte[0], "en");
        assertEquals(empty.body(), 400, empty.status());
        assertTrue(empty.body(), empty.body().contains("EMPTY_IMAGE"));
        Response huge = upload("/faces/detect", admin(), "image", new byte[40 * 1024 * 1024], null);
        assertEquals(huge.body(), 413, huge.status());
        Response noAuth = http("POST", "/faces/detect", null, null);
        assertEquals(401, noAuth.status());

        String stats = shell(sessionFactory, "gatehouse:gallery-stats");
        assertTrue(stats, stats.contains(community.code()));
        assertTrue(stats, stats.contains("Stored face templates: "));
        // approximate search configured above; the distribution starts the JVM with the Vector API and
        // exports it to bundles (bin/setenv, etc/config.properties)
        assertTrue(stats, stats.contains("approximate (sign sketches), " + (wideVectors() ? "SIMD kernel" : "scalar kernel")));
        // file arguments are relative to the shell's current directory (cd), not to the server's
        Path dir = Files.createTempDirectory("faces");
        Path list = dir.resolve("faces.txt");
        Files.copy(people.get(residents.get(0)).get(0), dir.resolve("resident.jpg"));
        Files.write(list, List.of("resident.jpg", "faces.txt"));
        String embed = shell(sessionFactory, "cd " + dir + "; gatehouse:face-embed faces.txt faces.tsv");
        assertTrue(embed, embed.contains("2 images, 1 embedded, 1 without a usable face"));
        try {
            shell(sessionFactory, "cd " + dir + "; gatehouse:face-identify nobody.jpg " + community.code());
            throw new AssertionError("a missing image file was accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("No such image: " + dir.resolve("nobody.jpg")));
        }
        // a search from the shell is audited like one through the API, under the console user's name
        int before = identifyAudits(audit, community).size();
        String identified = shell(sessionFactory, "cd " + dir + "; gatehouse:face-identify resident.jpg "
                + community.code());
        assertTrue(identified, identified.contains("Identified: "));
        List<AuditLog.AuditEntry> shellAudits = identifyAudits(audit, community);
        assertEquals(shellAudits.toString(), before + 1, shellAudits.size());
        AuditLog.AuditEntry fromShell = shellAudits.stream().filter(e -> e.actor().startsWith("shell:")).findFirst()
                .orElseThrow(() -> new AssertionError("no shell identify audited: " + shellAudits));
        assertEquals(residents.get(0), fromShell.subjectId());
        assertTrue(fromShell.detail(), fromShell.detail().startsWith("ACCEPT, score "));
        List<String> lines = Files.readAllLines(dir.resolve("faces.tsv"));
        assertEquals(512, lines.get(0).split("\t")[1].split(",").length);
        assertTrue(lines.get(1).endsWith("\t"));
    }

    private static List<AuditLog.AuditEntry> identifyAudits(AuditLog audit, Community community) {
        return audit.entries(Scope.all(), community.id(), null, null, 1000).stream()
                .filter(e -> e.action().startsWith("face.identify")).toList();
    }

    /** The JVM's Vector API kernel needs 256-bit integer vectors (AVX2) on x86. */
    private static boolean wideVectors() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains(" avx2");
        } catch (IOException e) {
            return false;
        }
    }

    private static int heldBackIndex(List<Path> photos, int heldBack) {
        return photos.size() - heldBack;
    }

    static Map<String, List<Path>> photos(Path root, boolean full) throws IOException {
        Map<String, List<Path>> people = new TreeMap<>();
        if (full) {
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    try (Stream<Path> files = Files.list(dir)) {
                        people.put(dir.getFileName().toString(), files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList());
                    }
                }
            }
        } else {
            try (Stream<Path> files = Files.list(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList()) {
                    String name = f.getFileName().toString().replaceAll("_\\d+\\.jpg$", "");
                    people.computeIfAbsent(name, k -> new ArrayList<>()).add(f);
                }
            }
        }
        return people;
    }
}
