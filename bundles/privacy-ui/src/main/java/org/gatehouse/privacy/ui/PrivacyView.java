package org.gatehouse.privacy.ui;

import static org.gatehouse.privacy.ui.UiTexts.T;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AttachmentType;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;

/**
 * Privacy (隐私): how long each kind of data is kept and what the last retention runs deleted (the city
 * administration's, who may run it now); a resident's data as a JSON file (each download is an audited export);
 * erasing a resident after a confirmation that names them and says what goes (the city administration's).
 */
public class PrivacyView extends VerticalLayout implements HasDynamicTitle {
    private static final long serialVersionUID = 1L;

    private final PortalSession session = PortalSession.current();
    private final ComboBox<Doc> resident = new ComboBox<>();
    private final Anchor export = new Anchor();
    private final Button erase = new Button(T.t("erase.button"), VaadinIcon.TRASH.create());
    private final Div subjectResult = new Div();
    private final Grid<Doc> retentionDays = new Grid<>();
    private final Grid<Doc> lastRun = new Grid<>();
    private final Span lastRunTitle = new Span();
    private Map<String, String> householdNames = new HashMap<>();

    public PrivacyView() {
        setSizeFull();
        add(new H2(T.t("privacy.title")));
        if (session == null) {
            return;
        }
        boolean admin = session.hasRole(Screens.CITY_ADMIN);
        if (admin) {
            add(retention());
        }
        add(subjects(admin));
    }

    // --- retention -------------------------------------------------------------------------------------------------

    private VerticalLayout retention() {
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        box.add(new H3(T.t("retention.title")));
        retentionDays.setId("privacy-retention");
        retentionDays.addThemeVariants(GridVariant.LUMO_COMPACT);
        retentionDays.setAllRowsVisible(true);
        retentionDays.setWidth("min(640px, 100%)");
        retentionDays.addColumn(d -> T.t("data." + d.text("type"))).setHeader(T.t("retention.dataType"))
                .setAutoWidth(true);
        retentionDays.addColumn(d -> d.number("days") <= 0 ? T.t("retention.keptForever")
                : T.t("retention.days", d.number("days"))).setHeader(T.t("retention.keptFor")).setAutoWidth(true);
        lastRunTitle.setId("privacy-retention-last");
        lastRun.setId("privacy-retention-run-items");
        lastRun.addThemeVariants(GridVariant.LUMO_COMPACT);
        lastRun.setAllRowsVisible(true);
        lastRun.setWidth("min(860px, 100%)");
        lastRun.addColumn(i -> T.t("data." + i.text("dataType"))).setHeader(T.t("retention.dataType"))
                .setAutoWidth(true);
        lastRun.addColumn(i -> i.has("before") ? session.dateTime(i.text("before")) : "—")
                .setHeader(T.t("retention.before")).setAutoWidth(true);
        lastRun.addColumn(i -> deleted(i)).setHeader(T.t("retention.deleted")).setAutoWidth(true).setFlexGrow(1);
        Button run = new Button(T.t("retention.run"), VaadinIcon.PLAY.create(), e -> runRetention());
        run.setId("privacy-retention-run");
        box.add(retentionDays, new HorizontalLayout(lastRunTitle), lastRun, run);
        loadRetention();
        return box;
    }

    /** What one data type's purge did: a count, "kept" (no limit) or its error. */
    static String deleted(Doc item) {
        if (item.has("error")) {
            return T.t("retention.error", item.text("error"));
        }
        return item.number("deleted") < 0 ? T.t("retention.notPurged") : String.valueOf(item.number("deleted"));
    }

    /** The retention days ({@code {type: days}}) as rows, in the API's order. */
    static List<Doc> dayRows(Doc days) {
        List<Doc> rows = new ArrayList<>();
        days.fields().forEach((type, value) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("type", type);
            row.put("days", value);
            rows.add(new Doc(row));
        });
        return rows;
    }

    private void loadRetention() {
        LocalApi.Answer answer = session.get("/privacy/retention");
        if (!answer.ok()) {
            PortalSession.showError(answer);
            return;
        }
        Doc r = Doc.of(answer.body());
        retentionDays.setItems(dayRows(r.doc("days")));
        List<Doc> reports = r.docs("reports");
        showRun(reports.isEmpty() ? null : reports.get(0));
    }

    private void showRun(Doc report) {
        if (report == null) {
            lastRunTitle.setText(T.t("retention.noRun"));
            lastRun.setItems(List.of());
            return;
        }
        long total = report.docs("items").stream().mapToLong(i -> Math.max(0, i.number("deleted"))).sum();
        lastRunTitle.setText(T.t("retention.lastRun", session.dateTime(report.text("startedAt")),
                report.text("actor"), total));
        lastRun.setItems(report.docs("items"));
    }

    private void runRetention() {
        LocalApi.Answer answer = session.post("/privacy/retention/run", null);
        if (!answer.ok()) {
            PortalSession.showError(answer);
            return;
        }
        PortalSession.showDone(T.t("retention.ran"));
        loadRetention();
    }

    // --- subject access and erasure ---------------------------------------------------------------------------------

    private VerticalLayout subjects(boolean admin) {
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        box.add(new H3(T.t("subject.title")), new Paragraph(T.t("subject.help")));
        resident.setLabel(T.t("subject.resident"));
        resident.setId("privacy-resident");
        resident.setWidth("420px");
        resident.setPlaceholder(T.t("subject.placeholder"));
        resident.setAllowCustomValue(true);
        resident.setClearButtonVisible(true);
        resident.setItemLabelGenerator(this::label);
        resident.addCustomValueSetListener(e -> pickById(e.getDetail()));
        resident.addValueChangeListener(e -> picked(e.getValue()));
        export.setId("privacy-export");
        export.add(VaadinIcon.DOWNLOAD.create(), new Span(" " + T.t("export.button")));
        export.setEnabled(false);
        erase.setId("privacy-erase");
        erase.addThemeVariants(ButtonVariant.LUMO_ERROR);
        erase.setEnabled(false);
        erase.addClickListener(e -> confirmErase(resident.getValue()));
        HorizontalLayout row = new HorizontalLayout(resident, export);
        row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        if (admin) {
            row.add(erase);
        }
        subjectResult.setId("privacy-result");
        box.add(row, subjectResult);
        loadResidents();
        return box;
    }

    private void loadResidents() {
        if (session.community() == null) {
            resident.setItems(List.of());
            return;
        }
        householdNames = session.list("/communities/" + session.community() + "/households", Map.of()).stream()
                .collect(Collectors.toMap(h -> h.text("id"), h -> h.text("name"), (a, b) -> a));
        resident.setItems(session.list("/communities/" + session.community() + "/residents", Map.of()));
    }

    private String label(Doc entry) {
        Doc r = entry.doc("resident");
        String flat = householdNames.getOrDefault(r.text("householdId"), "");
        if (r.text("name").isBlank()) {
            return r.text("id");
        }
        return flat.isBlank() ? r.text("name") : T.t("subject.label", r.text("name"), flat);
    }

    /** A resident id typed in: looked up (they may have moved out: then known by id only). */
    private void pickById(String text) {
        String id = Subjects.typedId(text);
        if (id == null) {
            resident.setErrorMessage(T.t("subject.badId"));
            resident.setInvalid(true);
            return;
        }
        LocalApi.Answer answer = session.get("/residents/" + id);
        Doc entry;
        if (answer.ok()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = answer.body() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            entry = Subjects.entry(body);
        } else if (answer.status() == 404) {
            entry = Subjects.entry(Map.of("id", id));
        } else {
            PortalSession.showError(answer);
            return;
        }
        List<Doc> items = new ArrayList<>(resident.getListDataView().getItems().toList());
        items.add(0, entry);
        resident.setItems(items);
        resident.setValue(entry);
    }

    private void picked(Doc entry) {
        resident.setInvalid(false);
        subjectResult.setText("");
        String id = entry == null ? null : entry.doc("resident").text("id");
        boolean chosen = id != null && !id.isBlank();
        export.setEnabled(chosen);
        erase.setEnabled(chosen);
        if (chosen) {
            export.setHref(exportDownload(session, id), AttachmentType.DOWNLOAD);
        } else {
            export.removeHref();
        }
    }

    /**
     * The export of one resident, fetched when the browser asks for the file: each download is one audited export
     * ({@code export.subject}); a refusal is shown in the screen and answered as an error.
     */
    static DownloadHandler exportDownload(PortalSession session, String residentId) {
        return DownloadHandler.fromInputStream(event -> {
            LocalApi.Answer answer = session.get("/privacy/subjects/" + residentId + "/export");
            if (!answer.ok()) {
                UI ui = event.getUI();
                if (ui != null) {
                    ui.access(() -> PortalSession.showError(answer));
                }
                return DownloadResponse.error(answer.status(), answer.message());
            }
            byte[] json = JsonText.write(answer.body()).getBytes(StandardCharsets.UTF_8);
            return new DownloadResponse(new ByteArrayInputStream(json),
                    Subjects.fileName(residentId, Instant.now(), session.zone()), "application/json", json.length);
        });
    }

    private void confirmErase(Doc entry) {
        if (entry == null) {
            return;
        }
        Doc r = entry.doc("resident");
        String who = r.text("name").isBlank() ? T.t("erase.unnamed", r.text("id"))
                : T.t("erase.named", r.text("name"), householdNames.getOrDefault(r.text("householdId"), "—"),
                        r.text("id"));
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setId("privacy-erase-confirm");
        confirm.setHeader(T.t("erase.header", r.text("name").isBlank() ? r.text("id") : r.text("name")));
        UnorderedList what = new UnorderedList(
                new ListItem(entry.has("faceTemplates") ? T.t("erase.faces", entry.number("faceTemplates"))
                        : T.t("erase.facesAll")),
                new ListItem(T.t("erase.credentials")),
                new ListItem(T.t("erase.passages")),
                new ListItem(T.t("erase.record")));
        Div text = new Div(new Paragraph(who), new Paragraph(T.t("erase.whatGoes")), what,
                new Paragraph(T.t("erase.kept")), new Paragraph(T.t("erase.irreversible")));
        confirm.setText(text);
        confirm.setCancelable(true);
        confirm.setCancelText(T.t("common.cancel"));
        confirm.setConfirmText(T.t("erase.confirm"));
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(e -> erase(r));
        confirm.open();
    }

    private void erase(Doc r) {
        LocalApi.Answer answer = session.post("/privacy/subjects/" + r.text("id") + "/erase", null);
        if (!answer.ok()) {
            PortalSession.showError(answer);
            subjectResult.setText(answer.message());
            return;
        }
        Doc done = Doc.of(answer.body());
        String text = T.t("erase.done", r.text("name").isBlank() ? r.text("id") : r.text("name"),
                done.number("templatesForgotten"), done.number("credentialsRevoked"),
                done.number("passagesAnonymised"));
        PortalSession.showDone(text);
        resident.clear();
        loadResidents();
        subjectResult.setText(text);
    }

    @Override
    public String getPageTitle() {
        return T.t("privacy.title");
    }
}
