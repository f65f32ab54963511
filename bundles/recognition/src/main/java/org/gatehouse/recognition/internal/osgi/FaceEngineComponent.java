package org.gatehouse.recognition.internal.osgi;

import org.gatehouse.recognition.api.FaceAnalysis;
import org.gatehouse.recognition.api.FaceBox;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceTemplate;
import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;

/** Publishes {@link FaceEngine}; a configuration change re-creates the component. */
@Component(service = FaceEngine.class, configurationPid = "org.gatehouse.recognition",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = RecognitionConfig.class)
public final class FaceEngineComponent implements FaceEngine {

    private static final Logger LOG = LoggerFactory.getLogger(FaceEngineComponent.class);

    private final FaceEngineImpl engine;

    @Activate
    public FaceEngineComponent(BundleContext ctx, RecognitionConfig c) throws IOException {
        // natives of JavaCPP go to the framework's storage unless the administrator set a cache dir
        if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            File dir = ctx.getDataFile("javacpp-cache");
            if (dir != null) {
                System.setProperty("org.bytedeco.javacpp.cachedir", dir.getAbsolutePath());
            }
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        ClassLoader loader = ctx.getBundle().adapt(BundleWiring.class).getClassLoader();
        EngineConfig cfg = EngineConfig.from(c).build();
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(loader); // before DJL and JavaCPP are first touched
        try {
            engine = new FaceEngineImpl(cfg, loader);
        } finally {
            t.setContextClassLoader(old);
        }
        LOG.info("face engine ready: model {}, detector {}, {} workers, {} may wait, flipTta={}", engine.modelId(),
                cfg.detector(), cfg.effectivePoolSize(), cfg.effectiveQueueSize(), cfg.flipTta());
    }

    @Deactivate
    void deactivate() {
        engine.close();
    }

    @Override
    public FaceAnalysis analyze(byte[] image) {
        return engine.analyze(image);
    }

    @Override
    public FaceTemplate embed(byte[] image) {
        return engine.embed(image);
    }

    @Override
    public FaceTemplate embed(byte[] image, boolean liveness) {
        return engine.embed(image, liveness);
    }

    @Override
    public FaceTemplate enrollmentTemplate(byte[] image) {
        return engine.enrollmentTemplate(image);
    }

    @Override
    public byte[] facePhoto(byte[] image, FaceBox box) {
        return engine.facePhoto(image, box);
    }

    @Override
    public int templateDimension() {
        return engine.templateDimension();
    }

    @Override
    public String modelId() {
        return engine.modelId();
    }

    @Override
    public float similarity(float[] a, float[] b) throws FaceException {
        return engine.similarity(a, b);
    }
}
