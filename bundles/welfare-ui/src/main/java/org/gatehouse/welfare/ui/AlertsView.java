package org.gatehouse.welfare.ui;

import static org.gatehouse.welfare.ui.UiTexts.T;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.HasDynamicTitle;

/**
 * Welfare alerts and cases of the chosen community (预警与案件): inactivity of a watched resident (未出门预警), idle
 * flats (房屋闲置) and sublease signs (转租迹象), open ones first by default. The list carries no personal record; a
 * click opens the case (its view is audited) with the record, the evidence, the acknowledgement of a visit and
 * closing.
 */
public class AlertsView extends VerticalLayout implements HasDynamicTitle {
    private static final long serialVersionUID = 1L;
    /** The welfare kinds this screen lists (the API's alert types). */
    static final List<String> KINDS = List.of("WELFARE_INACTIVITY", "IDLE_UNIT", "SUBLEASE_SIGNAL");
    static final List<String> STATUSES = List.of("OPEN", "ACKNOWLEDGED", "CLOSED");
    /** "All" in a filter. */
    static final String ANY = "";
    static final int LIMIT = 500;

    private final PortalSession session = PortalSession.current();
    private final Grid<Doc> grid = new Grid<>();
    private final Select<String> status = new Select<>();
    private final Select<String> kind = new Select<>();
    private final Span count = new Span();

    public AlertsView() {
        setSizeFull();
        add(new H2(T.t("alerts.title")));
        if (session == null || session.community() == null) {
            add(new Span(T.t("alerts.noCommunity")));
            return;
        }
        status.setLabel(T.t("case.status"));
        status.setId("alert-status-filter");
        status.setItems(withAny(STATUSES));
        status.setItemLabelGenerator(s -> s.isEmpty() ? T.t("filter.any") : T.t("status." + s));
        status.setValue("OPEN");
        status.addValueChangeListener(e -> reload());
        kind.setLabel(T.t("case.kind"));
        kind.setId("alert-kind-filter");
        kind.setItems(withAny(KINDS));
        kind.setItemLabelGenerator(k -> k.isEmpty() ? T.t("filter.any") : T.t("kind." + k));
        kind.setValue(ANY);
        kind.addValueChangeListener(e -> reload());
        Button refresh = new Button(T.t("alerts.refresh"), VaadinIcon.REFRESH.create(), e -> reload());
        refresh.setId("alert-refresh");
        HorizontalLayout bar = new HorizontalLayout(status, kind, refresh, count);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        if (Screens.CHECK.stream().anyMatch(session::hasRole)) {
            Button check = new Button(T.t("alerts.check"), VaadinIcon.PLAY.create(), e -> runChecks());
            check.setId("alert-check");
            check.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
            bar.add(check);
        }
        add(bar);

        grid.setId("alerts");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.addColumn(c -> T.t("kind." + c.text("kind"))).setHeader(T.t("case.kind")).setAutoWidth(true)
                .setSortable(true);
        grid.addColumn(c -> T.t("status." + c.text("status"))).setHeader(T.t("case.status")).setAutoWidth(true)
                .setSortable(true);
        grid.addColumn(c -> session.dateTime(c.text("raisedAt"))).setHeader(T.t("case.raisedAt"))
                .setComparator(c -> c.text("raisedAt")).setAutoWidth(true).setSortable(true);
        grid.addColumn(c -> c.text("message")).setHeader(T.t("case.subject")).setFlexGrow(1);
        grid.addColumn(c -> escalation(c.number("escalationLevel"))).setHeader(T.t("case.escalation"))
                .setAutoWidth(true);
        grid.addItemClickListener(e -> open(e.getItem().text("id")));
        grid.setSizeFull();
        add(grid);
        setFlexGrow(1, grid);
        reload();
    }

    static List<String> withAny(List<String> values) {
        List<String> out = new java.util.ArrayList<>();
        out.add(ANY);
        out.addAll(values);
        return out;
    }

    /** The list's query: the chosen community, the filters that are set, a bound. */
    static Map<String, String> query(String community, String status, String kind, int limit) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("community", community);
        if (status != null && !status.isBlank()) {
            q.put("status", status);
        }
        if (kind != null && !kind.isBlank()) {
            q.put("kind", kind);
        }
        q.put("limit", String.valueOf(limit));
        return q;
    }

    private static String escalation(long level) {
        return level < 0 ? T.t("case.notEscalated") : T.t("case.escalationLevel", level + 1);
    }

    void reload() {
        List<Doc> cases = session.list("/welfare/cases", query(session.community(), status.getValue(),
                kind.getValue(), LIMIT));
        grid.setItems(cases);
        count.setText(T.t("alerts.count", cases.size()));
    }

    private void open(String id) {
        LocalApi.Answer answer = session.get("/welfare/cases/" + id);
        if (!answer.ok()) {
            PortalSession.showError(answer);
            return;
        }
        new CaseDialog(session, Doc.of(answer.body()), this::reload).open();
    }

    private void runChecks() {
        LocalApi.Answer answer = session.post("/welfare/check", null);
        if (!answer.ok()) {
            PortalSession.showError(answer);
            return;
        }
        Doc summary = Doc.of(answer.body());
        PortalSession.showDone(T.t("alerts.checked", summary.texts("opened").size(),
                summary.texts("escalated").size(), summary.texts("closed").size()));
        if (!summary.texts("problems").isEmpty()) {
            Notification n = Notification.show(T.t("alerts.checkProblems", String.join("; ", summary.texts("problems"))),
                    8000, Notification.Position.TOP_CENTER);
            n.addThemeVariants(NotificationVariant.LUMO_WARNING);
        }
        reload();
    }

    @Override
    public String getPageTitle() {
        return T.t("alerts.title");
    }
}
