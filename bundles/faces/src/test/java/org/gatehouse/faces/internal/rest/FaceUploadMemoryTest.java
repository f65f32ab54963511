package org.gatehouse.faces.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.RestException;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.core.api.Roles;
import org.gatehouse.recognition.api.FaceAnalysis;
import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.junit.jupiter.api.Test;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

/**
 * 64 uploads of one large JPEG at once to {@code POST /api/faces/detect}: the process's resident memory
 * stays bounded, and every request answers (a result, or 503 busy / 413 too large) instead of hanging.
 *
 * <p>An 8000x5000 JPEG of smooth gradients is about 1 MB on the wire but 120 MB once decoded. When
 * images were decoded before an inference worker was free, the 64 requests held 64 decoded images
 * (~8 GB). Now an image is decoded on its worker, so at most {@code poolSize} (2 here) are in memory at
 * once, and requests beyond the small admission queue are refused at once with ENGINE_UNAVAILABLE.
 */
class FaceUploadMemoryTest {
    static final int UPLOADS = 64;
    static final int WORKERS = 2;
    /**
     * Bound on the growth of resident memory above the level before the uploads. Two workers each hold one
     * decoded 8000x5000 BGR image (120 MB); the uploads' compressed bytes, the small detector inputs and
     * allocator and JIT noise come on top. Measured on a 2-core VM: 0.32-0.45 GB, so 1 GB leaves more than
     * twice that as headroom and still fails clearly if images are decoded before a worker takes them again:
     * the same run then grew by 8.1 GB (all 64 decoded at once, 120 MB each).
     */
    static final long MAX_GROWTH_MB = 1024;

    @Test
    void concurrentLargeUploadsStayWithinMemoryAndAllAnswer() throws Exception {
        byte[] jpeg = largeJpeg(8000, 5000);
        assertTrue(jpeg.length < 2 * 1024 * 1024, "a small file that decodes to 120 MB: " + jpeg.length + " bytes");
        EngineConfig cfg = EngineConfig.builder().poolSize(WORKERS).build();
        try (FaceEngineImpl engine = new FaceEngineImpl(cfg, getClass().getClassLoader())) {
            FaceResource resource = new FaceResource(engine, FakeRequest.registry(engine, 0.45f),
                    AuditTrails.writingTo(null));
            FakeRequest.Route detect = FakeRequest.routes(resource).get("POST /faces/detect");
            Caller office = new Caller("office", Set.of(Roles.COMMUNITY_OFFICE), Scope.of("c1"));
            // warm up: ONNX Runtime's arenas and the JIT belong to the baseline, not to the uploads
            detect.handler().handle(new FakeRequest(office, Map.of(), largeJpeg(640, 480)));
            System.gc();
            Thread.sleep(500);

            long baselineKb = status("VmRSS");
            boolean hwmReset = resetPeak();
            AtomicLong sampledPeakKb = new AtomicLong(baselineKb);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    sampledPeakKb.accumulateAndGet(status("VmRSS"), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();

            ExecutorService uploads = Executors.newFixedThreadPool(UPLOADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            long t0 = System.nanoTime();
            try {
                for (int i = 0; i < UPLOADS; i++) {
                    answers.add(uploads.submit(() -> {
                        start.await();
                        try {
                            Object result = detect.handler().handle(new FakeRequest(office, Map.of(), jpeg));
                            assertTrue(result instanceof FaceAnalysis a && a.imageWidth() == 8000, String.valueOf(result));
                            return "200";
                        } catch (FaceException e) {
                            RestException answered = new FaceErrorMapper().toRest(e, java.util.Locale.ROOT);
                            return answered.status() + " " + answered.code();
                        }
                    }));
                }
                start.countDown();
                Map<String, Integer> outcomes = new TreeMap<>();
                for (Future<String> answer : answers) {
                    try {
                        outcomes.merge(answer.get(3, TimeUnit.MINUTES), 1, Integer::sum);
                    } catch (TimeoutException e) {
                        fail("an upload did not answer within 3 minutes");
                    } catch (ExecutionException e) {
                        fail("an upload failed with " + e.getCause(), e.getCause());
                    }
                }
                long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
                sampler.interrupt();
                sampler.join();
                long peakKb = Math.max(sampledPeakKb.get(), hwmReset ? status("VmHWM") : 0);
                long growthMb = (peakKb - baselineKb) / 1024;
                System.out.printf("FaceUploadMemoryTest: %d uploads of an 8000x5000 JPEG (%d bytes), %d workers, %d s: "
                                + "%s; resident memory baseline %d MB, peak %d MB (%s), growth %d MB (bound %d MB)%n",
                        UPLOADS, jpeg.length, WORKERS, seconds, outcomes, baselineKb / 1024, peakKb / 1024,
                        hwmReset ? "VmHWM after reset and 5 ms VmRSS samples" : "5 ms VmRSS samples", growthMb,
                        MAX_GROWTH_MB);
                assertEquals(UPLOADS, outcomes.values().stream().mapToInt(Integer::intValue).sum());
                for (String outcome : outcomes.keySet()) {
                    assertTrue(Set.of("200", "503 ENGINE_UNAVAILABLE", "413 IMAGE_DIMENSIONS_TOO_LARGE").contains(outcome),
                            "every upload succeeds or is told busy / too large: " + outcomes);
                }
                assertTrue(outcomes.getOrDefault("200", 0) >= WORKERS, "the engine still works under load: " + outcomes);
                assertTrue(growthMb <= MAX_GROWTH_MB, "resident memory grew by " + growthMb + " MB (bound "
                        + MAX_GROWTH_MB + " MB): " + outcomes);
            } finally {
                sampler.interrupt();
                uploads.shutdownNow();
            }
        }
    }

    /** Smooth colour gradients: about 1.3 MB as a JPEG at 8000x5000. */
    static byte[] largeJpeg(int width, int height) {
        try (Mat img = new Mat(height, width, CV_8UC3); BytePointer out = new BytePointer()) {
            UByteIndexer ix = img.createIndexer();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    ix.put(y, x, 0, x * 255 / width);
                    ix.put(y, x, 1, y * 255 / height);
                    ix.put(y, x, 2, (x + y) * 255 / (width + height));
                }
            }
            ix.release();
            if (!imencode(".jpg", img, out)) {
                throw new IllegalStateException("OpenCV could not encode the test image");
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    /** A field of /proc/self/status in kB (VmRSS now, VmHWM the peak since the last reset). */
    static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + field + " from /proc/self/status", e);
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }

    /** Resets VmHWM to the current RSS (Linux 4.0+: write 5 to clear_refs); false where not allowed. */
    static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
