package org.gatehouse.gate.ui;

import static org.gatehouse.gate.ui.UiTexts.T;

import java.util.Map;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.shared.Registration;

/**
 * Gates and devices (门禁设备): each device's door, kind and direction, whether it is online and when it was last
 * heard, the whitelist sync of terminals that keep their own copy, and (office, property) opening its door with a
 * reason. Refreshed every 10 s while open.
 */
public class DevicesView extends VerticalLayout implements HasDynamicTitle {
    private static final long serialVersionUID = 1L;

    private final PortalSession session = PortalSession.current();
    private final Grid<Doc> grid = new Grid<>();
    private Registration polling;

    public DevicesView() {
        setSizeFull();
        Button refresh = new Button(T.t("devices.refresh"), VaadinIcon.REFRESH.create(), e -> reload());
        refresh.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        add(new H2(T.t("devices.title")), refresh);
        grid.setId("devices");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(d -> d.text("name")).setHeader(T.t("devices.name")).setAutoWidth(true);
        grid.addColumn(d -> d.text("gate")).setHeader(T.t("devices.gate")).setAutoWidth(true);
        grid.addColumn(d -> T.t("kind." + d.text("kind"))).setHeader(T.t("devices.kind")).setAutoWidth(true);
        grid.addColumn(d -> T.t("direction." + d.text("direction"))).setHeader(T.t("devices.direction"))
                .setAutoWidth(true);
        grid.addColumn(d -> d.text("adapter") + (d.flag("adapterInstalled") ? "" : " (" + T.t("devices.noAdapter") + ")"))
                .setHeader(T.t("devices.adapter")).setAutoWidth(true);
        grid.addComponentColumn(d -> online(d)).setHeader(T.t("devices.online")).setAutoWidth(true);
        grid.addColumn(d -> session.dateTime(d.text("lastHeard"))).setHeader(T.t("devices.lastHeard")).setAutoWidth(true);
        grid.addColumn(DevicesView::sync).setHeader(T.t("devices.sync")).setAutoWidth(true);
        if (session != null && Screens.OPEN.stream().anyMatch(session::hasRole)) {
            grid.addComponentColumn(d -> {
                Button open = new Button(T.t("devices.open"), VaadinIcon.UNLOCK.create(), e -> confirmOpen(d));
                open.addThemeVariants(ButtonVariant.LUMO_SMALL);
                open.setId("open-" + d.text("deviceId"));
                return open;
            }).setAutoWidth(true).setFlexGrow(0);
        }
        grid.setSizeFull();
        add(grid);
        setFlexGrow(1, grid);
        reload();
    }

    private void reload() {
        if (session == null || session.community() == null) {
            return;
        }
        grid.setItems(session.list("/gate/devices", Map.of("community", session.community())));
    }

    private static Span online(Doc d) {
        Object online = d.get("online");
        String key = online == null ? "unknown" : Boolean.TRUE.equals(online) ? "yes" : "no";
        Span badge = new Span(T.t("devices.online." + key));
        badge.getElement().getThemeList().add("badge " + switch (key) {
            case "yes" -> "success";
            case "no" -> "error";
            default -> "contrast";
        });
        return badge;
    }

    /** "in step", "3 behind", "2 given up", or empty for a device that keeps no whitelist of its own. */
    static String sync(Doc d) {
        Doc s = d.doc("sync");
        if (!d.has("sync")) {
            return "";
        }
        if (s.number("deadLetters") > 0) {
            return T.t("devices.sync.dead", s.number("deadLetters"));
        }
        return s.number("lag") == 0 ? T.t("devices.sync.ok") : T.t("devices.sync.lag", s.number("lag"));
    }

    private void confirmOpen(Doc device) {
        Dialog dialog = new Dialog();
        dialog.setId("open-dialog");
        dialog.setHeaderTitle(T.t("devices.openTitle", device.text("name")));
        TextField reason = new TextField(T.t("devices.reason"));
        reason.setId("open-reason");
        reason.setWidthFull();
        reason.setMaxLength(200);
        Button open = new Button(T.t("devices.open"), e -> {
            if (reason.getValue().isBlank()) {
                reason.setErrorMessage(T.t("devices.reasonRequired"));
                reason.setInvalid(true);
                return;
            }
            LocalApi.Answer a = session.post("/gate/devices/" + device.text("deviceId") + "/open",
                    PortalSession.json("reason", reason.getValue().trim()));
            if (!a.ok()) {
                reason.setErrorMessage(a.message());
                reason.setInvalid(true);
                return;
            }
            Doc outcome = Doc.of(a.body());
            dialog.close();
            if (outcome.flag("opened")) {
                PortalSession.showDone(T.t("devices.opened", device.text("name")));
            } else {
                PortalSession.showError(new LocalApi.Answer(409, Map.of("message",
                        T.t("devices.notOpened", device.text("name"), outcome.text("reason")))));
            }
        });
        open.setId("open-confirm");
        open.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(reason);
        dialog.getFooter().add(new Button(T.t("devices.cancel"), e -> dialog.close()), open);
        dialog.open();
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        attachEvent.getUI().setPollInterval(10_000);
        polling = attachEvent.getUI().addPollListener(e -> reload());
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        if (polling != null) {
            polling.remove();
            polling = null;
        }
        detachEvent.getUI().setPollInterval(-1);
        super.onDetach(detachEvent);
    }

    @Override
    public String getPageTitle() {
        return T.t("devices.title");
    }
}
