package org.gatehouse.gate.ui;

import static org.gatehouse.gate.ui.UiTexts.T;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.HasDynamicTitle;

/**
 * Live passages (实时通行): every passage of the community as it happens, pushed to the browser (Vaadin server
 * push), newest on top, with the decision's reasons; filter by door and by verdict. Opens with the latest passages
 * from the API.
 */
public class LivePassagesView extends VerticalLayout implements HasDynamicTitle {
    private static final long serialVersionUID = 1L;
    static final int KEEP = 200;
    static final String ALL = "";

    private final PortalSession session = PortalSession.current();
    private final LinkedList<Doc> passages = new LinkedList<>();
    private final Grid<Doc> grid = new Grid<>();
    private final Select<String> door = new Select<>();
    private final Select<String> verdict = new Select<>();
    private final Span count = new Span();
    private Map<String, String> doorNames = new HashMap<>();
    private Map<String, String> names = new HashMap<>();
    private transient Runnable unsubscribe;
    private int received;

    public LivePassagesView() {
        setSizeFull();
        add(new H2(T.t("live.title")));
        door.setLabel(T.t("live.door"));
        door.setId("live-door");
        verdict.setLabel(T.t("live.verdict"));
        verdict.setId("live-verdict");
        verdict.setItems(ALL, "ALLOW", "DENY");
        verdict.setItemLabelGenerator(v -> v.isEmpty() ? T.t("live.all") : T.t("verdict." + v));
        verdict.setValue(ALL);
        door.addValueChangeListener(e -> show());
        verdict.addValueChangeListener(e -> show());
        count.setId("live-count");
        HorizontalLayout bar = new HorizontalLayout(door, verdict, count);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(bar);

        grid.setId("live-passages");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(p -> session.dateTime(p.text("occurredAt"))).setHeader(T.t("live.time")).setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(p -> doorNames.getOrDefault(p.text("deviceId"), p.text("deviceId"))).setHeader(T.t("live.door"))
                .setAutoWidth(true);
        grid.addColumn(p -> T.t("direction." + p.text("direction"))).setHeader(T.t("live.direction")).setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(this::who).setHeader(T.t("live.who")).setAutoWidth(true);
        grid.addComponentColumn(p -> badge(p.doc("decision").text("verdict"))).setHeader(T.t("live.verdict"))
                .setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(LivePassagesView::reasons).setHeader(T.t("live.reasons")).setFlexGrow(1)
                .setTooltipGenerator(LivePassagesView::reasons);
        grid.setSizeFull();
        add(grid);
        setFlexGrow(1, grid);
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        if (session == null || session.community() == null) {
            return;
        }
        String community = session.community();
        List<Doc> devices = session.list("/gate/devices", Map.of("community", community));
        doorNames = devices.stream().collect(Collectors.toMap(d -> d.text("deviceId"),
                d -> d.text("name").isBlank() ? d.text("gate") : d.text("name"), (a, b) -> a));
        List<String> doors = new ArrayList<>();
        doors.add(ALL);
        doors.addAll(doorNames.keySet().stream().sorted().toList());
        door.setItems(doors);
        door.setItemLabelGenerator(d -> d.isEmpty() ? T.t("live.all") : doorNames.getOrDefault(d, d));
        door.setValue(ALL);
        if (session.hasRole("city-admin") || session.hasRole("community-office") || session.hasRole("police")) {
            names = session.list("/communities/" + community + "/residents", Map.of()).stream()
                    .map(r -> r.doc("resident")).collect(Collectors.toMap(r -> r.text("id"), r -> r.text("name"),
                            (a, b) -> a));
        }
        passages.clear();
        passages.addAll(session.list("/passages", Map.of("communityId", community, "limit", "50")));
        show();
        UI ui = attachEvent.getUI();
        PassageFeed feed = Services.get(PassageFeed.class);
        if (feed != null) {
            unsubscribe = feed.subscribe(community, p -> ui.access(() -> arrived(p)));
        }
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
        super.onDetach(detachEvent);
    }

    private void arrived(Doc passage) {
        received++;
        passages.addFirst(passage);
        while (passages.size() > KEEP) {
            passages.removeLast();
        }
        show();
    }

    private void show() {
        String d = door.getValue() == null ? ALL : door.getValue();
        String v = verdict.getValue() == null ? ALL : verdict.getValue();
        List<Doc> shown = passages.stream().filter(p -> d.isEmpty() || d.equals(p.text("deviceId")))
                .filter(p -> v.isEmpty() || v.equals(p.doc("decision").text("verdict"))).toList();
        grid.setItems(shown);
        count.setText(T.t("live.count", shown.size(), received));
        count.getElement().setAttribute("data-received", String.valueOf(received));
    }

    private String who(Doc p) {
        String type = p.text("subjectType");
        String id = p.text("subjectId");
        String name = names.get(id);
        return T.t("subject." + type) + (name != null ? " " + name : "");
    }

    static String reasons(Doc p) {
        return p.doc("decision").docs("reasons").stream()
                .map(r -> r.text("detail").isBlank() ? r.text("code") : r.text("code") + " (" + r.text("detail") + ")")
                .collect(Collectors.joining("; "));
    }

    private static Span badge(String verdict) {
        Span badge = new Span(T.t("verdict." + verdict));
        badge.getElement().getThemeList().add("badge " + ("ALLOW".equals(verdict) ? "success" : "error"));
        return badge;
    }

    @Override
    public String getPageTitle() {
        return T.t("live.title");
    }
}
