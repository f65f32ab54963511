package org.gatehouse.faces.internal.shell;

import java.util.SplittableRandom;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.FaceGallery;

/**
 * <b>Benchmark only.</b> {@code gatehouse:bench-gallery-fill COMMUNITY N}: adds synthetic subjects with one random unit
 * template each to the community's <em>in-memory</em> gallery of this node until it holds N templates, so that a
 * benchmark searches a gallery of a city's size without enrolling thousands of people. Nothing is written to the store
 * and nothing is audited: the synthetic subjects ({@value #PREFIX}…) are nobody, are gone after a restart (or
 * {@code --remove}), and random 512-d unit vectors score about 0 ± 0.05 against a real face, far below any threshold,
 * so they never match. They do count in the gallery's size, and so in its operating bands (a larger gallery has a
 * higher accept threshold), exactly as enrolled templates would.
 */
@Command(scope = "gatehouse", name = "bench-gallery-fill",
        description = "BENCHMARK ONLY: pads a community's in-memory gallery with random synthetic templates (never stored)")
@Service
public class BenchGalleryFillCommand implements Action {
    static final String PREFIX = "bench-synthetic-";

    @Reference
    FaceRegistry registry;

    @Reference
    FaceGallery gallery;

    @Reference
    CommunityRepository communities;

    @Argument(index = 0, name = "community", required = true, description = "Community code or id")
    @Completion(CommunityCompleter.class)
    String community;

    @Argument(index = 1, name = "templates", required = false,
            description = "Templates the gallery should hold in all (real + synthetic)")
    int target = 10_000;

    @Option(name = "--remove", description = "Removes the synthetic subjects again")
    boolean remove;

    @Option(name = "--seed", description = "Random seed")
    long seed = 14;

    @Override
    public Object execute() {
        String communityId = communities.find(Scope.all(), community).id();
        registry.bands(Scope.all(), communityId); // loads the gallery from the store first (a later load would clear it)
        if (remove) {
            int removed = 0;
            for (int i = 0, n; (n = gallery.remove(communityId, PREFIX + i)) > 0; i++) { // added as 0, 1, 2 …
                removed += n;
            }
            System.out.printf("Removed %d synthetic templates; the gallery holds %d%n", removed, gallery.size(communityId));
            return null;
        }
        int dim = gallery.dimension();
        SplittableRandom random = new SplittableRandom(seed);
        int added = 0;
        int next = 0;
        while (gallery.size(communityId) < target) {
            float[] v = new float[dim];
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                double g = gaussian(random);
                v[d] = (float) g;
                norm += g * g;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < dim; d++) {
                v[d] *= inv;
            }
            gallery.add(communityId, PREFIX + next++, v);
            added++;
        }
        gallery.rebuild(communityId);
        System.out.printf("Added %d synthetic templates (in memory only, never stored); the gallery holds %d%n", added,
                gallery.size(communityId));
        return null;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
