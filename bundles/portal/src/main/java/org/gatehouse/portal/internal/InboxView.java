package org.gatehouse.portal.internal;

import static org.gatehouse.portal.internal.PortalTexts.T;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;
import org.gatehouse.portal.api.PortalView;
import org.gatehouse.portal.api.ViewEntry;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.HasDynamicTitle;

/**
 * The alerts inbox (预警收件箱): strangers, screening failures, devices offline, code guessing, the gallery's filing
 * line, stuck feeds — from every module, acknowledged here with a note of what was done (and closed). Welfare alerts
 * show here too but are handled on their own screen, with the outcome of the visit.
 */
public class InboxView extends VerticalLayout implements HasDynamicTitle {
    private static final long serialVersionUID = 1L;
    static final Set<String> WELFARE = Set.of("WELFARE_INACTIVITY", "IDLE_UNIT", "SUBLEASE_SIGNAL");
    static final List<String> TYPES = List.of("STRANGER", "SCREENING_FAILURE", "DEVICE_OFFLINE", "CODE_GUESSING",
            "FACE_TEMPLATE_QUOTA", "STREAM_CONSUMER_STUCK", "WELFARE_INACTIVITY", "IDLE_UNIT", "SUBLEASE_SIGNAL");

    /** The inbox as a portal screen of the platform itself (every staff role). */
    @org.osgi.service.component.annotations.Component(service = PortalView.class)
    public static class Screen extends ViewEntry {
        public Screen() {
            super("inbox", "inbox.title", "vaadin:inbox", Set.of("city-admin", "community-office", "police",
                    "property"), InboxView.class, 35, T);
        }
    }

    private final PortalSession session = PortalSession.current();
    private final Grid<Doc> grid = new Grid<>();
    private final Select<String> status = new Select<>();
    private final Select<String> type = new Select<>();

    public InboxView() {
        setSizeFull();
        add(new H2(T.t("inbox.title")));
        status.setLabel(T.t("inbox.status"));
        status.setItems("OPEN", "ACKNOWLEDGED", "CLOSED", "");
        status.setItemLabelGenerator(s -> s.isEmpty() ? T.t("inbox.all") : T.t("alertStatus." + s));
        status.setValue("OPEN");
        status.setId("inbox-status");
        List<String> types = new ArrayList<>();
        types.add("");
        types.addAll(TYPES);
        type.setLabel(T.t("inbox.type"));
        type.setItems(types);
        type.setItemLabelGenerator(t -> t.isEmpty() ? T.t("inbox.all") : T.t("alertType." + t));
        type.setValue("");
        type.setId("inbox-type");
        status.addValueChangeListener(e -> reload());
        type.addValueChangeListener(e -> reload());
        HorizontalLayout bar = new HorizontalLayout(status, type);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(bar);
        grid.setId("inbox");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(a -> T.t("alertType." + a.text("type"))).setHeader(T.t("inbox.type")).setAutoWidth(true);
        grid.addComponentColumn(a -> severity(a.text("severity"))).setHeader(T.t("inbox.severity")).setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(a -> T.t("alertStatus." + a.text("status"))).setHeader(T.t("inbox.status")).setAutoWidth(true);
        grid.addColumn(a -> session.dateTime(a.text("raisedAt"))).setHeader(T.t("inbox.raisedAt")).setAutoWidth(true);
        grid.addColumn(a -> a.text("message")).setHeader(T.t("inbox.message")).setFlexGrow(1)
                .setTooltipGenerator(a -> a.text("message"));
        grid.addItemClickListener(e -> open(e.getItem()));
        grid.setSizeFull();
        add(grid);
        setFlexGrow(1, grid);
        reload();
    }

    private void reload() {
        if (session == null || session.community() == null) {
            return;
        }
        grid.setItems(session.list("/alerts", Map.of("communityId", session.community(), "status", status.getValue(),
                "type", type.getValue(), "limit", "500")));
    }

    private void open(Doc alert) {
        Dialog d = new Dialog();
        d.setId("inbox-dialog");
        d.setWidth("min(640px, 96vw)");
        d.setHeaderTitle(T.t("alertType." + alert.text("type")));
        d.add(new Paragraph(session.dateTime(alert.text("raisedAt")) + " — " + alert.text("message")));
        for (Doc ack : alert.docs("acknowledgements")) {
            d.add(new Paragraph(T.t("inbox.acknowledged", ack.text("by"), session.dateTime(ack.text("at")),
                    ack.text("note"))));
        }
        Button close = new Button(T.t("inbox.back"), e -> d.close());
        close.setId("inbox-back");
        d.getFooter().add(close);
        if (WELFARE.contains(alert.text("type"))) {
            d.add(new Paragraph(T.t("inbox.welfareElsewhere")));
        } else if (!"CLOSED".equals(alert.text("status"))) {
            TextArea note = new TextArea(T.t("inbox.note"));
            note.setId("inbox-note");
            note.setWidthFull();
            note.setMaxLength(500);
            Checkbox done = new Checkbox(T.t("inbox.closeToo"));
            done.setId("inbox-close");
            Button save = new Button(T.t("inbox.acknowledge"), e -> {
                if (note.getValue().isBlank()) {
                    note.setErrorMessage(T.t("inbox.noteRequired"));
                    note.setInvalid(true);
                    return;
                }
                LocalApi.Answer a = session.post("/alerts/" + alert.text("id") + "/acknowledge",
                        PortalSession.json("note", note.getValue().trim(), "close", done.getValue()));
                if (!a.ok()) {
                    note.setErrorMessage(a.message());
                    note.setInvalid(true);
                    return;
                }
                PortalSession.showDone(T.t("inbox.done"));
                d.close();
                reload();
            });
            save.setId("inbox-ack");
            save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            d.add(note, done);
            d.getFooter().add(save);
        }
        d.open();
    }

    private static Span severity(String severity) {
        Span s = new Span(T.t("severity." + severity));
        s.getElement().getThemeList().add("badge " + switch (severity) {
            case "CRITICAL" -> "error primary";
            case "WARNING" -> "error";
            default -> "contrast";
        });
        return s;
    }

    @Override
    public String getPageTitle() {
        return T.t("inbox.title");
    }
}
