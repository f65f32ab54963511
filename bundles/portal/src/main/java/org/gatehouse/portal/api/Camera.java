package org.gatehouse.portal.api;

import java.util.Base64;
import java.util.function.Consumer;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.DomEvent;
import com.vaadin.flow.component.EventData;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.shared.Registration;

/**
 * The browser's camera (getUserMedia; the browser asks the user first, and needs HTTPS or localhost): shows the live
 * picture, and {@link #capture()} sends one frame to the server as a JPEG. Frames larger than {@link #MAX_BYTES}
 * are dropped.
 */
@Tag("gatehouse-camera")
@JsModule("./gatehouse-camera.js")
public class Camera extends Component {
    private static final long serialVersionUID = 1L;
    /** The largest frame accepted (a 1280×720 JPEG is 100–300 KB). */
    public static final int MAX_BYTES = 8 * 1024 * 1024;

    /** One frame the browser sent (base64 JPEG, as the browser encoded it). */
    @DomEvent("captured")
    public static class CapturedEvent extends ComponentEvent<Camera> {
        private static final long serialVersionUID = 1L;
        private final String data;

        public CapturedEvent(Camera source, boolean fromClient, @EventData("event.detail.data") String data) {
            super(source, fromClient);
            this.data = data;
        }

        /** The JPEG, or an empty array when it was missing, malformed or too large. */
        public byte[] jpeg() {
            if (data == null || data.length() > MAX_BYTES / 3 * 4 + 4) {
                return new byte[0];
            }
            try {
                return Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                return new byte[0];
            }
        }
    }

    /** The camera could not start (no camera, or the user said no): the browser's error name. */
    @DomEvent("camera-error")
    public static class ErrorEvent extends ComponentEvent<Camera> {
        private static final long serialVersionUID = 1L;
        private final String error;

        public ErrorEvent(Camera source, boolean fromClient, @EventData("event.detail.error") String error) {
            super(source, fromClient);
            this.error = error;
        }

        public String error() {
            return error;
        }
    }

    public Registration onCaptured(Consumer<byte[]> listener) {
        return addListener(CapturedEvent.class, e -> listener.accept(e.jpeg()));
    }

    public Registration onError(Consumer<String> listener) {
        return addListener(ErrorEvent.class, e -> listener.accept(e.error()));
    }

    /** Takes one frame now. */
    public void capture() {
        getElement().callJsFunction("capture");
    }
}
