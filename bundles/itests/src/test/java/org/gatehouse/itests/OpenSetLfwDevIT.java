package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.gatehouse.api.model.Community;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.OperatingBands;
import org.gatehouse.recognition.api.OperatingBands.Band;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Strangers kept out at the calibrated threshold, in the built distribution, on people the demo never saw
 * (../shared/data/faces/lfw-dev, full news frames): the first photo of every identity with two or more is enrolled
 * (those the enrolment gates refuse are left out, as an office would take another photo), then each one's second
 * photo and every single-photo identity (strangers) are identified. No stranger may land in ACCEPT: each is in REJECT,
 * or in VERIFY where a gate would ask for a second factor. The target FPIR is 0.01 % here: with ~780 strangers the
 * default 0.1 % expects about one of them in ACCEPT (at 0.1 % two of them were, 0.26 % — the correlated look-alikes
 * the benchmark also measures above its independence extrapolation). Needs ../shared: a Maven profile leaves this class out
 * without it, and {@code ./gatehouse test} says so.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OpenSetLfwDevIT extends GatehouseTestSupport {
    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        List<Option> options = baseOptions();
        File lfwDev = new File(System.getProperty("gatehouse.lfwdev", "")).getAbsoluteFile();
        options.add(systemProperty("gatehouse.itest.lfwdev").value(lfwDev.getPath()));
        // ~780 strangers: at the default target (0.1 %) about one would be expected to pass, so "never" is asked at a
        // target that expects ~0.08 of them — what a city with this many visitors a day would configure
        options.add(editConfigurationFilePut("etc/org.gatehouse.recognition.bands.cfg", "targetFpir", "0.0001"));
        return options.toArray(new Option[0]);
    }

    @Test
    public void noStrangerIsAcceptedAtTheCalibratedThreshold() throws Exception {
        Map<String, List<Path>> people = FaceRecognitionIT.photos(Paths.get(System.getProperty(
                "gatehouse.itest.lfwdev")), true);
        FaceRegistry registry = service(context, FaceRegistry.class);
        CommunityRepository communities = service(context, CommunityRepository.class);
        Community community = communities.createCommunity("OPENSET-" + System.nanoTime() % 100000, "陌生人测试小区",
                null);

        List<String> enrolled = new ArrayList<>();
        List<Path> strangers = new ArrayList<>();
        int refused = 0;
        for (Map.Entry<String, List<Path>> person : people.entrySet()) {
            List<Path> photos = person.getValue();
            if (photos.size() < 2) {
                strangers.add(photos.get(0));
                continue;
            }
            try {
                registry.enroll(Scope.all(), community.id(), person.getKey(), Files.readAllBytes(photos.get(0)));
                enrolled.add(person.getKey());
            } catch (FaceException e) {
                refused++; // too small, several faces, not frontal: the office would take another photo
            }
        }
        assertTrue("most of lfw-dev's identities with two photos enrolled: " + enrolled.size() + ", refused "
                + refused, enrolled.size() > 150);
        OperatingBands bands = registry.bands(Scope.all(), community.id());
        assertEquals(enrolled.size(), bands.gallerySize());
        assertTrue("accept above the 1:1 threshold at this size: " + bands, bands.accept() > bands.verify());
        assertEquals(0.0001, bands.targetFpir(), 1e-12);

        Map<Band, Integer> strangerBands = new EnumMap<>(Band.class);
        List<String> accepted = new ArrayList<>();
        for (Path photo : strangers) {
            FaceRegistry.Identification id;
            try {
                id = registry.identify(Scope.all(), community.id(), Files.readAllBytes(photo), 1);
            } catch (FaceException e) {
                continue; // no face the engine would read: a gate would not open for it either
            }
            strangerBands.merge(id.band(), 1, Integer::sum);
            if (id.band() == Band.ACCEPT) {
                accepted.add(photo.getFileName() + " as " + id.subjectId() + " " + id.score());
            }
        }
        int mated = 0;
        int matedAccepted = 0;
        for (String person : enrolled) {
            FaceRegistry.Identification id;
            try {
                id = registry.identify(Scope.all(), community.id(), Files.readAllBytes(people.get(person).get(1)), 1);
            } catch (FaceException e) {
                continue;
            }
            mated++;
            if (id.band() == Band.ACCEPT) {
                assertEquals("an accepted enrolled person is that person", person, id.subjectId());
                matedAccepted++;
            }
        }
        System.out.printf("open set, lfw-dev: gallery %d (refused %d), accept %.3f, reject %.3f; strangers %s; "
                + "enrolled people accepted %d of %d%n", bands.gallerySize(), refused, bands.accept(),
                bands.reject(), strangerBands, matedAccepted, mated);
        assertTrue("no stranger accepted: " + accepted, accepted.isEmpty());
        assertTrue("strangers were tried: " + strangerBands, strangerBands.values().stream().mapToInt(i -> i).sum()
                > 200);
        assertTrue("most enrolled people accepted at the first try (the others go to a second factor): "
                + matedAccepted + " of " + mated, matedAccepted > mated * 0.7);
    }
}
