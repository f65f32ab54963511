package org.gatehouse.faces.internal.shell;

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
import org.gatehouse.recognition.api.GalleryStats;

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
        for (Community c : communities.communities(Scope.all())) {
            long stored = templates.count(Scope.of(c.id()));
            GalleryStats s = gallery.communities().contains(c.id()) ? gallery.stats(c.id()) : null;
            table.row(c.code(), stored, s == null ? "not loaded" : s.subjects(),
                    s == null ? "" : s.templates(), s == null ? "" : s.memoryBytes() / 1024, s == null ? "" : s.search());
        }
        table.print(System.out);
        long total = templates.count(Scope.all());
        System.out.printf("Stored face templates: %d of the %d filing threshold (%.1f%%)%s%n", total, FILING_THRESHOLD,
                total * 100.0 / FILING_THRESHOLD, total >= FILING_THRESHOLD * 9 / 10 ? "  WARNING: near or over the threshold" : "");
        return null;
    }
}
