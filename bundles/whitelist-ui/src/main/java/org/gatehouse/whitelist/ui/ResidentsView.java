package org.gatehouse.whitelist.ui;

import static org.gatehouse.whitelist.ui.UiTexts.T;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.OptionalParameter;

/**
 * Residents of the chosen community (住户): search by name, phone or flat, who lacks a face or has only one; a click
 * opens the resident (lease, care flags, credentials, consent, face). Office staff add and change; the police read.
 * {@code /residents/<id>} opens one resident directly, if the API lets this user read them (another community's
 * resident is refused by the API, and nothing of them is shown).
 */
public class ResidentsView extends VerticalLayout implements HasDynamicTitle, HasUrlParameter<String> {
    private static final long serialVersionUID = 1L;

    private final PortalSession session = PortalSession.current();
    private final Grid<Doc> grid = new Grid<>();
    private final TextField search = new TextField();
    private final Checkbox fewFaces = new Checkbox(T.t("residents.fewFaces"));
    private List<Doc> all = List.of();
    private Map<String, String> householdNames = new HashMap<>();

    public ResidentsView() {
        setSizeFull();
        add(new H2(T.t("residents.title")));
        search.setPlaceholder(T.t("residents.search"));
        search.setId("resident-search");
        search.setClearButtonVisible(true);
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(e -> filter());
        search.setWidth("320px");
        fewFaces.addValueChangeListener(e -> filter());
        HorizontalLayout bar = new HorizontalLayout(search, fewFaces);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        if (canManage()) {
            Button add = new Button(T.t("residents.add"), VaadinIcon.PLUS.create(), e -> new ResidentEditor(session,
                    null, households(), this::reload).open());
            add.setId("resident-add");
            add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            bar.add(add);
        }
        add(bar);

        grid.setId("residents");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        // a long name keeps room on a tablet, and shows whole on hover
        grid.addColumn(d -> d.doc("resident").text("name")).setHeader(T.t("resident.name")).setWidth("11em")
                .setFlexGrow(2).setSortable(true).setTooltipGenerator(d -> d.doc("resident").text("name"));
        grid.addColumn(d -> householdNames.getOrDefault(d.doc("resident").text("householdId"), ""))
                .setHeader(T.t("resident.household")).setAutoWidth(true).setSortable(true);
        grid.addColumn(d -> T.t("role." + d.doc("resident").text("role"))).setHeader(T.t("resident.role"))
                .setAutoWidth(true);
        grid.addColumn(d -> d.doc("resident").text("phone")).setHeader(T.t("resident.phone")).setAutoWidth(true);
        grid.addColumn(d -> lease(d.doc("resident"))).setHeader(T.t("resident.lease")).setAutoWidth(true);
        grid.addColumn(d -> d.doc("resident").texts("careFlags").stream().map(f -> T.t("care." + f))
                .collect(Collectors.joining("、"))).setHeader(T.t("resident.care")).setAutoWidth(true);
        grid.addColumn(d -> d.number("faceTemplates")).setHeader(T.t("resident.faces")).setAutoWidth(true);
        grid.addItemClickListener(e -> new ResidentEditor(session, e.getItem().doc("resident"), households(),
                this::reload).open());
        grid.setSizeFull();
        add(grid);
        setFlexGrow(1, grid);
        reload();
    }

    private boolean canManage() {
        return session != null && Screens.MANAGE.stream().anyMatch(session::hasRole);
    }

    List<Doc> households() {
        return session == null || session.community() == null ? List.of()
                : session.list("/communities/" + session.community() + "/households", Map.of());
    }

    void reload() {
        if (session == null || session.community() == null) {
            return;
        }
        householdNames = households().stream().collect(Collectors.toMap(h -> h.text("id"), h -> h.text("name"),
                (a, b) -> a));
        all = session.list("/communities/" + session.community() + "/residents", Map.of());
        filter();
    }

    private void filter() {
        String q = search.getValue() == null ? "" : search.getValue().trim().toLowerCase(Locale.ROOT);
        grid.setItems(all.stream().filter(d -> !fewFaces.getValue() || d.number("faceTemplates") < 2).filter(d -> {
            if (q.isEmpty()) {
                return true;
            }
            Doc r = d.doc("resident");
            return r.text("name").toLowerCase(Locale.ROOT).contains(q) || r.text("phone").contains(q)
                    || householdNames.getOrDefault(r.text("householdId"), "").toLowerCase(Locale.ROOT).contains(q);
        }).toList());
    }

    /** The lease window as dates in the community's zone ("—" for an open end). */
    private String lease(Doc resident) {
        try {
            LocalDate from = Leases.firstDay(resident.text("validFrom"), session.zone());
            LocalDate until = Leases.lastDay(resident.text("validUntil"), session.zone());
            if (from == null && until == null) {
                return "—";
            }
            return (from == null ? "—" : from.toString()) + " – " + (until == null ? "—" : until.toString());
        } catch (RuntimeException e) {
            return resident.text("validFrom") + " – " + resident.text("validUntil");
        }
    }

    @Override
    public void setParameter(BeforeEvent event, @OptionalParameter String residentId) {
        if (residentId == null || residentId.isBlank() || session == null) {
            return;
        }
        LocalApi.Answer answer = session.get("/residents/" + residentId);
        if (!answer.ok()) {
            PortalSession.showError(answer);
            return;
        }
        new ResidentEditor(session, Doc.of(answer.body()), households(), this::reload).open();
    }

    @Override
    public String getPageTitle() {
        return T.t("residents.title");
    }
}
