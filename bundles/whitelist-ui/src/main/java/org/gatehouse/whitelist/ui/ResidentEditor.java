package org.gatehouse.whitelist.ui;

import static org.gatehouse.whitelist.ui.UiTexts.T;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.TextField;

/**
 * One resident in a dialog: the record (name, role, birth date, phone, lease window, care flags), then for a stored
 * resident their credentials, consents and face. Required fields are checked before anything is sent; what the API
 * refuses is shown next to the field it names, or at the top; nothing is saved half.
 */
final class ResidentEditor extends Dialog {
    private static final long serialVersionUID = 1L;
    /** The notice a resident reads before agreeing to face access (its version is recorded with the consent). */
    static final String NOTICE_VERSION = "portal-face-2026-12";

    enum Role { OWNER, TENANT, CO_RESIDENT, STAFF }

    enum Care { LIVES_ALONE, NEEDS_ATTENTION }

    private final PortalSession session;
    private final Doc resident;
    private final Runnable saved;
    private final boolean manage;

    private final ComboBox<Doc> household = new ComboBox<>();
    private final TextField name = new TextField();
    private final Select<Role> role = new Select<>();
    private final DatePicker birthDate = new DatePicker();
    private final TextField phone = new TextField();
    private final DatePicker validFrom = new DatePicker();
    private final DatePicker validUntil = new DatePicker();
    private final CheckboxGroup<Care> care = new CheckboxGroup<>();
    private final Div error = new Div();

    ResidentEditor(PortalSession session, Doc resident, List<Doc> households, Runnable saved) {
        this.session = session;
        this.resident = resident;
        this.saved = saved;
        this.manage = Screens.MANAGE.stream().anyMatch(session::hasRole);
        setHeaderTitle(resident == null ? T.t("residents.add") : resident.text("name"));
        setWidth("min(860px, 96vw)");
        setId("resident-editor");

        household.setLabel(T.t("resident.household"));
        household.setItems(households);
        household.setItemLabelGenerator(h -> h.text("name"));
        household.setId("resident-household");
        name.setLabel(T.t("resident.name"));
        name.setId("resident-name");
        name.setMaxLength(100);
        role.setLabel(T.t("resident.role"));
        role.setItems(Role.values());
        role.setItemLabelGenerator(r -> T.t("role." + r.name()));
        role.setId("resident-role");
        birthDate.setLabel(T.t("resident.birthDate"));
        birthDate.setMax(LocalDate.now(session.zone()));
        phone.setLabel(T.t("resident.phone"));
        phone.setId("resident-phone");
        validFrom.setLabel(T.t("resident.validFrom"));
        validUntil.setLabel(T.t("resident.validUntil"));
        validUntil.setId("resident-valid-until");
        care.setLabel(T.t("resident.care"));
        care.setItems(Care.values());
        care.setItemLabelGenerator(c -> T.t("care." + c.name()));
        error.setId("resident-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");

        FormLayout form = new FormLayout();
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("520px", 2));
        if (resident == null) {
            form.add(household);
            form.setColspan(household, 2);
            role.setValue(Role.TENANT);
        } else {
            load(resident);
        }
        form.add(name, role, birthDate, phone, validFrom, validUntil, care);
        form.setColspan(care, 2);
        if (!manage) {
            for (var field : List.of(name, phone)) {
                field.setReadOnly(true);
            }
            role.setReadOnly(true);
            birthDate.setReadOnly(true);
            validFrom.setReadOnly(true);
            validUntil.setReadOnly(true);
            care.setReadOnly(true);
        }

        if (resident == null) {
            add(error, form);
        } else {
            TabSheet tabs = new TabSheet();
            tabs.setWidthFull();
            tabs.add(T.t("resident.tab.record"), new VerticalLayout(error, form)).setId("tab-record");
            tabs.add(T.t("resident.tab.credentials"), credentials()).setId("tab-credentials");
            tabs.add(T.t("resident.tab.consent"), consents()).setId("tab-consent");
            tabs.add(T.t("resident.tab.face"), new EnrolmentPanel(session, resident, manage, saved)).setId("tab-face");
            add(tabs);
        }

        Button cancel = new Button(T.t("common.close"), e -> close());
        cancel.setId("resident-close");
        getFooter().add(cancel);
        if (manage) {
            Button save = new Button(T.t("common.save"), e -> save());
            save.setId("resident-save");
            save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            getFooter().add(save);
        }
    }

    private void load(Doc r) {
        name.setValue(r.text("name"));
        try {
            role.setValue(Role.valueOf(r.text("role")));
        } catch (IllegalArgumentException e) {
            role.setValue(Role.TENANT);
        }
        if (!r.text("birthDate").isBlank()) {
            birthDate.setValue(LocalDate.parse(r.text("birthDate")));
        }
        phone.setValue(r.text("phone"));
        validFrom.setValue(Leases.firstDay(r.text("validFrom"), session.zone()));
        validUntil.setValue(Leases.lastDay(r.text("validUntil"), session.zone()));
        Set<Care> flags = EnumSet.noneOf(Care.class);
        for (String f : r.texts("careFlags")) {
            try {
                flags.add(Care.valueOf(f));
            } catch (IllegalArgumentException ignored) {
                // a flag this screen does not know is kept out of the form (and not sent back)
            }
        }
        care.setValue(flags);
    }

    /** Checks the required fields here, then sends the resident; a refusal is shown next to its field. */
    private void save() {
        clearErrors();
        boolean ok = true;
        if (resident == null && household.getValue() == null) {
            household.setErrorMessage(T.t("common.required"));
            household.setInvalid(true);
            ok = false;
        }
        if (name.getValue().isBlank()) {
            name.setErrorMessage(T.t("common.required"));
            name.setInvalid(true);
            ok = false;
        }
        if (validFrom.getValue() != null && validUntil.getValue() != null
                && validUntil.getValue().isBefore(validFrom.getValue())) {
            validUntil.setErrorMessage(T.t("resident.untilBeforeFrom"));
            validUntil.setInvalid(true);
            ok = false;
        }
        if (!ok) {
            return;
        }
        List<String> flags = care.getValue().stream().map(Enum::name).sorted().toList();
        Map<String, Object> body = PortalSession.json("name", name.getValue().trim(), "role", role.getValue().name(),
                "birthDate", birthDate.getValue() == null ? null : birthDate.getValue().toString(),
                "phone", phone.getValue().isBlank() ? null : phone.getValue().trim(),
                "validFrom", validFrom.getValue() == null ? null : validFrom.getValue().toString(),
                "validUntil", Leases.untilParameter(validUntil.getValue()), "careFlags", flags);
        LocalApi.Answer answer = resident == null
                ? session.post("/households/" + household.getValue().text("id") + "/residents", body)
                : session.call("PUT", "/residents/" + resident.text("id"), Map.of(), body, null);
        if (!answer.ok()) {
            showRefusal(answer);
            return;
        }
        PortalSession.showDone(T.t("resident.saved", name.getValue().trim()));
        saved.run();
        if (resident == null) {
            Doc created = Doc.of(answer.body());
            close();
            String secret = created.doc("appToken").text("secret");
            if (!secret.isBlank()) {
                Dialog token = new Dialog();
                token.setHeaderTitle(T.t("resident.appToken"));
                token.add(new Paragraph(T.t("resident.appTokenOnce")), new Span(secret));
                Button closeToken = new Button(T.t("common.close"), e -> token.close());
                closeToken.setId("token-close");
                token.getFooter().add(closeToken);
                token.open();
            }
        } else {
            close();
        }
    }

    private void clearErrors() {
        error.setText("");
        for (HasValidation f : List.<HasValidation>of(household, name, role, birthDate, phone, validFrom, validUntil)) {
            f.setInvalid(false);
        }
    }

    /** The API's message next to the field it names (e.g. "validUntil must be after validFrom"), else on top. */
    private void showRefusal(LocalApi.Answer answer) {
        String message = answer.message() == null ? answer.code() : answer.message();
        String lower = message.toLowerCase(Locale.ROOT);
        Map<String, HasValidation> fields = Map.of("validuntil", validUntil, "validfrom", validFrom, "phone", phone,
                "birthdate", birthDate, "name", name, "role", role);
        for (var f : fields.entrySet()) {
            if (lower.startsWith(f.getKey()) || lower.contains("'" + f.getKey() + "'")) {
                f.getValue().setErrorMessage(message);
                f.getValue().setInvalid(true);
                return;
            }
        }
        error.setText(message);
    }

    private VerticalLayout credentials() {
        VerticalLayout box = new VerticalLayout();
        Grid<Doc> grid = new Grid<>();
        grid.setId("resident-credentials");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(c -> T.t("credential." + c.text("kind"))).setHeader(T.t("credential.kind")).setAutoWidth(true);
        grid.addColumn(c -> c.text("reference")).setHeader(T.t("credential.reference")).setAutoWidth(true);
        grid.addColumn(c -> session.dateTime(c.text("issuedAt"))).setHeader(T.t("credential.issuedAt")).setAutoWidth(true);
        grid.addColumn(c -> c.has("revokedAt") ? session.dateTime(c.text("revokedAt")) : "")
                .setHeader(T.t("credential.revokedAt")).setAutoWidth(true);
        Runnable reload = () -> grid.setItems(session.list("/residents/" + resident.text("id") + "/credentials", Map.of()));
        if (manage) {
            grid.addComponentColumn(c -> {
                Button revoke = new Button(T.t("credential.revoke"), e -> {
                    LocalApi.Answer a = session.call("DELETE", "/residents/" + resident.text("id") + "/credentials/"
                            + c.text("id"), Map.of(), null, null);
                    if (a.ok()) {
                        reload.run();
                        saved.run();
                    } else {
                        PortalSession.showError(a);
                    }
                });
                revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
                revoke.setEnabled(!c.has("revokedAt"));
                return revoke;
            });
            Select<String> kind = new Select<>();
            kind.setItems("CARD", "ID_CARD", "PIN", "APP_TOKEN");
            kind.setItemLabelGenerator(k -> T.t("credential." + k));
            kind.setValue("CARD");
            kind.setLabel(T.t("credential.kind"));
            TextField value = new TextField(T.t("credential.value"));
            Button issue = new Button(T.t("credential.issue"), e -> {
                LocalApi.Answer a = session.post("/residents/" + resident.text("id") + "/credentials",
                        PortalSession.json("kind", kind.getValue(), "value", value.getValue().isBlank() ? null
                                : value.getValue().trim()));
                if (!a.ok()) {
                    value.setErrorMessage(a.message());
                    value.setInvalid(true);
                    return;
                }
                value.clear();
                value.setInvalid(false);
                String secret = Doc.of(a.body()).text("secret");
                if (!secret.isBlank()) {
                    Dialog d = new Dialog(new Paragraph(T.t("resident.appTokenOnce")), new Span(secret));
                    d.getFooter().add(new Button(T.t("common.close"), x -> d.close()));
                    d.open();
                }
                reload.run();
            });
            HorizontalLayout add = new HorizontalLayout(kind, value, issue);
            add.setDefaultVerticalComponentAlignment(com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment.BASELINE);
            box.add(add);
        }
        box.add(grid);
        reload.run();
        return box;
    }

    private VerticalLayout consents() {
        VerticalLayout box = new VerticalLayout();
        Grid<Doc> grid = new Grid<>();
        grid.setId("resident-consents");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(c -> c.text("purpose")).setHeader(T.t("consent.purpose")).setAutoWidth(true);
        grid.addColumn(c -> c.text("noticeVersion")).setHeader(T.t("consent.notice")).setAutoWidth(true);
        grid.addColumn(c -> session.dateTime(c.text("givenAt"))).setHeader(T.t("consent.givenAt")).setAutoWidth(true);
        grid.addColumn(c -> c.has("withdrawnAt") ? session.dateTime(c.text("withdrawnAt")) : "")
                .setHeader(T.t("consent.withdrawnAt")).setAutoWidth(true);
        Runnable reload = () -> grid.setItems(session.list("/residents/" + resident.text("id") + "/consents", Map.of()));
        if (manage) {
            grid.addComponentColumn(c -> {
                Button withdraw = new Button(T.t("consent.withdraw"), e -> {
                    LocalApi.Answer a = session.post("/consents/" + c.text("id") + "/withdraw", null);
                    if (a.ok()) {
                        reload.run();
                        saved.run();
                        PortalSession.showDone(T.t("consent.withdrawn"));
                    } else {
                        PortalSession.showError(a);
                    }
                });
                withdraw.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
                withdraw.setEnabled(!c.has("withdrawnAt"));
                return withdraw;
            });
            Div notice = new Div();
            notice.setId("consent-notice");
            notice.getStyle().set("padding", "var(--lumo-space-s)").set("background", "var(--lumo-contrast-5pct)")
                    .set("border-radius", "var(--lumo-border-radius-m)").set("white-space", "pre-line");
            notice.setText(T.t("consent.noticeText"));
            Button give = new Button(T.t("consent.give"), e -> {
                LocalApi.Answer a = session.post("/residents/" + resident.text("id") + "/consents",
                        PortalSession.json("purpose", "face-access", "noticeVersion", NOTICE_VERSION,
                                "channel", "portal"));
                if (a.ok()) {
                    reload.run();
                    PortalSession.showDone(T.t("consent.recorded"));
                } else {
                    PortalSession.showError(a);
                }
            });
            give.setId("consent-give");
            give.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            box.add(notice, give);
        }
        box.add(grid);
        reload.run();
        return box;
    }

    static List<String> names(List<Doc> docs) {
        List<String> out = new ArrayList<>();
        docs.forEach(d -> out.add(d.text("name")));
        return out;
    }
}
