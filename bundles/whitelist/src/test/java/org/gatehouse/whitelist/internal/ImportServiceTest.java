package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.ImportJob;
import org.gatehouse.api.model.ImportRow;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.Scope;
import org.gatehouse.whitelist.internal.imports.DurableImports;
import org.gatehouse.whitelist.internal.imports.ImportService;
import org.gatehouse.whitelist.internal.imports.ImportService.Report;
import org.gatehouse.whitelist.internal.imports.ImportService.RowResult;
import org.gatehouse.whitelist.internal.imports.SafeZip;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.gatehouse.core.api.Refusal;

class ImportServiceTest {
    static final String HEADER = "building,flat,household,name,role,phone,validFrom,validUntil,photo,faceConsent\n";
    final World w = new World();
    DurableImports imports;

    @TempDir
    Path dir;
    /** This node's import folder (photo zips, node-id): kept across the import services of a test. */
    Path importDir;

    @BeforeEach
    void open() throws IOException {
        importDir = dir.resolve("imports");
        imports = service(SafeZip.Limits.of(Fakes.config()));
    }

    DurableImports service(SafeZip.Limits limits) throws IOException {
        return service(limits, importDir);
    }

    DurableImports service(SafeZip.Limits limits, Path folder) throws IOException {
        DurableImports service = new DurableImports(w.register, w.enrolment, w.communities, w.jobs, w.dates, limits,
                1024 * 1024, 10, "import-v1", folder, Duration.ofMinutes(10), w.trails);
        return service;
    }

    @AfterEach
    void close() {
        imports.close();
    }

    Report await(String id) throws InterruptedException {
        return await(imports, id);
    }

    Report await(DurableImports service, String id) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            Report r = service.report(w.office, id, Locale.ENGLISH).orElseThrow();
            if (r.stopped()) {
                if (r.finished()) {
                    ended(id);
                }
                return r;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("import did not stop");
    }

    /**
     * Waits (a little) for the run of a job that shows FINISHED or FAILED to be over: it stores the end first, then
     * deletes the job's zip and audits {@code import.finish} — a test that looks at those right after the status
     * would otherwise race the run.
     */
    void ended(String id) throws InterruptedException {
        for (int i = 0; i < 200 && w.audit.entries.stream()
                .noneMatch(e -> e.action().equals("import.finish") && id.equals(e.subjectId())); i++) {
            Thread.sleep(10);
        }
    }

    /** Files of the import folder other than node-id. */
    List<String> importFiles() throws IOException {
        try (var files = Files.list(importDir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("node-id")).sorted().toList();
        }
    }

    /** A CSV of {@code n} tenants of flat 101 named 住户0…; those with i in {@code withFace} have a photo. */
    static String tenants(int n, Set<Integer> withFace) {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < n; i++) {
            csv.append("1,101,王家,住户").append(i).append(",TENANT,,,,")
                    .append(withFace.contains(i) ? "face.jpg,yes" : ",").append('\n');
        }
        return csv.toString();
    }

    /** How many (present) residents carry each name. */
    Map<String, Long> residentsByName() {
        return w.households.residents.values().stream().collect(Collectors.groupingBy(Resident::name,
                Collectors.counting()));
    }

    long faces(String residentId) {
        return w.credentials.credentials(Scope.all(), residentId).stream()
                .filter(c -> c.kind() == CredentialKind.FACE && c.isActive()).count();
    }

    Path zip(Map<String, byte[]> entries) throws IOException {
        Path p = Files.createTempFile(dir, "photos", ".zip");
        try (OutputStream out = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return p;
    }

    static RowResult row(Report r, int n) {
        return r.rows().stream().filter(x -> x.row() == n).findFirst().orElseThrow();
    }

    @Test
    void badRowsAreReportedAndTheOthersImported() throws Exception {
        String csv = HEADER
                + "1,101,王家,王芳,TENANT,13800000001,2026-01-01,2027-12-31,,\n"          // row 2 ok
                + "1,999,李家,李明,承租人,,,,,\n"                                            // row 3 unknown flat
                + "1,102,张家,张伟,CO_RESIDENT,,2026-05-01,2026-04-01,,\n"                 // row 4 lease end first
                + "1,102,张家,张丽,同住人,,,,wang.jpg,yes\n"                                 // row 5 ok with face
                + "\n"
                + "9,101,王家,王五,OWNER,,,,,\n"                                             // row 7 unknown building
                + "1,102,张家,张三,LANDLORD,,,,,\n";                                          // row 8 bad role
        Path photos = zip(Map.of("photos/wang.jpg", "a face".getBytes()));
        String id = imports.submit(w.office, "SUNSHINE", csv.getBytes(StandardCharsets.UTF_8), photos, photos);
        Report r = await(id);
        assertEquals(ImportService.Status.FINISHED, r.status());
        assertEquals(6, r.total());
        assertEquals(2, r.done());
        assertEquals(4, r.failed());
        assertEquals(100, r.percent());
        assertTrue(row(r, 2).ok());
        assertEquals("UNKNOWN_FLAT", row(r, 3).code());
        assertTrue(row(r, 3).message().contains("999"), row(r, 3).message());
        assertEquals("BAD_REQUEST", row(r, 4).code());
        assertTrue(row(r, 4).message().startsWith("validUntil"), row(r, 4).message());
        assertTrue(row(r, 5).ok(), row(r, 5).toString());
        assertEquals("UNKNOWN_BUILDING", row(r, 7).code());
        assertEquals("BAD_ROLE", row(r, 8).code());
        assertFalse(Files.exists(photos), "the uploaded zip is deleted once the job has its own copy");
        assertEquals(List.of(), importFiles(), "the job's copy of the zip is deleted when it ends");

        List<Resident> imported = w.households.residents.values().stream().toList();
        assertEquals(2, imported.size());
        for (Resident res : imported) {
            assertEquals(1, w.credentials.credentials(Scope.all(), res.id()).stream()
                    .filter(c -> c.kind() == CredentialKind.APP_TOKEN && c.isActive()).count(), "app token for all");
        }
        String zhang = row(r, 5).residentId();
        Consent consent = w.consents.inForce(Scope.all(), zhang, Consent.PURPOSE_FACE_ACCESS).orElseThrow();
        assertEquals("import", consent.channel());
        assertEquals(1, w.credentials.credentials(Scope.all(), zhang).stream()
                .filter(c -> c.kind() == CredentialKind.FACE).count());
        assertEquals(2, w.households.households.size(), "王家 reused, 张家 created once");
        assertTrue(w.audit.actions().containsAll(List.of("import.start", "import.finish", "face.enroll")));

        // the same report in Chinese
        Report zh = imports.report(w.office, id, Locale.SIMPLIFIED_CHINESE).orElseThrow();
        assertTrue(row(zh, 3).message().contains("房屋"), row(zh, 3).message());
        // another community's office does not see it
        assertTrue(imports.report(new org.gatehouse.core.api.Caller("x", java.util.Set.of("community-office"),
                Scope.of("other")), id, Locale.ENGLISH).isEmpty());
    }

    @Test
    void aFaceThatFailsRollsTheWholeRowBack() throws Exception {
        String csv = HEADER + "1,101,王家,王芳,TENANT,,,,nobody.jpg,yes\n";
        Path photos = zip(Map.of("nobody.jpg", "no face".getBytes()));
        Report r = await(imports.submit(w.office, w.sunshine.id(), csv.getBytes(StandardCharsets.UTF_8), photos, null));
        assertEquals("NO_FACE", row(r, 2).code());
        assertTrue(w.households.residents.isEmpty(), "no resident left half-imported");
        assertEquals(100, r.percent());
    }

    @Test
    void aZipWithAPathTraversalEntryIsRefused() throws Exception {
        Path photos = zip(Map.of("ok.jpg", "x".getBytes(), "../../etc/evil.jpg", "x".getBytes()));
        Refusal e = assertThrows(Refusal.class, () -> imports.submit(w.office, "SUNSHINE",
                (HEADER + "1,101,王家,王芳,TENANT,,,,ok.jpg,yes\n").getBytes(StandardCharsets.UTF_8), photos, photos));
        assertEquals("ZIP_PATH_TRAVERSAL", e.code());
        assertTrue(e.getMessage().contains("../../etc/evil.jpg"), e.getMessage());
        assertFalse(Files.exists(photos), "the refused upload is deleted");
        Path absolute = zip(Map.of("/etc/passwd", "x".getBytes()));
        assertEquals("ZIP_PATH_TRAVERSAL", assertThrows(Refusal.class, () -> imports.submit(w.office, "SUNSHINE",
                HEADER.getBytes(StandardCharsets.UTF_8), absolute, null)).code());
        assertTrue(w.households.residents.isEmpty());
        assertEquals(List.of(), w.jobs.jobs(Scope.all(), w.sunshine.id(), 10), "a refused import stores no job");
        assertEquals(List.of(), importFiles(), "and keeps no file");
    }

    @Test
    void anOversizedEntryFailsItsRowOnly() throws Exception {
        imports.close();
        imports = service(new SafeZip.Limits(200L * 1024 * 1024, 1000, 1024L * 1024 * 1024, 20_000));
        Path photos = zip(Map.of("big.jpg", new byte[5000], "small.jpg", "a face".getBytes()));
        String csv = HEADER + "1,101,王家,王芳,TENANT,,,,big.jpg,yes\n" + "1,101,王家,王强,TENANT,,,,small.jpg,yes\n";
        Report r = await(imports.submit(w.office, "SUNSHINE", csv.getBytes(StandardCharsets.UTF_8), photos, null));
        assertEquals("ZIP_ENTRY_TOO_LARGE", row(r, 2).code());
        assertTrue(row(r, 2).message().contains("big.jpg"), row(r, 2).message());
        assertTrue(row(r, 3).ok());
        assertEquals(1, w.households.residents.size());
    }

    @Test
    void tooManyEntriesOrTooLargeAZipAreRefused() throws Exception {
        imports.close();
        imports = service(new SafeZip.Limits(200L * 1024 * 1024, 1000, 1024L * 1024 * 1024, 2));
        Path photos = zip(Map.of("a.jpg", new byte[1], "b.jpg", new byte[1], "c.jpg", new byte[1]));
        assertEquals("ZIP_TOO_MANY_ENTRIES", assertThrows(Refusal.class, () -> imports.submit(w.office, "SUNSHINE",
                HEADER.getBytes(StandardCharsets.UTF_8), photos, null)).code());
        imports.close();
        imports = service(new SafeZip.Limits(100, 1000, 1024L * 1024 * 1024, 20));
        assertEquals("ZIP_TOO_LARGE", assertThrows(Refusal.class, () -> imports.submit(w.office, "SUNSHINE",
                HEADER.getBytes(StandardCharsets.UTF_8), photos, null)).code());
        imports.close();
        imports = service(new SafeZip.Limits(200L * 1024 * 1024, 1000, 2, 20));
        assertEquals("ZIP_TOO_LARGE_UNCOMPRESSED", assertThrows(Refusal.class, () -> imports.submit(w.office,
                "SUNSHINE", HEADER.getBytes(StandardCharsets.UTF_8), photos, null)).code());
        Path notAZip = Files.writeString(dir.resolve("x.zip"), "not a zip");
        assertEquals("ZIP_UNREADABLE", assertThrows(Refusal.class, () -> imports.submit(w.office, "SUNSHINE",
                HEADER.getBytes(StandardCharsets.UTF_8), notAZip, null)).code());
    }

    @Test
    void aCsvWithoutTheHeaderIsRefusedAtOnce() throws Exception {
        Path photos = zip(Map.of("a.jpg", "a face".getBytes()));
        Refusal e = assertThrows(Refusal.class, () -> imports.submit(w.office, "SUNSHINE",
                "name,role\n王芳,TENANT\n".getBytes(StandardCharsets.UTF_8), photos, photos));
        assertEquals("CSV_HEADER", e.code());
        assertTrue(e.message(Locale.SIMPLIFIED_CHINESE).contains("缺少列"));
        assertEquals(List.of(), w.jobs.jobs(Scope.all(), w.sunshine.id(), 10), "nothing stored");
        assertEquals(List.of(), importFiles());
        assertFalse(Files.exists(photos));
        String huge = HEADER + "1,101,王家," + "长".repeat(6000) + ",TENANT,,,,,\n";
        assertEquals("CSV_ROW_TOO_LONG", assertThrows(Refusal.class, () -> imports.submit(w.office, "SUNSHINE",
                huge.getBytes(StandardCharsets.UTF_8), null, null)).code());
        assertEquals(List.of(), w.jobs.jobs(Scope.all(), w.sunshine.id(), 10));
    }

    @Test
    void importsOfOneCommunityRunOneAfterTheOther() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 30; i++) {
            csv.append("1,101,王家,住户").append(i).append(",TENANT,,,,,\n");
        }
        String a = imports.submit(w.office, "SUNSHINE", csv.toString().getBytes(StandardCharsets.UTF_8), null, null);
        String b = imports.submit(w.office, "SUNSHINE", csv.toString().getBytes(StandardCharsets.UTF_8), null, null);
        Report rb = await(b);
        Report ra = imports.report(w.office, a, Locale.ENGLISH).orElseThrow();
        assertTrue(ra.finished(), "the first finished before the second ended");
        assertFalse(ra.finishedAt().isAfter(rb.finishedAt()));
        assertEquals(60, w.households.residents.size());
        assertNull(rb.error());
    }

    // ---- a second photo per row (photo2) -------------------------------------------------------------------------

    static final String HEADER2 = "building,flat,household,name,role,phone,validFrom,validUntil,photo,photo2,faceConsent\n";

    @Test
    void aRowWithPhoto2EnrollsBothPhotos() throws Exception {
        String csv = HEADER2
                + "1,101,王家,王芳,TENANT,,,,wang1.jpg,wang2.jpg,yes\n"    // row 2: two photos
                + "1,101,王家,王强,TENANT,,,,qiang.jpg,,yes\n"             // row 3: one photo, as before
                + "1,101,王家,王五,TENANT,,,,wang1.jpg,wang2.jpg,no\n";    // row 4: no consent, no face
        Path photos = zip(Map.of("wang1.jpg", "a face".getBytes(), "wang2.jpg", "another day".getBytes(),
                "qiang.jpg", "a face".getBytes()));
        Report r = await(imports.submit(w.office, "SUNSHINE", csv.getBytes(StandardCharsets.UTF_8), photos, null));
        assertEquals(List.of(ImportService.Status.FINISHED, 3, 0), List.of(r.status(), r.done(), r.failed()));
        assertEquals(2, faces(row(r, 2).residentId()), "each photo a template of its own");
        assertEquals(2, w.faces.templates.get(w.sunshine.id() + "/" + row(r, 2).residentId()).size());
        assertEquals(1, faces(row(r, 3).residentId()));
        assertEquals(0, faces(row(r, 4).residentId()));
        for (int n = 2; n <= 4; n++) {
            assertNull(row(r, n).warningCode(), row(r, n).toString());
            assertNull(row(r, n).warning());
        }
        assertEquals(2, w.audit.entries.stream().filter(e -> e.action().equals("face.enroll")
                && e.subjectId().equals(row(r, 2).residentId())).count());
    }

    @Test
    void aRefusedSecondPhotoLeavesTheRowImportedWithAWarning() throws Exception {
        String csv = HEADER2
                + "1,101,王家,王芳,TENANT,,,,wang1.jpg,blurred.jpg,yes\n"  // row 2: photo2 has no face
                + "1,101,王家,王强,TENANT,,,,qiang.jpg,missing.jpg,yes\n"  // row 3: photo2 not in the zip
                + "1,101,王家,王五,TENANT,,,,wang1.jpg,wang1.jpg,yes\n";   // row 4: the same file twice
        Path photos = zip(Map.of("wang1.jpg", "a face".getBytes(), "blurred.jpg", "no face".getBytes(),
                "qiang.jpg", "a face".getBytes()));
        String id = imports.submit(w.office, "SUNSHINE", csv.getBytes(StandardCharsets.UTF_8), photos, null);
        Report r = await(id);
        assertEquals(List.of(ImportService.Status.FINISHED, 3, 0), List.of(r.status(), r.done(), r.failed()));
        assertTrue(row(r, 2).ok());
        assertEquals("OK", row(r, 2).code());
        assertEquals(1, faces(row(r, 2).residentId()), "the first photo is enrolled");
        assertEquals("NO_FACE", row(r, 2).warningCode());
        assertTrue(row(r, 2).warning().contains("blurred.jpg"), row(r, 2).warning());
        assertTrue(row(r, 2).warning().contains("/api/residents/" + row(r, 2).residentId() + "/face"),
                row(r, 2).warning());
        assertEquals("PHOTO_NOT_FOUND", row(r, 3).warningCode());
        assertEquals(1, faces(row(r, 3).residentId()));
        assertEquals("PHOTO2_SAME", row(r, 4).warningCode());
        assertEquals(1, faces(row(r, 4).residentId()), "the same photo is not enrolled twice");
        Report zh = imports.report(w.office, id, Locale.SIMPLIFIED_CHINESE).orElseThrow();
        assertTrue(row(zh, 2).warning().contains("第二张照片"), row(zh, 2).warning());
        assertTrue(imports.progress(w.office, id, Locale.ENGLISH).orElseThrow().rows().isEmpty());
    }

    @Test
    void aRowsWarningIsStoredWithItsOutcomeAndShownAfterARestart() throws Exception {
        String csv = HEADER2
                + "1,101,王家,王芳,TENANT,,,,wang1.jpg,blurred.jpg,yes\n"  // row 2: photo2 has no face
                + "1,101,王家,王强,TENANT,,,,qiang.jpg,qiang2.jpg,yes\n";  // row 3: both photos enrolled
        Path photos = zip(Map.of("wang1.jpg", "a face".getBytes(), "blurred.jpg", "no face".getBytes(),
                "qiang.jpg", "a face".getBytes(), "qiang2.jpg", "another day".getBytes()));
        String id = imports.submit(w.office, "SUNSHINE", csv.getBytes(StandardCharsets.UTF_8), photos, null);
        Report before = await(id);
        assertEquals("NO_FACE", row(before, 2).warningCode());
        // the warning is in the store, with the row's outcome
        org.gatehouse.api.model.ImportRow stored = w.jobs.rows(Scope.all(), id, Set.of(), -1, 10).get(0);
        assertEquals(List.of(org.gatehouse.api.model.ImportRow.Status.DONE, "OK", "NO_FACE"),
                List.of(stored.status(), stored.code(), stored.warningCode()));
        assertTrue(stored.warningEn().contains("blurred.jpg"), stored.warningEn());
        assertTrue(stored.warningZh().contains("第二张照片"), stored.warningZh());

        // a restart: a new service over the same store knows nothing but what the store kept
        imports.close();
        imports = service(SafeZip.Limits.of(Fakes.config()));
        Report after = imports.report(w.office, id, Locale.ENGLISH).orElseThrow();
        assertEquals(row(before, 2), row(after, 2), "the same row result, warning included");
        assertEquals(row(before, 3), row(after, 3));
        assertNull(row(after, 3).warningCode());
        Report zh = imports.report(w.office, id, Locale.SIMPLIFIED_CHINESE).orElseThrow();
        assertEquals("NO_FACE", row(zh, 2).warningCode());
        assertTrue(row(zh, 2).warning().contains("第二张照片"), row(zh, 2).warning());
        // another node over the same store shows it too
        DurableImports other = service(SafeZip.Limits.of(Fakes.config()), dir.resolve("other-node"));
        try {
            assertEquals(row(before, 2), row(other.report(w.office, id, Locale.ENGLISH).orElseThrow(), 2));
        } finally {
            other.close();
        }

        // GET /api/imports/{id} after the restart
        var routes = TwoPhotosTest.routes(new org.gatehouse.whitelist.internal.rest.ImportResource(imports));
        com.fasterxml.jackson.databind.JsonNode answer = TwoPhotosTest.json(routes.get("GET /imports/{id}")
                .handle(get(Map.of("id", id), Locale.ENGLISH)));
        com.fasterxml.jackson.databind.JsonNode rest = null;
        for (com.fasterxml.jackson.databind.JsonNode r : answer.get("rows")) {
            if (r.get("row").asInt() == 2) {
                rest = r;
            }
        }
        assertEquals("NO_FACE", rest.get("warningCode").asText(), answer.toString());
        assertTrue(rest.get("warning").asText().contains("blurred.jpg"), rest.toString());
        assertTrue(rest.get("ok").asBoolean());
    }

    /** A GET of the office with these path values, in {@code locale}. */
    org.gatehouse.core.api.RestRequest get(Map<String, String> path, Locale locale) {
        return new org.gatehouse.core.api.RestRequest() {
            @Override
            public org.gatehouse.core.api.Caller caller() {
                return w.office;
            }

            @Override
            public String path(String name) {
                return path.get(name);
            }

            @Override
            public java.util.Optional<String> query(String name) {
                return java.util.Optional.empty();
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
            public java.util.Optional<java.io.InputStream> part(String name) {
                return java.util.Optional.empty();
            }
        };
    }

    @Test
    void aRefusedFirstPhotoFailsTheRowEvenWithAGoodSecondOne() throws Exception {
        String csv = HEADER2
                + "1,101,王家,王芳,TENANT,,,,blurred.jpg,wang2.jpg,yes\n"  // row 2: photo refused, photo2 fine
                + "1,101,王家,王强,TENANT,,,,,wang2.jpg,yes\n";            // row 3: photo2 without photo
        Path photos = zip(Map.of("blurred.jpg", "no face".getBytes(), "wang2.jpg", "a face".getBytes()));
        Report r = await(imports.submit(w.office, "SUNSHINE", csv.getBytes(StandardCharsets.UTF_8), photos, null));
        assertEquals(List.of(0, 2), List.of(r.done(), r.failed()));
        assertEquals("NO_FACE", row(r, 2).code(), "the second photo does not stand in for the first");
        assertEquals("BAD_REQUEST", row(r, 3).code());
        assertTrue(row(r, 3).message().contains("photo2"), row(r, 3).message());
        assertTrue(w.households.residents.isEmpty(), "no resident left half-imported");
        assertTrue(w.faces.templates.values().stream().allMatch(List::isEmpty), w.faces.templates.toString());
    }

    @Test
    void aCrashAfterBothPhotosResumesWithoutEnrollingEitherAgain() throws Exception {
        Path photos = zip(Map.of("a.jpg", "a face".getBytes(), "b.jpg", "another day".getBytes()));
        String csv = HEADER2 + "1,101,王家,住户0,TENANT,,,,a.jpg,b.jpg,yes\n" + "1,101,王家,住户1,TENANT,,,,a.jpg,b.jpg,yes\n";
        // row 2: resident stored (1st row write), both photos enrolled, the node dies before the row is marked done
        w.jobs.crashAfterRowWrites(1);
        String id = imports.submit(w.office, "SUNSHINE", csv.getBytes(StandardCharsets.UTF_8), photos, null);
        for (int i = 0; i < 400 && !w.jobs.down; i++) {
            Thread.sleep(10);
        }
        imports.close();
        w.jobs.heal();
        imports = service(SafeZip.Limits.of(Fakes.config()));
        String first = w.households.residents.values().iterator().next().id();
        assertEquals(2, faces(first), "both photos were enrolled before the crash");

        imports.resume(w.office, id);
        Report done = await(id);
        assertEquals(List.of(ImportService.Status.FINISHED, 2, 0), List.of(done.status(), done.done(), done.failed()));
        assertEquals(first, row(done, 2).residentId());
        assertEquals(2, faces(first), "neither photo enrolled again");
        assertEquals(2, faces(row(done, 3).residentId()));
        assertEquals(4, w.faces.templates.values().stream().mapToInt(List::size).sum());
    }

    @Test
    void aCrashBetweenTheTwoPhotosResumesWithTheSecondOnly() throws Exception {
        Path photos = zip(Map.of("a.jpg", "a face".getBytes(), "b.jpg", "another day".getBytes()));
        java.util.concurrent.atomic.AtomicInteger computed = new java.util.concurrent.atomic.AtomicInteger();
        // the database goes away while the engine computes the second photo's template (after the first was stored)
        w.faces.whileComputing = () -> {
            if (computed.incrementAndGet() == 2) {
                w.jobs.down = true;
                throw new org.gatehouse.api.service.StoreUnavailableException("database unavailable (test)", null);
            }
        };
        String id = imports.submit(w.office, "SUNSHINE", (HEADER2 + "1,101,王家,住户0,TENANT,,,,a.jpg,b.jpg,yes\n")
                .getBytes(StandardCharsets.UTF_8), photos, null);
        for (int i = 0; i < 400 && !w.audit.actions().contains("import.interrupted"); i++) {
            Thread.sleep(10); // until the run gave up
        }
        imports.close();
        w.jobs.heal();
        w.faces.whileComputing = () -> { };
        imports = service(SafeZip.Limits.of(Fakes.config()));
        String resident = w.households.residents.values().iterator().next().id();
        assertEquals(1, faces(resident), "the first photo was enrolled before the crash");
        assertEquals(ImportService.Status.INTERRUPTED, imports.report(w.office, id, Locale.ENGLISH).orElseThrow()
                .status());

        imports.resume(w.office, id);
        Report done = await(id);
        assertEquals(List.of(ImportService.Status.FINISHED, 1, 0), List.of(done.status(), done.done(), done.failed()));
        assertEquals(resident, row(done, 2).residentId());
        assertEquals(2, faces(resident), "the second photo enrolled, the first not again");
        assertEquals(2, w.faces.templates.get(w.sunshine.id() + "/" + resident).size());
        assertNull(row(done, 2).warningCode());
    }

    // ---- crashes, restarts, resumes ----------------------------------------------------------------------------

    @Test
    void aCrashMidImportLeavesTheJobInterruptedAndAResumeFinishesItWithOneResidentPerRow() throws Exception {
        String csv = HEADER
                + "1,101,王家,住户0,TENANT,,,,face.jpg,yes\n"      // row 2
                + "1,101,王家,住户1,TENANT,,,,,\n"                  // row 3
                + "9,101,王家,住户2,TENANT,,,,,\n"                  // row 4: unknown building
                + "1,102,张家,住户3,TENANT,,,,face.jpg,yes\n"       // row 5
                + "1,102,张家,住户4,TENANT,,,,,\n"                  // row 6
                + "1,101,王家,住户5,TENANT,,,,face.jpg,yes\n"       // row 7
                + "1,101,王家,住户6,TENANT,,,,,\n"                  // row 8
                + "1,102,张家,住户7,TENANT,,,,,\n";                 // row 9
        Path photos = zip(Map.of("face.jpg", "a face".getBytes()));
        // the node dies at its 6th row write: row 2 (resident, then face), 3, 4 (failed), 5 (resident) are committed
        w.jobs.crashAfterRowWrites(5);
        String id = imports.submit(w.office, "SUNSHINE", csv.getBytes(StandardCharsets.UTF_8), photos, photos);
        for (int i = 0; i < 400 && !w.jobs.down; i++) {
            Thread.sleep(10);
        }
        assertTrue(w.jobs.down, "the store went away mid-import");
        imports.close();
        w.jobs.heal();
        assertEquals(ImportJob.Status.RUNNING, jobStatus(id), "nothing could say it stopped: it is still RUNNING");
        assertEquals(List.of(id + ".zip"), importFiles(), "the photos stay for the resume");

        // the node starts again over the same store and import folder
        imports = service(SafeZip.Limits.of(Fakes.config()));
        assertEquals(ImportJob.Status.INTERRUPTED, jobStatus(id), "marked INTERRUPTED when the node started");
        Report r = imports.report(w.office, id, Locale.ENGLISH).orElseThrow();
        assertEquals(List.of(ImportService.Status.INTERRUPTED, 8, 2, 1, 37, true), List.of(r.status(), r.total(),
                r.done(), r.failed(), r.percent(), r.resumable()));
        assertTrue(r.error().contains("/api/imports/" + id + "/resume"), r.error());
        assertTrue(imports.report(w.office, id, Locale.SIMPLIFIED_CHINESE).orElseThrow().error().contains("已中断"));
        assertEquals("UNKNOWN_BUILDING", row(r, 4).code());
        assertTrue(row(r, 2).ok());
        // row 5's resident is stored with its row (FACE_PENDING): its face was being enrolled
        assertEquals(Map.of("住户0", 1L, "住户1", 1L, "住户3", 1L), residentsByName());
        assertEquals(ImportService.Status.INTERRUPTED, imports.list(w.office, "SUNSHINE", Locale.ENGLISH, 10).get(0)
                .status());

        // resumed: goes on after the last committed row, never imports a row twice
        assertEquals(id, imports.resume(w.office, id));
        Report done = await(id);
        assertEquals(List.of(ImportService.Status.FINISHED, 7, 1, 100, 2), List.of(done.status(), done.done(),
                done.failed(), done.percent(), done.attempt()));
        Map<String, Long> expected = new java.util.TreeMap<>();
        for (String name : List.of("住户0", "住户1", "住户3", "住户4", "住户5", "住户6", "住户7")) {
            expected.put(name, 1L);
        }
        assertEquals(expected, new java.util.TreeMap<>(residentsByName()), "exactly one resident per good CSV row");
        for (RowResult row : done.rows()) {
            if (row.ok()) {
                String name = w.households.residents.get(row.residentId()).name();
                assertEquals(Set.of(2, 5, 7).contains(row.row()) ? 1 : 0, faces(row.residentId()), name);
            }
        }
        assertEquals(8, done.rows().size());
        assertEquals(List.of(), importFiles(), "the photos are deleted once the job ended");
        assertTrue(w.audit.actions().containsAll(List.of("import.start", "import.interrupted", "import.resume",
                "import.finish")), w.audit.actions().toString());

        // a second resume is refused and changes nothing
        Refusal again = assertThrows(Refusal.class, () -> imports.resume(w.office, id));
        assertEquals(List.of(409, "IMPORT_NOT_RESUMABLE"), List.of(again.status(), again.code()));
        assertTrue(again.message(Locale.SIMPLIFIED_CHINESE).contains("无法继续"));
        assertEquals(7, w.households.residents.size());
        assertTrue(w.jobs.rows(Scope.all(), id, Set.of(), -1, 100).stream().allMatch(x -> x.fields() == null),
                "the CSV's personal data is not kept after the end");
    }

    /**
     * An import of two tenants whose node dies after row 2's resident is stored (1st row write) and its face enrolled,
     * before the row is marked done; the service is started again on the same store. Returns the job.
     */
    private String crashedAfterTheFirstRowsResidentAndFace() throws Exception {
        Path photos = zip(Map.of("face.jpg", "a face".getBytes()));
        w.jobs.crashAfterRowWrites(1);
        String id = imports.submit(w.office, "SUNSHINE", tenants(2, Set.of(0, 1)).getBytes(StandardCharsets.UTF_8),
                photos, null);
        for (int i = 0; i < 400 && !w.jobs.down; i++) {
            Thread.sleep(10);
        }
        imports.close();
        w.jobs.heal();
        imports = service(SafeZip.Limits.of(Fakes.config()));
        return id;
    }

    @Test
    void aCrashBetweenAResidentAndItsFaceNeverCreatesEitherTwice() throws Exception {
        String id = crashedAfterTheFirstRowsResidentAndFace();
        Report r = imports.report(w.office, id, Locale.ENGLISH).orElseThrow();
        assertEquals(List.of(ImportService.Status.INTERRUPTED, 0, 0), List.of(r.status(), r.done(), r.failed()));
        String first = w.households.residents.values().iterator().next().id();
        assertEquals(1, faces(first), "the face was enrolled before the crash");
        int enrolled = w.faces.templates.values().stream().mapToInt(List::size).sum();

        imports.resume(w.office, id);
        Report done = await(id);
        assertEquals(List.of(ImportService.Status.FINISHED, 2, 0), List.of(done.status(), done.done(), done.failed()));
        assertEquals(Map.of("住户0", 1L, "住户1", 1L), residentsByName());
        assertEquals(first, row(done, 2).residentId(), "the row's resident is the one stored before the crash");
        assertEquals(1, faces(first), "its face is not enrolled again");
        assertEquals(enrolled + 1, w.faces.templates.values().stream().mapToInt(List::size).sum(), "one more: row 3");
    }

    @Test
    void aRowWhoseResidentWasErasedBeforeTheResumeIsSkippedAndNeverImportedAgain() throws Exception {
        String id = crashedAfterTheFirstRowsResidentAndFace();
        String erased = w.households.residents.values().iterator().next().id();
        // the person is erased while the import waits for its resume: removed, and the store clears the CSV row
        w.households.removeResident(Scope.all(), erased);
        w.jobs.eraseFieldsOf(erased);
        assertNull(w.jobs.rows(Scope.all(), id, Set.of(ImportRow.Status.FACE_PENDING), -1, 10).get(0).fields());
        int enrolled = w.faces.templates.values().stream().mapToInt(List::size).sum();

        imports.resume(w.office, id);
        Report done = await(id);
        assertEquals(List.of(ImportService.Status.FINISHED, 1, 1), List.of(done.status(), done.done(), done.failed()));
        RowResult skipped = row(done, 2);
        assertEquals(List.of(false, "RESIDENT_ERASED"), List.of(skipped.ok(), skipped.code()));
        assertTrue(skipped.message().contains("was erased at their request"), skipped.message());
        assertTrue(row(imports.report(w.office, id, Locale.SIMPLIFIED_CHINESE).orElseThrow(), 2).message()
                .contains("依其申请删除"));
        assertEquals(Map.of("住户1", 1L), residentsByName(), "the erased person is not imported again");
        assertEquals(0, faces(erased), "nor given a face again");
        assertEquals(enrolled + 1, w.faces.templates.values().stream().mapToInt(List::size).sum(), "row 3's only");
    }

    @Test
    void stoppingTheServiceMidJobInterruptsItAndAResumeFinishesIt() throws Exception {
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        DurableImports running = imports;
        w.jobs.beforeRowWrite = () -> {
            if (writes.incrementAndGet() == 5) {
                running.stop(); // the service is stopped (feature uninstalled, node shutting down) at row 6
            }
        };
        String id = running.submit(w.office, "SUNSHINE", tenants(20, Set.of()).getBytes(StandardCharsets.UTF_8),
                null, null);
        Report stopped = await(id);
        running.close();
        w.jobs.beforeRowWrite = () -> { };
        assertEquals(ImportService.Status.INTERRUPTED, stopped.status());
        assertEquals(ImportJob.Status.INTERRUPTED, jobStatus(id), "a stopping service says so in the store");
        assertEquals(5, stopped.done(), "the row being written when it was asked to stop is committed");
        assertEquals(5, w.households.residents.size());
        Refusal later = assertThrows(Refusal.class, () -> running.resume(w.office, id));
        assertEquals(List.of(503, "SERVICE_STOPPING"), List.of(later.status(), later.code()), "try again, not a no");
        assertEquals(ImportJob.Status.INTERRUPTED, jobStatus(id));

        imports = service(SafeZip.Limits.of(Fakes.config()));
        assertEquals(5, imports.report(w.office, id, Locale.ENGLISH).orElseThrow().done());
        imports.resume(w.office, id);
        Report done = await(id);
        assertEquals(List.of(ImportService.Status.FINISHED, 20, 0, 100), List.of(done.status(), done.done(),
                done.failed(), done.percent()));
        assertEquals(20, residentsByName().size());
        assertTrue(residentsByName().values().stream().allMatch(n -> n == 1), residentsByName().toString());
    }

    @Test
    void twoResumesAtOnceOneWinsAndNoRowIsImportedTwice() throws Exception {
        w.jobs.crashAfterRowWrites(3);
        String id = imports.submit(w.office, "SUNSHINE", tenants(30, Set.of()).getBytes(StandardCharsets.UTF_8),
                null, null);
        for (int i = 0; i < 400 && !w.jobs.down; i++) {
            Thread.sleep(10);
        }
        imports.close();
        w.jobs.heal();
        // two nodes over the same store: this one (restarted) and another
        imports = service(SafeZip.Limits.of(Fakes.config()));
        DurableImports other = service(SafeZip.Limits.of(Fakes.config()), dir.resolve("other-node"));
        try {
            assertNotEquals(imports.node(), other.node());
            assertEquals(ImportService.Status.INTERRUPTED, other.report(w.office, id, Locale.ENGLISH).orElseThrow()
                    .status(), "another node sees it interrupted too");
            java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            List<java.util.concurrent.Future<String>> resumes = new java.util.ArrayList<>();
            for (DurableImports node : List.of(imports, other)) {
                resumes.add(pool.submit(() -> {
                    barrier.await();
                    try {
                        node.resume(w.office, id);
                        return "resumed";
                    } catch (Refusal e) {
                        return e.code();
                    }
                }));
            }
            List<String> outcomes = new java.util.ArrayList<>();
            for (var f : resumes) {
                outcomes.add(f.get());
            }
            pool.shutdown();
            assertEquals(List.of("IMPORT_NOT_RESUMABLE", "resumed"), outcomes.stream().sorted().toList());
            DurableImports winner = outcomes.get(0).equals("resumed") ? imports : other;
            Report done = await(winner, id);
            assertEquals(List.of(ImportService.Status.FINISHED, 30, 0), List.of(done.status(), done.done(),
                    done.failed()));
            assertEquals(30, residentsByName().size());
            assertTrue(residentsByName().values().stream().allMatch(n -> n == 1), residentsByName().toString());
            assertEquals("IMPORT_NOT_RESUMABLE", assertThrows(Refusal.class, () -> other.resume(w.office, id)).code());
        } finally {
            other.close();
        }
    }

    @Test
    void aJobWhoseDatabaseWentAwayShowsInterruptedOnTheLiveNodeAndResumesThere() throws Exception {
        w.jobs.crashAfterRowWrites(2);
        String id = imports.submit(w.office, "SUNSHINE", tenants(5, Set.of()).getBytes(StandardCharsets.UTF_8),
                null, null);
        for (int i = 0; i < 400 && !w.audit.actions().contains("import.interrupted"); i++) {
            Thread.sleep(10); // until the run gave up
        }
        assertTrue(w.jobs.down);
        w.jobs.heal();
        assertEquals(ImportJob.Status.RUNNING, jobStatus(id));
        Report r = imports.report(w.office, id, Locale.ENGLISH).orElseThrow();
        assertEquals(List.of(ImportService.Status.INTERRUPTED, 2), List.of(r.status(), r.done()),
                "held by this node, run by nothing here: interrupted");
        imports.resume(w.office, id);
        assertEquals(5, await(id).done());
        assertEquals(5, residentsByName().size());
    }

    @Test
    void resumingNeedsTheJobsOwnPhotos() throws Exception {
        Path photos = zip(Map.of("face.jpg", "a face".getBytes()));
        w.jobs.crashAfterRowWrites(0);
        String id = imports.submit(w.office, "SUNSHINE", tenants(2, Set.of(0)).getBytes(StandardCharsets.UTF_8),
                photos, null);
        for (int i = 0; i < 400 && !w.jobs.down; i++) {
            Thread.sleep(10);
        }
        imports.close();
        w.jobs.heal();
        imports = service(SafeZip.Limits.of(Fakes.config()));
        Path copy = importDir.resolve(id + ".zip");
        byte[] original = Files.readAllBytes(copy);
        Files.write(copy, "damaged".getBytes());
        assertEquals("IMPORT_PHOTOS_CHANGED", assertThrows(Refusal.class, () -> imports.resume(w.office, id)).code());
        // another node does not have them
        DurableImports other = service(SafeZip.Limits.of(Fakes.config()), dir.resolve("other-node"));
        try {
            Refusal missing = assertThrows(Refusal.class, () -> other.resume(w.office, id));
            assertEquals("IMPORT_PHOTOS_MISSING", missing.code());
            assertTrue(missing.message(Locale.ENGLISH).contains(imports.node()), missing.message(Locale.ENGLISH));
        } finally {
            other.close();
        }
        Files.write(copy, original);
        imports.resume(w.office, id);
        assertEquals(List.of(ImportService.Status.FINISHED, 2), List.of(await(id).status(), await(id).done()));
        assertTrue(w.households.residents.size() == 2);
    }

    ImportJob.Status jobStatus(String id) {
        return w.jobs.job(Scope.all(), id).orElseThrow().status();
    }
}
