package org.gatehouse.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Face recognition inside the built distribution on the lfw7 set (../shared/data/faces/lfw7): five people
 * enrolled from three photos each, ten held-back photos of each identified, every photo of the two others
 * rejected. Needs ../shared: in a clone without it a Maven profile leaves this class out and
 * {@code ./gatehouse test} says it was not run (an {@code Assume} inside the container would count as a pass).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FaceRecognitionLfw7IT extends GatehouseTestSupport {
    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        List<Option> options = baseOptions();
        File lfw7 = new File(System.getProperty("gatehouse.lfw7", "")).getAbsoluteFile();
        options.add(systemProperty("gatehouse.itest.lfw7").value(lfw7.getPath()));
        // searched through the approximate path (sign sketches), as FaceRecognitionIT does
        options.add(editConfigurationFilePut("etc/org.gatehouse.recognition.cfg", "galleryApproximateThreshold", "3"));
        return options.toArray(new Option[0]);
    }

    @Test
    public void lfw7ResidentsIdentifiedStrangersRejected() throws Exception {
        Path lfw7 = Paths.get(System.getProperty("gatehouse.itest.lfw7"));
        Map<String, List<Path>> people = FaceRecognitionIT.photos(lfw7, true);
        FaceRecognitionIT.identification(context, people, new ArrayList<>(people.keySet()).subList(0, 5), true);
    }
}
