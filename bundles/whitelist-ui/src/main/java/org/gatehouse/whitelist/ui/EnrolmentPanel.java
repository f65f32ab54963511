package org.gatehouse.whitelist.ui;

import static org.gatehouse.whitelist.ui.UiTexts.T;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Camera;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;
import org.gatehouse.portal.api.Uploads;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.component.upload.receivers.MemoryBuffer;

/**
 * Enrolling a face from a photo (a file, or a frame of the browser's camera): the photo is checked first ({@code POST /faces/enrolment-check}: one face, large
 * and sharp enough, frontal, well lit) and the verdict shown; only a photo that passes can be saved
 * ({@code POST /residents/{id}/face}, which needs the resident's face-access consent and a non-face credential and
 * says so if either is missing). The photo itself is never kept: the API stores a template.
 */
@SuppressWarnings("removal")
final class EnrolmentPanel extends VerticalLayout {
    private static final long serialVersionUID = 1L;
    /** The API's upload limit for a face photo. */
    static final int MAX_BYTES = 10 * 1024 * 1024;

    private final PortalSession session;
    private final Doc resident;
    private final Runnable saved;
    private final Div verdict = new Div();
    private final VerticalLayout cameraBox = new VerticalLayout();
    private final Button save = new Button(T.t("face.save"));
    private byte[] photo;

    EnrolmentPanel(PortalSession session, Doc resident, boolean manage, Runnable saved) {
        this.session = session;
        this.resident = resident;
        this.saved = saved;
        add(new Paragraph(T.t("face.help")));
        if (!manage) {
            return;
        }
        MemoryBuffer buffer = new MemoryBuffer();
        Upload upload = Uploads.localize(new Upload(buffer));
        upload.setId("face-upload");
        upload.setAcceptedFileTypes("image/jpeg", "image/png", ".jpg", ".jpeg", ".png");
        upload.setMaxFileSize(MAX_BYTES);
        upload.setMaxFiles(1);
        upload.addFileRejectedListener(e -> show(false, T.t("face.rejectedFile", MAX_BYTES / (1024 * 1024))));
        upload.addSucceededListener(e -> {
            try (InputStream in = buffer.getInputStream()) {
                check(in.readAllBytes());
            } catch (IOException ex) {
                show(false, ex.getMessage());
            }
            upload.clearFileList();
        });
        Button camera = new Button(T.t("face.camera"), VaadinIcon.CAMERA.create());
        camera.setId("face-camera");
        camera.addClickListener(e -> {
            camera.setVisible(false);
            useCamera();
        });
        cameraBox.setPadding(false);
        cameraBox.setVisible(false);
        verdict.setId("face-verdict");
        save.setId("face-save");
        save.setEnabled(false);
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(e -> enrol());
        add(upload, camera, cameraBox, verdict, save);
    }

    /** The browser's camera instead of a file: the frame taken goes through the same check before it can be saved. */
    private void useCamera() {
        Camera camera = new Camera();
        camera.setId("face-camera-view");
        camera.onError(error -> show(false, T.t("face.cameraError", error)));
        camera.onCaptured(bytes -> {
            if (bytes.length == 0) {
                show(false, T.t("face.rejectedFile", MAX_BYTES / (1024 * 1024)));
                return;
            }
            check(bytes);
        });
        Button take = new Button(T.t("face.takePhoto"), VaadinIcon.CAMERA.create(), e -> camera.capture());
        take.setId("face-take");
        cameraBox.add(camera, take);
        cameraBox.setVisible(true);
    }

    private void check(byte[] bytes) {
        photo = null;
        save.setEnabled(false);
        LocalApi.Answer answer = session.call("POST", "/faces/enrolment-check", Map.of(), null, Map.of("image", bytes));
        if (!answer.ok()) {
            show(false, answer.message());
            return;
        }
        Doc check = Doc.of(answer.body());
        if (!check.flag("accepted")) {
            show(false, check.text("message"));
            return;
        }
        Doc q = check.doc("quality");
        show(true, T.t("face.accepted", Math.round(q.decimal("interEyeDistance")), Math.round(Math.abs(q.decimal("yaw"))),
                Math.round(q.decimal("sharpness"))));
        photo = bytes;
        save.setEnabled(true);
    }

    private void enrol() {
        if (photo == null) {
            return;
        }
        LocalApi.Answer answer = session.call("POST", "/residents/" + resident.text("id") + "/face", Map.of(), null,
                Map.of("image", photo));
        if (!answer.ok()) {
            show(false, answer.message());
            return;
        }
        Doc enrolled = Doc.of(answer.body());
        photo = null;
        save.setEnabled(false);
        show(true, T.t("face.saved", enrolled.number("faceTemplates"))
                + (enrolled.text("advice").isBlank() ? "" : " " + enrolled.text("advice")));
        saved.run();
    }

    private void show(boolean ok, String message) {
        verdict.setText(message);
        verdict.getElement().setAttribute("data-ok", String.valueOf(ok));
        verdict.getStyle().set("color", ok ? "var(--lumo-success-text-color)" : "var(--lumo-error-text-color)")
                .set("font-weight", "600");
    }
}
