package org.gatehouse.visitor.ui;

import static org.gatehouse.visitor.ui.UiTexts.T;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.HasDynamicTitle;

/**
 * Visitors of the chosen community (访客), newest first, filtered by status and text: the office registers a visitor
 * for a household, approves or rejects a waiting one, closes a visit (its passes revoked, the face forgotten), issues
 * a temporary pass to an approved one and revokes passes; the police read.
 */
public class VisitorsView extends VerticalLayout implements HasDynamicTitle {
    private static final long serialVersionUID = 1L;
    static final String LIMIT = "1000";

    /** Where a visit stands (the API's VisitorStatus). */
    enum Status { WAITING_APPROVAL, APPROVED, REJECTED, CLOSED }

    private final PortalSession session = PortalSession.current();
    private final Grid<Doc> grid = new Grid<>();
    private final Select<Status> status = new Select<>();
    private final TextField search = new TextField();
    private List<Doc> all = List.of();
    private Map<String, String> householdNames = new HashMap<>();

    public VisitorsView() {
        setSizeFull();
        add(new H2(T.t("visitors.title")));
        status.setId("visitor-status-filter");
        status.setLabel(T.t("visitor.status"));
        status.setItems(Status.values());
        status.setEmptySelectionAllowed(true);
        status.setEmptySelectionCaption(T.t("visitors.allStatuses"));
        status.setItemLabelGenerator(s -> s == null ? T.t("visitors.allStatuses") : T.t("status." + s.name()));
        status.addValueChangeListener(e -> reload());
        search.setId("visitor-search");
        search.setPlaceholder(T.t("visitors.search"));
        search.setClearButtonVisible(true);
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(e -> filter());
        search.setWidth("280px");
        Button refresh = new Button(VaadinIcon.REFRESH.create(), e -> reload());
        refresh.setId("visitors-refresh");
        refresh.setTooltipText(T.t("common.refresh"));
        HorizontalLayout bar = new HorizontalLayout(status, search, refresh);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        if (canManage()) {
            Button register = new Button(T.t("visitors.register"), VaadinIcon.PLUS.create(),
                    e -> new VisitorEditor(session, households(), this::reload).open());
            register.setId("visitor-register");
            register.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            bar.add(register);
        }
        add(bar);

        grid.setId("visitors");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.addColumn(v -> v.text("name")).setHeader(T.t("visitor.name")).setAutoWidth(true).setFlexGrow(2)
                .setSortable(true);
        grid.addColumn(this::household).setHeader(T.t("visitor.household")).setAutoWidth(true).setSortable(true);
        grid.addColumn(v -> v.text("phone")).setHeader(T.t("visitor.phone")).setAutoWidth(true);
        grid.addColumn(v -> v.text("purpose")).setHeader(T.t("visitor.purpose")).setAutoWidth(true).setFlexGrow(2);
        grid.addColumn(v -> Windows.window(v.text("expectedFrom"), v.text("expectedUntil"), session.zone()))
                .setHeader(T.t("visitor.window")).setAutoWidth(true);
        grid.addComponentColumn(this::statusBadge).setHeader(T.t("visitor.status")).setAutoWidth(true)
                .setComparator(v -> v.text("status"));
        grid.addColumn(v -> T.t("via." + v.text("registeredVia"))).setHeader(T.t("visitor.via")).setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader(T.t("visitor.actions")).setAutoWidth(true).setFlexGrow(0);
        grid.setSizeFull();
        add(grid);
        setFlexGrow(1, grid);
        if (session == null || session.community() == null) {
            add(new Span(T.t("common.noCommunity")));
            return;
        }
        householdNames = households().stream().collect(Collectors.toMap(h -> h.text("id"), h -> h.text("name"),
                (a, b) -> a, LinkedHashMap::new));
        reload();
    }

    private boolean canManage() {
        return session != null && Screens.MANAGE.stream().anyMatch(session::hasRole);
    }

    /** The community's households ({@code GET /communities/{id}/households}, the whitelist's route). */
    List<Doc> households() {
        return session == null || session.community() == null ? List.of()
                : session.list("/communities/" + session.community() + "/households", Map.of());
    }

    private String household(Doc visitor) {
        String id = visitor.text("hostHouseholdId");
        return householdNames.getOrDefault(id, id);
    }

    void reload() {
        if (session == null || session.community() == null) {
            return;
        }
        Map<String, String> query = new HashMap<>();
        query.put("limit", LIMIT);
        if (status.getValue() != null) {
            query.put("status", status.getValue().name());
        }
        all = session.list("/communities/" + session.community() + "/visitors", query);
        filter();
    }

    private void filter() {
        String q = search.getValue();
        grid.setItems(all.stream().filter(v -> Windows.matches(q, List.of(v.text("name"), v.text("phone"),
                v.text("purpose"), household(v)))).toList());
    }

    private Span statusBadge(Doc visitor) {
        String s = visitor.text("status");
        Span badge = new Span(T.t("status." + s));
        badge.getElement().getThemeList().add("badge");
        switch (s) {
            case "APPROVED" -> badge.getElement().getThemeList().add("success");
            case "WAITING_APPROVAL" -> badge.getElement().getThemeList().add("contrast");
            case "REJECTED" -> badge.getElement().getThemeList().add("error");
            default -> {
                // CLOSED: the plain badge
            }
        }
        return badge;
    }

    /** The buttons of one row: what the visit's status allows (the API checks again). */
    private HorizontalLayout actions(Doc visitor) {
        String id = visitor.text("id");
        String s = visitor.text("status");
        HorizontalLayout row = new HorizontalLayout();
        row.setSpacing(false);
        row.getStyle().set("gap", "var(--lumo-space-xs)");
        if (canManage() && "WAITING_APPROVAL".equals(s)) {
            row.add(button("visitor-approve", id, T.t("visitor.approve"), ButtonVariant.LUMO_SUCCESS,
                    () -> decide(visitor, "approve", "visitor.approved")));
            row.add(button("visitor-reject", id, T.t("visitor.reject"), ButtonVariant.LUMO_ERROR,
                    () -> confirm(T.t("visitor.rejectConfirm", visitor.text("name")), T.t("visitor.reject"),
                            () -> decide(visitor, "reject", "visitor.rejected"))));
        }
        if (canManage() && "APPROVED".equals(s)) {
            row.add(button("visitor-issue-pass", id, T.t("pass.issue"), ButtonVariant.LUMO_PRIMARY,
                    () -> new PassDialog(session, visitor, null).open()));
        }
        row.add(button("visitor-passes", id, T.t("pass.list"), ButtonVariant.LUMO_TERTIARY,
                () -> new PassesDialog(session, visitor, canManage()).open()));
        if (canManage() && ("WAITING_APPROVAL".equals(s) || "APPROVED".equals(s))) {
            row.add(button("visitor-close", id, T.t("visitor.close"), ButtonVariant.LUMO_ERROR,
                    () -> confirm(T.t("visitor.closeConfirm", visitor.text("name")), T.t("visitor.close"),
                            () -> decide(visitor, "close", "visitor.closed"))));
        }
        return row;
    }

    /** A row's button: class {@code kind} (the same in every row) and id {@code kind-<visitor id>}. */
    private static Button button(String kind, String visitorId, String text, ButtonVariant variant, Runnable action) {
        Button b = new Button(text, e -> action.run());
        b.addClassName(kind);
        b.setId(kind + "-" + visitorId);
        b.addThemeVariants(ButtonVariant.LUMO_SMALL, variant);
        return b;
    }

    private static void confirm(String text, String confirmText, Runnable action) {
        ConfirmDialog d = new ConfirmDialog();
        d.setId("visitor-confirm");
        d.setHeader(T.t("common.areYouSure"));
        d.setText(text);
        d.setCancelable(true);
        d.setCancelText(T.t("common.cancel"));
        d.setConfirmText(confirmText);
        d.setConfirmButtonTheme("error primary");
        d.addConfirmListener(e -> action.run());
        d.open();
    }

    /** {@code POST /visitors/{id}/approve|reject|close}; the grid is read again either way. */
    private void decide(Doc visitor, String action, String doneKey) {
        LocalApi.Answer answer = session.post("/visitors/" + visitor.text("id") + "/" + action, null);
        if (answer.ok()) {
            PortalSession.showDone(T.t(doneKey, visitor.text("name")));
        } else {
            PortalSession.showError(answer);
        }
        reload();
    }

    @Override
    public String getPageTitle() {
        return T.t("visitors.title");
    }
}
