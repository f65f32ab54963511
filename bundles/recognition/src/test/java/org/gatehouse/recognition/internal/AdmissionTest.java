package org.gatehouse.recognition.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;
import org.junit.jupiter.api.Test;

/** One worker and one place in the queue: a third request is told "busy" at once; bad input never waits. */
class AdmissionTest {

    @Test
    void requestsBeyondWorkersAndQueueAreRefusedAtOnce() throws Exception {
        EngineConfig cfg = EngineConfig.builder().poolSize(1).queueSize(1).build();
        try (FaceEngineImpl engine = new FaceEngineImpl(cfg, getClass().getClassLoader())) {
            assertEquals(2, engine.admissionAvailable());
            CountDownLatch working = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> engine.withWorker(w -> {
                working.countDown();
                await(release);
                return "first";
            }));
            assertTrue(working.await(30, TimeUnit.SECONDS), "the first request runs");
            CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> engine.withWorker(w -> "second"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (engine.admissionAvailable() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, engine.admissionAvailable(), "the second request waits in the queue");

            long t0 = System.nanoTime();
            FaceException busy = assertThrows(FaceException.class, () -> engine.withWorker(w -> "third"));
            assertEquals(Code.ENGINE_UNAVAILABLE, busy.code());
            assertTrue(busy.getMessage().contains("busy"), busy.getMessage());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "refused at once, not after a wait");
            // input that fails its checks is answered from its header, even while the engine is full
            assertEquals(Code.NOT_AN_IMAGE, assertThrows(FaceException.class,
                    () -> engine.analyze("plain text".getBytes())).code());
            assertEquals(Code.EMPTY_IMAGE, assertThrows(FaceException.class, () -> engine.embed(new byte[0])).code());

            release.countDown();
            assertEquals("first", first.get(30, TimeUnit.SECONDS));
            assertEquals("second", second.get(30, TimeUnit.SECONDS));
            assertEquals(2, engine.admissionAvailable(), "every place is given back");
            assertEquals("again", engine.withWorker(w -> "again"));
        }
    }

    @Test
    void aFailingJobGivesItsWorkerAndPlaceBack() throws Exception {
        EngineConfig cfg = EngineConfig.builder().poolSize(1).queueSize(0).build();
        try (FaceEngineImpl engine = new FaceEngineImpl(cfg, getClass().getClassLoader())) {
            for (int i = 0; i < 3; i++) {
                assertEquals(Code.NO_FACE, assertThrows(FaceException.class, () -> engine.withWorker(w -> {
                    throw new FaceException(Code.NO_FACE);
                })).code());
                assertEquals(Code.INTERNAL_ERROR, assertThrows(FaceException.class, () -> engine.withWorker(w -> {
                    throw new IllegalStateException("bug");
                })).code());
            }
            assertEquals(1, engine.admissionAvailable());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
