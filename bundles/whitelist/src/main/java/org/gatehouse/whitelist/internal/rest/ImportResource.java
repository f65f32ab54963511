package org.gatehouse.whitelist.internal.rest;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.whitelist.internal.imports.ImportService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Bulk import: {@code POST /api/communities/{id}/imports} (multipart 'csv', optional 'photos' zip; 202 once the job is
 * stored durably), {@code GET /api/communities/{id}/imports} (the community's jobs), {@code GET /api/imports/{id}}
 * (progress and per-row results), {@code POST /api/imports/{id}/resume} (an interrupted job goes on).
 */
@Component(service = RestResource.class)
public class ImportResource implements RestResource {
    private final ImportService imports;

    @Activate
    public ImportResource(@Reference ImportService imports) {
        this.imports = imports;
    }

    @Override
    public String tag() {
        return "whitelist";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.post("/communities/{id}/imports", Rest.MANAGE, "Import residents: multipart part 'csv' (header "
                + String.join(",", ImportService.COLUMNS) + "[,faceConsent][,photo2]) and optional 'photos' (zip); 202 with "
                + "the import id once the job, its rows and its photos are stored (it survives a restart)", null,
                Map.class, r -> {
                    byte[] csv = r.partBytes("csv", imports.maxCsvBytes());
                    Path zip = null;
                    Optional<InputStream> photos = r.part("photos");
                    if (photos.isPresent()) {
                        zip = spool(photos.get(), imports.limits().maxZipBytes());
                    }
                    String id = imports.submit(r.caller(), r.path("id"), csv, zip, zip);
                    return RestResponse.accepted(Map.of("id", id, "status", "/api/imports/" + id));
                });
        routes.get("/communities/{id}/imports", Rest.MANAGE, "The community's imports, newest first (without their "
                + "rows; ?limit=, default 20): an INTERRUPTED one can be resumed", ImportService.Report[].class,
                r -> imports.list(r.caller(), r.path("id"), r.locale(), r.queryInt("limit", 20, 1, 200)));
        routes.get("/imports/{id}", Rest.MANAGE, "Progress and per-row results of an import (status QUEUED, RUNNING, "
                        + "INTERRUPTED, FINISHED or FAILED)",
                ImportService.Report.class, r -> imports.report(r.caller(), r.path("id"), r.locale())
                        .orElseThrow(() -> new NotFoundException("import", r.path("id"))));
        routes.post("/imports/{id}/resume", Rest.MANAGE, "Resume an INTERRUPTED import: it goes on after the last "
                + "committed row and never imports a row twice; 202, or 409 IMPORT_NOT_RESUMABLE (running, finished, "
                + "or another resume won), IMPORT_PHOTOS_MISSING / IMPORT_PHOTOS_CHANGED", null, Map.class,
                r -> {
                    String id = imports.resume(r.caller(), r.path("id"));
                    return RestResponse.accepted(Map.of("id", id, "status", "/api/imports/" + id));
                });
    }

    /** Copies the upload to a temporary file, stopping (413) one byte past the limit. */
    static Path spool(InputStream in, long max) throws IOException {
        Path tmp = Files.createTempFile("gatehouse-import-", ".zip");
        try (in; OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > max) {
                    throw MESSAGES.refusal(413, "ZIP_TOO_LARGE", "zip.tooLarge", max / (1024 * 1024));
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }
}
