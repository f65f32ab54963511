package org.gatehouse.faces.internal.shell;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.FaceTemplateRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.shell.TextTable;
import org.gatehouse.recognition.api.FaceGallery;
import org.gatehouse.recognition.api.GalleryBands;
import org.gatehouse.recognition.api.GalleryStats;
import org.gatehouse.recognition.api.OperatingBands;

@Command(scope = "gatehouse", name = "gallery-stats", description = "Shows stored face templates and loaded galleries")
@Service
public class GalleryStatsCommand implements Action {
    /** The 2025 face-recognition rules ask for a filing from 100,000 stored faces on. */
    static final long FILING_THRESHOLD = 100_000;

    @Reference
    FaceGallery gallery;

    @Reference
    FaceTemplateRepository templates;

    @Reference
    GalleryBands bands;

    @Reference
    CommunityRepository communities;

    @Override
    public Object execute() {
        TextTable table = new TextTable();
        table.column("Community");
        table.column("Stored templates");
        table.column("Gallery subjects");
        table.column("Gallery templates");
        table.column("Memory (KB)");
        table.column("Search");
        table.numberColumn("Accept");
        table.numberColumn("Reject");
        table.numberColumn("Exp. FPIR");
        table.numberColumn("Exp. FNIR");
        for (Community c : communities.communities(Scope.all())) {
            long stored = templates.count(Scope.of(c.id()));
            GalleryStats s = gallery.communities().contains(c.id()) ? gallery.stats(c.id()) : null;
            // a gallery not loaded yet gets the bands of the stored templates it will hold
            OperatingBands b = s == null ? bands.bandsFor(c.id(), (int) Math.min(Integer.MAX_VALUE, stored))
                    : bands.bands(c.id());
            table.row(c.code(), stored, s == null ? "not loaded" : s.subjects(),
                    s == null ? "" : s.templates(), s == null ? "" : s.memoryBytes() / 1024, s == null ? "" : s.search(),
                    String.format(Locale.ROOT, "%.3f", b.accept()), String.format(Locale.ROOT, "%.3f", b.reject()),
                    String.format(Locale.ROOT, "%.3f%%", b.expectedFpir() * 100),
                    String.format(Locale.ROOT, "%.1f%%", b.expectedFnir() * 100));
        }
        table.print(System.out);
        OperatingBands example = bands.bandsFor("", 1);
        System.out.printf(Locale.ROOT, "Bands: target FPIR %.2f%% per gallery (accept threshold from its size), 1:1 "
                + "threshold %.3f (FMR %.0e) = reject; calibration: %s%n", example.targetFpir() * 100,
                example.verify(), example.verifyFmr(), bands.calibration());
        long total = templates.count(Scope.all());
        System.out.printf("Stored face templates: %d of the %d filing threshold (%.1f%%)%s%n", total, FILING_THRESHOLD,
                total * 100.0 / FILING_THRESHOLD, total >= FILING_THRESHOLD * 9 / 10 ? "  WARNING: near or over the threshold" : "");
        return null;
    }
}
