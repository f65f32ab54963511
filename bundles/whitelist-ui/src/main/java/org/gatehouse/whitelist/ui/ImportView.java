package org.gatehouse.whitelist.ui;

import static org.gatehouse.whitelist.ui.UiTexts.T;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;
import org.gatehouse.portal.api.Uploads;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.component.upload.receivers.MemoryBuffer;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.shared.Registration;

/**
 * Bulk import of residents (批量导入): a CSV (and optionally a zip of photos) goes to the whitelist's import job,
 * which is stored before it is acknowledged and survives a restart; the screen follows it with a progress bar and a
 * result per row, and lists earlier imports (an interrupted one can be resumed, never importing a row twice).
 */
@SuppressWarnings("removal")
public class ImportView extends VerticalLayout implements HasDynamicTitle {
    private static final long serialVersionUID = 1L;
    static final int MAX_CSV_BYTES = 20 * 1024 * 1024;
    static final int MAX_ZIP_BYTES = 500 * 1024 * 1024;

    private final PortalSession session = PortalSession.current();
    private final Map<String, byte[]> files = new HashMap<>();
    private final ProgressBar progress = new ProgressBar(0, 100, 0);
    private final Span status = new Span();
    private final Div error = new Div();
    private final Grid<Doc> rows = new Grid<>();
    private final Grid<Doc> jobs = new Grid<>();
    private final Button start = new Button(T.t("imports.start"));
    private String following;
    private Registration polling;

    public ImportView() {
        setSizeFull();
        add(new H2(T.t("imports.title")), new Paragraph(T.t("imports.help")));
        Upload csv = upload("csv", ".csv", "text/csv", MAX_CSV_BYTES);
        csv.setId("import-csv");
        csv.setDropLabel(new Span(T.t("imports.csvDrop")));
        Upload photos = upload("photos", ".zip", "application/zip", MAX_ZIP_BYTES);
        photos.setId("import-photos");
        photos.setDropLabel(new Span(T.t("imports.zipDrop")));
        start.setId("import-start");
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        start.setEnabled(false);
        start.addClickListener(e -> submit());
        error.setId("import-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        HorizontalLayout uploads = new HorizontalLayout(csv, photos);
        uploads.setWidthFull();
        progress.setId("import-progress");
        status.setId("import-status");
        rows.setId("import-rows");
        rows.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        rows.addColumn(r -> r.number("row")).setHeader(T.t("imports.row")).setAutoWidth(true).setFlexGrow(0);
        rows.addColumn(r -> r.flag("ok") ? T.t("imports.ok") : T.t("imports.failed")).setHeader(T.t("imports.result"))
                .setAutoWidth(true).setFlexGrow(0);
        rows.addColumn(r -> r.text("code")).setHeader(T.t("imports.code")).setAutoWidth(true);
        rows.addColumn(r -> r.has("warning") ? r.text("message") + " " + r.text("warning") : r.text("message"))
                .setHeader(T.t("imports.message")).setFlexGrow(1);
        rows.setHeight("320px");
        jobs.setId("import-jobs");
        jobs.addThemeVariants(GridVariant.LUMO_COMPACT);
        jobs.addColumn(j -> session.dateTime(j.text("submittedAt"))).setHeader(T.t("imports.submittedAt")).setAutoWidth(true);
        jobs.addColumn(j -> j.text("submittedBy")).setHeader(T.t("imports.submittedBy")).setAutoWidth(true);
        jobs.addColumn(j -> T.t("imports.status." + j.text("status"))).setHeader(T.t("imports.status")).setAutoWidth(true);
        jobs.addColumn(j -> j.number("done") + " / " + j.number("total")).setHeader(T.t("imports.done")).setAutoWidth(true);
        jobs.addColumn(j -> j.number("failed")).setHeader(T.t("imports.failedRows")).setAutoWidth(true);
        jobs.addComponentColumn(j -> {
            Button open = new Button(T.t("imports.open"), e -> follow(j.text("id")));
            open.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
            if (!j.flag("resumable")) {
                return open;
            }
            Button resume = new Button(T.t("imports.resume"), e -> {
                LocalApi.Answer a = session.post("/imports/" + j.text("id") + "/resume", null);
                if (a.ok()) {
                    follow(j.text("id"));
                } else {
                    PortalSession.showError(a);
                }
            });
            resume.addThemeVariants(ButtonVariant.LUMO_SMALL);
            return new HorizontalLayout(open, resume);
        });
        jobs.setHeight("220px");
        add(uploads, start, error, progress, status, rows, new H3(T.t("imports.earlier")), jobs);
        refreshJobs();
    }

    private Upload upload(String part, String extension, String mime, int maxBytes) {
        MemoryBuffer buffer = new MemoryBuffer();
        Upload upload = Uploads.localize(new Upload(buffer));
        upload.setAcceptedFileTypes(extension, mime);
        upload.setMaxFiles(1);
        upload.setMaxFileSize(maxBytes);
        upload.addFileRejectedListener(e -> error.setText(T.t("imports.rejectedFile", e.getErrorMessage())));
        upload.addSucceededListener(e -> {
            try (InputStream in = buffer.getInputStream()) {
                files.put(part, in.readAllBytes());
                error.setText("");
            } catch (IOException ex) {
                error.setText(ex.getMessage());
            }
            start.setEnabled(files.containsKey("csv"));
        });
        upload.addFileRemovedListener(e -> {
            files.remove(part);
            start.setEnabled(files.containsKey("csv"));
        });
        return upload;
    }

    private void submit() {
        if (session == null || session.community() == null || !files.containsKey("csv")) {
            return;
        }
        start.setEnabled(false);
        LocalApi.Answer answer = session.call("POST", "/communities/" + session.community() + "/imports", Map.of(),
                null, Map.copyOf(files));
        if (!answer.ok()) {
            error.setText(answer.message());
            start.setEnabled(true);
            return;
        }
        files.clear();
        follow(Doc.of(answer.body()).text("id"));
    }

    /** Follows one job: the progress bar and the rows, refreshed every second until it stops. */
    private void follow(String jobId) {
        following = jobId;
        refresh();
        UI ui = UI.getCurrent();
        if (polling == null && ui != null) {
            ui.setPollInterval(1000);
            polling = ui.addPollListener(e -> refresh());
        }
    }

    private void refresh() {
        if (following == null) {
            return;
        }
        LocalApi.Answer answer = session.get("/imports/" + following);
        if (!answer.ok()) {
            error.setText(answer.message());
            stopPolling();
            return;
        }
        Doc job = Doc.of(answer.body());
        progress.setValue(Math.max(0, Math.min(100, job.number("percent"))));
        status.setText(T.t("imports.progress", job.number("percent"), job.number("done"), job.number("total"),
                job.number("failed"), T.t("imports.status." + job.text("status"))));
        status.getElement().setAttribute("data-status", job.text("status"));
        status.getElement().setAttribute("data-percent", job.text("percent"));
        rows.setItems(job.docs("rows"));
        if (job.text("status").equals("FINISHED") || job.text("status").equals("FAILED")
                || job.text("status").equals("INTERRUPTED")) {
            if (job.has("error")) {
                error.setText(job.text("error"));
            }
            stopPolling();
            refreshJobs();
        }
    }

    private void refreshJobs() {
        if (session == null || session.community() == null) {
            return;
        }
        List<Doc> list = session.list("/communities/" + session.community() + "/imports", Map.of("limit", "20"));
        jobs.setItems(list);
    }

    private void stopPolling() {
        if (polling != null) {
            polling.remove();
            polling = null;
            UI.getCurrent().setPollInterval(-1);
        }
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        if (polling != null) {
            polling.remove();
            polling = null;
            detachEvent.getUI().setPollInterval(-1);
        }
        super.onDetach(detachEvent);
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
    }

    @Override
    public String getPageTitle() {
        return T.t("imports.title");
    }
}
