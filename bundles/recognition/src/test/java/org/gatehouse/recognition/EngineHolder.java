package org.gatehouse.recognition;

import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;

/** One engine per test JVM (loading the four ONNX sessions takes a second or two). */
final class EngineHolder {
    private static FaceEngineImpl engine;

    private EngineHolder() {
    }

    static synchronized FaceEngineImpl engine() throws Exception {
        if (engine == null) {
            engine = new FaceEngineImpl(EngineConfig.defaults(), EngineHolder.class.getClassLoader());
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
        }
        return engine;
    }
}
