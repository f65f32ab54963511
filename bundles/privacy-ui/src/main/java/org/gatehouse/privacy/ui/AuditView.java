package org.gatehouse.privacy.ui;

import static org.gatehouse.privacy.ui.UiTexts.T;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.HasDynamicTitle;

/**
 * The audit log (审计日志): who viewed, exported, changed or sent personal data, newest first, by community, days and
 * how many; the city administration verifies the keyed hash chain and the heads kept outside the database.
 */
public class AuditView extends VerticalLayout implements HasDynamicTitle {
    private static final long serialVersionUID = 1L;
    /** "Every community" in the community filter (the city administration's). */
    static final String ALL = "";

    private final PortalSession session = PortalSession.current();
    private final Grid<Doc> grid = new Grid<>();
    private final Select<String> community = new Select<>();
    private final DatePicker from = new DatePicker();
    private final DatePicker to = new DatePicker();
    private final Select<Integer> limit = new Select<>();
    private final Span count = new Span();
    private final Span verdict = new Span();
    private Map<String, String> communityNames = Map.of();

    public AuditView() {
        setSizeFull();
        add(new H2(T.t("audit.title")));
        if (session == null || (session.community() == null && !session.hasRole(Screens.CITY_ADMIN))) {
            add(new Span(T.t("common.noCommunity")));
            return;
        }
        communityNames = session.communities().stream().collect(Collectors.toMap(c -> c.text("id"),
                c -> c.text("name"), (a, b) -> a));
        List<String> choices = new ArrayList<>();
        if (session.hasRole(Screens.CITY_ADMIN)) {
            choices.add(ALL);
        }
        session.communities().forEach(c -> choices.add(c.text("id")));
        community.setLabel(T.t("audit.community"));
        community.setId("audit-community");
        community.setItems(choices);
        community.setItemLabelGenerator(id -> id.isEmpty() ? T.t("audit.allCommunities")
                : communityNames.getOrDefault(id, id));
        community.setValue(session.community() == null ? ALL : session.community());
        from.setLabel(T.t("audit.from"));
        from.setId("audit-from");
        from.setClearButtonVisible(true);
        to.setLabel(T.t("audit.to"));
        to.setId("audit-to");
        to.setClearButtonVisible(true);
        limit.setLabel(T.t("audit.limit"));
        limit.setId("audit-limit");
        limit.setItems(AuditQuery.LIMITS);
        limit.setValue(AuditQuery.LIMITS.get(0));
        community.addValueChangeListener(e -> reload());
        from.addValueChangeListener(e -> reload());
        to.addValueChangeListener(e -> reload());
        limit.addValueChangeListener(e -> reload());
        Button refresh = new Button(T.t("audit.refresh"), VaadinIcon.REFRESH.create(), e -> reload());
        refresh.setId("audit-refresh");
        HorizontalLayout bar = new HorizontalLayout(community, from, to, limit, refresh, count);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        bar.setWrap(true);
        add(bar);

        if (session.hasRole(Screens.CITY_ADMIN)) {
            Button verify = new Button(T.t("verify.button"), VaadinIcon.CHECK_CIRCLE_O.create(), e -> verify());
            verify.setId("audit-verify");
            verdict.setId("audit-verdict");
            HorizontalLayout checks = new HorizontalLayout(verify, verdict);
            checks.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
            add(checks);
        }

        grid.setId("audit");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.addColumn(e -> e.number("sequence")).setHeader(T.t("audit.sequence")).setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(e -> session.dateTime(e.text("at"))).setHeader(T.t("audit.at")).setAutoWidth(true);
        grid.addColumn(e -> e.text("actor")).setHeader(T.t("audit.actor")).setAutoWidth(true).setSortable(true);
        grid.addColumn(e -> e.text("action")).setHeader(T.t("audit.action")).setAutoWidth(true).setSortable(true);
        grid.addColumn(e -> e.has("communityId") ? communityNames.getOrDefault(e.text("communityId"),
                e.text("communityId")) : "").setHeader(T.t("audit.communityColumn")).setAutoWidth(true);
        grid.addColumn(e -> e.text("subjectId")).setHeader(T.t("audit.subject")).setAutoWidth(true);
        grid.addColumn(e -> e.text("detail")).setHeader(T.t("audit.detail")).setFlexGrow(1);
        grid.setSizeFull();
        add(grid);
        setFlexGrow(1, grid);
        reload();
    }

    void reload() {
        to.setInvalid(false);
        if (AuditQuery.reversed(from.getValue(), to.getValue())) {
            to.setErrorMessage(T.t("audit.toBeforeFrom"));
            to.setInvalid(true);
            return;
        }
        List<Doc> entries = session.list("/audit", AuditQuery.query(community.getValue(), from.getValue(),
                to.getValue(), limit.getValue() == null ? AuditQuery.LIMITS.get(0) : limit.getValue(), session.zone()));
        grid.setItems(entries);
        count.setText(T.t("audit.count", entries.size()));
    }

    private void verify() {
        LocalApi.Answer answer = session.get("/audit/verify");
        verdict.getElement().removeAttribute("data-intact");
        if (!answer.ok()) {
            verdict.setText(answer.message());
            verdict.getStyle().set("color", "var(--lumo-error-text-color)");
            PortalSession.showError(answer);
            return;
        }
        Doc v = Doc.of(answer.body());
        AuditQuery.Text text = AuditQuery.verdict(v);
        verdict.setText(T.t(text.key(), text.args()));
        verdict.getElement().setAttribute("data-intact", String.valueOf(v.flag("intact")));
        verdict.getStyle().set("color", v.flag("intact") ? "var(--lumo-success-text-color)"
                : "var(--lumo-error-text-color)");
    }

    @Override
    public String getPageTitle() {
        return T.t("audit.title");
    }
}
