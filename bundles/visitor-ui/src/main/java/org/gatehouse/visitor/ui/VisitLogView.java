package org.gatehouse.visitor.ui;

import static org.gatehouse.visitor.ui.UiTexts.T;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.MissingResourceException;

import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;
import org.gatehouse.portal.api.Texts;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.HasDynamicTitle;

/**
 * The traceable visitor log (访客记录) of the chosen community, newest first: who registered, who approved, which
 * pass was issued, used or refused at which gate, and when (in the community's zone); by days (the API's default:
 * the last 30 days) and filtered by text.
 */
public class VisitLogView extends VerticalLayout implements HasDynamicTitle {
    private static final long serialVersionUID = 1L;
    static final String LIMIT = "5000";

    private final PortalSession session = PortalSession.current();
    private final Grid<Doc> grid = new Grid<>();
    private final TextField search = new TextField();
    private final DatePicker from = new DatePicker();
    private final DatePicker to = new DatePicker();
    private List<Doc> all = List.of();
    private Map<String, String> visitorNames = new HashMap<>();

    public VisitLogView() {
        setSizeFull();
        add(new H2(T.t("visitLog.title")), new Paragraph(T.t("visitLog.help")));
        search.setId("visit-log-search");
        search.setPlaceholder(T.t("visitLog.search"));
        search.setClearButtonVisible(true);
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(e -> filter());
        search.setWidth("320px");
        from.setId("visit-log-from");
        from.setLabel(T.t("visitLog.from"));
        from.setClearButtonVisible(true);
        from.addValueChangeListener(e -> {
            to.setMin(e.getValue());
            reload();
        });
        to.setId("visit-log-to");
        to.setLabel(T.t("visitLog.to"));
        to.setClearButtonVisible(true);
        to.addValueChangeListener(e -> {
            from.setMax(e.getValue());
            reload();
        });
        Button refresh = new Button(VaadinIcon.REFRESH.create(), e -> reload());
        refresh.setId("visit-log-refresh");
        refresh.setTooltipText(T.t("common.refresh"));
        HorizontalLayout bar = new HorizontalLayout(from, to, search, refresh);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(bar);

        grid.setId("visit-log");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.addColumn(e -> session.dateTime(e.text("at"))).setHeader(T.t("visitLog.at")).setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(e -> event(e.text("event"))).setHeader(T.t("visitLog.event")).setAutoWidth(true);
        grid.addColumn(this::visitor).setHeader(T.t("visitLog.visitor")).setAutoWidth(true);
        grid.addColumn(e -> e.text("actor")).setHeader(T.t("visitLog.actor")).setAutoWidth(true);
        grid.addColumn(e -> e.text("gate")).setHeader(T.t("visitLog.gate")).setAutoWidth(true);
        grid.addColumn(e -> e.text("detail")).setHeader(T.t("visitLog.detail")).setAutoWidth(true).setFlexGrow(3);
        grid.setSizeFull();
        add(grid);
        setFlexGrow(1, grid);
        if (session == null || session.community() == null) {
            add(new Span(T.t("common.noCommunity")));
            return;
        }
        reload();
    }

    void reload() {
        if (session == null || session.community() == null) {
            return;
        }
        String community = session.community();
        Map<String, String> query = new HashMap<>();
        query.put("limit", LIMIT);
        LocalDate first = from.getValue();
        LocalDate last = to.getValue();
        if (first != null) {
            query.put("from", Windows.dayStart(first, session.zone()));
        }
        if (last != null) {
            query.put("to", Windows.dayEnd(last, session.zone()));
        }
        all = Windows.newestFirst(session.list("/communities/" + community + "/visit-log", query),
                e -> e.text("at"));
        // the visitors' names for the entries (the log keeps their ids); a visitor not listed shows by id
        visitorNames = new HashMap<>();
        session.list("/communities/" + community + "/visitors", Map.of("limit", VisitorsView.LIMIT))
                .forEach(v -> visitorNames.put(v.text("id"), v.text("name")));
        filter();
    }

    private String visitor(Doc entry) {
        String id = entry.text("visitorId");
        return visitorNames.getOrDefault(id, id);
    }

    /** An event's name in the user's language; an event this screen does not know shows as the API wrote it. */
    private static String event(String event) {
        try {
            return T.bundle(Texts.currentLocale()).getString("event." + event);
        } catch (MissingResourceException e) {
            return event;
        }
    }

    private void filter() {
        String q = search.getValue();
        grid.setItems(all.stream().filter(e -> Windows.matches(q, List.of(e.text("event"), event(e.text("event")),
                visitor(e), e.text("actor"), e.text("gate"), e.text("detail"), session.dateTime(e.text("at")))))
                .toList());
    }

    @Override
    public String getPageTitle() {
        return T.t("visitLog.title");
    }
}
