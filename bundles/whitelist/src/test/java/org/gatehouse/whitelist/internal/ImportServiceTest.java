package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.Scope;
import org.gatehouse.whitelist.internal.imports.ImportService;
import org.gatehouse.whitelist.internal.imports.ImportService.Report;
import org.gatehouse.whitelist.internal.imports.ImportService.RowResult;
import org.gatehouse.whitelist.internal.imports.SafeZip;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportServiceTest {
    static final String HEADER = "building,flat,household,name,role,phone,validFrom,validUntil,photo,faceConsent\n";
    final World w = new World();
    ImportService imports = service(SafeZip.Limits.defaults());

    @TempDir
    Path dir;

    ImportService service(SafeZip.Limits limits) {
        return new ImportService(w.whitelist, w.communities, limits, 1024 * 1024, 10, "import-v1");
    }

    @AfterEach
    void close() {
        imports.close();
    }

    Report await(String id) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Report r = imports.report(w.office, id, Locale.ENGLISH).orElseThrow();
            if (r.finished()) {
                return r;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("import did not finish");
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
        assertFalse(Files.exists(photos), "the uploaded zip is deleted after the job");

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
    void aCsvWithoutTheHeaderIsRefusedAtOnce() {
        Refusal e = assertThrows(Refusal.class, () -> imports.submit(w.office, "SUNSHINE",
                "name,role\n王芳,TENANT\n".getBytes(StandardCharsets.UTF_8), null, null));
        assertEquals("CSV_HEADER", e.code());
        assertTrue(e.message(Locale.SIMPLIFIED_CHINESE).contains("缺少列"));
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
}
