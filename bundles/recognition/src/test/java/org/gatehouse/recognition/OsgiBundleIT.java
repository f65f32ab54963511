package org.gatehouse.recognition;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built bundle in a plain OSGi runtime (Felix 7 + SCR 2.2 + ConfigAdmin): it resolves with
 * nothing else installed, both DS services appear, and the engine runs inside the bundle
 * (DJL engine discovery, ONNX Runtime and JavaCPP natives from the bundle class path).
 */
class OsgiBundleIT {

    @Test
    void bundleResolvesAndServesFaces(@TempDir Path storage) throws Exception {
        // @TempDir: the framework's storage (the bundle's unpacked natives, ~250 MB) is deleted after the test
        Path bundle = Paths.get(System.getProperty("it.bundle", "target/none.jar"));
        Path runtime = Paths.get(System.getProperty("it.runtime", "target/it-runtime"));
        Assumptions.assumeTrue(Files.isRegularFile(bundle), "bundle not built: " + bundle);
        Map<String, String> cfg = new HashMap<>();
        cfg.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // as in the distribution's etc/config.properties: the system bundle exports the Vector API
        cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "jdk.incubator.vector");
        Framework fw = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(cfg);
        fw.start();
        try {
            BundleContext ctx = fw.getBundleContext();
            List<Bundle> bs = new ArrayList<>();
            for (String f : new String[] {"org.osgi.util.function-1.2.0.jar", "org.osgi.util.promise-1.3.0.jar",
                "org.osgi.service.component-1.5.1.jar", "slf4j-api-1.7.36.jar", "slf4j-simple-1.7.36.jar",
                "org.apache.felix.configadmin-1.9.26.jar", "org.apache.felix.scr-2.2.10.jar"}) {
                bs.add(ctx.installBundle(runtime.resolve(f).toUri().toString()));
            }
            Bundle rec = ctx.installBundle(new File(bundle.toString()).toURI().toString());
            bs.add(rec);
            for (Bundle b : bs) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            assertEquals(Bundle.ACTIVE, rec.getState());
            ServiceReference<?> ref = null;
            long t0 = System.currentTimeMillis();
            while (ref == null && System.currentTimeMillis() - t0 < 60_000) {
                // getAllServiceReferences: the test class path has its own copy of the API classes
                ServiceReference<?>[] refs = ctx.getAllServiceReferences("org.gatehouse.recognition.api.FaceEngine", null);
                ref = refs == null ? null : refs[0];
                Thread.sleep(100);
            }
            assertNotNull(ref, "FaceEngine service");
            assertNotNull(ctx.getAllServiceReferences("org.gatehouse.recognition.api.FaceGallery", null), "FaceGallery service");
            Object engine = ctx.getService(ref);
            Method embed = engine.getClass().getMethod("embed", byte[].class);
            Object template = embed.invoke(engine, Files.readAllBytes(Paths.get(System.getProperty("it.fixture"))));
            float[] v = (float[]) template.getClass().getMethod("vector").invoke(template);
            assertEquals(512, v.length);
            try {
                embed.invoke(engine, (Object) new byte[0]);
            } catch (InvocationTargetException e) {
                Object code = e.getCause().getClass().getMethod("code").invoke(e.getCause());
                assertEquals("EMPTY_IMAGE", code.toString());
            }
            // the approximate gallery index (embedded Lucene HNSW) works inside the bundle's class loader
            Class<?> qg = rec.loadClass("org.gatehouse.recognition.internal.gallery.QuantizedGallery");
            Object gallery = qg.getConstructor(int.class).newInstance(512);
            qg.getMethod("configureApproximateMethod", String.class, int.class).invoke(gallery, "hnsw", 10);
            qg.getMethod("configureApproximate", int.class, int.class, int.class, int.class).invoke(gallery, 5, 32, 8, 32);
            Method add = qg.getMethod("add", String.class, String.class, float[].class);
            java.util.Random rnd = new java.util.Random(3);
            float[][] vs = new float[40][512];
            for (int i = 0; i < vs.length; i++) {
                for (int j = 0; j < 512; j++) {
                    vs[i][j] = (float) rnd.nextGaussian();
                }
                add.invoke(gallery, "c", "s" + i, vs[i]);
            }
            assertEquals(Boolean.TRUE, qg.getMethod("isApproximate", String.class).invoke(gallery, "c"));
            List<?> hits = (List<?>) qg.getMethod("search", String.class, float[].class, int.class).invoke(gallery, "c", vs[17], 3);
            assertEquals("s17", hits.get(0).getClass().getMethod("subjectId").invoke(hits.get(0)));
            Object stats = qg.getMethod("stats", String.class).invoke(gallery, "c");
            assertTrue(((String) stats.getClass().getMethod("search").invoke(stats)).startsWith("approximate (HNSW)"));
            // and the sign-sketch method (10 of the 40 rows scored exactly)
            qg.getMethod("configureApproximateMethod", String.class, int.class).invoke(gallery, "sketch", 10);
            hits = (List<?>) qg.getMethod("search", String.class, float[].class, int.class).invoke(gallery, "c", vs[17], 3);
            assertEquals("s17", hits.get(0).getClass().getMethod("subjectId").invoke(hits.get(0)));
            stats = qg.getMethod("stats", String.class).invoke(gallery, "c");
            assertTrue(((String) stats.getClass().getMethod("search").invoke(stats)).startsWith("approximate (sign sketches)"));
            qg.getMethod("close").invoke(gallery);
            // the Vector API kernel links inside the bundle (optional import wired to the system bundle)
            Class<?> kernel = rec.loadClass("org.gatehouse.recognition.internal.gallery.Int8Dot");
            Object k = kernel.getField("INSTANCE").get(null);
            String kernelName = (String) kernel.getMethod("name").invoke(k);
            assertEquals(jdk.incubator.vector.IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256,
                    kernelName.startsWith("SIMD"), "kernel " + kernelName);
            // the bundle exports only the API package
            String exports = rec.getHeaders().get(Constants.EXPORT_PACKAGE);
            assertTrue(exports.startsWith("org.gatehouse.recognition.api;") && !exports.contains(","), exports);
        } finally {
            fw.stop();
            fw.waitForStop(20_000);
        }
    }
}
